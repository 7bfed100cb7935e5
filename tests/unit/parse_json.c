/*
 * parse_json.c: the JSON changelog parser (parse/json.c). Liquibase
 * reads JSON with SnakeYAML, so values are typed as YAML would type them
 * (expected values produced by SnakeYAML 2.2 loading the same JSON),
 * duplicate keys keep the last value at its place, and every node has
 * the line and column of its key or value.
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
#include "migrator/node.h"
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

static mg_node *parse_len(const char *text, size_t len)
{
	mg_node *root = NULL;

	if (mg_parse_json(&root, &arena, "t.json", text, len) < 0)
		fail_msg("parse failed: %s (%d:%d)", mg_error_last()->message,
			 mg_error_last()->line, mg_error_last()->col);
	assert_non_null(root);
	assert_string_equal(root->name, "databaseChangeLog");
	return root;
}

static mg_node *parse(const char *text)
{
	return parse_len(text, strlen(text));
}

static mg_node *parse_file(const char *path)
{
	mg_node *root = NULL;
	char *text;
	size_t len;

	assert_int_equal(mg_read_file(&text, &len, path), 0);
	if (mg_parse_json(&root, &arena, path, text, len) < 0)
		fail_msg("%s: %s", path, mg_error_last()->message);
	free(text);
	return root;
}

static void assert_error(const char *text, const char *message, int line,
			 int col)
{
	static mg_node sentinel;
	mg_node *root = &sentinel;
	const mg_error *e;

	assert_int_equal(
	    mg_parse_json(&root, &arena, "bad.json", text, strlen(text)),
	    MG_EPARSE);
	assert_null(root);
	e = mg_error_last();
	assert_int_equal(e->code, MG_EPARSE);
	assert_string_equal(e->message, message);
	assert_non_null(e->file);
	assert_string_equal(e->file, "bad.json");
	assert_int_equal(e->line, line);
	assert_int_equal(e->col, col);
}

static mg_node *nth(const mg_node *n, size_t i)
{
	mg_node *c = n->first;

	while (c && i--)
		c = c->next;
	if (!c)
		fail_msg("node '%s' has too few children",
			 n->name ? n->name : "-");
	return c;
}

static mg_node *child(const mg_node *n, const char *name)
{
	mg_node *c = mg_node_child(n, name);

	if (!c)
		fail_msg("node '%s' has no child '%s'", n->name ? n->name : "-",
			 name);
	return c;
}

static void assert_scalar(const mg_node *n, mg_scalar_kind kind,
			  const char *value)
{
	assert_int_equal(n->kind, kind);
	if (value) {
		assert_non_null(n->value);
		assert_string_equal(n->value, value);
	} else {
		assert_null(n->value);
	}
	assert_null(n->first);
}

static void assert_pos(const mg_node *n, unsigned line, unsigned col)
{
	assert_int_equal(n->line, line);
	assert_int_equal(n->col, col);
}

static const struct typing_case {
	const char *text;
	mg_scalar_kind kind;
	const char *value;
} typing[] = {
    {"2.50", MG_SCALAR_FLOAT, "2.5"},
    {"5", MG_SCALAR_INT, "5"},
    {"-0", MG_SCALAR_INT, "0"},
    {"-2147483649", MG_SCALAR_INT, "-2147483649"},
    {"99999999999999999999", MG_SCALAR_INT, "99999999999999999999"},
    {"0.1", MG_SCALAR_FLOAT, "0.1"},
    {"-1.0", MG_SCALAR_FLOAT, "-1.0"},
    {"1E2", MG_SCALAR_FLOAT, "100.0"},
    {"1e10", MG_SCALAR_FLOAT, "1.0E10"},
    {"1.5e-7", MG_SCALAR_FLOAT, "1.5E-7"},
    {"123456789.125", MG_SCALAR_FLOAT, "1.23456789125E8"},
    {"true", MG_SCALAR_BOOL, "true"},
    {"false", MG_SCALAR_BOOL, "false"},
    {"null", MG_SCALAR_NULL, NULL},
    {"\"5\"", MG_SCALAR_STRING, "5"},
    {"\"yes\"", MG_SCALAR_STRING, "yes"},
    {"\"null\"", MG_SCALAR_STRING, "null"},
    {"\"2000-01-01\"", MG_SCALAR_STRING, "2000-01-01"},
    {"\"\"", MG_SCALAR_STRING, ""},
    {"\"a\\\"b\\\\c\\/d\\n\"", MG_SCALAR_STRING, "a\"b\\c/d\n"},
    {"\"\\u00e9\\ud83d\\ude00\"", MG_SCALAR_STRING, "\xC3\xA9\xF0\x9F\x98\x80"},
};

static void test_scalar_typing(void **state)
{
	(void)state;
	for (size_t i = 0; i < MG_ARRAY_SIZE(typing); i++) {
		mg_buf text = MG_BUF_INIT;
		mg_node *v;

		mg_buf_printf(&text, "{\"databaseChangeLog\": [{\"v\": %s}]}",
			      typing[i].text);
		v = nth(parse(text.ptr), 0);
		assert_string_equal(v->name, "v");
		if (v->kind != typing[i].kind ||
		    !mg_streq(v->value, typing[i].value))
			fail_msg("%s: got kind %d '%s', want %d '%s'",
				 typing[i].text, v->kind,
				 v->value ? v->value : "(null)", typing[i].kind,
				 typing[i].value ? typing[i].value : "(null)");
		mg_buf_release(&text);
	}
}

static void test_shape_and_positions(void **state)
{
	mg_node *root =
	    parse("{\n"
		  "  \"ignored\": {\"x\": 1},\n"
		  "  \"databaseChangeLog\": [\n"
		  "    {\"changeSet\": {\"id\": \"a\",\n"
		  "                   \"validCheckSum\": [\"x\", 7],\n"
		  "                   \"changes\": []}},\n"
		  "    {\"a\": 1, \"b\": null},\n"
		  "    \"plain\",\n"
		  "    {\"sql\": \"SELECT 1\"}\n"
		  "  ]\n"
		  "}\n");
	mg_node *cs = nth(root, 0), *item;

	(void)state;
	assert_int_equal(mg_node_count(root), 4);
	assert_pos(root, 3, 3);
	assert_string_equal(cs->name, "changeSet");
	assert_ptr_equal(cs->parent, root);
	assert_pos(cs, 4, 6);
	assert_pos(child(cs, "id"), 4, 20);
	item = child(cs, "validCheckSum");
	assert_pos(item, 5, 20);
	assert_null(nth(item, 0)->name);
	assert_scalar(nth(item, 0), MG_SCALAR_STRING, "x");
	assert_pos(nth(item, 1), 5, 43);
	assert_scalar(nth(item, 1), MG_SCALAR_INT, "7");
	assert_int_equal(mg_node_count(child(cs, "changes")), 0);
	item = nth(root, 1);
	assert_null(item->name);
	assert_pos(item, 7, 5);
	assert_scalar(child(item, "b"), MG_SCALAR_NULL, NULL);
	assert_scalar(nth(root, 2), MG_SCALAR_STRING, "plain");
	assert_pos(nth(root, 2), 8, 5);
	item = nth(root, 3);
	assert_string_equal(item->name, "sql");
	assert_scalar(item, MG_SCALAR_STRING, "SELECT 1");
	assert_pos(item, 9, 6);
	assert_string_equal(item->file, "t.json");
}

static void test_unicode_columns(void **state)
{
	mg_node *cs =
	    nth(parse("{\"databaseChangeLog\": [{\"changeSet\": "
		      "{\"x\": \"\xE6\x97\xA5\xE6\x9C\xAC\", \"y\": 1}}]}"),
		0);

	(void)state;
	assert_pos(child(cs, "x"), 1, 39);
	/* columns count characters, as jansson's do */
	assert_pos(child(cs, "y"), 1, 50);
}

/* SnakeYAML semantics, not jansson's: the last duplicate, at its place. */
static void test_duplicate_keys(void **state)
{
	mg_node *root = parse("{\"databaseChangeLog\": [],\n"
			      " \"databaseChangeLog\": [{\"changeSet\": "
			      "{\"a\": 1, \"b\": 2, \"\\u0061\": 3}}]}");
	mg_node *cs = nth(root, 0);

	(void)state;
	assert_pos(root, 2, 2);
	assert_int_equal(mg_node_count(cs), 2);
	assert_string_equal(nth(cs, 0)->name, "b");
	assert_string_equal(nth(cs, 1)->name, "a");
	assert_scalar(nth(cs, 1), MG_SCALAR_INT, "3");
	assert_pos(nth(cs, 1), 2, 55);
}

static void test_escaped_key_and_bom(void **state)
{
	const char text[] = "\xEF\xBB\xBF{\"databaseChang\\u0065Log\": "
			    "[{\"a\": 1}]}";
	mg_node *root = parse_len(text, sizeof(text) - 1);

	(void)state;
	assert_pos(root, 1, 2);
	assert_scalar(nth(root, 0), MG_SCALAR_INT, "1");
}

static void test_errors(void **state)
{
	mg_node *root = NULL;

	(void)state;
	assert_int_equal(mg_parse_json(&root, &arena, "nil.json", NULL, 0),
			 MG_EPARSE);
	assert_null(root);
	assert_string_equal(mg_error_last()->message,
			    "'[' or '{' expected near end of file");
	assert_error("{\"databaseChangeLog\": [1, 2",
		     "']' expected near end of file", 1, 27);
	assert_error("{\n  \"databaseChangeLog\": [\n"
		     "    {\"changeSet\": {\"id\": 1,}}\n  ]\n}\n",
		     "string or '}' expected near '}'", 3, 28);
	assert_error("{a: 1}", "string or '}' expected near 'a'", 1, 2);
	assert_error("{\"databaseChangeLog\": []} x",
		     "end of file expected near 'x'", 1, 27);
	assert_error("", "'[' or '{' expected near end of file", 1, 1);
	assert_error("{}", "changelog is empty", 1, 1);
	assert_error("[1]", "expected a mapping at the top level", 1, 1);
	assert_error("{\"other\": 1}",
		     "could not find 'databaseChangeLog' at the top level", 1,
		     1);
	assert_error("{\"databaseChangeLog\": \"x\"}",
		     "'databaseChangeLog' is not a list of entries", 1, 23);
	assert_error("{\"databaseChangeLog\": [{\"a\": \"x\\u0000y\"}]}",
		     "string contains a NUL character", 1, 30);
}

static void test_nesting_limit(void **state)
{
	mg_buf ok = MG_BUF_INIT, bad = MG_BUF_INIT;

	(void)state;
	mg_buf_puts(&ok, "{\"databaseChangeLog\": ");
	mg_buf_puts(&bad, "{\"databaseChangeLog\": ");
	for (int i = 0; i < 49; i++)
		mg_buf_putc(&ok, '[');
	for (int i = 0; i < 50; i++)
		mg_buf_putc(&bad, '[');
	mg_buf_puts(&ok, "1");
	mg_buf_puts(&bad, "1");
	for (int i = 0; i < 49; i++)
		mg_buf_putc(&ok, ']');
	for (int i = 0; i < 50; i++)
		mg_buf_putc(&bad, ']');
	mg_buf_putc(&ok, '}');
	mg_buf_putc(&bad, '}');
	parse(ok.ptr);
	assert_error(bad.ptr, "nesting depth exceeds the maximum of 50", 1, 73);
	mg_buf_release(&ok);
	mg_buf_release(&bad);
}

static void test_vector_59(void **state)
{
	mg_node *root =
	    parse_file(VECTORS "/59-json-createtable/changelog.json");
	mg_node *cs = nth(root, 0), *cols, *col;

	(void)state;
	assert_int_equal(mg_node_count(root), 2);
	assert_pos(root, 2, 3);
	assert_string_equal(cs->name, "changeSet");
	assert_pos(cs, 4, 7);
	assert_scalar(child(cs, "id"), MG_SCALAR_STRING, "1");
	assert_pos(child(cs, "id"), 5, 9);
	assert_scalar(child(cs, "author"), MG_SCALAR_STRING, "jason");
	cols = child(child(child(cs, "changes"), "createTable"), "columns");
	assert_int_equal(mg_node_count(cols), 4);
	col = nth(cols, 0);
	assert_string_equal(col->name, "column");
	assert_pos(col, 12, 18);
	assert_pos(child(col, "name"), 12, 29);
	assert_scalar(child(col, "autoIncrement"), MG_SCALAR_BOOL, "true");
	assert_scalar(child(child(col, "constraints"), "nullable"),
		      MG_SCALAR_BOOL, "false");
	assert_pos(child(child(col, "constraints"), "nullable"), 13, 65);
	assert_scalar(child(nth(cols, 2), "defaultValueNumeric"), MG_SCALAR_INT,
		      "5");
	assert_scalar(child(nth(cols, 3), "defaultValueNumeric"),
		      MG_SCALAR_FLOAT, "2.5");
	assert_pos(child(nth(cols, 3), "defaultValueNumeric"), 16, 66);
	assert_scalar(child(nth(root, 1), "author"), MG_SCALAR_STRING, "alice");
}

static void test_vector_60(void **state)
{
	mg_node *root = parse_file(VECTORS "/60-json-mixed/changelog.json");
	mg_node *changes;

	(void)state;
	assert_int_equal(mg_node_count(root), 3);
	assert_string_equal(nth(root, 0)->name, "property");
	assert_string_equal(mg_node_get(nth(root, 0), "value"), "j_items");
	changes = child(nth(root, 1), "changes");
	assert_scalar(child(nth(changes, 0), "tableName"), MG_SCALAR_STRING,
		      "${jt}");
	assert_scalar(child(nth(changes, 1), "unique"), MG_SCALAR_BOOL,
		      "false");
	changes = child(nth(root, 2), "changes");
	assert_scalar(child(nth(changes, 0), "startValue"), MG_SCALAR_INT, "7");
	assert_scalar(
	    child(nth(child(nth(changes, 1), "columns"), 1), "valueNumeric"),
	    MG_SCALAR_INT, "3");
}

static void test_vector_61(void **state)
{
	mg_node *root = parse_file(VECTORS "/61-json-sql/changelog.json");
	mg_node *sql;

	(void)state;
	assert_int_equal(mg_node_count(root), 3);
	sql = nth(child(nth(root, 0), "changes"), 0);
	assert_scalar(
	    child(sql, "sql"), MG_SCALAR_STRING,
	    "CREATE TABLE j_sql (id int);\nINSERT INTO j_sql VALUES (1);");
	sql = nth(child(nth(root, 0), "rollback"), 0);
	assert_scalar(child(sql, "sql"), MG_SCALAR_STRING, "DROP TABLE j_sql");
	sql = nth(child(nth(root, 1), "changes"), 0);
	assert_string_equal(sql->name, "sql");
	assert_scalar(sql, MG_SCALAR_STRING, "INSERT INTO j_sql VALUES (2)");
	sql = nth(child(nth(root, 2), "changes"), 0);
	assert_scalar(child(sql, "sql"), MG_SCALAR_STRING,
		      "COMMENT ON TABLE j_sql IS 'Gr\xC3\xBC\xC3\x9F"
		      "e "
		      "\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	    T(test_scalar_typing),	 T(test_shape_and_positions),
	    T(test_unicode_columns),	 T(test_duplicate_keys),
	    T(test_escaped_key_and_bom), T(test_errors),
	    T(test_nesting_limit),	 T(test_vector_59),
	    T(test_vector_60),		 T(test_vector_61),
#undef T
	};

	return cmocka_run_group_tests_name("parse_json", tests, NULL, NULL);
}
