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
	unsigned line;  /* natural lines read so far */
	unsigned start; /* natural line the logical line read last began on */
} reader;

/* LineReader's flags while it reads one logical line. */
typedef struct line_state {
	bool skip_ws;   /* dropping leading blanks */
	bool comment;   /* in a '#' or '!' line */
	bool new_line;  /* at the first character of a line */
	bool appended;  /* a continuation line is being joined */
	bool backslash; /* the text ends in an odd number of backslashes */
	bool skip_lf;   /* a CR was read: a LF after it ends nothing */
} line_state;

/* While skipping leading blanks: true when `c` is dropped (a blank, or
 * the end of an empty line that no continuation asked for). */
static bool skip_leading(reader *r, line_state *st, unsigned char c)
{
	if (blank((char)c))
		return true;
	if (!st->appended && (c == '\r' || c == '\n')) {
		r->line++;
		r->start = r->line + 1;
		st->skip_lf = c == '\r';
		return true;
	}
	st->skip_ws = false;
	st->appended = false;
	return false;
}

/* A natural line ended with `c`: true when that ends the logical line,
 * false when it was a comment or empty (start again) or goes on. */
static bool end_of_line(reader *r, line_state *st, mg_buf *out,
			unsigned char c)
{
	r->line++;
	st->skip_lf = c == '\r';
	if (st->comment || !out->len) {
		st->comment = false;
		st->new_line = true;
		st->skip_ws = true;
		mg_buf_reset(out);
		r->start = r->line + 1;
		return false;
	}
	if (st->backslash) {
		mg_buf_truncate(out, out->len - 1);
		st->skip_ws = true;
		st->appended = true;
		st->backslash = false;
		return false;
	}
	/* the '\n' of a "\r\n" is skipped at the next call */
	if (st->skip_lf && r->p < r->end && *r->p == '\n')
		r->p++;
	return true;
}

static bool read_line(reader *r, mg_buf *out)
{
	line_state st = { .skip_ws = true, .new_line = true };

	mg_buf_reset(out);
	r->start = r->line + 1;
	while (r->p < r->end) {
		unsigned char c = *r->p++;

		if (st.skip_lf) {
			st.skip_lf = false;
			if (c == '\n')
				continue;
		}
		if (st.skip_ws && skip_leading(r, &st, c))
			continue;
		if (st.new_line) {
			st.new_line = false;
			if (c == '#' || c == '!') {
				st.comment = true;
				continue;
			}
		}
		if (c != '\n' && c != '\r') {
			mg_buf_putc(out, (char)c);
			st.backslash = c == '\\' ? !st.backslash : false;
			continue;
		}
		if (end_of_line(r, &st, out, c))
			return true;
	}
	if (!out->len || st.comment)
		return false;
	if (st.backslash)
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
		     (const unsigned char *)text + len, 0, 0 };
	mg_buf line = MG_BUF_INIT, key = MG_BUF_INIT, value = MG_BUF_INIT;
	int error = 0;

	while (!error && read_line(&r, &line)) {
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
			mg_error_set_location(file, (int)r.start, 1);
			break;
		}
		error = each(key.ptr, value.ptr, arg);
	}
	mg_buf_release(&line);
	mg_buf_release(&key);
	mg_buf_release(&value);
	return error;
}
