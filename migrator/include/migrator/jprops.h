/*
 * jprops.h: java.util.Properties.load(InputStream) (util/jprops.c).
 */
#ifndef MIGRATOR_JPROPS_H
#define MIGRATOR_JPROPS_H

#include <stddef.h>

/* Called for each key and value (UTF-8), in file order; a key may come
 * again (Properties keeps the last). A negative return stops the parse. */
typedef int (*mg_jprops_fn)(const char *key, const char *value, void *arg);

/* MG_EPARSE on a malformed \uXXXX escape (file:line set). */
int mg_jprops_parse(const char *text, size_t len, const char *file,
		    mg_jprops_fn each, void *arg);

#endif
