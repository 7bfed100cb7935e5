/*
 * xalloc.c: allocation that aborts on out of memory, and MG_ASSERT's
 * failure (see util.h). It depends on nothing of migrator's, so every
 * other file, error.c included, can use it.
 */
#include "migrator/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mg_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "migrator: %s:%d: assertion failed: %s\n", file, line,
		expr);
	abort();
}

static _Noreturn void oom(void)
{
	fputs("migrator: out of memory\n", stderr);
	abort();
}

void *mg_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *mg_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *mg_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *mg_xstrndup(const char *s, size_t n)
{
	char *p = mg_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *mg_xstrdup(const char *s)
{
	return mg_xstrndup(s, strlen(s));
}
