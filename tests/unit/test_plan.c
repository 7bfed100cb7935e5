/*
 * test_plan.c: planning without a database: a changelog loaded from a
 * temporary file, DATABASECHANGELOG rows made by hand, and what the plan
 * says to do with each changeset (spec 7.1-7.3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "migrator/checksum.h"
#include "migrator/error.h"
#include "migrator/load.h"
#include "migrator/plan.h"

#define MAX_ROWS 16

static mg_changelog *cl;
static mg_history hist;
static mg_plan plan;

static int teardown(void **state)
{
	(void)state;
	mg_plan_release(&plan);
	mg_history_release(&hist);
	mg_changelog_free(cl);
	cl = NULL;
	mg_error_clear();
	return 0;
}

/* Load `xml` as plan.xml (its FILENAME) from a directory of its own. */
static void load(const char *xml)
{
	char dir[] = "/tmp/mg-unit-plan-XXXXXX", cwd[1024];
	mg_load_options lo = MG_LOAD_OPTIONS_INIT;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	f = fopen("plan.xml", "w");
	assert_non_null(f);
	fputs(xml, f);
	fclose(f);
	lo.changelog_file = "plan.xml";
	assert_int_equal(mg_changelog_load(&cl, &lo), 0);
	unlink("plan.xml");
	assert_int_equal(chdir(cwd), 0);
	rmdir(dir);
	hist.rows = mg_xcalloc(MAX_ROWS, sizeof(mg_history_row));
}

static const mg_changeset *changeset(const char *id)
{
	for (size_t i = 0; i < cl->nsets; i++)
		if (!strcmp(cl->sets[i]->id, id))
			return cl->sets[i];
	fail_msg("no changeset '%s'", id);
	return NULL;
}

/* The changeset's checksum of `version`, as a row would store it. */
static char *checksum_of(const char *id, int version)
{
	mg_buf b = MG_BUF_INIT;

	assert_int_equal(mg_checksum_changeset(&b, changeset(id), version), 0);
	return mg_buf_detach(&b);
}

/* A row for changeset `id` of author "a"; `md5sum` is taken over. */
static void add_row(const char *filename, const char *id, char *md5sum)
{
	mg_history_row *r;

	assert_true(hist.n < MAX_ROWS);
	r = &hist.rows[hist.n++];
	r->filename = mg_xstrdup(filename);
	r->id = mg_xstrdup(id);
	r->author = mg_xstrdup("a");
	r->md5sum = md5sum;
	r->exectype = mg_xstrdup("EXECUTED");
	r->orderexecuted = (int)hist.n;
	r->duration_ms = -1;
	hist.max_order = r->orderexecuted;
}

static int make(const char *contexts, const char *labels, bool strict)
{
	mg_plan_opts o = { contexts, labels, strict };

	mg_history_index(&hist);
	return mg_plan_make(cl, &hist, &o, &plan);
}

static const mg_step *step(const char *id)
{
	for (size_t i = 0; i < plan.n; i++)
		if (!strcmp(plan.steps[i].cs->id, id))
			return &plan.steps[i];
	fail_msg("no step '%s'", id);
	return NULL;
}

static void test_no_history_runs_everything(void **state)
{
	(void)state;
	load("<databaseChangeLog>\n"
	     "  <changeSet id=\"1\" author=\"a\"><sql>SELECT 1</sql></changeSet>\n"
	     "  <changeSet id=\"2\" author=\"a\"><sql>SELECT 2</sql></changeSet>\n"
	     "</databaseChangeLog>\n");
	assert_int_equal(make(NULL, NULL, false), 0);
	assert_int_equal(plan.n, 2);
	assert_int_equal(plan.to_run, 2);
	assert_int_equal(plan.nlate, 0);
	for (size_t i = 0; i < plan.n; i++) {
		assert_int_equal(plan.steps[i].kind, MG_STEP_RUN);
		assert_null(plan.steps[i].row);
		assert_true(!strncmp(plan.steps[i].checksum, "9:", 2));
	}
}

static const char kinds_xml[] =
	"<databaseChangeLog>\n"
	"  <changeSet id=\"same\" author=\"a\"><sql>SELECT 1</sql></changeSet>\n"
	"  <changeSet id=\"always\" author=\"a\" runAlways=\"true\">"
	"<sql>SELECT 2</sql></changeSet>\n"
	"  <changeSet id=\"onchange\" author=\"a\" runOnChange=\"true\">"
	"<sql>SELECT 3</sql></changeSet>\n"
	"  <changeSet id=\"any\" author=\"a\"><validCheckSum>ANY</validCheckSum>"
	"<sql>SELECT 4</sql></changeSet>\n"
	"  <changeSet id=\"v8\" author=\"a\"><sql>SELECT 5</sql></changeSet>\n"
	"  <changeSet id=\"ctx\" author=\"a\" context=\"dev\">"
	"<sql>SELECT 6</sql></changeSet>\n"
	"  <changeSet id=\"lbl\" author=\"a\" labels=\"x\">"
	"<sql>SELECT 7</sql></changeSet>\n"
	"  <changeSet id=\"ora\" author=\"a\" dbms=\"oracle\">"
	"<sql>SELECT 8</sql></changeSet>\n"
	"  <changeSet id=\"new\" author=\"a\"><sql>SELECT 9</sql></changeSet>\n"
	"</databaseChangeLog>\n";

/* a checksum that matches no changeset of kinds_xml */
#define OTHER_V9 "9:00000000000000000000000000000000"

static void test_step_kinds(void **state)
{
	(void)state;
	load(kinds_xml);
	/* the stored FILENAME is normalised as Liquibase matches it */
	add_row("classpath:/plan.xml", "same", checksum_of("same", 9));
	add_row("plan.xml", "always", checksum_of("always", 9));
	add_row("plan.xml", "onchange", mg_xstrdup(OTHER_V9));
	add_row("plan.xml", "any", mg_xstrdup(OTHER_V9));
	add_row("plan.xml", "v8", checksum_of("v8", 8));
	assert_int_equal(make("prod", "y", false), 0);

	assert_int_equal(step("same")->kind, MG_STEP_RAN);
	assert_ptr_equal(step("same")->row, &hist.rows[0]);
	assert_false(step("same")->refresh_checksum);
	assert_int_equal(step("always")->kind, MG_STEP_RERUN);
	assert_int_equal(step("onchange")->kind, MG_STEP_RERUN);
	assert_int_equal(step("any")->kind, MG_STEP_RAN);
	assert_false(step("any")->refresh_checksum);
	/* an 8: row that still matches is brought to 9: */
	assert_int_equal(step("v8")->kind, MG_STEP_RAN);
	assert_true(step("v8")->refresh_checksum);

	assert_int_equal(step("ctx")->kind, MG_STEP_FILTERED);
	assert_string_equal(step("ctx")->why, "context does not match");
	assert_int_equal(step("lbl")->kind, MG_STEP_FILTERED);
	assert_string_equal(step("lbl")->why, "labels do not match");
	assert_int_equal(step("ora")->kind, MG_STEP_FILTERED);
	assert_string_equal(step("ora")->why, "dbms does not match postgresql");

	assert_int_equal(step("new")->kind, MG_STEP_RUN);
	assert_null(step("new")->row);
	assert_int_equal(plan.to_run, 3); /* always, onchange, new */
	assert_int_equal(plan.nproblems, 0);
	assert_int_equal(plan.nlate, 0);
}

static void test_filters_that_match(void **state)
{
	(void)state;
	load(kinds_xml);
	assert_int_equal(make("dev", "x", false), 0);
	assert_int_equal(step("ctx")->kind, MG_STEP_RUN);
	assert_int_equal(step("lbl")->kind, MG_STEP_RUN);
	assert_int_equal(step("ora")->kind, MG_STEP_FILTERED);
}

static void test_empty_checksum_is_refreshed(void **state)
{
	(void)state;
	load(kinds_xml);
	add_row("plan.xml", "same", NULL);
	assert_int_equal(make(NULL, NULL, false), 0);
	assert_int_equal(step("same")->kind, MG_STEP_RAN);
	assert_true(step("same")->refresh_checksum);
}

static void test_changed_checksum_fails_validation(void **state)
{
	const mg_error *e;

	(void)state;
	load(kinds_xml);
	add_row("plan.xml", "same", mg_xstrdup(OTHER_V9));
	add_row("plan.xml", "v8", checksum_of("v8", 9));
	assert_int_equal(make(NULL, NULL, false), MG_ECHECKSUM);
	assert_int_equal(plan.nproblems, 1);
	assert_non_null(strstr(plan.problems.ptr, "plan.xml::same::a was: "
						  OTHER_V9 " but is now: 9:"));
	e = mg_error_last();
	assert_int_equal(e->code, MG_ECHECKSUM);
	assert_string_equal(e->message, "validation failed: 1 changeset check sum");
	assert_non_null(strstr(e->detail, "plan.xml::same::a"));
}

static const char late_xml[] =
	"<databaseChangeLog>\n"
	"  <changeSet id=\"early\" author=\"a\"><sql>SELECT 1</sql></changeSet>\n"
	"  <changeSet id=\"applied\" author=\"a\"><sql>SELECT 2</sql></changeSet>\n"
	"  <changeSet id=\"later\" author=\"a\"><sql>SELECT 3</sql></changeSet>\n"
	"</databaseChangeLog>\n";

static void test_late_changeset_is_listed(void **state)
{
	(void)state;
	load(late_xml);
	add_row("plan.xml", "applied", checksum_of("applied", 9));
	assert_int_equal(make(NULL, NULL, false), 0);
	assert_int_equal(plan.nlate, 1);
	assert_string_equal(plan.steps[plan.late[0]].cs->id, "early");
	assert_int_equal(step("early")->kind, MG_STEP_RUN);
	assert_int_equal(step("later")->kind, MG_STEP_RUN);
	assert_int_equal(plan.to_run, 2);
}

static void test_late_changeset_refused_with_strict_order(void **state)
{
	const mg_error *e;

	(void)state;
	load(late_xml);
	add_row("plan.xml", "applied", checksum_of("applied", 9));
	assert_int_equal(make(NULL, NULL, true), MG_EINVALID);
	e = mg_error_last();
	assert_string_equal(e->message, "1 new changeset sorts before changesets "
					"already applied");
	assert_non_null(strstr(e->detail, "plan.xml::early::a (plan.xml:2)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_no_history_runs_everything, teardown),
		cmocka_unit_test_teardown(test_step_kinds, teardown),
		cmocka_unit_test_teardown(test_filters_that_match, teardown),
		cmocka_unit_test_teardown(test_empty_checksum_is_refreshed, teardown),
		cmocka_unit_test_teardown(test_changed_checksum_fails_validation,
					  teardown),
		cmocka_unit_test_teardown(test_late_changeset_is_listed, teardown),
		cmocka_unit_test_teardown(test_late_changeset_refused_with_strict_order,
					  teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
