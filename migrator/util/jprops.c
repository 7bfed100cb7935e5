/*
 * jprops.c: java.util.Properties.load(InputStream), which Liquibase uses
 * for <property file="..."> and liquibase.properties.
 *
 * Bytes are ISO-8859-1 (a UTF-8 "é" is two characters, as in Java);
 * "\uXXXX" escapes give any character; a line ending in an odd number of
 * backslashes goes on with the next line, whose leading blanks are
 * dropped; '#' and '!' start comment lines; the key ends at the first
 * unescaped '=', ':' or blank, and one '=' or ':' with blanks around it
 * separates it from the value. The result is UTF-8.
 */
#include "migrator/jprops.h"

#include <stdlib.h>
#include <string.h>

#include "migrator/buf.h"
#include "migrator/error.h"

/* Properties' blanks: space, tab and form feed */
static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

static void put_utf8(mg_buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		mg_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		mg_buf_putc(b, (char)(0xC0 | (cp >> 6)));
		mg_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		mg_buf_putc(b, (char)(0xE0 | (cp >> 12)));
		mg_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		mg_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		mg_buf_putc(b, (char)(0xF0 | (cp >> 18)));
		mg_buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
		mg_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		mg_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	}
}

/* One logical line, continuations joined, escapes still in: the state
 * machine of Properties.LineReader. */
typedef struct reader {
	const unsigned char *p, *end;
	unsigned line; /* natural lines read so far */
} reader;

static bool read_line(reader *r, mg_buf *out, unsigned *start)
{
	bool skip_ws = true, comment = false, new_line = true;
	bool appended = false, backslash = false, skip_lf = false;

	mg_buf_reset(out);
	*start = r->line + 1;
	while (r->p < r->end) {
		unsigned char c = *r->p++;

		if (skip_lf) {
			skip_lf = false;
			if (c == '\n')
				continue;
		}
		if (skip_ws) {
			if (blank((char)c))
				continue;
			if (!appended && (c == '\r' || c == '\n')) {
				r->line++;
				*start = r->line + 1;
				skip_lf = c == '\r';
				continue;
			}
			skip_ws = false;
			appended = false;
		}
		if (new_line) {
			new_line = false;
			if (c == '#' || c == '!') {
				comment = true;
				continue;
			}
		}
		if (c != '\n' && c != '\r') {
			mg_buf_putc(out, (char)c);
			backslash = c == '\\' ? !backslash : false;
			continue;
		}
		r->line++;
		skip_lf = c == '\r';
		if (comment || !out->len) {
			comment = false;
			new_line = true;
			skip_ws = true;
			mg_buf_reset(out);
			*start = r->line + 1;
			continue;
		}
		if (backslash) {
			mg_buf_truncate(out, out->len - 1);
			skip_ws = true;
			appended = true;
			backslash = false;
			continue;
		}
		/* the '\n' of a "\r\n" is skipped at the next call */
		if (skip_lf && r->p < r->end && *r->p == '\n')
			r->p++;
		return true;
	}
	if (!out->len || comment)
		return false;
	if (backslash)
		mg_buf_truncate(out, out->len - 1);
	return true;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Unescape s[0..n) into `out` as UTF-8. */
static int unescape(mg_buf *out, const unsigned char *s, size_t n)
{
	unsigned long hi = 0; /* a pending high surrogate */

	for (size_t i = 0; i < n; i++) {
		unsigned long cp = s[i];

		if (cp == '\\' && i + 1 < n) {
			unsigned char e = s[++i];

			if (e == 'u') {
				cp = 0;
				for (int k = 0; k < 4; k++) {
					int h = i + 1 < n ? hexval(s[++i]) : -1;

					if (h < 0)
						return -1;
					cp = cp * 16 + (unsigned long)h;
				}
			} else {
				cp = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r'
				   : e == 'f' ? '\f' : e;
			}
		}
		if (cp >= 0xD800 && cp < 0xDC00) {
			hi = cp;
			continue;
		}
		if (hi && cp >= 0xDC00 && cp < 0xE000) {
			cp = 0x10000 + ((hi - 0xD800) << 10) + (cp - 0xDC00);
		} else if (hi) {
			put_utf8(out, 0xFFFD);
		}
		hi = 0;
		put_utf8(out, cp);
	}
	if (hi)
		put_utf8(out, 0xFFFD);
	return 0;
}

int mg_jprops_parse(const char *text, size_t len, const char *file,
		    mg_jprops_fn each, void *arg)
{
	reader r = { (const unsigned char *)text,
		     (const unsigned char *)text + len, 0 };
	unsigned at;
	mg_buf line = MG_BUF_INIT, key = MG_BUF_INIT, value = MG_BUF_INIT;
	int error = 0;

	while (!error && read_line(&r, &line, &at)) {
		const unsigned char *s = (const unsigned char *)line.ptr;
		size_t n = line.len, k = 0, v;
		/* the key: up to an unescaped '=', ':' or blank */
		while (k < n && !(s[k] == '=' || s[k] == ':' || blank((char)s[k])))
			k += s[k] == '\\' && k + 1 < n ? 2 : 1;
		v = k;
		while (v < n && blank((char)s[v]))
			v++;
		if (v < n && (s[v] == '=' || s[v] == ':'))
			v++;
		while (v < n && blank((char)s[v]))
			v++;
		mg_buf_reset(&key);
		mg_buf_reset(&value);
		if (unescape(&key, s, k) < 0 || unescape(&value, s + v, n - v) < 0) {
			error = mg_error_set(MG_EPARSE, "malformed \\uxxxx escape");
			mg_error_set_location(file, (int)at, 1);
			break;
		}
		error = each(key.ptr, value.ptr, arg);
	}
	mg_buf_release(&line);
	mg_buf_release(&key);
	mg_buf_release(&value);
	return error;
}
