/* hash.c: MD5/SHA-256 through OpenSSL EVP, NFC through libunistring. */
#include "migrator/hash.h"

#include <string.h>

#include "migrator/error.h"

#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
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

struct mg_cipher {
	EVP_CIPHER_CTX *ctx;
	int encrypt;
};

static int cipher_new(mg_cipher **out, const unsigned char key[32],
		      const unsigned char iv[12], int encrypt)
{
	mg_cipher *c = mg_xcalloc(1, sizeof(*c));

	c->ctx = EVP_CIPHER_CTX_new();
	c->encrypt = encrypt;
	if (!c->ctx ||
	    !EVP_CipherInit_ex(c->ctx, EVP_aes_256_gcm(), NULL, NULL, NULL,
			       encrypt) ||
	    !EVP_CIPHER_CTX_ctrl(c->ctx, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) ||
	    !EVP_CipherInit_ex(c->ctx, NULL, NULL, key, iv, encrypt)) {
		mg_cipher_free(c);
		return mg_error_set(MG_ERROR, "cannot set up AES-256-GCM");
	}
	*out = c;
	return 0;
}

int mg_cipher_encrypt_new(mg_cipher **out, const unsigned char key[32],
			  unsigned char header[MG_ENC_HEADER])
{
	/* NOLINTNEXTLINE(bugprone-not-null-terminated-result): 8 magic bytes, no string */
	memcpy(header, MG_ENC_MAGIC, 8);
	if (RAND_bytes(header + 8, 12) != 1)
		return mg_error_set(MG_ERROR, "no random bytes for the IV");
	return cipher_new(out, key, header + 8, 1);
}

int mg_cipher_decrypt_new(mg_cipher **out, const unsigned char key[32],
			  const unsigned char header[MG_ENC_HEADER])
{
	if (memcmp(header, MG_ENC_MAGIC, 8) != 0)
		return mg_error_set(MG_EINVALID, "not an encrypted migrator backup");
	return cipher_new(out, key, header + 8, 0);
}

int mg_cipher_update(mg_cipher *c, const unsigned char *in, size_t len,
		     unsigned char *out)
{
	int n = 0;

	if (!EVP_CipherUpdate(c->ctx, out, &n, in, (int)len) || (size_t)n != len)
		return mg_error_set(MG_ERROR, "AES-256-GCM failed");
	return 0;
}

int mg_cipher_finish(mg_cipher *c, unsigned char tag[MG_ENC_TAG])
{
	unsigned char rest[32];
	int n = 0, ok;

	if (!c->encrypt)
		EVP_CIPHER_CTX_ctrl(c->ctx, EVP_CTRL_GCM_SET_TAG, MG_ENC_TAG, tag);
	ok = EVP_CipherFinal_ex(c->ctx, rest, &n);
	if (ok && c->encrypt)
		ok = EVP_CIPHER_CTX_ctrl(c->ctx, EVP_CTRL_GCM_GET_TAG, MG_ENC_TAG,
					 tag);
	mg_cipher_free(c);
	if (!ok)
		return mg_error_set(MG_EINVALID, "the backup does not decrypt: "
						 "wrong key, or the file was "
						 "changed");
	return 0;
}

void mg_cipher_free(mg_cipher *c)
{
	if (!c)
		return;
	EVP_CIPHER_CTX_free(c->ctx);
	free(c);
}

void mg_cipher_key(unsigned char key[32], const char *text)
{
	size_t n = strlen(text);
	bool hex = n == 64;

	for (size_t i = 0; hex && i < n; i++)
		hex = strchr("0123456789abcdefABCDEF", text[i]) != NULL;
	if (hex) {
		for (size_t i = 0; i < 32; i++) {
			char b[3] = { text[2 * i], text[2 * i + 1], 0 };

			key[i] = (unsigned char)strtol(b, NULL, 16);
		}
		return;
	}
	EVP_Digest(text, n, key, NULL, EVP_sha256(), NULL);
}
