/*
 * pg_types.c: column types and typed values on PostgreSQL, following
 * Liquibase 4.28's DataTypeFactory.fromDescription, each type's
 * toDatabaseDataType and objectToSql (PostgreSQL 10 or later, with the
 * default liquibase.convertDataTypes=true).
 */
#include "pg_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migrator/error.h"
#include "migrator/util.h"

static const struct type_name {
	const char *name; /* lower case, as registered */
	pg_tkind kind;
} type_names[] = {
	{ "bigint", PGT_BIGINT },
	{ "java.sql.types.bigint", PGT_BIGINT },
	{ "java.math.biginteger", PGT_BIGINT },
	{ "java.lang.long", PGT_BIGINT },
	{ "integer8", PGT_BIGINT },
	{ "bigserial", PGT_BIGINT },
	{ "serial8", PGT_BIGINT },
	{ "int8", PGT_BIGINT },
	{ "blob", PGT_BLOB },
	{ "longblob", PGT_BLOB },
	{ "longvarbinary", PGT_BLOB },
	{ "java.sql.types.blob", PGT_BLOB },
	{ "java.sql.types.longblob", PGT_BLOB },
	{ "java.sql.types.longvarbinary", PGT_BLOB },
	{ "java.sql.types.varbinary", PGT_BLOB },
	{ "java.sql.types.binary", PGT_BLOB },
	{ "varbinary", PGT_BLOB },
	{ "binary", PGT_BLOB },
	{ "image", PGT_BLOB },
	{ "tinyblob", PGT_BLOB },
	{ "mediumblob", PGT_BLOB },
	{ "long binary", PGT_BLOB },
	{ "long varbinary", PGT_BLOB },
	{ "boolean", PGT_BOOLEAN },
	{ "java.sql.types.boolean", PGT_BOOLEAN },
	{ "java.lang.boolean", PGT_BOOLEAN },
	{ "bit", PGT_BOOLEAN },
	{ "bool", PGT_BOOLEAN },
	{ "char", PGT_CHAR },
	{ "java.sql.types.char", PGT_CHAR },
	{ "bpchar", PGT_CHAR },
	{ "character", PGT_CHAR },
	{ "clob", PGT_CLOB },
	{ "longvarchar", PGT_CLOB },
	{ "text", PGT_CLOB },
	{ "longtext", PGT_CLOB },
	{ "java.sql.types.longvarchar", PGT_CLOB },
	{ "java.sql.types.clob", PGT_CLOB },
	{ "nclob", PGT_CLOB },
	{ "longnvarchar", PGT_CLOB },
	{ "ntext", PGT_CLOB },
	{ "java.sql.types.longnvarchar", PGT_CLOB },
	{ "java.sql.types.nclob", PGT_CLOB },
	{ "tinytext", PGT_CLOB },
	{ "mediumtext", PGT_CLOB },
	{ "long varchar", PGT_CLOB },
	{ "long nvarchar", PGT_CLOB },
	{ "currency", PGT_CURRENCY },
	{ "money", PGT_CURRENCY },
	{ "smallmoney", PGT_CURRENCY },
	{ "function", PGT_FUNCTION },
	{ "liquibase.statement.databasefunction", PGT_FUNCTION },
	{ "datetime", PGT_DATETIME },
	{ "java.sql.types.datetime", PGT_DATETIME },
	{ "java.util.date", PGT_DATETIME },
	{ "smalldatetime", PGT_DATETIME },
	{ "datetime2", PGT_DATETIME },
	{ "date", PGT_DATE },
	{ "java.sql.types.date", PGT_DATE },
	{ "java.sql.date", PGT_DATE },
	{ "decimal", PGT_DECIMAL },
	{ "java.sql.types.decimal", PGT_DECIMAL },
	{ "java.math.bigdecimal", PGT_DECIMAL },
	{ "double", PGT_DOUBLE },
	{ "java.sql.types.double", PGT_DOUBLE },
	{ "java.lang.double", PGT_DOUBLE },
	{ "float", PGT_FLOAT },
	{ "java.sql.types.float", PGT_FLOAT },
	{ "java.lang.float", PGT_FLOAT },
	{ "real", PGT_FLOAT },
	{ "java.sql.types.real", PGT_FLOAT },
	{ "int", PGT_INT },
	{ "integer", PGT_INT },
	{ "java.sql.types.integer", PGT_INT },
	{ "java.lang.integer", PGT_INT },
	{ "serial", PGT_INT },
	{ "int4", PGT_INT },
	{ "serial4", PGT_INT },
	{ "mediumint", PGT_MEDIUMINT },
	{ "nchar", PGT_NCHAR },
	{ "java.sql.types.nchar", PGT_NCHAR },
	{ "nchar2", PGT_NCHAR },
	{ "nvarchar", PGT_NVARCHAR },
	{ "java.sql.types.nvarchar", PGT_NVARCHAR },
	{ "nvarchar2", PGT_NVARCHAR },
	{ "national", PGT_NVARCHAR },
	{ "number", PGT_NUMBER },
	{ "numeric", PGT_NUMBER },
	{ "java.sql.types.numeric", PGT_NUMBER },
	{ "smallint", PGT_SMALLINT },
	{ "java.sql.types.smallint", PGT_SMALLINT },
	{ "int2", PGT_SMALLINT },
	{ "smallserial", PGT_SMALLINT },
	{ "time", PGT_TIME },
	{ "java.sql.types.time", PGT_TIME },
	{ "java.sql.time", PGT_TIME },
	{ "timetz", PGT_TIME },
	{ "timestamp", PGT_TIMESTAMP },
	{ "java.sql.types.timestamp", PGT_TIMESTAMP },
	{ "java.sql.types.timestamp_with_timezone", PGT_TIMESTAMP },
	{ "java.sql.timestamp", PGT_TIMESTAMP },
	{ "timestamptz", PGT_TIMESTAMP },
	{ "tinyint", PGT_TINYINT },
	{ "java.sql.types.tinyint", PGT_TINYINT },
	{ "uuid", PGT_UUID },
	{ "uniqueidentifier", PGT_UUID },
	{ "java.util.uuid", PGT_UUID },
	{ "varchar", PGT_VARCHAR },
	{ "java.sql.types.varchar", PGT_VARCHAR },
	{ "java.lang.string", PGT_VARCHAR },
	{ "varchar2", PGT_VARCHAR },
	{ "character varying", PGT_VARCHAR },
	{ "xml", PGT_XML },
	{ "xmltype", PGT_XML },
	{ "java.sql.types.sqlxml", PGT_XML },
};

/* DataTypeInfo names, for the default toDatabaseDataType */
static const char *const kind_names[] = {
	[PGT_UNKNOWN] = "UNKNOWN", [PGT_BIGINT] = "bigint",
	[PGT_BLOB] = "blob", [PGT_BOOLEAN] = "boolean", [PGT_CHAR] = "char",
	[PGT_CLOB] = "clob", [PGT_CURRENCY] = "currency",
	[PGT_FUNCTION] = "function", [PGT_DATETIME] = "datetime",
	[PGT_DATE] = "date", [PGT_DECIMAL] = "decimal",
	[PGT_DOUBLE] = "double", [PGT_FLOAT] = "float", [PGT_INT] = "int",
	[PGT_MEDIUMINT] = "mediumint", [PGT_NCHAR] = "nchar",
	[PGT_NVARCHAR] = "nvarchar", [PGT_NUMBER] = "number",
	[PGT_SMALLINT] = "smallint", [PGT_TIME] = "time",
	[PGT_TIMESTAMP] = "timestamp", [PGT_TINYINT] = "tinyint",
	[PGT_UUID] = "uuid", [PGT_VARCHAR] = "varchar", [PGT_XML] = "xml",
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static char *lower_dup(mg_arena *a, const char *s)
{
	char *d = mg_arena_strdup(a, s);

	for (char *p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* replaceFirst("\\s*X.*", "") style cut at the first `open` */
static char *cut_at(mg_arena *a, const char *s, const char *at)
{
	const char *end = at;

	while (end > s && is_space(end[-1]))
		end--;
	return mg_arena_strndup(a, s, end - s);
}

/* ".+\\(.*\\).*" then replaceFirst("\\s*\\(.*\\)", "") */
static char *strip_parens(mg_arena *a, const char *name)
{
	const char *open = strchr(name, '('), *close;
	char *res;

	if (!open || open == name)
		return (char *)name;
	close = strrchr(open, ')');
	if (!close)
		return (char *)name;
	res = cut_at(a, name, open);
	return mg_arena_printf(a, "%s%s", res, close + 1);
}

static void unquote_name(mg_arena *a, char **name)
{
	static const char pairs[][2] = {
		{ '"', '"' }, { '[', ']' }, { '`', '`' }, { '\'', '\'' }
	};
	char *n = *name;

	for (size_t i = 0; i < MG_ARRAY_SIZE(pairs); i++) {
		char *close;

		if (n[0] != pairs[i][0])
			continue;
		close = strchr(n + 1, pairs[i][1]);
		if (close && !strchr(close + 1, pairs[i][1])) {
			*name = mg_arena_printf(a, "%.*s%s",
						(int)(close - n - 1), n + 1,
						close + 1);
			return;
		}
	}
}

static bool keeps_spaces(mg_arena *a, const char *name)
{
	static const char *const prefixes[] = {
		"bit varying", "character varying", "long varchar",
		"long nvarchar", "long binary", "long varbinary",
	};
	const char *low = lower_dup(a, name);

	for (size_t i = 0; i < MG_ARRAY_SIZE(prefixes); i++)
		if (mg_str_startswith(low, prefixes[i]))
			return true;
	return false;
}

static pg_tkind lookup_kind(mg_arena *a, const char *name, bool *found)
{
	const char *low = lower_dup(a, name);

	*found = true;
	for (size_t i = 0; i < MG_ARRAY_SIZE(type_names); i++)
		if (strcmp(type_names[i].name, low) == 0)
			return type_names[i].kind;
	*found = strcmp(low, "unknown") == 0;
	return PGT_UNKNOWN;
}

static bool is_char_kind(pg_tkind k)
{
	return k == PGT_CHAR || k == PGT_VARCHAR || k == PGT_NCHAR ||
	       k == PGT_NVARCHAR;
}

static bool has_auto_increment_property(pg_tkind k)
{
	return k == PGT_BIGINT || k == PGT_INT || k == PGT_SMALLINT ||
	       k == PGT_TINYINT || k == PGT_MEDIUMINT || k == PGT_DECIMAL ||
	       k == PGT_NUMBER || k == PGT_UNKNOWN;
}

/* "name(a, b)": the part between the first '(' and the next ')' */
static void parse_params(pg_type *t, mg_arena *a, const char *def)
{
	const char *open = strchr(def, '('), *close;
	const char **items;
	char *inner;
	size_t n;

	if (!open || open == def)
		return;
	close = strchr(open + 1, ')');
	inner = close ? mg_arena_strndup(a, open + 1, close - open - 1)
		      : mg_arena_strdup(a, open + 1);
	n = mg_sqlgen__split_names(a, inner, &items);
	for (size_t i = 0; i < n; i++) {
		char *p = (char *)items[i], *byte;

		if (!*p || t->nparams == PG_TYPE_MAX_PARAMS)
			continue;
		if (is_char_kind(t->kind) && (byte = strstr(p, " BYTE")))
			memmove(byte, byte + 5, strlen(byte + 5) + 1);
		t->params[t->nparams++] = p;
	}
}

/* "int{autoIncrement:true}": embedded bean properties */
static int parse_braces(pg_type *t, mg_arena *a, const char *def)
{
	const char *open = strchr(def, '{'), *close;
	const char **items;
	char *inner;
	size_t n;

	if (!open)
		return 0;
	close = strchr(open + 1, '}');
	inner = close ? mg_arena_strndup(a, open + 1, close - open - 1)
		      : mg_arena_strdup(a, open + 1);
	n = mg_sqlgen__split_names(a, inner, &items);
	for (size_t i = 0; i < n; i++) {
		const char *colon = strchr(items[i], ':');

		if (!*items[i])
			continue;
		if (!colon)
			return mg_error_set(MG_EINVALID,
				"data type definition contains unparseable "
				"embedded information: '%s'", def);
		if (strncmp(items[i], "autoIncrement", colon - items[i]) != 0 ||
		    colon - items[i] != 13 ||
		    !has_auto_increment_property(t->kind))
			return mg_error_set(MG_EINVALID,
				"property '%.*s' was not found for data type "
				"'%s'", (int)(colon - items[i]), items[i], def);
		t->auto_increment = mg_java_bool(colon + 1);
	}
	return 0;
}

static void finish_init(pg_type *t, mg_arena *a)
{
	const char *low = lower_dup(a, t->raw);

	if ((t->kind == PGT_BIGINT || t->kind == PGT_SMALLINT) &&
	    strstr(low, "serial"))
		t->auto_increment = true;
	if (t->kind == PGT_INT && mg_str_startswith(low, "serial"))
		t->auto_increment = true;
}

static bool is_property_placeholder(const char *def)
{
	size_t n = strlen(def);

	return n >= 3 && def[0] == '$' && def[1] == '{' && def[n - 1] == '}';
}

int mg_sqlgen__parse_type(pg_type *t, mg_arena *a, const char *def)
{
	char *name, *brace, *sp;
	bool found, autoinc = false;
	int error;

	memset(t, 0, sizeof(*t));
	t->raw = def;
	if (is_property_placeholder(def)) {
		t->name = def;
		return 0;
	}
	name = strip_parens(a, def);
	brace = strchr(name, '{');
	if (brace && brace != name)
		name = cut_at(a, name, brace);
	if (mg_str_endswith(lower_dup(a, name), " identity")) {
		name = lower_dup(a, name);
		name[strlen(name) - 9] = '\0';
		autoinc = true;
	}
	unquote_name(a, &name);
	if (!keeps_spaces(a, name)) {
		name = mg_sqlgen__trim(a, name);
		for (sp = name; *sp && !is_space(*sp); sp++)
			;
		if (*sp) {
			*sp++ = '\0';
			while (is_space(*sp))
				sp++;
			t->additional = sp;
		}
	}
	t->kind = lookup_kind(a, name, &found);
	if (!found && mg_str_istartswith(name, "INTERVAL"))
		name = (char *)def;
	t->name = found && t->kind == PGT_UNKNOWN ? "UNKNOWN" : name;
	if (strcasecmp(name, "timestamp_ntz") == 0)
		return mg_error_set(MG_EINVALID, "could not find type for "
				    "'%s' for DBMS postgresql", def);
	parse_params(t, a, def);
	if ((error = parse_braces(t, a, def)) < 0)
		return error;
	if (autoinc && (t->kind == PGT_INT || t->kind == PGT_BIGINT))
		t->auto_increment = true;
	finish_init(t, a);
	return 0;
}

static void put_params(mg_buf *out, const char *const *params, size_t n)
{
	if (!n)
		return;
	mg_buf_putc(out, '(');
	for (size_t i = 0; i < n; i++) {
		if (i)
			mg_buf_puts(out, ", ");
		mg_buf_puts(out, params[i]);
	}
	mg_buf_putc(out, ')');
}

static void put_upper(mg_buf *out, const char *s)
{
	for (; *s; s++)
		mg_buf_putc(out, (char)toupper((unsigned char)*s));
}

static void put_additional(mg_buf *out, const char *info)
{
	if (info) {
		mg_buf_putc(out, ' ');
		mg_buf_puts(out, info);
	}
}

/* The definition as written, trimmed ("" without one) */
static const char *raw_of(const pg_type *t, mg_arena *a)
{
	return t->raw ? mg_sqlgen__trim(a, t->raw) : "";
}

/* LiquibaseDataType.toDatabaseDataType */
static void type_default(mg_buf *out, const pg_type *t)
{
	put_upper(out, kind_names[t->kind]);
	put_params(out, t->params, t->nparams);
	put_additional(out, t->additional);
}

static bool parse_int(const char *s, long *out)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	*out = strtol(s, &end, 10);
	return !*end && !errno && *out >= -2147483648L &&
	       *out <= 2147483647L;
}

static void type_char(mg_buf *out, const pg_type *t, const char *name,
		      mg_arena *a)
{
	char param[64];
	size_t n;

	(void)a;
	if (t->nparams != 1) {
		type_default(out, t);
		return;
	}
	/* "(?<=\\d+)\\s*(?i)CHAR$": "10 CHAR" -> "10" */
	snprintf(param, sizeof(param), "%s", t->params[0]);
	n = strlen(param);
	if (n > 4 && strcasecmp(param + n - 4, "CHAR") == 0) {
		size_t e = n - 4;

		while (e > 0 && is_space(param[e - 1]))
			e--;
		if (e > 0 && isdigit((unsigned char)param[e - 1]))
			param[e] = '\0';
	}
	if (strcmp(param, "2147483647") == 0) {
		mg_buf_puts(out, "CHARACTER VARYING");
		return;
	}
	mg_buf_printf(out, "%s(%s)", name, param);
	put_additional(out, t->additional);
}

static void type_time(mg_buf *out, const pg_type *t, const char *sql,
		      mg_arena *a)
{
	const char *raw = lower_dup(a, raw_of(t, a));
	long p0;
	bool valid = t->nparams > 0 && parse_int(t->params[0], &p0) &&
		     p0 <= 6;
	const char *paren;

	(void)sql;
	mg_buf_puts(out, "time");
	if (valid) {
		put_params(out, t->params, t->nparams);
	} else if (t->nparams == 0) {
		paren = strchr(raw, '(');
		if (paren && isdigit((unsigned char)paren[1])) {
			size_t k = 1;

			while (isdigit((unsigned char)paren[k]))
				k++;
			if (paren[k] == ')')
				mg_buf_put(out, paren, k + 1);
		}
	} else if (t->nparams >= 2) {
		mg_buf_printf(out, "(%s)", t->params[1]);
	}
	if (strstr(raw, "tz") || strstr(raw, "with time zone"))
		mg_buf_puts(out, " WITH TIME ZONE");
	else
		mg_buf_puts(out, " WITHOUT TIME ZONE");
}

static void type_datetime(mg_buf *out, const pg_type *t, const char *sql,
			  mg_arena *a)
{
	const char *raw = lower_dup(a, raw_of(t, a));
	bool tz = strstr(raw, "tz") || strstr(raw, "with time zone");

	(void)sql;
	mg_buf_puts(out, "TIMESTAMP");
	if (t->nparams)
		mg_buf_printf(out, "(%s)", t->params[t->nparams == 2 ? 1 : 0]);
	mg_buf_puts(out, tz ? " WITH TIME ZONE" : " WITHOUT TIME ZONE");
}

static void type_timestamp(mg_buf *out, const pg_type *t, const char *sql,
			   mg_arena *a)
{
	long digits = 0;
	char *info, *up, *hit;
	bool tz_type = t->raw && mg_str_startswith(t->raw,
			"java.sql.Types.TIMESTAMP_WITH_TIMEZONE");

	if (!tz_type && !t->additional) {
		type_datetime(out, t, sql, a);
		return;
	}
	mg_buf_puts(out, "TIMESTAMP");
	if (t->nparams) {
		parse_int(t->params[0], &digits);
		mg_buf_printf(out, "(%ld)", digits);
	}
	if (tz_type) {
		mg_buf_puts(out, " WITH TIME ZONE");
		return;
	}
	info = mg_arena_strdup(a, t->additional);
	up = mg_arena_strdup(a, info);
	for (char *p = up; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	if ((hit = strstr(up, "TIMEZONE")))
		info = mg_arena_printf(a, "%.*sTIME ZONE%s", (int)(hit - up),
				       up, hit + 8);
	put_additional(out, info);
}

static void type_number(mg_buf *out, const pg_type *t, const char *sql,
			mg_arena *a)
{
	long p0;

	(void)sql;
	(void)a;
	mg_buf_puts(out, "numeric");
	if (t->nparams && parse_int(t->params[0], &p0) && p0 > 1000)
		return;
	put_params(out, t->params, t->nparams);
}

static void type_unknown(mg_buf *out, const pg_type *t, const char *sql,
			 mg_arena *a)
{
	size_t n = t->nparams;

	(void)sql;
	(void)a;
	if (n > 2 && strcasecmp(t->name, "enum") != 0 &&
	    strcasecmp(t->name, "set") != 0)
		n = 2;
	put_upper(out, t->name);
	put_params(out, t->params, n);
	put_additional(out, t->additional);
}

/* Writes a kind's SQL; `sql` is the name the kind's table entry gives. */
typedef void put_fn(mg_buf *out, const pg_type *t, const char *sql,
		    mg_arena *a);

static void put_with_additional(mg_buf *out, const pg_type *t,
				const char *sql, mg_arena *a)
{
	(void)a;
	mg_buf_puts(out, sql);
	put_additional(out, t->additional);
}

static void put_with_params(mg_buf *out, const pg_type *t, const char *sql,
			    mg_arena *a)
{
	(void)a;
	mg_buf_puts(out, sql);
	put_params(out, t->params, t->nparams);
}

/* BlobType: OID for "blob" and java.sql.Types.BLOB, else BYTEA */
static void put_blob(mg_buf *out, const pg_type *t, const char *sql,
		     mg_arena *a)
{
	const char *raw = raw_of(t, a);

	(void)sql;
	mg_buf_puts(out, mg_str_istartswith(raw, "blob") ||
			 strcmp(raw, "java.sql.Types.BLOB") == 0 ? "OID"
								 : "BYTEA");
}

static void put_boolean(mg_buf *out, const pg_type *t, const char *sql,
			mg_arena *a)
{
	(void)sql;
	if (mg_str_istartswith(raw_of(t, a), "bit")) {
		mg_buf_puts(out, "BIT");
		put_params(out, t->params, t->nparams);
	} else {
		type_default(out, t);
	}
}

static void put_float(mg_buf *out, const pg_type *t, const char *sql,
		      mg_arena *a)
{
	(void)sql;
	if (strcasecmp(raw_of(t, a), "real") == 0)
		mg_buf_puts(out, "REAL");
	else
		type_default(out, t);
}

/* Each kind's toDatabaseDataType on PostgreSQL: `sql` as is, or what
 * `put` writes; a kind without an entry writes the default (its
 * DataTypeInfo name in upper case, the parameters, the rest). */
static const struct kind_sql {
	const char *sql;
	put_fn *put;
} kind_sql[PGT_XML + 1] = {
	[PGT_UNKNOWN] = { NULL, type_unknown },
	[PGT_BIGINT] = { "BIGINT", put_with_additional },
	[PGT_INT] = { "INTEGER", NULL },
	[PGT_SMALLINT] = { "SMALLINT", NULL },
	[PGT_TINYINT] = { "SMALLINT", NULL },
	[PGT_BLOB] = { NULL, put_blob },
	[PGT_BOOLEAN] = { NULL, put_boolean },
	[PGT_CHAR] = { "CHAR", type_char },
	[PGT_VARCHAR] = { "VARCHAR", type_char },
	[PGT_NCHAR] = { "NCHAR", type_char },
	[PGT_NVARCHAR] = { "VARCHAR", put_with_params },
	[PGT_CLOB] = { "TEXT", NULL },
	[PGT_CURRENCY] = { "DECIMAL", NULL },
	[PGT_DATETIME] = { NULL, type_datetime },
	[PGT_TIMESTAMP] = { NULL, type_timestamp },
	[PGT_DATE] = { "date", NULL },
	[PGT_TIME] = { NULL, type_time },
	[PGT_NUMBER] = { NULL, type_number },
	[PGT_DOUBLE] = { "DOUBLE PRECISION", NULL },
	[PGT_FLOAT] = { NULL, put_float },
	[PGT_UUID] = { "UUID", NULL },
	[PGT_XML] = { "XML", NULL },
};

static void type_sql(mg_buf *out, const pg_type *t, mg_arena *a)
{
	const struct kind_sql *k = &kind_sql[t->kind];

	if (k->put)
		k->put(out, t, k->sql, a);
	else if (k->sql)
		mg_buf_puts(out, k->sql);
	else
		type_default(out, t);
}

void mg_sqlgen__type_sql(mg_buf *out, const pg_type *t)
{
	mg_arena a = MG_ARENA_INIT;

	type_sql(out, t, &a);
	mg_arena_release(&a);
}

void mg_sqlgen_type(mg_buf *out, const char *type, bool auto_increment)
{
	mg_arena a = MG_ARENA_INIT;
	pg_type t;
	const char *def = auto_increment
		? mg_arena_printf(&a, "%s{autoIncrement:true}", type) : type;

	if (mg_sqlgen__parse_type(&t, &a, def) < 0)
		mg_buf_puts(out, type);
	else
		type_sql(out, &t, &a);
	mg_arena_release(&a);
}
