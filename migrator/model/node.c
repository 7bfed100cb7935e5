/* node.c: the format-neutral parse tree (see node.h). */
#include "migrator/node.h"

#include "migrator/util.h"

mg_node *mg_node_new(mg_arena *a, const char *name, const char *file,
		     unsigned line, unsigned col)
{
	mg_node *n = mg_arena_alloc(a, sizeof(*n));

	n->name = mg_arena_intern(a, name);
	n->file = file;
	n->line = line;
	n->col = col;
	return n;
}

void mg_node_append(mg_node *parent, mg_node *child)
{
	child->parent = parent;
	child->next = NULL;
	if (parent->last)
		parent->last->next = child;
	else
		parent->first = child;
	parent->last = child;
}

mg_node *mg_node_child(const mg_node *n, const char *name)
{
	if (!n)
		return NULL;
	for (mg_node *c = n->first; c; c = c->next)
		if (c->name && mg_streq(c->name, name))
			return c;
	return NULL;
}

const char *mg_node_get(const mg_node *n, const char *name)
{
	mg_node *c = mg_node_child(n, name);

	return c ? c->value : NULL;
}

size_t mg_node_count(const mg_node *n)
{
	size_t k = 0;

	for (mg_node *c = n ? n->first : NULL; c; c = c->next)
		k++;
	return k;
}
