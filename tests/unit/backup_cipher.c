/*
 * backup_cipher.c: the AES-256-GCM streams of encrypted backups: a round
 * trip in pieces, and what a wrong key, a changed byte or a file that is
 * not encrypted do; the key from 64 hex digits or any other text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "backup/cipher.h"
#include "migrator/error.h"
#include "migrator/hash.h"

#define TEXT_LEN 1000

typedef struct sealed {
	unsigned char header[MG_ENC_HEADER];
	unsigned char data[TEXT_LEN];
	unsigned char tag[MG_ENC_TAG];
} sealed;

static void make_text(unsigned char *text)
{
	for (size_t i = 0; i < TEXT_LEN; i++)
		text[i] = (unsigned char)(i * 7 + 3);
}

/* Encrypt in pieces of 1, 10, 100, ... bytes. */
static void seal(sealed *s, const unsigned char key[32],
		 const unsigned char *text)
{
	mg_cipher *c = NULL;
	size_t done = 0, piece = 1;

	assert_int_equal(mg_cipher_encrypt_new(&c, key, s->header), 0);
	while (done < TEXT_LEN) {
		size_t n = TEXT_LEN - done < piece ? TEXT_LEN - done : piece;

		assert_int_equal(mg_cipher_update(c, text + done, n,
						  s->data + done), 0);
		done += n;
		piece *= 10;
	}
	assert_int_equal(mg_cipher_finish(c, s->tag), 0);
}

/* Decrypt in one piece: the finish's result. */
static int open_sealed(sealed *s, const unsigned char key[32],
		       unsigned char *plain)
{
	mg_cipher *c = NULL;
	int error = mg_cipher_decrypt_new(&c, key, s->header);

	if (error)
		return error;
	if ((error = mg_cipher_update(c, s->data, TEXT_LEN, plain)) < 0) {
		mg_cipher_free(c);
		return error;
	}
	return mg_cipher_finish(c, s->tag);
}

static void test_round_trip(void **state)
{
	unsigned char key[32], text[TEXT_LEN], plain[TEXT_LEN];
	sealed s, again;

	(void)state;
	mg_cipher_key(key, "a passphrase");
	make_text(text);
	seal(&s, key, text);
	assert_memory_equal(s.header, MG_ENC_MAGIC, 8);
	assert_memory_not_equal(s.data, text, TEXT_LEN);
	assert_int_equal(open_sealed(&s, key, plain), 0);
	assert_memory_equal(plain, text, TEXT_LEN);
	/* a new IV each time */
	seal(&again, key, text);
	assert_memory_not_equal(again.header + 8, s.header + 8, 12);
}

static void test_refused(void **state)
{
	unsigned char key[32], other[32], text[TEXT_LEN], plain[TEXT_LEN];
	sealed s, changed;
	mg_cipher *c = NULL;

	(void)state;
	mg_cipher_key(key, "a passphrase");
	mg_cipher_key(other, "another passphrase");
	make_text(text);
	seal(&s, key, text);
	assert_int_equal(open_sealed(&s, other, plain), MG_EINVALID);
	assert_string_equal(mg_error_last()->message,
			    "the backup does not decrypt: wrong key, or the "
			    "file was changed");
	changed = s;
	changed.data[500] ^= 1;
	assert_int_equal(open_sealed(&changed, key, plain), MG_EINVALID);
	changed = s;
	changed.tag[0] ^= 1;
	assert_int_equal(open_sealed(&changed, key, plain), MG_EINVALID);
	changed = s;
	changed.header[0] = 'X';
	assert_int_equal(mg_cipher_decrypt_new(&c, key, changed.header),
			 MG_EINVALID);
	assert_null(c);
	assert_string_equal(mg_error_last()->message,
			    "not an encrypted migrator backup");
}

static void test_key(void **state)
{
	static const char hex[] =
		"000102030405060708090a0b0c0d0e0f101112131415161718191A1B1C1D1E1F";
	static const char *const passphrases[] = { hex + 1, "", "x",
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g" };
	unsigned char key[32];
	char want[65], got[65];

	(void)state;
	mg_cipher_key(key, hex);
	for (int i = 0; i < 32; i++)
		assert_int_equal(key[i], i);
	/* 63 digits, a non-digit: a passphrase, its SHA-256 the key */
	for (size_t i = 0; i < 4; i++) {
		mg_cipher_key(key, passphrases[i]);
		for (int j = 0; j < 32; j++)
			sprintf(got + 2 * j, "%02x", key[j]);
		mg_sha256_hex(want, passphrases[i], strlen(passphrases[i]));
		assert_string_equal(got, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
