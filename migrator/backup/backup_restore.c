/* backup_restore.c: restore and drill (restore into a scratch database
 * and compare it with what the manifest recorded). */
#include "backup_int.h"

#include <string.h>

#include <jansson.h>

#include "migrator/error.h"

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
	mg_conn *c = mg_engine_conn(e), *copy = NULL;
	int error, drop;

	if ((error = mg_backup_verify(o, b)) < 0)
		return error;
	mg_buf_printf(&name, "migrator_drill_%s", b->id);
	mg_buf_puts(&sql, "DROP DATABASE IF EXISTS ");
	mg_sqlgen_ident(&sql, name.ptr);
	if ((error = mg_conn_exec(c, sql.ptr)) < 0)
		goto out;
	mg_buf_reset(&sql);
	mg_buf_puts(&sql, "CREATE DATABASE ");
	mg_sqlgen_ident(&sql, name.ptr);
	if ((error = mg_conn_exec(c, sql.ptr)) < 0)
		goto out;
	if ((error = mg_backup__restore_into(c, name.ptr, b, o->key)) == 0 &&
	    (error = connect_to(&copy, c, name.ptr)) == 0)
		error = check_copy(copy, b, report);
	mg_conn_close(copy);
	mg_buf_reset(&sql);
	mg_buf_puts(&sql, "DROP DATABASE IF EXISTS ");
	mg_sqlgen_ident(&sql, name.ptr);
	drop = mg_conn_exec(c, sql.ptr);
	if (!error)
		error = drop;
out:
	mg_buf_release(&name);
	mg_buf_release(&sql);
	return error;
}

struct refill {
	const mg_backup_info *b;
	const char *key;
};

static int refill(mg_conn *c, void *payload)
{
	const struct refill *r = payload;

	return mg_backup__restore_into(c, mg_conn_info(c, "database"), r->b,
				       r->key);
}

int mg_backup_restore(mg_engine *e, const mg_backup_options *o,
		      const mg_backup_info *b)
{
	struct refill r = { b, o->key };
	int error;

	if ((error = mg_backup_verify(o, b)) < 0)
		return error;
	return mg_engine_replace_contents(e, refill, &r);
}
