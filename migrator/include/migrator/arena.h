/*
 * arena.h: bump allocator that owns every node and string of a parsed
 * changelog. Nothing allocated from an arena is freed on its own;
 * mg_arena_release() frees it all at once.
 */
#ifndef MIGRATOR_ARENA_H
#define MIGRATOR_ARENA_H

#include <stddef.h>

typedef struct mg_arena_block mg_arena_block;
typedef struct mg_arena_names mg_arena_names;
typedef struct mg_arena {
	mg_arena_block *head;
	mg_arena_names *names; /* mg_arena_intern's table */
} mg_arena;

#define MG_ARENA_INIT { NULL, NULL }

void *mg_arena_alloc(mg_arena *a, size_t n);          /* zeroed */
char *mg_arena_strdup(mg_arena *a, const char *s);    /* NULL -> NULL */
char *mg_arena_strndup(mg_arena *a, const char *s, size_t n);
char *mg_arena_printf(mg_arena *a, const char *fmt, ...);
/* One copy of each distinct string, for the names of a tree's nodes
 * (a changelog has a few dozen names and hundreds of thousands of
 * nodes); NULL -> NULL. */
const char *mg_arena_intern(mg_arena *a, const char *s);
void mg_arena_release(mg_arena *a);

#endif
