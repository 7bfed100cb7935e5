/*
 * pg_url.c: the PostgreSQL driver's connection strings (no connection):
 * JDBC URLs and their parameters, which migrator parses, and the forms
 * it hands to libpq.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "migrator/error.h"
#include "pg_url.h"

static const char *get(const mg_pg_url *u, const char *key)
{
	for (size_t i = 0; i < u->n; i++)
		if (!strcmp(u->keys[i], key))
			return u->values[i];
	return NULL;
}

static void assert_redacted(const char *text, const char *want)
{
	char *r = mg_error_redact(text);

	assert_string_equal(r, want);
	free(r);
}

static void test_jdbc(void **state)
{
	mg_pg_url u;

	(void)state;
	assert_int_equal(mg_pg_url_parse(&u, "jdbc:postgresql://localhost:5432/app"), 0);
	assert_int_equal(u.n, 3);
	assert_string_equal(get(&u, "host"), "localhost");
	assert_string_equal(get(&u, "port"), "5432");
	assert_string_equal(get(&u, "dbname"), "app");
	assert_false(u.expand);
	assert_null(u.current_schema);
	assert_null(u.keys[u.n]);
	mg_pg_url_release(&u);

	/* no port, no database */
	assert_int_equal(mg_pg_url_parse(&u, "jdbc:postgresql://h"), 0);
	assert_int_equal(u.n, 1);
	assert_string_equal(get(&u, "host"), "h");
	mg_pg_url_release(&u);

	/* IPv6, several hosts */
	assert_int_equal(mg_pg_url_parse(&u, "jdbc:postgresql://[::1]:5433/d"), 0);
	assert_string_equal(get(&u, "host"), "::1");
	assert_string_equal(get(&u, "port"), "5433");
	assert_string_equal(get(&u, "dbname"), "d");
	mg_pg_url_release(&u);
	assert_int_equal(mg_pg_url_parse(&u, "jdbc:postgresql://h1,h2:5432/app"), 0);
	assert_string_equal(get(&u, "host"), "h1,h2");
	assert_string_equal(get(&u, "port"), "5432");
	mg_pg_url_release(&u);
}

/* pgjdbc's parameter names become libpq's; the others are dropped, and
 * currentSchema is kept for the engine. */
static void test_jdbc_parameters(void **state)
{
	mg_pg_url u;

	(void)state;
	assert_int_equal(mg_pg_url_parse(&u, "jdbc:postgresql://h/d?user=app&"
					 "password=pw%3Ax&currentSchema=s1&"
					 "sslmode=require&ApplicationName=x&"
					 "connectTimeout=5&targetServerType=primary&"
					 "options=-c%20search_path%3Dx&"
					 "loggerLevel=OFF&flag"), 0);
	assert_string_equal(get(&u, "user"), "app");
	assert_string_equal(get(&u, "password"), "pw:x");
	assert_string_equal(get(&u, "sslmode"), "require");
	assert_string_equal(get(&u, "application_name"), "x");
	assert_string_equal(get(&u, "connect_timeout"), "5");
	assert_string_equal(get(&u, "target_session_attrs"), "primary");
	assert_string_equal(get(&u, "options"), "-c search_path=x");
	assert_null(get(&u, "loggerLevel"));
	assert_null(get(&u, "currentSchema"));
	assert_null(get(&u, "flag"));
	assert_string_equal(u.current_schema, "s1");
	assert_int_equal(u.n, 9);
	mg_pg_url_release(&u);

	/* the last currentSchema wins; a bad escape stays as typed */
	assert_int_equal(mg_pg_url_parse(&u, "jdbc:postgresql://h/d?currentSchema=a&"
					 "currentSchema=b&password=%zz"), 0);
	assert_string_equal(u.current_schema, "b");
	assert_string_equal(get(&u, "password"), "%zz");
	mg_pg_url_release(&u);
}

/* The password, as typed and decoded, is blanked in every message. */
static void test_jdbc_secrets(void **state)
{
	mg_pg_url u;

	(void)state;
	assert_int_equal(mg_pg_url_parse(&u, "jdbc:postgresql://h/d?password=jd%40bc1"), 0);
	assert_redacted("a jd%40bc1 b jd@bc1 c", "a ***** b ***** c");
	mg_pg_url_release(&u);
}

static void test_not_postgres(void **state)
{
	mg_pg_url u;

	(void)state;
	assert_int_equal(mg_pg_url_parse(&u, "jdbc:mysql://localhost/app"), -1);
	assert_int_equal(mg_pg_url_parse(&u, "jdbc:postgresql:app"), -1);
	assert_int_equal(mg_pg_url_parse(&u, ""), 0);
	assert_int_equal(u.n, 0);
	assert_int_equal(mg_pg_url_parse(&u, NULL), 0);
	assert_int_equal(u.n, 0);
}

/* A conninfo string goes to libpq whole, as an expanded dbname. */
static void test_conninfo(void **state)
{
	static const char conninfo[] = "host=/tmp port=5432 dbname=app user=app";
	mg_pg_url u;

	(void)state;
	assert_int_equal(mg_pg_url_parse(&u, conninfo), 0);
	assert_int_equal(u.n, 1);
	assert_string_equal(get(&u, "dbname"), conninfo);
	assert_true(u.expand);
	mg_pg_url_release(&u);
}

/* postgres(ql):// URIs go to libpq whole, like conninfo strings: their
 * parameters are libpq's (host=, port=, ...), not pgjdbc's. */
static void test_uri(void **state)
{
	static const char *const uris[] = {
		"postgresql://user:p%40ss1@host:5432/db?sslmode=disable",
		"postgres://u@h/d",
		"postgresql:///db?host=/tmp&port=5433",
		"postgresql://h1:5432,h2:5433/db?target_session_attrs=read-write",
	};
	mg_pg_url u;

	(void)state;
	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		assert_int_equal(mg_pg_url_parse(&u, uris[i]), 0);
		assert_int_equal(u.n, 1);
		assert_string_equal(get(&u, "dbname"), uris[i]);
		assert_true(u.expand);
		assert_null(u.current_schema);
		mg_pg_url_release(&u);
	}
}

/* A URI's password as typed is blanked even when libpq cannot parse the
 * URI (its error quotes it); the driver adds the decoded one. */
static void test_uri_secrets(void **state)
{
	static const char *const uris[] = {
		"postgresql://user:p%40ss1@host:5432/db",
		"postgresql://h/d?sslmode=disable&password=qu%65ry1",
		"postgres://u:brok3n@[::1/db",
		"postgresql://u:slash/word@h/d",
	};
	mg_pg_url u;

	(void)state;
	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		assert_int_equal(mg_pg_url_parse(&u, uris[i]), 0);
		mg_pg_url_release(&u);
	}
	assert_redacted("p%40ss1 qu%65ry1 brok3n", "***** ***** *****");
	/* the password ends where libpq's user info does, at a '/' */
	assert_redacted("slash/word", "slash/word");
}

/* What the driver adds replaces what the URL said. */
static void test_add(void **state)
{
	mg_pg_url u;

	(void)state;
	assert_int_equal(mg_pg_url_parse(&u, "jdbc:postgresql://h/d?user=a"), 0);
	mg_pg_url_add(&u, "user", "b");
	mg_pg_url_add(&u, "fallback_application_name", "migrator");
	assert_int_equal(u.n, 4);
	assert_string_equal(get(&u, "user"), "b");
	assert_string_equal(u.keys[3], "fallback_application_name");
	assert_null(u.keys[4]);
	mg_pg_url_release(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jdbc),
		cmocka_unit_test(test_jdbc_parameters),
		cmocka_unit_test(test_jdbc_secrets),
		cmocka_unit_test(test_not_postgres),
		cmocka_unit_test(test_conninfo),
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_uri_secrets),
		cmocka_unit_test(test_add),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
