/* tag.c: tag, tag-exists and clear-checksums (spec 4.10, 7.4). */
#include "engine_int.h"

#include "migrator/error.h"
#include "migrator/util.h"

static int need_table(mg_engine *e)
{
	if (e->has_changelog_table)
		return 0;
	return mg_error_set(MG_ENOTFOUND,
			    "the database has no DATABASECHANGELOG table yet");
}

int mg_engine_tag(mg_engine *e, const char *tag)
{
	mg_buf sql = MG_BUF_INIT;
	const char *params[] = { tag };
	mg_rows *r = NULL;
	int error;

	if ((error = need_table(e)) < 0)
		return error;
	/* Liquibase's statement: tag the most recent row */
	mg_buf_puts(&sql, "UPDATE ");
	mg_engine__table(&sql, e, "databasechangelog");
	mg_buf_puts(&sql, " t SET TAG = $1 FROM (SELECT DATEEXECUTED, "
			  "ORDEREXECUTED FROM ");
	mg_engine__table(&sql, e, "databasechangelog");
	mg_buf_puts(&sql, " ORDER BY DATEEXECUTED DESC, ORDEREXECUTED DESC "
			  "LIMIT 1) sub WHERE t.DATEEXECUTED = sub.DATEEXECUTED "
			  "AND t.ORDEREXECUTED = sub.ORDEREXECUTED RETURNING t.ID");
	error = mg_conn_query(&r, e->conn, sql.ptr, params, 1);
	if (!error && r->nrows == 0)
		error = mg_error_set(MG_ENOTFOUND,
				     "nothing to tag: no changeset has been run");
	mg_rows_free(r);
	mg_buf_release(&sql);
	return error;
}

int mg_engine_tag_exists(mg_engine *e, const char *tag, bool *exists)
{
	mg_buf sql = MG_BUF_INIT;
	const char *params[] = { tag };
	mg_rows *r = NULL;
	int error;

	*exists = false;
	if (!e->has_changelog_table)
		return 0;
	mg_buf_puts(&sql, "SELECT COUNT(*) AS n FROM ");
	mg_engine__table(&sql, e, "databasechangelog");
	mg_buf_puts(&sql, " WHERE TAG = $1");
	error = mg_conn_query(&r, e->conn, sql.ptr, params, 1);
	if (!error)
		*exists = !mg_streq(mg_rows_get(r, 0, "n"), "0");
	mg_rows_free(r);
	mg_buf_release(&sql);
	return error;
}

int mg_engine_clear_checksums(mg_engine *e)
{
	mg_buf sql = MG_BUF_INIT;
	int error;

	if ((error = need_table(e)) < 0)
		return error;
	if ((error = mg_engine_lock(e)) < 0)
		return error;
	mg_buf_puts(&sql, "UPDATE ");
	mg_engine__table(&sql, e, "databasechangelog");
	mg_buf_puts(&sql, " SET MD5SUM = NULL");
	error = mg_conn_exec(e->conn, sql.ptr);
	mg_buf_release(&sql);
	return mg_engine__unlock_after(e, error);
}
