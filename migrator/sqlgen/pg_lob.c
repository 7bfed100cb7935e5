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

static int b64_digit(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	return c == '/' ? 63 : -1;
}

/* ^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$ */
static bool base64_shape(const char *s, size_t n)
{
	size_t pad = 0;

	if (n % 4)
		return false;
	if (n && s[n - 1] == '=')
		pad = n >= 2 && s[n - 2] == '=' ? 2 : 1;
	for (size_t i = 0; i < n - pad; i++)
		if (b64_digit(s[i]) < 0)
			return false;
	return true;
}

bool mg_sqlgen__base64(pg_value *v, mg_arena *a, const char *s)
{
	size_t n = strlen(s), out = 0;
	unsigned char *bytes;
	unsigned acc = 0;
	int bits = 0;

	if (!base64_shape(s, n))
		return false;
	bytes = mg_arena_alloc(a, n / 4 * 3 + 1);
	for (size_t i = 0; i < n && s[i] != '='; i++) {
		acc = (acc << 6) | (unsigned)b64_digit(s[i]);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			bytes[out++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	memset(v, 0, sizeof(*v));
	v->kind = PGV_BYTES;
	v->text = hex_of(a, bytes, out);
	return true;
}
