/*
 * contents.c: the database's contents as a whole: drop-all, and the frame
 * a restore (backup.h) runs in: under the lock, the target emptied, then
 * filled by the caller, then the engine's state brought up to date.
 */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>

#include "migrator/util.h"

mg_conn *mg_engine_conn(const mg_engine *e)
{
	return e->conn;
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

/* The bookkeeping tables are gone: so is the lock row, and our advisory
 * lock goes too; the next command takes both again. */
static void forget_tables(mg_engine *e)
{
	e->has_changelog_table = e->has_lock_table = false;
	if (e->locked) {
		mg_conn_close(e->lock_conn);
		e->lock_conn = NULL;
		e->locked = false;
	}
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
	forget_tables(e);
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

int mg_engine_replace_contents(mg_engine *e, mg_engine_fill_fn fill,
			       void *payload)
{
	int error;

	if ((error = mg_engine_lock(e)) < 0)
		return error;
	if ((error = empty_database(e)) == 0)
		error = fill(e->conn, payload);
	/* contents without a lock table (a backup taken before the first
	 * migration): only the advisory lock is left to release */
	if (!error && !lock_table_exists(e))
		forget_tables(e);
	/* then our row in the lock table the contents brought is cleared;
	 * after a failure, that failure is the error reported */
	error = mg_engine__unlock_after(e, error);
	mg_engine_reload(e);
	return error;
}
