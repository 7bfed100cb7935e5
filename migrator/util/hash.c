/* hash.c: MD5/SHA-256 through OpenSSL EVP, NFC through libunistring. */
#include "migrator/hash.h"

#include "migrator/error.h"

#include <stdlib.h>

#include <openssl/evp.h>
#include <uninorm.h>

static void to_hex(char *hex, const unsigned char *d, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * n] = '\0';
}

static void digest_hex(char *hex, const EVP_MD *md, const void *data,
		       size_t len)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(data, len, d, &n, md, NULL))
		mg_assert_fail("EVP_Digest", __FILE__, __LINE__);
	to_hex(hex, d, n);
}

/* Checksums hash a few short texts per changeset: one MD5 context and
 * one fetched implementation serve them all (EVP_Digest would fetch
 * and allocate both for each). Kept until exit, one per thread. */
void mg_md5_hex(char hex[33], const void *data, size_t len)
{
	static _Thread_local EVP_MD_CTX *ctx;
	static _Thread_local EVP_MD *md5;
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!ctx) {
		md5 = EVP_MD_fetch(NULL, "MD5", NULL);
		ctx = EVP_MD_CTX_new();
		if (!md5 || !ctx)
			mg_assert_fail("EVP_MD_fetch", __FILE__, __LINE__);
	}
	if (!EVP_DigestInit_ex2(ctx, md5, NULL) ||
	    !EVP_DigestUpdate(ctx, data, len) ||
	    !EVP_DigestFinal_ex(ctx, d, &n))
		mg_assert_fail("EVP_Digest", __FILE__, __LINE__);
	to_hex(hex, d, n);
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

struct mg_digest {
	EVP_MD_CTX *ctx;
};

static struct mg_digest *digest_new(const EVP_MD *md)
{
	struct mg_digest *h = mg_xmalloc(sizeof(*h));

	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || !EVP_DigestInit_ex(h->ctx, md, NULL))
		mg_assert_fail("EVP_DigestInit_ex", __FILE__, __LINE__);
	return h;
}

mg_sha256 *mg_sha256_new(void)
{
	return digest_new(EVP_sha256());
}

mg_md5 *mg_md5_new(void)
{
	return digest_new(EVP_md5());
}

void mg_sha256_update(mg_sha256 *h, const void *data, size_t len)
{
	EVP_DigestUpdate(h->ctx, data, len);
}

static void digest_finish(struct mg_digest *h, char *hex)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_DigestFinal_ex(h->ctx, d, &n);
	to_hex(hex, d, n);
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void mg_sha256_finish(mg_sha256 *h, char hex[65])
{
	digest_finish(h, hex);
}

void mg_md5_update(mg_md5 *h, const void *data, size_t len)
{
	EVP_DigestUpdate(h->ctx, data, len);
}

void mg_md5_finish(mg_md5 *h, char hex[33])
{
	digest_finish(h, hex);
}
