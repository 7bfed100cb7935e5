/* jdate.c: Java's lenient ISO dates (see jdate.h). */
#include "migrator/jdate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long mg_jdate_days(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

void mg_jdate_normalize(mg_jdate *t)
{
	long days, secs;

	t->y += (t->mo - 1) >= 0 ? (t->mo - 1) / 12 : (t->mo - 12) / 12;
	t->mo = (((t->mo - 1) % 12) + 12) % 12 + 1;
	days = mg_jdate_days(t->y, t->mo, 1) + t->d - 1;
	secs = t->h * 3600 + t->mi * 60 + t->s;
	days += secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	secs = ((secs % 86400) + 86400) % 86400;
	civil_from_days(days, &t->y, &t->mo, &t->d);
	t->h = secs / 3600;
	t->mi = secs / 60 % 60;
	t->s = secs % 60;
}

bool mg_jdate_scan(const char *s, const char *pattern, long *f)
{
	size_t k = 0;

	for (const char *p = pattern; *p; p++) {
		if (*p == '9') {
			char *end;

			if (!isdigit((unsigned char)*s))
				return false;
			f[k++] = strtol(s, &end, 10);
			/* a field of Java's int (at most 9 digits here): a longer
			 * one is no date, and its hours or days would overflow
			 * the normalization (found by fuzz_csv) */
			if (end - s > 9)
				return false;
			s = end;
		} else if (*s++ != *p) {
			return false;
		}
	}
	return true;
}

/* v as printf's "%0<width>ld" writes it (the digits by hand: a loadData
 * of a million dates formats three million fields) */
static void put_field(mg_buf *out, long v, int width)
{
	char d[24];
	int n = 0;

	if (v < 0) {
		mg_buf_printf(out, "%0*ld", width, v);
		return;
	}
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (int i = n; i < width; i++)
		mg_buf_putc(out, '0');
	while (n)
		mg_buf_putc(out, d[--n]);
}

void mg_jdate_format(mg_buf *out, const mg_jdate *t, mg_jdate_kind kind)
{
	char frac[16] = "";

	if (kind != MG_JDATE_TIME) {
		put_field(out, t->y, 4);
		mg_buf_putc(out, '-');
		put_field(out, t->mo, 2);
		mg_buf_putc(out, '-');
		put_field(out, t->d, 2);
	}
	if (kind == MG_JDATE_TIMESTAMP)
		mg_buf_putc(out, 'T');
	if (kind != MG_JDATE_DATE) {
		put_field(out, t->h, 2);
		mg_buf_putc(out, ':');
		put_field(out, t->mi, 2);
		mg_buf_putc(out, ':');
		put_field(out, t->s, 2);
	}
	if (kind == MG_JDATE_TIMESTAMP && t->nanos) {
		int k;

		snprintf(frac, sizeof(frac), ".%09ld", t->nanos);
		for (k = (int)strlen(frac) - 1; frac[k] == '0'; k--)
			frac[k] = '\0';
		mg_buf_puts(out, frac);
	}
}

static mg_jdate_kind parse_time(mg_jdate *t, const char *s)
{
	long f[3];

	if (!mg_jdate_scan(s, "9:9:9", f))
		return MG_JDATE_NONE;
	t->h = f[0];
	t->mi = f[1];
	t->s = f[2];
	mg_jdate_normalize(t);
	return MG_JDATE_TIME;
}

static bool parse_datetime19(mg_jdate *t, const char *s)
{
	long f[6];
	bool space = memchr(s, ' ', 19) != NULL;

	if (!mg_jdate_scan(s, space ? "9-9-9 9:9:9" : "9-9-9T9:9:9", f))
		return false;
	t->y = f[0];
	t->mo = f[1];
	t->d = f[2];
	t->h = f[3];
	t->mi = f[4];
	t->s = f[5];
	t->nanos = 0;
	return true;
}

/* The digits after the '.': nanoseconds. An offset ("+02:00", "Z")
 * after them takes the OffsetDateTime path, which needs the 'T' form. */
static bool parse_fraction(const char *frac, size_t total_len, bool t_form,
			   long *nanos)
{
	size_t n = 0;
	long v = 0;

	while (n < 10 && isdigit((unsigned char)frac[n]))
		v = v * 10 + (frac[n++] - '0');
	if (n == 0)
		return false;
	if (frac[n]) {
		if (!t_form || !strchr("+-Zz", frac[n]))
			return false;
		while (n < 9)
			v *= 10, n++;
		*nanos = v;
		return true;
	}
	if (n > 9)
		return false;
	for (; total_len < 29; total_len++)
		v *= 10;
	*nanos = v;
	return true;
}

mg_jdate_kind mg_jdate_parse(mg_jdate *t, const char *s)
{
	size_t len = strlen(s);
	long f[3];

	*t = (mg_jdate){ 1970, 1, 1, 0, 0, 0, 0 };
	if (len == 8)
		return parse_time(t, s);
	if (len == 10) {
		if (!mg_jdate_scan(s, "9-9-9", f))
			return MG_JDATE_NONE;
		t->y = f[0];
		t->mo = f[1];
		t->d = f[2];
		mg_jdate_normalize(t);
		return MG_JDATE_DATE;
	}
	if (len != 19 && strchr(s, ':') && !strchr(s, '-'))
		return strchr(s, '.') ? MG_JDATE_NONE : parse_time(t, s);
	if (len < 19 || (len > 19 && s[19] != '.'))
		return MG_JDATE_NONE;
	if (!parse_datetime19(t, s))
		return MG_JDATE_NONE;
	if (len > 19 && !parse_fraction(s + 20, len, s[10] == 'T', &t->nanos))
		return MG_JDATE_NONE;
	mg_jdate_normalize(t);
	return MG_JDATE_TIMESTAMP;
}
