/*
 * description.c: the DESCRIPTION column Liquibase 4.28 writes for a
 * changeset (spec 4.8), and the cut of a value to the 250 characters
 * its history columns hold.
 */
#include "migrator/model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/util.h"

/* A parameter that describes its change: "path", or a name ending in
 * "name" that is not a schema's or a catalog's, in any case. */
static bool description_field(const char *name)
{
	size_t n = strlen(name);
	char low[128];

	if (n >= sizeof(low))
		return false;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	if (strcmp(low, "path") == 0)
		return true;
	return mg_str_endswith(low, "name") && !strstr(low, "schema") &&
	       !strstr(low, "catalog");
}

static int cmp_java(const void *a, const void *b)
{
	return mg_java_strcmp(*(char *const *)a, *(char *const *)b);
}

/* "createTable tableName=person": the type, then its describing
 * parameters as name=value in Java's string order. */
static void change_description(mg_buf *out, const mg_change *c)
{
	char **items = NULL;
	size_t n = 0, alloc = 0;

	for (size_t i = 0; i < c->type->nfields; i++) {
		const mg_field *f = &c->type->fields[i];
		const char *v;
		mg_buf b = MG_BUF_INIT;

		if (!description_field(f->name))
			continue;
		if (!(v = mg_change_get(c, f->name)))
			continue;
		mg_buf_printf(&b, "%s=%s", f->name, v);
		MG_VEC_GROW(items, alloc, n + 1);
		items[n++] = mg_buf_detach(&b);
	}
	mg_buf_puts(out, c->type->name);
	if (n) {
		qsort(items, n, sizeof(char *), cmp_java);
		mg_buf_putc(out, ' ');
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			mg_buf_puts(out, ", ");
		mg_buf_puts(out, items[i]);
		free(items[i]);
	}
	free(items);
}

void mg_truncate_column(mg_buf *b)
{
	if (mg_utf16_len(b->ptr) <= 250)
		return;
	mg_buf_truncate(b, mg_utf16_prefix_bytes(b->ptr, 247));
	mg_buf_puts(b, "...");
}

void mg_changeset_description(mg_buf *out, const mg_changeset *cs)
{
	mg_buf d = MG_BUF_INIT;

	for (size_t i = 0; i < cs->nchanges; i++) {
		if (i)
			mg_buf_puts(&d, "; ");
		change_description(&d, &cs->changes[i]);
	}
	if (!cs->nchanges)
		mg_buf_puts(&d, "empty");
	mg_truncate_column(&d);
	mg_buf_put(out, d.ptr, d.len);
	mg_buf_release(&d);
}
