/*
 * buf.h: a growable, always NUL-terminated byte string.
 *
 * Invariants (after git's strbuf):
 *  - `ptr` is never NULL: MG_BUF_INIT points it at a shared static "",
 *    so a fresh buffer can be printed or compared without a check;
 *  - `ptr[len]` is always '\0', even for binary content;
 *  - `alloc == 0` means `ptr` is the static "" and must not be written;
 *  - mg_buf_detach() is the only way to take ownership of the bytes;
 *    after it the buffer is empty and may be reused.
 * Allocation failure aborts (see mg_xmalloc in util.h).
 */
#ifndef MIGRATOR_BUF_H
#define MIGRATOR_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "migrator/util.h"

typedef struct mg_buf {
	char *ptr;
	size_t len;
	size_t alloc;
} mg_buf;

extern char mg_buf__empty[];
#define MG_BUF_INIT { mg_buf__empty, 0, 0 }

void mg_buf_init(mg_buf *b, size_t hint);
void mg_buf_grow(mg_buf *b, size_t extra);
void mg_buf_put(mg_buf *b, const void *data, size_t len);
void mg_buf_puts(mg_buf *b, const char *s);
void mg_buf_putc(mg_buf *b, char c);
void mg_buf_printf(mg_buf *b, const char *fmt, ...) MG_PRINTF(2, 3);
void mg_buf_vprintf(mg_buf *b, const char *fmt, va_list ap);
void mg_buf_truncate(mg_buf *b, size_t len);
void mg_buf_reset(mg_buf *b);
void mg_buf_release(mg_buf *b);
/* Ownership: the returned string belongs to the caller (never NULL). */
char *mg_buf_detach(mg_buf *b);
/* Append `s` with every ASCII space, TAB, CR and LF removed. */
void mg_buf_put_nows(mg_buf *b, const char *s);
/* Remove leading and trailing bytes <= 0x20 (Java String.trim). */
void mg_buf_trim(mg_buf *b);

#endif
