/* hash.c: MD5/SHA-256 through OpenSSL EVP, NFC through libunistring. */
#include "migrator/hash.h"

#include <stdlib.h>

#include <openssl/evp.h>
#include <uninorm.h>

static void digest_hex(char *hex, const EVP_MD *md, const void *data,
		       size_t len)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	static const char digits[] = "0123456789abcdef";

	if (!EVP_Digest(data, len, d, &n, md, NULL))
		mg_assert_fail("EVP_Digest", __FILE__, __LINE__);
	for (unsigned int i = 0; i < n; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * n] = '\0';
}

void mg_md5_hex(char hex[33], const void *data, size_t len)
{
	digest_hex(hex, EVP_md5(), data, len);
}

void mg_sha256_hex(char hex[65], const void *data, size_t len)
{
	digest_hex(hex, EVP_sha256(), data, len);
}

void mg_nfc(mg_buf *out, const char *s, size_t len)
{
	size_t n = 0;
	uint8_t *r;
	int ascii = 1;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80) {
			ascii = 0;
			break;
		}
	if (ascii) {
		mg_buf_put(out, s, len);
		return;
	}
	r = u8_normalize(UNINORM_NFC, (const uint8_t *)s, len, NULL, &n);
	if (!r) {
		mg_buf_put(out, s, len);
		return;
	}
	mg_buf_put(out, r, n);
	free(r);
}
