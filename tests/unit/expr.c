/*
 * expr.c: context and label expressions against runtime filters, as
 * Liquibase's ExpressionMatcher evaluates them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "migrator/error.h"
#include "migrator/model.h"

/* Each expectation below is what Liquibase 4.28 answers (the compat test
 * t1000-expressions compares hundreds more with its classes). */
static void test_contexts(void **state)
{
	(void)state;
	/* no runtime contexts: every name that is not required matches,
	 * negated ones too */
	assert_true(mg_context_matches("dev", NULL));
	assert_true(mg_context_matches("!dev", NULL));
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
	assert_true(mg_context_matches("(test)", "test"));
	/* the operators are lower-case words, but the expression is
	 * lower-cased first */
	assert_true(mg_context_matches("test AND dev", "test,dev"));
}

static void test_required_marker(void **state)
{
	(void)state;
	/* "@name" in a changeset: not run when no contexts are given */
	assert_false(mg_context_matches("@test", NULL));
	assert_true(mg_context_matches("@test", "test"));
	assert_false(mg_context_matches("@test", "dev"));
	/* "@!x" in a changeset is "!x" */
	assert_true(mg_context_matches("@!prod", "dev"));
	assert_true(mg_context_matches("@!prod", NULL));
	/* in runtime contexts "@" is part of the name */
	assert_true(mg_context_matches(NULL, "@dev"));
	assert_false(mg_context_matches("dev", "@dev"));
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

/* "(((...x)))" 10,000 deep: evaluated (innermost group first, as
 * Liquibase does) without running out of stack. */
static char *nested(size_t depth, const char *core)
{
	size_t nx = strlen(core);
	char *s = malloc(2 * depth + nx + 1);

	memset(s, '(', depth);
	memcpy(s + depth, core, nx);
	memset(s + depth + nx, ')', depth);
	s[2 * depth + nx] = '\0';
	return s;
}

static void test_deep_nesting(void **state)
{
	char *e = nested(10000, "x");

	(void)state;
	assert_true(mg_context_matches(e, "x"));
	assert_false(mg_context_matches(e, "y"));
	free(e);
}

/* Where Liquibase's ExpressionMatcher throws "Cannot parse expression"
 * (tests/compat/t1000 compares every case with Liquibase itself). */
static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"(a and", "()", "a)(", "(a, b)", "x, (y", "((a)", "a and (b",
	};
	static const char *const good[] = {
		NULL, "", "a", "(a)", "((a))", "a)", "(a)(b)", "(a) and (b)",
		"!(a or b), c", "a or or b",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(mg_context_expr_check(bad[i]), MG_EINVALID);
		assert_non_null(strstr(mg_error_last()->message, bad[i]));
		assert_int_equal(mg_label_expr_check(bad[i]), MG_EINVALID);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(mg_context_expr_check(good[i]), 0);
		assert_int_equal(mg_label_expr_check(good[i]), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contexts),
		cmocka_unit_test(test_required_marker),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
