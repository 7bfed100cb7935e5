/*
 * pg_load.c: loadData as Liquibase 4.28 `update-sql` writes it: the CSV
 * (opencsv RFC4180 rules) becomes multi-row INSERTs of at most 51 rows
 * (InsertSetGenerator). Columns without a type are written as strings:
 * update-sql cannot look the table up, since it has not been created.
 *
 * Batched INSERTs rather than COPY, on purpose: update-sql must show the
 * very statements update runs (a reviewed dry run is the contract), and
 * modifySql must be able to rewrite them, as in Liquibase. The file is
 * read record by record and each statement goes to the sink as soon as
 * its 51st row is in, so memory holds one record and one statement,
 * whatever the size of the file; the engine pipelines the statements.
 */
#include "pg_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "migrator/encoding.h"
#include "migrator/error.h"
#include "migrator/util.h"

#define ROWS_PER_INSERT 51

typedef struct csv_rec {
	const char **f;
	size_t n;
} csv_rec;

/* The CSV file, decoded to UTF-8, read in pieces. */
typedef struct csv_in {
	FILE *f;
	mg_decoder *dec;        /* NULL: the file is UTF-8 already */
	mg_buf text;            /* decoded bytes not consumed yet from pos */
	size_t pos;
	bool eof, started, failed;
	char raw[65536];
} csv_in;

static bool in_fill(csv_in *in)
{
	while (in->pos >= in->text.len && !in->eof) {
		size_t n = fread(in->raw, 1, sizeof(in->raw), in->f);

		if (n < sizeof(in->raw)) {
			in->eof = true;
			in->failed = ferror(in->f) != 0;
		}
		mg_buf_reset(&in->text);
		in->pos = 0;
		if (in->dec)
			mg_decoder_feed(in->dec, &in->text, in->raw, n, in->eof);
		else
			mg_buf_put(&in->text, in->raw, n);
		if (!in->started && in->text.len) {
			in->started = true;
			if (in->text.len >= 3 &&
			    !memcmp(in->text.ptr, "\xEF\xBB\xBF", 3))
				in->pos = 3; /* a byte order mark */
		}
	}
	return in->pos < in->text.len;
}

/* One line without its end (\n, \r or \r\n); false at the end. */
static bool in_line(csv_in *in, mg_buf *line)
{
	mg_buf_reset(line);
	if (!in_fill(in))
		return false;
	for (;;) {
		const char *p = in->text.ptr + in->pos;
		size_t left = in->text.len - in->pos, n = 0;

		while (n < left && p[n] != '\n' && p[n] != '\r')
			n++;
		mg_buf_put(line, p, n);
		in->pos += n;
		if (n < left) {
			bool cr = p[n] == '\r';

			in->pos++;
			if (cr && in_fill(in) && in->text.ptr[in->pos] == '\n')
				in->pos++;
			return true;
		}
		if (!in_fill(in))
			return true;
	}
}

static int in_open(csv_in *in, const pg_gen *g)
{
	const char *enc = mg_sqlgen__get(g, "encoding");
	const char *text = g->c->text;
	int error;

	memset(in, 0, offsetof(csv_in, raw));
	if (g->c->file)
		in->f = mg_resource_open(g->c->file);
	else if (text && *text)
		in->f = fmemopen((void *)text, strlen(text), "rb");
	else
		return mg_error_set(MG_EINVALID, "unable to read file '%s'",
				    mg_sqlgen__get(g, "file"));
	if (!in->f)
		return mg_error_set(MG_ERROR, "cannot open '%s': %s",
				    g->c->file ? g->c->file : "(text)",
				    strerror(errno));
	if (!mg_charset_is_utf8(enc) &&
	    (error = mg_decoder_new(&in->dec, enc)) < 0) {
		fclose(in->f);
		return error;
	}
	return 0;
}

static void in_close(csv_in *in)
{
	if (in->f)
		fclose(in->f);
	mg_decoder_free(in->dec);
	mg_buf_release(&in->text);
}

/* opencsv RFC4180Parser.handleQuotes */
static const char *unquote_field(mg_arena *a, const char *s, size_t n,
				 char q)
{
	mg_buf b = MG_BUF_INIT;
	size_t quotes = 0;
	const char *res;

	for (size_t i = 0; i < n; i++)
		quotes += s[i] == q;
	if (!quotes)
		return mg_arena_strndup(a, s, n);
	if (quotes != 1 && n && s[0] == q) {
		s++;
		n--;
		if (n && s[n - 1] == q)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		mg_buf_putc(&b, s[i]);
		if (s[i] == q && i + 1 < n && s[i + 1] == q)
			i++;
	}
	res = mg_arena_strdup(a, b.ptr ? b.ptr : "");
	mg_buf_release(&b);
	return res;
}

static void split_record(mg_arena *a, csv_rec *r, const char *s, size_t len,
			 char sep, char q)
{
	size_t cap = 1, start = 0;
	bool in_quotes = false;

	for (size_t i = 0; i < len; i++)
		cap += s[i] == sep;
	r->f = mg_arena_alloc(a, cap * sizeof(*r->f));
	r->n = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] == q)
			in_quotes = !in_quotes;
		if (i == len || (s[i] == sep && !in_quotes)) {
			r->f[r->n++] = unquote_field(a, s + start, i - start, q);
			start = i + 1;
		}
	}
}

/* The next record: it goes on over line ends while a quote is open. */
typedef struct csv_reader {
	csv_in in;
	mg_buf line, rec;
	char sep, quote;
	size_t number; /* of the last record read, from 1 */
} csv_reader;

static bool read_record(csv_reader *r, mg_arena *a, csv_rec *out)
{
	size_t quotes = 0;
	bool any = false;

	mg_buf_reset(&r->rec);
	while (in_line(&r->in, &r->line)) {
		if (r->rec.len || quotes)
			mg_buf_putc(&r->rec, '\n');
		mg_buf_put(&r->rec, r->line.ptr ? r->line.ptr : "", r->line.len);
		for (size_t i = 0; i < r->line.len; i++)
			quotes += r->line.ptr[i] == r->quote;
		any = true;
		if (!(quotes % 2) || !in_fill(&r->in))
			break;
	}
	if (!any)
		return false;
	r->number++;
	split_record(a, out, r->rec.ptr ? r->rec.ptr : "", r->rec.len, r->sep,
		     r->quote);
	return true;
}

typedef struct ld_col {
	const mg_node *node;    /* the <column>, NULL when from a header */
	const char *name, *header, *type;
	long index;             /* -1: none */
	bool from_db;           /* `type` comes from the table's column */
	bool exact;             /* ... whose name matched exactly */
} ld_col;

/* The columns of a statement, fixed by the header for the whole file. */
typedef struct ld_row {
	const char **names;
	pg_value *values;   /* this row's, rewritten for every record */
	size_t n;
} ld_row;

typedef struct ld_state {
	pg_gen *g;
	ld_col *cols;
	size_t ncols;
	const char *schema;
	const char *primary_key; /* loadUpdateData: upsert on these columns */
	const ld_col **hcols;    /* per header field: its column */
	long *slot;              /* per header field: index in row, -1: skip */
	size_t nheaders;
	ld_row row;
	size_t *by_name;         /* row indexes sorted by column name */
	bool *no_update;         /* per row index: allowUpdate="false" */
	mg_arena rows;           /* what rows allocate; freed per statement */
	const char *table;       /* schema.table as the SQL writes it */
	bool prepared;           /* usePreparedStatements */
	bool row_prepared;       /* this row has a BLOB or CLOB value */
} ld_state;

static const char *node_attr(mg_arena *a, const mg_node *n, const char *name)
{
	return n ? mg_sqlgen__node_text(a, mg_node_child(n, name)) : NULL;
}

/* addColumnsFromHeaders / columnConfigFromName */
static int bind_headers(ld_state *st, const csv_rec *h)
{
	for (size_t i = 0; i < h->n; i++) {
		ld_col *c = NULL;

		for (size_t k = 0; k < st->ncols && !c; k++)
			if (mg_streq(h->f[i], st->cols[k].name) ||
			    mg_streq(h->f[i], st->cols[k].header) ||
			    st->cols[k].index == (long)i)
				c = &st->cols[k];
		if (!c) {
			if (!mg_sqlgen__trim_to_null(st->g->tmp, h->f[i]))
				return mg_error_set(MG_EINVALID, "unreferenced "
						    "unnamed column is not "
						    "supported");
			c = &st->cols[st->ncols++];
			memset(c, 0, sizeof(*c));
			c->name = h->f[i];
		}
		c->index = (long)i;
		c->header = h->f[i];
	}
	return 0;
}

static int load_columns(ld_state *st, size_t nheaders)
{
	size_t n = 0, i = 0;

	for (mg_node *c = mg_change_first_column(st->g->c); c;
	     c = mg_change_next_column(c))
		n++;
	st->cols = mg_arena_alloc(st->g->tmp,
				  (n + nheaders + 1) * sizeof(*st->cols));
	for (mg_node *c = mg_change_first_column(st->g->c); c;
	     c = mg_change_next_column(c), i++) {
		mg_arena *a = st->g->tmp;
		const char *idx = node_attr(a, c, "index");

		st->cols[i].node = c;
		st->cols[i].name = node_attr(a, c, "name");
		st->cols[i].header = node_attr(a, c, "header");
		st->cols[i].type = node_attr(a, c, "type");
		st->cols[i].index = idx ? strtol(idx, NULL, 10) : -1;
	}
	st->ncols = n;
	return 0;
}

/*
 * LiquibaseDataType.getLoadTypeName() of a PostgreSQL column type, as
 * retrieveMissingColumnLoadTypes gives a column with no type when the
 * table exists. Types Liquibase loads as CLOB or BLOB (text, xml, bytea)
 * are read as strings: Liquibase would take every value for a file name
 * and fail (FileNotFoundException), which no changelog relies on.
 */
static const char *load_type_of(const char *pgtype)
{
	static const char *const numeric[] = { "int2", "int4", "int8",
		"numeric", "float4", "float8", "money", "oid" };
	static const char *const dates[] = { "date", "time", "timetz",
		"timestamp", "timestamptz" };

	for (size_t i = 0; i < MG_ARRAY_SIZE(numeric); i++)
		if (!strcmp(pgtype, numeric[i]))
			return "NUMERIC";
	for (size_t i = 0; i < MG_ARRAY_SIZE(dates); i++)
		if (!strcmp(pgtype, dates[i]))
			return "DATE";
	if (!strcmp(pgtype, "bool"))
		return "BOOLEAN";
	if (!strcmp(pgtype, "uuid"))
		return "UUID";
	return "STRING";
}

/* One column of the table: it types the columns given none that it
 * names, ignoring case (an exact match wins). */
static void type_from_table(void *arg, const char *column, const char *type)
{
	ld_state *st = arg;

	for (size_t k = 0; k < st->ncols; k++) {
		ld_col *c = &st->cols[k];
		bool exact = c->name && !strcmp(c->name, column);

		if ((c->type && !c->from_db) || !c->name || c->exact ||
		    (!exact && strcasecmp(c->name, column)))
			continue;
		c->type = load_type_of(type);
		c->from_db = true;
		c->exact = exact;
	}
}

/* Columns without a type take the one of the table's column, if the
 * table exists already (update, or update-sql after it was made). */
static void retrieve_missing_types(ld_state *st)
{
	const mg_sqlgen_ctx *ctx = st->g->ctx;
	bool missing = false;

	for (size_t k = 0; k < st->ncols; k++)
		missing = missing || !st->cols[k].type;
	if (missing && ctx->table_columns)
		ctx->table_columns(ctx->payload, st->table, type_from_table, st);
}

static const ld_col *find_col(const ld_state *st, size_t i, const char *h)
{
	for (size_t k = 0; k < st->ncols; k++) {
		const ld_col *c = &st->cols[k];

		if (c->index == (long)i || (c->header && !strcasecmp(c->header, h))
		    || (c->name && !strcasecmp(c->name, h)))
			return c;
	}
	return NULL;
}

static bool type_is(const char *type, const char *name)
{
	return type && !strcasecmp(type, name);
}

static bool parse_boolean_util(mg_arena *a, const char *s)
{
	const char *t = mg_sqlgen__trim(a, s);
	char *end;
	long v;

	if (!strcasecmp(t, "true") || !strcasecmp(t, "t") ||
	    !strcasecmp(t, "yes") || !strcasecmp(t, "y") || !strcmp(t, "1"))
		return true;
	if (!strcasecmp(t, "false") || !strcasecmp(t, "f") ||
	    !strcasecmp(t, "no") || !strcasecmp(t, "n") || !strcmp(t, "0"))
		return false;
	v = strtol(t, &end, 10);
	return *t && !*end && v > 0;
}

/* setValueNumeric(String): a number, else a computed value */
static void numeric_value(pg_value *v, mg_arena *a, const char *s)
{
	const char *computed = NULL;
	const char *num = mg_sqlgen__numeric_text(a, s, &computed, true);

	if (num) {
		v->kind = PGV_NUMBER;
		v->text = num;
	} else if (computed) {
		v->kind = PGV_FUNCTION;
		v->text = computed;
	}
}

/* The default attributes of a <column> as ColumnConfig holds them */
static void column_default(pg_value *v, ld_state *st, const ld_col *c,
			   const char *attr)
{
	mg_arena *a = &st->rows;
	const char *s = node_attr(a, c->node, attr);

	memset(v, 0, sizeof(*v));
	if (!s)
		return;
	if (!strcmp(attr, "defaultValueBoolean")) {
		v->kind = PGV_BOOL;
		v->b = mg_java_bool(s);
	} else if (!strcmp(attr, "defaultValueNumeric")) {
		numeric_value(v, a, s);
		if (v->kind == PGV_FUNCTION)
			v->kind = PGV_NONE;
	} else if (!strcmp(attr, "defaultValueDate")) {
		mg_sqlgen__column_date(v, a, c->node, attr);
	} else {
		v->kind = PGV_FUNCTION;
		v->text = s;
	}
}

/* "+5" / "-12" after NOW or TODAY: the offset, the rest in *end */
static bool offset_of(const char *s, long *n, const char **end)
{
	char *e;

	if (*s != '+' && *s != '-')
		return false;
	if (!isdigit((unsigned char)s[1]))
		return false;
	*n = strtol(s + 1, &e, 10);
	if (*s == '-')
		*n = -*n;
	*end = e;
	return true;
}

/* "years".startsWith(units) and so on: where the offset goes */
static int *now_unit(struct tm *tm, const char *units)
{
	size_t n = strlen(units);

	if (n && !strncasecmp("years", units, n))
		return &tm->tm_year;
	if (n && !strncasecmp("days", units, n))
		return &tm->tm_mday;
	if (n && !strncasecmp("hours", units, n))
		return &tm->tm_hour;
	if (n && !strncasecmp("minutes", units, n))
		return &tm->tm_min;
	return NULL;
}

/*
 * NowAndTodayUtil: NOW, NOW+3d (y, d, h, m and their longer spellings),
 * TODAY, TODAY-1 (days), taken when the SQL is made, in local time (the
 * JVM's); the column type decides what is kept (date, time, datetime).
 * update-sql marks loadData as changing each run for this reason.
 */
static int now_or_today(pg_value *v, mg_arena *a, const char *value,
			const char *type)
{
	bool now = !strncasecmp(value, "now", 3);
	const char *rest = value + (now ? 3 : 5), *end = rest;
	struct timespec ts;
	struct tm tm;
	long n = 0;
	int *field = NULL;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	if (*rest && (!offset_of(rest, &n, &end) ||
		      (now ? !(field = now_unit(&tm, end)) : *end != '\0')))
		return mg_error_set(MG_EINVALID, "improper value in '%s' value: "
				    "%s (%s)", now ? "NOW" : "TODAY", value,
				    now ? "NOW+<n><y|d|h|m>" : "TODAY+<n>");
	if (*rest)
		*(now ? field : &tm.tm_mday) += (int)n;
	tm.tm_isdst = -1;
	mktime(&tm);
	memset(v, 0, sizeof(*v));
	if (type_is(type, "date")) {
		v->kind = PGV_DATE;
		v->text = mg_arena_printf(a, "%04d-%02d-%02d", tm.tm_year + 1900,
					  tm.tm_mon + 1, tm.tm_mday);
	} else if (type_is(type, "time")) {
		v->kind = PGV_TIME;
		v->text = mg_arena_printf(a, "%02d:%02d:%02d", tm.tm_hour,
					  tm.tm_min, tm.tm_sec);
	} else {
		v->kind = PGV_TIMESTAMP;
		v->text = mg_arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d.%03ld",
					  tm.tm_year + 1900, tm.tm_mon + 1,
					  tm.tm_mday, tm.tm_hour, tm.tm_min,
					  tm.tm_sec, ts.tv_nsec / 1000000);
	}
	return 0;
}

/*
 * One CSV cell of a column of a LOAD_DATA_TYPE: `value` is the cell, or
 * the column's defaultValue when the cell is empty (NULL without one).
 */
typedef int cell_fn(pg_value *v, ld_state *st, const ld_col *c,
		    const char *value);

static void set_value(pg_value *v, pg_vkind kind, const char *text)
{
	v->kind = kind;
	v->text = text;
}

/* no type, UUID, OTHER and the unknown ones: the string as it is */
static int cell_string(pg_value *v, ld_state *st, const ld_col *c,
		       const char *value)
{
	(void)st;
	(void)c;
	if (value)
		set_value(v, PGV_STRING, value);
	return 0;
}

static int cell_boolean(pg_value *v, ld_state *st, const ld_col *c,
			const char *value)
{
	if (!value) {
		column_default(v, st, c, "defaultValueBoolean");
		return 0;
	}
	v->kind = PGV_BOOL;
	v->b = parse_boolean_util(&st->rows, value);
	return 0;
}

static int cell_numeric(pg_value *v, ld_state *st, const ld_col *c,
			const char *value)
{
	if (value)
		numeric_value(v, &st->rows, value);
	else
		column_default(v, st, c, "defaultValueNumeric");
	return 0;
}

/* DATE, DATETIME, TIME: NOW/TODAY, an ISO date, else a function */
static int cell_date(pg_value *v, ld_state *st, const ld_col *c,
		     const char *value)
{
	if (!value)
		column_default(v, st, c, "defaultValueDate");
	else if (!strncasecmp(value, "now", 3) ||
		 !strncasecmp(value, "today", 5))
		return now_or_today(v, &st->rows, value, c->type);
	else if (!mg_sqlgen__iso_date(v, &st->rows, value))
		set_value(v, PGV_FUNCTION, value);
	return 0;
}

/* STRING: an empty cell without a default is the empty string */
static int cell_text(pg_value *v, ld_state *st, const ld_col *c,
		     const char *value)
{
	(void)st;
	(void)c;
	set_value(v, PGV_STRING, value ? value : "");
	return 0;
}

static int cell_computed(pg_value *v, ld_state *st, const ld_col *c,
			 const char *value)
{
	if (value)
		set_value(v, PGV_FUNCTION, value);
	else
		column_default(v, st, c, "defaultValueComputed");
	return 0;
}

static int cell_sequence(pg_value *v, ld_state *st, const ld_col *c,
			 const char *value)
{
	(void)c;
	if (!value)
		return mg_error_set(MG_EINVALID, "must set a sequence name in "
				    "the loadData column defaultValue "
				    "attribute");
	set_value(v, PGV_SEQ_NEXT, value);
	v->schema = st->schema;
	return 0;
}

/* BLOB: base64, else a file beside the changelog; Liquibase fails on an
 * empty cell (NullPointerException): NULL here */
static int cell_blob(pg_value *v, ld_state *st, const ld_col *c,
		     const char *value)
{
	(void)c;
	st->row_prepared = true;
	if (value && !mg_sqlgen__base64(v, &st->rows, value))
		return mg_sqlgen__blob_file(v, st->g, &st->rows, value);
	return 0;
}

/* CLOB: the cell names a file beside the changelog */
static int cell_clob(pg_value *v, ld_state *st, const ld_col *c,
		     const char *value)
{
	(void)c;
	st->row_prepared = true;
	if (value)
		return mg_sqlgen__clob_file(v, st->g, &st->rows, value, NULL);
	return 0;
}

static const struct cell_type {
	const char *name; /* matched ignoring case */
	cell_fn *fn;
} cell_types[] = {
	{ "BOOLEAN", cell_boolean },   { "NUMERIC", cell_numeric },
	{ "date", cell_date },         { "datetime", cell_date },
	{ "time", cell_date },         { "STRING", cell_text },
	{ "COMPUTED", cell_computed }, { "SEQUENCE", cell_sequence },
	{ "BLOB", cell_blob },         { "CLOB", cell_clob },
};

/* one CSV cell -> the value LoadDataChange puts in the INSERT */
static int cell_value(pg_value *v, ld_state *st, const ld_col *c,
		      const char *value)
{
	cell_fn *fn = cell_string;

	memset(v, 0, sizeof(*v));
	if (!*value)
		value = node_attr(&st->rows, c->node, "defaultValue");
	if (value && !strcasecmp(value, "NULL"))
		return 0;
	for (size_t i = 0; c->type && i < MG_ARRAY_SIZE(cell_types); i++) {
		if (type_is(c->type, cell_types[i].name)) {
			fn = cell_types[i].fn;
			break;
		}
	}
	return fn(v, st, c, value);
}

static bool skip_row(ld_state *st, const csv_rec *r, const char *comment)
{
	if (r->n == 0)
		return true;
	if (r->n == 1 && !mg_sqlgen__trim_to_null(&st->rows, r->f[0]))
		return true;
	return comment && *comment && mg_str_startswith(r->f[0], comment);
}

typedef struct ld_named {
	const char *name;
	size_t i;
} ld_named;

static int cmp_named(const void *a, const void *b)
{
	return mg_java_strcmp(((const ld_named *)a)->name,
			      ((const ld_named *)b)->name);
}

/* A header that no column matches once trimmed (" a, a": both bound
 * the column " a", which kept the second index): Liquibase's "no
 * columnConfig" case, the header's own name and no type. */
static const ld_col *untyped_col(mg_arena *a, const char *name)
{
	ld_col *c = mg_arena_alloc(a, sizeof(*c));

	c->name = name;
	c->index = -1;
	return c;
}

/* The row's column names and where each header field goes: a name
 * seen twice keeps its first place (a LinkedHashMap in Liquibase). */
static void plan_row(ld_state *st, const csv_rec *h)
{
	mg_arena *a = st->g->tmp;
	ld_named *named;

	st->nheaders = h->n;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	st->hcols = mg_arena_alloc(a, (h->n + 1) * sizeof(*st->hcols));
	st->slot = mg_arena_alloc(a, (h->n + 1) * sizeof(*st->slot));
	st->row.names = mg_arena_alloc(a, (h->n + 1) * sizeof(char *));
	st->row.values = mg_arena_alloc(a, (h->n + 1) * sizeof(pg_value));
	st->no_update = mg_arena_alloc(a, (h->n + 1) * sizeof(bool));
	st->row.n = 0;
	for (size_t i = 0; i < h->n; i++) {
		const char *name = mg_sqlgen__trim(a, h->f[i]);
		const ld_col *c = find_col(st, i, name);
		const char *allow;
		size_t k;

		if (!c)
			c = untyped_col(a, name);
		st->hcols[i] = c;
		st->slot[i] = -1;
		if (type_is(c->type, "skip"))
			continue;
		if (c->name)
			name = c->name;
		for (k = 0; k < st->row.n; k++)
			if (!strcmp(st->row.names[k], name))
				break;
		st->row.names[k] = name;
		st->slot[i] = (long)k;
		/* per column name, the last field's setting wins */
		allow = c->node ? node_attr(a, c->node, "allowUpdate") : NULL;
		st->no_update[k] = allow && !mg_java_bool(allow);
		if (k == st->row.n)
			st->row.n++;
	}
	/* loadUpdateData's SET list: an UpdateStatement keeps its columns
	 * in a TreeMap */
	named = mg_arena_alloc(a, (st->row.n + 1) * sizeof(*named));
	for (size_t i = 0; i < st->row.n; i++)
		named[i] = (ld_named){st->row.names[i], i};
	qsort(named, st->row.n, sizeof(*named), cmp_named);
	st->by_name = mg_arena_alloc(a, (st->row.n + 1) * sizeof(size_t));
	for (size_t i = 0; i < st->row.n; i++)
		st->by_name[i] = named[i].i;
}

static int build_row(ld_state *st, const csv_rec *r)
{
	for (size_t i = 0; i < st->nheaders; i++) {
		int error;

		if (st->slot[i] < 0)
			continue;
		if ((error = cell_value(&st->row.values[st->slot[i]], st,
					st->hcols[i], r->f[i])) < 0)
			return error;
	}
	return 0;
}

static void put_header(mg_buf *b, ld_state *st)
{
	mg_buf_puts(b, "INSERT INTO ");
	mg_buf_puts(b, st->table);
	mg_buf_puts(b, " (");
	for (size_t i = 0; i < st->row.n; i++) {
		if (i)
			mg_buf_puts(b, ", ");
		mg_sqlgen_ident(b, st->row.names[i]);
	}
	mg_buf_puts(b, ") VALUES ");
}

static void put_values(mg_buf *b, ld_state *st)
{
	mg_buf_putc(b, '(');
	for (size_t i = 0; i < st->row.n; i++) {
		if (i)
			mg_buf_puts(b, ", ");
		mg_sqlgen__value_dml(b, &st->row.values[i], false, st->g->ctx);
	}
	mg_buf_puts(b, "),");
}

static bool is_key(const ld_state *st, const char *name)
{
	const char *p = st->primary_key, *item;
	size_t len;

	while (mg_list_next(&p, &item, &len))
		if (len == strlen(name) && !strncasecmp(item, name, len))
			return true;
	return false;
}

/* a column the UPDATE sets: not a key, not allowUpdate="false" */
static bool is_assigned(const ld_state *st, size_t i)
{
	return !is_key(st, st->row.names[i]) && !st->no_update[i];
}

static bool has_assignments(const ld_state *st)
{
	for (size_t i = 0; i < st->row.n; i++)
		if (is_assigned(st, i))
			return true;
	return false;
}

/* the key columns in the row's order; the others by name, without those
 * marked allowUpdate="false" */
static void put_assignments(mg_buf *b, ld_state *st, bool keys,
			    const char *sep)
{
	bool first = true;

	for (size_t j = 0; j < st->row.n; j++) {
		size_t i = keys ? j : st->by_name[j];

		if (keys ? !is_key(st, st->row.names[i]) : !is_assigned(st, i))
			continue;
		if (!first)
			mg_buf_puts(b, sep);
		first = false;
		mg_sqlgen_ident(b, st->row.names[i]);
		mg_buf_puts(b, " = ");
		mg_sqlgen__value_dml(b, &st->row.values[i], false, st->g->ctx);
	}
}

/* loadUpdateData on PostgreSQL, as Liquibase 4.28 writes it: per row a
 * DO block with an UPDATE by primary key and, when no row matched, an
 * INSERT (with onlyUpdate, the UPDATE alone in the block). */
static int emit_upsert(ld_state *st, bool only_update)
{
	mg_buf b = MG_BUF_INIT;

	mg_buf_puts(&b, "DO\n$$\nBEGIN\n");
	if (has_assignments(st)) {
		mg_buf_puts(&b, "UPDATE ");
		mg_buf_puts(&b, st->table);
		mg_buf_puts(&b, " SET ");
		put_assignments(&b, st, false, ", ");
	} else {
		/* every column is a key: Liquibase's fallback */
		mg_buf_puts(&b, "perform * from ");
		mg_buf_puts(&b, st->table);
	}
	mg_buf_puts(&b, " WHERE ");
	put_assignments(&b, st, true, " AND ");
	mg_buf_puts(&b, ";\n");
	if (!only_update) {
		mg_buf_puts(&b, "IF not found THEN\n");
		put_header(&b, st);
		put_values(&b, st);
		mg_buf_truncate(&b, b.len - 1);
		mg_buf_puts(&b, ";\nEND IF;\n");
	}
	mg_buf_puts(&b, "END;\n$$\nLANGUAGE plpgsql");
	return mg_sqlgen__emit(st->g, &b);
}

/* A row Liquibase inserts with a prepared statement (BatchDml...): one
 * INSERT of its own, strings bound as they are. */
static int emit_prepared_row(ld_state *st)
{
	mg_buf b = MG_BUF_INIT;

	for (size_t i = 0; i < st->row.n; i++)
		if (st->row.values[i].kind == PGV_STRING)
			st->row.values[i].kind = PGV_TEXT;
	put_header(&b, st);
	put_values(&b, st);
	mg_buf_truncate(&b, b.len - 1);
	return mg_sqlgen__emit_prepared(st->g, &b);
}

/* InsertSetGenerator: a new statement after every 51 rows */
static int flush_insert(ld_state *st, mg_buf *b, size_t *in_batch)
{
	int error;

	if (!*in_batch)
		return 0;
	mg_buf_truncate(b, b->len - 1); /* the last ',' */
	error = mg_sqlgen__emit(st->g, b);
	*in_batch = 0;
	return error;
}

static int load_rows(ld_state *st, csv_reader *r, size_t nfields)
{
	const char *comment = mg_sqlgen__get(st->g, "commentLineStartsWith");
	bool only_update = mg_java_bool(mg_sqlgen__get(st->g, "onlyUpdate"));
	mg_buf b = MG_BUF_INIT;
	size_t in_batch = 0;
	csv_rec rec;
	int error = 0;

	if (!mg_node_child(st->g->c->node, "commentLineStartsWith"))
		comment = "#";
	/* a record's strings and values live until it is in `b` */
	for (; !error; mg_arena_release(&st->rows)) {
		if (!read_record(r, &st->rows, &rec))
			break;
		if (skip_row(st, &rec, comment))
			continue;
		if (rec.n != nfields) {
			error = mg_error_set(MG_EINVALID, "CSV file %s line "
				"%zu has %zu values defined, header has %zu",
				mg_sqlgen__get(st->g, "file"), r->number, rec.n,
				nfields);
			break;
		}
		st->row_prepared = false;
		if ((error = build_row(st, &rec)) < 0)
			break;
		st->g->out->rows++;
		if (st->primary_key) {
			error = emit_upsert(st, only_update);
			continue;
		}
		if (st->prepared || st->row_prepared) {
			if ((error = flush_insert(st, &b, &in_batch)) == 0)
				error = emit_prepared_row(st);
			continue;
		}
		if (!in_batch)
			put_header(&b, st);
		put_values(&b, st);
		if (++in_batch == ROWS_PER_INSERT)
			error = flush_insert(st, &b, &in_batch);
	}
	if (!error)
		error = flush_insert(st, &b, &in_batch);
	if (!error && r->in.failed)
		error = mg_error_set(MG_ERROR, "cannot read '%s'",
				     mg_sqlgen__get(st->g, "file"));
	mg_buf_release(&b);
	return error;
}

int mg_sqlgen__load_update_data(pg_gen *g)
{
	const char *pk;
	int error;

	if ((error = mg_sqlgen__required(g, "primaryKey", &pk)) < 0)
		return error;
	return mg_sqlgen__load_data(g);
}

static char csv_char(const pg_gen *g, const char *attr, const char *dflt)
{
	const char *v = mg_sqlgen__get(g, attr);

	if (!v)
		v = dflt;
	if (!strcmp(attr, "separator") && !strcmp(v, "\\t"))
		return '\t';
	if (!strcmp(attr, "quotchar"))
		v = mg_sqlgen__trim(g->tmp, v);
	return *v ? v[0] : '\1';
}

static const char *qualified_table(pg_gen *g, const char *schema,
				   const char *table)
{
	mg_buf b = MG_BUF_INIT;
	const char *r;

	mg_sqlgen_qualified(&b, g->ctx, schema, table);
	r = mg_arena_strdup(g->tmp, b.ptr);
	mg_buf_release(&b);
	return r;
}

int mg_sqlgen__load_data(pg_gen *g)
{
	const char *table;
	const char *prepared = mg_sqlgen__get(g, "usePreparedStatements");
	ld_state st = { .g = g, .schema = mg_sqlgen__get(g, "schemaName") };
	csv_reader r = { .sep = csv_char(g, "separator", ","),
			 .quote = csv_char(g, "quotchar", "\"") };
	csv_rec header;
	int error;

	if ((error = mg_sqlgen__required(g, "tableName", &table)) < 0)
		return error;
	st.table = qualified_table(g, st.schema, table);
	st.prepared = prepared && mg_java_bool(prepared);
	if ((error = in_open(&r.in, g)) < 0)
		return error;
	if (!read_record(&r, g->tmp, &header)) {
		error = mg_error_set(MG_EINVALID, "data file '%s' was empty",
				     mg_sqlgen__get(g, "file"));
	} else {
		if (g->c->type->id == MG_CHANGE_LOAD_UPDATE_DATA)
			st.primary_key = mg_sqlgen__get(g, "primaryKey");
		load_columns(&st, header.n);
		if ((error = bind_headers(&st, &header)) == 0) {
			retrieve_missing_types(&st);
			plan_row(&st, &header);
			error = load_rows(&st, &r, header.n);
		}
	}
	mg_arena_release(&st.rows);
	mg_buf_release(&r.line);
	mg_buf_release(&r.rec);
	in_close(&r.in);
	return error;
}
