/*
 * pg_load.c: loadData as Liquibase 4.28 `update-sql` writes it: the CSV
 * (opencsv RFC4180 rules) becomes multi-row INSERTs of at most 51 rows
 * (InsertSetGenerator). Columns without a type are written as strings:
 * update-sql cannot look the table up, since it has not been created.
 */
#include "pg_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migrator/error.h"
#include "migrator/util.h"

typedef struct csv_rec {
	const char **f;
	size_t n;
} csv_rec;

typedef struct csv {
	csv_rec *recs;
	size_t n, alloc;
} csv;

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
	res = mg_arena_strdup(a, b.ptr);
	mg_buf_release(&b);
	return res;
}

static void split_record(mg_arena *a, csv_rec *r, const char *s, char sep,
			 char q)
{
	size_t cap = 1, start = 0, len = strlen(s);
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

/* Lines end at \n, \r or \r\n; a record goes on while a quote is open. */
static void parse_csv(csv *out, mg_arena *a, const char *text, char sep,
		      char q)
{
	const char *p = text;
	mg_buf rec = MG_BUF_INIT;
	size_t quotes = 0;

	memset(out, 0, sizeof(*out));
	if (!strncmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (*p) {
		size_t n = strcspn(p, "\r\n");

		if (rec.len || quotes)
			mg_buf_putc(&rec, '\n');
		mg_buf_put(&rec, p, n);
		for (size_t i = 0; i < n; i++)
			quotes += p[i] == q;
		p += n;
		if (*p == '\r' && p[1] == '\n')
			p += 2;
		else if (*p)
			p++;
		if (quotes % 2 && *p)
			continue;
		MG_VEC_GROW(out->recs, out->alloc, out->n + 1);
		split_record(a, &out->recs[out->n++], rec.ptr, sep, q);
		mg_buf_reset(&rec);
		quotes = 0;
	}
	mg_buf_release(&rec);
}

typedef struct ld_col {
	const mg_node *node;    /* the <column>, NULL when from a header */
	const char *name, *header, *type;
	long index;             /* -1: none */
} ld_col;

typedef struct ld_state {
	pg_gen *g;
	ld_col *cols;
	size_t ncols;
	const char *schema;
	const char *primary_key; /* loadUpdateData: upsert on these columns */
} ld_state;

static const char *node_attr(const pg_gen *g, const mg_node *n,
			     const char *name)
{
	return n ? mg_sqlgen__node_text(g->tmp, mg_node_child(n, name)) : NULL;
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
		const char *idx = node_attr(st->g, c, "index");

		st->cols[i].node = c;
		st->cols[i].name = node_attr(st->g, c, "name");
		st->cols[i].header = node_attr(st->g, c, "header");
		st->cols[i].type = node_attr(st->g, c, "type");
		st->cols[i].index = idx ? strtol(idx, NULL, 10) : -1;
	}
	st->ncols = n;
	return 0;
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

static void numeric_value(pg_value *v, mg_arena *a, const char *s)
{
	const char *stripped = s, *ignored;
	size_t n;

	if (!strcasecmp(s, "null"))
		return;
	if (s[0] == '(') {
		stripped = s + 1;
		n = strlen(stripped);
		if (n && stripped[n - 1] == ')')
			stripped = mg_arena_strndup(a, stripped, n - 1);
	}
	if (mg_sqlgen__java_number(a, stripped, &ignored)) {
		v->kind = PGV_NUMBER;
		v->text = stripped;
	} else {
		v->kind = PGV_FUNCTION;
		v->text = s;
	}
}

/* The default attributes of a <column> as ColumnConfig holds them */
static void column_default(pg_value *v, ld_state *st, const ld_col *c,
			   const char *attr)
{
	mg_arena *a = st->g->tmp;
	const char *s = node_attr(st->g, c->node, attr);

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

/* one CSV cell -> the value LoadDataChange puts in the INSERT */
static int cell_value(pg_value *v, ld_state *st, const ld_col *c,
		      const char *value)
{
	mg_arena *a = st->g->tmp;
	const char *type = c->type;

	memset(v, 0, sizeof(*v));
	if (!*value)
		value = node_attr(st->g, c->node, "defaultValue");
	if (value && !strcasecmp(value, "NULL"))
		return 0;
	if (!type || type_is(type, "UUID") || type_is(type, "OTHER")) {
		if (value) {
			v->kind = PGV_STRING;
			v->text = value;
		}
	} else if (type_is(type, "BOOLEAN")) {
		if (!value) {
			column_default(v, st, c, "defaultValueBoolean");
		} else {
			v->kind = PGV_BOOL;
			v->b = parse_boolean_util(a, value);
		}
	} else if (type_is(type, "NUMERIC")) {
		if (value)
			numeric_value(v, a, value);
		else
			column_default(v, st, c, "defaultValueNumeric");
	} else if (type_is(type, "date") || type_is(type, "datetime") ||
		   type_is(type, "time")) {
		if (!value)
			column_default(v, st, c, "defaultValueDate");
		else if (!strncasecmp(value, "now", 3) ||
			 !strncasecmp(value, "today", 5))
			return mg_error_set(MG_EUNSUPPORTED, "loadData: NOW "
					    "and TODAY dates are not supported "
					    "yet");
		else if (!mg_sqlgen__iso_date(v, a, value)) {
			v->kind = PGV_FUNCTION;
			v->text = value;
		}
	} else if (type_is(type, "STRING")) {
		v->kind = PGV_STRING;
		v->text = value ? value : "";
	} else if (type_is(type, "COMPUTED")) {
		if (value) {
			v->kind = PGV_FUNCTION;
			v->text = value;
		} else {
			column_default(v, st, c, "defaultValueComputed");
		}
	} else if (type_is(type, "SEQUENCE")) {
		if (!value)
			return mg_error_set(MG_EINVALID, "must set a sequence "
					    "name in the loadData column "
					    "defaultValue attribute");
		v->kind = PGV_SEQ_NEXT;
		v->text = value;
		v->schema = st->schema;
	} else if (type_is(type, "BLOB") || type_is(type, "CLOB")) {
		return mg_error_set(MG_EUNSUPPORTED, "loadData: BLOB and CLOB "
				    "columns need prepared statements, not "
				    "supported yet");
	} else if (value) {
		v->kind = PGV_STRING;
		v->text = value;
	}
	return 0;
}

static bool skip_row(const ld_state *st, const csv_rec *r,
		     const char *comment)
{
	if (r->n == 0)
		return true;
	if (r->n == 1 && !mg_sqlgen__trim_to_null(st->g->tmp, r->f[0]))
		return true;
	return comment && *comment && mg_str_startswith(r->f[0], comment);
}

typedef struct ld_row {
	const char **names;
	pg_value *values;
	size_t n;
} ld_row;

static int build_row(ld_row *row, ld_state *st, const csv_rec *h,
		     const csv_rec *r)
{
	row->names = mg_arena_alloc(st->g->tmp, (h->n + 1) * sizeof(char *));
	row->values = mg_arena_alloc(st->g->tmp, (h->n + 1) * sizeof(pg_value));
	row->n = 0;
	for (size_t i = 0; i < h->n; i++) {
		const char *name = mg_sqlgen__trim(st->g->tmp, h->f[i]);
		const ld_col *c = find_col(st, i, name);
		size_t k;
		pg_value v;
		int error;

		if (type_is(c->type, "skip"))
			continue;
		if (c->name)
			name = c->name;
		if ((error = cell_value(&v, st, c, r->f[i])) < 0)
			return error;
		/* a LinkedHashMap: a repeated name keeps its place */
		for (k = 0; k < row->n; k++)
			if (!strcmp(row->names[k], name))
				break;
		row->names[k] = name;
		row->values[k] = v;
		if (k == row->n)
			row->n++;
	}
	return 0;
}

static void put_header(mg_buf *b, ld_state *st, const ld_row *first)
{
	mg_buf_puts(b, "INSERT INTO ");
	mg_sqlgen_qualified(b, st->g->ctx, st->schema,
			    mg_sqlgen__get(st->g, "tableName"));
	mg_buf_puts(b, " (");
	for (size_t i = 0; i < first->n; i++) {
		if (i)
			mg_buf_puts(b, ", ");
		mg_sqlgen_ident(b, first->names[i]);
	}
	mg_buf_puts(b, ") VALUES ");
}

static void put_values(mg_buf *b, ld_state *st, const ld_row *row)
{
	mg_buf_putc(b, '(');
	for (size_t i = 0; i < row->n; i++) {
		if (i)
			mg_buf_puts(b, ", ");
		mg_sqlgen__value_dml(b, &row->values[i], false, st->g->ctx);
	}
	mg_buf_puts(b, "),");
}

/* InsertSetGenerator: a new statement after every 51 rows */
static void emit_rows(ld_state *st, const ld_row *rows, size_t n)
{
	mg_buf b = MG_BUF_INIT;
	size_t in_batch = 0;

	if (!n)
		return;
	put_header(&b, st, &rows[0]);
	for (size_t i = 0; i < n; i++) {
		put_values(&b, st, &rows[i]);
		if (++in_batch > 50 || i + 1 == n) {
			mg_buf_truncate(&b, b.len - 1); /* the last ',' */
			mg_sqlgen__emit(st->g, &b);
			in_batch = 0;
			if (i + 1 < n)
				put_header(&b, st, &rows[0]);
		}
	}
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

static void put_assignments(mg_buf *b, ld_state *st, const ld_row *row,
			    bool keys, const char *sep)
{
	bool first = true;

	for (size_t i = 0; i < row->n; i++) {
		if (is_key(st, row->names[i]) != keys)
			continue;
		if (!first)
			mg_buf_puts(b, sep);
		first = false;
		mg_sqlgen_ident(b, row->names[i]);
		mg_buf_puts(b, " = ");
		mg_sqlgen__value_dml(b, &row->values[i], false, st->g->ctx);
	}
}

/* loadUpdateData on PostgreSQL, as Liquibase 4.28 writes it: per row an
 * UPDATE by primary key and, when no row matched, an INSERT, in a DO
 * block (just the UPDATE with onlyUpdate). */
static void emit_upserts(ld_state *st, const ld_row *rows, size_t n)
{
	bool only_update = mg_java_bool(mg_sqlgen__get(st->g, "onlyUpdate"));

	for (size_t i = 0; i < n; i++) {
		mg_buf b = MG_BUF_INIT;

		if (!only_update)
			mg_buf_puts(&b, "DO\n$$\nBEGIN\n");
		mg_buf_puts(&b, "UPDATE ");
		mg_sqlgen_qualified(&b, st->g->ctx, st->schema,
				    mg_sqlgen__get(st->g, "tableName"));
		mg_buf_puts(&b, " SET ");
		put_assignments(&b, st, &rows[i], false, ", ");
		mg_buf_puts(&b, " WHERE ");
		put_assignments(&b, st, &rows[i], true, " AND ");
		if (!only_update) {
			mg_buf_puts(&b, ";\nIF not found THEN\n");
			put_header(&b, st, &rows[i]);
			put_values(&b, st, &rows[i]);
			mg_buf_truncate(&b, b.len - 1);
			mg_buf_puts(&b, ";\nEND IF;\nEND;\n$$\nLANGUAGE plpgsql");
		}
		mg_sqlgen__emit(st->g, &b);
	}
}

static int load_rows(ld_state *st, const csv *data)
{
	const char *comment = mg_sqlgen__get(st->g, "commentLineStartsWith");
	ld_row *rows;
	size_t nrows = 0;
	int error;

	if (!mg_node_child(st->g->c->node, "commentLineStartsWith"))
		comment = "#";
	rows = mg_arena_alloc(st->g->tmp, (data->n + 1) * sizeof(*rows));
	for (size_t i = 1; i < data->n; i++) {
		const csv_rec *r = &data->recs[i];

		if (skip_row(st, r, comment))
			continue;
		if (r->n != data->recs[0].n)
			return mg_error_set(MG_EINVALID, "CSV file %s line "
				"%zu has %zu values defined, header has %zu",
				mg_sqlgen__get(st->g, "file"), i + 1, r->n,
				data->recs[0].n);
		if ((error = build_row(&rows[nrows++], st, &data->recs[0],
				       r)) < 0)
			return error;
	}
	if (st->primary_key)
		emit_upserts(st, rows, nrows);
	else
		emit_rows(st, rows, nrows);
	return 0;
}

int mg_sqlgen__load_update_data(pg_gen *g)
{
	const char *pk;
	int error;

	if ((error = mg_sqlgen__required(g, "primaryKey", &pk)) < 0)
		return error;
	return mg_sqlgen__load_data(g);
}

int mg_sqlgen__load_data(pg_gen *g)
{
	const char *table, *sep = mg_sqlgen__get(g, "separator");
	const char *quot = mg_sqlgen__get(g, "quotchar");
	const char *prepared = mg_sqlgen__get(g, "usePreparedStatements");
	ld_state st = { g, NULL, 0, mg_sqlgen__get(g, "schemaName"), NULL };
	csv data;
	int error;

	if ((error = mg_sqlgen__required(g, "tableName", &table)) < 0)
		return error;
	if (!g->c->text)
		return mg_error_set(MG_EINVALID, "unable to read file '%s'",
				    mg_sqlgen__get(g, "file"));
	if (prepared && mg_java_bool(prepared))
		return mg_error_set(MG_EUNSUPPORTED, "loadData with "
				    "usePreparedStatements is not supported");
	if (!sep)
		sep = ",";
	else if (!strcmp(sep, "\\t"))
		sep = "\t";
	if (!quot)
		quot = "\"";
	quot = mg_sqlgen__trim(g->tmp, quot);
	parse_csv(&data, g->tmp, g->c->text, sep[0], *quot ? quot[0] : '\1');
	if (!data.n) {
		free(data.recs);
		return mg_error_set(MG_EINVALID, "data file '%s' was empty",
				    mg_sqlgen__get(g, "file"));
	}
	if (g->c->type->id == MG_CHANGE_LOAD_UPDATE_DATA)
		st.primary_key = mg_sqlgen__get(g, "primaryKey");
	load_columns(&st, data.recs[0].n);
	if ((error = bind_headers(&st, &data.recs[0])) == 0)
		error = load_rows(&st, &data);
	free(data.recs);
	return error;
}
