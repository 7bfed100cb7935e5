/* cipher.c: AES-256-GCM streams for encrypted backups (OpenSSL EVP). */
#include "cipher.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "migrator/error.h"
#include "migrator/util.h"

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
