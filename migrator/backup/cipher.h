/*
 * cipher.h (internal): AES-256-GCM streams for encrypted backups. Layout
 * of an encrypted file: "MGENC1\0\0", a 12-byte random IV, the
 * ciphertext, the 16-byte tag.
 */
#ifndef MIGRATOR_BACKUP_CIPHER_H
#define MIGRATOR_BACKUP_CIPHER_H

#include <stddef.h>

#define MG_ENC_MAGIC "MGENC1\0\0"
#define MG_ENC_HEADER 20
#define MG_ENC_TAG 16
typedef struct mg_cipher mg_cipher;
/* `key` is 32 bytes. Encryption writes the header into `header`. */
int mg_cipher_encrypt_new(mg_cipher **out, const unsigned char key[32],
			  unsigned char header[MG_ENC_HEADER]);
int mg_cipher_decrypt_new(mg_cipher **out, const unsigned char key[32],
			  const unsigned char header[MG_ENC_HEADER]);
/* `out` has room for `len` bytes. */
int mg_cipher_update(mg_cipher *c, const unsigned char *in, size_t len,
		     unsigned char *out);
/* Encryption: writes the tag. Decryption: checks it (MG_EINVALID when
 * the key is wrong or the data was changed). Frees `c`. */
int mg_cipher_finish(mg_cipher *c, unsigned char tag[MG_ENC_TAG]);
void mg_cipher_free(mg_cipher *c);
/* A key: 64 hex digits, or any other text hashed with SHA-256. */
void mg_cipher_key(unsigned char key[32], const char *text);

#endif
