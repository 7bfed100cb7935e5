/*
 * parse_sqlfile.c: the formatted SQL changelog parser (parse/sqlfile.c).
 *
 * The vector tests parse every formatted-SQL changelog that real
 * Liquibase 4.28 ran (vectors 62-72, 78, 80) and recompute each stored
 * MD5SUM from the parsed body: "9:" + MD5(body without space, TAB, CR,
 * LF), wrapped as MD5("9:<that>:"). Ids, authors and COMMENTS come from
 * the same rows, rollback texts from the rollback-count-sql outputs. The
 * inline cases pin down the 4.28 line grammar; their expected trees were
 * checked against Liquibase 4.28's own FormattedSqlChangeLogParser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "migrator/buf.h"
#include "migrator/error.h"
#include "migrator/hash.h"
#include "migrator/node.h"
#include "migrator/sqlgen.h"
#include "migrator/util.h"

#define VECTORS MG_TEST_SHARED "/liquibase/vectors"

static mg_arena arena;

static int setup(void **state)
{
	(void)state;
	arena = (mg_arena)MG_ARENA_INIT;
	mg_error_clear();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mg_arena_release(&arena);
	mg_error_clear();
	return 0;
}

static mg_node *parse_as(const char *file, const char *text)
{
	mg_node *root = NULL;

	if (mg_parse_sqlfile(&root, &arena, file, text, strlen(text)) < 0)
		fail_msg("parse failed: %s (%d:%d)", mg_error_last()->message,
			 mg_error_last()->line, mg_error_last()->col);
	assert_non_null(root);
	assert_string_equal(root->name, "databaseChangeLog");
	assert_string_equal(mg_node_get(root, "formattedSql"), "true");
	return root;
}

static mg_node *parse(const char *text)
{
	return parse_as("t.sql", text);
}

static char *slurp(const char *path)
{
	char *text = NULL;
	size_t len = 0;

	assert_int_equal(mg_read_file(&text, &len, path), 0);
	assert_non_null(text);
	return text;
}

static mg_node *parse_vector(const char *rel, const char *name)
{
	char path[1024];
	char *text;
	mg_node *root = NULL;

	snprintf(path, sizeof(path), "%s/%s", VECTORS, rel);
	text = slurp(path);
	if (mg_parse_sqlfile(&root, &arena, name, text, strlen(text)) < 0)
		fail_msg("%s: %s", path, mg_error_last()->message);
	free(text);
	return root;
}

/* The n-th (0-based) changeSet child of the root. */
static mg_node *changeset(const mg_node *root, int n)
{
	for (mg_node *c = root->first; c; c = c->next)
		if (!strcmp(c->name, "changeSet") && n-- == 0)
			return c;
	fail_msg("no changeSet #%d", n);
	return NULL;
}

static size_t count_named(const mg_node *n, const char *name)
{
	size_t k = 0;

	for (mg_node *c = n->first; c; c = c->next)
		if (!strcmp(c->name, name))
			k++;
	return k;
}

static const char *sql_of(const mg_node *cs)
{
	mg_node *s = mg_node_child(cs, "sql");

	assert_non_null(s);
	return s->value;
}

static void assert_attr(const mg_node *n, const char *name, const char *v)
{
	mg_node *c = mg_node_child(n, name);

	if (!v) {
		if (c)
			fail_msg("unexpected '%s' = '%s'", name, c->value);
		return;
	}
	if (!c)
		fail_msg("missing '%s'", name);
	assert_true(c->is_attr);
	assert_int_equal(c->kind, MG_SCALAR_STRING);
	assert_string_equal(c->value, v);
}

static void assert_statements(const char *sql, bool strip,
			      const char *const *want, size_t n)
{
	mg_stmt_list l = MG_STMT_LIST_INIT;

	assert_int_equal(mg_sql_split(&l, sql, true, strip, NULL), 0);
	assert_int_equal(l.n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(l.items[i], want[i]);
	mg_stmt_list_release(&l);
}

/* ---- vectors: checksums, ids, authors, comments ---- */

typedef struct row {
	char *f[13]; /* id author filename md5sum description comments ... */
	bool used;
} row;

typedef struct rows {
	row *v;
	size_t n;
	char *text;
} rows;

static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			*o++ = *s;
			continue;
		}
		s++;
		*o++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
	}
	*o = '\0';
}

static void load_rows(rows *r, const char *rel)
{
	char path[1024], *line, *next;

	snprintf(path, sizeof(path), "%s/%s", VECTORS, rel);
	r->text = slurp(path);
	r->v = calloc(64, sizeof(row));
	r->n = 0;
	line = strchr(r->text, '\n') + 1; /* header */
	for (; line && *line; line = next) {
		row *w = &r->v[r->n++];
		char *f = line;

		assert_true(r->n < 64);
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		for (int i = 0; i < 13; i++) {
			char *tab = strchr(f, '\t');

			if (tab)
				*tab = '\0';
			w->f[i] = f;
			unescape(f);
			f = tab ? tab + 1 : f + strlen(f);
		}
	}
}

static void free_rows(rows *r)
{
	free(r->v);
	free(r->text);
}

/* ${name} expansion for vector 67 (first definition wins, dbms
 * filtered; -Dclip=cmdline as its vector.conf gives). */
static char *expand(const mg_node *root, const char *s)
{
	mg_buf b = MG_BUF_INIT;

	while (*s) {
		const char *end = strstr(s, "}");
		const char *val = NULL;

		if (strncmp(s, "${", 2) || !end) {
			mg_buf_putc(&b, *s++);
			continue;
		}
		for (mg_node *p = root->first; p && !val; p = p->next) {
			const char *name = mg_node_get(p, "name");
			const char *dbms = mg_node_get(p, "dbms");

			if (strcmp(p->name, "property") || !name ||
			    strlen(name) != (size_t)(end - s - 2) ||
			    strncmp(name, s + 2, strlen(name)))
				continue;
			if (!dbms || !strcmp(dbms, "postgresql"))
				val = mg_node_get(p, "value");
		}
		if (!val && !strncmp(s, "${clip}", 7))
			val = "cmdline";
		if (val)
			mg_buf_puts(&b, val);
		else
			mg_buf_put(&b, s, (size_t)(end - s) + 1);
		s = end + 1;
	}
	return mg_buf_detach(&b);
}

static void checksum_v9(char out[36], const char *sql)
{
	mg_buf b = MG_BUF_INIT;
	char hex[33];

	mg_buf_put_nows(&b, sql);
	mg_md5_hex(hex, b.ptr, b.len);
	mg_buf_reset(&b);
	mg_buf_printf(&b, "9:%s:", hex);
	mg_md5_hex(hex, b.ptr, b.len);
	snprintf(out, 36, "9:%s", hex);
	mg_buf_release(&b);
}

static const struct vector_file {
	const char *file;  /* changelog, relative to VECTORS */
	const char *name;  /* its FILENAME */
	const char *rows;  /* expected rows */
	bool expand;       /* vector 67: ${} in ids and bodies */
	const char *deployment; /* rows this file wrote, if not all */
} vector_files[] = {
	{ "39-xml-include/db/changes/c.sql", "db/changes/c.sql",
	  "39-xml-include/expected-rows.tsv", false, NULL },
	{ "40-xml-includeall/migrations/10_ten.sql", "migrations/10_ten.sql",
	  "40-xml-includeall/expected-rows.tsv", false, NULL },
	{ "40-xml-includeall/migrations/1_one.sql", "migrations/1_one.sql",
	  "40-xml-includeall/expected-rows.tsv", false, NULL },
	{ "40-xml-includeall/migrations/2_two.sql", "migrations/2_two.sql",
	  "40-xml-includeall/expected-rows.tsv", false, NULL },
	{ "40-xml-includeall/migrations/B_upper.sql", "migrations/B_upper.sql",
	  "40-xml-includeall/expected-rows.tsv", false, NULL },
	{ "40-xml-includeall/migrations/a_lower.sql", "migrations/a_lower.sql",
	  "40-xml-includeall/expected-rows.tsv", false, NULL },
	{ "40-xml-includeall/migrations/sub/0_sub.sql", "migrations/sub/0_sub.sql",
	  "40-xml-includeall/expected-rows.tsv", false, NULL },
	{ "40-xml-includeall/other/x.sql", "other/x.sql",
	  "40-xml-includeall/expected-rows.tsv", false, NULL },
	{ "62-fsql-basic/changelog.sql", "changelog.sql",
	  "62-fsql-basic/expected-rows.tsv", false, NULL },
	{ "63-fsql-crlf/changelog.sql", "changelog.sql",
	  "63-fsql-crlf/expected-rows-all.tsv", false, NULL },
	{ "63-fsql-crlf/lf.sql", "lf.sql",
	  "63-fsql-crlf/expected-rows-all.tsv", false, NULL },
	{ "63-fsql-crlf/crlf2.sql", "crlf2.sql",
	  "63-fsql-crlf/expected-rows-all.tsv", false, NULL },
	{ "64-fsql-whitespace-variants/changelog.sql", "changelog.sql",
	  "64-fsql-whitespace-variants/expected-rows.tsv", false, NULL },
	{ "65-fsql-attributes/changelog.sql", "changelog.sql",
	  "65-fsql-attributes/expected-rows.tsv", false, NULL },
	{ "66-fsql-logicalfilepath/changelog.sql", "changelog.sql",
	  "66-fsql-logicalfilepath/expected-rows.tsv", false, NULL },
	{ "67-fsql-properties/changelog.sql", "changelog.sql",
	  "67-fsql-properties/expected-rows.tsv", true, NULL },
	{ "68-fsql-unicode/changelog.sql", "changelog.sql",
	  "68-fsql-unicode/expected-rows-with-bom.tsv", false, NULL },
	{ "68-fsql-unicode/bom.sql", "bom.sql",
	  "68-fsql-unicode/expected-rows-with-bom.tsv", false, NULL },
	{ "69-fsql-multiline-rollback/changelog.sql", "changelog.sql",
	  "69-fsql-multiline-rollback/expected-rows.tsv", false, NULL },
	{ "70-fsql-preconditions/changelog.sql", "changelog.sql",
	  "70-fsql-preconditions/expected-rows.tsv", false, NULL },
	{ "71-fsql-comments-in-body/changelog.sql", "changelog.sql",
	  "71-fsql-comments-in-body/expected-rows.tsv", false, NULL },
	{ "72-fsql-runonchange/changelog.sql", "changelog.sql",
	  "72-fsql-runonchange/expected-rows.tsv", false, NULL },
	/* phase 2 reran only "view"; "plain" kept its row (same checksum) */
	{ "72-fsql-runonchange/phase2/changelog.sql", "changelog.sql",
	  "72-fsql-runonchange/expected-rows-phase2.tsv", false, "D2" },
	{ "78-fsql-trailing-empty-changeset/changelog.sql", "changelog.sql",
	  "78-fsql-trailing-empty-changeset/expected-rows.tsv", false, NULL },
	{ "80-fsql-directive-lookalike-comments/changelog.sql",
	  "changelog.sql",
	  "80-fsql-directive-lookalike-comments/expected-rows.tsv", false, NULL },
};

static row *find_row(rows *r, const char *id, const char *author,
		     const char *filename)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].f[0], id) && !strcmp(r->v[i].f[1], author) &&
		    !strcmp(r->v[i].f[2], filename))
			return &r->v[i];
	return NULL;
}

static const char *filename_of(const mg_node *root, const mg_node *cs,
			       const char *name)
{
	const char *p = mg_node_get(cs, "logicalFilePath");

	if (!p)
		p = mg_node_get(root, "logicalFilePath");
	return p ? p : name;
}

/* Does any changeset of the file write rows under this FILENAME? */
static bool file_writes(const mg_node *root, const char *name,
			const char *filename)
{
	for (mg_node *cs = root->first; cs; cs = cs->next)
		if (!strcmp(cs->name, "changeSet") &&
		    !strcmp(filename_of(root, cs, name), filename))
			return true;
	return false;
}

static void check_vector_file(const struct vector_file *vf)
{
	mg_node *root = parse_vector(vf->file, vf->name);
	rows r;
	size_t checked = 0, expected = 0;

	load_rows(&r, vf->rows);
	for (mg_node *cs = root->first; cs; cs = cs->next) {
		char *id, *sql, sum[36];
		const char *author = mg_node_get(cs, "author");
		const char *comment = mg_node_get(cs, "comment");
		row *w;

		if (strcmp(cs->name, "changeSet"))
			continue;
		id = vf->expand ? expand(root, mg_node_get(cs, "id")) :
				  mg_xstrdup(mg_node_get(cs, "id"));
		sql = vf->expand ? expand(root, sql_of(cs)) :
				   mg_xstrdup(sql_of(cs));
		/* filtered changesets (dbms, ignore, onFail CONTINUE) have
		 * no row */
		w = find_row(&r, id, author, filename_of(root, cs, vf->name));
		if (w) {
			assert_int_equal(count_named(cs, "sql"), 1);
			checksum_v9(sum, sql);
			if (strcmp(sum, w->f[3]))
				fail_msg("%s::%s::%s: md5sum %s, expected %s",
					 vf->file, id, author, sum, w->f[3]);
			if (!vf->deployment ||
			    !strcmp(w->f[12], vf->deployment))
				assert_string_equal(comment ? comment : "",
						    w->f[5]);
			w->used = true;
			checked++;
		}
		free(id);
		free(sql);
	}
	/* every row this file wrote was recomputed */
	for (size_t i = 0; i < r.n; i++)
		if (file_writes(root, vf->name, r.v[i].f[2]))
			expected++;
	assert_int_equal(checked, expected);
	assert_true(checked > 0);
	free_rows(&r);
}

static void test_vector_checksums(void **state)
{
	(void)state;
	for (size_t i = 0; i < MG_ARRAY_SIZE(vector_files); i++) {
		check_vector_file(&vector_files[i]);
		mg_arena_release(&arena);
	}
}

/* ---- vectors: structure ---- */

static void test_vector_basic(void **state)
{
	mg_node *root = parse_vector("62-fsql-basic/changelog.sql",
				     "changelog.sql");
	mg_node *cs = changeset(root, 0), *q = changeset(root, 2);

	(void)state;
	assert_int_equal(cs->line, 3);
	assert_int_equal(cs->col, 1);
	assert_attr(cs, "id", "1");
	assert_attr(cs, "author", "sql-author");
	assert_int_equal(mg_node_child(cs, "id")->col, 24);
	assert_string_equal(mg_node_get(cs, "comment"),
			    "creates the first table");
	assert_string_equal(sql_of(cs), "CREATE TABLE f_basic (\n"
			    "    id int PRIMARY KEY,\n    name varchar(20)\n);");
	assert_int_equal(mg_node_child(cs, "sql")->line, 5);
	assert_attr(mg_node_child(cs, "sql"), "splitStatements", "true");
	assert_attr(mg_node_child(cs, "sql"), "stripComments", "true");
	assert_attr(mg_node_child(cs, "sql"), "endDelimiter", NULL);
	assert_string_equal(mg_node_get(cs, "rollback"), "DROP TABLE f_basic;");
	assert_string_equal(mg_node_get(changeset(root, 1), "rollback"),
			    "DELETE FROM f_basic WHERE id IN (1, 2);");
	assert_attr(q, "id", "id with spaces");
	assert_attr(q, "author", "quoted author");
	assert_null(mg_node_child(q, "rollback"));
	cs = changeset(root, 3);
	assert_attr(cs, "labels", "lbl1");
	assert_attr(cs, "context", "dev");
	assert_string_equal(mg_node_get(cs, "rollback"),
			    "ALTER TABLE f_basic DROP COLUMN extra;");
}

static void test_vector_attributes(void **state)
{
	mg_node *root = parse_vector("65-fsql-attributes/changelog.sql",
				     "changelog.sql");
	mg_node *cs = changeset(root, 0);

	(void)state;
	assert_attr(cs, "runOnChange", "true");
	assert_attr(cs, "runAlways", "false");
	assert_attr(cs, "context", "dev or test");
	assert_attr(cs, "labels", "a,b");
	assert_attr(cs, "failOnError", "true");
	assert_attr(cs, "runInTransaction", "true");
	cs = changeset(root, 1);
	assert_attr(mg_node_child(cs, "sql"), "splitStatements", "false");
	assert_attr(mg_node_child(cs, "sql"), "endDelimiter", ";");
	cs = changeset(root, 2);
	assert_attr(mg_node_child(cs, "sql"), "stripComments", "true");
	assert_string_equal(sql_of(cs),
			    "-- this comment is stripped before execution but "
			    "still part of the checksum\n"
			    "INSERT INTO f_attr VALUES (3);");
	assert_attr(changeset(root, 3), "dbms", "postgresql");
	assert_attr(changeset(root, 4), "dbms", "oracle");
	assert_attr(changeset(root, 5), "contextFilter", "prod,dev");
	assert_attr(changeset(root, 5), "context", NULL);
	cs = changeset(root, 6);
	assert_attr(mg_node_child(cs, "sql"), "endDelimiter", "GO");
	assert_string_equal(sql_of(cs), "INSERT INTO f_attr VALUES (7)\nGO\n"
			    "INSERT INTO f_attr VALUES (8)\nGO");
	assert_attr(changeset(root, 7), "ignore", "true");
	assert_string_equal(mg_node_get(changeset(root, 8), "validCheckSum"),
			    "ANY");
	assert_int_equal(count_named(root, "changeSet"), 9);
}

static void test_vector_logical_file_path(void **state)
{
	mg_node *root = parse_vector("66-fsql-logicalfilepath/changelog.sql",
				     "changelog.sql");

	(void)state;
	assert_attr(root, "logicalFilePath", "logical/fsql-root.sql");
	assert_attr(changeset(root, 0), "logicalFilePath", NULL);
	assert_attr(changeset(root, 1), "logicalFilePath",
		    "explicit/changeset.sql");
}

static void test_vector_properties(void **state)
{
	mg_node *root = parse_vector("67-fsql-properties/changelog.sql",
				     "changelog.sql");
	mg_node *p = root->first->next;

	(void)state;
	assert_string_equal(p->name, "property");
	assert_int_equal(p->line, 3);
	assert_attr(p, "name", "ftable");
	assert_attr(p, "value", "f_props");
	p = p->next->next;
	assert_attr(p, "name", "pgonly");
	assert_attr(p, "dbms", "postgresql");
	assert_attr(p, "global", NULL);
	/* the parser does not expand: the loader does */
	assert_attr(changeset(root, 0), "id", "${ftable}-1");
	assert_string_equal(sql_of(changeset(root, 0)),
			    "CREATE TABLE ${ftable} (v varchar(40));");
	assert_string_equal(mg_node_get(changeset(root, 1), "rollback"),
			    "DELETE FROM ${ftable};");
}

static void test_vector_rollbacks(void **state)
{
	mg_node *root = parse_vector("69-fsql-multiline-rollback/changelog.sql",
				     "changelog.sql");
	mg_node *rb;
	/* rollback-count-4.sql */
	static const char *const one[] = { "DELETE FROM f_mlr",
					   "DROP TABLE f_mlr" };
	static const char *const two[] = { "DELETE FROM f_mlr WHERE id = 2",
					   "SELECT 1" };
	static const char *const look[] = { "DROP TABLE g_look", "SELECT 1" };

	(void)state;
	/* block lines are concatenated without separators (4.28) */
	assert_string_equal(mg_node_get(changeset(root, 0), "rollback"),
			    "DELETE FROM f_mlr;DROP TABLE f_mlr;");
	assert_statements(mg_node_get(changeset(root, 0), "rollback"), false,
			  one, 2);
	assert_statements(mg_node_get(changeset(root, 1), "rollback"), false,
			  two, 2);
	rb = mg_node_child(changeset(root, 2), "rollback");
	assert_non_null(rb);
	assert_null(rb->value);
	assert_null(rb->first);
	rb = mg_node_child(changeset(root, 3), "rollback");
	assert_null(rb->value);
	assert_attr(rb, "changeSetId", "2");
	assert_attr(rb, "changeSetAuthor", "mlr");
	assert_attr(rb, "changeSetPath", NULL);

	root = parse_vector("80-fsql-directive-lookalike-comments/changelog.sql",
			    "changelog.sql");
	assert_string_equal(mg_node_get(changeset(root, 0), "comment"),
			    "about the table below");
	assert_string_equal(sql_of(changeset(root, 0)),
			    "CREATE TABLE g_look (id int);\n-- other comment");
	/* rollback-count-1.sql */
	assert_statements(mg_node_get(changeset(root, 0), "rollback"), false,
			  look, 2);
}

static void test_vector_preconditions(void **state)
{
	mg_node *root = parse_vector("70-fsql-preconditions/changelog.sql",
				     "changelog.sql");
	mg_node *pc = mg_node_child(changeset(root, 1), "preConditions");
	mg_node *c;

	(void)state;
	assert_null(mg_node_child(changeset(root, 0), "preConditions"));
	assert_non_null(pc);
	assert_int_equal(pc->line, 7);
	assert_attr(pc, "onFail", "MARK_RAN");
	assert_attr(pc, "onError", "HALT");
	c = mg_node_child(pc, "sqlCheck");
	assert_non_null(c);
	assert_attr(c, "expectedResult", "0");
	assert_string_equal(c->value, "SELECT count(*) FROM "
			    "information_schema.tables WHERE table_name = 'f_pre'");
	pc = mg_node_child(changeset(root, 2), "preConditions");
	assert_attr(pc, "onFail", "HALT");
	assert_attr(pc, "onError", NULL);
	c = mg_node_child(pc, "tableExists");
	assert_attr(c, "tableName", "f_pre");
	assert_attr(c, "schemaName", "public");
	c = mg_node_child(mg_node_child(changeset(root, 3), "preConditions"),
			  "sqlCheck");
	assert_attr(c, "expectedResult", "42");
	assert_string_equal(c->value, "SELECT 1");
	/* directive lines are not part of the body */
	assert_string_equal(sql_of(changeset(root, 1)),
			    "CREATE TABLE f_pre (id int);");
}

static void test_vector_line_endings(void **state)
{
	mg_node *root = parse_vector("63-fsql-crlf/changelog.sql",
				     "changelog.sql");

	(void)state;
	assert_string_equal(sql_of(changeset(root, 0)),
			    "CREATE TABLE f_crlf (\n    id int\n);");
	assert_string_equal(mg_node_get(changeset(root, 0), "rollback"),
			    "DROP TABLE f_crlf;");
	assert_string_equal(mg_node_get(changeset(root, 1), "comment"),
			    "windows line endings");
	root = parse_vector("68-fsql-unicode/bom.sql", "bom.sql");
	assert_attr(changeset(root, 0), "id", "1");
	assert_string_equal(sql_of(changeset(root, 0)),
			    "INSERT INTO f_uni VALUES ('bom');");
	root = parse_vector("68-fsql-unicode/changelog.sql", "changelog.sql");
	assert_attr(changeset(root, 0), "author", "\xc3\xbcn\xc3\xaf");
}

static void test_vector_trailing_empty_changeset(void **state)
{
	mg_node *root = parse_vector(
		"78-fsql-trailing-empty-changeset/changelog.sql",
		"changelog.sql");
	mg_node *last = changeset(root, 1);

	(void)state;
	assert_string_equal(sql_of(last), sql_of(changeset(root, 0)));
	assert_attr(mg_node_child(last, "sql"), "reusedBody", "true");
	assert_attr(mg_node_child(changeset(root, 0), "sql"), "reusedBody",
		    NULL);
	assert_string_equal(mg_node_get(last, "comment"),
			    "this last changeset has no SQL body at all");
}

static void test_vector_comments_in_body(void **state)
{
	mg_node *root = parse_vector("71-fsql-comments-in-body/changelog.sql",
				     "changelog.sql");

	(void)state;
	assert_string_equal(sql_of(changeset(root, 0)),
			    "-- a plain SQL comment inside the body\n"
			    "CREATE TABLE f_cmt (id int); -- trailing comment\n"
			    "/* block\n   comment */");
	assert_null(mg_node_get(changeset(root, 0), "comment"));
	assert_string_equal(mg_node_get(changeset(root, 2), "comment"),
			    "a --comment line is metadata and is not part of "
			    "the SQL");
	assert_string_equal(sql_of(changeset(root, 2)),
			    "CREATE TABLE f_cmt3 (id int);");
	assert_string_equal(mg_node_get(changeset(root, 2), "rollback"),
			    "DROP TABLE f_cmt3;");
}

/* ---- header detection ---- */

static mg_node sentinel;

static void assert_not_formatted(const char *text)
{
	mg_node *root = &sentinel;

	mg_error_clear();
	assert_int_equal(mg_parse_sqlfile(&root, &arena, "plain.sql", text,
					  strlen(text)),
			 MG_ENOTFOUND);
	assert_null(root);
	assert_int_equal(mg_error_last()->code, 0);
	assert_null(mg_error_last()->message);
}

static void test_not_formatted(void **state)
{
	(void)state;
	assert_not_formatted("");
	assert_not_formatted("\n\n   \n");
	assert_not_formatted("CREATE TABLE t (id int);\n");
	assert_not_formatted("-- a plain SQL file\n--liquibase formatted sql\n");
	assert_not_formatted("--liquibase\n--changeset a:1\nSELECT 1;\n");
	assert_not_formatted("--liquibase-formatted sql\n");
}

static void test_header_variants(void **state)
{
	mg_node *root;

	(void)state;
	root = parse("\n  \n--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n");
	assert_attr(changeset(root, 0), "id", "1");
	assert_int_equal(changeset(root, 0)->line, 4);
	parse("  -- Liquibase Formatted SQL\n");
	parse("--LIQUIBASE FORMATTEDxyz\n");
	parse("\xef\xbb\xbf--liquibase formatted sql");
	root = parse("--liquibase formatted sql\r--changeset a:1\rSELECT 1;\r"
		     "SELECT 2;\r");
	assert_string_equal(sql_of(changeset(root, 0)), "SELECT 1;\nSELECT 2;");
	assert_int_equal(mg_node_child(changeset(root, 0), "sql")->line, 3);
	assert_int_equal(count_named(root, "changeSet"), 1);
	assert_null(mg_node_child(parse("--liquibase formatted sql"),
				  "changeSet"));
}

/* 4.28 re-reads logicalFilePath on every header line, even one in a
 * changeset body (where it is also SQL). */
static void test_header_reread(void **state)
{
	mg_node *root = parse_as("q1.sql",
		"--liquibase formatted sql logicalFilePath:first/path.sql\n"
		"--changeset q:1\nSELECT 1;\n--liquibase formatted sql\n"
		"--changeset q:2\nSELECT 2;\n");

	(void)state;
	assert_attr(root, "logicalFilePath", NULL);
	assert_attr(changeset(root, 0), "logicalFilePath", "first/path.sql");
	assert_attr(changeset(root, 1), "logicalFilePath", NULL); /* q1.sql */
	assert_string_equal(sql_of(changeset(root, 0)),
			    "SELECT 1;\n--liquibase formatted sql");
	root = parse("--liquibase formatted sql\n--changeset q:1\nSELECT 1;\n"
		     "--liquibase formatted sql logicalFilePath:b.sql\n"
		     "--changeset q:2 logicalFilePath:\nSELECT 2;\n");
	assert_attr(root, "logicalFilePath", "b.sql");
	assert_attr(changeset(root, 0), "logicalFilePath", "t.sql");
	assert_attr(changeset(root, 1), "logicalFilePath", NULL);
}

/* ---- changeset lines ---- */

static void test_changeset_line(void **state)
{
	mg_node *root = parse(
		"--liquibase formatted sql\n"
		"  --  ChangeSet \"a:b\":\"x y\" context:x context:\"y z\" "
		"labels:'L1' dbms: pg runWith:psql runWithSpoolFile:out.txt more\n"
		"SELECT 1;\n"
		"--changeset au.th-or:id.1 contextFilter: context:dev "
		"rollbackSplitStatements:false rollbackEndDelimiter:@@ "
		"ignore: runOnChange:yes\n"
		"SELECT 2;\n"
		"--rollback SELECT 3; SELECT 4;\n");
	mg_node *cs = changeset(root, 0), *sql;

	(void)state;
	assert_attr(cs, "author", "a:b");
	assert_attr(cs, "id", "x y");
	assert_int_equal(mg_node_child(cs, "author")->col, 17);
	/* the last occurrence wins, enclosing quotes are removed */
	assert_attr(cs, "context", "y z");
	assert_attr(cs, "labels", "L1");
	assert_attr(cs, "dbms", " pg");
	assert_attr(cs, "runWith", "psql");
	assert_attr(cs, "runWithSpoolFile", "out.txt more");
	cs = changeset(root, 1);
	assert_attr(cs, "author", "au.th-or");
	assert_attr(cs, "id", "id.1");
	/* an empty contextFilter falls back to context */
	assert_attr(cs, "contextFilter", NULL);
	assert_attr(cs, "context", "dev");
	assert_attr(cs, "ignore", "");
	assert_attr(cs, "runOnChange", "yes");
	/* rollbackSplitStatements:/rollbackEndDelimiter: contain
	 * splitStatements:/endDelimiter: (case-insensitive): 4.28 applies
	 * them to the change too */
	sql = mg_node_child(cs, "sql");
	assert_attr(sql, "splitStatements", "false");
	assert_attr(sql, "endDelimiter", "@@");
	assert_string_equal(mg_node_get(cs, "rollback"), "SELECT 3; SELECT 4;");
	assert_attr(mg_node_child(cs, "rollback"), "splitStatements", "false");
	assert_attr(mg_node_child(cs, "rollback"), "endDelimiter", "@@");
}

static void test_directive_lookalikes(void **state)
{
	mg_node *root = parse(
		"--liquibase formatted sql\n"
		"--changeset a:1\n"
		"--comment\n"           /* no text: SQL, not a directive */
		"--comment:x\n"         /* no space: SQL */
		"-- COMMENT: first\n"
		"--comment:  second\n"  /* last wins, as written */
		"   -- rollback DROP TABLE t;\n"
		"--rollback\n"          /* no text: SQL */
		"--validCheckSum 9:abc\n"
		"--validCheckSum: ANY\n"
		"SELECT 1;\n");
	mg_node *cs = changeset(root, 0);

	(void)state;
	assert_string_equal(mg_node_get(cs, "comment"), " second");
	assert_int_equal(count_named(cs, "comment"), 1);
	assert_int_equal(count_named(cs, "validCheckSum"), 2);
	assert_string_equal(mg_node_get(cs, "validCheckSum"), "9:abc");
	assert_string_equal(mg_node_get(cs, "rollback"), "DROP TABLE t;");
	assert_string_equal(sql_of(cs),
			    "--comment\n--comment:x\n--rollback\nSELECT 1;");
}

static void test_properties_and_ignore(void **state)
{
	mg_node *root = parse(
		"--liquibase formatted sql\n"
		"--property name:a value:1 context:\"x, y\" labels:l dbms:pg "
		"global:false\n"
		"--changeset a:1\n"
		"SELECT 1;\n"
		"--property  name: b  value:2\n"
		"--ignoreLines:start\n"
		"--changeset a:hidden\n"
		"--ignoreLines:START\n"
		"--ignoreLines:end\n"
		"--ignoreLines:2\n"
		"SELECT 'skipped';\n"
		"--rollback skipped\n"
		"SELECT 2;\n");
	mg_node *p = root->first->next;

	(void)state;
	assert_string_equal(p->name, "property");
	assert_attr(p, "name", "a");
	assert_attr(p, "value", "1");
	assert_attr(p, "context", "x, y");
	assert_attr(p, "labels", "l");
	assert_attr(p, "dbms", "pg");
	assert_attr(p, "global", "false");
	/* a property inside a changeset is defined before its body is
	 * finished, so it precedes the changeset */
	p = p->next;
	assert_string_equal(p->name, "property");
	assert_attr(p, "name", "b");
	assert_attr(p, "value", "2");
	assert_string_equal(p->next->name, "changeSet");
	assert_int_equal(count_named(root, "changeSet"), 1);
	assert_string_equal(sql_of(changeset(root, 0)), "SELECT 1;\nSELECT 2;");
	assert_null(mg_node_child(changeset(root, 0), "rollback"));
}

static void test_rollback_forms(void **state)
{
	mg_node *root = parse(
		"--liquibase formatted sql\n"
		"--changeset a:1\nSELECT 1;\n--rollback not required\n"
		"--changeset a:2\nSELECT 2;\n--rollback EMPTY\n"
		"--changeset a:3\nSELECT 3;\n--rollback not required\n"
		"--rollback SELECT 'r';\n"
		"--changeset a:4\nSELECT 4;\n"
		"--rollback changesetId:1 changesetAuthor:a changesetPath:t.sql\n"
		"--changeset a:5\nSELECT 5;\n--rollback A;\n"
		"/* liquibase rollback\nB;\n C; */\n"
		"/*   Liquibase  Rollback  \n*/\n"
		"--changeset a:6\nSELECT 6;\n--rollback   \n");
	mg_node *rb;

	(void)state;
	rb = mg_node_child(changeset(root, 0), "rollback");
	assert_null(rb->value);
	assert_null(rb->first);
	assert_null(mg_node_child(changeset(root, 1), "rollback")->value);
	/* `.` does not cross the line break: this is SQL */
	assert_string_equal(mg_node_get(changeset(root, 2), "rollback"),
			    "not required\nSELECT 'r';");
	rb = mg_node_child(changeset(root, 3), "rollback");
	assert_attr(rb, "changeSetId", "1");
	assert_attr(rb, "changeSetAuthor", "a");
	assert_attr(rb, "changeSetPath", "t.sql");
	assert_string_equal(mg_node_get(changeset(root, 4), "rollback"),
			    "A;\nB; C;");
	assert_int_equal(mg_node_child(changeset(root, 4), "rollback")->line,
			 17);
	assert_null(mg_node_child(changeset(root, 5), "rollback"));
	assert_string_equal(sql_of(changeset(root, 4)), "SELECT 5;");
}

static void test_last_changeset_rules(void **state)
{
	mg_node *root;

	(void)state;
	/* no body line: previous SQL kept, rollback lost (4.28) */
	root = parse("--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n"
		     "--changeset a:2\n--rollback SELECT 9;\n");
	assert_string_equal(sql_of(changeset(root, 1)), "SELECT 1;");
	assert_attr(mg_node_child(changeset(root, 1), "sql"), "reusedBody",
		    "true");
	assert_null(mg_node_child(changeset(root, 1), "rollback"));
	/* blank lines only: empty SQL */
	root = parse("--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n"
		     "--changeset a:2\n\n  \n--rollback SELECT 9;\n");
	assert_string_equal(sql_of(changeset(root, 1)), "");
	assert_attr(mg_node_child(changeset(root, 1), "sql"), "reusedBody",
		    NULL);
	assert_string_equal(mg_node_get(changeset(root, 1), "rollback"),
			    "SELECT 9;");
	/* a lone changeset without body */
	root = parse("--liquibase formatted sql\n--changeset a:1\n");
	assert_string_equal(sql_of(changeset(root, 0)), "");
	assert_attr(mg_node_child(changeset(root, 0), "sql"), "reusedBody",
		    NULL);
	assert_int_equal(mg_node_child(changeset(root, 0), "sql")->line, 2);
	/* only the last changeset gets the "\n/$" end delimiter */
	root = parse("--liquibase formatted sql\n--changeset a:1\nSELECT 1\n/\n"
		     "--changeset a:2\nSELECT 2\n/\n");
	assert_attr(mg_node_child(changeset(root, 0), "sql"), "endDelimiter",
		    NULL);
	assert_attr(mg_node_child(changeset(root, 1), "sql"), "endDelimiter",
		    "\n/$");
}

static void test_preconditions(void **state)
{
	mg_node *root = parse(
		"--liquibase formatted sql\n"
		"--changeset a:1\n"
		"--precondition-sql-check expectedResult:'a b' SELECT 'a b'\n"
		"--precondition-view-exists view:v schema:s\n"
		"SELECT 1;\n"
		"--changeset a:2\n"
		"--precondition-sql-check 0 SELECT 0\n"
		"--preconditions onFail:WARN onUpdateSQL:TEST\n"
		"--precondition-sql-check \"x\" SELECT 2\n"
		"--precondition-table-exists table:${t} schema:${s}\n"
		"--precondition-sql-check expectedResult:${n} SELECT 3\n"
		"SELECT 2;\n");
	mg_node *pc = mg_node_child(changeset(root, 0), "preConditions"), *c;

	(void)state;
	assert_null(pc->first->next->next);
	assert_attr(pc, "onFail", NULL);
	c = mg_node_child(pc, "sqlCheck");
	assert_attr(c, "expectedResult", "a b");
	assert_string_equal(c->value, "SELECT 'a b'");
	c = mg_node_child(pc, "viewExists");
	assert_attr(c, "viewName", "v");
	assert_attr(c, "schemaName", "s");
	/* a --preconditions line starts a new container */
	pc = mg_node_child(changeset(root, 1), "preConditions");
	assert_attr(pc, "onFail", "WARN");
	assert_attr(pc, "onSqlOutput", "TEST");
	c = mg_node_child(pc, "sqlCheck");
	assert_attr(c, "expectedResult", "x");
	assert_string_equal(c->value, "SELECT 2");
	c = mg_node_child(pc, "tableExists");
	assert_attr(c, "tableName", "${t}");
	assert_attr(c, "schemaName", "${s}");
	assert_attr(c->next, "expectedResult", "${n}");
	assert_int_equal(count_named(pc, "sqlCheck"), 2);
}

/* ---- errors ---- */

static void assert_error(const char *text, const char *message, int line)
{
	mg_node *root = &sentinel;
	const mg_error *e;

	mg_error_clear();
	assert_int_equal(mg_parse_sqlfile(&root, &arena, "bad.sql", text,
					  strlen(text)),
			 MG_EPARSE);
	assert_null(root);
	e = mg_error_last();
	assert_int_equal(e->code, MG_EPARSE);
	if (!strstr(e->message, message))
		fail_msg("message '%s' lacks '%s'", e->message, message);
	assert_string_equal(e->file, "bad.sql");
	assert_int_equal(e->line, line);
	assert_int_equal(e->col, 1);
}

#define H "--liquibase formatted sql\n"
#define CS "--changeset a:1\n"

static void test_errors(void **state)
{
	(void)state;
	assert_error(H CS "\n  \n--changeset a:2\nSELECT 1;\n",
		     "no SQL for changeset 'bad.sql::1::a'", 2);
	assert_error(H "--comment: too early\n" CS "SELECT 1;\n",
		     "comment lines outside of changesets", 2);
	assert_error(H CS "SELECT 1;\n/* liquibase rollback\nDROP x;\n",
		     "liquibase rollback comment is not closed", 4);
	assert_error(H "-changeset a:1\nSELECT 1;\n",
		     "expected '--changeset <authorname>:<changesetId>'", 2);
	assert_error(H "--changeset a: 1\nSELECT 1;\n",
		     "expected '--changeset <authorname>:<changesetId>'", 2);
	assert_error(H CS "SELECT 1;\n-- changeset notes follow\n",
		     "expected '--changeset <authorname>:<changesetId>'", 4);
	assert_error(H CS "--comments: x\nSELECT 1;\n",
		     "expected '--comment <comment>'", 3);
	assert_error(H CS "-comment x\nSELECT 1;\n",
		     "expected '--comment <comment>'", 3);
	assert_error(H "--property name:x\n", "expected '--property name=", 2);
	assert_error(H CS "SELECT 1;\n-- property of the table: x\n",
		     "expected '--property name=", 4);
	assert_error(H "--ignoreLines:abc\n",
		     "unknown ignoreLines syntax 'abc'", 2);
	assert_error(H CS "--ignore:true\nSELECT 1;\n",
		     "expected '--ignoreLines:<count|start>'", 3);
	assert_error(H "--ignoreLines:start\n-ignoreLines:end\n",
		     "expected '--ignoreLines:end'", 3);
	assert_error(H CS "SELECT 1;\n-rollback x\n",
		     "expected '--rollback <rollback SQL>'", 4);
	assert_error(H CS "-validCheckSum x\nSELECT 1;\n",
		     "expected '--validChecksum <checksum>'", 3);
	assert_error(H CS "- preconditions onFail:HALT\nSELECT 1;\n",
		     "expected '--preconditions", 3);
	assert_error(H CS "--precondition-foo-bar x\nSELECT 1;\n",
		     "the 'foo-bar' precondition type is not supported", 3);
	assert_error(H CS "--precondition-SQL-CHECK 1 SELECT 1\nSELECT 1;\n",
		     "the 'SQL-CHECK' precondition type is not supported", 3);
	assert_error(H CS "--precondition-sql-check\nSELECT 1;\n",
		     "precondition sql-check is missing", 3);
	assert_error(H CS "--precondition-sql-check abc\nSELECT 1;\n",
		     "could not parse a sql-check precondition from 'abc'", 3);
	assert_error(H CS "--precondition-table-exists schema:x\nSELECT 1;\n",
		     "table name was not specified", 3);
	assert_error(H CS "--preconditions onUpdateSQL:FAIL onSqlOutput:TEST\n",
		     "both 'onUpdateSql' and 'onSqlOutput'", 3);
	assert_error(H CS "SELECT 1;\n--rollback changesetId:1\n",
		     "'changesetAuthor' not set in rollback block", 4);
	assert_error(H CS "SELECT 1;\n--rollback DELETE FROM t WHERE "
		     "changesetid = 1\n",
		     "'changesetId' not set in rollback block", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_vector_checksums),
		T(test_vector_basic),
		T(test_vector_attributes),
		T(test_vector_logical_file_path),
		T(test_vector_properties),
		T(test_vector_rollbacks),
		T(test_vector_preconditions),
		T(test_vector_line_endings),
		T(test_vector_trailing_empty_changeset),
		T(test_vector_comments_in_body),
		T(test_not_formatted),
		T(test_header_variants),
		T(test_header_reread),
		T(test_changeset_line),
		T(test_directive_lookalikes),
		T(test_properties_and_ignore),
		T(test_rollback_forms),
		T(test_last_changeset_rules),
		T(test_preconditions),
		T(test_errors),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
