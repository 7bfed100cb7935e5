/*
 * strmap.h: string -> pointer hash map (open addressing). Keys are
 * copied and owned by the map; values are borrowed.
 */
#ifndef MIGRATOR_STRMAP_H
#define MIGRATOR_STRMAP_H

#include <stddef.h>

typedef struct mg_strmap {
	char **keys;
	void **values;
	size_t n, cap;
} mg_strmap;

#define MG_STRMAP_INIT { NULL, NULL, 0, 0 }

void mg_strmap_put(mg_strmap *m, const char *key, void *value);
void *mg_strmap_get(const mg_strmap *m, const char *key);
void mg_strmap_release(mg_strmap *m);

#endif
