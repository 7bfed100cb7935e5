/*
 * driver.h: the database driver interface (cf. STYLE.md section 2).
 *
 * The engine talks to a database only through these functions; a driver
 * fills an mg_driver table and embeds mg_conn as the first member of its
 * connection type. Drivers turn native errors into mg_error (message,
 * detail, hint, SQLSTATE) before returning. No native result crosses
 * this interface.
 */
#ifndef MIGRATOR_DRIVER_H
#define MIGRATOR_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

#define MG_DRIVER_VERSION 1

typedef struct mg_conn mg_conn;
typedef struct mg_driver mg_driver;

typedef struct mg_conn_options {
	const char *url;          /* jdbc:postgresql://, postgresql://, conninfo */
	const char *username;     /* overrides the URL's user, or NULL */
	const char *password;
	const char *application_name;
} mg_conn_options;

/* Rows of a query: all values as text; NULL for SQL NULL. */
typedef struct mg_rows {
	size_t nrows, ncols;
	char **names;   /* column names, lower case */
	char **values;  /* nrows * ncols */
} mg_rows;

const char *mg_rows_get(const mg_rows *r, size_t row, const char *col);
/* Index of column `col`, or -1. */
int mg_rows_col(const mg_rows *r, const char *col);
/* The value of a row's column, now owned by the caller (NULL for SQL
 * NULL, or when col is -1); the rows keep NULL in its place. */
char *mg_rows_take(mg_rows *r, size_t row, int col);
void mg_rows_free(mg_rows *r);

/* One changeset's statements, run in order. */
typedef struct mg_batch {
	const char *const *stmts;
	size_t n;
	bool in_transaction; /* BEGIN ... COMMIT around all of them */
	/* Part of a transaction the caller has open (in_transaction false):
	 * sent in one round trip, each statement a single command; on
	 * failure the caller rolls back. */
	bool open_transaction;
} mg_batch;

struct mg_driver {
	unsigned version;
	const char *name;
	/* Open a connection. MG_EDB when the server refuses. */
	int (*connect)(mg_conn **out, const mg_conn_options *opts);
	/* Run one or more SQL commands (simple protocol), discard rows. */
	int (*exec)(mg_conn *c, const char *sql);
	/* Run one command with text parameters ($1..), return the rows. */
	int (*query)(mg_rows **out, mg_conn *c, const char *sql,
		     const char *const *params, int nparams);
	/* Run a batch in one round trip where possible. On failure the
	 * transaction (if any) is rolled back, `*failed` is the index of the
	 * failing statement and the error names it. */
	int (*run_batch)(mg_conn *c, const mg_batch *b, size_t *failed);
	/* Optional, for batches of an open transaction (open_transaction):
	 * send one and return without waiting, so that the next can be
	 * made while the server works; wait_batch reads the results of the
	 * oldest batch sent (the same `b`, kept alive until then). After a
	 * failure, the batches still in flight must be waited for too (they
	 * fail without changing the error). */
	int (*send_batch)(mg_conn *c, const mg_batch *b);
	int (*wait_batch)(mg_conn *c, const mg_batch *b, size_t *failed);
	/* Database name, server version number, current user; "lost" is
	 * non-NULL once the session to the server is gone (terminated by
	 * the server, network failure). */
	const char *(*info)(mg_conn *c, const char *what);
	void (*close)(mg_conn *c); /* NULL-safe */
};

struct mg_conn {
	const mg_driver *driver;
};

/* Driver for a URL (only PostgreSQL today); NULL if none matches. */
const mg_driver *mg_driver_for_url(const char *url);

static inline int mg_conn_exec(mg_conn *c, const char *sql)
{
	return c->driver->exec(c, sql);
}

static inline int mg_conn_query(mg_rows **out, mg_conn *c, const char *sql,
				const char *const *params, int nparams)
{
	return c->driver->query(out, c, sql, params, nparams);
}

static inline int mg_conn_run_batch(mg_conn *c, const mg_batch *b,
				    size_t *failed)
{
	return c->driver->run_batch(c, b, failed);
}

static inline const char *mg_conn_info(mg_conn *c, const char *what)
{
	return c->driver->info(c, what);
}

static inline void mg_conn_close(mg_conn *c)
{
	if (c)
		c->driver->close(c);
}

#endif
