/*
 * pg_internal.h: what the PostgreSQL generator files share.
 *
 * The generator mirrors the objects Liquibase 4.28 builds on the way from
 * a change to SQL: a column's Java value (ColumnConfig), a parsed data
 * type (LiquibaseDataType) and the per-change generators. Not public.
 */
#ifndef MIGRATOR_SQLGEN_PG_INTERNAL_H
#define MIGRATOR_SQLGEN_PG_INTERNAL_H

#include <stdbool.h>

#include "migrator/arena.h"
#include "migrator/buf.h"
#include "migrator/model.h"
#include "migrator/sqlgen.h"

/* One generator call: where statements go and scratch memory. */
typedef struct pg_gen {
	mg_stmt_sink *out;
	const mg_sqlgen_ctx *ctx;
	const mg_change *c;
	mg_arena *tmp;          /* released when the call ends */
	int error;              /* the first error of out->put() */
} pg_gen;

/*
 * A value as Liquibase holds it in Java. `text` is what toString() gives
 * for strings, numbers (the literal as written) and functions; for the
 * date kinds it is the ISO form ISODateFormat prints ("2024-03-04",
 * "05:06:07", "2024-03-04T05:06:07.123").
 */
typedef enum pg_vkind {
	PGV_NONE = 0,
	PGV_STRING,
	PGV_NUMBER,
	PGV_BOOL,
	PGV_DATE,       /* java.sql.Date */
	PGV_TIME,       /* java.sql.Time */
	PGV_TIMESTAMP,  /* java.sql.Timestamp */
	PGV_UTILDATE,   /* java.util.Date (unquoted YAML dates); ISO text */
	PGV_FUNCTION,   /* DatabaseFunction */
	PGV_SEQ_NEXT,   /* SequenceNextValueFunction */
	PGV_SEQ_CURRENT,
	PGV_CLOB_FILE,
	PGV_BLOB_FILE,
	PGV_BYTES,      /* bytes bound to a prepared statement; hex in text */
	PGV_TEXT,       /* a string bound to a prepared statement (setString) */
} pg_vkind;

typedef struct pg_value {
	pg_vkind kind;
	const char *text;
	const char *schema; /* sequence functions only */
	bool b;
} pg_value;

/* A parsed column type (DataTypeFactory.fromDescription). */
typedef enum pg_tkind {
	PGT_UNKNOWN = 0,
	PGT_BIGINT,
	PGT_BLOB,
	PGT_BOOLEAN,
	PGT_CHAR,
	PGT_CLOB,
	PGT_CURRENCY,
	PGT_FUNCTION,
	PGT_DATETIME,
	PGT_DATE,
	PGT_DECIMAL,
	PGT_DOUBLE,
	PGT_FLOAT,
	PGT_INT,
	PGT_MEDIUMINT,
	PGT_NCHAR,
	PGT_NVARCHAR,
	PGT_NUMBER,
	PGT_SMALLINT,
	PGT_TIME,
	PGT_TIMESTAMP,
	PGT_TINYINT,
	PGT_UUID,
	PGT_VARCHAR,
	PGT_XML,
} pg_tkind;

#define PG_TYPE_MAX_PARAMS 8

typedef struct pg_type {
	pg_tkind kind;
	const char *name;       /* UnknownType: the name as written */
	const char *params[PG_TYPE_MAX_PARAMS];
	size_t nparams;
	const char *additional; /* text after the first space, or NULL */
	const char *raw;        /* the definition as written */
	bool auto_increment;
} pg_type;

/* ObjectQuotingStrategy */
typedef enum pg_quoting {
	PG_QUOTE_LEGACY = 0,
	PG_QUOTE_ALL,
	PG_QUOTE_ONLY_RESERVED,
} pg_quoting;

/* pg_gen.c: the change's attributes, and the statements' sink */
int mg_sqlgen__missing(const pg_gen *g, const char *attr);
/* The text of attribute `name` of `n` (a column, a constraints element);
 * NULL when it has none. */
const char *mg_sqlgen__attr(const pg_gen *g, const mg_node *n,
			    const char *name);
/* The change's attribute's text; NULL when the change has none. */
const char *mg_sqlgen__get(const pg_gen *g, const char *attr);
int mg_sqlgen__required(const pg_gen *g, const char *attr, const char **out);
/* Boolean.valueOf of the attribute; `dflt` when absent. */
bool mg_sqlgen__get_bool(const pg_gen *g, const char *attr, bool dflt);
int mg_sqlgen__get_bigint(const pg_gen *g, const char *attr,
			  const char **out);
/* Hand a statement (trimmed, taken from `sql`) to the sink; returns the
 * sink's error, which also stays in g->error. */
int mg_sqlgen__emit(pg_gen *g, mg_buf *sql);
int mg_sqlgen__emit_str(pg_gen *g, char *stmt); /* takes `stmt` */
/* A statement Liquibase runs as a prepared statement (MG_STMT_PREPARED). */
int mg_sqlgen__emit_prepared(pg_gen *g, mg_buf *sql);
/* `name` qualified by the schema the attribute `schema_attr` names. */
void mg_sqlgen__qualified_by(mg_buf *b, const pg_gen *g,
			     const char *schema_attr, const char *name);
/* "ALTER TABLE " and the table, quoted and qualified by `schema` (NULL:
 * the default schema), as every ALTER TABLE statement starts. */
void mg_sqlgen__alter_table(mg_buf *b, const pg_gen *g, const char *schema,
			    const char *table);
/* The statement ALTER TABLE <table><clause><ident><rest>: " DROP COLUMN ",
 * " DROP CONSTRAINT ", " RENAME TO ", " ALTER COLUMN  " ... */
int mg_sqlgen__alter_stmt(pg_gen *g, const char *schema, const char *table,
			  const char *clause, const char *ident,
			  const char *rest);
/* ALTER COLUMN ... SET DEFAULT `v`; a sequence's nextval also makes the
 * column own the sequence (ALTER SEQUENCE ... OWNED BY). */
int mg_sqlgen__set_default(pg_gen *g, const char *schema, const char *table,
			   const char *column, const pg_value *v);

/*
 * Values Liquibase binds to prepared statements (pg_lob.c). Files are
 * found in the directory of the changelog that holds the change, as
 * ExecutablePreparedStatementBase.getResourceAsStream looks for them.
 */
/* valueBlobFile / a BLOB cell naming a file: PGV_BYTES. */
int mg_sqlgen__blob_file(pg_value *v, const pg_gen *g, mg_arena *a,
			 const char *file);
/* valueClobFile / a CLOB cell: the file decoded from `encoding`
 * (NULL: UTF-8), PGV_TEXT. */
int mg_sqlgen__clob_file(pg_value *v, const pg_gen *g, mg_arena *a,
			 const char *file, const char *encoding);
/* A BLOB value matching LoadDataChange.BASE64_PATTERN, decoded into
 * PGV_BYTES; false (v untouched) when it does not match. */
bool mg_sqlgen__base64(pg_value *v, mg_arena *a, const char *s);

/* pg_quote.c */
pg_quoting mg_sqlgen__set_quoting(pg_quoting q);
void mg_sqlgen__column(mg_buf *out, const char *name, bool quote_functions);
void mg_sqlgen__column_list(mg_buf *out, const char *names);
void mg_sqlgen__escape(mg_buf *out, const char *s);
void mg_sqlgen__literal_raw(mg_buf *out, const char *s);
/* Java String.split(",") then trim(), trailing empty items dropped. */
size_t mg_sqlgen__split_names(mg_arena *a, const char *s, const char ***out);
/* s contains needle, ignoring case (toUpperCase().contains()) */
bool mg_sqlgen__icontains(const char *s, const char *needle);
char *mg_sqlgen__trim(mg_arena *a, const char *s);
const char *mg_sqlgen__trim_to_null(mg_arena *a, const char *s);
bool mg_sqlgen__has_mixed_case(const char *s);
bool mg_sqlgen__is_reserved(const char *name);
void mg_sqlgen__pk_name(mg_buf *out, const char *table);

/* pg_types.c: DataTypeFactory.fromDescription, toDatabaseDataType */
int mg_sqlgen__parse_type(pg_type *t, mg_arena *a, const char *def);
void mg_sqlgen__type_sql(mg_buf *out, const pg_type *t);

/* pg_render.c: objectToSql of a column type, functions, date literals,
 * toString() */
int mg_sqlgen__typed_value(mg_buf *out, const pg_type *t,
			   const pg_value *v, const mg_sqlgen_ctx *ctx);
void mg_sqlgen__function(mg_buf *out, const pg_value *v,
			 const mg_sqlgen_ctx *ctx);
void mg_sqlgen__format_number(mg_buf *out, const char *text);
void mg_sqlgen__value_tostring(mg_buf *out, const pg_value *v);
/* AbstractJdbcDatabase.getDateLiteral of a date kind's ISO text */
void mg_sqlgen__date_literal(mg_buf *out, const pg_value *v);

/* pg_values.c: ColumnConfig values, dates, numbers, untyped SQL */
int mg_sqlgen__column_value(pg_value *v, mg_arena *a, const mg_node *col);
int mg_sqlgen__column_default(pg_value *v, mg_arena *a, const mg_node *col,
			      bool *auto_increment);
int mg_sqlgen__change_default(pg_value *v, pg_gen *g);
bool mg_sqlgen__column_date(pg_value *v, mg_arena *a, const mg_node *col,
			    const char *attr);
void mg_sqlgen__value_dml(mg_buf *out, const pg_value *v, bool in_update,
			  const mg_sqlgen_ctx *ctx);
void mg_sqlgen__value_object(mg_buf *out, const pg_value *v,
			     const mg_sqlgen_ctx *ctx);
const char *mg_sqlgen__node_text(mg_arena *a, const mg_node *n);
int mg_sqlgen__iso_date(pg_value *v, mg_arena *a, const char *s);
const char *mg_sqlgen__java_bigint(mg_arena *a, const char *s);
bool mg_sqlgen__java_number(mg_arena *a, const char *s, const char **out);
/* setValueNumeric(String): the number's text ("(5)" gives "5"), or NULL
 * with *computed set (the original text with `keep_original`, else the
 * stripped one) when NumberFormat cannot parse it; NULL alone for "null". */
const char *mg_sqlgen__numeric_text(mg_arena *a, const char *text,
				    const char **computed, bool keep_original);
void mg_sqlgen__where(mg_buf *out, pg_gen *g, const char *where,
		      const mg_node *params_node);

/* pg_table.c */
int mg_sqlgen__create_table(pg_gen *g);
int mg_sqlgen__add_column(pg_gen *g);
int mg_sqlgen__merge_columns(pg_gen *g);
int mg_sqlgen__add_lookup_table(pg_gen *g);
int mg_sqlgen__add_auto_increment(pg_gen *g);
int mg_sqlgen__add_not_null(pg_gen *g);
void mg_sqlgen__auto_increment_clause(mg_buf *out, const char *start,
				      const char *incr, const char *gen_type);
void mg_sqlgen__update_stmt(pg_gen *g, const char *schema, const char *table,
			    const char *column, const pg_value *v,
			    const char *where);

/* pg_data.c */
int mg_sqlgen__sql(pg_gen *g);
int mg_sqlgen__insert(pg_gen *g);
int mg_sqlgen__update(pg_gen *g);
int mg_sqlgen__delete(pg_gen *g);
int mg_sqlgen__create_procedure(pg_gen *g);
int mg_sqlgen__create_view(pg_gen *g);

/* pg_load.c */
int mg_sqlgen__load_data(pg_gen *g);
int mg_sqlgen__load_update_data(pg_gen *g);

#endif
