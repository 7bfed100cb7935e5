/*
 * fuzz_url.c: the connection URL parser of the PostgreSQL driver (JDBC
 * URLs, postgres:// URIs, conninfo strings) and the driver lookup.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "migrator/driver.h"
#include "pg_url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	mg_pg_url u;

	memcpy(s, data, size);
	s[size] = '\0';
	(void)mg_driver_for_url(s);
	if (mg_pg_url_parse(&u, s) == 0) {
		/* what the driver adds before connecting */
		mg_pg_url_add(&u, "user", "fuzz");
		mg_pg_url_add(&u, "password", "fuzz");
		mg_pg_url_add(&u, "fallback_application_name", "migrator");
		mg_pg_url_release(&u);
	}
	free(s);
	return 0;
}
