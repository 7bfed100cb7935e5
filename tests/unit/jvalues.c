/*
 * jvalues.c: numbers and dates as Liquibase's Java code reads and prints
 * them (NumberFormat, Double.toString, lenient ISODateFormat), the rules
 * checksums and SQL share.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "migrator/jdate.h"
#include "migrator/jnumber.h"

static void check_number(const char *in, const char *want)
{
	mg_buf b = MG_BUF_INIT;
	bool ok = mg_jnumber_parse(&b, in);

	if (!want) {
		assert_false(ok);
	} else {
		assert_true(ok);
		assert_string_equal(b.ptr, want);
	}
	mg_buf_release(&b);
}

static void test_numbers(void **state)
{
	(void)state;
	check_number("5", "5");
	check_number("-5.50", "-5.5");
	check_number("1,234", "1234");
	check_number("2.5E3", "2500");
	check_number(".5", "0.5");
	check_number("12abc", "12");      /* the longest numeric prefix */
	check_number("1e3", "1");         /* only 'E' starts an exponent */
	check_number("0.1", "0.1");
	check_number("12345678.91", "1.234567891E7");
	check_number("+5", NULL);         /* no '+' in Locale.US */
	check_number("abc", NULL);
	check_number("-", NULL);
	assert_true(mg_jnumber_parse(NULL, "7)"));
}

/* What mg_jnumber_parse printed before its shortcut for plain decimals:
 * the double read back, as an integer or through Double.toString. */
static void long_way(mg_buf *out, const char *text)
{
	double d = strtod(text, NULL);

	if (d == floor(d) && fabs(d) < 9.2e18 && !(d == 0 && text[0] == '-'))
		mg_buf_printf(out, "%lld", (long long)d);
	else
		mg_jnumber_double(out, d);
}

/* Random plain decimals (up to 19 digits, leading and trailing zeros,
 * a point anywhere, a sign, grouping commas, text after the number)
 * print as the long way prints the number without its commas. */
static void test_plain_decimals(void **state)
{
	unsigned seed = 12345;

	(void)state;
	for (int i = 0; i < 200000; i++) {
		char text[64], clean[64];
		size_t n = 0, m = 0;
		int digits, point;
		mg_buf got = MG_BUF_INIT, want = MG_BUF_INIT;

		seed = seed * 1103515245u + 12345u;
		digits = 1 + (int)(seed >> 16) % 19;
		point = (int)(seed >> 8) % (digits + 2) - 1;
		if (seed & 1)
			text[n++] = clean[m++] = '-';
		for (int k = 0; k < digits; k++) {
			unsigned r;

			seed = seed * 1103515245u + 12345u;
			r = seed >> 16;
			if (k == point)
				text[n++] = clean[m++] = '.';
			else if (k > 0 && (point < 0 || k < point) && r % 7 == 0)
				text[n++] = ','; /* grouping: not in the value */
			text[n++] = clean[m++] = (char)('0' + (r % 10 < 3 ? 0 : r % 10));
		}
		if (seed & 2)
			text[n++] = 'x'; /* the numeric prefix is read */
		text[n] = clean[m] = '\0';
		assert_true(mg_jnumber_parse(&got, text));
		long_way(&want, clean);
		if (strcmp(got.ptr, want.ptr))
			fail_msg("%s: printed %s, the long way %s", text, got.ptr, want.ptr);
		mg_buf_release(&got);
		mg_buf_release(&want);
	}
}

static void check_date(const char *in, mg_jdate_kind kind, const char *want)
{
	mg_buf b = MG_BUF_INIT;
	mg_jdate t;
	mg_jdate_kind k = mg_jdate_parse(&t, in);

	assert_int_equal(k, kind);
	if (want) {
		mg_jdate_format(&b, &t, k);
		assert_string_equal(b.ptr, want);
	}
	mg_buf_release(&b);
}

static void test_dates(void **state)
{
	(void)state;
	check_date("2024-03-04", MG_JDATE_DATE, "2024-03-04");
	check_date("0005-01-02", MG_JDATE_DATE, "0005-01-02");
	check_date("25555555555555555503:04:05", MG_JDATE_NONE, NULL);
	check_date("999999999:00:00", MG_JDATE_TIME, "15:00:00");
	check_date("05:06:07", MG_JDATE_TIME, "05:06:07");
	check_date("2024-03-04 05:06:07", MG_JDATE_TIMESTAMP,
		   "2024-03-04T05:06:07");
	check_date("2024-02-03T10:00:00.120", MG_JDATE_TIMESTAMP,
		   "2024-02-03T10:00:00.12");
	/* lenient: fields roll over */
	check_date("2024-02-30", MG_JDATE_DATE, "2024-03-01");
	check_date("2023-13-01", MG_JDATE_DATE, "2024-01-01");
	check_date("2024-02-30T25:61:00", MG_JDATE_TIMESTAMP,
		   "2024-03-02T02:01:00");
	/* not dates: a computed value instead */
	check_date("now()", MG_JDATE_NONE, NULL);
	check_date("2024-03-04X05:06:07", MG_JDATE_NONE, NULL);
	assert_int_equal(mg_jdate_days(1970, 1, 1), 0);
	assert_int_equal(mg_jdate_days(2000, 3, 1), 11017);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_plain_decimals),
		cmocka_unit_test(test_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
