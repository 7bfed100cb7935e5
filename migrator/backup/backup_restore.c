/* backup_restore.c: restore and drill (restore into a scratch database
 * and compare it with what the manifest recorded). */
#include "backup_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "migrator/error.h"
#include "migrator/util.h"

int mg_backup__restore_into(mg_conn *c, const char *dbname,
			    const mg_backup_info *b, const char *key)
{
	const char *argv[] = { "pg_restore", "--no-owner", "--exit-on-error",
			       "--single-transaction", "--no-password",
			       "--dbname", dbname, NULL };

	return mg_backup__pg_restore(argv, b->path, b->encrypted ? key : NULL,
				     c, dbname);
}

static int connect_to(mg_conn **out, mg_conn *like, const char *dbname)
{
	mg_conn_options o = { 0 };
	mg_buf url = MG_BUF_INIT;
	const char *host = mg_conn_info(like, "host");
	int error;

	mg_buf_printf(&url, "host='%s' port='%s' dbname='%s'", host ? host : "",
		      mg_conn_info(like, "port"), dbname);
	o.url = url.ptr;
	o.username = mg_conn_info(like, "user");
	o.password = mg_conn_info(like, "password");
	o.application_name = "migrator-drill";
	error = like->driver->connect(out, &o);
	mg_buf_release(&url);
	return error;
}

static void compare(mg_buf *report, json_t *want, json_t *got, int *diffs)
{
	const char *k;
	json_t *v;

	json_object_foreach(want, k, v) {
		json_t *g = json_object_get(got, k);

		if (!g) {
			mg_buf_printf(report, "  table %s: missing after restore\n", k);
			(*diffs)++;
		} else if (json_integer_value(g) != json_integer_value(v)) {
			mg_buf_printf(report, "  table %s: %lld rows, expected %lld\n",
				      k, (long long)json_integer_value(g),
				      (long long)json_integer_value(v));
			(*diffs)++;
		}
	}
	json_object_foreach(got, k, v)
		if (!json_object_get(want, k)) {
			mg_buf_printf(report, "  table %s: not in the source\n", k);
			(*diffs)++;
		}
}

static int check_copy(mg_conn *copy, const mg_backup_info *b, mg_buf *report)
{
	json_error_t jerr;
	json_t *m = json_load_file(b->manifest, 0, &jerr), *tables = NULL;
	const char *want_fp;
	char fp[65];
	int diffs = 0, error;

	if (!m)
		return mg_error_set(MG_EINVALID, "cannot read '%s'", b->manifest);
	if ((error = mg_backup__stats(copy, &tables, fp)) < 0)
		goto out;
	compare(report, json_object_get(m, "tables"), tables, &diffs);
	want_fp = json_string_value(json_object_get(m, "schemaFingerprint"));
	if (!want_fp || strcmp(want_fp, fp)) {
		mg_buf_puts(report, "  schema fingerprint differs\n");
		diffs++;
	}
	mg_buf_printf(report, "%zu tables, %d difference%s\n",
		      json_object_size(tables), diffs, diffs == 1 ? "" : "s");
	if (diffs)
		error = mg_error_set(MG_ERROR, "backup '%s' failed its drill: the "
					       "restored copy differs from the "
					       "source",
				     b->id);
out:
	json_decref(tables);
	json_decref(m);
	return error;
}

int mg_backup_drill(mg_engine *e, const mg_backup_options *o,
		    const mg_backup_info *b, mg_buf *report)
{
	mg_buf name = MG_BUF_INIT, sql = MG_BUF_INIT;
	mg_conn *copy = NULL;
	int error, drop;

	if ((error = mg_backup_verify(o, b)) < 0)
		return error;
	mg_buf_printf(&name, "migrator_drill_%s", b->id);
	mg_buf_puts(&sql, "DROP DATABASE IF EXISTS ");
	mg_sqlgen_ident(&sql, name.ptr);
	if ((error = mg_conn_exec(e->conn, sql.ptr)) < 0)
		goto out;
	mg_buf_reset(&sql);
	mg_buf_puts(&sql, "CREATE DATABASE ");
	mg_sqlgen_ident(&sql, name.ptr);
	if ((error = mg_conn_exec(e->conn, sql.ptr)) < 0)
		goto out;
	if ((error = mg_backup__restore_into(e->conn, name.ptr, b, o->key)) == 0 &&
	    (error = connect_to(&copy, e->conn, name.ptr)) == 0)
		error = check_copy(copy, b, report);
	mg_conn_close(copy);
	mg_buf_reset(&sql);
	mg_buf_puts(&sql, "DROP DATABASE IF EXISTS ");
	mg_sqlgen_ident(&sql, name.ptr);
	drop = mg_conn_exec(e->conn, sql.ptr);
	if (!error)
		error = drop;
out:
	mg_buf_release(&name);
	mg_buf_release(&sql);
	return error;
}

/* Objects of a schema are dropped one by one, so that the schema keeps
 * its owner, comment and privileges (pg_dump does not re-create public's);
 * objects that belong to extensions stay. @NSP@ is the schema literal. */
static const char empty_schema_sql[] =
	"DO $mg$DECLARE r record; BEGIN "
	"FOR r IN SELECT format('DROP %s IF EXISTS %s.%I CASCADE', "
	"CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' "
	"WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, "
	"c.relnamespace::regnamespace::text, c.relname) AS q FROM "
	"pg_catalog.pg_class c WHERE c.relnamespace = @NSP@::regnamespace AND "
	"c.relkind IN ('r','p','v','m','S','f') AND NOT EXISTS (SELECT 1 FROM "
	"pg_catalog.pg_depend d WHERE d.objid = c.oid AND d.deptype IN "
	"('e','i','a')) ORDER BY c.relkind IN ('S') LOOP EXECUTE r.q; END LOOP; "
	"FOR r IN SELECT format('DROP ROUTINE IF EXISTS %s.%I(%s) CASCADE', "
	"p.pronamespace::regnamespace::text, p.proname, "
	"pg_catalog.pg_get_function_identity_arguments(p.oid)) AS q FROM "
	"pg_catalog.pg_proc p WHERE p.pronamespace = @NSP@::regnamespace AND NOT "
	"EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.objid = p.oid AND "
	"d.deptype = 'e') LOOP EXECUTE r.q; END LOOP; "
	"FOR r IN SELECT format('DROP %s IF EXISTS %s.%I CASCADE', CASE "
	"t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, "
	"t.typnamespace::regnamespace::text, t.typname) AS q FROM "
	"pg_catalog.pg_type t WHERE t.typnamespace = @NSP@::regnamespace AND "
	"t.typtype IN ('e','d','r','c') AND (t.typrelid = 0 OR (SELECT relkind "
	"FROM pg_catalog.pg_class WHERE oid = t.typrelid) = 'c') AND NOT EXISTS "
	"(SELECT 1 FROM pg_catalog.pg_depend d WHERE d.objid = t.oid AND "
	"d.deptype = 'e') LOOP EXECUTE r.q; END LOOP; END$mg$";

/* Append the statement that empties `schema`. */
static void empty_schema(mg_buf *out, const char *schema)
{
	const char *p = empty_schema_sql, *hit;
	mg_buf nsp = MG_BUF_INIT, lit = MG_BUF_INIT;

	mg_sqlgen_ident(&nsp, schema);
	mg_sqlgen_literal(&lit, nsp.ptr);
	while ((hit = strstr(p, "@NSP@"))) {
		mg_buf_put(out, p, (size_t)(hit - p));
		mg_buf_puts(out, lit.ptr);
		p = hit + 5;
	}
	mg_buf_puts(out, p);
	mg_buf_release(&nsp);
	mg_buf_release(&lit);
}

int mg_engine_drop_all(mg_engine *e, const char *schemas)
{
	mg_buf sql = MG_BUF_INIT;
	const char *p = schemas ? schemas : e->schema, *item;
	size_t len;
	int error;

	mg_buf_puts(&sql, "BEGIN");
	while (mg_list_next(&p, &item, &len)) {
		char *name = mg_xstrndup(item, len);

		mg_buf_puts(&sql, "; ");
		empty_schema(&sql, name);
		free(name);
	}
	mg_buf_puts(&sql, "; COMMIT");
	if ((error = mg_conn_exec(e->conn, sql.ptr)) < 0)
		mg_conn_exec(e->conn, "ROLLBACK");
	mg_buf_release(&sql);
	e->has_changelog_table = e->has_lock_table = false;
	/* the lock row went with the tables: drop our advisory lock too; the
	 * next command takes both again */
	if (e->locked) {
		mg_conn_close(e->lock_conn);
		e->lock_conn = NULL;
		e->locked = false;
	}
	mg_engine_reload(e);
	return error;
}

/* Empty the target: other user schemas dropped (the dump re-creates
 * them), public emptied. */
static int empty_database(mg_engine *e)
{
	mg_rows *r = NULL;
	mg_buf sql = MG_BUF_INIT;
	int error;

	error = mg_conn_query(&r, e->conn,
			      "SELECT nspname FROM pg_catalog.pg_namespace WHERE "
			      "nspname NOT IN ('pg_catalog', 'information_schema', "
			      "'public') AND nspname NOT LIKE 'pg_toast%' AND "
			      "nspname NOT LIKE 'pg_temp%' AND NOT EXISTS (SELECT 1 "
			      "FROM pg_catalog.pg_depend d WHERE d.objid = "
			      "pg_namespace.oid AND d.deptype = 'e')",
			      NULL, 0);
	if (error < 0)
		return error;
	mg_buf_puts(&sql, "BEGIN");
	for (size_t i = 0; i < r->nrows; i++) {
		mg_buf_puts(&sql, "; DROP SCHEMA ");
		mg_sqlgen_ident(&sql, mg_rows_get(r, i, "nspname"));
		mg_buf_puts(&sql, " CASCADE");
	}
	mg_buf_puts(&sql, "; ");
	empty_schema(&sql, "public");
	mg_buf_puts(&sql, "; COMMIT");
	if ((error = mg_conn_exec(e->conn, sql.ptr)) < 0)
		mg_conn_exec(e->conn, "ROLLBACK");
	mg_rows_free(r);
	mg_buf_release(&sql);
	return error;
}

static bool lock_table_exists(mg_engine *e)
{
	mg_buf sql = MG_BUF_INIT, name = MG_BUF_INIT;
	mg_rows *r = NULL;
	const char *params[1];
	bool exists = false;

	mg_engine__table(&name, e, "databasechangeloglock");
	params[0] = name.ptr;
	mg_buf_puts(&sql, "SELECT to_regclass($1) IS NOT NULL AS e");
	if (mg_conn_query(&r, e->conn, sql.ptr, params, 1) == 0)
		exists = mg_streq(mg_rows_get(r, 0, "e"), "t");
	mg_rows_free(r);
	mg_buf_release(&sql);
	mg_buf_release(&name);
	return exists;
}

int mg_backup_restore(mg_engine *e, const mg_backup_options *o,
		      const mg_backup_info *b)
{
	int error;

	if ((error = mg_backup_verify(o, b)) < 0)
		return error;
	if ((error = mg_engine_lock(e)) < 0)
		return error;
	if ((error = empty_database(e)) == 0)
		error = mg_backup__restore_into(e->conn,
						mg_conn_info(e->conn, "database"),
						b, o->key);
	if (!error && !lock_table_exists(e)) {
		/* a backup taken before the first migration has no lock
		 * table: only the advisory lock is left to release */
		mg_conn_close(e->lock_conn);
		e->lock_conn = NULL;
		e->locked = false;
		e->has_lock_table = e->has_changelog_table = false;
	}
	/* the lock table came back with the backup; clear our row in it
	 * (after a failure, that failure is the error reported) */
	error = mg_engine__unlock_after(e, error);
	mg_engine_reload(e);
	return error;
}
