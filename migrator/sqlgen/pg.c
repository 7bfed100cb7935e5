/*
 * pg.c: change -> PostgreSQL statements, as Liquibase 4.28 `update-sql`
 * prints them. This file holds the dispatch table and the generators of
 * one statement each; tables and columns are in pg_table.c, data and raw
 * SQL in pg_data.c, loadData in pg_load.c. Below the generators: the
 * change's attributes and the sink in pg_gen.c, values and types in
 * pg_values.c, pg_types.c and pg_render.c, quoting in pg_quote.c; those
 * call no generator and nothing here.
 *
 * Each generator follows the Liquibase change class (generateStatements)
 * and the SQL generator it reaches on PostgreSQL 10 or later.
 */
#include "migrator/sqlgen.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migrator/error.h"
#include "migrator/util.h"
#include "pg_internal.h"

typedef int (*pg_gen_fn)(pg_gen *g);

/* "ALTER TABLE <schema.table>" from schemaName/tableName */
static int alter_table(mg_buf *b, const pg_gen *g)
{
	const char *table;
	int error;

	if ((error = mg_sqlgen__required(g, "tableName", &table)) < 0)
		return error;
	mg_sqlgen__alter_table(b, g, mg_sqlgen__get(g, "schemaName"), table);
	return 0;
}

static int gen_none(pg_gen *g)
{
	(void)g;
	return 0;
}

static int drop_one_column(pg_gen *g, const char *column)
{
	const char *table;
	int error;

	if ((error = mg_sqlgen__required(g, "tableName", &table)) < 0)
		return error;
	return mg_sqlgen__alter_stmt(g, mg_sqlgen__get(g, "schemaName"), table,
				     " DROP COLUMN ", column, "");
}

static int gen_drop_column(pg_gen *g)
{
	mg_node *col = mg_change_first_column(g->c);
	const char *name;
	int error;

	if (!col) {
		if ((error = mg_sqlgen__required(g, "columnName", &name)) < 0)
			return error;
		return drop_one_column(g, name);
	}
	for (; col; col = mg_change_next_column(col)) {
		name = mg_sqlgen__attr(g, col, "name");
		if ((error = drop_one_column(g, name)) < 0)
			return error;
	}
	return 0;
}

static int gen_rename_column(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *old_name, *new_name;
	int error;

	if ((error = mg_sqlgen__required(g, "oldColumnName", &old_name)) < 0 ||
	    (error = mg_sqlgen__required(g, "newColumnName", &new_name)) < 0 ||
	    (error = alter_table(&b, g)) < 0) {
		mg_buf_release(&b);
		return error;
	}
	mg_buf_puts(&b, " RENAME COLUMN ");
	mg_sqlgen_ident(&b, old_name);
	mg_buf_puts(&b, " TO ");
	mg_sqlgen_ident(&b, new_name);
	mg_sqlgen__emit(g, &b);
	return 0;
}

/* ALTER TABLE <old> RENAME TO <new>: renameTable and renameView */
static int rename_relation(pg_gen *g, const char *old_attr,
			   const char *new_attr)
{
	const char *old_name, *new_name;
	int error;

	if ((error = mg_sqlgen__required(g, old_attr, &old_name)) < 0 ||
	    (error = mg_sqlgen__required(g, new_attr, &new_name)) < 0)
		return error;
	return mg_sqlgen__alter_stmt(g, mg_sqlgen__get(g, "schemaName"),
				     old_name, " RENAME TO ", new_name, "");
}

static int gen_rename_table(pg_gen *g)
{
	return rename_relation(g, "oldTableName", "newTableName");
}

static int gen_rename_view(pg_gen *g)
{
	return rename_relation(g, "oldViewName", "newViewName");
}

/* <verb> <schema.name><rest>, the name from the attribute `name_attr` */
static int object_stmt(pg_gen *g, const char *verb, const char *name_attr,
		       const char *rest)
{
	mg_buf b = MG_BUF_INIT;
	const char *name;
	int error;

	if ((error = mg_sqlgen__required(g, name_attr, &name)) < 0)
		return error;
	mg_buf_puts(&b, verb);
	mg_sqlgen__qualified_by(&b, g, "schemaName", name);
	mg_buf_puts(&b, rest);
	return mg_sqlgen__emit(g, &b);
}

static int gen_drop_table(pg_gen *g)
{
	return object_stmt(g, "DROP TABLE ", "tableName",
			   mg_sqlgen__get_bool(g, "cascadeConstraints", false)
				   ? " CASCADE" : "");
}

/* associatedWith lists indexes Liquibase leaves to their constraints */
static bool associated(const pg_gen *g, bool with_fk)
{
	const char *a = mg_sqlgen__get(g, "associatedWith");
	const char **items;
	size_t n;

	if (!a)
		return false;
	n = mg_sqlgen__split_names(g->tmp, a, &items);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(items[i], "primaryKey") ||
		    !strcmp(items[i], "uniqueConstraint") ||
		    (with_fk && !strcmp(items[i], "foreignKey")))
			return true;
	return false;
}

static void index_columns(mg_buf *b, const pg_gen *g)
{
	for (mg_node *col = mg_change_first_column(g->c); col;
	     col = mg_change_next_column(col)) {
		const char *name = mg_sqlgen__attr(g, col, "name");
		const char *computed = mg_sqlgen__attr(g, col, "computed");
		const char *desc = mg_sqlgen__attr(g, col, "descending");

		if (col != mg_change_first_column(g->c))
			mg_buf_puts(b, ", ");
		if (!computed)
			mg_sqlgen__column(b, name, false);
		else if (mg_java_bool(computed))
			mg_buf_puts(b, name ? name : "null");
		else
			mg_sqlgen__column(b, name, true);
		if (desc && mg_java_bool(desc))
			mg_buf_puts(b, " DESC");
	}
}

static int gen_create_index(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *table, *index = mg_sqlgen__get(g, "indexName");
	const char *space;
	int error;

	if ((error = mg_sqlgen__required(g, "tableName", &table)) < 0)
		return error;
	if (!mg_change_first_column(g->c))
		return mg_sqlgen__missing(g, "columns");
	if (associated(g, true))
		return 0;
	mg_buf_puts(&b, mg_sqlgen__get_bool(g, "unique", false)
				? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	if (index) {
		mg_sqlgen_ident(&b, index);
		mg_buf_putc(&b, ' ');
	}
	mg_buf_puts(&b, "ON ");
	mg_sqlgen__qualified_by(&b, g, "schemaName", table);
	mg_buf_putc(&b, '(');
	index_columns(&b, g);
	mg_buf_putc(&b, ')');
	space = mg_sqlgen__trim_to_null(g->tmp, mg_sqlgen__get(g, "tablespace"));
	if (space)
		mg_buf_printf(&b, " TABLESPACE %s",
			      mg_sqlgen__get(g, "tablespace"));
	mg_sqlgen__emit(g, &b);
	if (mg_sqlgen__get_bool(g, "clustered", false)) {
		mg_buf_puts(&b, "CLUSTER ");
		mg_sqlgen__qualified_by(&b, g, "schemaName", table);
		mg_buf_puts(&b, " USING ");
		mg_sqlgen_ident(&b, index);
		mg_sqlgen__emit(g, &b);
	}
	return 0;
}

static int gen_drop_index(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *index;
	int error;

	if ((error = mg_sqlgen__required(g, "indexName", &index)) < 0)
		return error;
	if (associated(g, true))
		return 0;
	mg_buf_puts(&b, "DROP INDEX ");
	mg_sqlgen__qualified_by(&b, g, "schemaName", index);
	mg_sqlgen__emit(g, &b);
	return 0;
}

static int gen_add_foreign_key(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *base, *cols, *ref, *ref_cols, *name;
	const char *on_update = mg_sqlgen__get(g, "onUpdate");
	const char *on_delete = mg_sqlgen__get(g, "onDelete");
	int error;

	if ((error = mg_sqlgen__required(g, "baseTableName", &base)) < 0 ||
	    (error = mg_sqlgen__required(g, "baseColumnNames", &cols)) < 0 ||
	    (error = mg_sqlgen__required(g, "referencedTableName", &ref)) < 0 ||
	    (error = mg_sqlgen__required(g, "referencedColumnNames",
					 &ref_cols)) < 0 ||
	    (error = mg_sqlgen__required(g, "constraintName", &name)) < 0)
		return error;
	/* setDeleteCascade(true) sets onDelete only when none is given */
	if (!on_delete && mg_sqlgen__get_bool(g, "deleteCascade", false))
		on_delete = "CASCADE";
	mg_sqlgen__alter_table(&b, g, mg_sqlgen__get(g, "baseTableSchemaName"),
			       base);
	mg_buf_puts(&b, " ADD CONSTRAINT ");
	mg_sqlgen_ident(&b, name);
	mg_buf_puts(&b, " FOREIGN KEY (");
	mg_sqlgen__column_list(&b, cols);
	mg_buf_puts(&b, ") REFERENCES ");
	mg_sqlgen__qualified_by(&b, g, "referencedTableSchemaName", ref);
	mg_buf_puts(&b, " (");
	mg_sqlgen__column_list(&b, ref_cols);
	mg_buf_putc(&b, ')');
	if (on_update)
		mg_buf_printf(&b, " ON UPDATE %s", on_update);
	if (on_delete)
		mg_buf_printf(&b, " ON DELETE %s", on_delete);
	if (mg_sqlgen__get_bool(g, "deferrable", false))
		mg_buf_puts(&b, " DEFERRABLE");
	if (mg_sqlgen__get_bool(g, "initiallyDeferred", false))
		mg_buf_puts(&b, " INITIALLY DEFERRED");
	if (!mg_sqlgen__get_bool(g, "validate", true))
		mg_buf_puts(&b, " NOT VALID ");
	mg_sqlgen__emit(g, &b);
	return 0;
}

static int drop_constraint(pg_gen *g, const char *table_attr,
			   const char *schema_attr)
{
	const char *table, *name;
	int error;

	if ((error = mg_sqlgen__required(g, table_attr, &table)) < 0 ||
	    (error = mg_sqlgen__required(g, "constraintName", &name)) < 0)
		return error;
	return mg_sqlgen__alter_stmt(g, mg_sqlgen__get(g, schema_attr), table,
				     " DROP CONSTRAINT ", name, "");
}

static int gen_drop_foreign_key(pg_gen *g)
{
	return drop_constraint(g, "baseTableName", "baseTableSchemaName");
}

static int gen_drop_unique(pg_gen *g)
{
	return drop_constraint(g, "tableName", "schemaName");
}

static int gen_add_primary_key(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *cols, *name = mg_sqlgen__get(g, "constraintName");
	const char *space = mg_sqlgen__get(g, "tablespace");
	int error;

	if ((error = mg_sqlgen__required(g, "columnNames", &cols)) < 0 ||
	    (error = alter_table(&b, g)) < 0) {
		mg_buf_release(&b);
		return error;
	}
	if (name) {
		mg_buf_puts(&b, " ADD CONSTRAINT ");
		mg_sqlgen_ident(&b, name);
		mg_buf_puts(&b, " PRIMARY KEY");
	} else {
		mg_buf_puts(&b, " ADD PRIMARY KEY");
	}
	mg_buf_puts(&b, " (");
	mg_sqlgen__column_list(&b, cols);
	mg_buf_putc(&b, ')');
	if (mg_sqlgen__trim_to_null(g->tmp, space))
		mg_buf_printf(&b, " USING INDEX TABLESPACE %s", space);
	mg_sqlgen__emit(g, &b);
	if (name && mg_sqlgen__get_bool(g, "clustered", false)) {
		mg_buf_puts(&b, "CLUSTER ");
		mg_sqlgen__qualified_by(&b, g, "schemaName",
					mg_sqlgen__get(g, "tableName"));
		mg_buf_puts(&b, " USING ");
		mg_sqlgen_ident(&b, name);
		mg_sqlgen__emit(g, &b);
	}
	return 0;
}

/* PostgresDatabase.correctObjectName under LEGACY quoting */
static const char *correct_name(mg_arena *a, const char *name)
{
	char *low;

	if (strchr(name, '-') || mg_sqlgen__has_mixed_case(name) ||
	    (name[0] >= '0' && name[0] <= '9') || mg_sqlgen__is_reserved(name))
		return name;
	low = mg_arena_strdup(a, name);
	for (char *p = low; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 32;
	return low;
}

static int gen_drop_primary_key(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *table, *schema, *name = mg_sqlgen__get(g, "constraintName");
	int error;

	if ((error = mg_sqlgen__required(g, "tableName", &table)) < 0)
		return error;
	schema = mg_sqlgen__get(g, "schemaName");
	if (name)
		return mg_sqlgen__alter_stmt(g, schema, table,
					     " DROP CONSTRAINT ", name, "");
	if (!schema)
		schema = g->ctx->default_schema;
	schema = correct_name(g->tmp, schema ? schema : "public");
	table = correct_name(g->tmp, table);
	mg_buf_printf(&b, "DO $$ DECLARE constraint_name varchar;\n"
		      "BEGIN\n"
		      "  SELECT tc.CONSTRAINT_NAME into strict constraint_name\n"
		      "    FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc\n"
		      "    WHERE CONSTRAINT_TYPE = 'PRIMARY KEY'\n"
		      "      AND TABLE_NAME = '%s' AND TABLE_SCHEMA = '%s';\n"
		      "    EXECUTE 'alter table ", table, schema);
	mg_sqlgen_ident(&b, schema);
	mg_buf_putc(&b, '.');
	mg_sqlgen_ident(&b, table);
	mg_buf_puts(&b, " drop constraint \"' || constraint_name || '\"';\n"
		    "END $$;");
	mg_sqlgen__emit(g, &b);
	return 0;
}

static int gen_add_unique(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *cols, *name = mg_sqlgen__get(g, "constraintName");
	const char *index = mg_sqlgen__get(g, "forIndexName");
	const char *space = mg_sqlgen__get(g, "tablespace");
	int error;

	if ((error = mg_sqlgen__required(g, "columnNames", &cols)) < 0 ||
	    (error = alter_table(&b, g)) < 0) {
		mg_buf_release(&b);
		return error;
	}
	if (name) {
		mg_buf_puts(&b, " ADD CONSTRAINT ");
		mg_sqlgen_ident(&b, name);
		mg_buf_puts(&b, " UNIQUE");
	} else {
		mg_buf_puts(&b, " ADD UNIQUE");
	}
	mg_buf_puts(&b, mg_sqlgen__get_bool(g, "clustered", false)
				? " CLUSTERED (" : " (");
	mg_sqlgen__column_list(&b, cols);
	mg_buf_putc(&b, ')');
	if (mg_sqlgen__get_bool(g, "deferrable", false))
		mg_buf_puts(&b, " DEFERRABLE");
	if (mg_sqlgen__get_bool(g, "initiallyDeferred", false))
		mg_buf_puts(&b, " INITIALLY DEFERRED");
	if (index) {
		mg_buf_puts(&b, " USING INDEX ");
		mg_sqlgen__qualified_by(&b, g, "forIndexSchemaName", index);
	}
	if (mg_sqlgen__trim_to_null(g->tmp, space))
		mg_buf_printf(&b, "%s TABLESPACE %s", index ? "" : " USING INDEX",
			      space);
	mg_sqlgen__emit(g, &b);
	return 0;
}

/* ALTER TABLE t ALTER COLUMN c <action>; Liquibase's generators differ
 * in the spaces after COLUMN (`alter` holds them). */
static int alter_column(pg_gen *g, const char *alter, const char *action)
{
	const char *column, *table;
	int error;

	if ((error = mg_sqlgen__required(g, "columnName", &column)) < 0 ||
	    (error = mg_sqlgen__required(g, "tableName", &table)) < 0)
		return error;
	return mg_sqlgen__alter_stmt(g, mg_sqlgen__get(g, "schemaName"), table,
				     alter, column, action);
}

/* SetNullableGenerator: ALTER COLUMN with two spaces */
static int gen_drop_not_null(pg_gen *g)
{
	return alter_column(g, " ALTER COLUMN  ", " DROP NOT NULL");
}

static int gen_add_default(pg_gen *g)
{
	const char *column, *table;
	pg_value v;
	int error;

	if ((error = mg_sqlgen__required(g, "tableName", &table)) < 0 ||
	    (error = mg_sqlgen__required(g, "columnName", &column)) < 0)
		return error;
	mg_sqlgen__change_default(&v, g);
	if (v.kind == PGV_NONE)
		return mg_sqlgen__missing(g, "defaultValue");
	return mg_sqlgen__set_default(g, mg_sqlgen__get(g, "schemaName"), table,
				      column, &v);
}

static int gen_drop_default(pg_gen *g)
{
	return alter_column(g, " ALTER COLUMN ", " DROP DEFAULT");
}

static int gen_modify_data_type(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT, col = MG_BUF_INIT, type = MG_BUF_INIT;
	const char *column, *new_type;
	pg_type t;
	int error;

	if ((error = mg_sqlgen__required(g, "columnName", &column)) < 0 ||
	    (error = mg_sqlgen__required(g, "newDataType", &new_type)) < 0 ||
	    (error = mg_sqlgen__parse_type(&t, g->tmp, new_type)) < 0 ||
	    (error = alter_table(&b, g)) < 0) {
		mg_buf_release(&b);
		return error;
	}
	mg_sqlgen_ident(&col, column);
	mg_sqlgen__type_sql(&type, &t);
	mg_buf_printf(&b, " ALTER COLUMN %s TYPE %s USING (%s::%s)", col.ptr,
		      type.ptr, col.ptr, type.ptr);
	mg_buf_release(&col);
	mg_buf_release(&type);
	mg_sqlgen__emit(g, &b);
	return 0;
}

struct seq_opts {
	const char *start, *incr, *min, *max, *cache;
};

static int seq_options(pg_gen *g, struct seq_opts *o)
{
	int error;

	if ((error = mg_sqlgen__get_bigint(g, "startValue", &o->start)) < 0 ||
	    (error = mg_sqlgen__get_bigint(g, "incrementBy", &o->incr)) < 0 ||
	    (error = mg_sqlgen__get_bigint(g, "minValue", &o->min)) < 0 ||
	    (error = mg_sqlgen__get_bigint(g, "maxValue", &o->max)) < 0 ||
	    (error = mg_sqlgen__get_bigint(g, "cacheSize", &o->cache)) < 0)
		return error;
	return 0;
}

/* " INCREMENT BY n MINVALUE n MAXVALUE n", as both generators write it */
static void put_seq_range(mg_buf *b, const struct seq_opts *o)
{
	if (o->incr)
		mg_buf_printf(b, " INCREMENT BY %s", o->incr);
	if (o->min)
		mg_buf_printf(b, " MINVALUE %s", o->min);
	if (o->max)
		mg_buf_printf(b, " MAXVALUE %s", o->max);
}

static int gen_create_sequence(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *name, *type = mg_sqlgen__get(g, "dataType");
	const char *ordered = mg_sqlgen__get(g, "ordered");
	struct seq_opts o;
	int error;

	if ((error = mg_sqlgen__required(g, "sequenceName", &name)) < 0 ||
	    (error = seq_options(g, &o)) < 0)
		return error;
	/* checkDisallowedField: any value, false too, is refused */
	if (ordered)
		return mg_error_set(MG_EINVALID, "createSequence: ordered is "
				    "not allowed on postgresql");
	/* " IF NOT EXISTS " after "CREATE SEQUENCE ": two spaces */
	mg_buf_puts(&b, "CREATE SEQUENCE  IF NOT EXISTS ");
	mg_sqlgen__qualified_by(&b, g, "schemaName", name);
	if (type)
		mg_buf_printf(&b, " AS %s", type);
	if (o.start)
		mg_buf_printf(&b, " START WITH %s", o.start);
	put_seq_range(&b, &o);
	if (o.cache && strcmp(o.cache, "0") != 0)
		mg_buf_printf(&b, " CACHE %s", o.cache);
	if (mg_sqlgen__get_bool(g, "cycle", false))
		mg_buf_puts(&b, " CYCLE");
	mg_sqlgen__emit(g, &b);
	return 0;
}

static int gen_alter_sequence(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *name, *type = mg_sqlgen__get(g, "dataType");
	const char *ordered = mg_sqlgen__get(g, "ordered");
	const char *cycle = mg_sqlgen__get(g, "cycle");
	struct seq_opts o;
	int error;

	if ((error = mg_sqlgen__required(g, "sequenceName", &name)) < 0 ||
	    (error = seq_options(g, &o)) < 0)
		return error;
	mg_buf_puts(&b, "ALTER SEQUENCE ");
	mg_sqlgen__qualified_by(&b, g, "schemaName", name);
	if (type)
		mg_buf_printf(&b, " AS %s", type);
	put_seq_range(&b, &o);
	if (ordered)
		mg_buf_puts(&b, mg_java_bool(ordered) ? " ORDER " : " NOORDER ");
	if (o.cache)
		mg_buf_printf(&b, strcmp(o.cache, "0") ? " CACHE %s"
						      : " NOCACHE ", o.cache);
	if (cycle)
		mg_buf_puts(&b, mg_java_bool(cycle) ? " CYCLE " : " NO CYCLE ");
	mg_sqlgen__emit(g, &b);
	return 0;
}

static int gen_rename_sequence(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *old_name, *new_name;
	int error;

	if ((error = mg_sqlgen__required(g, "oldSequenceName", &old_name)) < 0 ||
	    (error = mg_sqlgen__required(g, "newSequenceName", &new_name)) < 0)
		return error;
	mg_buf_puts(&b, "ALTER SEQUENCE ");
	mg_sqlgen__qualified_by(&b, g, "schemaName", old_name);
	mg_buf_puts(&b, " RENAME TO ");
	mg_sqlgen_ident(&b, new_name);
	mg_sqlgen__emit(g, &b);
	return 0;
}

static int gen_drop_sequence(pg_gen *g)
{
	return object_stmt(g, "DROP SEQUENCE ", "sequenceName", " CASCADE");
}

static int gen_drop_view(pg_gen *g)
{
	return object_stmt(g, mg_sqlgen__get_bool(g, "ifExists", false)
				      ? "DROP VIEW IF EXISTS " : "DROP VIEW ",
			   "viewName", "");
}

static void put_remarks(mg_buf *b, const pg_gen *g, const char *remarks)
{
	mg_buf_puts(b, " IS '");
	mg_sqlgen__escape(b, remarks ? mg_sqlgen__trim(g->tmp, remarks) : "");
	mg_buf_putc(b, '\'');
}

static int gen_set_table_remarks(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *table;
	int error;

	if ((error = mg_sqlgen__required(g, "tableName", &table)) < 0)
		return error;
	mg_buf_puts(&b, "COMMENT ON TABLE ");
	mg_sqlgen__qualified_by(&b, g, "schemaName", table);
	put_remarks(&b, g, mg_sqlgen__get(g, "remarks"));
	mg_sqlgen__emit(g, &b);
	return 0;
}

static int gen_set_column_remarks(pg_gen *g)
{
	mg_buf b = MG_BUF_INIT;
	const char *table, *column;
	int error;

	if ((error = mg_sqlgen__required(g, "tableName", &table)) < 0 ||
	    (error = mg_sqlgen__required(g, "columnName", &column)) < 0)
		return error;
	mg_buf_puts(&b, "COMMENT ON COLUMN ");
	mg_sqlgen__qualified_by(&b, g, "schemaName", table);
	mg_buf_putc(&b, '.');
	mg_sqlgen_ident(&b, column);
	put_remarks(&b, g, mg_sqlgen__get(g, "remarks"));
	mg_sqlgen__emit(g, &b);
	return 0;
}

static int gen_drop_procedure(pg_gen *g)
{
	return object_stmt(g, "DROP PROCEDURE ", "procedureName", "");
}

static const pg_gen_fn generators[MG_CHANGE__COUNT] = {
	[MG_CHANGE_SQL] = mg_sqlgen__sql,
	[MG_CHANGE_SQL_FILE] = mg_sqlgen__sql,
	[MG_CHANGE_CREATE_TABLE] = mg_sqlgen__create_table,
	[MG_CHANGE_ADD_COLUMN] = mg_sqlgen__add_column,
	[MG_CHANGE_DROP_COLUMN] = gen_drop_column,
	[MG_CHANGE_RENAME_COLUMN] = gen_rename_column,
	[MG_CHANGE_RENAME_TABLE] = gen_rename_table,
	[MG_CHANGE_DROP_TABLE] = gen_drop_table,
	[MG_CHANGE_CREATE_INDEX] = gen_create_index,
	[MG_CHANGE_DROP_INDEX] = gen_drop_index,
	[MG_CHANGE_ADD_FOREIGN_KEY_CONSTRAINT] = gen_add_foreign_key,
	[MG_CHANGE_DROP_FOREIGN_KEY_CONSTRAINT] = gen_drop_foreign_key,
	[MG_CHANGE_ADD_PRIMARY_KEY] = gen_add_primary_key,
	[MG_CHANGE_DROP_PRIMARY_KEY] = gen_drop_primary_key,
	[MG_CHANGE_ADD_UNIQUE_CONSTRAINT] = gen_add_unique,
	[MG_CHANGE_DROP_UNIQUE_CONSTRAINT] = gen_drop_unique,
	[MG_CHANGE_ADD_NOT_NULL_CONSTRAINT] = mg_sqlgen__add_not_null,
	[MG_CHANGE_DROP_NOT_NULL_CONSTRAINT] = gen_drop_not_null,
	[MG_CHANGE_ADD_DEFAULT_VALUE] = gen_add_default,
	[MG_CHANGE_DROP_DEFAULT_VALUE] = gen_drop_default,
	[MG_CHANGE_MODIFY_DATA_TYPE] = gen_modify_data_type,
	[MG_CHANGE_CREATE_SEQUENCE] = gen_create_sequence,
	[MG_CHANGE_ALTER_SEQUENCE] = gen_alter_sequence,
	[MG_CHANGE_RENAME_SEQUENCE] = gen_rename_sequence,
	[MG_CHANGE_DROP_SEQUENCE] = gen_drop_sequence,
	[MG_CHANGE_CREATE_VIEW] = mg_sqlgen__create_view,
	[MG_CHANGE_RENAME_VIEW] = gen_rename_view,
	[MG_CHANGE_DROP_VIEW] = gen_drop_view,
	[MG_CHANGE_INSERT] = mg_sqlgen__insert,
	[MG_CHANGE_UPDATE] = mg_sqlgen__update,
	[MG_CHANGE_DELETE] = mg_sqlgen__delete,
	[MG_CHANGE_TAG_DATABASE] = gen_none,
	[MG_CHANGE_SET_TABLE_REMARKS] = gen_set_table_remarks,
	[MG_CHANGE_SET_COLUMN_REMARKS] = gen_set_column_remarks,
	[MG_CHANGE_ADD_AUTO_INCREMENT] = mg_sqlgen__add_auto_increment,
	[MG_CHANGE_OUTPUT] = gen_none,
	[MG_CHANGE_EMPTY] = gen_none,
	[MG_CHANGE_STOP] = gen_none,
	[MG_CHANGE_LOAD_DATA] = mg_sqlgen__load_data,
	[MG_CHANGE_LOAD_UPDATE_DATA] = mg_sqlgen__load_update_data,
	[MG_CHANGE_CREATE_PROCEDURE] = mg_sqlgen__create_procedure,
	[MG_CHANGE_DROP_PROCEDURE] = gen_drop_procedure,
	[MG_CHANGE_MERGE_COLUMNS] = mg_sqlgen__merge_columns,
	[MG_CHANGE_ADD_LOOKUP_TABLE] = mg_sqlgen__add_lookup_table,
};

/* objectQuotingStrategy of the enclosing changeSet, else of the
 * changelog root, else LEGACY */
static pg_quoting quoting_of(const mg_change *c)
{
	const mg_node *n, *root = NULL;
	const char *s = NULL;

	for (n = c->node; n; n = n->parent) {
		if (!s && n->name && !strcmp(n->name, "changeSet"))
			s = mg_node_get(n, "objectQuotingStrategy");
		root = n;
	}
	if (!s && c->root_quoting_known)
		s = c->root_quoting;
	else if (!s && root && root != c->node)
		s = mg_node_get(root, "objectQuotingStrategy");
	while (s && (*s == ' ' || *s == '\t'))
		s++;
	if (s && mg_str_startswith(s, "QUOTE_ALL_OBJECTS"))
		return PG_QUOTE_ALL;
	if (s && mg_str_startswith(s, "QUOTE_ONLY_RESERVED_WORDS"))
		return PG_QUOTE_ONLY_RESERVED;
	return PG_QUOTE_LEGACY;
}

int mg_sqlgen_change_to(mg_stmt_sink *sink, const mg_sqlgen_ctx *ctx,
			const mg_change *c)
{
	pg_quoting saved;
	mg_arena tmp = MG_ARENA_INIT;
	mg_sqlgen_ctx dflt = { .default_schema = "public" };
	pg_gen g = { sink, ctx ? ctx : &dflt, c, &tmp, 0 };
	pg_gen_fn fn;
	int error;

	MG_ASSERT(c && c->type);
	fn = generators[c->type->id];
	if (!fn)
		return mg_error_set(MG_EUNSUPPORTED,
				    "change type '%s' is not supported yet",
				    c->type->name);
	saved = mg_sqlgen__set_quoting(quoting_of(c));
	error = fn(&g);
	mg_sqlgen__set_quoting(saved);
	mg_arena_release(&tmp);
	return error < 0 ? error : g.error;
}

typedef struct list_sink {
	mg_stmt_sink base;
	mg_stmt_list *list;
} list_sink;

static int list_put(mg_stmt_sink *sink, char *stmt, unsigned flags)
{
	(void)flags;
	mg_stmt_list_add(((list_sink *)sink)->list, stmt);
	return 0;
}

int mg_sqlgen_change(mg_stmt_list *out, const mg_sqlgen_ctx *ctx,
		     const mg_change *c)
{
	list_sink sink = { { list_put, 0 }, out };
	size_t before = out->n;
	int error = mg_sqlgen_change_to(&sink.base, ctx, c);

	if (error < 0) {
		/* all or nothing: drop what this change added */
		while (out->n > before)
			free(out->items[--out->n]);
	}
	return error;
}
