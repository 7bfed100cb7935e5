/*
 * encoding.h: text files in a Java charset ("ISO-8859-1", "windows-1252",
 * "UTF-16", ...) turned into UTF-8 through iconv, the way Liquibase reads
 * a changelog's sqlFile or CSV with its `encoding` attribute.
 */
#ifndef MIGRATOR_ENCODING_H
#define MIGRATOR_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#include "migrator/buf.h"

typedef struct mg_decoder mg_decoder;

/* True for NULL, "UTF-8" and "UTF8": the bytes are used as they are. */
bool mg_charset_is_utf8(const char *charset);

/* A decoder for `charset`; MG_EINVALID naming it when iconv has none. */
int mg_decoder_new(mg_decoder **out, const char *charset);

/*
 * Append the UTF-8 form of `len` bytes to `out`. A sequence cut at the
 * end of `in` waits for the next call; with `last` it is malformed.
 * Malformed input becomes U+FFFD, as Java's decoders replace it.
 */
void mg_decoder_feed(mg_decoder *d, mg_buf *out, const char *in, size_t len,
		     bool last);
void mg_decoder_free(mg_decoder *d); /* NULL-safe */

/* All of `in` at once: UTF-8 charsets are copied unchanged. */
int mg_decode(mg_buf *out, const char *in, size_t len, const char *charset);

#endif
