/*
 * pg_render.c: a Java value written into SQL the way a column type's
 * objectToSql does (Liquibase 4.28, PostgreSQL), plus toString() of the
 * values, date literals and the database functions (NOW(), nextval(...)).
 * Uses only the quoting helpers (pg_quote.c).
 */
#include "pg_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "migrator/error.h"
#include "migrator/jdate.h"
#include "migrator/util.h"

/* LiquibaseDataType.formatNumber: drop a trailing ".0+" */
void mg_sqlgen__format_number(mg_buf *out, const char *text)
{
	const char *dot = strrchr(text, '.');
	size_t n = strlen(text);

	if (dot && dot[1]) {
		const char *p = dot + 1;

		while (*p == '0')
			p++;
		if (!*p)
			n = dot - text;
	}
	mg_buf_put(out, text, n);
}

static const char *const weekdays[] = { "Thu", "Fri", "Sat", "Sun", "Mon",
					"Tue", "Wed" };
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
				      "Jun", "Jul", "Aug", "Sep", "Oct",
				      "Nov", "Dec" };

/* java.util.Date.toString() in UTC: "Sat Jan 01 00:00:00 UTC 2000" */
static void util_date_tostring(mg_buf *out, const char *iso)
{
	int y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0;
	long days;

	sscanf(iso, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s);
	days = mg_jdate_days(y, mo, d);
	mg_buf_printf(out, "%s %s %02d %02d:%02d:%02d UTC %d",
		      weekdays[((days % 7) + 7) % 7], months[(mo + 11) % 12],
		      d, h, mi, s, y);
}

static bool matches_digits(const char *s, const char *pattern)
{
	for (; *pattern; pattern++, s++) {
		if (*pattern == '9' ? !isdigit((unsigned char)*s)
				    : *s != *pattern)
			return false;
	}
	return *s == '\0';
}

/* AbstractJdbcDatabase.getDateLiteral(isoDate) */
static void iso_literal(mg_buf *out, const char *iso)
{
	size_t n = strlen(iso);
	char head[20];

	if (matches_digits(iso, "9999-99-99") ||
	    matches_digits(iso, "99:99:99")) {
		mg_sqlgen__literal_raw(out, iso);
		return;
	}
	if (n >= 19 && (iso[10] == 'T' || iso[10] == ' ')) {
		memcpy(head, iso, 19);
		head[19] = '\0';
		head[10] = 'T';
		if (matches_digits(head, "9999-99-99T99:99:99") &&
		    (n == 19 || (iso[19] == '.' && n > 20 &&
				 strspn(iso + 20, "0123456789") == n - 20))) {
			mg_buf_putc(out, '\'');
			for (const char *p = iso; *p; p++)
				mg_buf_putc(out, *p == 'T' ? ' ' : *p);
			mg_buf_putc(out, '\'');
			return;
		}
	}
	mg_buf_printf(out, "BAD_DATE_FORMAT:%s", iso);
}

void mg_sqlgen__date_literal(mg_buf *out, const pg_value *v)
{
	iso_literal(out, v->text);
}

/* Object.toString() of the Java value */
void mg_sqlgen__value_tostring(mg_buf *out, const pg_value *v)
{
	const char *dot;

	switch (v->kind) {
	case PGV_BOOL:
		mg_buf_puts(out, v->b ? "true" : "false");
		break;
	case PGV_TIMESTAMP:
		/* Timestamp.toString: a space, and ".0" without nanos */
		dot = strchr(v->text, '.');
		for (const char *p = v->text; *p && p != dot; p++)
			mg_buf_putc(out, *p == 'T' ? ' ' : *p);
		mg_buf_puts(out, dot ? dot : ".0");
		break;
	case PGV_UTILDATE:
		util_date_tostring(out, v->text);
		break;
	case PGV_FUNCTION:
	case PGV_SEQ_NEXT:
	case PGV_SEQ_CURRENT:
		if (v->schema)
			mg_buf_printf(out, "%s.", v->schema);
		mg_buf_puts(out, v->text);
		break;
	default:
		mg_buf_puts(out, v->text ? v->text : "null");
		break;
	}
}

/* AbstractJdbcDatabase.generateDatabaseFunctionValue on PostgreSQL */
void mg_sqlgen__function(mg_buf *out, const pg_value *v,
			 const mg_sqlgen_ctx *ctx)
{
	const char *s = v->text;

	if (!s) {
		mg_buf_puts(out, "null");
	} else if (mg_str_istartswith(s, "current_timestamp") ||
		   mg_str_istartswith(s, "current_datetime") ||
		   strcasecmp(s, "NOW()") == 0) {
		mg_buf_puts(out, "NOW()");
	} else if (v->kind == PGV_SEQ_NEXT || v->kind == PGV_SEQ_CURRENT) {
		mg_buf_puts(out, v->kind == PGV_SEQ_NEXT ? "nextval('"
							 : "currval('");
		mg_sqlgen_qualified(out, ctx, v->schema, s);
		mg_buf_puts(out, "')");
	} else {
		mg_buf_puts(out, s);
	}
}

static bool is_function_kind(pg_vkind k)
{
	return k == PGV_FUNCTION || k == PGV_SEQ_NEXT || k == PGV_SEQ_CURRENT;
}

static int cannot_convert(const pg_value *v, const char *what)
{
	mg_buf s = MG_BUF_INIT;
	int error;

	mg_sqlgen__value_tostring(&s, v);
	error = mg_error_set(MG_EINVALID, "cannot convert value '%s' to %s",
			     s.ptr, what);
	mg_buf_release(&s);
	return error;
}

static bool str_ieq_stripped(const char *s, const char *word)
{
	return strcasecmp(s, word) == 0;
}

/* BooleanType.objectToSql for a String */
static int boolean_string(mg_buf *out, const pg_value *v)
{
	mg_buf s = MG_BUF_INIT;
	const char *p;
	int error = 0;

	for (p = v->text; *p; p++)
		if (*p != '\'')
			mg_buf_putc(&s, *p);
	p = s.ptr;
	if (str_ieq_stripped(p, "true") || !strcmp(p, "1") ||
	    str_ieq_stripped(p, "b'1'") || str_ieq_stripped(p, "t")) {
		mg_buf_puts(out, "TRUE");
	} else if (str_ieq_stripped(p, "false") || !strcmp(p, "0") ||
		   str_ieq_stripped(p, "b'0'") || str_ieq_stripped(p, "f")) {
		mg_buf_puts(out, "FALSE");
	} else {
		/* "b?([01])\\1*(::bit|::\"bit\")?" is a bit string */
		const char *q = p + (*p == 'b');
		char first = *q;

		if (first == '0' || first == '1') {
			while (*q == first)
				q++;
			if (!*q || !strcmp(q, "::bit") ||
			    !strcmp(q, "::\"bit\"")) {
				mg_buf_puts(out, "b'");
				for (const char *r = p + (*p == 'b');
				     *r == first; r++)
					mg_buf_putc(out, *r);
				mg_buf_puts(out, "'::\"bit\"");
				mg_buf_release(&s);
				return 0;
			}
		}
		error = mg_error_set(MG_EINVALID, "unknown boolean value: %s",
				     p);
	}
	mg_buf_release(&s);
	return error;
}

static int typed_boolean(mg_buf *out, const pg_type *t, const pg_value *v)
{
	(void)t;
	switch (v->kind) {
	case PGV_STRING:
		return boolean_string(out, v);
	case PGV_NUMBER:
		mg_buf_puts(out, !strcmp(v->text, "1") ||
				 !strcmp(v->text, "1.0") ? "TRUE" : "FALSE");
		return 0;
	case PGV_BOOL:
		mg_buf_puts(out, v->b ? "TRUE" : "FALSE");
		return 0;
	default:
		return cannot_convert(v, "a boolean value");
	}
}

static void quoted_tostring(mg_buf *out, const pg_value *v, bool escape)
{
	mg_buf s = MG_BUF_INIT;

	mg_sqlgen__value_tostring(&s, v);
	mg_buf_putc(out, '\'');
	if (escape)
		mg_sqlgen__escape(out, s.ptr);
	else
		mg_buf_puts(out, s.ptr);
	mg_buf_putc(out, '\'');
	mg_buf_release(&s);
}

/* LiquibaseDataType.objectToSql: numbers lose ".0", others toString() */
static void typed_plain(mg_buf *out, const pg_value *v)
{
	if (v->kind == PGV_NUMBER)
		mg_sqlgen__format_number(out, v->text);
	else
		mg_sqlgen__value_tostring(out, v);
}

static int typed_date(mg_buf *out, const pg_type *t, const pg_value *v)
{
	mg_buf s = MG_BUF_INIT;
	bool now;

	mg_sqlgen__value_tostring(&s, v);
	now = strcmp(s.ptr, "CURRENT_TIMESTAMP()") == 0;
	mg_buf_release(&s);
	if (t->kind == PGT_DATE && now) {
		mg_buf_puts(out, "NOW()");
		return 0;
	}
	switch (v->kind) {
	case PGV_STRING:
		quoted_tostring(out, v, true);
		return 0;
	case PGV_DATE:
	case PGV_TIME:
		if (t->kind == PGT_DATE ||
		    (t->kind == PGT_TIME && v->kind == PGV_TIME)) {
			mg_sqlgen__date_literal(out, v);
			return 0;
		}
		break;
	case PGV_TIMESTAMP:
	case PGV_UTILDATE:
		if (t->kind == PGT_DATE) {
			mg_sqlgen__date_literal(out, v);
			return 0;
		}
		break;
	default:
		break;
	}
	return cannot_convert(v, "a date value");
}

static int typed_datetime(mg_buf *out, const pg_type *t, const pg_value *v)
{
	mg_buf s = MG_BUF_INIT;
	bool fn;

	(void)t;
	mg_sqlgen__value_tostring(&s, v);
	fn = mg_str_endswith(s.ptr, "()") || strcasecmp(s.ptr, "NOW()") == 0;
	if (fn)
		mg_buf_puts(out, s.ptr);
	mg_buf_release(&s);
	if (fn)
		return 0;
	if (v->kind == PGV_STRING) {
		quoted_tostring(out, v, true);
		return 0;
	}
	if (v->kind == PGV_TIMESTAMP) {
		mg_sqlgen__date_literal(out, v);
		return 0;
	}
	return cannot_convert(v, "a timestamp value");
}

static bool is_null_text(const pg_value *v)
{
	mg_buf s = MG_BUF_INIT;
	bool null;

	mg_sqlgen__value_tostring(&s, v);
	null = strcasecmp(s.ptr, "null") == 0;
	mg_buf_release(&s);
	return null;
}

/* IntType, BigIntType, TinyIntType: the number without ".0" */
static int typed_integer(mg_buf *out, const pg_type *t, const pg_value *v)
{
	mg_buf s = MG_BUF_INIT;

	(void)t;
	mg_sqlgen__value_tostring(&s, v);
	mg_sqlgen__format_number(out, s.ptr);
	mg_buf_release(&s);
	return 0;
}

/* SmallIntType, MediumIntType: booleans are 1 and 0 */
static int typed_smallint(mg_buf *out, const pg_type *t, const pg_value *v)
{
	if (v->kind != PGV_BOOL)
		return typed_integer(out, t, v);
	mg_buf_puts(out, v->b ? "1" : "0");
	return 0;
}

/* the character types: toString() quoted */
static int typed_string(mg_buf *out, const pg_type *t, const pg_value *v)
{
	(void)t;
	quoted_tostring(out, v, true);
	return 0;
}

/* ClobType: a string already in quotes is taken as is */
static int typed_clob(mg_buf *out, const pg_type *t, const pg_value *v)
{
	if (v->kind == PGV_STRING && v->text[0] == '\'')
		mg_buf_puts(out, v->text);
	else
		typed_string(out, t, v);
	return 0;
}

static int typed_xml(mg_buf *out, const pg_type *t, const pg_value *v)
{
	if (v->kind == PGV_NUMBER) {
		mg_sqlgen__format_number(out, v->text);
		return 0;
	}
	mg_buf_puts(out, "xml ");
	return typed_string(out, t, v);
}

/* UnknownType: the default, in quotes */
static int typed_unknown(mg_buf *out, const pg_type *t, const pg_value *v)
{
	(void)t;
	mg_buf_putc(out, '\'');
	typed_plain(out, v);
	mg_buf_putc(out, '\'');
	return 0;
}

typedef int typed_fn(mg_buf *out, const pg_type *t, const pg_value *v);

/* objectToSql of each column type; the others write typed_plain */
static typed_fn *const typed[PGT_XML + 1] = {
	[PGT_BOOLEAN] = typed_boolean,
	[PGT_SMALLINT] = typed_smallint,
	[PGT_MEDIUMINT] = typed_smallint,
	[PGT_INT] = typed_integer,
	[PGT_BIGINT] = typed_integer,
	[PGT_TINYINT] = typed_integer,
	[PGT_CHAR] = typed_string,
	[PGT_VARCHAR] = typed_string,
	[PGT_NCHAR] = typed_string,
	[PGT_NVARCHAR] = typed_string,
	[PGT_CLOB] = typed_clob,
	[PGT_DATE] = typed_date,
	[PGT_TIME] = typed_date,
	[PGT_DATETIME] = typed_datetime,
	[PGT_TIMESTAMP] = typed_datetime,
	[PGT_XML] = typed_xml,
	[PGT_UNKNOWN] = typed_unknown,
};

/*
 * The column type's objectToSql(value). Functions never get here (the
 * callers render them first). Where Java returns null the SQL gets the
 * word "null", as StringBuilder.append(null) does.
 */
int mg_sqlgen__typed_value(mg_buf *out, const pg_type *t,
			   const pg_value *v, const mg_sqlgen_ctx *ctx)
{
	if (is_function_kind(v->kind)) {
		mg_sqlgen__function(out, v, ctx);
		return 0;
	}
	if (t->kind == PGT_BLOB) {
		if (v->kind == PGV_STRING)
			mg_sqlgen__literal_raw(out, v->text);
		else
			mg_sqlgen__value_tostring(out, v);
		return 0;
	}
	if (is_null_text(v)) {
		mg_buf_puts(out, t->kind == PGT_UNKNOWN ? "'null'" : "null");
		return 0;
	}
	if (typed[t->kind])
		return typed[t->kind](out, t, v);
	typed_plain(out, v);
	return 0;
}
