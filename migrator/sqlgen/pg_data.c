/*
 * pg_data.c: raw SQL and data changes (sql, sqlFile, createView,
 * createProcedure, insert, update, delete) after Liquibase 4.28's
 * AbstractSQLChange, CreateViewGenerator, CreateProcedureGenerator,
 * InsertGenerator, UpdateGenerator and DeleteGenerator.
 */
#include "pg_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migrator/error.h"
#include "migrator/util.h"

/* AbstractSQLChange.generateStatements: trim, drop CRs, split. */
int mg_sqlgen__sql(pg_gen *g)
{
	const char *text = g->c->text ? g->c->text : mg_sqlgen__get(g, "sql");
	mg_stmt_list stmts = MG_STMT_LIST_INIT;
	mg_buf sql = MG_BUF_INIT;
	const char *t;
	int error;

	if (g->c->type->id == MG_CHANGE_SQL_FILE && !g->c->text)
		return mg_sqlgen__missing(g, "path");
	if (!(t = mg_sqlgen__trim_to_null(g->tmp, text)))
		return 0;
	for (; *t; t++)
		if (*t != '\r')
			mg_buf_putc(&sql, *t);
	error = mg_sql_split(&stmts, sql.ptr,
			     mg_sqlgen__get_bool(g, "splitStatements", true),
			     mg_sqlgen__get_bool(g, "stripComments", false),
			     mg_sqlgen__get(g, "endDelimiter"));
	for (size_t i = 0; i < stmts.n; i++) {
		if (!error)
			error = mg_sqlgen__emit_str(g, stmts.items[i]);
		else
			free(stmts.items[i]);
	}
	free(stmts.items);
	mg_buf_release(&sql);
	return error;
}

static bool is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* the first "create" token, any case */
static const char *find_create(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((p == s || !is_word(p[-1])) && !strncasecmp(p, "create", 6) &&
		    !is_word(p[6]))
			return p;
	return NULL;
}

/* selectQuery: element text (c->text) or attribute; file text verbatim */
static const char *body_text(pg_gen *g, const char *attr)
{
	const char *text = g->c->text ? g->c->text : mg_sqlgen__get(g, attr);

	if (mg_sqlgen__get(g, "path"))
		return text;
	return mg_sqlgen__trim_to_null(g->tmp, text);
}

int mg_sqlgen__create_view(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *view, *query, *remarks, *create;
	bool replace = mg_sqlgen__get_bool(g, "replaceIfExists", false);
	int error;

	if ((error = mg_sqlgen__required(g, "viewName", &view)) < 0)
		return error;
	if (!(query = body_text(g, "selectQuery")))
		return mg_sqlgen__missing(g, "selectQuery");
	if (!mg_sqlgen__get_bool(g, "fullDefinition", false)) {
		mg_buf_puts(&b, "CREATE VIEW ");
		mg_sqlgen__qualified_by(&b, g, "schemaName", view);
		mg_buf_puts(&b, " AS ");
	}
	mg_buf_puts(&b, query);
	if (replace && !mg_sqlgen__icontains(query, "OR REPLACE")) {
		mg_buf r = MG_BUF_INIT;

		if (!(create = find_create(b.ptr))) {
			mg_buf_release(&b);
			return mg_error_set(MG_EINVALID, "createView: key "
					    "'create' is not defined");
		}
		mg_buf_put(&r, b.ptr, create - b.ptr);
		mg_buf_puts(&r, "CREATE OR REPLACE");
		mg_buf_puts(&r, create + 6);
		mg_buf_release(&b);
		b = r;
	}
	mg_sqlgen__emit(g, &b);
	remarks = mg_sqlgen__get(g, "remarks");
	if (mg_sqlgen__trim_to_null(g->tmp, remarks)) {
		mg_buf_puts(&b, "COMMENT ON VIEW ");
		mg_sqlgen__qualified_by(&b, g, "schemaName", view);
		mg_buf_puts(&b, " IS '");
		mg_sqlgen__escape(&b, mg_sqlgen__trim(g->tmp, remarks));
		mg_buf_putc(&b, '\'');
		mg_sqlgen__emit(g, &b);
	}
	return 0;
}

/* StringUtil.stripSqlCommentsAndWhitespacesFromTheEnd, simplified to
 * its effect on well-formed text: trailing blanks, block and line
 * comments go. */
static size_t strip_end(const char *s, size_t n)
{
	for (;;) {
		size_t before = n;

		while (n && isspace((unsigned char)s[n - 1]))
			n--;
		if (n >= 4 && s[n - 1] == '/' && s[n - 2] == '*') {
			for (size_t i = n - 2; i-- > 0;)
				if (s[i] == '/' && s[i + 1] == '*' &&
				    (i == 0 || s[i - 1] != '\\')) {
					n = i;
					break;
				}
		} else {
			size_t line = n, i;

			while (line && s[line - 1] != '\n' && s[line - 1] != '\r')
				line--;
			for (i = line; i + 1 < n; i++)
				if (s[i] == '-' && s[i + 1] == '-') {
					n = i;
					break;
				}
		}
		if (n == before)
			return n;
	}
}

/* PROCEDURE <name> gets the schema: CreateProcedureGenerator */
static const char *add_schema(pg_gen *g, const char *text,
			      const char *schema)
{
	mg_buf b = MG_BUF_INIT;
	const char *p = text, *name, *end, *d1, *d2;
	char *tok, *res;

	for (; *p; p++)
		if ((p == text || !is_word(p[-1])) &&
		    !strncasecmp(p, "procedure", 9) && !is_word(p[9]))
			break;
	if (!*p)
		return text;
	for (name = p + 9; isspace((unsigned char)*name); name++)
		;
	for (end = name; is_word(*end) || *end == '.' || *end == '"'; end++)
		;
	if (end == name)
		return text;
	tok = mg_arena_strndup(g->tmp, name, end - name);
	d1 = strchr(tok, '.');
	d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	mg_buf_put(&b, text, name - text);
	if (d2 && strchr(d2 + 1, '.')) {
		mg_buf_puts(&b, tok);
	} else if (d2) {
		mg_buf_put(&b, tok, d1 - tok + 1);
		mg_sqlgen_ident(&b, schema);
		mg_buf_puts(&b, d2);
	} else {
		mg_sqlgen_ident(&b, schema);
		mg_buf_putc(&b, '.');
		mg_buf_puts(&b, d1 ? d1 + 1 : tok);
	}
	mg_buf_puts(&b, end);
	res = mg_arena_strdup(g->tmp, b.ptr);
	mg_buf_release(&b);
	return res;
}

int mg_sqlgen__create_procedure(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *text = body_text(g, "procedureText");
	const char *schema = mg_sqlgen__get(g, "schemaName");
	size_t n;

	/* checkDisallowedField: any value, false too, is refused */
	if (mg_sqlgen__get(g, "replaceIfExists"))
		return mg_error_set(MG_EINVALID, "createProcedure: "
				    "replaceIfExists is not allowed on "
				    "postgresql");
	if (!text)
		return 0;
	if (schema)
		text = add_schema(g, text, schema);
	/* removeTrailingDelimiter(text, ";") */
	n = strip_end(text, strlen(text));
	if (n && text[n - 1] == ';')
		mg_buf_put(&b, text, n - 1);
	else
		mg_buf_puts(&b, text);
	mg_sqlgen__emit(g, &b);
	return 0;
}

/* ---- insert / update / delete ------------------------------------------ */

typedef struct pg_assign {
	const char *name;
	pg_value value;
} pg_assign;

/* A column InsertDataChange / UpdateDataChange bind in a prepared
 * statement: values from files, BLOB (base64) and CLOB columns. */
static int lob_value(pg_value *v, bool *prepared, pg_gen *g,
		     const mg_node *col, const char *type)
{
	const char *enc = mg_sqlgen__attr(g, col, "encoding");

	if (v->kind == PGV_CLOB_FILE) {
		*prepared = true;
		return mg_sqlgen__clob_file(v, g, g->tmp, v->text, enc);
	}
	if (v->kind == PGV_BLOB_FILE) {
		*prepared = true;
		return mg_sqlgen__blob_file(v, g, g->tmp, v->text);
	}
	if (type && !strcasecmp(type, "BLOB")) {
		*prepared = true;
		if (v->kind == PGV_STRING && !mg_sqlgen__base64(v, g->tmp, v->text))
			return mg_error_set(MG_EINVALID, "%s: the value of BLOB "
					    "column '%s' is not base64",
					    g->c->type->name,
					    mg_sqlgen__attr(g, col, "name"));
	} else if (type && !strcasecmp(type, "CLOB")) {
		*prepared = true;
	}
	return 0;
}

/* Columns in LinkedHashMap order (first position, last value);
 * `prepared`: Liquibase would run a prepared statement (strings are
 * then bound as they are: no function-call guess). */
static int collect(pg_gen *g, pg_assign **out, size_t *n, bool skip_auto,
		   bool *prepared)
{
	const char *schema = mg_sqlgen__get(g, "schemaName");
	size_t cap = 0;

	*n = 0;
	for (mg_node *c = mg_change_first_column(g->c); c;
	     c = mg_change_next_column(c))
		cap++;
	*out = mg_arena_alloc(g->tmp, (cap ? cap : 1) * sizeof(**out));
	for (mg_node *c = mg_change_first_column(g->c); c;
	     c = mg_change_next_column(c)) {
		const char *name = mg_sqlgen__attr(g, c, "name");
		const char *ai = mg_sqlgen__attr(g, c, "autoIncrement");
		const char *type = mg_sqlgen__attr(g, c, "type");
		pg_value v;
		size_t i;

		if (skip_auto && ai && mg_java_bool(ai))
			continue;
		int error;

		mg_sqlgen__column_value(&v, g->tmp, c);
		if ((error = lob_value(&v, prepared, g, c, type)) < 0)
			return error;
		if (v.kind == PGV_SEQ_NEXT || v.kind == PGV_SEQ_CURRENT)
			v.schema = schema;
		for (i = 0; i < *n; i++)
			if (mg_streq((*out)[i].name, name))
				break;
		(*out)[i].name = name;
		(*out)[i].value = v;
		if (i == *n)
			(*n)++;
	}
	for (size_t i = 0; *prepared && i < *n; i++)
		if ((*out)[i].value.kind == PGV_STRING)
			(*out)[i].value.kind = PGV_TEXT;
	return 0;
}

/* sql.deleteCharAt(sql.lastIndexOf(c)) */
static void drop_last(mg_buf *b, char c)
{
	char *p = strrchr(b->ptr, c);

	if (p) {
		memmove(p, p + 1, strlen(p + 1) + 1);
		b->len--;
	}
}

/* the last " " then the last ',' */
static void drop_last_space_comma(mg_buf *b)
{
	drop_last(b, ' ');
	drop_last(b, ',');
}

int mg_sqlgen__insert(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *table;
	pg_assign *cols;
	size_t n;
	bool prepared = false;
	int error;

	if ((error = mg_sqlgen__required(g, "tableName", &table)) < 0 ||
	    (error = collect(g, &cols, &n, true, &prepared)) < 0)
		return error;
	mg_buf_puts(&b, "INSERT INTO ");
	mg_sqlgen__qualified_by(&b, g, "schemaName", table);
	mg_buf_puts(&b, " (");
	for (size_t i = 0; i < n; i++) {
		mg_sqlgen_ident(&b, cols[i].name);
		mg_buf_puts(&b, ", ");
	}
	drop_last_space_comma(&b);
	mg_buf_puts(&b, ") VALUES (");
	for (size_t i = 0; i < n; i++) {
		mg_sqlgen__value_dml(&b, &cols[i].value, false, g->ctx);
		mg_buf_puts(&b, ", ");
	}
	drop_last_space_comma(&b);
	mg_buf_putc(&b, ')');
	if (prepared)
		return mg_sqlgen__emit_prepared(g, &b);
	mg_sqlgen__emit(g, &b);
	return 0;
}

static int cmp_assign(const void *a, const void *b)
{
	return mg_java_strcmp(((const pg_assign *)a)->name,
			      ((const pg_assign *)b)->name);
}

int mg_sqlgen__update(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *table, *where = mg_sqlgen__get(g, "where");
	pg_assign *cols;
	size_t n;
	bool prepared = false;
	int error;

	if ((error = mg_sqlgen__required(g, "tableName", &table)) < 0 ||
	    (error = collect(g, &cols, &n, false, &prepared)) < 0)
		return error;
	for (size_t i = 0; i < n; i++)
		if (!cols[i].name)
			return mg_error_set(MG_EINVALID, "update: a column "
					    "has no name");
	/* a TreeMap: sorted by name */
	qsort(cols, n, sizeof(*cols), cmp_assign);
	mg_buf_puts(&b, "UPDATE ");
	mg_sqlgen__qualified_by(&b, g, "schemaName", table);
	mg_buf_puts(&b, " SET");
	for (size_t i = 0; i < n; i++) {
		mg_buf_putc(&b, ' ');
		mg_sqlgen_ident(&b, cols[i].name);
		mg_buf_puts(&b, " = ");
		mg_sqlgen__value_dml(&b, &cols[i].value, true, g->ctx);
		mg_buf_putc(&b, ',');
	}
	drop_last(&b, ',');
	if (where) {
		mg_buf_puts(&b, " WHERE ");
		mg_sqlgen__where(&b, g, where,
				 mg_node_child(g->c->node, "whereParams"));
	}
	if (prepared)
		return mg_sqlgen__emit_prepared(g, &b);
	mg_sqlgen__emit(g, &b);
	return 0;
}

int mg_sqlgen__delete(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *table, *where = mg_sqlgen__get(g, "where");
	int error;

	if ((error = mg_sqlgen__required(g, "tableName", &table)) < 0)
		return error;
	mg_buf_puts(&b, "DELETE FROM ");
	mg_sqlgen__qualified_by(&b, g, "schemaName", table);
	if (where) {
		mg_buf_puts(&b, " WHERE ");
		mg_sqlgen__where(&b, g, where,
				 mg_node_child(g->c->node, "whereParams"));
	}
	mg_sqlgen__emit(g, &b);
	return 0;
}
