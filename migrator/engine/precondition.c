/*
 * precondition.c: Liquibase preconditions, checked against the live
 * database with one catalog query each (only changesets that declare
 * preconditions pay for them).
 */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migrator/error.h"
#include "migrator/load.h"
#include "migrator/model.h"
#include "migrator/util.h"

typedef enum pc_result { PC_PASS, PC_FAIL, PC_ERROR } pc_result;

typedef struct pc_ctx {
	mg_engine *e;
	mg_buf *why;
} pc_ctx;

static pc_result eval(pc_ctx *c, const mg_node *n);

/* Attribute, accepting formatted SQL's short names too. */
static const char *attr(const mg_node *n, const char *name, const char *alt)
{
	const char *v = mg_node_get(n, name);

	return v ? v : alt ? mg_node_get(n, alt) : NULL;
}

static const char *schema_of(pc_ctx *c, const mg_node *n)
{
	const char *s = attr(n, "schemaName", "schema");

	return s ? s : c->e->schema;
}

/* Run a query whose first column of the first row is a boolean. */
static pc_result query_bool(pc_ctx *c, const char *sql,
			    const char *const *params, int n, const char *fail)
{
	mg_rows *r = NULL;
	pc_result res;

	if (mg_conn_query(&r, c->e->conn, sql, params, n) < 0) {
		mg_buf_printf(c->why, "%s", mg_error_last()->message);
		return PC_ERROR;
	}
	res = r->nrows && r->values[0] && !strcmp(r->values[0], "t") ? PC_PASS
								       : PC_FAIL;
	if (res == PC_FAIL)
		mg_buf_puts(c->why, fail);
	mg_rows_free(r);
	return res;
}

#define REL_EXISTS                                                          \
	"SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN "          \
	"pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace WHERE "      \
	"ns.nspname = $1 AND c.relname::text IN ($2::text, lower($2::text)) AND c.relkind = ANY ($3::char[]))"

static pc_result relation_exists(pc_ctx *c, const mg_node *n,
				 const char *name_attr, const char *alt,
				 const char *kinds, const char *what)
{
	const char *name = attr(n, name_attr, alt);
	const char *p[3] = { schema_of(c, n), name, kinds };
	mg_buf fail = MG_BUF_INIT;
	pc_result r;

	if (!name) {
		mg_buf_printf(c->why, "%s needs '%s'", n->name, name_attr);
		return PC_ERROR;
	}
	mg_buf_printf(&fail, "%s '%s.%s' does not exist", what, p[0], name);
	r = query_bool(c, REL_EXISTS, p, 3, fail.ptr);
	mg_buf_release(&fail);
	return r;
}

static pc_result column_exists(pc_ctx *c, const mg_node *n)
{
	const char *p[3] = { schema_of(c, n), attr(n, "tableName", "table"),
			     attr(n, "columnName", "column") };
	mg_buf fail = MG_BUF_INIT;
	pc_result r;

	if (!p[1] || !p[2]) {
		mg_buf_puts(c->why, "columnExists needs 'tableName' and 'columnName'");
		return PC_ERROR;
	}
	mg_buf_printf(&fail, "column '%s.%s.%s' does not exist", p[0], p[1], p[2]);
	r = query_bool(c,
		       "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a "
		       "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN "
		       "pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace "
		       "WHERE ns.nspname = $1 AND c.relname::text IN ($2::text, lower($2::text)) "
		       "AND a.attname::text IN ($3::text, lower($3::text)) AND a.attnum > 0 AND "
		       "NOT a.attisdropped)",
		       p, 3, fail.ptr);
	mg_buf_release(&fail);
	return r;
}

/* foreignKeyConstraintExists, primaryKeyExists, uniqueConstraintExists */
static pc_result constraint_exists(pc_ctx *c, const mg_node *n,
				   const char *type, const char *name_attr,
				   const char *table_attr)
{
	const char *p[4] = { schema_of(c, n), attr(n, name_attr, NULL),
			     attr(n, table_attr, "tableName"), type };
	mg_buf fail = MG_BUF_INIT;
	pc_result r;

	if (!p[1] && !p[2]) {
		mg_buf_printf(c->why, "%s needs '%s' or '%s'", n->name, name_attr,
			      table_attr);
		return PC_ERROR;
	}
	mg_buf_printf(&fail, "%s '%s' does not exist", n->name,
		      p[1] ? p[1] : p[2]);
	r = query_bool(c,
		       "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k "
		       "JOIN pg_catalog.pg_class c ON c.oid = k.conrelid JOIN "
		       "pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace "
		       "WHERE ns.nspname = $1 AND k.contype = $4::char AND "
		       "($2::text IS NULL OR k.conname::text IN ($2::text, lower($2::text))) AND "
		       "($3::text IS NULL OR c.relname::text IN ($3::text, lower($3::text))))",
		       p, 4, fail.ptr);
	mg_buf_release(&fail);
	return r;
}

static pc_result index_exists(pc_ctx *c, const mg_node *n)
{
	const char *p[3] = { schema_of(c, n), attr(n, "indexName", "index"),
			     attr(n, "tableName", "table") };
	mg_buf fail = MG_BUF_INIT;
	pc_result r;

	if (!p[1] && !p[2]) {
		mg_buf_puts(c->why, "indexExists needs 'indexName' or 'tableName'");
		return PC_ERROR;
	}
	mg_buf_printf(&fail, "index '%s' does not exist", p[1] ? p[1] : p[2]);
	r = query_bool(c,
		       "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_indexes WHERE "
		       "schemaname = $1 AND ($2::text IS NULL OR indexname IN "
		       "($2, lower($2))) AND ($3::text IS NULL OR tablename IN "
		       "($3, lower($3))))",
		       p, 3, fail.ptr);
	mg_buf_release(&fail);
	return r;
}

static pc_result first_value(pc_ctx *c, const char *sql, mg_buf *out)
{
	mg_rows *r = NULL;

	if (mg_conn_query(&r, c->e->conn, sql, NULL, 0) < 0) {
		mg_buf_printf(c->why, "%s", mg_error_last()->message);
		return PC_ERROR;
	}
	if (!r->nrows || !r->ncols) {
		mg_rows_free(r);
		mg_buf_puts(c->why, "the query returned no row");
		return PC_ERROR;
	}
	mg_buf_puts(out, r->values[0] ? r->values[0] : "null");
	mg_rows_free(r);
	return PC_PASS;
}

static pc_result sql_check(pc_ctx *c, const mg_node *n)
{
	const char *sql = n->value ? n->value : attr(n, "sql", NULL);
	const char *want = attr(n, "expectedResult", NULL);
	mg_buf got = MG_BUF_INIT;
	pc_result r;

	if (!sql || !want) {
		mg_buf_puts(c->why, "sqlCheck needs SQL and 'expectedResult'");
		return PC_ERROR;
	}
	if ((r = first_value(c, sql, &got)) == PC_PASS && strcmp(got.ptr, want)) {
		mg_buf_printf(c->why, "sqlCheck expected '%s' but got '%s'", want,
			      got.ptr);
		r = PC_FAIL;
	}
	mg_buf_release(&got);
	return r;
}

static pc_result row_count(pc_ctx *c, const mg_node *n, bool empty)
{
	const char *table = attr(n, "tableName", "table");
	const char *want = empty ? "0" : attr(n, "expectedRows", NULL);
	mg_buf sql = MG_BUF_INIT, got = MG_BUF_INIT;
	pc_result r;

	if (!table || !want) {
		mg_buf_printf(c->why, "%s needs 'tableName'%s", n->name,
			      empty ? "" : " and 'expectedRows'");
		return PC_ERROR;
	}
	mg_buf_puts(&sql, "SELECT count(*) FROM ");
	mg_sqlgen_qualified(&sql, &c->e->gen, attr(n, "schemaName", "schema"),
			    table);
	if ((r = first_value(c, sql.ptr, &got)) == PC_PASS && strcmp(got.ptr, want)) {
		mg_buf_printf(c->why, "table '%s' has %s rows, expected %s", table,
			      got.ptr, want);
		r = PC_FAIL;
	}
	mg_buf_release(&sql);
	mg_buf_release(&got);
	return r;
}

static pc_result running_as(pc_ctx *c, const mg_node *n)
{
	const char *user = attr(n, "username", NULL);
	const char *me = mg_conn_info(c->e->conn, "user");

	if (user && me && mg_strieq(user, me))
		return PC_PASS;
	mg_buf_printf(c->why, "running as '%s', not '%s'", me ? me : "?",
		      user ? user : "?");
	return PC_FAIL;
}

/* RanChangeSet.isSameAs: id and author ignoring case, the normalised
 * paths ignoring case. */
static bool same_changeset(const mg_history_row *r, const char *file,
			   const char *id, const char *author)
{
	mg_buf a = MG_BUF_INIT, b = MG_BUF_INIT;
	bool same;

	if (!r->id || !r->author || !r->filename || strcasecmp(r->id, id) ||
	    strcasecmp(r->author, author))
		return false;
	mg_path_normalize(&a, r->filename);
	mg_path_normalize(&b, file);
	same = !strcasecmp(a.ptr, b.ptr);
	mg_buf_release(&a);
	mg_buf_release(&b);
	return same;
}

/* ExecType.ran: EXECUTED, RERAN and MARK_RAN count, FAILED and SKIPPED
 * do not. */
static bool exectype_ran(const char *t)
{
	return t && (!strcmp(t, "EXECUTED") || !strcmp(t, "RERAN") ||
		     !strcmp(t, "MARK_RAN"));
}

/*
 * changeSetExecuted: in DATABASECHANGELOG, or run (or marked ran) earlier
 * in this update. Without changeLogFile, the file of the precondition.
 */
static pc_result changeset_executed(pc_ctx *c, const mg_node *n)
{
	const mg_history *h;
	const char *id = attr(n, "id", NULL), *author = attr(n, "author", NULL);
	const char *file = attr(n, "changeLogFile", NULL);

	if (!file)
		file = n->file;
	if (!id || !author) {
		mg_buf_puts(c->why, "changeSetExecuted needs id and author");
		return PC_ERROR;
	}
	if (mg_engine_history(c->e, &h) < 0)
		return PC_ERROR;
	for (size_t i = 0; i < h->n; i++)
		if (same_changeset(&h->rows[i], file, id, author) &&
		    exectype_ran(h->rows[i].exectype))
			return PC_PASS;
	for (size_t i = 0; i < c->e->nran_now; i++)
		if (same_changeset(&c->e->ran_now[i], file, id, author))
			return PC_PASS;
	mg_buf_printf(c->why, "changeset '%s::%s::%s' has not been run", file,
		      id, author);
	return PC_FAIL;
}

static pc_result dbms(pc_ctx *c, const mg_node *n)
{
	const char *type = attr(n, "type", NULL);

	/* lower-cased; an empty type matches nothing (returnValueIfEmpty
	 * is false here) */
	if (type && strspn(type, " \t\r\n") < strlen(type) &&
	    mg_dbms_matches_ci(type))
		return PC_PASS;
	mg_buf_printf(c->why, "dbms is postgresql, not %s", attr(n, "type", NULL));
	return PC_FAIL;
}

static pc_result property_defined(pc_ctx *c, const mg_node *n)
{
	const char *name = attr(n, "property", NULL);
	const char *want = attr(n, "value", NULL);
	const char *v = c->e->cl && name ? mg_changelog_property(c->e->cl, name)
					 : NULL;

	if (!name) {
		mg_buf_puts(c->why, "changeLogPropertyDefined needs 'property'");
		return PC_ERROR;
	}
	if (v && (!want || !strcmp(v, want)))
		return PC_PASS;
	if (v)
		mg_buf_printf(c->why, "property '%s' is '%s', not '%s'", name, v,
			      want);
	else
		mg_buf_printf(c->why, "property '%s' is not defined", name);
	return PC_FAIL;
}

/* The changeset's objectQuotingStrategy (or its changelog's), LEGACY
 * by default, must be the one expected. */
static pc_result quoting_strategy(pc_ctx *c, const mg_node *n)
{
	const char *want = attr(n, "strategy", NULL);
	const char *have = NULL;

	for (const mg_node *p = n->parent; p && !have; p = p->parent)
		have = mg_node_get(p, "objectQuotingStrategy");
	if (!have)
		have = "LEGACY";
	if (!want || mg_strieq(want, have))
		return PC_PASS;
	mg_buf_printf(c->why, "objectQuotingStrategy is %s, not %s", have, want);
	return PC_FAIL;
}

static pc_result all_of(pc_ctx *c, const mg_node *n, bool any);

static bool is_attribute(const mg_node *n)
{
	return n->name && mg_precondition_attribute(n->name);
}

static pc_result eval(pc_ctx *c, const mg_node *n)
{
	const char *t = n->name ? n->name : "";

	if (!strcmp(t, "and") || !strcmp(t, "preConditions") || !n->name)
		return all_of(c, n, false);
	if (!strcmp(t, "or"))
		return all_of(c, n, true);
	if (!strcmp(t, "not")) {
		pc_result r = all_of(c, n, false);

		if (r == PC_ERROR)
			return r;
		mg_buf_reset(c->why);
		if (r == PC_PASS)
			mg_buf_puts(c->why, "a 'not' precondition's content holds");
		return r == PC_PASS ? PC_FAIL : PC_PASS;
	}
	if (!strcmp(t, "tableExists"))
		return relation_exists(c, n, "tableName", "table", "{r,p,f}", "table");
	if (!strcmp(t, "viewExists"))
		return relation_exists(c, n, "viewName", "view", "{v,m}", "view");
	if (!strcmp(t, "sequenceExists"))
		return relation_exists(c, n, "sequenceName", "sequence", "{S}",
				       "sequence");
	if (!strcmp(t, "columnExists"))
		return column_exists(c, n);
	if (!strcmp(t, "indexExists"))
		return index_exists(c, n);
	if (!strcmp(t, "foreignKeyConstraintExists"))
		return constraint_exists(c, n, "f", "foreignKeyName",
					 "foreignKeyTableName");
	if (!strcmp(t, "primaryKeyExists"))
		return constraint_exists(c, n, "p", "primaryKeyName", "tableName");
	if (!strcmp(t, "uniqueConstraintExists"))
		return constraint_exists(c, n, "u", "constraintName", "tableName");
	if (!strcmp(t, "sqlCheck"))
		return sql_check(c, n);
	if (!strcmp(t, "tableIsEmpty"))
		return row_count(c, n, true);
	if (!strcmp(t, "rowCount"))
		return row_count(c, n, false);
	if (!strcmp(t, "runningAs"))
		return running_as(c, n);
	if (!strcmp(t, "changeSetExecuted"))
		return changeset_executed(c, n);
	if (!strcmp(t, "dbms"))
		return dbms(c, n);
	if (!strcmp(t, "changeLogPropertyDefined"))
		return property_defined(c, n);
	if (!strcmp(t, "expectedQuotingStrategy"))
		return quoting_strategy(c, n);
	mg_buf_printf(c->why, "precondition '%s' is not supported", t);
	return PC_ERROR;
}

static pc_result all_of(pc_ctx *c, const mg_node *n, bool any)
{
	bool seen = false;

	for (const mg_node *k = n->first; k; k = k->next) {
		pc_result r;

		if (k->is_attr || is_attribute(k))
			continue;
		seen = true;
		r = eval(c, k);
		if (r == PC_ERROR || (!any && r == PC_FAIL))
			return r;
		if (any && r == PC_PASS) {
			mg_buf_reset(c->why);
			return PC_PASS;
		}
	}
	return any && seen ? PC_FAIL : PC_PASS;
}

mg_pc_outcome mg_engine__preconditions(mg_engine *e, const mg_node *pc,
				       mg_buf *why)
{
	pc_ctx c = { e, why };
	pc_result r = eval(&c, pc);
	const char *action;
	const char *msg;

	if (r == PC_PASS)
		return MG_PC_RUN;
	action = mg_node_get(pc, r == PC_FAIL ? "onFail" : "onError");
	msg = mg_node_get(pc, r == PC_FAIL ? "onFailMessage" : "onErrorMessage");
	if (msg) {
		mg_buf_reset(why);
		mg_buf_puts(why, msg);
	}
	if (!action || mg_strieq(action, "HALT"))
		return r == PC_FAIL ? MG_PC_HALT_FAIL : MG_PC_HALT_ERROR;
	if (mg_strieq(action, "CONTINUE"))
		return MG_PC_SKIP;
	if (mg_strieq(action, "MARK_RAN"))
		return MG_PC_MARK_RAN;
	return MG_PC_WARN;
}
