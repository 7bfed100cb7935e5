/*
 * engine.h: runs commands against a database: update (and its -sql
 * dry run), status, history, validate, tag, changelog-sync, locks.
 *
 * Bookkeeping follows Liquibase 4.28 exactly (spec sections 4 and 6):
 * DATABASECHANGELOG rows, checksums, the DATABASECHANGELOGLOCK row. On
 * top of that migrator holds a PostgreSQL session advisory lock on a
 * connection of its own for the whole run, and commits each changeset
 * together with its DATABASECHANGELOG row.
 */
#ifndef MIGRATOR_ENGINE_H
#define MIGRATOR_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "migrator/buf.h"

/* The other layers' types the engine's functions take, by name only:
 * engine.h re-exports no layer (a caller includes model.h, plan.h,
 * driver.h or sqlgen.h itself for what it uses of them). */
typedef struct mg_change mg_change;
typedef struct mg_changeset mg_changeset;
typedef struct mg_changelog mg_changelog;
typedef struct mg_history mg_history;
typedef struct mg_plan mg_plan;
typedef struct mg_conn mg_conn;
typedef struct mg_conn_options mg_conn_options;
typedef struct mg_rows mg_rows;
typedef struct mg_stmt_list mg_stmt_list;

#define MG_LIQUIBASE_VERSION "4.28.0"

typedef enum mg_event {
	MG_EV_CHANGESET_START, /* before running step i of n */
	MG_EV_CHANGESET_DONE,
	MG_EV_WARNING,         /* message in `text` */
	MG_EV_LOCK_WAIT,       /* waiting for the lock; `text` names holder */
	MG_EV_OUTPUT,          /* an <output> change; `text` is the message */
	MG_EV_SQL,             /* a statement about to run (--log-level=fine) */
	MG_EV_PROGRESS,        /* a long changeset goes on; `i` done so far */
} mg_event;

typedef void (*mg_event_fn)(mg_event ev, size_t i, size_t n,
			    const char *key, const char *text, void *payload);

/* A changeset's part in an update or a rollback (mg_engine_options'
 * on_step). */
typedef enum mg_step_phase {
	MG_STEP_START,    /* about to check its preconditions and run */
	MG_STEP_PROGRESS, /* a long changeset (loadData) goes on */
	MG_STEP_END,      /* `status` says how it ended */
} mg_step_phase;

typedef enum mg_step_status {
	MG_STATUS_RAN,           /* run and recorded (EXECUTED or RERAN) */
	MG_STATUS_SKIPPED,       /* precondition onFail CONTINUE: not recorded */
	MG_STATUS_FAILED,        /* the command stops */
	MG_STATUS_MARK_RAN,      /* precondition onFail MARK_RAN */
	MG_STATUS_SYNCED,        /* changelog-sync: recorded, not run */
	MG_STATUS_FAILED_IGNORED,/* failOnError=false: failed, not recorded */
	MG_STATUS_PRINTED,       /* a -sql command printed it */
	MG_STATUS_ROLLED_BACK,   /* undone and its row deleted */
} mg_step_status;

typedef struct mg_step_event {
	mg_step_phase phase;
	size_t index, total;      /* of the changesets selected to run */
	const mg_changeset *cs;
	const char *key;          /* filename::id::author */
	mg_step_status status;    /* END */
	const char *exectype;     /* END: EXECUTED, RERAN, MARK_RAN or NULL */
	double duration_ms;       /* END: since START */
	size_t statements;        /* run (or printed), bookkeeping not counted */
	size_t rows;              /* loadData: CSV rows read */
	unsigned long long bytes; /* SQL sent to the server so far */
} mg_step_event;

typedef void (*mg_step_fn)(const mg_step_event *ev, void *payload);

typedef struct mg_engine_options {
	const char *default_schema;  /* NULL: currentSchema or current_schema() */
	const char *contexts;        /* runtime filters, NULL = all */
	const char *labels;
	long lock_wait_ms;           /* --lock-wait-timeout */
	bool strict_order;           /* refuse new changesets sorting early */
	bool allow_execute_command;  /* executeCommand changes may run */
	const char *changelog_file;  /* as given, for the update-sql header */
	const char *url_display;     /* password-free, for "-- Against:" */
	const mg_conn_options *conn; /* to open the lock connection (copied) */
	mg_event_fn on_event;
	mg_step_fn on_step;          /* optional */
	void *payload;               /* of both */
} mg_engine_options;

typedef struct mg_engine mg_engine;

/* Connect (main connection). Ownership of `conn` moves to the engine, also
 * when this fails (the engine then closes it). */
int mg_engine_new(mg_engine **out, mg_conn *conn, const mg_engine_options *o);
void mg_engine_free(mg_engine *e);
const char *mg_engine_schema(const mg_engine *e);
const char *mg_engine_database(const mg_engine *e);
const char *mg_engine_host(const mg_engine *e);
/* The "database.*" changelog properties of this connection, as
 * "name=value" strings owned by the engine. */
const char *const *mg_engine_db_properties(const mg_engine *e, size_t *n);

/* Read DATABASECHANGELOG once (empty when the table is absent). */
int mg_engine_history(mg_engine *e, const mg_history **out);
/* Read the history and plan `cl` against it (mg_plan_make with the
 * engine's filters), then warn of each late changeset. */
int mg_engine_plan(mg_engine *e, mg_changelog *cl, mg_plan *out);

typedef enum mg_limit_kind {
	MG_LIMIT_NONE,
	MG_LIMIT_COUNT,  /* update-count */
	MG_LIMIT_TAG,    /* update-to-tag: up to and including the tag */
} mg_limit_kind;

typedef struct mg_update_options {
	mg_limit_kind limit;
	long count;
	const char *tag;
	FILE *sql_out;        /* non-NULL: print SQL, change nothing */
	bool sync_only;       /* changelog-sync: record without running */
	bool skip_preconditions_in_sql; /* -sql: Liquibase's behaviour */
} mg_update_options;

#define MG_UPDATE_OPTIONS_INIT { MG_LIMIT_NONE, 0, NULL, NULL, false, false }

typedef struct mg_update_result {
	size_t run, previously_run, filtered, total;
} mg_update_result;

int mg_engine_update(mg_engine *e, mg_changelog *cl,
		     const mg_update_options *o, mg_update_result *res);

typedef enum mg_rollback_kind {
	MG_RB_COUNT,       /* the last N changesets run */
	MG_RB_TAG,         /* everything after the tag (Liquibase 4.28 rules) */
	MG_RB_DATE,        /* everything run after a date */
	MG_RB_CHANGESET,   /* one changeset (rollback-one-changeset) */
	MG_RB_DEPLOYMENT,  /* one run (rollback-one-update) */
} mg_rollback_kind;

typedef struct mg_rollback_options {
	mg_rollback_kind kind;
	long count;
	const char *tag, *date, *changeset, *deployment_id;
	FILE *sql_out;        /* non-NULL: print the SQL, change nothing */
	bool future;          /* future-rollback-*: the pending changesets */
} mg_rollback_options;

#define MG_ROLLBACK_OPTIONS_INIT { MG_RB_COUNT, 0, NULL, NULL, NULL, NULL, NULL, false }

/* Roll back (or print) the selected changesets, newest first, each in
 * one transaction with the deletion of its DATABASECHANGELOG row. Every
 * rollback is built before anything runs: a changeset without one stops
 * the command before it changes anything. */
int mg_engine_rollback(mg_engine *e, mg_changelog *cl,
		       const mg_rollback_options *o, size_t *rolled);

/* Does the changeset have a <rollback> or an automatic inverse for
 * every change? If not, `*missing` is the first change without one. */
bool mg_changeset_can_roll_back(const mg_changeset *cs,
				const mg_change **missing);

/* drop-all: every object of the schemas (comma-separated; NULL = the
 * default schema), DATABASECHANGELOG tables included. */
int mg_engine_drop_all(mg_engine *e, const char *schemas);

/* Fills an emptied database through `c` (restore: pg_restore). */
typedef int (*mg_engine_fill_fn)(mg_conn *c, void *payload);
/* Replace the database's contents (restore, backup.h): under the lock,
 * every user schema but public dropped and public emptied, then `fill`;
 * then the lock released (whether or not the new contents have a lock
 * table) and the history forgotten. A failure of `fill` is the error
 * returned. */
int mg_engine_replace_contents(mg_engine *e, mg_engine_fill_fn fill,
			       void *payload);
/* The main connection, for tools that work on the whole database
 * (backups give pg_dump and pg_restore its settings). */
mg_conn *mg_engine_conn(const mg_engine *e);

/* Forget the history read so far (after a command changed it). */
void mg_engine_reload(mg_engine *e);

/* Statements of one changeset, modifySql applied. */
int mg_engine_changeset_sql(mg_stmt_list *out, mg_engine *e,
			    const mg_changeset *cs);

/* Locks. */
int mg_engine_lock(mg_engine *e);
int mg_engine_unlock(mg_engine *e);
int mg_engine_release_locks(mg_engine *e);
int mg_engine_list_locks(mg_engine *e, mg_rows **out);

/* Tags and checksums. */
int mg_engine_tag(mg_engine *e, const char *tag);
int mg_engine_tag_exists(mg_engine *e, const char *tag, bool *exists);
int mg_engine_clear_checksums(mg_engine *e);

/* Quote a string literal the way Liquibase's update-sql does. */
void mg_sql_literal_or_null(mg_buf *out, const char *s);

#endif
