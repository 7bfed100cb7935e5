/*
 * jprops.c: java.util.Properties.load as Liquibase reads property files
 * (each expectation is what Java 17 gives; compat t1200 compares whole
 * files with java.util.Properties itself).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "migrator/buf.h"
#include "migrator/jprops.h"

static int collect(const char *key, const char *value, void *arg)
{
	mg_buf *b = arg;

	mg_buf_printf(b, "[%s]=[%s]\n", key, value);
	return 0;
}

static void check(const char *text, const char *want)
{
	mg_buf b = MG_BUF_INIT;

	assert_int_equal(0, mg_jprops_parse(text, strlen(text), "t", collect, &b));
	assert_string_equal(want, b.ptr);
	mg_buf_release(&b);
}

static void test_separators(void **state)
{
	(void)state;
	check("a=1\nb = 2\nc:3\nd 4\n  e\t:\t5\n",
	      "[a]=[1]\n[b]=[2]\n[c]=[3]\n[d]=[4]\n[e]=[5]\n");
	check("key\\:with\\=seps=v\n", "[key:with=seps]=[v]\n");
	check("trail=x  \nnovalue\n", "[trail]=[x  ]\n[novalue]=[]\n");
}

static void test_comments_and_lines(void **state)
{
	(void)state;
	check("# c\n! c\n  # c\ng=7\n", "[g]=[7]\n");
	check("long=one \\\n    two \\\n\tthree\n", "[long]=[one two three]\n");
	/* a comment line does not continue */
	check("# c \\\nh=8\n", "[h]=[8]\n");
	check("cr=1\rcrlf=2\r\nlast=3", "[cr]=[1]\n[crlf]=[2]\n[last]=[3]\n");
	/* an even number of backslashes ends the line */
	check("odd=a\\\\\neven=b\n", "[odd]=[a\\]\n[even]=[b]\n");
}

static void test_escapes(void **state)
{
	(void)state;
	check("u=caf\\u00e9 \\u20ac\n", "[u]=[caf\xc3\xa9 \xe2\x82\xac]\n");
	check("e=a\\tb\\nc\\qd\n", "[e]=[a\tb\nc" "qd]\n");
	/* bytes are ISO-8859-1: a UTF-8 "é" is two characters */
	check("l=\xe9\n", "[l]=[\xc3\xa9]\n");
	check("s=\\ud83d\\ude00\n", "[s]=[\xf0\x9f\x98\x80]\n");
}

static void test_bad_escape(void **state)
{
	mg_buf b = MG_BUF_INIT;

	(void)state;
	assert_true(mg_jprops_parse("a=1\nbad=\\u12G4\n", 15, "t", collect, &b) < 0);
	mg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_comments_and_lines),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_bad_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
