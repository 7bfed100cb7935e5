/* engine_int.h (internal): the engine state shared by the engine files. */
#ifndef MIGRATOR_ENGINE_ENGINE_INT_H
#define MIGRATOR_ENGINE_ENGINE_INT_H

#include "migrator/driver.h"
#include "migrator/engine.h"
#include "migrator/model.h"
#include "migrator/plan.h"
#include "migrator/sqlgen.h"
#include "migrator/strmap.h"

struct mg_engine {
	mg_conn *conn;
	mg_conn *lock_conn;
	mg_engine_options o;
	mg_conn_options conn_opts; /* *o.conn, copied (o.conn points here) */
	char *schema;
	char **db_props; /* "database.NAME=value" */
	size_t ndb_props;
	bool has_changelog_table, has_lock_table, has_lock_row;
	bool hist_loaded;
	mg_history hist;
	bool locked;
	char deployment_id[11];
	mg_sqlgen_ctx gen;
	const mg_changelog *cl; /* of the last plan, for preconditions */
	/* changesets run or marked ran by this update, not yet in `hist`
	 * (for changeSetExecuted); the strings belong to the changelog */
	mg_history_row *ran_now;
	size_t nran_now, ran_now_alloc;
	mg_step_event step;     /* the changeset in hand, for on_step */
	double step_t0;         /* its start, monotonic seconds */
};

/* " WHERE ID = ... AND AUTHOR = ... AND FILENAME = ...": the
 * changeset's DATABASECHANGELOG row. */
void mg_engine__where_row(mg_buf *out, const mg_changeset *cs);

/* The event callback, if there is one. */
static inline void mg_engine__emit(mg_engine *e, mg_event ev, size_t i,
				   size_t n, const char *key, const char *text)
{
	if (e->o.on_event)
		e->o.on_event(ev, i, n, key, text, e->o.payload);
}

/* on_step: a changeset starts (its counters zeroed), goes on (the
 * counters in e->step as they are now) or ends. */
void mg_engine__step_start(mg_engine *e, size_t i, size_t n,
			   const mg_changeset *cs, const char *key);
void mg_engine__step_progress(mg_engine *e);
void mg_engine__step_end(mg_engine *e, mg_step_status status,
			 const char *exectype);
/* "schema.table" of a bookkeeping table. */
static inline void mg_engine__table(mg_buf *out, const mg_engine *e,
				    const char *table)
{
	mg_sqlgen_qualified(out, &e->gen, NULL, table);
}

int mg_engine__create_changelog_table(mg_engine *e, FILE *sql_out);
void mg_engine__lock_table_ddl(mg_buf *out, const mg_engine *e);
/* the error of a CREATE TABLE or INSERT of a bookkeeping table that
 * another client made at the same moment (see lock.c) */
bool mg_engine__created_meanwhile(int error);
void mg_engine__changelog_table_ddl(mg_buf *out, const mg_engine *e);
/* Bookkeeping statement for a changeset that ran (INSERT or RERAN
 * UPDATE), with ORDEREXECUTED `order`. */
void mg_engine__record_sql(mg_buf *out, mg_engine *e, const mg_step *s,
			   const char *exectype, int order);
void mg_engine__refresh_sql(mg_buf *out, mg_engine *e, const mg_step *s);
/* A changeset this update has run or marked ran. */
void mg_engine__note_ran(mg_engine *e, const mg_changeset *cs);
const char *mg_engine__lockedby(void);
/* Unlock after a run that ended with `error` (0: unlock's result is
 * returned); a failed run's error stays the one reported. */
int mg_engine__unlock_after(mg_engine *e, int error);

/* Apply the changeset's modifySql to a statement (taking it over); for
 * rollback statements only the visitors with applyToRollback. */
/* modifySql on one statement (`*stmt` replaced); with `rollback`, only
 * the visitors with applyToRollback. Fails on a replacement Java would
 * refuse; `*stmt` is then unchanged. */
int mg_engine__modify(const mg_changeset *cs, char **stmt, bool rollback);

/* Run an executeCommand change (its output goes to the event callback). */
int mg_engine__execute_command(mg_engine *e, const mg_change *c,
			       const char *key);

/* The update-sql / rollback-sql frame (spec 6.3). */
void mg_engine__print_stmt(FILE *f, const char *sql);
void mg_engine__print_stmt_ended(FILE *f, const char *sql, const char *term);
void mg_engine__print_header(mg_engine *e, FILE *f, const char *title);
void mg_engine__print_lock_prologue(mg_engine *e, FILE *f);
void mg_engine__print_lock_epilogue(mg_engine *e, FILE *f);

/* Statements that undo changeset `cs` (its <rollback> or the automatic
 * inverses). MG_EUNSUPPORTED when a change has no inverse. */
int mg_engine__rollback_sql(mg_stmt_list *out, mg_engine *e,
			    const mg_changelog *cl, const mg_changeset *cs);

/* What a changeset's preconditions say to do (onFail/onError). */
typedef enum mg_pc_outcome {
	MG_PC_RUN,
	MG_PC_WARN,       /* failed, onFail=WARN: run anyway */
	MG_PC_SKIP,       /* CONTINUE: skip, record nothing */
	MG_PC_MARK_RAN,   /* record MARK_RAN without running */
	MG_PC_HALT_FAIL,  /* stop the run */
	MG_PC_HALT_ERROR,
} mg_pc_outcome;

/* Evaluate a preConditions node; `why` says what failed. */
mg_pc_outcome mg_engine__preconditions(mg_engine *e, const mg_node *pc,
				       mg_buf *why);

#endif
