/* arena.c: bump allocator owning a parsed changelog. */
#include "migrator/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/util.h"

struct mg_arena_block {
	mg_arena_block *next;
	size_t used, size;
	max_align_t data[];
};

#define MG_ARENA_BLOCK 65536

/* n bytes at the given alignment from the current block, or from a new
 * one */
static void *take(mg_arena *a, size_t n, size_t align)
{
	mg_arena_block *b = a->head;
	size_t at = b ? (b->used + align - 1) / align * align : 0;
	void *p;

	if (!b || at > b->size || b->size - at < n) {
		size_t size = n > MG_ARENA_BLOCK ? n : MG_ARENA_BLOCK;

		b = mg_xmalloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		b->next = a->head;
		a->head = b;
		at = 0;
	}
	p = (char *)b->data + at;
	b->used = at + n;
	return p;
}

void *mg_arena_alloc(mg_arena *a, size_t n)
{
	void *p = take(a, n, sizeof(max_align_t));

	memset(p, 0, n);
	return p;
}

/* strings need no alignment: packed, they take half the room */
char *mg_arena_strndup(mg_arena *a, const char *s, size_t n)
{
	char *p = take(a, n + 1, 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *mg_arena_strdup(mg_arena *a, const char *s)
{
	return s ? mg_arena_strndup(a, s, strlen(s)) : NULL;
}

char *mg_arena_printf(mg_arena *a, const char *fmt, ...)
{
	va_list ap, cp;
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	p = take(a, (size_t)n + 1, 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* Open addressing, a power of two of slots, at most half full. */
struct mg_arena_names {
	const char **slots;
	size_t nslots, n;
};

static size_t name_hash(const char *s)
{
	size_t h = 5381;

	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

static const char **name_slot(const mg_arena_names *t, const char *s)
{
	size_t i = name_hash(s) & (t->nslots - 1);

	while (t->slots[i] && strcmp(t->slots[i], s))
		i = (i + 1) & (t->nslots - 1);
	return &t->slots[i];
}

static void names_grow(mg_arena_names *t)
{
	mg_arena_names bigger = { NULL, t->nslots ? t->nslots * 2 : 64, t->n };

	bigger.slots = mg_xcalloc(bigger.nslots, sizeof(char *));
	for (size_t i = 0; i < t->nslots; i++)
		if (t->slots[i])
			*name_slot(&bigger, t->slots[i]) = t->slots[i];
	free(t->slots);
	*t = bigger;
}

const char *mg_arena_intern(mg_arena *a, const char *s)
{
	const char **slot;

	if (!s)
		return NULL;
	if (!a->names)
		a->names = mg_xcalloc(1, sizeof(*a->names));
	if ((a->names->n + 1) * 2 > a->names->nslots)
		names_grow(a->names);
	slot = name_slot(a->names, s);
	if (!*slot) {
		*slot = mg_arena_strdup(a, s);
		a->names->n++;
	}
	return *slot;
}

void mg_arena_release(mg_arena *a)
{
	mg_arena_block *b = a->head;

	while (b) {
		mg_arena_block *next = b->next;

		free(b);
		b = next;
	}
	a->head = NULL;
	if (a->names)
		free(a->names->slots);
	free(a->names);
	a->names = NULL;
}
