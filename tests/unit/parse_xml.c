/*
 * parse_xml.c: the XML changelog parser: tree shape, positions, text
 * handling, and refusal of external entities and DTD tricks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "migrator/error.h"
#include "migrator/node.h"

static mg_arena arena;

static int teardown(void **state)
{
	(void)state;
	mg_arena_release(&arena);
	mg_error_clear();
	return 0;
}

static mg_node *parse_ok(const char *xml)
{
	mg_node *root = NULL;

	assert_int_equal(mg_parse_xml(&root, &arena, "t.xml", xml, strlen(xml)), 0);
	assert_non_null(root);
	return root;
}

static void test_shape_and_positions(void **state)
{
	const char *xml =
		"<?xml version=\"1.0\"?>\n"
		"<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\">\n"
		"  <changeSet id=\"1\"\n"
		"             author=\"ann\">\n"
		"    <createTable tableName=\"t\">\n"
		"      <column name=\"id\" type=\"int\"><constraints nullable=\"false\"/></column>\n"
		"    </createTable>\n"
		"  </changeSet>\n"
		"</databaseChangeLog>\n";
	mg_node *root = parse_ok(xml), *cs, *ct, *col, *cons, *author;

	(void)state;
	assert_string_equal(root->name, "databaseChangeLog");
	cs = mg_node_child(root, "changeSet");
	assert_non_null(cs);
	assert_int_equal(cs->line, 3);
	assert_int_equal(cs->col, 3);
	assert_string_equal(mg_node_get(cs, "id"), "1");
	author = mg_node_child(cs, "author");
	assert_true(author->is_attr);
	assert_int_equal(author->line, 4);
	assert_int_equal(author->col, 14);
	ct = mg_node_child(cs, "createTable");
	assert_int_equal(ct->line, 5);
	assert_int_equal(ct->col, 5);
	/* attributes come before element children */
	assert_string_equal(ct->first->name, "tableName");
	col = mg_node_child(ct, "column");
	assert_string_equal(mg_node_get(col, "type"), "int");
	cons = mg_node_child(col, "constraints");
	assert_string_equal(mg_node_get(cons, "nullable"), "false");
	assert_int_equal(cons->col, 36);
}

static void test_text_trimmed_cdata_and_comment(void **state)
{
	const char *xml =
		"<databaseChangeLog>\n"
		" <changeSet id=\"1\" author=\"a\">\n"
		"  <sql>\n    <comment>not SQL</comment>\n"
		"    SELECT 1 &lt; 2; <![CDATA[SELECT '<x>';]]>\n  </sql>\n"
		" </changeSet>\n"
		"</databaseChangeLog>";
	mg_node *sql = mg_node_child(mg_node_child(parse_ok(xml), "changeSet"), "sql");

	(void)state;
	assert_string_equal(sql->value, "SELECT 1 < 2; SELECT '<x>';");
	assert_string_equal(mg_node_get(sql, "comment"), "not SQL");
}

static void test_attribute_normalisation(void **state)
{
	const char *xml = "<databaseChangeLog><changeSet id=\"a\tb\nc\" "
			  "author=\"x&#10;y\"/></databaseChangeLog>";
	mg_node *cs = mg_node_child(parse_ok(xml), "changeSet");

	(void)state;
	/* XML attribute-value normalisation: TAB/LF -> space, &#10; kept */
	assert_string_equal(mg_node_get(cs, "id"), "a b c");
	assert_string_equal(mg_node_get(cs, "author"), "x\ny");
}

static void test_malformed_reports_first_error(void **state)
{
	const char *xml = "<databaseChangeLog>\n"
			  "  <changeSet id=\"1\" author=\"a\">\n"
			  "    <createTable tableName=\"x\">\n"
			  "  </changeSet>\n"
			  "</databaseChangeLog>\n";
	mg_node *root = NULL;
	const mg_error *e;

	(void)state;
	assert_int_equal(mg_parse_xml(&root, &arena, "bad.xml", xml, strlen(xml)),
			 MG_EPARSE);
	e = mg_error_last();
	assert_string_equal(e->file, "bad.xml");
	assert_int_equal(e->line, 4);
	assert_non_null(strstr(e->message, "createTable"));
}

static void test_external_entity_refused(void **state)
{
	const char *xml = "<?xml version=\"1.0\"?>\n"
			  "<!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
			  "<databaseChangeLog><changeSet id=\"1\" author=\"a\">"
			  "<sql>&x;</sql></changeSet></databaseChangeLog>";
	mg_node *root = NULL;
	int rc = mg_parse_xml(&root, &arena, "xxe.xml", xml, strlen(xml));

	(void)state;
	assert_int_equal(rc, MG_EPARSE);
	assert_non_null(strstr(mg_error_last()->message, "entity"));
}

static void test_internal_entity_bomb_refused(void **state)
{
	const char *xml = "<?xml version=\"1.0\"?>\n"
			  "<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\">"
			  "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
			  "<databaseChangeLog><changeSet id=\"1\" author=\"a\">"
			  "<sql>&b;</sql></changeSet></databaseChangeLog>";
	mg_node *root = NULL;

	(void)state;
	assert_int_equal(mg_parse_xml(&root, &arena, "bomb.xml", xml, strlen(xml)),
			 MG_EPARSE);
}

/* Lines past 65,535 are counted whole (libxml2 keeps 16 bits unless
 * asked): a changelog of 10,000 changesets has 90,000 lines. */
static void test_big_line_numbers(void **state)
{
	const char *head = "<databaseChangeLog>";
	size_t blank = 70000, n = strlen(head) + blank + 64;
	char *xml = malloc(n);
	mg_node *root, *cs;

	(void)state;
	assert_non_null(xml);
	strcpy(xml, head);
	memset(xml + strlen(head), '\n', blank);
	strcpy(xml + strlen(head) + blank, "  <changeSet id=\"1\"/></databaseChangeLog>");
	root = parse_ok(xml);
	cs = root->first;
	assert_non_null(cs);
	assert_int_equal(cs->line, 70001);
	assert_int_equal(cs->col, 3);
	assert_int_equal(cs->first->line, 70001);
	free(xml);
}

static void test_wrong_root(void **state)
{
	const char *xml = "<changelog/>";
	mg_node *root = NULL;

	(void)state;
	assert_int_equal(mg_parse_xml(&root, &arena, "r.xml", xml, strlen(xml)),
			 MG_EPARSE);
	assert_non_null(strstr(mg_error_last()->message, "databaseChangeLog"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_shape_and_positions, teardown),
		cmocka_unit_test_teardown(test_text_trimmed_cdata_and_comment,
					  teardown),
		cmocka_unit_test_teardown(test_attribute_normalisation, teardown),
		cmocka_unit_test_teardown(test_malformed_reports_first_error,
					  teardown),
		cmocka_unit_test_teardown(test_external_entity_refused, teardown),
		cmocka_unit_test_teardown(test_internal_entity_bomb_refused,
					  teardown),
		cmocka_unit_test_teardown(test_wrong_root, teardown),
		cmocka_unit_test_teardown(test_big_line_numbers, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
