/*
 * pg_lob.c: the values Liquibase binds to JDBC prepared statements
 * (ExecutablePreparedStatementBase.applyColumnParameter): file contents
 * for valueBlobFile/valueClobFile and BLOB/CLOB loadData cells, and
 * base64 BLOB cells. migrator writes them into the statement as
 * literals: bytes as bytea hex input ('\x0a1b'), text quoted.
 */
#include "pg_internal.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "migrator/encoding.h"
#include "migrator/error.h"
#include "migrator/util.h"

static const char *lob_path(const pg_gen *g, mg_arena *a, const char *file)
{
	const char *dir = g->c->dir;

	if (file[0] == '/' || !dir || !*dir)
		return file;
	return mg_arena_printf(a, "%s/%s", dir, file);
}

static int read_lob(char **out, size_t *len, const pg_gen *g, mg_arena *a,
		    const char *file)
{
	int error = mg_read_file(out, len, lob_path(g, a, file));

	if (error < 0)
		mg_error_set_detail("%s: a value read from a file is looked "
				    "for beside its changelog",
				    g->c->type->name);
	return error;
}

static const char *hex_of(mg_arena *a, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *hex = mg_arena_alloc(a, 2 * n + 1);

	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[p[i] >> 4];
		hex[2 * i + 1] = digits[p[i] & 15];
	}
	hex[2 * n] = '\0';
	return hex;
}

int mg_sqlgen__blob_file(pg_value *v, const pg_gen *g, mg_arena *a,
			 const char *file)
{
	char *data;
	size_t len;
	int error;

	if ((error = read_lob(&data, &len, g, a, file)) < 0)
		return error;
	memset(v, 0, sizeof(*v));
	v->kind = PGV_BYTES;
	v->text = hex_of(a, (const unsigned char *)data, len);
	free(data);
	return 0;
}

int mg_sqlgen__clob_file(pg_value *v, const pg_gen *g, mg_arena *a,
			 const char *file, const char *encoding)
{
	mg_buf text = MG_BUF_INIT;
	char *data;
	size_t len;
	int error;

	if ((error = read_lob(&data, &len, g, a, file)) < 0)
		return error;
	error = mg_decode(&text, data, len, encoding);
	free(data);
	if (error < 0)
		return error;
	memset(v, 0, sizeof(*v));
	v->kind = PGV_TEXT;
	v->text = mg_arena_strndup(a, text.ptr ? text.ptr : "", text.len);
	mg_buf_release(&text);
	return 0;
}

/*
 * Which cells are base64 is Liquibase's rule, kept on purpose: its
 * LoadDataChange.BASE64_PATTERN,
 *   ^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$
 * so no whitespace, no URL-safe digits; anything else is a file name.
 * Returns the number of '=' at the end, or -1 when `s` does not match.
 */
static int base64_padding(const char *s, size_t n)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t pad = 0;

	if (n % 4)
		return -1;
	if (n && s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	if (strspn(s, digits) != n - pad)
		return -1;
	return (int)pad;
}

/* EVP_DecodeBlock takes an int length: a long value goes in pieces of
 * whole 4-character groups. */
#define DECODE_PIECE ((size_t)1 << 28)

/* java.util.Base64 (what Liquibase decodes with) ignores the bits after
 * the last whole byte; so does EVP_DecodeBlock, which decodes '=' as zero
 * bits (3 bytes a group: the padding's are dropped). */
bool mg_sqlgen__base64(pg_value *v, mg_arena *a, const char *s)
{
	size_t n = strlen(s);
	int pad = base64_padding(s, n);
	unsigned char *bytes;

	if (pad < 0)
		return false;
	bytes = mg_arena_alloc(a, n / 4 * 3 + 1);
	for (size_t i = 0; i < n; i += DECODE_PIECE) {
		size_t len = n - i < DECODE_PIECE ? n - i : DECODE_PIECE;

		if (EVP_DecodeBlock(bytes + i / 4 * 3,
				    (const unsigned char *)s + i, (int)len) < 0)
			return false; /* not after base64_padding() */
	}
	memset(v, 0, sizeof(*v));
	v->kind = PGV_BYTES;
	v->text = hex_of(a, bytes, n / 4 * 3 - (size_t)pad);
	return true;
}
