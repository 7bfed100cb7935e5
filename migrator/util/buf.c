/* buf.c: growable string (see buf.h for the invariants). */
#include "migrator/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char mg_buf__empty[1];

void mg_buf_init(mg_buf *b, size_t hint)
{
	b->ptr = mg_buf__empty;
	b->len = 0;
	b->alloc = 0;
	if (hint)
		mg_buf_grow(b, hint);
}

void mg_buf_grow(mg_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->alloc)
		return;
	if (need < b->alloc * 2)
		need = b->alloc * 2;
	if (need < 64)
		need = 64;
	if (b->alloc == 0) {
		b->ptr = mg_xmalloc(need);
		b->ptr[0] = '\0';
	} else {
		b->ptr = mg_xrealloc(b->ptr, need);
	}
	b->alloc = need;
}

void mg_buf_put(mg_buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	mg_buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void mg_buf_puts(mg_buf *b, const char *s)
{
	mg_buf_put(b, s, strlen(s));
}

void mg_buf_putc(mg_buf *b, char c)
{
	if (b->len + 1 >= b->alloc)
		mg_buf_grow(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}

/* One formatting pass when the text fits in the space left (the usual
 * case once a buffer has grown), two otherwise. */
void mg_buf_vprintf(mg_buf *b, const char *fmt, va_list ap)
{
	size_t avail = b->alloc ? b->alloc - b->len : 0;
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(avail ? b->ptr + b->len : NULL, avail, fmt, cp);
	va_end(cp);
	MG_ASSERT(n >= 0);
	if ((size_t)n < avail) {
		b->len += (size_t)n;
		return;
	}
	if (avail)
		b->ptr[b->len] = '\0';
	mg_buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void mg_buf_printf(mg_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mg_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void mg_buf_truncate(mg_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->ptr[len] = '\0';
}

void mg_buf_reset(mg_buf *b)
{
	mg_buf_truncate(b, 0);
}

void mg_buf_release(mg_buf *b)
{
	if (b->alloc)
		free(b->ptr);
	mg_buf_init(b, 0);
}

char *mg_buf_detach(mg_buf *b)
{
	char *s = b->alloc ? b->ptr : mg_xstrdup("");

	mg_buf_init(b, 0);
	return s;
}

void mg_buf_put_nows(mg_buf *b, const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			mg_buf_putc(b, *s);
}

void mg_buf_trim(mg_buf *b)
{
	size_t start = 0, end = b->len;

	while (start < end && (unsigned char)b->ptr[start] <= 0x20)
		start++;
	while (end > start && (unsigned char)b->ptr[end - 1] <= 0x20)
		end--;
	if (start > 0 && end > start)
		memmove(b->ptr, b->ptr + start, end - start);
	mg_buf_truncate(b, end - start);
}
