/*
 * checksum_vectors.c: every changeset row real Liquibase 4.28 wrote in
 * the shared test vectors (expected-rows.tsv) must get the same MD5SUM,
 * DESCRIPTION, COMMENTS, CONTEXTS and LABELS from migrator's loader and
 * checksum code. No database: this is the model half of compatibility.
 */
#include <dirent.h>
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

#define VECTORS MG_TEST_SHARED "/liquibase/vectors"

/* Vectors whose first phase migrator cannot reproduce yet, and why. */
static const char *const skipped[] = {
	NULL,
};

static bool is_skipped(const char *name)
{
	for (size_t i = 0; skipped[i]; i++)
		if (!strncmp(name, skipped[i], strlen(skipped[i])))
			return true;
	return false;
}

/* Undo COPY text escaping in place. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		s++;
		*o++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s == 'r' ? '\r' : *s;
		if (!*s)
			break;
	}
	*o = '\0';
}

static int split_tabs(char *line, char **f, int max)
{
	int n = 0;

	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	for (int i = 0; i < n; i++) {
		if (!strcmp(f[i], "\\N"))
			f[i] = NULL;
		else
			unescape(f[i]);
	}
	return n;
}

/* Read CHANGELOG=, --contexts, --label-filter, --search-path and -D from
 * vector.conf (first phase only). */
static void read_conf(const char *dir, char *changelog, size_t cl_len,
		      mg_load_options *lo, char **props, size_t *nprops)
{
	char path[1024], line[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/vector.conf", dir);
	if (!(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p;

		if (line[0] == '#' || strstr(line, "post_update") ||
		    !strchr(line, '='))
			continue;
		if (!strncmp(line, "CHANGELOG=", 10)) {
			snprintf(changelog, cl_len, "%s", line + 10);
			changelog[strcspn(changelog, "\n")] = '\0';
		}
		if (strncmp(line, "CMD_ARGS=", 9) && strncmp(line, "LB_ARGS=", 8))
			continue;
		p = strchr(line, '(');
		for (p = strtok(p ? p + 1 : line, " )\n"); p;
		     p = strtok(NULL, " )\n")) {
			if (!strncmp(p, "--contexts="+0, 11) && strlen(p) > 11)
				lo->contexts = strdup(p + 11);
			else if (!strncmp(p, "--label-filter=", 15))
				lo->labels = strdup(p + 15);
			else if (!strncmp(p, "--search-path=", 14))
				lo->search_path = strdup(p + 14);
			else if (!strncmp(p, "-D", 2))
				props[(*nprops)++] = strdup(p + 2);
		}
	}
	fclose(f);
}

static void find_changelog(const char *dir, char *out, size_t len)
{
	static const char *const names[] = { "changelog.xml", "changelog.yaml",
					     "changelog.json", "changelog.sql" };
	char path[1024];

	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (access(path, R_OK) == 0) {
			snprintf(out, len, "%s", names[i]);
			return;
		}
	}
	out[0] = '\0';
}

static const mg_changeset *find_set(const mg_changelog *cl, const char *file,
				    const char *id, const char *author)
{
	for (size_t i = 0; i < cl->nsets; i++) {
		const mg_changeset *cs = cl->sets[i];

		if (!strcmp(cs->filename, file) && !strcmp(cs->id, id) &&
		    !strcmp(cs->author, author))
			return cs;
	}
	return NULL;
}

static int compare_field(const char *vec, const char *what, const char *key,
			 const char *want, const char *got)
{
	if ((!want && !got) || (want && got && !strcmp(want, got)))
		return 0;
	fprintf(stderr, "%s: %s %s: expected '%s', got '%s'\n", vec, key, what,
		want ? want : "NULL", got ? got : "NULL");
	return 1;
}

static int check_v8(const char *name, const mg_changelog *cl);

static int check_vector(const char *name)
{
	char dir[1024], rows[1200], changelog[512] = "", line[8192];
	char *props[16];
	size_t nprops = 0;
	mg_load_options lo = MG_LOAD_OPTIONS_INIT;
	mg_changelog *cl = NULL;
	char cwd[1024];
	FILE *f;
	int bad = 0;

	snprintf(dir, sizeof(dir), "%s/%s", VECTORS, name);
	find_changelog(dir, changelog, sizeof(changelog));
	read_conf(dir, changelog, sizeof(changelog), &lo, props, &nprops);
	if (!changelog[0])
		return 0;
	lo.changelog_file = changelog;
	lo.properties = (const char *const *)props;
	lo.nproperties = nprops;
	if (!getcwd(cwd, sizeof(cwd)) || chdir(dir) != 0)
		return 1;
	if (mg_changelog_load(&cl, &lo) < 0) {
		const mg_error *e = mg_error_last();

		fprintf(stderr, "%s: load failed: %s:%d: %s\n", name,
			e->file ? e->file : "", e->line, e->message);
		if (chdir(cwd) != 0)
			return 1;
		return 1;
	}
	if (chdir(cwd) != 0)
		return 1;
	bad += check_v8(name, cl);
	snprintf(rows, sizeof(rows), "%s/expected-rows.tsv", dir);
	f = fopen(rows, "r");
	if (!f)
		goto out;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		char *fld[16];
		const mg_changeset *cs;
		mg_buf ck = MG_BUF_INIT, desc = MG_BUF_INIT, com = MG_BUF_INIT;
		char key[1024];

		line[strcspn(line, "\n")] = '\0';
		if (split_tabs(line, fld, 16) < 13)
			continue;
		snprintf(key, sizeof(key), "%s::%s::%s", fld[2], fld[0], fld[1]);
		cs = find_set(cl, fld[2], fld[0], fld[1]);
		if (!cs) {
			fprintf(stderr, "%s: changeset %s not loaded\n", name, key);
			bad++;
			continue;
		}
		mg_checksum_changeset(&ck, cs, 9);
		mg_changeset_description(&desc, cs);
		mg_buf_puts(&com, cs->comment);
		mg_truncate_column(&com);
		bad += compare_field(name, "md5sum", key, fld[3], ck.ptr);
		bad += compare_field(name, "description", key, fld[4], desc.ptr);
		bad += compare_field(name, "comments", key, fld[5], com.ptr);
		bad += compare_field(name, "contexts", key, fld[7], cs->contexts);
		bad += compare_field(name, "labels", key, fld[8], cs->labels);
		mg_buf_release(&ck);
		mg_buf_release(&desc);
		mg_buf_release(&com);
	}
	fclose(f);
out:
	mg_changelog_free(cl);
	for (size_t i = 0; i < nprops; i++)
		free(props[i]);
	free((char *)lo.contexts);
	free((char *)lo.labels);
	free((char *)lo.search_path);
	return bad;
}

/* Every "changeset checksum v9" and "v8" of checksum-preimage.txt, also
 * for changesets that never got a row (stop, filtered): v8 is what
 * Liquibase 3.5-4.21 stored, needed to accept and upgrade old rows. */
static int check_v8(const char *name, const mg_changelog *cl)
{
	char path[1200], line[8192], key[4096] = "";
	FILE *f;
	int bad = 0, version;

	snprintf(path, sizeof(path), "%s/%s/checksum-preimage.txt", VECTORS, name);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *v8;

		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "=== CHANGESET ", 14))
			snprintf(key, sizeof(key), "%s", line + 14);
		if (!strncmp(line, "--- changeset checksum v9: ", 27)) {
			version = 9;
		} else if (!strncmp(line, "--- changeset checksum v8: ", 27)) {
			version = 8;
		} else {
			continue;
		}
		v8 = line + 27;
		for (size_t i = 0; i < cl->nsets; i++) {
			const mg_changeset *cs = cl->sets[i];
			char k[4096];
			mg_buf ck = MG_BUF_INIT;

			snprintf(k, sizeof(k), "%s::%s::%s", cs->filename, cs->id,
				 cs->author);
			if (strcmp(k, key))
				continue;
			mg_checksum_changeset(&ck, cs, version);
			bad += compare_field(name, version == 8 ? "v8 checksum"
								: "v9 checksum",
					     key, v8, ck.ptr);
			mg_buf_release(&ck);
		}
	}
	fclose(f);
	return bad;
}

static void test_all_vectors(void **state)
{
	DIR *d = opendir(VECTORS);
	struct dirent *e;
	int bad = 0, checked = 0;

	(void)state;
	if (!d) {
		skip();
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9' ||
		    is_skipped(e->d_name))
			continue;
		bad += check_vector(e->d_name) ? 1 : 0;
		checked++;
	}
	closedir(d);
	fprintf(stderr, "%d vectors checked, %d with mismatches\n", checked, bad);
	assert_true(checked > 0);
	assert_int_equal(bad, 0);
}

/* Every column field is known (col_fields is searched by bisection, so
 * a name out of order would be missed), and a made-up one is not. */
static void test_column_fields_known(void **state)
{
	static const char *const fields[] = {
		"afterColumn",
		"allowUpdate",
		"autoIncrement",
		"beforeColumn",
		"computed",
		"defaultOnNull",
		"defaultValue",
		"defaultValueBoolean",
		"defaultValueComputed",
		"defaultValueConstraintName",
		"defaultValueDate",
		"defaultValueNumeric",
		"defaultValueSequenceNext",
		"descending",
		"encoding",
		"generationType",
		"header",
		"incrementBy",
		"index",
		"loadType",
		"name",
		"position",
		"remarks",
		"startWith",
		"type",
		"value",
		"valueBlobFile",
		"valueBoolean",
		"valueClobFile",
		"valueComputed",
		"valueDate",
		"valueNumeric",
		"valueSequenceCurrent",
		"valueSequenceNext",
		"constraints",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!mg_column_field_known(fields[i]))
			fail_msg("column field '%s' is not known", fields[i]);
	}
	assert_false(mg_column_field_known("defaultValueX"));
	assert_false(mg_column_field_known("Name"));
	assert_false(mg_column_field_known(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_vectors),
		cmocka_unit_test(test_column_fields_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
