/*
 * util.h: small helpers with no domain knowledge.
 *
 * Out of memory is not an error code in migrator: mg_xmalloc and friends
 * print "out of memory" and abort, as git's xmalloc and pg_malloc do. The
 * program is short-lived and this removes a branch from every function.
 */
#ifndef MIGRATOR_UTIL_H
#define MIGRATOR_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define MG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define MG_UNUSED __attribute__((unused))
#else
#define MG_PRINTF(f, a)
#define MG_UNUSED
#endif

#define MG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MG_CONTAINER_OF(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

void mg_assert_fail(const char *expr, const char *file, int line);
#define MG_ASSERT(e) ((e) ? (void)0 : mg_assert_fail(#e, __FILE__, __LINE__))

void *mg_xmalloc(size_t n);
void *mg_xcalloc(size_t n, size_t size);
void *mg_xrealloc(void *p, size_t n);
char *mg_xstrdup(const char *s);
char *mg_xstrndup(const char *s, size_t n);

/* Grow a vector of `size`-byte items so that index `need - 1` fits. */
#define MG_VEC_GROW(ptr, n_alloc, need)                                      \
	do {                                                                 \
		if ((need) > (n_alloc)) {                                    \
			size_t n__ = (n_alloc) ? (n_alloc) * 2 : 8;          \
			while (n__ < (need))                                 \
				n__ *= 2;                                    \
			(ptr) = mg_xrealloc((ptr), n__ * sizeof(*(ptr)));    \
			(n_alloc) = n__;                                     \
		}                                                            \
	} while (0)

bool mg_streq(const char *a, const char *b);       /* NULL-safe */
bool mg_strieq(const char *a, const char *b);      /* ASCII case-insensitive */
bool mg_str_endswith(const char *s, const char *suffix);
bool mg_str_startswith(const char *s, const char *prefix);
bool mg_str_istartswith(const char *s, const char *prefix);
/* Java Boolean.valueOf: only a case-insensitive "true" is true. */
bool mg_java_bool(const char *s);
/* Java String.compareTo (UTF-16 code unit order) on UTF-8 strings. */
int mg_java_strcmp(const char *a, const char *b);
/* Number of UTF-16 code units of a UTF-8 string. */
size_t mg_utf16_len(const char *s);
/* Byte offset of the first `units` UTF-16 code units of a UTF-8 string. */
size_t mg_utf16_prefix_bytes(const char *s, size_t units);

/*
 * Iterate the items of a comma-separated list, trimmed of white space:
 *   const char *p = list, *item; size_t n;
 *   while (mg_list_next(&p, &item, &n)) ...
 * Empty items are skipped. NULL-safe.
 */
bool mg_list_next(const char **p, const char **item, size_t *len);

/* Liquibase's normalizePath of a changelog path, appended to `out`. */
struct mg_buf;
void mg_path_normalize(struct mg_buf *out, const char *path);

/* A resource for reading (binary): through gzip when its name ends in
 * ".gz", as Liquibase's PathResource; NULL with errno on failure. */
FILE *mg_resource_open(const char *path);
bool mg_resource_is_gzip(const char *path);

/* Read a whole file; `*out` is NUL-terminated and owned by the caller. */
int mg_read_file(char **out, size_t *len, const char *path);

/*
 * In a forked child, before exec: give back the default action of the
 * signals the CLI ignores (SIGPIPE, SIGXFSZ; see cli/main.c), so that the
 * programs we start (pg_dump, executeCommand, flow actions) behave as
 * they do from a shell.
 */
void mg_child_default_signals(void);

#endif
