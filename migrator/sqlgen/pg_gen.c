/*
 * pg_gen.c: what every PostgreSQL generator uses: the change's attributes
 * (text, flags, integers), the errors for missing ones, and handing the
 * statements to the sink. Below the generators (pg.c, pg_table.c,
 * pg_data.c, pg_load.c); calls only the value and quoting helpers.
 */
#include "pg_internal.h"

#include <stdlib.h>

#include "migrator/error.h"
#include "migrator/util.h"

int mg_sqlgen__missing(const pg_gen *g, const char *attr)
{
	const mg_node *n = g->c->node;
	int error = mg_error_set(MG_EINVALID,
				 "change '%s' is missing required attribute "
				 "'%s'", g->c->type->name, attr);

	if (n && n->file)
		mg_error_set_location(n->file, (int)n->line, (int)n->col);
	return error;
}

const char *mg_sqlgen__attr(const pg_gen *g, const mg_node *n,
			    const char *name)
{
	return mg_sqlgen__node_text(g->tmp, mg_node_child(n, name));
}

const char *mg_sqlgen__get(const pg_gen *g, const char *attr)
{
	return mg_sqlgen__attr(g, g->c->node, attr);
}

int mg_sqlgen__required(const pg_gen *g, const char *attr, const char **out)
{
	*out = mg_sqlgen__get(g, attr);
	if (!*out || !**out)
		return mg_sqlgen__missing(g, attr);
	return 0;
}

bool mg_sqlgen__get_bool(const pg_gen *g, const char *attr, bool dflt)
{
	const char *v = mg_sqlgen__get(g, attr);

	return v ? mg_java_bool(v) : dflt;
}

/* BigInteger parameters (startValue, cacheSize, ...): NULL when absent */
int mg_sqlgen__get_bigint(const pg_gen *g, const char *attr,
			  const char **out)
{
	const char *v = mg_sqlgen__get(g, attr);

	*out = NULL;
	if (!v)
		return 0;
	*out = mg_sqlgen__java_bigint(g->tmp, v);
	if (!*out) {
		const mg_node *n = g->c->node;
		int error = mg_error_set(MG_EINVALID,
			"change '%s': attribute '%s' is not an integer: '%s'",
			g->c->type->name, attr, v);

		if (n && n->file)
			mg_error_set_location(n->file, (int)n->line,
					      (int)n->col);
		return error;
	}
	return 0;
}

/* UnparsedSql trims the statement (String.trim) */
static int emit(pg_gen *g, char *stmt, unsigned flags)
{
	if (g->error) {
		free(stmt);
		return g->error;
	}
	if ((g->error = g->out->put(g->out, stmt, flags)) > 0)
		g->error = 0;
	return g->error;
}

int mg_sqlgen__emit_str(pg_gen *g, char *stmt)
{
	return emit(g, stmt, 0);
}

int mg_sqlgen__emit(pg_gen *g, mg_buf *sql)
{
	mg_buf_trim(sql);
	return emit(g, mg_buf_detach(sql), 0);
}

int mg_sqlgen__emit_prepared(pg_gen *g, mg_buf *sql)
{
	mg_buf_trim(sql);
	return emit(g, mg_buf_detach(sql), MG_STMT_PREPARED);
}

/* ---- the stanzas many generators write ---------------------------------- */

/* `name` qualified by the schema the attribute `schema_attr` names */
void mg_sqlgen__qualified_by(mg_buf *b, const pg_gen *g,
			     const char *schema_attr, const char *name)
{
	mg_sqlgen_qualified(b, g->ctx, mg_sqlgen__get(g, schema_attr), name);
}

void mg_sqlgen__alter_table(mg_buf *b, const pg_gen *g, const char *schema,
			    const char *table)
{
	mg_buf_puts(b, "ALTER TABLE ");
	mg_sqlgen_qualified(b, g->ctx, schema, table);
}

int mg_sqlgen__alter_stmt(pg_gen *g, const char *schema, const char *table,
			  const char *clause, const char *ident,
			  const char *rest)
{
	mg_buf b = MG_BUF_INIT;

	mg_sqlgen__alter_table(&b, g, schema, table);
	mg_buf_puts(&b, clause);
	mg_sqlgen_ident(&b, ident);
	mg_buf_puts(&b, rest);
	return mg_sqlgen__emit(g, &b);
}

int mg_sqlgen__set_default(pg_gen *g, const char *schema, const char *table,
			   const char *column, const pg_value *v)
{
	mg_buf b = MG_BUF_INIT;
	int error;

	mg_sqlgen__alter_table(&b, g, schema, table);
	mg_buf_puts(&b, " ALTER COLUMN  ");
	mg_sqlgen_ident(&b, column);
	mg_buf_puts(&b, " SET DEFAULT ");
	mg_sqlgen__value_object(&b, v, g->ctx);
	error = mg_sqlgen__emit(g, &b);
	if (v->kind != PGV_SEQ_NEXT)
		return error;
	/* the sequence becomes owned by the column, as serial does */
	mg_buf_puts(&b, "ALTER SEQUENCE ");
	mg_sqlgen_qualified(&b, g->ctx, v->schema, v->text);
	mg_buf_puts(&b, " OWNED BY ");
	mg_sqlgen_qualified(&b, g->ctx, schema, table);
	mg_buf_putc(&b, '.');
	mg_sqlgen_ident(&b, column);
	return mg_sqlgen__emit(g, &b);
}
