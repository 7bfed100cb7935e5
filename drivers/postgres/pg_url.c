/*
 * pg_url.c: the connection strings Liquibase users have, turned into
 * libpq keyword/value pairs. postgres(ql):// URIs and conninfo strings
 * are libpq's own: they go to it whole, as an expanded dbname, and libpq
 * parses them. Only jdbc:postgresql://host:port/db?params is parsed here,
 * the way pgjdbc reads it on purpose: its parameter names become libpq's
 * keywords and the JDBC-only ones (currentSchema) are taken out, because
 * libpq rejects parameters it does not know.
 */
#include "pg_url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/error.h"
#include "migrator/util.h"

/* JDBC parameter (pgjdbc's PGProperty names) -> libpq keyword. */
static const char *const param_map[][2] = {
	{ "user", "user" },
	{ "password", "password" },
	{ "sslmode", "sslmode" },
	{ "sslrootcert", "sslrootcert" },
	{ "sslcert", "sslcert" },
	{ "sslkey", "sslkey" },
	{ "connectTimeout", "connect_timeout" },
	{ "connect_timeout", "connect_timeout" },
	{ "ApplicationName", "application_name" },
	{ "applicationName", "application_name" },
	{ "application_name", "application_name" },
	{ "options", "options" },
	{ "target_session_attrs", "target_session_attrs" },
	{ "targetServerType", "target_session_attrs" },
};

void mg_pg_url_add(mg_pg_url *u, const char *key, const char *value)
{
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->keys[i], key) == 0) {
			free(u->values[i]);
			u->values[i] = mg_xstrdup(value);
			return;
		}
	MG_ASSERT(u->n + 1 < MG_PG_URL_MAX);
	u->keys[u->n] = mg_xstrdup(key);
	u->values[u->n] = mg_xstrdup(value);
	u->n++;
	u->keys[u->n] = NULL;
	u->values[u->n] = NULL;
}

static char *pct_decode(const char *s, size_t n)
{
	char *out = mg_xmalloc(n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };

			*o++ = (char)strtol(hex, NULL, 16);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/* A password never shows in a message, as typed or decoded. */
static void add_secret(const char *raw, size_t n, const char *decoded)
{
	char *r = mg_xstrndup(raw, n);

	mg_error_add_secret(r);
	mg_error_add_secret(decoded);
	free(r);
}

static void add_decoded(mg_pg_url *u, const char *key, const char *s,
			size_t n)
{
	char *v;

	if (n == 0)
		return;
	v = pct_decode(s, n);
	if (!strcmp(key, "password"))
		add_secret(s, n, v);
	mg_pg_url_add(u, key, v);
	free(v);
}

static void parse_params(mg_pg_url *u, const char *q)
{
	while (q && *q) {
		const char *amp = strchr(q, '&');
		const char *end = amp ? amp : q + strlen(q);
		const char *eq = memchr(q, '=', (size_t)(end - q));

		if (eq) {
			char *k = mg_xstrndup(q, (size_t)(eq - q));
			char *v = pct_decode(eq + 1, (size_t)(end - eq - 1));

			if (strcmp(k, "password") == 0)
				add_secret(eq + 1, (size_t)(end - eq - 1), v);
			if (strcmp(k, "currentSchema") == 0) {
				free(u->current_schema);
				u->current_schema = mg_xstrdup(v);
			}
			for (size_t i = 0; i < MG_ARRAY_SIZE(param_map); i++)
				if (strcmp(k, param_map[i][0]) == 0)
					mg_pg_url_add(u, param_map[i][1], v);
			free(k);
			free(v);
		}
		q = amp ? amp + 1 : NULL;
	}
}

/* After jdbc:postgresql://: [user[:password]@]host[:port][/db][?params];
 * the user info, which pgjdbc does not read, as a postgresql:// URI has
 * it. */
static void parse_jdbc(mg_pg_url *u, const char *s)
{
	const char *q = strchr(s, '?');
	const char *end = q ? q : s + strlen(s);
	const char *slash = memchr(s, '/', (size_t)(end - s));
	const char *hostend = slash ? slash : end;
	const char *at = NULL, *colon;

	for (const char *p = s; p < hostend; p++)
		if (*p == '@')
			at = p;
	if (at) {
		colon = memchr(s, ':', (size_t)(at - s));
		add_decoded(u, "user", s, (size_t)((colon ? colon : at) - s));
		if (colon)
			add_decoded(u, "password", colon + 1,
				    (size_t)(at - colon - 1));
		s = at + 1;
	}
	colon = NULL;
	if (*s == '[') {
		const char *rb = memchr(s, ']', (size_t)(hostend - s));

		if (rb) {
			add_decoded(u, "host", s + 1, (size_t)(rb - s - 1));
			colon = rb + 1 < hostend && rb[1] == ':' ? rb + 1 : NULL;
		}
	} else {
		colon = memchr(s, ':', (size_t)(hostend - s));
		add_decoded(u, "host", s, (size_t)((colon ? colon : hostend) - s));
	}
	if (colon)
		add_decoded(u, "port", colon + 1, (size_t)(hostend - colon - 1));
	if (slash)
		add_decoded(u, "dbname", slash + 1, (size_t)(end - slash - 1));
	parse_params(u, q ? q + 1 : NULL);
}

/* A URI's password as typed, kept from every message: libpq's errors about
 * a malformed URI quote it, and PQconninfoParse then gives no decoded one
 * (pg_driver.c registers that). Looked for where libpq takes it from:
 * user:PASSWORD@ before the first '/' after "://", password=VALUE in the
 * query. */
static void uri_secrets(const char *url)
{
	const char *s = strstr(url, "://") + 3, *q = strchr(s, '?'), *colon;
	size_t auth = strcspn(s, "@/"), n;

	if (s[auth] == '@' && (colon = memchr(s, ':', auth)))
		add_secret(colon + 1, (size_t)(s + auth - colon - 1), NULL);
	for (q = q ? q + 1 : NULL; q && *q; q += n + (q[n] ? 1 : 0)) {
		n = strcspn(q, "&");
		if (n > 9 && !strncmp(q, "password=", 9))
			add_secret(q + 9, n - 9, NULL);
	}
}

int mg_pg_url_parse(mg_pg_url *u, const char *url)
{
	static const char jdbc[] = "jdbc:postgresql://";

	memset(u, 0, sizeof(*u));
	if (!url || !*url)
		return 0;
	if (mg_str_startswith(url, jdbc)) {
		parse_jdbc(u, url + strlen(jdbc));
		return 0;
	}
	if (mg_str_startswith(url, "jdbc:"))
		return -1;
	if (mg_str_startswith(url, "postgresql://") ||
	    mg_str_startswith(url, "postgres://"))
		uri_secrets(url);
	/* a URI or a conninfo string: let libpq expand it */
	mg_pg_url_add(u, "dbname", url);
	u->expand = true;
	return 0;
}

void mg_pg_url_release(mg_pg_url *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->keys[i]);
		free(u->values[i]);
	}
	free(u->current_schema);
	memset(u, 0, sizeof(*u));
}
