/*
 * expr.c: context and label expressions against runtime filters, as
 * Liquibase's ExpressionMatcher evaluates them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "migrator/load.h"

static void test_contexts(void **state)
{
	(void)state;
	/* no runtime contexts, or no changeset context: always runs */
	assert_true(mg_context_matches("dev", NULL));
	assert_true(mg_context_matches(NULL, "prod"));
	assert_true(mg_context_matches("", "prod"));
	/* names, case-insensitive; comma and "or" are the same */
	assert_true(mg_context_matches("DEV", "dev"));
	assert_true(mg_context_matches("dev, test", "test"));
	assert_true(mg_context_matches("dev or test", "test"));
	assert_false(mg_context_matches("dev, test", "prod"));
	/* and, not, !, parentheses */
	assert_true(mg_context_matches("dev and !prod", "dev"));
	assert_false(mg_context_matches("dev and !prod", "dev,prod"));
	assert_true(mg_context_matches("not prod", "dev"));
	assert_true(mg_context_matches("(a or b) and c", "b, c"));
	assert_false(mg_context_matches("(a or b) and c", "a"));
	assert_false(mg_context_matches("(root) and (a, b)", "a"));
	assert_true(mg_context_matches("(root) and (a, b)", "root, a"));
}

static void test_required_marker(void **state)
{
	(void)state;
	/* "@" in the filter: changesets without a context no longer run */
	assert_false(mg_context_matches(NULL, "@dev"));
	assert_true(mg_context_matches("dev", "@dev"));
	assert_false(mg_context_matches("test", "@dev"));
	/* "@!x" in a changeset is "!x" */
	assert_true(mg_context_matches("@!prod", "dev"));
}

static void test_labels(void **state)
{
	(void)state;
	/* the runtime filter is the expression, the changeset's labels the
	 * items */
	assert_true(mg_labels_match("v1,feature-a", "v1"));
	assert_true(mg_labels_match("v1,feature-a", "v1 and feature-a"));
	assert_false(mg_labels_match("v1", "v1 and feature-a"));
	assert_true(mg_labels_match("v1", "!v2"));
	assert_true(mg_labels_match(NULL, "v1"));
	assert_false(mg_labels_match(NULL, "@v1"));
	assert_true(mg_labels_match("v1", "@v1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contexts),
		cmocka_unit_test(test_required_marker),
		cmocka_unit_test(test_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
