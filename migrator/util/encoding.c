/*
 * encoding.c: charset decoding with the C library's iconv (glibc knows
 * every charset a changelog names in practice, so no extra library).
 */
#include "migrator/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migrator/error.h"
#include "migrator/util.h"

struct mg_decoder {
	iconv_t cd;
	char pending[8]; /* the start of a sequence cut by the last feed */
	size_t npending;
};

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

bool mg_charset_is_utf8(const char *charset)
{
	return !charset || !strcasecmp(charset, "UTF-8") ||
	       !strcasecmp(charset, "UTF8");
}

/* Java's aliases spell ISO8859_1 and Cp1252 where iconv wants '-'. */
static iconv_t open_charset(const char *charset)
{
	iconv_t cd = iconv_open("UTF-8", charset);
	char *alt;

	/* NOLINTNEXTLINE(performance-no-int-to-ptr): iconv's error value */
	if (cd != (iconv_t)-1 || !strchr(charset, '_'))
		return cd;
	alt = mg_xstrdup(charset);
	for (char *p = alt; *p; p++)
		if (*p == '_')
			*p = '-';
	cd = iconv_open("UTF-8", alt);
	free(alt);
	return cd;
}

int mg_decoder_new(mg_decoder **out, const char *charset)
{
	mg_decoder *d;
	iconv_t cd = open_charset(charset ? charset : "UTF-8");

	/* NOLINTNEXTLINE(performance-no-int-to-ptr): iconv's error value */
	if (cd == (iconv_t)-1)
		return mg_error_set(MG_EINVALID, "unsupported encoding '%s'",
				    charset);
	d = mg_xcalloc(1, sizeof(*d));
	d->cd = cd;
	*out = d;
	return 0;
}

/* Convert as much of [*in, *in + *left) as iconv takes. */
static void convert(mg_decoder *d, mg_buf *out, char **in, size_t *left,
		    bool last)
{
	char chunk[4096];

	while (*left) {
		char *o = chunk;
		size_t room = sizeof(chunk);
		size_t r = iconv(d->cd, in, left, &o, &room);

		mg_buf_put(out, chunk, sizeof(chunk) - room);
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		if (errno == EINVAL && !last)
			return; /* cut sequence: wait for more */
		/* EILSEQ, or EINVAL at the very end */
		mg_buf_puts(out, replacement);
		(*in)++;
		(*left)--;
	}
}

void mg_decoder_feed(mg_decoder *d, mg_buf *out, const char *in, size_t len,
		     bool last)
{
	mg_buf joined = MG_BUF_INIT;
	char *p = (char *)in;
	size_t left = len;

	if (d->npending) {
		mg_buf_put(&joined, d->pending, d->npending);
		mg_buf_put(&joined, in, len);
		p = joined.ptr;
		left = joined.len;
		d->npending = 0;
	}
	convert(d, out, &p, &left, last);
	/* what is left is a cut sequence (never more than a character) */
	if (left > sizeof(d->pending)) {
		mg_buf_puts(out, replacement);
		left = 0;
	}
	memcpy(d->pending, p, left);
	d->npending = left;
	mg_buf_release(&joined);
}

void mg_decoder_free(mg_decoder *d)
{
	if (!d)
		return;
	iconv_close(d->cd);
	free(d);
}

int mg_decode(mg_buf *out, const char *in, size_t len, const char *charset)
{
	mg_decoder *d;
	int error;

	if (mg_charset_is_utf8(charset)) {
		mg_buf_put(out, in, len);
		return 0;
	}
	if ((error = mg_decoder_new(&d, charset)) < 0)
		return error;
	/* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): set when it succeeds */
	mg_decoder_feed(d, out, in, len, true);
	mg_decoder_free(d);
	return 0;
}
