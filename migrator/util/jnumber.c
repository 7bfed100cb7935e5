/* jnumber.c: Java number parsing and printing (see jnumber.h). */
#include "migrator/jnumber.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse "%e" output into digits and decimal exponent; returns #digits. */
static int read_sci(const char *buf, char *dig, int *exp10)
{
	int n = 0;

	for (; *buf && *buf != 'e'; buf++)
		if (*buf >= '0' && *buf <= '9')
			dig[n++] = *buf;
	*exp10 = atoi(buf + 1);
	return n;
}

static void write_sci(char *buf, size_t size, const char *dig, int n, int exp10)
{
	snprintf(buf, size, "%c.%.*se%d", dig[0], n - 1, dig + 1, exp10);
}

/* Move the n-digit decimal one unit in its last place up or down. */
/* NOLINTBEGIN(clang-analyzer-core.UndefinedBinaryOperatorResult): dig
 * holds the n digits that snprintf's %e wrote, the first non-zero, which
 * the analyzer does not know */
static void step_digits(char *dig, int n, int *exp10, bool up)
{
	int i = n - 1;

	if (up) {
		for (; i >= 0 && dig[i] == '9'; i--)
			dig[i] = '0';
		if (i >= 0) {
			dig[i]++;
		} else {
			dig[0] = '1';
			(*exp10)++;
		}
		return;
	}
	for (; dig[i] == '0'; i--)
		dig[i] = '9';
	dig[i]--;
	if (dig[0] == '0') {
		memmove(dig, dig + 1, (size_t)n - 1);
		dig[n - 1] = '9';
		(*exp10)--;
	}
}

/*
 * The n-digit decimal closest to d that reads back as d, if any: the
 * correctly rounded one, or else its neighbour on the other side of d
 * (the rounding interval is lopsided at powers of two).
 */
static bool candidate(double d, int n, char *dig, int *exp10)
{
	char buf[48];
	double x;

	snprintf(buf, sizeof(buf), "%.*e", n - 1, d);
	read_sci(buf, dig, exp10);
	x = strtod(buf, NULL);
	if (x == d)
		return true;
	step_digits(dig, n, exp10, x < d);
	write_sci(buf, sizeof(buf), dig, n, *exp10);
	return strtod(buf, NULL) == d;
}

/*
 * JDK 19+ Double.toString picks the shortest decimal that rounds to d;
 * when one digit would do, the closest decimal of at most two digits
 * (so 4.9E-324, not 5.0E-324). Returns the number of digits. The JDK 17
 * that runs Liquibase here agrees on every value the tests use; its older
 * algorithm prints a longer form for a few doubles (none seen in a
 * changelog so far).
 */
static int shortest_digits(double d, char *dig, int *exp10)
{
	int n = 1;

	while (n < 17 && !candidate(d, n, dig, exp10))
		n++;
	if (n == 17)
		candidate(d, 17, dig, exp10);
	if (n == 1) {
		n = 2;
		candidate(d, 2, dig, exp10);
	}
	while (n > 1 && dig[n - 1] == '0')
		n--;
	return n;
}
/* NOLINTEND(clang-analyzer-core.UndefinedBinaryOperatorResult) */

static void put_decimal(mg_buf *out, const char *dig, int n, int exp10)
{
	if (exp10 < 0) {
		mg_buf_puts(out, "0.");
		for (int i = -1; i > exp10; i--)
			mg_buf_putc(out, '0');
		mg_buf_put(out, dig, (size_t)n);
		return;
	}
	for (int i = 0; i <= exp10; i++)
		mg_buf_putc(out, i < n ? dig[i] : '0');
	mg_buf_putc(out, '.');
	if (n > exp10 + 1)
		mg_buf_put(out, dig + exp10 + 1, (size_t)(n - exp10 - 1));
	else
		mg_buf_putc(out, '0');
}

/* Double.toString's layout of the digits dig[0..n) x 10^exp10 */
static void put_java(mg_buf *out, const char *dig, int n, int exp10)
{
	if (exp10 >= -3 && exp10 < 7) {
		put_decimal(out, dig, n, exp10);
		return;
	}
	mg_buf_putc(out, dig[0]);
	mg_buf_putc(out, '.');
	if (n > 1)
		mg_buf_put(out, dig + 1, (size_t)n - 1);
	else
		mg_buf_putc(out, '0');
	mg_buf_printf(out, "E%d", exp10);
}

void mg_jnumber_double(mg_buf *out, double d)
{
	char dig[24];
	int n, exp10;

	if (isnan(d)) {
		mg_buf_puts(out, "NaN");
		return;
	}
	if (signbit(d)) {
		mg_buf_putc(out, '-');
		d = -d;
	}
	if (isinf(d) || d == 0) {
		mg_buf_puts(out, isinf(d) ? "Infinity" : "0.0");
		return;
	}
	n = shortest_digits(d, dig, &exp10);
	put_java(out, dig, n, exp10);
}

/*
 * The common case without floating point: a plain decimal ("1,234.50",
 * read with mg_jnumber_parse's grammar from p, after the sign) of at most
 * 15 significant digits, not zero. Such a decimal is the shortest that
 * reads back as its double (no two decimals of 15 digits or fewer round
 * to the same double), so its digits are what mg_jnumber_double would
 * print, and an integer one is exact as "%lld". Returns false where the
 * long way must be taken (and then has printed nothing).
 */
static bool plain_decimal(mg_buf *out, const char *p, bool neg)
{
	char dig[16];
	int n = 0, exp10 = -1, lead = 0;
	bool any = false, point = false, frac = false;

	for (;; p++) {
		if (*p == ',' && any && !point)
			continue;
		if (*p == '.' && !point && (any || isdigit((unsigned char)p[1]))) {
			point = true;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			break;
		any = true;
		if (n == 0 && *p == '0') {
			lead += point;
			continue;
		}
		if (n == (int)sizeof(dig) - 1)
			return false;
		frac |= point && *p != '0';
		dig[n++] = *p;
		exp10 += !point;
	}
	if (*p == 'E' || n == 0)
		return false; /* an exponent; zero, with its sign; no number */
	while (n > 1 && dig[n - 1] == '0')
		n--;
	if (exp10 < 0)
		exp10 = -1 - lead;
	if (n > 15 || exp10 > 14 || exp10 < -300)
		return false; /* beyond 15 digits, or near subnormals */
	if (neg)
		mg_buf_putc(out, '-');
	if (!frac) {
		for (int i = 0; i <= exp10; i++)
			mg_buf_putc(out, i < n ? dig[i] : '0');
		return true;
	}
	put_java(out, dig, n, exp10);
	return true;
}

bool mg_jnumber_parse(mg_buf *out, const char *s)
{
	mg_buf num = MG_BUF_INIT;
	const char *p = s;
	bool digit = false, neg = false;
	double d;

	if (*p == '-') {
		neg = true;
		p++;
	}
	if (out && plain_decimal(out, p, neg))
		return true;
	for (; isdigit((unsigned char)*p) || (*p == ',' && digit); p++) {
		if (*p != ',')
			mg_buf_putc(&num, *p);
		digit = true;
	}
	if (*p == '.' && (digit || isdigit((unsigned char)p[1]))) {
		mg_buf_putc(&num, *p++);
		for (; isdigit((unsigned char)*p); p++, digit = true)
			mg_buf_putc(&num, *p);
	}
	if (!digit) {
		mg_buf_release(&num);
		return false;
	}
	if (*p == 'E') {
		const char *e = p + 1 + (p[1] == '-' || p[1] == '+');

		if (isdigit((unsigned char)*e)) {
			mg_buf_putc(&num, 'e');
			mg_buf_put(&num, p + 1, e - p - 1);
			for (; isdigit((unsigned char)*e); e++)
				mg_buf_putc(&num, *e);
		}
	}
	if (!out) {
		mg_buf_release(&num);
		return true;
	}
	d = strtod(num.ptr, NULL);
	mg_buf_release(&num);
	if (neg)
		d = -d;
	if (d == floor(d) && fabs(d) < 9.2e18 && !(d == 0 && neg))
		mg_buf_printf(out, "%lld", (long long)d);
	else
		mg_jnumber_double(out, d);
	return true;
}

