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

void *mg_arena_alloc(mg_arena *a, size_t n)
{
	mg_arena_block *b = a->head;
	size_t align = sizeof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (!b || b->size - b->used < n) {
		size_t size = n > MG_ARENA_BLOCK ? n : MG_ARENA_BLOCK;

		b = mg_xmalloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *mg_arena_strndup(mg_arena *a, const char *s, size_t n)
{
	char *p = mg_arena_alloc(a, n + 1);

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
	p = mg_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
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
}
