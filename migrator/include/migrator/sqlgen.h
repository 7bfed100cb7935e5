/*
 * sqlgen.h: change -> PostgreSQL statements, exactly as Liquibase 4.28
 * `update-sql` prints them (without the trailing ';').
 *
 * Pure: no I/O except reading files a change names (sqlFile, loadData
 * CSV), so update-sql and unit tests need no connection.
 */
#ifndef MIGRATOR_SQLGEN_H
#define MIGRATOR_SQLGEN_H

#include <stdbool.h>

#include "migrator/buf.h"
#include "migrator/model.h"

typedef struct mg_stmt_list {
	char **items; /* each owned by the list */
	size_t n, alloc;
} mg_stmt_list;

#define MG_STMT_LIST_INIT { NULL, 0, 0 }

void mg_stmt_list_add(mg_stmt_list *l, char *stmt);       /* takes stmt */
void mg_stmt_list_addf(mg_stmt_list *l, const char *fmt, ...) MG_PRINTF(2, 3);
void mg_stmt_list_release(mg_stmt_list *l);

typedef struct mg_sqlgen_ctx {
	const char *default_schema; /* schema for unqualified objects: public */
	/* Optional, for loadData columns given no type: call `each` with
	 * every column `table` has in the database now and its type
	 * (PostgreSQL's name: int4, varchar, ...); nothing when the table
	 * does not exist. `table` is qualified and quoted as in the SQL. */
	void (*table_columns)(void *payload, const char *table,
			      void (*each)(void *arg, const char *column,
					   const char *type),
			      void *arg);
	void *payload;
} mg_sqlgen_ctx;

/* Append the statements of change `c` to `out`. MG_EINVALID (message
 * names the change and attribute) when a required parameter is missing
 * or a value cannot be translated; MG_EUNSUPPORTED for a change type
 * with no generator yet. On error nothing is appended. */
int mg_sqlgen_change(mg_stmt_list *out, const mg_sqlgen_ctx *ctx,
		     const mg_change *c);

/*
 * Where statements go one at a time, as they are generated: loadData
 * makes them from a CSV of any size, so a caller can run or print each
 * batch and forget it. put() owns `stmt` from the call on; a negative
 * return stops the generator, which then returns that error.
 */
typedef struct mg_stmt_sink mg_stmt_sink;
struct mg_stmt_sink {
	int (*put)(mg_stmt_sink *sink, char *stmt, unsigned flags);
	size_t rows; /* loadData adds each CSV row it reads (progress) */
};

/* put() flags. PREPARED: Liquibase runs this one as a JDBC prepared
 * statement (values from files, BLOB/CLOB columns, loadData with
 * usePreparedStatements): its update-sql shows a warning line instead of
 * SQL, and modifySql does not apply. migrator runs it as plain SQL with
 * the values as literals. */
#define MG_STMT_PREPARED 1u

/* mg_sqlgen_change() into a sink. On error, statements already put
 * stay put: the caller rolls back what it ran. */
int mg_sqlgen_change_to(mg_stmt_sink *sink, const mg_sqlgen_ctx *ctx,
			const mg_change *c);

/* Identifier as Liquibase writes it on PostgreSQL (quoted only when
 * needed), and 'literal' with quotes doubled. */
void mg_sqlgen_ident(mg_buf *out, const char *ident);
void mg_sqlgen_literal(mg_buf *out, const char *value);
/* schema.name with the default schema applied. */
void mg_sqlgen_qualified(mg_buf *out, const mg_sqlgen_ctx *ctx,
			 const char *schema, const char *name);
/* Liquibase's PostgreSQL type translation: "bigint" -> "BIGINT". */
void mg_sqlgen_type(mg_buf *out, const char *type, bool auto_increment);

/*
 * Split SQL text into statements the way Liquibase 4.28 does
 * (StringUtil.processMultiLineSQL): on ';' at the end of a statement, on
 * lines consisting of "GO" (case-insensitive), or on `end_delimiter`
 * (a literal or, as Liquibase treats it, a regular expression),
 * never inside quotes, dollar-quoted bodies or comments. With `split`
 * false the text is one statement. With `strip_comments` true SQL
 * comments are removed first. Empty statements are dropped. Each
 * statement is trimmed; the delimiter itself is not included.
 */
int mg_sql_split(mg_stmt_list *out, const char *sql, bool split,
		 bool strip_comments, const char *end_delimiter);

/* How update-sql ends the statements of `c`: its custom endDelimiter
 * when Liquibase prints one, else NULL (meaning ';'). Ownership: the
 * string belongs to the caller. */
char *mg_sqlgen_terminator(const mg_change *c);

#endif
