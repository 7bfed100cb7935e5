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

#endif
