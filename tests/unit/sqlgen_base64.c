/*
 * sqlgen_base64.c: BLOB cells and values (mg_sqlgen__base64) against a
 * reference written from Liquibase's rules: LoadDataChange.BASE64_PATTERN
 * decides what is base64, java.util.Base64's basic decoder decodes it (the
 * bits after the last whole byte are ignored). Every short string over an
 * alphabet of digits, padding, whitespace, URL-safe and non-ASCII bytes,
 * and longer random ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "migrator/arena.h"
#include "sqlgen/pg_internal.h"

static const char digits64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int value64(char c)
{
	const char *p = c ? strchr(digits64, c) : NULL;

	return p ? (int)(p - digits64) : -1;
}

/* ^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$,
 * then the decoded bytes as lowercase hex into `hex`. */
static bool reference(char *hex, const char *s)
{
	size_t n = strlen(s), pad = 0, out = 0;
	unsigned long group = 0;

	if (n % 4)
		return false;
	if (n >= 4 && s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	for (size_t i = 0; i < n - pad; i++)
		if (value64(s[i]) < 0)
			return false;
	for (size_t i = 0; i < n; i += 4) {
		size_t bytes = i + 4 < n ? 3 : 3 - pad;

		group = 0;
		for (size_t j = 0; j < 4; j++)
			group = group << 6 |
				(s[i + j] == '=' ? 0 : (unsigned)value64(s[i + j]));
		for (size_t k = 0; k < bytes; k++)
			out += (size_t)sprintf(hex + out, "%02x",
					       (unsigned)(group >> (16 - 8 * k)) & 255);
	}
	hex[out] = '\0';
	return true;
}

static void check(mg_arena *a, const char *s)
{
	char want[512];
	pg_value v = { .kind = PGV_STRING, .text = "untouched" };
	bool ok = reference(want, s), got = mg_sqlgen__base64(&v, a, s);

	if (ok != got)
		fail_msg("'%s': base64 %d, reference %d", s, got, ok);
	if (!ok) {
		assert_int_equal(v.kind, PGV_STRING);
		assert_string_equal(v.text, "untouched");
		return;
	}
	assert_int_equal(v.kind, PGV_BYTES);
	if (strcmp(v.text, want) != 0)
		fail_msg("'%s': %s, reference %s", s, v.text, want);
}

/* Every string of up to `max` characters of `alphabet`. */
static void every_string(const char *alphabet, size_t max)
{
	size_t k = strlen(alphabet), idx[16] = { 0 };
	char s[17];

	for (size_t len = 0; len <= max; len++) {
		mg_arena a = MG_ARENA_INIT;

		memset(idx, 0, sizeof(idx));
		for (;;) {
			size_t i = 0;

			for (size_t j = 0; j < len; j++)
				s[j] = alphabet[idx[j]];
			s[len] = '\0';
			check(&a, s);
			while (i < len && ++idx[i] == k)
				idx[i++] = 0;
			if (i == len)
				break;
		}
		mg_arena_release(&a);
	}
}

static void test_short_strings(void **state)
{
	(void)state;
	/* digits whose low bits matter at the end (A=0, B=1, P=15, Q=16),
	 * padding, whitespace, URL-safe digits, a byte >= 0x80 */
	every_string("AB/+=Pz9 \n\r\t-_.\xff", 5);
	every_string("AQ=/ \n", 8);
}

static void test_named_cases(void **state)
{
	static const char *const cases[] = {
		"", "====", "A===", "AA==", "AB==", "AAB=", "AAA=", "TWFu",
		"TWE=", "TQ==", "TQ", "TQ=", "TQ===", "TWFuTWFu", "TWFu====",
		"TWE=TWFu", " TWFu", "TWFu ", "TWFu\n", "\nTWFu", "TW Fu",
		"TWFu\r\n", "TW\tFu", "-_-_", "AAEC/w==", "TE9C", "YQ==",
		"data.bin", "abc", "ab=c", "=AAA", "AA=A", "\xc3\xa9\xc3\xa9",
		"////", "++++", "//8=", "AP8A", "AAAAAAAA=", "AAAAAAA==",
	};
	mg_arena a = MG_ARENA_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(&a, cases[i]);
	mg_arena_release(&a);
}

static void test_random_strings(void **state)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned seed = 12345;
	char s[200];

	(void)state;
	for (int round = 0; round < 20000; round++) {
		mg_arena a = MG_ARENA_INIT;
		size_t len = 4 * (1 + round % 40), pad = (size_t)round % 3;

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = alphabet[(seed >> 16) % 64];
		}
		for (size_t i = 0; i < pad; i++)
			s[len - 1 - i] = '=';
		s[len] = '\0';
		check(&a, s);
		/* one character changed to one that is not a digit */
		s[(seed >> 8) % len] = "= \n-*"[round % 5];
		check(&a, s);
		mg_arena_release(&a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_cases),
		cmocka_unit_test(test_short_strings),
		cmocka_unit_test(test_random_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
