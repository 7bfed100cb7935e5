/*
 * error_secrets.c: passwords blanked in every part of an error, in
 * redacted copies and in place (argv); a failed run's error kept across
 * cleanup (save/restore).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "migrator/error.h"

static void test_error_parts(void **state)
{
	const mg_error *e;

	(void)state;
	mg_error_add_secret("s3cr:et");
	mg_error_set(MG_EDB, "database \"x?password=s3cr:et\" does not exist");
	mg_error_set_detail("s3cr:et and s3cr:et again");
	mg_error_set_hint("try s3cr:et");
	mg_error_set_statement("ALTER ROLE r PASSWORD 's3cr:et'");
	e = mg_error_last();
	assert_string_equal(e->message,
			    "database \"x?password=*****\" does not exist");
	assert_string_equal(e->detail, "***** and ***** again");
	assert_string_equal(e->hint, "try *****");
	assert_string_equal(e->statement, "ALTER ROLE r PASSWORD '*****'");
	mg_error_clear();
}

static void test_short_and_repeated(void **state)
{
	char *r;

	(void)state;
	/* too short to blank without blanking words; added twice: once */
	mg_error_add_secret("abc");
	mg_error_add_secret("pass%3Aword");
	mg_error_add_secret("pass%3Aword");
	mg_error_add_secret(NULL);
	r = mg_error_redact("abc pass%3Aword abc");
	assert_string_equal(r, "abc ***** abc");
	free(r);
	assert_null(mg_error_redact(NULL));
}

static void test_blank_in_place(void **state)
{
	char arg[] = "--url=jdbc:postgresql://h/db?password=pass%3Aword&x=1";

	(void)state;
	mg_error_add_secret("pass%3Aword");
	mg_error_blank_secrets(arg);
	assert_string_equal(arg, "--url=jdbc:postgresql://h/db?password=*********"
				 "**&x=1");
}

static void test_save_restore(void **state)
{
	mg_error saved;

	(void)state;
	mg_error_set(MG_EDB, "the changeset failed");
	mg_error_set_changeset("a.xml::1::me");
	mg_error_save(&saved);
	assert_null(mg_error_last()->message);
	mg_error_set(MG_ERROR, "the unlock failed too");
	mg_error_restore(&saved);
	assert_int_equal(mg_error_last()->code, MG_EDB);
	assert_string_equal(mg_error_last()->message, "the changeset failed");
	assert_string_equal(mg_error_last()->changeset, "a.xml::1::me");
	assert_null(saved.message);
	mg_error_set_code(MG_ERROR);
	assert_int_equal(mg_error_last()->code, MG_ERROR);
	mg_error_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_parts),
		cmocka_unit_test(test_short_and_repeated),
		cmocka_unit_test(test_blank_in_place),
		cmocka_unit_test(test_save_restore),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
