/*
 * change.c: the change-type table (generated from Liquibase's own
 * metadata, see tools/gen_change_types.py) and change accessors.
 */
#include "migrator/model.h"

#include <string.h>

#include "migrator/util.h"

#include "change_types.inc"

const mg_change_type *mg_change_type_find(const char *name)
{
	for (size_t i = 0; i < MG_ARRAY_SIZE(change_types); i++)
		if (strcmp(change_types[i].name, name) == 0)
			return &change_types[i];
	return NULL;
}

const mg_change_type *mg_change_type_get(mg_change_id id)
{
	MG_ASSERT(id < MG_CHANGE__COUNT);
	MG_ASSERT(change_types[id].id == id);
	return &change_types[id];
}

const mg_field *mg_change_type_field(const mg_change_type *t,
				     const char *name)
{
	for (size_t i = 0; i < t->nfields; i++)
		if (strcmp(t->fields[i].name, name) == 0)
			return &t->fields[i];
	return NULL;
}

const char *mg_change_get(const mg_change *c, const char *name)
{
	mg_node *n = mg_node_child(c->node, name);
	const mg_field *f;

	if (n && n->kind == MG_SCALAR_NULL)
		return NULL;
	if (n)
		return n->value;
	/* <output>text</output>: the text is the DIRECT_VALUE field */
	f = mg_change_type_field(c->type, name);
	if (f && (f->flags & MG_FF_DIRECT_VALUE))
		return c->node->value;
	return NULL;
}

bool mg_change_get_bool(const mg_change *c, const char *name, bool dflt)
{
	const char *v = mg_change_get(c, name);

	return v ? mg_java_bool(v) : dflt;
}

static mg_node *column_from(mg_node *n)
{
	for (; n; n = n->next) {
		if (n->name && strcmp(n->name, "column") == 0)
			return n;
	}
	return NULL;
}

mg_node *mg_change_first_column(const mg_change *c)
{
	mg_node *n = column_from(c->node->first);
	mg_node *wrap;

	if (n)
		return n;
	wrap = mg_node_child(c->node, "columns");
	return wrap ? column_from(wrap->first) : NULL;
}

mg_node *mg_change_next_column(const mg_node *col)
{
	return column_from(col->next);
}
