/*
 * regex.c: java.util.regex semantics on PCRE2 (util/regex.c).
 *
 * Every expected value in the tables below was produced by Java 17:
 * String.replaceAll for replace_cases, String.matches for match_cases,
 * and Pattern.compile / Matcher.replaceAll throwing for java_errors and
 * replace_errors. The end-delimiter cases were produced by Liquibase
 * 4.28's StringUtil.processMultiLineSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "migrator/error.h"
#include "migrator/regex.h"
#include "migrator/sqlgen.h"
#include "migrator/util.h"

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

typedef struct rcase {
	const char *subject, *pattern, *with, *want;
} rcase;

typedef struct mcase {
	const char *subject, *pattern;
	bool want;
} mcase;

static void check_replace(const rcase *c)
{
	mg_regex *re = NULL;
	mg_buf out = MG_BUF_INIT;

	if (mg_regex_compile(&re, c->pattern, 0) < 0)
		fail_msg("/%s/: %s", c->pattern, mg_error_last()->message);
	if (mg_regex_replace_all(&out, re, c->subject, c->with) < 0)
		fail_msg("/%s/ [%s]: %s", c->pattern, c->with,
			 mg_error_last()->message);
	if (strcmp(out.ptr, c->want))
		fail_msg("[%s] /%s/ [%s] gave [%s], expected [%s]",
			 c->subject, c->pattern, c->with, out.ptr, c->want);
	mg_buf_release(&out);
	mg_regex_free(re);
}

static void check_replace_all(const rcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_replace(&cases[i]);
}

#define CHECK_REPLACE(t) check_replace_all(t, MG_ARRAY_SIZE(t))

/* ---- classes: \d \s \w \b, Java's POSIX names, \p ---- */

static const rcase class_cases[] = {
	{ "a1 b22 c333", "\\d+", "#", "a# b# c#" },
	{ "\xd9\xa3" "4", "\\d", "D", "\xd9\xa3" "D" },
	{ "a \t b", "\\s+", "_", "a_b" },
	{ "a\xc2\xa0" "b\x0b" "c", "\\s", "_", "a\xc2\xa0" "b_c" },
	{ "foo_bar-baz", "\\w+", "<$0>", "<foo_bar>-<baz>" },
	{ "été x", "\\w+", "W", "éWé W" },
	{ "cat concat cat", "\\bcat\\b", "dog", "dog concat dog" },
	{ "cat concat cat", "\\Bcat", "X", "cat conX cat" },
	{ "é a_b", "\\b", "|", "|é| |a_b|" },
	{ "aÉé", "\\p{Lower}", "_", "_Éé" },
	{ "aÉé", "\\p{Alpha}+", "_", "_Éé" },
	{ "aÉé1", "\\p{L}+", "_", "_1" },
	{ "aÉé1", "\\p{IsLatin}+", "_", "_1" },
	{ "aÉ1-", "[\\p{Alpha}\\d]", "x", "xÉx-" },
	{ "aÉ1-", "[\\P{Alpha}]", "x", "axxx" },
	{ "a.b", "[.]", "!", "a!b" },
	{ "]a]", "[]a]+", "X", "X" },
};

static void test_classes(void **state)
{
	(void)state;
	CHECK_REPLACE(class_cases);
}

/* ---- quantifiers, flags and lookaround ---- */

static const rcase quantifier_cases[] = {
	{ "<a><b>", "<.+?>", "X", "XX" },
	{ "<a><b>", "<.+>", "X", "X" },
	{ "aaa", "a*+a", "x", "aaa" },
	{ "aaa", "(?>a+)a", "x", "aaa" },
	{ "aaa", "a{2}?", "x", "xa" },
	{ "Create TABLE t", "(?i)create table", "CREATE TABLE",
	  "CREATE TABLE t" },
	{ "AbC", "(?i:b)c", "_", "AbC" },
	{ "AbC", "(?i:b)C", "_", "A_" },
	{ "AbC", "(?i)b(?-i)c", "_", "AbC" },
	{ "VARCHAR(255)", "(?i)varchar\\((\\d+)\\)", "TEXT /* $1 */",
	  "TEXT /* 255 */" },
	{ "price100 price200", "price(?=200)", "P", "price100 P200" },
	{ "price100 price200", "price(?!200)", "P", "P100 price200" },
	{ "cost $42", "(?<=\\$)\\d+", "N", "cost $N" },
	{ "ab", "(?<!a)b|a(?=b)", "_", "_b" },
	{ "ab", "(?x) a b # comment", "X", "X" },
	{ "a b", "(?x)a\\ b", "X", "X" },
	{ "a.b", "\\Q.\\E", "\\$", "a$b" },
	{ "a+b", "(?x)\\Qa+ \\E|\\Q+\\E", "P", "aPb" },
	{ "AB\x1b", "\\0101\\x42\\c[", "ok", "ok" },
};

static void test_quantifiers_flags_lookaround(void **state)
{
	(void)state;
	CHECK_REPLACE(quantifier_cases);
}

/* ---- the replacement string ---- */

static const rcase replacement_cases[] = {
	{ "key=val", "(?<k>\\w+)=(?<v>\\w+)", "${v}=${k}", "val=key" },
	{ "aXb", "(a)(?<n>X)(b)", "$3${n}$1\\$\\\\", "bXa$\\" },
	{ "aXb", "(X)", "$12", "aX2b" },
	{ "aXb", "(X)?Y?", "[$1]", "[]a[X][]b[]" },
	{ "x", "x", "\\q", "q" },
	{ "a(b)c", "\\(b\\)", "$0$0", "a(b)(b)c" },
	{ "abc", "x", "$9", "abc" },   /* no match: never parsed */
	{ "abc", "b", "", "ac" },
	{ "naïve café", "(?<w>\\S+) (\\S+)", "$2 ${w}", "café naïve" },
};

static void test_replacement(void **state)
{
	(void)state;
	CHECK_REPLACE(replacement_cases);
}

static const rcase replace_errors[] = {
	{ "aXb", "X", "$1", "no group 1" },
	{ "aXb", "X", "$", "group index is missing" },
	{ "aXb", "X", "\\", "character to be escaped is missing" },
	{ "aXb", "X", "${", "has 0 length name" },
	{ "aXb", "X", "${n", "missing trailing '}'" },
	{ "aXb", "X", "${1n}", "{1n} starts with digit character" },
	{ "aXb", "X", "${zz}", "no group with name {zz}" },
	{ "aXb", "X", "$a", "illegal group reference" },
};

static void test_replacement_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < MG_ARRAY_SIZE(replace_errors); i++) {
		const rcase *c = &replace_errors[i];
		mg_regex *re = NULL;
		mg_buf out = MG_BUF_INIT;

		mg_buf_puts(&out, "kept");
		assert_int_equal(mg_regex_compile(&re, c->pattern, 0), 0);
		assert_int_equal(mg_regex_replace_all(&out, re, c->subject,
						      c->with), MG_EINVALID);
		assert_string_equal(out.ptr, "kept");
		if (!strstr(mg_error_last()->message, c->want))
			fail_msg("[%s]: %s", c->with,
				 mg_error_last()->message);
		mg_buf_release(&out);
		mg_regex_free(re);
	}
	assert_non_null(strstr(mg_error_last()->message,
			       "invalid replacement '$a' for regular "
			       "expression 'X'"));
}

/* ---- empty matches, anchors and line terminators ---- */

static const rcase empty_match_cases[] = {
	{ "abc", "x*", "-", "-a-b-c-" },
	{ "abc", "", "-", "-a-b-c-" },
	{ "aaa", "a*?", "-", "-a-a-a-" },
	{ "", "x*", "-", "-" },
	{ "", "^", "x", "x" },
	{ "", "(?m)^", "x", "" },
	{ "abc", "\\G", "-", "-abc" },
	{ "aab", "\\Ga", "-", "--b" },
	{ "ab日", "", "-", "-a-b-日-" },
	{ "a b", "\\b", "|", "|a| |b|" },
};

static void test_empty_matches(void **state)
{
	(void)state;
	CHECK_REPLACE(empty_match_cases);
}

static const rcase line_cases[] = {
	{ "a\nb", ".", "x", "x\nx" },
	{ "a\nb", "(?s).", "x", "xxx" },
	{ "a\nb", "(?s:.)\\n.", "x", "x" },
	{ "x\xc2\x85y", ".", "-", "-\xc2\x85-" },
	{ "x\vy\fz", ".", "-", "-----" },
	{ "abc\n", "$", "!", "abc!\n!" },
	{ "a\r\n", "$", "!", "a!\r\n!" },
	{ "x\v", "x$", "X", "x\v" },
	{ "x\xe2\x80\xa8", "x$", "X", "X\xe2\x80\xa8" },
	{ "abc\n", "\\Z", "!", "abc!\n!" },
	{ "line1\nline2\n", "(?m)^", "> ", "> line1\n> line2\n" },
	{ "line1\nline2", "(?m)$", ";", "line1;\nline2;" },
	{ "a\r\nb", "(?m)$", "!", "a!\r\nb!" },
	{ "a\r\nb", "(?m)^", ">", ">a\r\n>b" },
	{ "a\nb", "^", ">", ">a\nb" },
	{ "a\r\nb\nc\xe2\x80\xa8" "d", "\\R", "|", "a|b|c|d" },
};

static void test_line_terminators(void **state)
{
	(void)state;
	CHECK_REPLACE(line_cases);
}

/* ---- UTF-8 ---- */

static const rcase utf8_cases[] = {
	{ "héllo wörld", "ö", "o", "héllo world" },
	{ "日本語", ".", "[$0]", "[日][本][語]" },
	{ "ééa", "é+", "E", "Ea" },
	{ "x😀y", ".", "-", "---" },
	{ "x😀y", "\\x{1F600}", ":)", "x:)y" },
	{ "x😀y", "\\ud83d\\ude00", ":)", "x:)y" },
	{ "é", "\\u00e9", "e", "e" },
	{ "ÀB", "(?iu)àb", "x", "x" },
};

static void test_utf8(void **state)
{
	(void)state;
	CHECK_REPLACE(utf8_cases);
}

/* ---- String.matches ---- */

static const mcase match_cases[] = {
	{ "ab", "a|ab", true },
	{ "ab", "a", false },
	{ "aa1", "(a)\\11", true },
	{ "a", "(a)\\5", false },
	{ "ab", "(a)\\2(b)", false },
	{ "x", "(?x) x # comment", true },
	{ "É", "(?iu)é", true },
	{ "\x0b", ".", true },
	{ "\xc2\x85", ".", false },
	{ "AB", "(?i)\\p{Lower}+", true },
	{ "a1", "(?<n>a)\\k<n>1", false },
};

static void test_matches(void **state)
{
	(void)state;
	for (size_t i = 0; i < MG_ARRAY_SIZE(match_cases); i++) {
		const mcase *c = &match_cases[i];
		mg_regex *re = NULL;

		if (mg_regex_compile(&re, c->pattern, 0) < 0)
			fail_msg("/%s/: %s", c->pattern,
				 mg_error_last()->message);
		if (mg_regex_matches(re, c->subject, strlen(c->subject)) !=
		    (int)c->want)
			fail_msg("[%s] /%s/: expected %d", c->subject,
				 c->pattern, (int)c->want);
		mg_regex_free(re);
	}
}

/* ---- find, flags, group count ---- */

static void test_find(void **state)
{
	const char *s = "one two  three";
	const char *want[] = { "one", "two", "three" };
	mg_regex_span m;
	mg_regex *re;
	size_t at = 0;

	(void)state;
	assert_int_equal(mg_regex_compile(&re, "\\w+", 0), 0);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(mg_regex_find(&m, re, s, strlen(s), at), 1);
		assert_int_equal(m.end - m.start, strlen(want[i]));
		assert_memory_equal(s + m.start, want[i], strlen(want[i]));
		at = m.end;
	}
	assert_int_equal(mg_regex_find(&m, re, s, strlen(s), at), 0);
	assert_int_equal(mg_regex_find(&m, re, s, strlen(s), 99), 0);
	mg_regex_free(re);
	/* lookbehind sees the text before the offset */
	assert_int_equal(mg_regex_compile(&re, "(?<=a)b", 0), 0);
	assert_int_equal(mg_regex_find(&m, re, "ab", 2, 1), 1);
	assert_int_equal(m.start, 1);
	assert_int_equal(m.end, 2);
	mg_regex_free(re);
	/* byte offsets in UTF-8 */
	assert_int_equal(mg_regex_compile(&re, "b", 0), 0);
	assert_int_equal(mg_regex_find(&m, re, "éb", 3, 0), 1);
	assert_int_equal(m.start, 2);
	mg_regex_free(re);
}

static void test_flags_and_groups(void **state)
{
	mg_regex *re;
	mg_buf out = MG_BUF_INIT;

	(void)state;
	assert_int_equal(mg_regex_compile(&re, "^A.B$",
					  MG_REGEX_CASE_INSENSITIVE |
					  MG_REGEX_MULTILINE |
					  MG_REGEX_DOTALL), 0);
	assert_int_equal(mg_regex_replace_all(&out, re, "a\nb\nx", "-"), 0);
	assert_string_equal(out.ptr, "-\nx");
	mg_regex_free(re);
	assert_int_equal(mg_regex_compile(&re, "a b # c", MG_REGEX_COMMENTS),
			 0);
	assert_int_equal(mg_regex_matches(re, "ab", 2), 1);
	mg_regex_free(re);
	assert_int_equal(mg_regex_compile(&re, "(a)(?:b)(?<n>c)(?=d)", 0), 0);
	assert_int_equal(mg_regex_group_count(re), 2);
	mg_regex_free(re);
	mg_regex_free(NULL);
	mg_buf_release(&out);
}

/* ---- invalid and unsupported patterns ---- */

typedef struct ecase {
	const char *pattern;
	int code;
} ecase;

/* MG_EINVALID: Java throws PatternSyntaxException too. MG_EUNSUPPORTED:
 * valid Java that PCRE2 would read differently. */
static const ecase java_errors[] = {
	{ "a(b", MG_EINVALID },
	{ "[a", MG_EINVALID },
	{ "*a", MG_EINVALID },
	{ "a{2,1}", MG_EINVALID },
	{ "\\x", MG_EINVALID },
	{ "\\xg1", MG_EINVALID },
	{ "\\0", MG_EINVALID },
	{ "\\u12", MG_EINVALID },
	{ "\\p{Lower", MG_EINVALID },
	{ "(?<n>a)(?<n>b)", MG_EINVALID },
	{ "\\k<nope>", MG_EINVALID },
	{ "a\\", MG_EINVALID },
	{ "[a[b]]", MG_EUNSUPPORTED },
	{ "[a-z&&[^b]]", MG_EUNSUPPORTED },
	{ "(?U)\\w", MG_EUNSUPPORTED },
	{ "(?d).", MG_EUNSUPPORTED },
};

static void test_invalid_patterns(void **state)
{
	mg_regex *re = NULL;
	const char *msg;

	(void)state;
	for (size_t i = 0; i < MG_ARRAY_SIZE(java_errors); i++) {
		const ecase *c = &java_errors[i];

		if (mg_regex_compile(&re, c->pattern, 0) != c->code)
			fail_msg("/%s/: expected %d", c->pattern, c->code);
		assert_null(re);
		assert_non_null(strstr(mg_error_last()->message,
				       c->pattern));
	}
	assert_int_equal(mg_regex_compile(&re, "é(b", 0), MG_EINVALID);
	msg = mg_error_last()->message;
	assert_string_equal(msg, "invalid regular expression 'é(b': missing "
			    "closing parenthesis at offset 3");
	assert_int_equal(mg_regex_compile(&re, "ab[c\\u0", 0), MG_EINVALID);
	assert_string_equal(mg_error_last()->message,
			    "invalid regular expression 'ab[c\\u0': illegal "
			    "Unicode escape sequence at offset 4");
	assert_int_equal(mg_regex_compile(&re, "a{2,1}", 0), MG_EINVALID);
	assert_non_null(strstr(mg_error_last()->message, "at offset 5"));
}

/* ---- endDelimiter (sqlgen/split.c) with Java-only syntax ---- */

static void check_split(const char *sql, const char *delim, const char *a,
			const char *b, const char *c)
{
	mg_stmt_list l = MG_STMT_LIST_INIT;
	const char *want[] = { a, b, c };
	size_t n = c ? 3 : b ? 2 : 1;

	assert_int_equal(mg_sql_split(&l, sql, true, false, delim), 0);
	assert_int_equal(l.n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(l.items[i], want[i]);
	mg_stmt_list_release(&l);
}

static void test_end_delimiter(void **state)
{
	mg_stmt_list l = MG_STMT_LIST_INIT;

	(void)state;
	check_split("SELECT 1\nGO\nSELECT 2\n  go  \nSELECT 3", "\\s*go\\b",
		    "SELECT 1", "SELECT 2", "SELECT 3");
	check_split("SELECT 1\nGO\nSELECT 2\nRUN\nSELECT 3", "(?:go|run)++",
		    "SELECT 1", "SELECT 2", "SELECT 3");
	check_split("SELECT 1\n/*end*/\nSELECT 2", "\\n(?i)/\\*END\\*/",
		    "SELECT 1", "SELECT 2", NULL);
	check_split("SELECT 1 ;; SELECT 2 ; SELECT 3", ";;|xyz",
		    "SELECT 1 ;", "SELECT 2 ; SELECT 3", NULL);
	check_split("SELECT 1;\nSELECT 2;", "\\d+;", "SELECT 1", "SELECT 2",
		    NULL);
	assert_int_equal(mg_sql_split(&l, "SELECT 1", true, false, "END("),
			 MG_EINVALID);
	assert_string_equal(mg_error_last()->message, "end delimiter "
			    "'END(' is not a usable regular expression");
	assert_string_equal(mg_error_last()->detail, "invalid regular "
			    "expression '[\\s\\n\\r]*end(': missing closing "
			    "parenthesis at offset 13");
	mg_stmt_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_classes),
		T(test_quantifiers_flags_lookaround),
		T(test_replacement),
		T(test_replacement_errors),
		T(test_empty_matches),
		T(test_line_terminators),
		T(test_utf8),
		T(test_matches),
		T(test_find),
		T(test_flags_and_groups),
		T(test_invalid_patterns),
		T(test_end_delimiter),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
