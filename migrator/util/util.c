/* util.c: string, path and file helpers with no domain knowledge (the
 * allocation helpers are in xalloc.c). */
#include "migrator/util.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

#include "migrator/buf.h"
#include "migrator/error.h"

bool mg_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool mg_strieq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcasecmp(a, b) == 0;
}

bool mg_str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool mg_str_istartswith(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

bool mg_str_endswith(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool mg_java_bool(const char *s)
{
	return s && strcasecmp(s, "true") == 0;
}

/* Decode one UTF-8 sequence; invalid bytes decode as themselves. */
static unsigned decode_utf8(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned c = s[0];
	int n = 0;

	if (c >= 0xf0 && s[1] && s[2] && s[3]) {
		c = ((c & 0x07) << 18) | ((s[1] & 0x3f) << 12) |
		    ((s[2] & 0x3f) << 6) | (s[3] & 0x3f);
		n = 4;
	} else if (c >= 0xe0 && s[1] && s[2]) {
		c = ((c & 0x0f) << 12) | ((s[1] & 0x3f) << 6) | (s[2] & 0x3f);
		n = 3;
	} else if (c >= 0xc0 && s[1]) {
		c = ((c & 0x1f) << 6) | (s[1] & 0x3f);
		n = 2;
	} else {
		n = 1;
	}
	*p = s + n;
	return c;
}

/* Next UTF-16 code unit of a UTF-8 string; `pending` holds a low
 * surrogate between calls. Returns 0 at the end. */
static unsigned next_unit(const unsigned char **p, unsigned *pending)
{
	unsigned c;

	if (*pending) {
		c = *pending;
		*pending = 0;
		return c;
	}
	if (!**p)
		return 0;
	c = decode_utf8(p);
	if (c >= 0x10000) {
		c -= 0x10000;
		*pending = 0xdc00 | (c & 0x3ff);
		return 0xd800 | (c >> 10);
	}
	return c;
}

int mg_java_strcmp(const char *a, const char *b)
{
	const unsigned char *pa = (const unsigned char *)a;
	const unsigned char *pb = (const unsigned char *)b;
	unsigned qa = 0, qb = 0;

	/* an ASCII prefix compares as bytes; from the first other byte on,
	 * code unit by code unit */
	while (*pa == *pb && *pa && *pa < 0x80) {
		pa++;
		pb++;
	}
	if (*pa < 0x80 && *pb < 0x80)
		return *pa == *pb ? 0 : *pa < *pb ? -1 : 1;
	for (;;) {
		unsigned ca = next_unit(&pa, &qa), cb = next_unit(&pb, &qb);

		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (!ca)
			return 0;
	}
}

size_t mg_utf16_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p)
		n += decode_utf8(&p) >= 0x10000 ? 2 : 1;
	return n;
}

size_t mg_utf16_prefix_bytes(const char *s, size_t units)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p) {
		const unsigned char *q = p;
		size_t w = decode_utf8(&q) >= 0x10000 ? 2 : 1;

		if (n + w > units)
			break;
		n += w;
		p = q;
	}
	return (size_t)(p - (const unsigned char *)s);
}

bool mg_list_next(const char **p, const char **item, size_t *len)
{
	const char *s = *p, *end;

	if (!s)
		return false;
	for (;;) {
		while (*s == ',' || *s == ' ' || *s == '\t' || *s == '\n' ||
		       *s == '\r')
			s++;
		if (!*s) {
			*p = s;
			return false;
		}
		*item = s;
		while (*s && *s != ',')
			s++;
		end = s;
		while (end > *item && (end[-1] == ' ' || end[-1] == '\t' ||
				       end[-1] == '\n' || end[-1] == '\r'))
			end--;
		if (end > *item) {
			*len = (size_t)(end - *item);
			*p = s;
			return true;
		}
	}
}

int mg_read_file(char **out, size_t *len, const char *path)
{
	FILE *f = mg_resource_open(path);
	char *data = NULL;
	size_t n = 0, alloc = 0, got;
	struct stat st;

	if (!f)
		return mg_error_set(errno == ENOENT ? MG_ENOTFOUND : MG_ERROR,
				    "cannot open '%s': %s", path,
				    strerror(errno));
	/* a plain file is read into a buffer of its size (doubling would
	 * leave up to twice the file in memory for the whole run) */
	if (fileno(f) >= 0 && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > 0 && (unsigned long long)st.st_size < SIZE_MAX / 2) {
		alloc = (size_t)st.st_size + 2; /* and a byte to meet EOF */
		data = mg_xmalloc(alloc);
	}
	do {
		if (alloc - n < 2)
			MG_VEC_GROW(data, alloc, n + 65536 + 1);
		got = fread(data + n, 1, alloc - n - 1, f);
		n += got;
	} while (got > 0 && !feof(f));
	if (ferror(f)) {
		fclose(f);
		free(data);
		return mg_error_set(MG_ERROR, "cannot read '%s'", path);
	}
	fclose(f);
	if (alloc > n + 65536)
		data = mg_xrealloc(data, n + 1);
	data[n] = '\0';
	*out = data;
	if (len)
		*len = n;
	return 0;
}

/* DatabaseChangeLog.normalizePath: '\\' -> '/', drop classpath:, a
 * drive, a leading '/', resolve '.' and '..', drop a trailing '/'. */
void mg_path_normalize(mg_buf *out, const char *in)
{
	mg_buf b = MG_BUF_INIT;
	char *segs[256];
	size_t n = 0;
	char *p;

	if (mg_str_startswith(in, "classpath:"))
		in += 10;
	mg_buf_puts(&b, in);
	for (size_t i = 0; i < b.len; i++)
		if (b.ptr[i] == '\\')
			b.ptr[i] = '/';
	p = b.ptr;
	if (isalpha((unsigned char)p[0]) && p[1] == ':')
		p += 2;
	if (*p == '/')
		p++;
	for (char *tok = strtok(p, "/"); tok; tok = strtok(NULL, "/")) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0 && n > 0 && strcmp(segs[n - 1], ".."))
			n--;
		else if (n < MG_ARRAY_SIZE(segs))
			segs[n++] = tok;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			mg_buf_putc(out, '/');
		mg_buf_puts(out, segs[i]);
	}
	mg_buf_release(&b);
}

void mg_child_default_signals(void)
{
	signal(SIGPIPE, SIG_DFL);
	signal(SIGXFSZ, SIG_DFL);
}
