/* jnumber.c: Java number parsing and printing (see jnumber.h). */
#include "migrator/jnumber.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shortest decimal digits that read back as `d` (d > 0), and exponent:
 * d = 0.DIGITS * 10^exp. */
static void shortest_digits(double d, char *digits, int *exp10)
{
	char buf[40];

	for (int prec = 1; prec <= 17; prec++) {
		char *e;

		snprintf(buf, sizeof(buf), "%.*e", prec - 1, d);
		if (strtod(buf, NULL) == d || prec == 17) {
			size_t k = 0;

			for (char *p = buf; *p && *p != 'e'; p++)
				if (isdigit((unsigned char)*p))
					digits[k++] = *p;
			while (k > 1 && digits[k - 1] == '0')
				k--;
			digits[k] = '\0';
			e = strchr(buf, 'e');
			*exp10 = atoi(e + 1) + 1;
			return;
		}
	}
}

void mg_jnumber_double(mg_buf *b, double d)
{
	char digits[40];
	int exp10, n;

	if (isnan(d)) {
		mg_buf_puts(b, "NaN");
		return;
	}
	if (isinf(d)) {
		mg_buf_puts(b, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (d == 0) {
		mg_buf_puts(b, signbit(d) ? "-0.0" : "0.0");
		return;
	}
	if (d < 0)
		mg_buf_putc(b, '-');
	d = fabs(d);
	shortest_digits(d, digits, &exp10);
	n = (int)strlen(digits);
	if (d >= 1e-3 && d < 1e7) {
		if (exp10 <= 0) {
			mg_buf_puts(b, "0.");
			for (int i = 0; i < -exp10; i++)
				mg_buf_putc(b, '0');
			mg_buf_puts(b, digits);
		} else {
			for (int i = 0; i < exp10; i++)
				mg_buf_putc(b, i < n ? digits[i] : '0');
			mg_buf_putc(b, '.');
			mg_buf_puts(b, exp10 < n ? digits + exp10 : "0");
		}
	} else {
		mg_buf_printf(b, "%c.%s", digits[0], n > 1 ? digits + 1 : "0");
		mg_buf_printf(b, "E%d", exp10 - 1);
	}
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
	d = strtod(num.ptr, NULL);
	mg_buf_release(&num);
	if (neg)
		d = -d;
	if (!out)
		return true;
	if (d == floor(d) && fabs(d) < 9.2e18 && !(d == 0 && neg))
		mg_buf_printf(out, "%lld", (long long)d);
	else
		mg_jnumber_double(out, d);
	return true;
}

