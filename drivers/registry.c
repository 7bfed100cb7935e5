/* registry.c: the compiled-in database drivers, looked up by URL. */
#include "migrator/driver.h"

#include <stdlib.h>
#include <string.h>

#include "migrator/util.h"

extern const mg_driver mg_driver_postgres;

static const mg_driver *const drivers[] = {
	&mg_driver_postgres,
};

const mg_driver *mg_driver_for_url(const char *url)
{
	/* Every form we accept today is PostgreSQL: jdbc:postgresql://,
	 * postgres(ql)://, and libpq conninfo strings. */
	if (url && mg_str_startswith(url, "jdbc:") &&
	    !mg_str_startswith(url, "jdbc:postgresql:"))
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
