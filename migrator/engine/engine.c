/*
 * engine.c: engine set-up (schema, which bookkeeping tables exist) and
 * DATABASECHANGELOG reading and writing in Liquibase 4.28's exact SQL
 * (spec 4.14 and 6.1).
 */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "migrator/checksum.h"
#include "migrator/error.h"
#include "migrator/util.h"

void mg_engine__emit(mg_engine *e, mg_event ev, size_t i, size_t n,
		     const char *key, const char *text)
{
	if (e->o.on_event)
		e->o.on_event(ev, i, n, key, text, e->o.payload);
}

void mg_engine__table(mg_buf *out, const mg_engine *e, const char *table)
{
	mg_sqlgen_qualified(out, &e->gen, NULL, table);
}

void mg_engine__lock_table_ddl(mg_buf *out, const mg_engine *e)
{
	mg_buf_puts(out, "CREATE TABLE ");
	mg_engine__table(out, e, "databasechangeloglock");
	mg_buf_puts(out, " (ID INTEGER NOT NULL, LOCKED BOOLEAN NOT NULL, "
			 "LOCKGRANTED TIMESTAMP WITHOUT TIME ZONE, LOCKEDBY "
			 "VARCHAR(255), CONSTRAINT databasechangeloglock_pkey "
			 "PRIMARY KEY (ID))");
}

void mg_engine__changelog_table_ddl(mg_buf *out, const mg_engine *e)
{
	mg_buf_puts(out, "CREATE TABLE ");
	mg_engine__table(out, e, "databasechangelog");
	mg_buf_puts(out,
		    " (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, "
		    "FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TIMESTAMP "
		    "WITHOUT TIME ZONE NOT NULL, ORDEREXECUTED INTEGER NOT NULL, "
		    "EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), "
		    "DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), TAG "
		    "VARCHAR(255), LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255), "
		    "LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10))");
}

/* Liquibase: epoch milliseconds at the start, last 10 digits. */
static void make_deployment_id(char out[11])
{
	struct timeval tv;
	unsigned long long ms;
	char digits[32];
	size_t n;

	gettimeofday(&tv, NULL);
	ms = (unsigned long long)tv.tv_sec * 1000ULL +
	     (unsigned long long)tv.tv_usec / 1000ULL;
	snprintf(digits, sizeof(digits), "%010llu", ms);
	n = strlen(digits);
	memcpy(out, digits + n - 10, 11);
}

/* One query: default schema and which bookkeeping tables exist. */
static int probe(mg_engine *e)
{
	const char *sql =
		"SELECT COALESCE($1, current_schema(), 'public') AS schema, "
		"EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN "
		"pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
		"n.nspname = COALESCE($1, current_schema(), 'public') AND "
		"c.relname = 'databasechangelog') AS has_log, "
		"EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN "
		"pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
		"n.nspname = COALESCE($1, current_schema(), 'public') AND "
		"c.relname = 'databasechangeloglock') AS has_lock";
	const char *schema = e->o.default_schema;
	mg_rows *r = NULL;
	int error;

	if (!schema)
		schema = mg_conn_info(e->conn, "url_schema");
	if ((error = mg_conn_query(&r, e->conn, sql, &schema, 1)) < 0)
		return error;
	e->schema = mg_xstrdup(mg_rows_get(r, 0, "schema"));
	e->has_changelog_table = mg_streq(mg_rows_get(r, 0, "has_log"), "t");
	e->has_lock_table = mg_streq(mg_rows_get(r, 0, "has_lock"), "t");
	mg_rows_free(r);
	return 0;
}

/* Unqualified names in changesets resolve in the default schema first,
 * as with Liquibase's SET SEARCH_PATH. */
static int set_search_path(mg_engine *e)
{
	mg_buf sql = MG_BUF_INIT;
	int error;

	mg_buf_puts(&sql, "SET search_path TO ");
	mg_sqlgen_ident(&sql, e->schema);
	mg_buf_puts(&sql, ", \"$user\", public");
	/* a killed migrator's open transaction ends within a second instead
	 * of holding its locks until the statement finishes (PG 14+) */
	if (atoi(mg_conn_info(e->conn, "server_version")) >= 140000)
		mg_buf_puts(&sql, "; SET client_connection_check_interval = 1000");
	error = mg_conn_exec(e->conn, sql.ptr);
	mg_buf_release(&sql);
	return error;
}

/* mg_sqlgen_ctx.table_columns: the live catalog, one query per table
 * (loadData without types) */
static void table_columns(void *payload, const char *table,
			  void (*each)(void *arg, const char *column,
				       const char *type),
			  void *arg)
{
	mg_engine *e = payload;
	const char *params[1] = { table };
	mg_rows *r = NULL;

	if (mg_conn_query(&r, e->conn,
			  "SELECT a.attname, t.typname FROM pg_catalog.pg_attribute a "
			  "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
			  "WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 "
			  "AND NOT a.attisdropped ORDER BY a.attnum",
			  params, 1) == 0)
		for (size_t i = 0; i < r->nrows; i++)
			each(arg, mg_rows_get(r, i, "attname"),
			     mg_rows_get(r, i, "typname"));
	mg_rows_free(r);
	mg_error_clear();
}

int mg_engine_new(mg_engine **out, mg_conn *conn, const mg_engine_options *o)
{
	mg_engine *e = mg_xcalloc(1, sizeof(*e));
	int error;

	e->conn = conn;
	e->o = *o;
	make_deployment_id(e->deployment_id);
	if ((error = probe(e)) < 0 || (error = set_search_path(e)) < 0) {
		mg_engine_free(e);
		return error;
	}
	e->gen.default_schema = e->schema;
	e->gen.table_columns = table_columns;
	e->gen.payload = e;
	*out = e;
	return 0;
}

const char *mg_engine_schema(const mg_engine *e)
{
	return e->schema;
}

const char *mg_engine_host(const mg_engine *e)
{
	return mg_conn_info(e->conn, "host");
}

const char *mg_engine_database(const mg_engine *e)
{
	return mg_conn_info(e->conn, "database");
}

void mg_engine__history_release(mg_history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		mg_history_row *r = &h->rows[i];

		free(r->id);
		free(r->author);
		free(r->filename);
		free(r->dateexecuted);
		free(r->exectype);
		free(r->md5sum);
		free(r->description);
		free(r->comments);
		free(r->tag);
		free(r->liquibase);
		free(r->contexts);
		free(r->labels);
		free(r->deployment_id);
	}
	free(h->rows);
	mg_strmap_release(&h->index);
	memset(h, 0, sizeof(*h));
}

void mg_engine_reload(mg_engine *e)
{
	mg_engine__history_release(&e->hist);
	e->hist_loaded = false;
}

void mg_engine_free(mg_engine *e)
{
	if (!e)
		return;
	if (e->locked)
		mg_engine_unlock(e);
	mg_engine__history_release(&e->hist);
	mg_conn_close(e->lock_conn);
	mg_conn_close(e->conn);
	free(e->schema);
	free(e);
}

static char *dup_or_null(const char *s)
{
	return s ? mg_xstrdup(s) : NULL;
}

/* normalizePath of a stored FILENAME, for matching (spec 5.2). */
/* "filename::id::author" of a row, its FILENAME normalised the way
 * Liquibase matches it (spec 5.2). */
void mg_engine__row_key(mg_buf *out, const mg_history_row *r)
{
	const char *f = r->filename ? r->filename : "";

	if (mg_str_startswith(f, "classpath:"))
		f += 10;
	if (*f == '/' || *f == '\\')
		f++;
	for (; *f; f++)
		mg_buf_putc(out, *f == '\\' ? '/' : *f);
	mg_buf_printf(out, "::%s::%s", r->id ? r->id : "",
		      r->author ? r->author : "");
}

static void index_row(mg_history *h, mg_history_row *r)
{
	mg_buf key = MG_BUF_INIT;

	mg_engine__row_key(&key, r);
	mg_strmap_put(&h->index, key.ptr, r);
	mg_buf_release(&key);
}

int mg_engine_history(mg_engine *e, const mg_history **out)
{
	mg_buf sql = MG_BUF_INIT;
	mg_rows *r = NULL;
	int error = 0;

	if (e->hist_loaded || !e->has_changelog_table)
		goto done;
	mg_buf_puts(&sql, "SELECT * FROM ");
	mg_engine__table(&sql, e, "databasechangelog");
	mg_buf_puts(&sql, " ORDER BY DATEEXECUTED ASC, ORDEREXECUTED ASC");
	if ((error = mg_conn_query(&r, e->conn, sql.ptr, NULL, 0)) < 0)
		goto out;
	e->hist.rows = mg_xcalloc(r->nrows + 1, sizeof(mg_history_row));
	for (size_t i = 0; i < r->nrows; i++) {
		mg_history_row *h = &e->hist.rows[i];
		const char *ord = mg_rows_get(r, i, "orderexecuted");

		h->id = dup_or_null(mg_rows_get(r, i, "id"));
		h->author = dup_or_null(mg_rows_get(r, i, "author"));
		h->filename = dup_or_null(mg_rows_get(r, i, "filename"));
		h->dateexecuted = dup_or_null(mg_rows_get(r, i, "dateexecuted"));
		h->exectype = dup_or_null(mg_rows_get(r, i, "exectype"));
		h->md5sum = dup_or_null(mg_rows_get(r, i, "md5sum"));
		h->description = dup_or_null(mg_rows_get(r, i, "description"));
		h->comments = dup_or_null(mg_rows_get(r, i, "comments"));
		h->tag = dup_or_null(mg_rows_get(r, i, "tag"));
		h->liquibase = dup_or_null(mg_rows_get(r, i, "liquibase"));
		h->contexts = dup_or_null(mg_rows_get(r, i, "contexts"));
		h->labels = dup_or_null(mg_rows_get(r, i, "labels"));
		h->deployment_id = dup_or_null(mg_rows_get(r, i, "deployment_id"));
		h->orderexecuted = ord ? atoi(ord) : 0;
		if (h->orderexecuted > e->hist.max_order)
			e->hist.max_order = h->orderexecuted;
		e->hist.n++;
	}
	for (size_t i = 0; i < e->hist.n; i++)
		index_row(&e->hist, &e->hist.rows[i]);
done:
	e->hist_loaded = true;
	*out = &e->hist;
out:
	mg_rows_free(r);
	mg_buf_release(&sql);
	return error;
}

void mg_sql_literal_or_null(mg_buf *out, const char *s)
{
	if (!s)
		mg_buf_puts(out, "NULL");
	else
		mg_sqlgen_literal(out, s);
}

static const char *changeset_tag(const mg_changeset *cs)
{
	for (size_t i = 0; i < cs->nchanges; i++)
		if (cs->changes[i].type->id == MG_CHANGE_TAG_DATABASE)
			return mg_change_get(&cs->changes[i], "tag");
	return NULL;
}

static void truncated_literal(mg_buf *out, const char *s)
{
	mg_buf t = MG_BUF_INIT;

	mg_buf_puts(&t, s);
	mg_truncate_column(&t);
	mg_sqlgen_literal(out, t.ptr);
	mg_buf_release(&t);
}

static void record_insert(mg_buf *out, mg_engine *e, const mg_step *s,
			  const char *exectype, int order, const char *desc)
{
	const mg_changeset *cs = s->cs;
	const char *tag = changeset_tag(cs);

	mg_buf_puts(out, "INSERT INTO ");
	mg_engine__table(out, e, "databasechangelog");
	mg_buf_printf(out, " (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, "
			   "MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, "
			   "LABELS, LIQUIBASE, DEPLOYMENT_ID%s) VALUES (",
		      tag ? ", TAG" : "");
	mg_sqlgen_literal(out, cs->id);
	mg_buf_puts(out, ", ");
	mg_sqlgen_literal(out, cs->author);
	mg_buf_puts(out, ", ");
	mg_sqlgen_literal(out, cs->filename);
	mg_buf_printf(out, ", NOW(), %d, ", order);
	mg_sqlgen_literal(out, s->checksum);
	mg_buf_puts(out, ", ");
	mg_sqlgen_literal(out, desc);
	mg_buf_puts(out, ", ");
	truncated_literal(out, cs->comment);
	mg_buf_printf(out, ", '%s', ", exectype);
	mg_sql_literal_or_null(out, cs->contexts);
	mg_buf_puts(out, ", ");
	mg_sql_literal_or_null(out, cs->labels);
	mg_buf_printf(out, ", '%s', '%s'", MG_LIQUIBASE_VERSION, e->deployment_id);
	if (tag) {
		mg_buf_puts(out, ", ");
		mg_sqlgen_literal(out, tag);
	}
	mg_buf_putc(out, ')');
}

static void where_row(mg_buf *out, const mg_changeset *cs)
{
	mg_buf_puts(out, " WHERE ID = ");
	mg_sqlgen_literal(out, cs->id);
	mg_buf_puts(out, " AND AUTHOR = ");
	mg_sqlgen_literal(out, cs->author);
	mg_buf_puts(out, " AND FILENAME = ");
	mg_sqlgen_literal(out, cs->filename);
}

static void record_update(mg_buf *out, mg_engine *e, const mg_step *s,
			  const char *exectype, int order, const char *desc)
{
	const mg_changeset *cs = s->cs;
	const char *tag = changeset_tag(cs);

	mg_buf_puts(out, "UPDATE ");
	mg_engine__table(out, e, "databasechangelog");
	mg_buf_puts(out, " SET COMMENTS = ");
	truncated_literal(out, cs->comment);
	mg_buf_puts(out, ", CONTEXTS = ");
	mg_sql_literal_or_null(out, cs->contexts);
	mg_buf_printf(out, ", DATEEXECUTED = NOW(), DEPLOYMENT_ID = '%s', "
			   "DESCRIPTION = ",
		      e->deployment_id);
	mg_sqlgen_literal(out, desc);
	mg_buf_printf(out, ", EXECTYPE = '%s', LABELS = ", exectype);
	mg_sql_literal_or_null(out, cs->labels);
	mg_buf_printf(out, ", LIQUIBASE = '%s', MD5SUM = ", MG_LIQUIBASE_VERSION);
	mg_sqlgen_literal(out, s->checksum);
	mg_buf_printf(out, ", ORDEREXECUTED = %d", order);
	if (tag) {
		mg_buf_puts(out, ", TAG = ");
		mg_sqlgen_literal(out, tag);
	}
	where_row(out, cs);
}

void mg_engine__record_sql(mg_buf *out, mg_engine *e, const mg_step *s,
			   const char *exectype, int order)
{
	mg_buf desc = MG_BUF_INIT;

	mg_changeset_description(&desc, s->cs);
	if (s->row)
		record_update(out, e, s, exectype, order, desc.ptr);
	else
		record_insert(out, e, s, exectype, order, desc.ptr);
	mg_buf_release(&desc);
}

void mg_engine__refresh_sql(mg_buf *out, mg_engine *e, const mg_step *s)
{
	mg_buf_puts(out, "UPDATE ");
	mg_engine__table(out, e, "databasechangelog");
	mg_buf_puts(out, " SET MD5SUM = ");
	mg_sqlgen_literal(out, s->checksum);
	where_row(out, s->cs);
}

int mg_engine__create_changelog_table(mg_engine *e, FILE *sql_out)
{
	mg_buf ddl = MG_BUF_INIT;
	int error = 0;

	if (e->has_changelog_table)
		return 0;
	mg_engine__changelog_table_ddl(&ddl, e);
	if (sql_out) {
		fprintf(sql_out, "-- Create Database Change Log Table\n%s;\n\n",
			ddl.ptr);
	} else {
		error = mg_conn_exec(e->conn, ddl.ptr);
		if (error == MG_EDB &&
		    strcmp(mg_error_last()->sqlstate, "42P07") == 0)
			error = 0; /* created meanwhile by a Java Liquibase */
		if (!error)
			e->has_changelog_table = true;
	}
	mg_buf_release(&ddl);
	return error;
}
