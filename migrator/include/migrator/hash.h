/*
 * hash.h: MD5 and SHA-256 (OpenSSL EVP) and Unicode NFC, the primitives
 * Liquibase's checksums are built from.
 */
#ifndef MIGRATOR_HASH_H
#define MIGRATOR_HASH_H

#include <stddef.h>

#include "migrator/buf.h"

/* Lowercase hex MD5 of `len` bytes into `hex` (33 bytes). */
void mg_md5_hex(char hex[33], const void *data, size_t len);
/* Lowercase hex SHA-256 into `hex` (65 bytes). */
void mg_sha256_hex(char hex[65], const void *data, size_t len);
/* Append the NFC normalisation of UTF-8 `s` (invalid UTF-8 is copied). */
void mg_nfc(mg_buf *out, const char *s, size_t len);

/* Streaming digests: SHA-256 and MD5. */
typedef struct mg_digest mg_sha256;
typedef struct mg_digest mg_md5;
mg_sha256 *mg_sha256_new(void);
void mg_sha256_update(mg_sha256 *h, const void *data, size_t len);
/* Writes the hex digest and frees `h`. */
void mg_sha256_finish(mg_sha256 *h, char hex[65]);

mg_md5 *mg_md5_new(void);
void mg_md5_update(mg_md5 *h, const void *data, size_t len);
void mg_md5_finish(mg_md5 *h, char hex[33]);

#endif
