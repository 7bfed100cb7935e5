/*
 * pg_quote.c: identifiers and string literals as Liquibase 4.28 writes
 * them for PostgreSQL with the default LEGACY quoting strategy
 * (PostgresDatabase.escapeObjectName and AbstractJdbcDatabase).
 */
#include "pg_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migrator/util.h"

/*
 * "Reserved" and "reserved (can be function or type)" key words of
 * PostgreSQL 9.6, the list PostgresDatabase quotes. Sorted for bsearch.
 */
static const char *const reserved_words[] = {
	"ALL", "ANALYSE", "ANALYZE", "AND", "ANY", "ARRAY", "AS", "ASC",
	"ASYMMETRIC", "AUTHORIZATION", "BINARY", "BOTH", "CASE", "CAST",
	"CHECK", "COLLATE", "COLLATION", "COLUMN", "CONCURRENTLY",
	"CONSTRAINT", "CREATE", "CROSS", "CURRENT_CATALOG", "CURRENT_DATE",
	"CURRENT_ROLE", "CURRENT_SCHEMA", "CURRENT_TIME", "CURRENT_TIMESTAMP",
	"CURRENT_USER", "DEFAULT", "DEFERRABLE", "DESC", "DISTINCT", "DO",
	"ELSE", "END", "EXCEPT", "FALSE", "FETCH", "FOR", "FOREIGN", "FREEZE",
	"FROM", "FULL", "GRANT", "GROUP", "HAVING", "ILIKE", "IN",
	"INITIALLY", "INNER", "INTERSECT", "INTO", "IS", "ISNULL", "JOIN",
	"LATERAL", "LEADING", "LEFT", "LIKE", "LIMIT", "LOCALTIME",
	"LOCALTIMESTAMP", "NATURAL", "NOT", "NOTNULL", "NULL", "OFFSET", "ON",
	"ONLY", "OR", "ORDER", "OUTER", "OVERLAPS", "PLACING", "PRIMARY",
	"REFERENCES", "RETURNING", "RIGHT", "SELECT", "SESSION_USER",
	"SIMILAR", "SOME", "SYMMETRIC", "TABLE", "TABLESAMPLE", "THEN", "TO",
	"TRAILING", "TRUE", "UNION", "UNIQUE", "USER", "USING", "VARIADIC",
	"VERBOSE", "WHEN", "WHERE", "WINDOW", "WITH",
};

/*
 * The changeset's objectQuotingStrategy, set by mg_sqlgen_change for the
 * duration of one change (Liquibase sets it on the Database object).
 */
static _Thread_local pg_quoting quoting = PG_QUOTE_LEGACY;

pg_quoting mg_sqlgen__set_quoting(pg_quoting q)
{
	pg_quoting old = quoting;

	quoting = q;
	return old;
}

static int cmp_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

bool mg_sqlgen__is_reserved(const char *name)
{
	char up[32];
	size_t n = strlen(name);

	if (n >= sizeof(up))
		return false;
	for (size_t i = 0; i <= n; i++)
		up[i] = (name[i] >= 'a' && name[i] <= 'z') ? name[i] - 32
							   : name[i];
	return bsearch(up, reserved_words, MG_ARRAY_SIZE(reserved_words),
		       sizeof(reserved_words[0]), cmp_word) != NULL;
}

static bool is_word_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_';
}

/* Java ".*[A-Z].*" and ".*[a-z].*" matches(): '.' stops at line ends. */
static bool matches_class(const char *s, char lo, char hi)
{
	bool found = false;

	for (; *s; s++) {
		if (*s == '\n' || *s == '\r')
			return false;
		if (*s >= lo && *s <= hi)
			found = true;
	}
	return found;
}

bool mg_sqlgen__has_mixed_case(const char *s)
{
	return matches_class(s, 'A', 'Z') && matches_class(s, 'a', 'z');
}

static bool must_quote(const char *name)
{
	if (strchr(name, '-') || (name[0] >= '0' && name[0] <= '9'))
		return true;
	if (mg_sqlgen__is_reserved(name))
		return true;
	for (const char *p = name; *p; p++)
		if (!is_word_char((unsigned char)*p))
			return true;
	return false;
}

static void put_trimmed(mg_buf *out, const char *s)
{
	size_t n = strlen(s);

	while (n && (unsigned char)s[n - 1] <= ' ')
		n--;
	while (n && (unsigned char)*s <= ' ') {
		s++;
		n--;
	}
	mg_buf_put(out, s, n);
}

/*
 * Mixed-case names are wrapped as they are (no doubling of '"'), other
 * names that need quotes go through quoteObject, which doubles '"'.
 * A NULL name prints as Java's string concatenation would: "null".
 */
static void quote_object(mg_buf *out, const char *ident)
{
	mg_buf_putc(out, '"');
	for (const char *p = ident; *p; p++) {
		if (*p == '"')
			mg_buf_putc(out, '"');
		mg_buf_putc(out, *p);
	}
	mg_buf_putc(out, '"');
}

void mg_sqlgen_ident(mg_buf *out, const char *ident)
{
	if (!ident) {
		mg_buf_puts(out, "null");
		return;
	}
	if (quoting == PG_QUOTE_LEGACY && mg_sqlgen__has_mixed_case(ident)) {
		mg_buf_putc(out, '"');
		mg_buf_puts(out, ident);
		mg_buf_putc(out, '"');
	} else if (must_quote(ident) || quoting == PG_QUOTE_ALL) {
		quote_object(out, ident);
	} else {
		put_trimmed(out, ident);
	}
}

void mg_sqlgen__escape(mg_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\'')
			mg_buf_putc(out, '\'');
		mg_buf_putc(out, *s);
	}
}

void mg_sqlgen_literal(mg_buf *out, const char *value)
{
	mg_buf_putc(out, '\'');
	mg_sqlgen__escape(out, value ? value : "null");
	mg_buf_putc(out, '\'');
}

/* '...' without escaping, as some Liquibase types write strings. */
void mg_sqlgen__literal_raw(mg_buf *out, const char *s)
{
	mg_buf_putc(out, '\'');
	mg_buf_puts(out, s);
	mg_buf_putc(out, '\'');
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s > ' ')
			return false;
	return true;
}

void mg_sqlgen_qualified(mg_buf *out, const mg_sqlgen_ctx *ctx,
			 const char *schema, const char *name)
{
	mg_buf tmp = MG_BUF_INIT;

	if (blank(schema))
		schema = ctx ? ctx->default_schema : NULL;
	if (schema) {
		/* trimToNull: surrounding blanks never reach the quoting */
		put_trimmed(&tmp, schema);
		mg_sqlgen_ident(out, tmp.ptr);
		mg_buf_putc(out, '.');
	}
	mg_sqlgen_ident(out, name);
	mg_buf_release(&tmp);
}

/* escapeColumnName(..., quoteNamesThatMayBeFunctions) */
void mg_sqlgen__column(mg_buf *out, const char *name, bool quote_functions)
{
	if (name && quoting == PG_QUOTE_ALL) {
		quote_object(out, name);
		return;
	}
	if (name && strchr(name, '(')) {
		if (quote_functions)
			quote_object(out, name);
		else
			mg_buf_puts(out, name);
		return;
	}
	mg_sqlgen_ident(out, name);
}

bool mg_sqlgen__icontains(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++)
		if (!strncasecmp(s, needle, n))
			return true;
	return false;
}

char *mg_sqlgen__trim(mg_arena *a, const char *s)
{
	size_t n;

	if (!s)
		return NULL;
	while (*s && (unsigned char)*s <= ' ')
		s++;
	n = strlen(s);
	while (n && (unsigned char)s[n - 1] <= ' ')
		n--;
	return mg_arena_strndup(a, s, n);
}

const char *mg_sqlgen__trim_to_null(mg_arena *a, const char *s)
{
	char *t = mg_sqlgen__trim(a, s);

	return t && *t ? t : NULL;
}

size_t mg_sqlgen__split_names(mg_arena *a, const char *s, const char ***out)
{
	size_t n = 1, k = 0;
	const char **items;
	const char **raw;
	const char *p, *start;

	for (p = s; *p; p++)
		if (*p == ',')
			n++;
	items = mg_arena_alloc(a, n * sizeof(*items));
	raw = mg_arena_alloc(a, n * sizeof(*raw));
	for (start = s;; start = p + 1) {
		p = strchr(start, ',');
		if (!p)
			p = start + strlen(start);
		raw[k++] = mg_arena_strndup(a, start, p - start);
		if (!*p)
			break;
	}
	/* String.split drops trailing empty strings, unless nothing split */
	if (k > 1)
		while (k > 0 && !*raw[k - 1])
			k--;
	for (size_t i = 0; i < k; i++)
		items[i] = mg_sqlgen__trim(a, raw[i]);
	*out = items;
	return k;
}

/* "(?i).*\\s+DESC" / ASC suffix handling of escapeColumnNameList */
static size_t strip_order(const char *name, const char *word, bool *hit)
{
	size_t n = strlen(name), w = strlen(word), end;

	*hit = false;
	if (n <= w || strcasecmp(name + n - w, word) != 0)
		return n;
	end = n - w;
	if (end == 0 || !strchr(" \t\n\r\f\v", name[end - 1]))
		return n;
	while (end > 0 && strchr(" \t\n\r\f\v", name[end - 1]))
		end--;
	*hit = true;
	return end;
}

void mg_sqlgen__column_list(mg_buf *out, const char *names)
{
	mg_arena a = MG_ARENA_INIT;
	const char **items;
	size_t n;

	if (!names) {
		mg_buf_puts(out, "null");
		return;
	}
	n = mg_sqlgen__split_names(&a, names, &items);
	for (size_t i = 0; i < n; i++) {
		bool desc, asc;
		size_t len = strip_order(items[i], "DESC", &desc);

		if (!desc)
			len = strip_order(items[i], "ASC", &asc);
		if (i)
			mg_buf_puts(out, ", ");
		mg_sqlgen_ident(out, mg_arena_strndup(&a, items[i], len));
		if (desc)
			mg_buf_puts(out, " DESC");
	}
	mg_arena_release(&a);
}

/*
 * PostgresDatabase.generatePrimaryKeyName: table + "_pkey", the table
 * part cut to 58 bytes (UTF-8) and then one more character dropped.
 */
void mg_sqlgen__pk_name(mg_buf *out, const char *table)
{
	size_t n = strlen(table), end;

	if (n <= 58) {
		mg_buf_puts(out, table);
	} else {
		/* the (possibly partial) character holding byte 57 goes */
		end = 57;
		while (end > 0 && ((unsigned char)table[end] & 0xC0) == 0x80)
			end--;
		mg_buf_put(out, table, end);
	}
	mg_buf_puts(out, "_pkey");
}
