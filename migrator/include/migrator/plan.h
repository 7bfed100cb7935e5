/*
 * plan.h: what to do with each changeset of a changelog, given the rows
 * of DATABASECHANGELOG (spec 7.1-7.3). A pure layer: no engine, no
 * driver, no I/O; the engine reads the history and calls it.
 */
#ifndef MIGRATOR_PLAN_H
#define MIGRATOR_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "migrator/buf.h"
#include "migrator/model.h"
#include "migrator/strmap.h"

/* One DATABASECHANGELOG row; the strings are owned by the history. */
typedef struct mg_history_row {
	char *id, *author, *filename, *dateexecuted, *exectype, *md5sum;
	char *description, *comments, *tag, *liquibase, *contexts, *labels;
	char *deployment_id;
	int orderexecuted;
	/* How long the changeset took, read from DATEEXECUTED (NOW(), the
	 * start of its transaction, in Liquibase's and migrator's rows): the
	 * time to the next row of the same deployment with the next
	 * ORDEREXECUTED, so bookkeeping between the two counts too. < 0:
	 * unknown (the last row of a deployment, or no such next row). */
	double duration_ms;
} mg_history_row;

typedef struct mg_history {
	mg_history_row *rows; /* ORDER BY DATEEXECUTED, ORDEREXECUTED */
	size_t n;
	int max_order;
	mg_strmap index;      /* "filename::id::author" -> row */
} mg_history;

/* "filename::id::author" of a row, its FILENAME normalised the way
 * Liquibase matches it (spec 5.2). */
void mg_history_row_key(mg_buf *out, const mg_history_row *r);
/* Put every row into the index under its key. */
void mg_history_index(mg_history *h);
/* Free the rows' strings, the rows and the index. */
void mg_history_release(mg_history *h);

/* What to do with one changeset of the changelog. */
typedef enum mg_step_kind {
	MG_STEP_RUN,        /* new: EXECUTED */
	MG_STEP_RERUN,      /* runAlways / runOnChange: RERAN */
	MG_STEP_RAN,        /* previously run, nothing to do */
	MG_STEP_FILTERED,   /* context/labels/dbms/ignore */
} mg_step_kind;

typedef struct mg_step {
	mg_changeset *cs;
	mg_step_kind kind;
	const mg_history_row *row;  /* existing row, or NULL */
	char checksum[40];          /* v9 checksum of the changeset */
	bool refresh_checksum;      /* row's MD5SUM is NULL or older */
	const char *why;            /* reason for FILTERED */
} mg_step;

typedef struct mg_plan {
	mg_step *steps;
	size_t n;
	size_t to_run;
	mg_buf problems; /* checksum validation failures, one per line */
	size_t nproblems;
	/* new changesets that sort before applied ones (they would run
	 * out of order): indexes into `steps`, in order */
	size_t *late;
	size_t nlate;
} mg_plan;

typedef struct mg_plan_opts {
	const char *contexts; /* runtime filters, NULL = all */
	const char *labels;
	bool strict_order;    /* late changesets are an error */
} mg_plan_opts;

/* Plan `cl` against the history `h`. MG_ECHECKSUM if validation fails
 * (`problems` lists every failure); MG_EINVALID for late changesets
 * with `strict_order`. `out` is set in every case: release it. */
int mg_plan_make(const mg_changelog *cl, const mg_history *h,
		 const mg_plan_opts *o, mg_plan *out);
void mg_plan_release(mg_plan *p);

#endif
