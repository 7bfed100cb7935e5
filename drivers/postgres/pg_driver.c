/*
 * pg_driver.c: the PostgreSQL driver (libpq).
 *
 * A changeset's statements go to the server in one round trip through
 * libpq's pipeline mode (BEGIN, the statements, the bookkeeping insert,
 * COMMIT, then one Sync). A statement holding several commands cannot
 * use the extended protocol; such a batch is re-run with the simple
 * protocol, one statement at a time, after the pipeline's transaction
 * was rolled back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "migrator/driver.h"
#include "migrator/error.h"
#include "migrator/util.h"

#include "pg_url.h"

typedef struct pg_conn {
	mg_conn base;
	PGconn *pg;
	char *url_schema;
	char version[16];
	int in_flight;       /* batches sent by send_batch, not waited for */
	bool failed_flight;  /* one of them failed: the error is set */
} pg_conn;

extern const mg_driver mg_driver_postgres;

static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static char *lower_first(const char *msg)
{
	char *m = mg_xstrdup(msg ? msg : "unknown error");
	size_t n = strlen(m);

	while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
		m[--n] = '\0';
	return m;
}

/* Fill the thread's error from a failed result. */
static int result_error(const PGresult *res, PGconn *pg)
{
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
				  : NULL;
	char *msg = lower_first(primary ? primary : PQerrorMessage(pg));

	mg_error_set(MG_EDB, "%s", msg);
	free(msg);
	if (res) {
		const char *d = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
		const char *h = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);

		if (d)
			mg_error_set_detail("%s", d);
		if (h)
			mg_error_set_hint("%s", h);
		mg_error_set_sqlstate(PQresultErrorField(res, PG_DIAG_SQLSTATE));
	}
	return MG_EDB;
}

/* The password of a conninfo string or URI, kept from every message. */
static void conninfo_secret(const char *conninfo)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);

	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (!strcmp(o->keyword, "password"))
			mg_error_add_secret(o->val);
	PQconninfoFree(opts);
}

static int pg__connect(mg_conn **out, const mg_conn_options *opts)
{
	mg_pg_url u;
	pg_conn *c;
	int error = 0;

	mg_error_add_secret(opts->password);
	if (mg_pg_url_parse(&u, opts->url) < 0)
		return mg_error_set(MG_EINVALID, "unsupported database URL");
	if (u.expand)
		conninfo_secret(opts->url);
	if (opts->username)
		mg_pg_url_add(&u, "user", opts->username);
	if (opts->password)
		mg_pg_url_add(&u, "password", opts->password);
	mg_pg_url_add(&u, "fallback_application_name",
		      opts->application_name ? opts->application_name
					     : "migrator");
	c = mg_xcalloc(1, sizeof(*c));
	c->base.driver = &mg_driver_postgres;
	c->pg = PQconnectdbParams((const char *const *)u.keys,
				  (const char *const *)u.values, u.expand);
	if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
		char *msg = lower_first(c->pg ? PQerrorMessage(c->pg)
					      : "out of memory");

		/* a server message may quote a misparsed URL: the password
		 * is blanked by mg_error_set */
		error = mg_error_set(MG_EDB, "cannot connect to the database: %s",
				     msg);
		free(msg);
		PQfinish(c->pg);
		free(c);
		goto out;
	}
	/* from PGPASSWORD or ~/.pgpass too */
	mg_error_add_secret(PQpass(c->pg));
	PQsetNoticeProcessor(c->pg, quiet_notice, NULL);
	if (u.current_schema)
		c->url_schema = mg_xstrdup(u.current_schema);
	snprintf(c->version, sizeof(c->version), "%d", PQserverVersion(c->pg));
	*out = &c->base;
out:
	mg_pg_url_release(&u);
	return error;
}

static int pg__exec(mg_conn *base, const char *sql)
{
	pg_conn *c = MG_CONTAINER_OF(base, pg_conn, base);
	PGresult *res = PQexec(c->pg, sql);
	ExecStatusType st = PQresultStatus(res);
	int error = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    st != PGRES_EMPTY_QUERY) {
		error = result_error(res, c->pg);
		mg_error_set_statement(sql);
	}
	PQclear(res);
	return error;
}

static int pg__query(mg_rows **out, mg_conn *base, const char *sql,
		     const char *const *params, int nparams)
{
	pg_conn *c = MG_CONTAINER_OF(base, pg_conn, base);
	PGresult *res = PQexecParams(c->pg, sql, nparams, NULL, params, NULL,
				     NULL, 0);
	mg_rows *r;
	int error = 0;

	if (PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_COMMAND_OK) {
		error = result_error(res, c->pg);
		mg_error_set_statement(sql);
		goto out;
	}
	r = mg_xcalloc(1, sizeof(*r));
	r->nrows = (size_t)PQntuples(res);
	r->ncols = (size_t)PQnfields(res);
	r->names = mg_xcalloc(r->ncols + 1, sizeof(char *));
	r->values = mg_xcalloc(r->nrows * r->ncols + 1, sizeof(char *));
	for (size_t j = 0; j < r->ncols; j++)
		r->names[j] = mg_xstrdup(PQfname(res, (int)j));
	for (size_t i = 0; i < r->nrows; i++)
		for (size_t j = 0; j < r->ncols; j++)
			if (!PQgetisnull(res, (int)i, (int)j))
				r->values[i * r->ncols + j] = mg_xstrdup(
					PQgetvalue(res, (int)i, (int)j));
	*out = r;
out:
	PQclear(res);
	return error;
}

static void rollback_if_open(pg_conn *c)
{
	PGTransactionStatusType ts = PQtransactionStatus(c->pg);

	if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR)
		PQclear(PQexec(c->pg, "ROLLBACK"));
}

/* Simple protocol, one statement at a time. */
static int batch_simple(pg_conn *c, const mg_batch *b, size_t *failed)
{
	int error = 0;

	if (b->in_transaction && (error = pg__exec(&c->base, "BEGIN")) < 0)
		return error;
	for (size_t i = 0; i < b->n; i++) {
		if ((error = pg__exec(&c->base, b->stmts[i])) < 0) {
			*failed = i;
			rollback_if_open(c);
			return error;
		}
	}
	if (b->in_transaction && (error = pg__exec(&c->base, "COMMIT")) < 0) {
		*failed = b->n;
		rollback_if_open(c);
	}
	return error;
}

static bool send(pg_conn *c, const char *sql)
{
	return PQsendQueryParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0) == 1;
}

/* Read the results of one pipelined query: error status or 0. */
static int read_one(pg_conn *c, const char *sql, bool *first_error)
{
	PGresult *res;
	int error = 0;

	while ((res = PQgetResult(c->pg))) {
		ExecStatusType st = PQresultStatus(res);

		if (st == PGRES_FATAL_ERROR && *first_error) {
			error = result_error(res, c->pg);
			mg_error_set_statement(sql);
			*first_error = false;
		} else if (st == PGRES_PIPELINE_ABORTED) {
			error = MG_EDB;
		}
		PQclear(res);
	}
	return error;
}

static int batch_pipeline(pg_conn *c, const mg_batch *b, size_t *failed,
			  bool *multi)
{
	bool first_error = true, ok = PQenterPipelineMode(c->pg) == 1;
	size_t sent = 0, i;
	int error = 0, e;
	PGresult *res;

	ok = ok && (!b->in_transaction || send(c, "BEGIN"));
	for (i = 0; ok && i < b->n; i++, sent++)
		ok = send(c, b->stmts[i]);
	ok = ok && (!b->in_transaction || send(c, "COMMIT"));
	ok = ok && PQpipelineSync(c->pg) == 1;
	if (!ok) {
		error = result_error(NULL, c->pg);
		goto out;
	}
	if (b->in_transaction && read_one(c, "BEGIN", &first_error) < 0)
		error = MG_EDB;
	for (i = 0; i < b->n; i++) {
		e = read_one(c, b->stmts[i], &first_error);
		if (e < 0 && !error) {
			error = e;
			*failed = i;
		}
	}
	if (b->in_transaction && (e = read_one(c, "COMMIT", &first_error)) < 0 &&
	    !error) {
		error = e;
		*failed = b->n;
	}
	while ((res = PQgetResult(c->pg)) &&
	       PQresultStatus(res) != PGRES_PIPELINE_SYNC)
		PQclear(res);
	PQclear(res);
out:
	PQexitPipelineMode(c->pg);
	if (error) {
		const mg_error *le = mg_error_last();

		/* 42601 "cannot insert multiple commands into a prepared
		 * statement": the extended protocol takes one command */
		*multi = strcmp(le->sqlstate, "42601") == 0 &&
			 le->message && strstr(le->message, "multiple commands");
		if (!b->open_transaction)
			rollback_if_open(c);
	}
	(void)sent;
	return error;
}

static int pg__send_batch(mg_conn *base, const mg_batch *b)
{
	pg_conn *c = MG_CONTAINER_OF(base, pg_conn, base);
	bool ok = true;

	if (!c->in_flight) {
		ok = PQenterPipelineMode(c->pg) == 1;
		c->failed_flight = false;
	}
	for (size_t i = 0; ok && i < b->n; i++)
		ok = send(c, b->stmts[i]);
	ok = ok && PQpipelineSync(c->pg) == 1 && PQflush(c->pg) == 0;
	c->in_flight++;
	return ok ? 0 : result_error(NULL, c->pg);
}

static int pg__wait_batch(mg_conn *base, const mg_batch *b, size_t *failed)
{
	pg_conn *c = MG_CONTAINER_OF(base, pg_conn, base);
	bool first_error = !c->failed_flight;
	PGresult *res;
	int error = 0, e;

	*failed = 0;
	for (size_t i = 0; i < b->n; i++) {
		e = read_one(c, b->stmts[i], &first_error);
		if (e < 0 && !error) {
			error = e;
			*failed = i;
		}
	}
	while ((res = PQgetResult(c->pg)) &&
	       PQresultStatus(res) != PGRES_PIPELINE_SYNC)
		PQclear(res);
	PQclear(res);
	if (error)
		c->failed_flight = true;
	if (--c->in_flight == 0)
		PQexitPipelineMode(c->pg);
	return error;
}

static int pg__run_batch(mg_conn *base, const mg_batch *b, size_t *failed)
{
	pg_conn *c = MG_CONTAINER_OF(base, pg_conn, base);
	bool multi = false;
	int error;

	*failed = 0;
	if (b->open_transaction)
		return batch_pipeline(c, b, failed, &multi);
	if (!b->in_transaction)
		return batch_simple(c, b, failed);
	error = batch_pipeline(c, b, failed, &multi);
	if (error && multi)
		error = batch_simple(c, b, failed);
	return error;
}

static const char *pg__info(mg_conn *base, const char *what)
{
	pg_conn *c = MG_CONTAINER_OF(base, pg_conn, base);

	if (!strcmp(what, "url_schema"))
		return c->url_schema;
	if (!strcmp(what, "database"))
		return PQdb(c->pg);
	if (!strcmp(what, "user"))
		return PQuser(c->pg);
	if (!strcmp(what, "host"))
		return PQhost(c->pg);
	if (!strcmp(what, "port"))
		return PQport(c->pg);
	if (!strcmp(what, "server_version"))
		return c->version;
	/* for tools started on the same database (pg_dump), passed to them
	 * through the environment, never on a command line */
	if (!strcmp(what, "password"))
		return PQpass(c->pg);
	if (!strcmp(what, "lost"))
		return PQstatus(c->pg) == CONNECTION_BAD ? "t" : NULL;
	if (!strcmp(what, "sslmode"))
		return PQsslInUse(c->pg) ? "require" : NULL;
	return NULL;
}

static void pg__close(mg_conn *base)
{
	pg_conn *c;

	if (!base)
		return;
	c = MG_CONTAINER_OF(base, pg_conn, base);
	if (PQtransactionStatus(c->pg) == PQTRANS_ACTIVE) {
		PGcancel *cancel = PQgetCancel(c->pg);
		char buf[256];

		if (cancel) {
			PQcancel(cancel, buf, sizeof(buf));
			PQfreeCancel(cancel);
		}
	}
	PQfinish(c->pg);
	free(c->url_schema);
	free(c);
}

const mg_driver mg_driver_postgres = {
	.version = MG_DRIVER_VERSION,
	.name = "postgresql",
	.connect = pg__connect,
	.exec = pg__exec,
	.query = pg__query,
	.run_batch = pg__run_batch,
	.send_batch = pg__send_batch,
	.wait_batch = pg__wait_batch,
	.info = pg__info,
	.close = pg__close,
};
