/* pg_url.h (internal): connection URL -> libpq keywords. */
#ifndef MIGRATOR_DRIVERS_PG_URL_H
#define MIGRATOR_DRIVERS_PG_URL_H

#include <stdbool.h>
#include <stddef.h>

#define MG_PG_URL_MAX 24

typedef struct mg_pg_url {
	char *keys[MG_PG_URL_MAX];
	char *values[MG_PG_URL_MAX];
	size_t n;
	bool expand;          /* dbname holds a URI or conninfo string */
	char *current_schema; /* JDBC currentSchema, or NULL */
} mg_pg_url;

/* -1 for a JDBC URL of another database. */
int mg_pg_url_parse(mg_pg_url *u, const char *url);
void mg_pg_url_add(mg_pg_url *u, const char *key, const char *value);
void mg_pg_url_release(mg_pg_url *u);

#endif
