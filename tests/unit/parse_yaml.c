/*
 * parse_yaml.c: the YAML changelog parser (parse/yaml.c) builds the tree
 * of node.h with SnakeYAML's scalar typing, positions from libyaml, and
 * located errors; every YAML and JSON file of the shared vectors parses.
 *
 * Expected typed values were produced by SnakeYAML 2.2 (the version
 * Liquibase 4.28 bundles) loading the same scalars.
 */
#include <dirent.h>
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

static mg_node *parse(const char *text)
{
	mg_node *root = NULL;

	if (mg_parse_yaml(&root, &arena, "t.yaml", text, strlen(text)) < 0)
		fail_msg("parse failed: %s (%d:%d)", mg_error_last()->message,
			 mg_error_last()->line, mg_error_last()->col);
	assert_non_null(root);
	assert_string_equal(root->name, "databaseChangeLog");
	return root;
}

static mg_node *parse_file(const char *path)
{
	mg_node *root = NULL;
	char *text;
	size_t len;

	assert_int_equal(mg_read_file(&text, &len, path), 0);
	if (mg_parse_yaml(&root, &arena, path, text, len) < 0)
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
	    mg_parse_yaml(&root, &arena, "bad.yaml", text, strlen(text)),
	    MG_EPARSE);
	assert_null(root);
	e = mg_error_last();
	assert_int_equal(e->code, MG_EPARSE);
	assert_string_equal(e->message, message);
	assert_non_null(e->file);
	assert_string_equal(e->file, "bad.yaml");
	assert_int_equal(e->line, line);
	assert_int_equal(e->col, col);
}

static mg_node *nth(const mg_node *n, size_t i)
{
	mg_node *c = n->first;

	while (c && i--)
		c = c->next;
	if (!c)
		fail_msg("node '%s' has no child %zu", n->name ? n->name : "-",
			 i);
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

/* ---- scalar typing -------------------------------------------------- */

static const struct typing_case {
	const char *text;
	mg_scalar_kind kind;
	const char *value;
} typing[] = {
    /* the cases of the brief */
    {"1.50", MG_SCALAR_FLOAT, "1.5"},
    {"5", MG_SCALAR_INT, "5"},
    {"yes", MG_SCALAR_BOOL, "true"},
    {"'5'", MG_SCALAR_STRING, "5"},
    {"2000-01-01", MG_SCALAR_DATE, "2000-01-01"},
    /* null */
    {"~", MG_SCALAR_NULL, NULL},
    {"null", MG_SCALAR_NULL, NULL},
    {"Null", MG_SCALAR_NULL, NULL},
    {"NULL", MG_SCALAR_NULL, NULL},
    {"", MG_SCALAR_NULL, NULL},
    {"nULL", MG_SCALAR_STRING, "nULL"},
    {"'null'", MG_SCALAR_STRING, "null"},
    /* booleans: YAML 1.1 words in three spellings each */
    {"Yes", MG_SCALAR_BOOL, "true"},
    {"ON", MG_SCALAR_BOOL, "true"},
    {"True", MG_SCALAR_BOOL, "true"},
    {"no", MG_SCALAR_BOOL, "false"},
    {"Off", MG_SCALAR_BOOL, "false"},
    {"FALSE", MG_SCALAR_BOOL, "false"},
    {"oFF", MG_SCALAR_STRING, "oFF"},
    {"tRUE", MG_SCALAR_STRING, "tRUE"},
    {"y", MG_SCALAR_STRING, "y"},
    {"n", MG_SCALAR_STRING, "n"},
    {"\"yes\"", MG_SCALAR_STRING, "yes"},
    /* integers: Integer/Long/BigInteger.toString */
    {"-0", MG_SCALAR_INT, "0"},
    {"+5", MG_SCALAR_INT, "5"},
    {"1_000", MG_SCALAR_INT, "1000"},
    {"0x1F", MG_SCALAR_INT, "31"},
    {"+0x_F_F", MG_SCALAR_INT, "255"},
    {"-0x80000000", MG_SCALAR_INT, "-2147483648"},
    {"017", MG_SCALAR_INT, "15"},
    {"-007", MG_SCALAR_INT, "-7"},
    {"00", MG_SCALAR_INT, "0"},
    {"08", MG_SCALAR_STRING, "08"},
    {"0o17", MG_SCALAR_STRING, "0o17"},
    {"0b101", MG_SCALAR_INT, "5"},
    {"-0b101", MG_SCALAR_INT, "-5"},
    {"3000000000", MG_SCALAR_INT, "3000000000"},
    {"99999999999999999999", MG_SCALAR_INT, "99999999999999999999"},
    {"017777777777777777777777", MG_SCALAR_INT, "147573952589676412927"},
    {"0b11111111111111111111111111111111111111111111111111111111111111111111",
     MG_SCALAR_INT, "295147905179352825855"},
    {"190:20:30", MG_SCALAR_INT, "685230"},
    {"1:06", MG_SCALAR_INT, "66"},
    {"1:60", MG_SCALAR_STRING, "1:60"},
    {"0:30", MG_SCALAR_STRING, "0:30"},
    /* SnakeYAML sums sexagesimal groups in a Java int */
    {"1000000000:0", MG_SCALAR_INT, "-129542144"},
    {"0__", MG_SCALAR_STRING, "0__"},
    {"_", MG_SCALAR_STRING, "_"},
    /* floats: Double.toString */
    {"2.0", MG_SCALAR_FLOAT, "2.0"},
    {"100.0", MG_SCALAR_FLOAT, "100.0"},
    {"1.", MG_SCALAR_FLOAT, "1.0"},
    {".5", MG_SCALAR_FLOAT, "0.5"},
    {"-0.0", MG_SCALAR_FLOAT, "-0.0"},
    {"1_2.3_4", MG_SCALAR_FLOAT, "12.34"},
    {"1e3", MG_SCALAR_FLOAT, "1000.0"},
    {"1e05", MG_SCALAR_FLOAT, "100000.0"},
    {".5e3", MG_SCALAR_FLOAT, "500.0"},
    {"1.0e10", MG_SCALAR_FLOAT, "1.0E10"},
    {"0.1e+10", MG_SCALAR_FLOAT, "1.0E9"},
    {"1e7", MG_SCALAR_FLOAT, "1.0E7"},
    {"9999999.0", MG_SCALAR_FLOAT, "9999999.0"},
    {"12345678.9", MG_SCALAR_FLOAT, "1.23456789E7"},
    {"0.001", MG_SCALAR_FLOAT, "0.001"},
    {"0.0001", MG_SCALAR_FLOAT, "1.0E-4"},
    {"1.5e-3", MG_SCALAR_FLOAT, "0.0015"},
    {"4.9e-324", MG_SCALAR_FLOAT, "4.9E-324"},
    {"1e400", MG_SCALAR_FLOAT, "Infinity"},
    {".inf", MG_SCALAR_FLOAT, "Infinity"},
    {"-.Inf", MG_SCALAR_FLOAT, "-Infinity"},
    {".NaN", MG_SCALAR_FLOAT, "NaN"},
    {"1:20.5", MG_SCALAR_FLOAT, "80.5"},
    {"1:0:0:0:0:0:0:0.5", MG_SCALAR_FLOAT, "-9.586769915E8"},
    {"0.5.", MG_SCALAR_STRING, "0.5."},
    {"1e", MG_SCALAR_STRING, "1e"},
    /* timestamps */
    {"2001-12-14t21:59:43.10-05:00", MG_SCALAR_DATE,
     "2001-12-14t21:59:43.10-05:00"},
    {"2001-12-14 21:59:43.10 -5", MG_SCALAR_DATE, "2001-12-14 21:59:43.10 -5"},
    {"2001-1-1 1:00:00", MG_SCALAR_DATE, "2001-1-1 1:00:00"},
    {"2001-12-14T21:59:43Z", MG_SCALAR_DATE, "2001-12-14T21:59:43Z"},
    {"2001-12-1", MG_SCALAR_STRING, "2001-12-1"},
    {"'2000-01-01'", MG_SCALAR_STRING, "2000-01-01"},
    /* explicit tags */
    {"!!str 5", MG_SCALAR_STRING, "5"},
    {"!!int \"0x10\"", MG_SCALAR_INT, "16"},
    {"!!float 3", MG_SCALAR_FLOAT, "3.0"},
    {"!!bool \"yes\"", MG_SCALAR_BOOL, "true"},
    {"!!null x", MG_SCALAR_NULL, NULL},
    /* strings */
    {"varchar(50)", MG_SCALAR_STRING, "varchar(50)"},
    {"1,000", MG_SCALAR_STRING, "1,000"},
    {"\"a\\tb\"", MG_SCALAR_STRING, "a\tb"},
    {"'it''s'", MG_SCALAR_STRING, "it's"},
};

static void test_scalar_typing(void **state)
{
	(void)state;
	for (size_t i = 0; i < MG_ARRAY_SIZE(typing); i++) {
		mg_buf text = MG_BUF_INIT;
		mg_node *v;

		mg_buf_printf(&text, "databaseChangeLog:\n  - v: %s\n",
			      typing[i].text);
		v = nth(parse(text.ptr), 0);
		assert_string_equal(v->name, "v");
		if (v->kind != typing[i].kind ||
		    !mg_streq(v->value, typing[i].value))
			fail_msg("'%s': got kind %d '%s', want %d '%s'",
				 typing[i].text, v->kind,
				 v->value ? v->value : "(null)", typing[i].kind,
				 typing[i].value ? typing[i].value : "(null)");
		mg_buf_release(&text);
	}
}

static void test_block_scalars_are_strings(void **state)
{
	mg_node *cs = nth(parse("databaseChangeLog:\n"
				"  - changeSet:\n"
				"      a: |\n"
				"        5\n"
				"      b: >-\n"
				"        true\n"
				"        false\n"
				"      c: |+\n"
				"        x\n"
				"\n"),
			  0);

	(void)state;
	assert_scalar(child(cs, "a"), MG_SCALAR_STRING, "5\n");
	assert_scalar(child(cs, "b"), MG_SCALAR_STRING, "true false");
	assert_scalar(child(cs, "c"), MG_SCALAR_STRING, "x\n\n");
}

/* ---- tree shape ------------------------------------------------------ */

static void test_shape(void **state)
{
	mg_node *root = parse("other: ignored\n"
			      "databaseChangeLog:\n"
			      "  - preConditions:\n"
			      "      - onFail: HALT\n"
			      "      - tableExists: {tableName: t}\n"
			      "  - changeSet:\n"
			      "      id: x\n"
			      "      validCheckSum: [a, 1]\n"
			      "      changes:\n"
			      "        - sql: SELECT 1\n"
			      "        - tagDatabase:\n"
			      "        - {a: 1, b: 2}\n"
			      "        - - nested\n"
			      "  - plain\n"
			      "trailer: 1\n");
	mg_node *pre, *cs, *changes, *item;

	(void)state;
	assert_int_equal(mg_node_count(root), 3);
	assert_pos(root, 2, 1);
	assert_null(root->parent);
	pre = nth(root, 0);
	assert_string_equal(pre->name, "preConditions");
	assert_ptr_equal(pre->parent, root);
	assert_int_equal(mg_node_count(pre), 2);
	assert_string_equal(nth(pre, 0)->name, "onFail");
	assert_scalar(nth(pre, 0), MG_SCALAR_STRING, "HALT");
	assert_string_equal(mg_node_get(pre, "onFail"), "HALT");
	assert_string_equal(nth(pre, 1)->name, "tableExists");
	assert_scalar(child(nth(pre, 1), "tableName"), MG_SCALAR_STRING, "t");

	cs = nth(root, 1);
	assert_string_equal(cs->name, "changeSet");
	assert_int_equal(cs->kind, MG_SCALAR_NONE);
	assert_null(cs->value);
	item = child(cs, "validCheckSum");
	assert_int_equal(mg_node_count(item), 2);
	assert_null(nth(item, 0)->name);
	assert_scalar(nth(item, 0), MG_SCALAR_STRING, "a");
	assert_scalar(nth(item, 1), MG_SCALAR_INT, "1");

	changes = child(cs, "changes");
	assert_int_equal(mg_node_count(changes), 4);
	assert_string_equal(nth(changes, 0)->name, "sql");
	assert_scalar(nth(changes, 0), MG_SCALAR_STRING, "SELECT 1");
	assert_string_equal(nth(changes, 1)->name, "tagDatabase");
	assert_scalar(nth(changes, 1), MG_SCALAR_NULL, NULL);
	item = nth(changes, 2);
	assert_null(item->name);
	assert_pos(item, 12, 11);
	assert_int_equal(mg_node_count(item), 2);
	assert_scalar(child(item, "b"), MG_SCALAR_INT, "2");
	item = nth(changes, 3);
	assert_null(item->name);
	assert_scalar(nth(item, 0), MG_SCALAR_STRING, "nested");

	item = nth(root, 2);
	assert_null(item->name);
	assert_scalar(item, MG_SCALAR_STRING, "plain");
	assert_pos(item, 14, 5);

	/* what each value was written as, for the loader's type checks */
	assert_int_equal(pre->shape, MG_SHAPE_LIST);
	assert_int_equal(nth(pre, 1)->shape, MG_SHAPE_MAP);
	assert_int_equal(cs->shape, MG_SHAPE_MAP);
	assert_int_equal(changes->shape, MG_SHAPE_LIST);
	assert_int_equal(nth(changes, 0)->shape, MG_SHAPE_SCALAR);
	assert_int_equal(nth(changes, 1)->shape, MG_SHAPE_SCALAR);
	assert_int_equal(nth(changes, 2)->shape, MG_SHAPE_MAP);
	assert_int_equal(nth(changes, 3)->shape, MG_SHAPE_LIST);
	assert_int_equal(item->shape, MG_SHAPE_SCALAR);
}

/* A mapping and a list of one-key mappings give the same children:
 * only the shape tells them apart. */
static void test_shape_map_or_list(void **state)
{
	mg_node *a = parse("databaseChangeLog:\n"
			   "  - changeSet:\n"
			   "      changes: {sql: {sql: x}}\n");
	mg_node *b = parse("databaseChangeLog:\n"
			   "  - changeSet:\n"
			   "      changes: [{sql: {sql: x}}]\n");
	mg_node *ca = child(nth(a, 0), "changes");
	mg_node *cb = child(nth(b, 0), "changes");

	(void)state;
	assert_string_equal(nth(ca, 0)->name, "sql");
	assert_string_equal(nth(cb, 0)->name, "sql");
	assert_int_equal(ca->shape, MG_SHAPE_MAP);
	assert_int_equal(cb->shape, MG_SHAPE_LIST);
}

static void test_empty_changelog_list(void **state)
{
	(void)state;
	assert_int_equal(mg_node_count(parse("databaseChangeLog:\n")), 0);
	assert_int_equal(mg_node_count(parse("databaseChangeLog: []\n")), 0);
}

/* A merge key of an empty mapping merges nothing: found by fuzz_flow
 * (UBSan: qsort of the empty list's NULL before the yaml-stream fix). */
static void test_merge_of_empty_map(void **state)
{
	mg_node *root;

	(void)state;
	root = parse("databaseChangeLog:\n- <<: {}\n");
	assert_int_equal(mg_node_count(root), 1);
	assert_int_equal(mg_node_count(root->first), 0);
}

static void test_positions(void **state)
{
	mg_node *root =
	    parse("# comment\r\n"
		  "databaseChangeLog:\r\n"
		  "- changeSet: {id: \"\xC3\xA9\xC3\xA9\", author: x}\r\n");
	mg_node *cs = nth(root, 0);

	(void)state;
	assert_pos(root, 2, 1);
	assert_pos(cs, 3, 3);
	assert_pos(child(cs, "id"), 3, 15);
	/* columns count characters, not bytes */
	assert_pos(child(cs, "author"), 3, 25);
	assert_string_equal(cs->file, "t.yaml");
}

static void test_byte_order_mark(void **state)
{
	mg_node *root = parse("\xEF\xBB\xBF"
			      "databaseChangeLog:\n- a: 1\n");

	(void)state;
	assert_pos(root, 1, 1);
	assert_scalar(nth(root, 0), MG_SCALAR_INT, "1");
}

/* ---- keys, anchors, aliases, merges -------------------------------- */

/* SnakeYAML keeps the last duplicate, at the place of the last one. */
static void test_duplicate_keys(void **state)
{
	mg_node *cs =
	    nth(parse("databaseChangeLog:\n"
		      "  - changeSet: {a: 1, b: 2, a: 3, 1: x, 0x1: y}\n"),
		0);

	(void)state;
	assert_int_equal(mg_node_count(cs), 3);
	assert_string_equal(nth(cs, 0)->name, "b");
	assert_string_equal(nth(cs, 1)->name, "a");
	assert_scalar(nth(cs, 1), MG_SCALAR_INT, "3");
	assert_pos(nth(cs, 1), 2, 29);
	/* keys compare as constructed values: 1 == 0x1 */
	assert_string_equal(nth(cs, 2)->name, "0x1");
	assert_scalar(nth(cs, 2), MG_SCALAR_STRING, "y");
}

static void test_alias_copies_subtree(void **state)
{
	mg_node *root = parse("databaseChangeLog:\n"
			      "  - changeSet: &cs\n"
			      "      id: 1\n"
			      "      author: &who bob\n"
			      "      changes:\n"
			      "        - tagDatabase: {tag: t}\n"
			      "  - changeSet: *cs\n"
			      "  - property: {name: n, value: *who}\n");
	mg_node *a = nth(root, 0), *b = nth(root, 1);

	(void)state;
	assert_int_equal(mg_node_count(root), 3);
	assert_string_equal(b->name, "changeSet");
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(child(a, "id"), child(b, "id"));
	assert_ptr_not_equal(child(a, "id")->value, child(b, "id")->value);
	assert_scalar(child(b, "id"), MG_SCALAR_INT, "1");
	assert_string_equal(
	    mg_node_get(child(child(b, "changes"), "tagDatabase"), "tag"), "t");
	/* the alias node sits at its key; the copy keeps the anchor's */
	assert_pos(b, 7, 5);
	assert_pos(child(b, "id"), 3, 7);
	assert_scalar(child(nth(root, 2), "value"), MG_SCALAR_STRING, "bob");
	child(a, "id")->value[0] = '9';
	assert_string_equal(child(b, "id")->value, "1");
}

static void test_merge_keys(void **state)
{
	mg_node *root =
	    parse("defaults: &d {x: 1, y: 2}\n"
		  "databaseChangeLog:\n"
		  "  - m:\n"
		  "      z: 0\n"
		  "      <<: *d\n"
		  "      x: 9\n"
		  "  - n: {<<: [{a: 1, b: 1}, {b: 2, c: 2}], d: 3}\n"
		  "  - o: {\"<<\": 1}\n");
	mg_node *m = nth(root, 0), *n = nth(root, 1);

	(void)state;
	assert_int_equal(mg_node_count(m), 3);
	assert_string_equal(nth(m, 0)->name, "z");
	assert_string_equal(nth(m, 1)->name, "x");
	assert_scalar(nth(m, 1), MG_SCALAR_INT, "9");
	assert_string_equal(nth(m, 2)->name, "y");
	assert_int_equal(mg_node_count(n), 4);
	assert_scalar(child(n, "a"), MG_SCALAR_INT, "1");
	assert_scalar(child(n, "b"), MG_SCALAR_INT, "1");
	assert_scalar(child(n, "c"), MG_SCALAR_INT, "2");
	assert_scalar(child(n, "d"), MG_SCALAR_INT, "3");
	/* a quoted "<<" is an ordinary key */
	assert_scalar(child(nth(root, 2), "<<"), MG_SCALAR_INT, "1");
}

/* ---- errors ---------------------------------------------------------- */

static void test_syntax_errors(void **state)
{
	(void)state;
	assert_error("databaseChangeLog:\n  - changeSet: [1, 2\n",
		     "did not find expected ',' or ']'", 3, 1);
	assert_string_equal(
	    mg_error_last()->detail,
	    "while parsing a flow sequence started at line 2, column 16");
	assert_error("databaseChangeLog:\n  - changeSet:\n      id: a: b\n",
		     "mapping values are not allowed in this context", 3, 12);
	assert_error("databaseChangeLog:\n\t- changeSet: {}\n",
		     "found character that cannot start any token", 2, 1);
	assert_error("databaseChangeLog:\n  - a: \"open\n",
		     "found unexpected end of stream", 3, 1);
	assert_error("databaseChangeLog: [a]\nb: \xFF\n",
		     "invalid leading UTF-8 octet (0xFF)", 2, 4);
}

static void test_structure_errors(void **state)
{
	mg_node *root = NULL;

	(void)state;
	assert_error("", "changelog is empty", 1, 1);
	assert_int_equal(mg_parse_yaml(&root, &arena, "nil.yaml", NULL, 0),
			 MG_EPARSE);
	assert_null(root);
	assert_string_equal(mg_error_last()->message, "changelog is empty");
	assert_error("# nothing\n", "changelog is empty", 1, 1);
	assert_error("{}\n", "changelog is empty", 1, 1);
	assert_error("- a\n- b\n", "expected a mapping at the top level", 1, 1);
	assert_error("foo: 1\n",
		     "could not find 'databaseChangeLog' at the top level", 1,
		     1);
	assert_error("databaseChangeLog:\n  changeSet: {id: 1}\n",
		     "'databaseChangeLog' is not a list of entries", 2, 3);
	assert_string_equal(mg_error_last()->hint,
			    "each changeSet must begin with '- changeSet:'");
	assert_error("databaseChangeLog: []\n---\nx: 1\n",
		     "expected a single document in the stream", 2, 1);
	assert_error("databaseChangeLog:\n  - ? [a]\n    : b\n",
		     "mapping keys must be scalars", 2, 7);
	assert_error("databaseChangeLog:\n  - a: \"x\\0y\"\n",
		     "scalar contains a NUL character", 2, 8);
}

static void test_tag_and_alias_errors(void **state)
{
	(void)state;
	assert_error("databaseChangeLog:\n  - a: *nope\n",
		     "found undefined alias 'nope'", 2, 8);
	assert_error("databaseChangeLog: &a\n  - a: *a\n",
		     "recursive alias 'a'", 2, 8);
	assert_error("databaseChangeLog:\n  - a: !foo x\n",
		     "unsupported tag '!foo'", 2, 8);
	assert_error("databaseChangeLog:\n  - a: !!binary eA==\n",
		     "unsupported tag '!!binary'", 2, 8);
	assert_error("databaseChangeLog:\n  - a: !!int abc\n",
		     "value does not match tag '!!int'", 2, 8);
	assert_error("databaseChangeLog:\n  - a: {<<: 5}\n",
		     "expected a mapping or a list of mappings to merge", 2,
		     13);
	assert_error("databaseChangeLog:\n  - a: {<<: [{b: 1}, 2]}\n",
		     "expected a mapping to merge", 2, 22);
}

/* A scalar under 50 collections loads; one more level does not. */
static void test_nesting_limit(void **state)
{
	mg_buf ok = MG_BUF_INIT, bad = MG_BUF_INIT;

	(void)state;
	mg_buf_puts(&ok, "databaseChangeLog: ");
	mg_buf_puts(&bad, "databaseChangeLog: ");
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
	parse(ok.ptr);
	assert_error(bad.ptr, "nesting depth exceeds the maximum of 50", 1, 70);
	mg_buf_release(&ok);
	mg_buf_release(&bad);
}

static void aliases_of(mg_buf *b, int n)
{
	mg_buf_puts(b, "x: &x [1]\ndatabaseChangeLog: [");
	for (int i = 0; i < n; i++)
		mg_buf_puts(b, i ? ", *x" : "*x");
	mg_buf_puts(b, "]\n");
}

static void test_alias_limits(void **state)
{
	mg_buf ok = MG_BUF_INIT, bad = MG_BUF_INIT, laughs = MG_BUF_INIT;

	(void)state;
	aliases_of(&ok, 50);
	aliases_of(&bad, 51);
	assert_int_equal(mg_node_count(parse(ok.ptr)), 50);
	assert_error(bad.ptr,
		     "too many aliases of collections (the maximum is 50)", 2,
		     221);
	/* 2^20 leaves from 40 aliases: refused before anything is built */
	mg_buf_puts(&laughs, "a0: &a0 [lol]\n");
	for (int i = 1; i <= 20; i++)
		mg_buf_printf(&laughs, "a%d: &a%d [*a%d, *a%d]\n", i, i, i - 1,
			      i - 1);
	mg_buf_puts(&laughs, "databaseChangeLog: [*a20]\n");
	assert_error(laughs.ptr, "aliases expand to more than 1000000 nodes",
		     22, 20);
	mg_buf_release(&ok);
	mg_buf_release(&bad);
	mg_buf_release(&laughs);
}

static void test_billion_laughs(void **state)
{
	mg_buf b = MG_BUF_INIT;

	(void)state;
	mg_buf_puts(&b,
		    "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (int i = 1; i <= 9; i++)
		mg_buf_printf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d]\n",
			      i, i, i - 1, i - 1, i - 1, i - 1, i - 1);
	mg_buf_puts(&b, "databaseChangeLog: [*a9]\n");
	assert_error(b.ptr, "changelog has more than 10000000 nodes", 11, 20);
	mg_buf_release(&b);
}

/* ---- the shared vectors --------------------------------------------- */

static void test_vector_54(void **state)
{
	mg_node *root =
	    parse_file(VECTORS "/54-yaml-createtable/changelog.yaml");
	mg_node *cs, *cols, *col;

	(void)state;
	assert_int_equal(mg_node_count(root), 2);
	cs = nth(root, 0);
	assert_string_equal(cs->name, "changeSet");
	assert_pos(cs, 2, 5);
	assert_scalar(child(cs, "id"), MG_SCALAR_INT, "1");
	assert_pos(child(cs, "id"), 3, 7);
	assert_scalar(child(cs, "author"), MG_SCALAR_STRING, "yara");
	cols = child(child(child(cs, "changes"), "createTable"), "columns");
	assert_int_equal(mg_node_count(cols), 6);
	col = nth(cols, 0);
	assert_string_equal(col->name, "column");
	assert_pos(col, 10, 17);
	assert_scalar(child(col, "name"), MG_SCALAR_STRING, "id");
	assert_scalar(child(col, "autoIncrement"), MG_SCALAR_BOOL, "true");
	assert_scalar(child(child(col, "constraints"), "primaryKey"),
		      MG_SCALAR_BOOL, "true");
	assert_scalar(child(child(col, "constraints"), "nullable"),
		      MG_SCALAR_BOOL, "false");
	assert_scalar(child(nth(cols, 2), "defaultValueNumeric"),
		      MG_SCALAR_FLOAT, "1.5");
	assert_scalar(child(nth(cols, 3), "defaultValueNumeric"),
		      MG_SCALAR_STRING, "1.50");
	assert_scalar(child(nth(cols, 5), "defaultValueDate"), MG_SCALAR_DATE,
		      "2000-01-01");
	assert_scalar(child(nth(root, 1), "id"), MG_SCALAR_STRING, "2");
}

static void test_vector_55(void **state)
{
	mg_node *root =
	    parse_file(VECTORS "/55-yaml-mixed-changes/changelog.yaml");
	mg_node *changes = child(nth(root, 0), "changes");
	mg_node *col = nth(child(nth(changes, 0), "columns"), 0);

	(void)state;
	assert_int_equal(mg_node_count(root), 6);
	assert_int_equal(mg_node_count(changes), 2);
	assert_string_equal(col->name, "column");
	assert_scalar(child(child(col, "constraints"), "primaryKey"),
		      MG_SCALAR_BOOL, "true");
	changes = child(nth(root, 2), "changes");
	assert_scalar(child(nth(changes, 0), "startValue"), MG_SCALAR_INT,
		      "100");
	assert_scalar(child(nth(changes, 0), "cycle"), MG_SCALAR_BOOL, "false");
	changes = child(nth(root, 3), "changes");
	assert_string_equal(nth(changes, 1)->name, "update");
	assert_scalar(child(nth(changes, 1), "where"), MG_SCALAR_STRING,
		      "id = 1");
}

static void test_vector_56(void **state)
{
	mg_node *root =
	    parse_file(VECTORS "/56-yaml-sql-blocks/changelog.yaml");
	mg_node *sql;

	(void)state;
	assert_int_equal(mg_node_count(root), 4);
	sql = nth(child(nth(root, 0), "changes"), 0);
	assert_string_equal(sql->name, "sql");
	assert_scalar(child(sql, "sql"), MG_SCALAR_STRING,
		      "CREATE TABLE y_sql (\n  id int,\n  v  varchar(10)\n);\n"
		      "INSERT INTO y_sql VALUES (1, 'a');\n");
	sql = nth(child(nth(root, 1), "changes"), 0);
	assert_scalar(child(sql, "sql"), MG_SCALAR_STRING,
		      "INSERT INTO y_sql VALUES (2, 'b');\n");
	sql = nth(child(nth(root, 2), "changes"), 0);
	assert_string_equal(sql->name, "sql");
	assert_scalar(sql, MG_SCALAR_STRING,
		      "INSERT INTO y_sql VALUES (3, 'c')");
	sql = nth(child(nth(root, 3), "changes"), 0);
	assert_scalar(child(sql, "endDelimiter"), MG_SCALAR_STRING, ";");
	assert_scalar(child(sql, "splitStatements"), MG_SCALAR_BOOL, "false");
	assert_scalar(child(nth(root, 3), "comment"), MG_SCALAR_STRING,
		      "comment: with colon");
	assert_string_equal(nth(child(nth(root, 3), "rollback"), 0)->name,
			    "sql");
}

static void test_vector_57_58(void **state)
{
	mg_node *root =
	    parse_file(VECTORS "/57-yaml-properties-contexts/changelog.yaml");
	mg_node *cs;

	(void)state;
	assert_int_equal(mg_node_count(root), 4);
	assert_string_equal(nth(root, 0)->name, "property");
	assert_string_equal(mg_node_get(nth(root, 0), "name"), "ytable");
	cs = nth(root, 2);
	assert_scalar(child(cs, "id"), MG_SCALAR_STRING, "${ytable}-create");
	assert_scalar(child(cs, "labels"), MG_SCALAR_STRING, "L1,l2");
	assert_scalar(child(nth(root, 3), "contextFilter"), MG_SCALAR_STRING,
		      "!prod");
	assert_scalar(child(nth(root, 3), "runOnChange"), MG_SCALAR_BOOL,
		      "true");

	root = parse_file(VECTORS "/58-yaml-sqlfile-include/changelog.yaml");
	assert_string_equal(nth(root, 0)->name, "include");
	assert_scalar(child(nth(root, 0), "file"), MG_SCALAR_STRING,
		      "sub.yaml");
	assert_scalar(child(nth(root, 0), "relativeToChangelogFile"),
		      MG_SCALAR_BOOL, "true");
}

static bool has_ext(const char *name, const char *ext)
{
	return mg_str_endswith(name, ext);
}

/* Every YAML and JSON changelog of the vectors parses. */
static void test_all_vectors_parse(void **state)
{
	DIR *top = opendir(VECTORS);
	struct dirent *d, *f;
	size_t yaml = 0, json = 0;

	(void)state;
	assert_non_null(top);
	while ((d = readdir(top))) {
		mg_buf dir = MG_BUF_INIT;
		DIR *sub;

		if (d->d_name[0] == '.')
			continue;
		mg_buf_printf(&dir, "%s/%s", VECTORS, d->d_name);
		if (!(sub = opendir(dir.ptr))) {
			mg_buf_release(&dir);
			continue;
		}
		while ((f = readdir(sub))) {
			mg_buf path = MG_BUF_INIT;
			bool is_json = has_ext(f->d_name, ".json");
			mg_node *root = NULL;
			char *text;
			size_t len;
			int err;

			if (!is_json && !has_ext(f->d_name, ".yaml") &&
			    !has_ext(f->d_name, ".yml"))
				continue;
			mg_buf_printf(&path, "%s/%s", dir.ptr, f->d_name);
			assert_int_equal(mg_read_file(&text, &len, path.ptr),
					 0);
			err = is_json ? mg_parse_json(&root, &arena, path.ptr,
						      text, len)
				      : mg_parse_yaml(&root, &arena, path.ptr,
						      text, len);
			if (err < 0)
				fail_msg("%s: %s", path.ptr,
					 mg_error_last()->message);
			assert_string_equal(root->name, "databaseChangeLog");
			assert_true(mg_node_count(root) > 0);
			*(is_json ? &json : &yaml) += 1;
			free(text);
			mg_buf_release(&path);
		}
		closedir(sub);
		mg_buf_release(&dir);
	}
	closedir(top);
	assert_true(yaml >= 6);
	assert_true(json >= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	    T(test_scalar_typing),
	    T(test_block_scalars_are_strings),
	    T(test_shape),
	    T(test_shape_map_or_list),
	    T(test_empty_changelog_list),
	    T(test_merge_of_empty_map),
	    T(test_positions),
	    T(test_byte_order_mark),
	    T(test_duplicate_keys),
	    T(test_alias_copies_subtree),
	    T(test_merge_keys),
	    T(test_syntax_errors),
	    T(test_structure_errors),
	    T(test_tag_and_alias_errors),
	    T(test_nesting_limit),
	    T(test_alias_limits),
	    T(test_billion_laughs),
	    T(test_vector_54),
	    T(test_vector_55),
	    T(test_vector_56),
	    T(test_vector_57_58),
	    T(test_all_vectors_parse),
#undef T
	};

	return cmocka_run_group_tests_name("parse_yaml", tests, NULL, NULL);
}
