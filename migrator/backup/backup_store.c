/* backup_store.c: the backup directory: list, find, verify, prune. */
#include "backup_int.h"

#include <dirent.h>
#include <stdio.h>
#include <fcntl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "migrator/error.h"
#include "migrator/util.h"

const char *mg_backup__dir(const char *d)
{
	return d && *d ? d : "backups";
}

void mg_backup_info_release(mg_backup_info *b)
{
	free(b->id);
	free(b->path);
	free(b->manifest);
	free(b->time);
	free(b->database);
	free(b->sha256);
	free(b->history_state);
	memset(b, 0, sizeof(*b));
}

void mg_backup_list_free(mg_backup_info *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mg_backup_info_release(&list[i]);
	free(list);
}

static char *jdup(json_t *m, const char *key)
{
	const char *s = json_string_value(json_object_get(m, key));

	return s ? mg_xstrdup(s) : NULL;
}

static int read_manifest(mg_backup_info *b, const char *dir, const char *name)
{
	json_error_t err;
	json_t *m;
	size_t n = strlen(name) - strlen(".manifest.json");

	b->manifest = mg_xmalloc(strlen(dir) + strlen(name) + 2);
	sprintf(b->manifest, "%s/%s", dir, name);
	if (!(m = json_load_file(b->manifest, 0, &err)))
		return mg_error_set(MG_EINVALID, "cannot read '%s': %s",
				    b->manifest, err.text);
	b->path = mg_xmalloc(strlen(dir) + n + 7);
	sprintf(b->path, "%s/%.*s.dump", dir, (int)n, name);
	b->id = jdup(m, "id");
	b->time = jdup(m, "time");
	b->database = jdup(m, "database");
	b->sha256 = jdup(m, "sha256");
	b->history_state = jdup(m, "historyState");
	b->size = json_integer_value(json_object_get(m, "size"));
	b->created_ms = json_integer_value(json_object_get(m, "createdMs"));
	b->encrypted = json_is_true(json_object_get(m, "encrypted"));
	json_decref(m);
	return b->id && b->sha256 ? 0
				  : mg_error_set(MG_EINVALID, "'%s' is not a "
							      "migrator manifest",
						 b->manifest);
}

static int newest_first(const void *a, const void *b)
{
	const mg_backup_info *x = a, *y = b;
	int r = strcmp(y->time ? y->time : "", x->time ? x->time : "");

	if (r)
		return r;
	return y->created_ms > x->created_ms ? 1 : y->created_ms < x->created_ms ? -1 : 0;
}

int mg_backup_list(const char *dir_in, mg_backup_info **out, size_t *n)
{
	const char *dir = mg_backup__dir(dir_in);
	DIR *d = opendir(dir);
	struct dirent *ent;
	mg_backup_info *list = NULL;
	size_t alloc = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return errno == ENOENT ? 0
				       : mg_error_set(MG_ERROR, "cannot read '%s': %s",
						      dir, strerror(errno));
	while ((ent = readdir(d))) {
		if (!mg_str_endswith(ent->d_name, ".manifest.json"))
			continue;
		MG_VEC_GROW(list, alloc, *n + 1);
		memset(&list[*n], 0, sizeof(*list));
		if (read_manifest(&list[*n], dir, ent->d_name) < 0) {
			mg_backup_info_release(&list[*n]);
			continue;
		}
		(*n)++;
	}
	closedir(d);
	if (*n > 1) /* qsort of an empty (NULL) list is undefined */
		qsort(list, *n, sizeof(*list), newest_first);
	*out = list;
	return 0;
}

int mg_backup_find(const char *dir, const char *id, const char *database,
		   mg_backup_info *out)
{
	mg_backup_info *list;
	size_t n;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = mg_backup_list(dir, &list, &n)) < 0)
		return error;
	for (size_t i = 0; i < n; i++) {
		bool latest = !strcmp(id, "latest");

		if (latest ? (!database || mg_streq(list[i].database, database))
			   : mg_streq(list[i].id, id)) {
			*out = list[i];
			memset(&list[i], 0, sizeof(list[i]));
			break;
		}
	}
	mg_backup_list_free(list, n);
	if (!out->id)
		return mg_error_set(MG_ENOTFOUND, "no backup '%s' in '%s'", id,
				    mg_backup__dir(dir));
	return 0;
}

static int file_sha256(const char *path, char hex[65])
{
	FILE *f = fopen(path, "rb");
	mg_sha256 *h;
	unsigned char buf[1 << 16];
	size_t n;

	if (!f)
		return mg_error_set(MG_ENOTFOUND, "cannot open '%s': %s", path,
				    strerror(errno));
	h = mg_sha256_new();
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		mg_sha256_update(h, buf, n);
	fclose(f);
	mg_sha256_finish(h, hex);
	return 0;
}

/*
 * pg_restore writes the script it would run to /dev/null, so it reads
 * every entry's data. (`pg_restore --list` reads only the table of
 * contents, and exited while we were still writing the rest.)
 */
int mg_backup__read_through(const char *path, const char *key)
{
	const char *argv[] = { "pg_restore", "--file=/dev/null", NULL };

	return mg_backup__pg_restore(argv, path, key, NULL, NULL);
}

int mg_backup_verify(const mg_backup_options *o, const mg_backup_info *b)
{
	char hex[65];
	int error;

	if ((error = file_sha256(b->path, hex)) < 0)
		return error;
	if (strcmp(hex, b->sha256)) {
		mg_error_set(MG_EINVALID, "backup '%s' is damaged: its SHA-256 is "
					  "%s, the manifest says %s",
			     b->id, hex, b->sha256);
		return MG_EINVALID;
	}
	if (b->encrypted && !o->key)
		return mg_error_set(MG_EINVALID, "backup '%s' is encrypted: give "
						 "its key (--key-file or "
						 "MIGRATOR_BACKUP_KEY)",
				    b->id);
	/* authenticate the whole file before trusting any of it */
	if (b->encrypted &&
	    (error = mg_backup__feed(b->path, o->key, -1, NULL)) < 0)
		return error;
	return mg_backup__read_through(b->path, b->encrypted ? o->key : NULL);
}

int mg_backup_prune(const char *dir, long keep, long max_age_s,
		    size_t *removed)
{
	mg_backup_info *list;
	size_t n;
	time_t now = time(NULL);
	int error;

	*removed = 0;
	if ((error = mg_backup_list(dir, &list, &n)) < 0)
		return error;
	for (size_t i = 0; i < n; i++) {
		struct tm tm = { 0 };
		bool old = false;

		if (max_age_s >= 0 && list[i].time &&
		    sscanf(list[i].time, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year,
			   &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
			   &tm.tm_sec) == 6) {
			tm.tm_year -= 1900;
			tm.tm_mon -= 1;
			old = now - timegm(&tm) >= max_age_s;
		}
		if ((keep >= 0 && (long)i >= keep) || old) {
			unlink(list[i].path);
			unlink(list[i].manifest);
			(*removed)++;
		}
	}
	mg_backup_list_free(list, n);
	return 0;
}
