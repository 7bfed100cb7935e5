/*
 * lock.c: the migration lock.
 *
 * Two locks, taken in this order and released in reverse:
 *  1. a PostgreSQL session advisory lock on a connection of its own,
 *     held for the whole run: it excludes other migrators, and the
 *     server drops it when the process dies, so a killed run never
 *     blocks the next one;
 *  2. Liquibase's DATABASECHANGELOGLOCK row, set with the same
 *     compare-and-set UPDATE Liquibase uses (spec 6.2), so a Java
 *     Liquibase started meanwhile waits for us and we wait for it.
 * A row left locked by a dead migrator is recognised by its LOCKEDBY
 * marker: whoever holds the advisory lock knows no live migrator owns
 * the row, and takes it over.
 * Waiting polls with jittered exponential back-off; it never waits
 * inside a transaction.
 */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "migrator/error.h"
#include "migrator/util.h"

#define LOCK_CLASS "1835496052" /* 'mgrt' */
#define LOCKEDBY_MARK "(migrator pid "

static char lockedby[300];

const char *mg_engine__lockedby(void)
{
	char host[256] = "localhost";

	if (!lockedby[0]) {
		gethostname(host, sizeof(host) - 1);
		snprintf(lockedby, sizeof(lockedby), "%.200s %s%ld)", host,
			 LOCKEDBY_MARK, (long)getpid());
	}
	return lockedby;
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

/* Liquibase creates DATABASECHANGELOGLOCK, its row and DATABASECHANGELOG
 * before it takes any lock, so it may do so at the moment we do: once its
 * table is committed ours fails with 42P07, while its CREATE or INSERT is
 * still in flight with 23505 (the catalog's or the row's unique index). */
bool mg_engine__created_meanwhile(int error)
{
	const char *state;

	if (error != MG_EDB)
		return false;
	state = mg_error_last()->sqlstate;
	return state && (!strcmp(state, "42P07") || !strcmp(state, "23505"));
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void back_off(int attempt)
{
	long base = 50L << (attempt < 6 ? attempt : 6); /* up to 3.2 s */
	/* NOLINTNEXTLINE(cert-msc30-c,cert-msc50-cpp): jitter, not a secret */
	long jitter = base / 4 ? rand() % (base / 2) - base / 4 : 0;
	struct timespec ts;

	if (base > 2000)
		base = 2000;
	base += jitter;
	ts.tv_sec = base / 1000;
	ts.tv_nsec = (base % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/* Second key of the advisory lock: the schema, hashed. */
static void lock_key(char out[16], const char *schema)
{
	unsigned h = 2166136261u;

	for (const char *p = schema; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(out, 16, "%d", (int)(h & 0x7fffffff));
}

static int describe_holder(mg_engine *e, const char *key, mg_buf *out)
{
	const char *params[] = { key };
	mg_rows *r = NULL;
	int error;

	error = mg_conn_query(
		&r, e->lock_conn,
		"SELECT a.application_name, a.pid, a.client_addr, "
		"date_trunc('second', a.backend_start) AS since "
		"FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a "
		"ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
		"AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE "
		"datname = current_database()) "
		"AND l.classid = " LOCK_CLASS "::oid AND l.objid = $1::oid",
		params, 1);
	if (error < 0)
		return error;
	if (r->nrows)
		mg_buf_printf(out, "'%s' (server pid %s, connected since %s)",
			      mg_rows_get(r, 0, "application_name"),
			      mg_rows_get(r, 0, "pid"),
			      mg_rows_get(r, 0, "since"));
	else
		mg_buf_puts(out, "another session");
	mg_rows_free(r);
	return 0;
}

static int try_advisory(mg_engine *e, const char *key, bool *got)
{
	const char *params[] = { key };
	mg_rows *r = NULL;
	int error = mg_conn_query(&r, e->lock_conn,
				  "SELECT pg_try_advisory_lock(" LOCK_CLASS
				  ", $1::int) AS ok",
				  params, 1);

	if (error < 0)
		return error;
	*got = mg_streq(mg_rows_get(r, 0, "ok"), "t");
	mg_rows_free(r);
	return 0;
}

static int timed_out(mg_engine *e, const char *what, const char *holder)
{
	mg_error_set(MG_ELOCKED, "could not acquire the %s within %ld ms", what,
		     e->o.lock_wait_ms);
	mg_error_set_detail("the lock is held by %s", holder);
	mg_error_set_hint("wait for that run to finish; if it is gone, run "
			  "'migrator release-locks'");
	return MG_ELOCKED;
}

/* Poll `try` with jittered back-off until it succeeds or the deadline
 * passes; `holder` describes who has the lock. */
typedef struct lock_kind {
	const char *what;
	int (*try)(mg_engine *e, const char *key, bool *got);
	int (*holder)(mg_engine *e, const char *key, mg_buf *out);
} lock_kind;

static int poll_lock(mg_engine *e, const lock_kind *k, const char *key,
		     long deadline)
{
	mg_buf holder = MG_BUF_INIT;
	bool got = false;
	int error = 0;

	for (int attempt = 0;; attempt++) {
		if ((error = k->try(e, key, &got)) < 0 || got)
			break;
		mg_buf_reset(&holder);
		if ((error = k->holder(e, key, &holder)) < 0)
			break;
		if (now_ms() >= deadline) {
			error = timed_out(e, k->what, holder.ptr);
			break;
		}
		if (attempt == 0)
			mg_engine__emit(e, MG_EV_LOCK_WAIT, 0, 0, NULL, holder.ptr);
		back_off(attempt);
	}
	mg_buf_release(&holder);
	return error;
}

static int ensure_lock_table(mg_engine *e)
{
	mg_buf sql = MG_BUF_INIT;
	mg_rows *r = NULL;
	int error = 0;

	if (!e->has_lock_table) {
		mg_engine__lock_table_ddl(&sql, e);
		error = mg_conn_exec(e->conn, sql.ptr);
		if (mg_engine__created_meanwhile(error))
			error = 0;
		if (error < 0)
			goto out;
		e->has_lock_table = true;
	}
	mg_buf_reset(&sql);
	mg_buf_puts(&sql, "INSERT INTO ");
	mg_engine__table(&sql, e, "databasechangeloglock");
	mg_buf_puts(&sql, " (ID, LOCKED) SELECT 1, FALSE WHERE NOT EXISTS "
			  "(SELECT 1 FROM ");
	mg_engine__table(&sql, e, "databasechangeloglock");
	mg_buf_puts(&sql, " WHERE ID = 1)");
	error = mg_conn_query(&r, e->conn, sql.ptr, NULL, 0);
	if (mg_engine__created_meanwhile(error))
		error = 0;
out:
	mg_rows_free(r);
	mg_buf_release(&sql);
	return error;
}

/* Compare-and-set on the Liquibase lock row. `stale` also takes a row
 * left by a dead migrator. */
static int set_row(mg_engine *e, bool stale, bool *got)
{
	mg_buf sql = MG_BUF_INIT;
	const char *params[] = { mg_engine__lockedby(), "%" LOCKEDBY_MARK "%" };
	mg_rows *r = NULL;
	int error;

	mg_buf_puts(&sql, "UPDATE ");
	mg_engine__table(&sql, e, "databasechangeloglock");
	mg_buf_puts(&sql, " SET LOCKED = TRUE, LOCKEDBY = $1, LOCKGRANTED = "
			  "NOW() WHERE ID = 1 AND ");
	mg_buf_puts(&sql, stale ? "(LOCKED = FALSE OR LOCKEDBY LIKE $2)"
				: "LOCKED = FALSE AND $2 = $2");
	mg_buf_puts(&sql, " RETURNING ID");
	error = mg_conn_query(&r, e->conn, sql.ptr, params, 2);
	if (!error)
		*got = r->nrows == 1;
	mg_rows_free(r);
	mg_buf_release(&sql);
	return error;
}

static int row_holder(mg_engine *e, mg_buf *out)
{
	mg_buf sql = MG_BUF_INIT;
	mg_rows *r = NULL;
	int error;

	mg_buf_puts(&sql, "SELECT LOCKEDBY, LOCKGRANTED FROM ");
	mg_engine__table(&sql, e, "databasechangeloglock");
	mg_buf_puts(&sql, " WHERE ID = 1");
	error = mg_conn_query(&r, e->conn, sql.ptr, NULL, 0);
	if (!error && r->nrows)
		mg_buf_printf(out, "'%s' (DATABASECHANGELOGLOCK, since %s)",
			      mg_rows_get(r, 0, "lockedby")
				      ? mg_rows_get(r, 0, "lockedby")
				      : "unknown",
			      mg_rows_get(r, 0, "lockgranted")
				      ? mg_rows_get(r, 0, "lockgranted")
				      : "unknown");
	mg_rows_free(r);
	mg_buf_release(&sql);
	return error;
}

static int try_row(mg_engine *e, const char *key, bool *got)
{
	(void)key;
	return set_row(e, true, got);
}

static int row_holder_k(mg_engine *e, const char *key, mg_buf *out)
{
	(void)key;
	return row_holder(e, out);
}

static const lock_kind advisory_lock = { "migration lock", try_advisory,
					  describe_holder };
static const lock_kind row_lock = { "Liquibase lock", try_row, row_holder_k };

/* A second session to the same database, named after this process so
 * that a waiting run can say who holds the lock. */
static int connect_lock(mg_engine *e)
{
	mg_conn_options o = e->conn_opts;
	char host[256] = "localhost", app[64];
	const char *job = getenv("CI_JOB_ID");

	if (!job)
		job = getenv("GITHUB_RUN_ID");
	gethostname(host, sizeof(host) - 1);
	snprintf(app, sizeof(app), "migrator %.30s pid %ld%s%.12s", host,
		 (long)getpid(), job ? " job " : "", job ? job : "");
	o.application_name = app;
	return e->conn->driver->connect(&e->lock_conn, &o);
}

int mg_engine_lock(mg_engine *e)
{
	char key[16];
	long deadline = now_ms() + e->o.lock_wait_ms;
	int error;

	if (e->locked)
		return 0;
	srand((unsigned)(getpid() ^ now_ms()));
	lock_key(key, e->schema);
	if ((error = connect_lock(e)) < 0 ||
	    (error = poll_lock(e, &advisory_lock, key, deadline)) < 0)
		return error;
	if ((error = ensure_lock_table(e)) < 0 ||
	    (error = poll_lock(e, &row_lock, key, deadline)) < 0) {
		mg_conn_close(e->lock_conn);
		e->lock_conn = NULL;
		return error;
	}
	e->locked = true;
	return 0;
}

/* Liquibase's statement that frees the lock row */
static void lock_row_free_sql(mg_buf *sql, mg_engine *e)
{
	mg_buf_puts(sql, "UPDATE ");
	mg_engine__table(sql, e, "databasechangeloglock");
	mg_buf_puts(sql, " SET LOCKED = FALSE, LOCKEDBY = NULL, LOCKGRANTED = "
			 "NULL WHERE ID = 1");
}

int mg_engine_unlock(mg_engine *e)
{
	mg_buf sql = MG_BUF_INIT;
	int error = 0;

	if (!e->locked)
		return 0;
	lock_row_free_sql(&sql, e);
	error = mg_conn_exec(e->conn, sql.ptr);
	/* the main session is gone (the server ended it mid-changeset): the
	 * lock's own session clears the row, so that no Liquibase run waits
	 * for a lock nobody holds */
	if (error && mg_conn_info(e->conn, "lost") && e->lock_conn)
		error = mg_conn_exec(e->lock_conn, sql.ptr);
	/* closing the session releases the advisory lock */
	mg_conn_close(e->lock_conn);
	e->lock_conn = NULL;
	e->locked = false;
	mg_buf_release(&sql);
	return error;
}

int mg_engine__unlock_after(mg_engine *e, int error)
{
	mg_error saved;
	char *why;

	if (!error)
		return mg_engine_unlock(e);
	mg_error_save(&saved);
	if (mg_engine_unlock(e) < 0) {
		why = mg_xstrdup(mg_error_last()->message ? mg_error_last()->message
							 : "");
		mg_error_restore(&saved);
		if (!mg_error_last()->hint)
			mg_error_set_hint("the DATABASECHANGELOGLOCK row could not "
					  "be cleared (%s): run 'migrator "
					  "release-locks'",
					  why);
		free(why);
	} else {
		mg_error_restore(&saved);
	}
	return error;
}

int mg_engine_release_locks(mg_engine *e)
{
	mg_buf sql = MG_BUF_INIT;
	int error = 0;

	if (!e->has_lock_table)
		return 0;
	lock_row_free_sql(&sql, e);
	error = mg_conn_exec(e->conn, sql.ptr);
	mg_buf_release(&sql);
	return error;
}

int mg_engine_list_locks(mg_engine *e, mg_rows **out)
{
	mg_buf sql = MG_BUF_INIT;
	char key[16];
	const char *params[] = { key };
	int error;

	lock_key(key, e->schema);
	mg_buf_puts(&sql, "SELECT 'liquibase' AS kind, LOCKEDBY AS holder, "
			  "LOCKGRANTED::text AS since, NULL::int AS pid FROM ");
	if (e->has_lock_table) {
		mg_engine__table(&sql, e, "databasechangeloglock");
		mg_buf_puts(&sql, " WHERE LOCKED AND $1 = $1");
	} else {
		mg_buf_puts(&sql, "(SELECT NULL::text AS LOCKEDBY, NULL::timestamp "
				  "AS LOCKGRANTED) x WHERE FALSE AND $1 = $1");
	}
	mg_buf_puts(&sql, " UNION ALL SELECT 'advisory', a.application_name, "
			  "date_trunc('second', a.backend_start)::text, a.pid "
			  "FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a "
			  "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND "
			  "l.database = (SELECT oid FROM pg_catalog.pg_database "
			  "WHERE datname = current_database()) AND "
			  "l.granted AND l.classid = " LOCK_CLASS
			  "::oid AND l.objid = $1::oid");
	error = mg_conn_query(out, e->conn, sql.ptr, params, 1);
	mg_buf_release(&sql);
	return error;
}
