/* registry.c: the compiled-in database drivers, looked up by URL. */
#include "migrator/driver.h"

#include <stdlib.h>
#include <string.h>

#include "migrator/util.h"

extern const mg_driver mg_driver_postgres;

static const mg_driver *const drivers[] = {
	&mg_driver_postgres,
};

/* "scheme://..." (a URL, not a conninfo string): the scheme's length. */
static size_t url_scheme(const char *url)
{
	size_t n = strspn(url, "abcdefghijklmnopqrstuvwxyz"
			       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.:");

	return n >= 2 && !strncmp(url + n - 1, "://", 3) ? n - 1 : 0;
}

const mg_driver *mg_driver_for_url(const char *url)
{
	size_t n = url ? url_scheme(url) : 0;

	/* Every form we accept today is PostgreSQL: jdbc:postgresql://,
	 * postgres(ql)://, and libpq conninfo strings. */
	if (url && mg_str_startswith(url, "jdbc:") &&
	    !mg_str_startswith(url, "jdbc:postgresql:"))
		return NULL;
	if (n && !(n == 15 && !strncmp(url, "jdbc:postgresql", n)) &&
	    !(n == 10 && !strncmp(url, "postgresql", n)) &&
	    !(n == 8 && !strncmp(url, "postgres", n)))
		return NULL;
	return drivers[0];
}

const char *mg_rows_get(const mg_rows *r, size_t row, const char *col)
{
	for (size_t c = 0; c < r->ncols; c++)
		if (strcmp(r->names[c], col) == 0)
			return r->values[row * r->ncols + c];
	return NULL;
}

int mg_rows_col(const mg_rows *r, const char *col)
{
	for (size_t c = 0; c < r->ncols; c++)
		if (strcmp(r->names[c], col) == 0)
			return (int)c;
	return -1;
}

char *mg_rows_take(mg_rows *r, size_t row, int col)
{
	char **slot;
	char *v;

	if (col < 0)
		return NULL;
	slot = &r->values[row * r->ncols + (size_t)col];
	v = *slot;
	*slot = NULL;
	return v;
}

void mg_rows_free(mg_rows *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ncols; i++)
		free(r->names[i]);
	for (size_t i = 0; i < r->nrows * r->ncols; i++)
		free(r->values[i]);
	free(r->names);
	free(r->values);
	free(r);
}
