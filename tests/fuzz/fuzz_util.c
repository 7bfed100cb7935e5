/*
 * fuzz_util.c: the harnesses' private folder and the walk over a loaded
 * changelog that turns every part of it into checksums and SQL.
 */
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migrator/buf.h"
#include "migrator/checksum.h"
#include "migrator/error.h"
#include "migrator/load.h"
#include "migrator/sqlgen.h"

static char dir[4096];
static char path[4096 + 256];

static void remove_dir(void)
{
	char cmd[4096 + 16];

	if (!dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: cannot remove %s\n", dir);
}

const char *fuzz_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (dir[0])
		return dir;
	snprintf(dir, sizeof(dir), "%s/mgfuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(remove_dir);
	return dir;
}

const char *fuzz_write(const char *name, const void *data, size_t len)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	if (!(f = fopen(path, "wb")) || fwrite(data, 1, len, f) != len ||
	    fclose(f) != 0) {
		perror(path);
		abort();
	}
	return path;
}

int fuzz_escapes(const uint8_t *data, size_t size)
{
	static const char *const bad[] = { "..", "/dev", "/proc", "/sys" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = strlen(bad[i]);

		for (size_t k = 0; k + n <= size; k++)
			if (!memcmp(data + k, bad[i], n))
				return 1;
	}
	return 0;
}

typedef struct null_sink {
	mg_stmt_sink base;
	size_t n;
} null_sink;

static int null_put(mg_stmt_sink *sink, char *stmt, unsigned flags)
{
	(void)flags;
	((null_sink *)sink)->n++;
	free(stmt);
	return 0;
}

static void use_changeset(const mg_changeset *cs)
{
	mg_sqlgen_ctx ctx = { "public", NULL, NULL };
	mg_buf b = MG_BUF_INIT;

	mg_checksum_changeset(&b, cs, 9);
	mg_buf_reset(&b);
	mg_checksum_changeset(&b, cs, 8);
	mg_buf_reset(&b);
	mg_changeset_description(&b, cs);
	mg_buf_release(&b);
	for (size_t i = 0; i < cs->nchanges; i++) {
		null_sink sink = { { null_put, 0 }, 0 };
		char *term = mg_sqlgen_terminator(&cs->changes[i]);

		mg_sqlgen_change_to(&sink.base, &ctx, &cs->changes[i]);
		free(term);
	}
}

void fuzz_load_and_use(const char *file)
{
	mg_load_options o = MG_LOAD_OPTIONS_INIT;
	mg_changelog *cl = NULL;

	o.changelog_file = file;
	o.search_path = fuzz_dir();
	if (mg_changelog_load(&cl, &o) == 0) {
		for (size_t i = 0; i < cl->nsets; i++)
			use_changeset(cl->sets[i]);
		mg_changelog_free(cl);
	}
	mg_error_clear();
}
