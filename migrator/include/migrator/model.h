/*
 * model.h: a loaded changelog: changesets in execution order, each with
 * its changes. Everything is allocated from the changelog's arena.
 *
 * A change keeps the (property-expanded) parse node it came from and is
 * read through accessors: the node already has the shape Liquibase's
 * change parameters have, in all four formats (see node.h).
 */
#ifndef MIGRATOR_MODEL_H
#define MIGRATOR_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "migrator/arena.h"
#include "migrator/buf.h"
#include "migrator/node.h"

/* How a change's checksum is computed (spec section 1.4). */
typedef enum mg_checksum_kind {
	MG_CK_STRUCT,   /* serialized fields */
	MG_CK_SQL,      /* sql: H_sql(text) */
	MG_CK_SQLFILE,  /* sqlFile: H_sql(file bytes) */
	MG_CK_VIEW,     /* createView: serialization + selectQuery */
	MG_CK_PROC,     /* createProcedure: serialization + procedureText */
	MG_CK_LOADDATA, /* loadData/loadUpdateData: table + CSV bytes */
} mg_checksum_kind;

/* Java type of a change parameter; decides how its value is rendered. */
typedef enum mg_field_type {
	MG_F_STRING,
	MG_F_BOOL,
	MG_F_BIGINT,
	MG_F_INT,
	MG_F_COLUMNS,   /* list of column objects */
	MG_F_NESTED,    /* element text serialized as a plain field: where */
	MG_F_COMPUTED,  /* DatabaseFunction */
	MG_F_SEQNEXT,   /* SequenceNextValueFunction */
} mg_field_type;

enum mg_field_flags {
	MG_FF_V9_EXCLUDED = 1 << 0, /* not part of the v9 serialization */
	MG_FF_V8_EXCLUDED = 1 << 1,
	MG_FF_NOT_SERIALIZED = 1 << 2, /* accepted, never hashed */
	MG_FF_REQUIRED = 1 << 3,
	MG_FF_DIRECT_VALUE = 1 << 4, /* the element's text in XML */
};

typedef struct mg_field {
	const char *name;
	mg_field_type type;
	unsigned flags;
	const char *default_value; /* always serialized when not NULL */
} mg_field;

typedef enum mg_change_id {
#define MG_CHANGE(id, name) MG_CHANGE_##id,
#include "migrator/change_list.h"
#undef MG_CHANGE
	MG_CHANGE__COUNT
} mg_change_id;

typedef struct mg_change_type {
	mg_change_id id;
	const char *name; /* XML tag: createTable */
	mg_checksum_kind checksum;
	bool dbms_targeted; /* skipped (and unhashed) when dbms mismatches */
	const mg_field *fields;
	size_t nfields;
} mg_change_type;

const mg_change_type *mg_change_type_find(const char *name);
/* A precondition type Liquibase 4.28 knows (and, or, not included;
 * customPrecondition too, which migrator refuses only when it is run). */
bool mg_precondition_type_known(const char *name);
/* onFail, onError and the other settings of a preConditions element. */
bool mg_precondition_attribute(const char *name);
const mg_change_type *mg_change_type_get(mg_change_id id);
const mg_field *mg_change_type_field(const mg_change_type *t,
				     const char *name);

typedef struct mg_change {
	const mg_change_type *type;
	mg_node *node;
	/* sql/createView/createProcedure text, file contents for sqlFile;
	 * NULL otherwise (a CSV is not held in memory, see `file`). */
	const char *text;
	/* what the checksum hashes when it differs from `text` (sqlFile:
	 * the file before ${} expansion; loadData: normalised CSV) */
	const char *hash_text;
	const char *dir; /* directory of the changelog file, for paths */
	/* loadData/loadUpdateData: the CSV's path on disk, read by the SQL
	 * generator as it goes, and the MD5 hex its checksum uses (NULL in
	 * unit tests that put the CSV in `text`) */
	const char *file;
	const char *file_md5;
	/* objectQuotingStrategy of the changelog file's root element (NULL
	 * when it has none), found once per file by the loader when
	 * root_quoting_known; otherwise sqlgen searches the root itself */
	const char *root_quoting;
	bool root_quoting_known;
} mg_change;

/* Value of parameter `name` (attribute or child element), or NULL. */
const char *mg_change_get(const mg_change *c, const char *name);
bool mg_change_get_bool(const mg_change *c, const char *name, bool dflt);
/* Column nodes, in order: direct "column" children or those of a
 * "columns" child. Iterate with mg_change_column_next(). */
mg_node *mg_change_first_column(const mg_change *c);
mg_node *mg_change_next_column(const mg_node *col);

/* Is this a parameter of Liquibase's ColumnConfig / ConstraintsConfig
 * (values.c)? "constraints" is a column's. */
bool mg_column_field_known(const char *name);
bool mg_constraint_field_known(const char *name);

typedef enum mg_run_order {
	MG_RUN_ORDER_DEFAULT = 0,
	MG_RUN_ORDER_FIRST,
	MG_RUN_ORDER_LAST,
} mg_run_order;

typedef struct mg_changeset mg_changeset;
struct mg_changeset {
	const char *id;
	const char *author;
	const char *filename;      /* FILENAME column: logical, normalised */
	const char *physical_path; /* file it was read from */
	const char *contexts;      /* CONTEXTS column text, NULL if none */
	const char *labels;        /* LABELS column text, NULL if none */
	/* filtering, as Liquibase 4.28 does it (expr.c): the changeset's
	 * own context expression and labels, and those it inherits from
	 * the changelogs and includes that reached it */
	const char *context_own;
	const char **context_inherited;
	size_t ncontext_inherited;
	const char *labels_own;
	const char **labels_inherited;
	size_t nlabels_inherited;
	const char *dbms;
	const char *comment;       /* "" when absent */
	unsigned line, col;
	bool run_on_change, run_always, run_in_transaction, fail_on_error;
	bool ignore;
	bool formatted_sql;
	bool reused_body;          /* fsql quirk: body copied from previous */
	mg_run_order run_order;
	mg_change *changes;
	size_t nchanges;
	const char **valid_checksums;
	size_t nvalid_checksums;
	mg_node *node;             /* the changeSet node */
	mg_node *rollback;         /* NULL when none given */
	mg_node *preconditions;
	mg_node **modify_sql;      /* modifySql nodes surviving filters */
	size_t nmodify_sql;
};

typedef struct mg_changelog {
	mg_arena arena;
	const char *root_path;   /* --changelog-file as given */
	mg_changeset **sets;     /* in execution order */
	mg_node **preconditions; /* changelog-level, of every file, in order */
	size_t npreconditions, preconditions_alloc;
	char **warnings;         /* "file:line:col: text" (heap, owned) */
	size_t nwarnings, warnings_alloc;
	const char **prop_names; /* global properties, first definition */
	const char **prop_values;
	size_t nprops;
	size_t nsets, alloc;
} mg_changelog;

void mg_changelog_free(mg_changelog *cl);

/*
 * Context and label filters, with Liquibase 4.28's semantics: the
 * expressions (expr.c) and the changeset filters (match.c). `runtime`
 * contexts are a list of names (--contexts), NULL or blank for none; a
 * runtime label filter (--labels) is an expression list.
 */
/* One context expression ("a, b and !c") against runtime contexts. */
bool mg_context_matches(const char *expr, const char *runtime);
/* One list of labels against a runtime label filter. */
bool mg_labels_match(const char *labels, const char *runtime_expr);
/* A changeset with what it inherits: ContextChangeSetFilter and
 * LabelChangeSetFilter. */
bool mg_changeset_contexts_match(const mg_changeset *cs, const char *runtime);
bool mg_changeset_labels_match(const mg_changeset *cs, const char *runtime);
/* Does a `dbms` attribute match PostgreSQL (spec 1.3, match.c)? */
bool mg_dbms_matches(const char *dbms);
/* The same after lower-casing the list (changeset dbms, dbms precondition). */
bool mg_dbms_matches_ci(const char *dbms);
/*
 * Whether Liquibase 4.28 can evaluate an expression list at all: its
 * ExpressionMatcher throws "Cannot parse expression" on a piece with a
 * '(' that closes no group ("(a and", "a)(", "()"), whatever the runtime
 * contexts or labels. A changeset context (no unescaping) or a runtime
 * label filter (backslashes removed first, as LabelExpression does).
 * Returns 0, or MG_EINVALID with the message set and no location.
 */
int mg_context_expr_check(const char *exprs);
int mg_label_expr_check(const char *exprs);

/* DESCRIPTION column value, already cut as Liquibase stores it
 * (description.c). */
void mg_changeset_description(mg_buf *out, const mg_changeset *cs);
/* Cut to what Liquibase stores in a 250-character column. */
void mg_truncate_column(mg_buf *b);

/* "path::id::author", allocated from the changelog's arena (changelog.c). */
const char *mg_changeset_key(mg_changelog *cl, const mg_changeset *cs);

#endif
