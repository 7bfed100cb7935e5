/*
 * sql_split.c: splitting `sql` / `sqlFile` / formatted SQL text into
 * statements (sqlgen/split.c) and the statement-list helpers.
 *
 * The vector cases use the SQL of vectors 23, 64, 65, 71 and 78 and
 * expect exactly the statements Liquibase 4.28 executed (their
 * update.sql, without the ';' update-sql appends). Every other expected
 * list was produced by Liquibase 4.28's StringUtil.processMultiLineSQL
 * on the same input, except the dollar-quote cases, where migrator
 * deliberately keeps PostgreSQL $$ bodies whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "migrator/error.h"
#include "migrator/sqlgen.h"
#include "migrator/util.h"

#define END NULL

static int setup(void **state)
{
	(void)state;
	mg_error_clear();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mg_error_clear();
	return 0;
}

/* Split and compare with the NULL-terminated list of statements. */
static void check(const char *sql, bool split, bool strip,
		  const char *delim, ...)
{
	mg_stmt_list l = MG_STMT_LIST_INIT;
	va_list ap;
	size_t i = 0;
	const char *want;

	assert_int_equal(mg_sql_split(&l, sql, split, strip, delim), 0);
	va_start(ap, delim);
	while ((want = va_arg(ap, const char *))) {
		if (i >= l.n)
			fail_msg("statement %zu missing, expected [%s]", i, want);
		if (strcmp(l.items[i], want))
			fail_msg("statement %zu is [%s], expected [%s]", i,
				 l.items[i], want);
		i++;
	}
	va_end(ap);
	if (i != l.n)
		fail_msg("%zu statements, expected %zu; extra [%s]", l.n, i,
			 l.items[i]);
	mg_stmt_list_release(&l);
}

/* ---- statement lists ---- */

static void test_stmt_list(void **state)
{
	mg_stmt_list l = MG_STMT_LIST_INIT;

	(void)state;
	for (int i = 0; i < 20; i++)
		mg_stmt_list_addf(&l, "SELECT %d", i);
	mg_stmt_list_add(&l, mg_xstrdup("x"));
	assert_int_equal(l.n, 21);
	assert_string_equal(l.items[0], "SELECT 0");
	assert_string_equal(l.items[19], "SELECT 19");
	assert_string_equal(l.items[20], "x");
	mg_stmt_list_release(&l);
	assert_null(l.items);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.alloc, 0);
	mg_stmt_list_release(&l);
	/* appends to what is there */
	mg_stmt_list_addf(&l, "first");
	assert_int_equal(mg_sql_split(&l, "a; b", true, false, NULL), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.items[2], "b");
	mg_stmt_list_release(&l);
}

/* ---- what Liquibase executed in the vectors ---- */

static void test_vector_23_xml_sql(void **state)
{
	(void)state;
	check("CREATE TABLE raw1 (id int, txt varchar(20))", true, false, NULL,
	      "CREATE TABLE raw1 (id int, txt varchar(20))", END);
	check("-- insert two rows\n"
	      "            INSERT INTO raw1 VALUES (1, 'one');\n"
	      "            INSERT INTO raw1 VALUES (2, 'two; still two');",
	      true, true, NULL,
	      "INSERT INTO raw1 VALUES (1, 'one')",
	      "INSERT INTO raw1 VALUES (2, 'two; still two')", END);
	check("INSERT INTO raw1 VALUES (3, 'x < y');", false, false, NULL,
	      "INSERT INTO raw1 VALUES (3, 'x < y');", END);
	/* endDelimiter="\n/" as written in XML: a regular expression */
	check("CREATE FUNCTION f_add(a int, b int) RETURNS int AS $$\n"
	      "BEGIN\n  RETURN a + b;\nEND;\n$$ LANGUAGE plpgsql\n/",
	      true, false, "\\n/",
	      "CREATE FUNCTION f_add(a int, b int) RETURNS int AS $$\n"
	      "BEGIN\n  RETURN a + b;\nEND;\n$$ LANGUAGE plpgsql", END);
	check("CREATE   TABLE raw1 (id int,txt varchar(20))", true, false, NULL,
	      "CREATE   TABLE raw1 (id int,txt varchar(20))", END);
}

static void test_vector_formatted_sql(void **state)
{
	(void)state;
	/* 64 "spread" */
	check("CREATE   TABLE   ws\n(\n\tid   int ,\n\tv    varchar(5)\n)  ;",
	      true, true, NULL,
	      "CREATE   TABLE   ws\n(\n\tid   int ,\n\tv    varchar(5)\n)", END);
	/* 65: splitStatements:false endDelimiter:; (the trailing delimiter
	 * is dropped, as Liquibase's mergeTokens does) */
	check("DO $$ BEGIN INSERT INTO f_attr VALUES (1); "
	      "INSERT INTO f_attr VALUES (2); END $$;", false, true, ";",
	      "DO $$ BEGIN INSERT INTO f_attr VALUES (1); "
	      "INSERT INTO f_attr VALUES (2); END $$", END);
	check("-- this comment is stripped before execution but still part "
	      "of the checksum\nINSERT INTO f_attr VALUES (3);", true, true,
	      NULL, "INSERT INTO f_attr VALUES (3)", END);
	check("INSERT INTO f_attr VALUES (7)\nGO\nINSERT INTO f_attr VALUES (8)\n"
	      "GO", true, true, "GO",
	      "INSERT INTO f_attr VALUES (7)", "INSERT INTO f_attr VALUES (8)",
	      END);
	/* 71: comments around and after the statement vanish */
	check("-- a plain SQL comment inside the body\n"
	      "CREATE TABLE f_cmt (id int); -- trailing comment\n"
	      "/* block\n   comment */", true, true, NULL,
	      "CREATE TABLE f_cmt (id int)", END);
	/* 78 */
	check("CREATE TABLE IF NOT EXISTS f_tail (id int);", true, true, NULL,
	      "CREATE TABLE IF NOT EXISTS f_tail (id int)", END);
}

/* ---- default delimiters ---- */

static void test_semicolon_go_slash(void **state)
{
	(void)state;
	check("SELECT 1\ngo\nSELECT 2\nGO\nSELECT 3", true, false, NULL,
	      "SELECT 1", "SELECT 2", "SELECT 3", END);
	check("SELECT 1\n/\nSELECT 2 / 3;\nSELECT 4", true, false, NULL,
	      "SELECT 1", "SELECT 2 / 3", "SELECT 4", END);
	check(";;\nSELECT 1;;  ;\n", true, false, NULL, "SELECT 1", END);
	check("", true, true, NULL, END);
	check("  \n\t", false, false, NULL, END);
	check("SELECT 1;\r\nSELECT\r\n2;\r\n", true, false, NULL, "SELECT 1",
	      "SELECT\n2", END);
	/* "go" must start a line, but need not end it (4.28) */
	check("SELECT 1 go\nGO SELECT 2", true, false, NULL, "SELECT 1 go",
	      "SELECT 2", END);
	/* a dotted name spans the line break, so GO is part of it */
	check("SELECT a.\nGO FROM t;\nSELECT 2", true, false, NULL,
	      "SELECT a.\nGO FROM t", "SELECT 2", END);
}

static void test_quotes(void **state)
{
	(void)state;
	check("INSERT INTO t VALUES ('a;b', 'it''s; x', E'c\\';d');\n"
	      "SELECT \"x;y\" FROM t;", true, false, NULL,
	      "INSERT INTO t VALUES ('a;b', 'it''s; x', E'c\\';d')",
	      "SELECT \"x;y\" FROM t", END);
	/* an unterminated quote is just a symbol */
	check("SELECT 'abc; SELECT 2", true, false, NULL, "SELECT 'abc",
	      "SELECT 2", END);
	check("SELECT '--x;' ; SELECT '/*' ; SELECT '*/'", true, true, NULL,
	      "SELECT '--x;'", "SELECT '/*'", "SELECT '*/'", END);
}

static void test_comments(void **state)
{
	static const char sql[] = "-- first; comment\n"
				  "SELECT 1; /* block; comment */ SELECT 2;\n"
				  "-- tail;";

	(void)state;
	check(sql, true, false, NULL, "-- first; comment\nSELECT 1",
	      "/* block; comment */ SELECT 2", "-- tail;", END);
	check(sql, true, true, NULL, "SELECT 1", "SELECT 2", END);
	/* removed, not replaced by a blank */
	check("SELECT 1/* x */FROM t", true, true, NULL, "SELECT 1FROM t", END);
	check("SELECT 1; -- only a comment\n/* and another */", true, true,
	      NULL, "SELECT 1", END);
	check("SELECT 1; SELECT 2;\n-- c\n", false, true, NULL,
	      "SELECT 1; SELECT 2;", END);
	/* an unterminated block comment is not a comment */
	check("SELECT 1 /* open; SELECT 2", true, true, NULL, "SELECT 1 /* open",
	      "SELECT 2", END);
}

/* BEGIN ... END suspends splitting, as in Liquibase 4.28. */
static void test_begin_end(void **state)
{
	(void)state;
	check("CREATE TRIGGER x BEGIN UPDATE t SET a = 1; UPDATE t SET b = 2; "
	      "END;\nSELECT 3;", true, false, NULL,
	      "CREATE TRIGGER x BEGIN UPDATE t SET a = 1; UPDATE t SET b = 2; "
	      "END", "SELECT 3", END);
	check("BEGIN TRANSACTION;\nINSERT INTO t VALUES (1);\nCOMMIT;", true,
	      false, NULL, "BEGIN TRANSACTION", "INSERT INTO t VALUES (1)",
	      "COMMIT", END);
	/* XXX: a bare BEGIN; opens a block that never closes */
	check("BEGIN;\nINSERT INTO t VALUES (1);\nCOMMIT;", true, false, NULL,
	      "BEGIN;\nINSERT INTO t VALUES (1);\nCOMMIT;", END);
	check("SELECT CASE WHEN a THEN 1 END; SELECT 2", true, false, NULL,
	      "SELECT CASE WHEN a THEN 1 END", "SELECT 2", END);
}

/* ---- PostgreSQL dollar quoting (migrator extension) ---- */

static void test_dollar_quotes(void **state)
{
	(void)state;
	check("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;"
	      " SELECT 2;", true, false, NULL,
	      "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
	      "SELECT 2", END);
	check("DO $body$ BEGIN PERFORM '$$;'; END $body$; SELECT 3", true, false,
	      NULL, "DO $body$ BEGIN PERFORM '$$;'; END $body$", "SELECT 3",
	      END);
	/* a comment inside the body is part of it, but stripComments
	 * removes it as 4.28 does (its grammar knows no dollar quotes) */
	check("SELECT $x$\n-- in the body;\n$x$;", true, false, NULL,
	      "SELECT $x$\n-- in the body;\n$x$", END);
	check("SELECT $x$\n-- in the body;\n$x$; -- c", true, true, NULL,
	      "SELECT $x$\n\n$x$", END);
	check("SELECT $x$ '--' $x$", true, true, NULL, "SELECT $x$ '--' $x$",
	      END);
	/* not dollar quotes: parameters, identifiers, no closing tag */
	check("SELECT $1; SELECT a$$b; SELECT 2", true, false, NULL,
	      "SELECT $1", "SELECT a$$b", "SELECT 2", END);
	check("SELECT $$abc; SELECT 2", true, false, NULL, "SELECT $$abc",
	      "SELECT 2", END);
}

/* ---- custom end delimiters ---- */

static void test_end_delimiter(void **state)
{
	(void)state;
	/* ';' and GO lines are no longer delimiters, the GO token is,
	 * anywhere and in any case */
	check("INSERT INTO t VALUES (7)\nGO\nINSERT INTO t VALUES (8); SELECT 9\n"
	      "go", true, false, "GO",
	      "INSERT INTO t VALUES (7)", "INSERT INTO t VALUES (8); SELECT 9",
	      END);
	/* "/" only at the start of a line */
	check("SELECT 1 / 2\n/\nSELECT 3\n/", true, false, "/", "SELECT 1 / 2",
	      "SELECT 3", END);
	/* several tokens merged into one delimiter */
	check("SELECT 1 // SELECT 2; SELECT 3 //", true, false, "//",
	      "SELECT 1", "SELECT 2; SELECT 3", END);
	/* longer delimiters are regular expressions after blanks */
	check("SELECT 1;\nGO\nSELECT 2; GO SELECT 3", true, false, "\\nGO",
	      "SELECT 1;", "SELECT 2; GO SELECT 3", END);
	check("SELECT 1\n  ;;\nSELECT 2", true, false, "[;]+", "SELECT 1",
	      "SELECT 2", END);
	check("SELECT 1; SELECT 2", true, false, "", "SELECT 1; SELECT 2", END);
	/* not splitting: only a trailing delimiter token goes */
	check("SELECT 1; SELECT 2;", false, false, ";", "SELECT 1; SELECT 2",
	      END);
	/* the end delimiter formatted SQL gives a last body ending in / */
	check("SELECT 4\n/\nSELECT 5\n/", true, true, "\n/$", "SELECT 4",
	      "SELECT 5", END);
}

static void test_bad_end_delimiter(void **state)
{
	mg_stmt_list l = MG_STMT_LIST_INIT;

	(void)state;
	assert_int_equal(mg_sql_split(&l, "SELECT 1", true, false, "a(b"),
			 MG_EINVALID);
	assert_int_equal(l.n, 0);
	assert_int_equal(mg_error_last()->code, MG_EINVALID);
	assert_non_null(strstr(mg_error_last()->message, "'a(b'"));
	/* not used when not splitting */
	assert_int_equal(mg_sql_split(&l, "SELECT 1", false, false, "a(b"), 0);
	assert_int_equal(l.n, 1);
	/* a one-character delimiter is never a regular expression */
	check("SELECT 1 ( SELECT 2", true, false, "(", "SELECT 1", "SELECT 2",
	      END);
	mg_stmt_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_stmt_list),
		T(test_vector_23_xml_sql),
		T(test_vector_formatted_sql),
		T(test_semicolon_go_slash),
		T(test_quotes),
		T(test_comments),
		T(test_begin_end),
		T(test_dollar_quotes),
		T(test_end_delimiter),
		T(test_bad_end_delimiter),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
