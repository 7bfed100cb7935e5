/*
 * yaml_scalar.c: how SnakeYAML types a plain scalar, and how Java prints
 * the result.
 *
 * Liquibase hashes the Java objects SnakeYAML constructs, so `1.50` is
 * hashed as the Double 1.5 and `0x1F` as the Integer 31 (spec 2.4, 2.5).
 * The patterns below are those of SnakeYAML 2.2's Resolver (YAML 1.1
 * with '_' separators), tried in its order: null, bool, int, float,
 * timestamp; the conversions follow its SafeConstructor.
 */
#include "parse/yaml_doc.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/buf.h"
#include "migrator/error.h"
#include "migrator/jnumber.h"
#include "migrator/util.h"

#define DIGITS "0123456789"
#define DIGITS_ "0123456789_"
#define HEX "0123456789abcdefABCDEF"
/* BigInteger conversions are quadratic; no changelog needs more. */
#define MAX_RADIX_DIGITS 4096

/* ---- YAML 1.1 scalar typing (SnakeYAML Resolver, SafeConstructor) ---- */

static const char *const yaml_true[] = {
    "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
};
static const char *const yaml_false[] = {
    "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
};
static const char *const yaml_null[] = {"", "~", "null", "Null", "NULL"};
static const char *const yaml_inf[] = {"inf", "Inf", "INF"};
static const char *const yaml_nan[] = {"nan", "NaN", "NAN"};

static bool in_set(char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

static size_t span(const char *s, size_t n, const char *set)
{
	size_t i = 0;

	while (i < n && in_set(s[i], set))
		i++;
	return i;
}

static bool word_in(const char *s, size_t n, const char *const *words,
		    size_t nwords)
{
	for (size_t i = 0; i < nwords; i++)
		if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
			return true;
	return false;
}

static size_t sign_len(const char *s, size_t n)
{
	return n > 0 && (s[0] == '-' || s[0] == '+');
}

/* Only chars of `set` and '_', at least one of `set`: `_*[set][set_]*` */
static bool digits_us(const char *s, size_t n, const char *set)
{
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '_')
			continue;
		if (!in_set(s[i], set))
			return false;
		any = true;
	}
	return any;
}

/* One or more sexagesimal groups `(:[0-5]?[0-9])+` covering s[0..n). */
static bool sexa_groups(const char *s, size_t n)
{
	size_t i = 0, k;

	if (n == 0)
		return false;
	while (i < n) {
		if (s[i++] != ':')
			return false;
		k = span(s + i, n - i, DIGITS);
		if (k != 1 && !(k == 2 && s[i] <= '5'))
			return false;
		i += k;
	}
	return true;
}

static bool match_int(const char *s, size_t n)
{
	size_t k = sign_len(s, n);

	s += k;
	n -= k;
	if (n >= 2 && s[0] == '0' && s[1] == 'b')
		return digits_us(s + 2, n - 2, "01");
	if (n >= 2 && s[0] == '0' && s[1] == 'x')
		return digits_us(s + 2, n - 2, HEX);
	if (n >= 1 && s[0] == '0')
		return n == 1 || digits_us(s + 1, n - 1, "01234567");
	if (n == 0 || !in_set(s[0], "123456789"))
		return false;
	k = span(s, n, DIGITS_);
	return k == n || sexa_groups(s + k, n - k);
}

/* `[eE][-+]?[0-9]+` covering s[0..n) */
static bool is_exponent(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || (s[0] != 'e' && s[0] != 'E'))
		return false;
	i = 1 + sign_len(s + 1, n - 1);
	return i < n && span(s + i, n - i, DIGITS) == n - i;
}

/* `[0-9][0-9_]*\.[0-9_]*(exp)?`, `[0-9][0-9_]*exp`, `\.[0-9_]+(exp)?` */
static bool match_float_dec(const char *s, size_t n)
{
	size_t i = 0, ip = 0, fp = 0;
	bool dot = false;

	if (n > 0 && in_set(s[0], DIGITS))
		i = ip = span(s, n, DIGITS_);
	if (i < n && s[i] == '.') {
		dot = true;
		i++;
		fp = span(s + i, n - i, DIGITS_);
		i += fp;
	}
	if (ip == 0 && !(dot && fp > 0))
		return false;
	if (i == n)
		return dot;
	return is_exponent(s + i, n - i);
}

/* `[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*` */
static bool match_float_sexa(const char *s, size_t n)
{
	const char *dot;
	size_t k;

	if (n == 0 || !in_set(s[0], DIGITS))
		return false;
	k = span(s, n, DIGITS_);
	dot = memchr(s + k, '.', n - k);
	if (!dot)
		return false;
	return sexa_groups(s + k, (size_t)(dot - s) - k) &&
	       span(dot + 1, n - (size_t)(dot - s) - 1, DIGITS_) ==
		   n - (size_t)(dot - s) - 1;
}

static bool match_float(const char *s, size_t n)
{
	size_t k = sign_len(s, n);

	if (n == 4 && s[0] == '.' && word_in(s + 1, 3, yaml_nan, 3))
		return true;
	s += k;
	n -= k;
	if (n == 4 && s[0] == '.' && word_in(s + 1, 3, yaml_inf, 3))
		return true;
	return match_float_dec(s, n) || match_float_sexa(s, n);
}

typedef struct cursor {
	const char *s;
	size_t i, n;
} cursor;

static bool cur_digits(cursor *c, size_t min, size_t max)
{
	size_t k = 0;

	while (k < max && c->i < c->n && in_set(c->s[c->i], DIGITS)) {
		c->i++;
		k++;
	}
	return k >= min;
}

static bool cur_char(cursor *c, const char *set)
{
	if (c->i < c->n && in_set(c->s[c->i], set)) {
		c->i++;
		return true;
	}
	return false;
}

/* The time part of a timestamp, from the hour on. */
static bool match_time(cursor *c)
{
	if (!cur_digits(c, 1, 2) || !cur_char(c, ":") || !cur_digits(c, 2, 2) ||
	    !cur_char(c, ":") || !cur_digits(c, 2, 2))
		return false;
	if (cur_char(c, "."))
		cur_digits(c, 0, SIZE_MAX);
	if (c->i == c->n)
		return true;
	c->i += span(c->s + c->i, c->n - c->i, " \t");
	if (cur_char(c, "Z"))
		return c->i == c->n;
	if (!cur_char(c, "-+") || !cur_digits(c, 1, 2))
		return false;
	if (cur_char(c, ":") && !cur_digits(c, 2, 2))
		return false;
	return c->i == c->n;
}

static bool match_timestamp(const char *s, size_t n)
{
	cursor c = {s, 0, n};

	if (!cur_digits(&c, 4, 4) || !cur_char(&c, "-") ||
	    !cur_digits(&c, 1, 2) || !cur_char(&c, "-") ||
	    !cur_digits(&c, 1, 2))
		return false;
	if (c.i == n)
		return n == 10;
	if (!cur_char(&c, "Tt")) {
		size_t k = span(s + c.i, n - c.i, " \t");

		if (k == 0)
			return false;
		c.i += k;
	}
	return match_time(&c);
}

/* The tag SnakeYAML's resolver gives a plain scalar, in resolver order. */
mg_scalar_kind mg_yaml__classify(const char *s, size_t n)
{
	/* what no pattern can start with, as most keys and names */
	if (n > 0 && !in_set(s[0], "~nNyYtToOfF+-." DIGITS))
		return MG_SCALAR_STRING;
	if (word_in(s, n, yaml_null, MG_ARRAY_SIZE(yaml_null)))
		return MG_SCALAR_NULL;
	if (word_in(s, n, yaml_true, MG_ARRAY_SIZE(yaml_true)) ||
	    word_in(s, n, yaml_false, MG_ARRAY_SIZE(yaml_false)))
		return MG_SCALAR_BOOL;
	if (match_int(s, n))
		return MG_SCALAR_INT;
	if (match_float(s, n))
		return MG_SCALAR_FLOAT;
	if (match_timestamp(s, n))
		return MG_SCALAR_DATE;
	return MG_SCALAR_STRING;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

/* BigInteger(s, base).toString() for unsigned digits s. */
static int radix_to_decimal(mg_buf *out, const char *s, unsigned base)
{
	size_t n = strlen(s), nl = 0;
	uint32_t *limb;

	if (n > MAX_RADIX_DIGITS)
		return mg_error_set(MG_EPARSE,
				    "integer has more than %d digits",
				    MAX_RADIX_DIGITS);
	limb = mg_xcalloc(n / 4 + 2, sizeof(*limb));
	for (size_t i = 0; i < n; i++) {
		uint64_t carry = (uint64_t)hex_value(s[i]);

		for (size_t j = 0; j < nl; j++) {
			uint64_t cur = (uint64_t)limb[j] * base + carry;

			limb[j] = (uint32_t)(cur % 1000000000u);
			carry = cur / 1000000000u;
		}
		for (; carry; carry /= 1000000000u)
			limb[nl++] = (uint32_t)(carry % 1000000000u);
	}
	mg_buf_printf(out, "%u", nl ? limb[nl - 1] : 0u);
	for (size_t j = nl > 1 ? nl - 1 : 0; j-- > 0;)
		mg_buf_printf(out, "%09u", limb[j]);
	free(limb);
	return 0;
}

static int32_t to_int32(uint32_t v)
{
	return v <= INT32_MAX ? (int32_t)v : -(int32_t)(UINT32_MAX - v) - 1;
}

/*
 * SnakeYAML sums sexagesimal groups in a Java int, so large values wrap
 * around; we wrap the same way. A negative wrapped value with a '-' sign
 * gives Java the text "--n", which no number class accepts.
 */
static int sexa_int(mg_buf *out, const char *v, bool neg)
{
	uint32_t val = 0;
	const char *p = v;

	while (*p) {
		char *end;
		long long part;

		errno = 0;
		part = strtoll(p, &end, 10);
		if (errno == ERANGE)
			return mg_error_set(
			    MG_EPARSE, "cannot construct an integer from '%s'",
			    v);
		val = val * 60u + (uint32_t)part;
		p = *end == ':' ? end + 1 : end;
	}
	if (neg && to_int32(val) < 0)
		return mg_error_set(
		    MG_EPARSE, "cannot construct an integer from '-%s'", v);
	mg_buf_printf(out, "%lld",
		      neg ? -(long long)to_int32(val)
			  : (long long)to_int32(val));
	return 0;
}

/* Remove '_' and a leading sign; *neg tells whether it was '-'. */
static void strip_number(mg_buf *out, const char *s, size_t n, bool *neg)
{
	size_t k = sign_len(s, n);

	*neg = k && s[0] == '-';
	for (size_t i = k; i < n; i++)
		if (s[i] != '_')
			mg_buf_putc(out, s[i]);
}

/* Integer/Long/BigInteger.toString of SnakeYAML's ConstructYamlInt. */
static int int_text(mg_buf *out, const char *s, size_t n)
{
	mg_buf d = MG_BUF_INIT, mag = MG_BUF_INIT;
	const char *v;
	bool neg;
	int err = 0;

	strip_number(&d, s, n, &neg);
	v = d.ptr;
	if (strchr(v, ':')) {
		err = sexa_int(out, v, neg);
		goto out;
	}
	if (mg_str_startswith(v, "0b"))
		err = radix_to_decimal(&mag, v + 2, 2);
	else if (mg_str_startswith(v, "0x"))
		err = radix_to_decimal(&mag, v + 2, 16);
	else if (v[0] == '0')
		err = radix_to_decimal(&mag, v + 1, 8);
	else
		mg_buf_puts(&mag, v);
	if (err == 0) {
		if (neg && strcmp(mag.ptr, "0") != 0)
			mg_buf_putc(out, '-');
		mg_buf_puts(out, mag.ptr);
	}
out:
	mg_buf_release(&d);
	mg_buf_release(&mag);
	return err;
}

static bool lower_eq(const char *s, const char *lower)
{
	for (; *s && *lower; s++, lower++)
		if ((*s >= 'A' && *s <= 'Z' ? *s + 32 : *s) != *lower)
			return false;
	return *s == *lower;
}

/* SnakeYAML sums the groups right to left with an int multiplier. */
static double sexa_float(const char *v)
{
	const char *end = v + strlen(v), *p;
	double val = 0;
	uint32_t bes = 1;

	while (end > v) {
		for (p = end; p > v && p[-1] != ':'; p--)
			;
		val += strtod(p, NULL) * (double)to_int32(bes);
		bes *= 60u;
		end = p > v ? p - 1 : v;
	}
	return val;
}

/* Double.toString of SnakeYAML's ConstructYamlFloat. */
static int float_text(mg_buf *out, const char *s, size_t n)
{
	mg_buf d = MG_BUF_INIT;
	double x;
	char *end;
	bool neg;
	int err = 0;

	strip_number(&d, s, n, &neg);
	if (lower_eq(d.ptr, ".inf")) {
		x = HUGE_VAL;
	} else if (lower_eq(d.ptr, ".nan")) {
		x = NAN;
	} else if (strchr(d.ptr, ':')) {
		x = sexa_float(d.ptr);
	} else {
		x = strtod(d.ptr, &end);
		if (end == d.ptr || *end)
			err = mg_error_set(
			    MG_EPARSE, "cannot construct a float from '%.*s'",
			    (int)n, s);
	}
	if (err == 0)
		mg_jnumber_double(out, neg ? -x : x);
	mg_buf_release(&d);
	return err;
}

int mg_yaml__typed(mg_ynode *n, mg_arena *tmp, const char *s, size_t len,
		   mg_scalar_kind kind)
{
	mg_buf b = MG_BUF_INIT;
	int err = 0;

	n->raw = mg_arena_strndup(tmp, s, len);
	n->kind = kind;
	n->value = n->raw;
	if (kind == MG_SCALAR_NULL)
		n->value = NULL;
	else if (kind == MG_SCALAR_BOOL)
		n->value = word_in(s, len, yaml_true, MG_ARRAY_SIZE(yaml_true))
			       ? "true"
			       : "false";
	else if (kind == MG_SCALAR_INT)
		err = int_text(&b, s, len);
	else if (kind == MG_SCALAR_FLOAT)
		err = float_text(&b, s, len);
	if (b.len)
		n->value = mg_arena_strndup(tmp, b.ptr, b.len);
	mg_buf_release(&b);
	return err;
}

int mg_yaml__plain(mg_ynode *n, mg_arena *tmp, const char *s, size_t len)
{
	n->merge = len == 2 && memcmp(s, "<<", 2) == 0;
	return mg_yaml__typed(n, tmp, s, len, mg_yaml__classify(s, len));
}
