/*
 * backup.c: backup, backup list/verify/drill/prune and restore (see
 * backup.h for the files they read and write).
 */
#include "backup_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/rand.h>

#include "migrator/error.h"
#include "migrator/util.h"

/* One round trip: every user table's exact row count. */
#define ROW_COUNTS                                                          \
	"SELECT n.nspname || '.' || c.relname AS t, (xpath('/row/c/text()', " \
	"query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, "  \
	"c.relname), false, true, '')))[1]::text AS n "                       \
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON "       \
	"n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname " \
	"NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE " \
	"'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1"

/* Columns, constraints and indexes of user schemas, as text. */
#define SCHEMA_TEXT                                                         \
	"SELECT string_agg(x, E'\\n' ORDER BY x) AS s FROM ("                \
	"SELECT format('col %s.%s.%s %s %s %s', table_schema, table_name, "  \
	"column_name, data_type, is_nullable, coalesce(column_default, '')) " \
	"AS x FROM information_schema.columns WHERE table_schema NOT IN "    \
	"('pg_catalog', 'information_schema') UNION ALL "                     \
	"SELECT format('con %s.%s %s', n.nspname, k.conname, "               \
	"pg_get_constraintdef(k.oid)) FROM pg_catalog.pg_constraint k JOIN "  \
	"pg_catalog.pg_namespace n ON n.oid = k.connamespace WHERE n.nspname " \
	"NOT IN ('pg_catalog', 'information_schema') UNION ALL "              \
	"SELECT format('idx %s', indexdef) FROM pg_catalog.pg_indexes WHERE " \
	"schemaname NOT IN ('pg_catalog', 'information_schema')) q"

int mg_backup__stats(mg_conn *c, json_t **tables, char fingerprint[65])
{
	mg_rows *r = NULL;
	const char *s;
	int error;

	if ((error = mg_conn_query(&r, c, ROW_COUNTS, NULL, 0)) < 0)
		return error;
	*tables = json_object();
	for (size_t i = 0; i < r->nrows; i++)
		json_object_set_new(*tables, mg_rows_get(r, i, "t"),
				    json_integer(atoll(mg_rows_get(r, i, "n"))));
	mg_rows_free(r);
	if ((error = mg_conn_query(&r, c, SCHEMA_TEXT, NULL, 0)) < 0)
		return error;
	s = mg_rows_get(r, 0, "s");
	mg_sha256_hex(fingerprint, s ? s : "", s ? strlen(s) : 0);
	mg_rows_free(r);
	return 0;
}

int mg_backup_history_state(mg_engine *e, mg_buf *out)
{
	const mg_history *h;
	mg_buf all = MG_BUF_INIT;
	char hex[65];
	int error;

	mg_engine_reload(e);
	if ((error = mg_engine_history(e, &h)) < 0)
		return error;
	for (size_t i = 0; i < h->n; i++)
		mg_buf_printf(&all, "%s::%s::%s %s\n", h->rows[i].filename,
			      h->rows[i].id, h->rows[i].author,
			      h->rows[i].md5sum ? h->rows[i].md5sum : "");
	mg_sha256_hex(hex, all.ptr, all.len);
	mg_buf_puts(out, hex);
	mg_buf_release(&all);
	return 0;
}

static json_t *history_json(mg_engine *e)
{
	const mg_history *h;
	json_t *list = json_array(), *o = json_object();
	const char *tag = NULL, *dep = NULL;

	if (mg_engine_history(e, &h) == 0)
		for (size_t i = 0; i < h->n; i++) {
			const mg_history_row *r = &h->rows[i];
			char key[1024];

			snprintf(key, sizeof(key), "%s::%s::%s", r->filename, r->id,
				 r->author);
			json_array_append_new(list, json_pack("{s:s,s:s?}", "changeset",
							      key, "md5sum",
							      r->md5sum));
			if (r->tag)
				tag = r->tag;
			dep = r->deployment_id;
		}
	json_object_set_new(o, "applied", list);
	json_object_set_new(o, "lastTag", tag ? json_string(tag) : json_null());
	json_object_set_new(o, "lastDeploymentId",
			    dep ? json_string(dep) : json_null());
	return o;
}

static int pg_dump_version(mg_conn *c, mg_buf *version)
{
	const char *argv[] = { "pg_dump", "--version", NULL };
	int server = atoi(mg_conn_info(c, "server_version")) / 10000;
	const char *digits;
	int error;

	if ((error = mg_backup__capture(version, argv)) < 0)
		return error;
	digits = strpbrk(version->ptr, "0123456789");
	if (!digits || atoi(digits) < server) {
		mg_error_set(MG_ERROR, "'%s' cannot dump a PostgreSQL %d server",
			     version->ptr, server);
		mg_error_set_hint("install postgresql-client-%d (or newer) and "
				  "put its pg_dump first on PATH",
				  server);
		return MG_ERROR;
	}
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void make_name(mg_buf *base, mg_conn *c, char id[9], char when[32])
{
	unsigned char rnd[4];
	time_t t = time(NULL);
	struct tm tm;

	RAND_bytes(rnd, sizeof(rnd));
	snprintf(id, 9, "%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3]);
	gmtime_r(&t, &tm);
	strftime(when, 32, "%Y%m%dT%H%M%SZ", &tm);
	mg_buf_printf(base, "%s-%s-%s", mg_conn_info(c, "database"), when, id);
}

static int dump_to(int fd, const char *path, mg_conn *c,
		   const mg_backup_options *o, char sha_hex[65], long long *size)
{
	const char *argv[64] = { "pg_dump", "--format=custom", "--no-password" };
	int argc = 3, fds[2], error;
	char *schemas = o->schemas ? mg_xstrdup(o->schemas) : NULL, *save = NULL;
	unsigned char key32[32], hdr[MG_ENC_HEADER], tag[MG_ENC_TAG];
	mg_cipher *enc = NULL;
	mg_sha256 *sha = mg_sha256_new();
	mg_child ch;

	for (char *t = schemas ? strtok_r(schemas, ",", &save) : NULL;
	     t && argc < 60; t = strtok_r(NULL, ",", &save)) {
		argv[argc++] = "--schema";
		argv[argc++] = t;
	}
	argv[argc] = NULL;
	*size = 0;
	if (o->key) {
		mg_cipher_key(key32, o->key);
		if ((error = mg_cipher_encrypt_new(&enc, key32, hdr)) < 0 ||
		    (error = mg_backup__write_all(fd, hdr, sizeof(hdr), path)) < 0)
			goto out;
		mg_sha256_update(sha, hdr, sizeof(hdr));
		*size += sizeof(hdr);
	}
	if ((error = mg_backup__pipe(fds)) < 0)
		goto out;
	if ((error = mg_backup__spawn(&ch, argv, -1, fds[1], c, NULL)) < 0) {
		close(fds[0]);
		close(fds[1]);
		goto out;
	}
	close(fds[1]);
	error = mg_backup__pump(fds[0], fd, sha, enc, size, "pg_dump", path);
	/* before waiting: after a failed write pg_dump may be blocked on a
	 * full pipe; closing it ends pg_dump */
	close(fds[0]);
	error = mg_backup__finish(&ch, error);
	if (!error && enc) {
		error = mg_cipher_finish(enc, tag);
		enc = NULL;
		if (!error &&
		    !(error = mg_backup__write_all(fd, tag, sizeof(tag), path))) {
			mg_sha256_update(sha, tag, sizeof(tag));
			*size += sizeof(tag);
		}
	}
out:
	mg_cipher_free(enc);
	mg_sha256_finish(sha, sha_hex);
	free(schemas);
	return error;
}

/* Write the dump to `path` (created 0600) and make it durable. */
static int write_dump(const char *path, mg_conn *c,
		      const mg_backup_options *o, char sha[65], long long *size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int error;

	if (fd < 0)
		return mg_error_set(MG_ERROR, "cannot create '%s': %s", path,
				    strerror(errno));
	error = dump_to(fd, path, c, o, sha, size);
	if (!error && fsync(fd) < 0)
		error = mg_error_set(MG_ERROR, "cannot write '%s': %s", path,
				     strerror(errno));
	if (close(fd) < 0 && !error)
		error = mg_error_set(MG_ERROR, "cannot write '%s': %s", path,
				     strerror(errno));
	return error;
}

/* The manifest is what makes a backup exist (list and find read only
 * manifests): written whole under a temporary name, then renamed. */
static int write_manifest(const char *path, json_t *m)
{
	mg_buf tmp = MG_BUF_INIT;
	char *text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int fd, error = 0;

	mg_buf_printf(&tmp, "%s.tmp", path);
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		error = mg_error_set(MG_ERROR, "cannot create '%s': %s", tmp.ptr,
				     strerror(errno));
		goto out;
	}
	error = mg_backup__write_all(fd, text, strlen(text), tmp.ptr);
	if (!error)
		error = mg_backup__write_all(fd, "\n", 1, tmp.ptr);
	if (!error && fsync(fd) < 0)
		error = mg_error_set(MG_ERROR, "cannot write '%s': %s", tmp.ptr,
				     strerror(errno));
	if (close(fd) < 0 && !error)
		error = mg_error_set(MG_ERROR, "cannot write '%s': %s", tmp.ptr,
				     strerror(errno));
	if (!error && rename(tmp.ptr, path) < 0)
		error = mg_error_set(MG_ERROR, "cannot rename '%s': %s", tmp.ptr,
				     strerror(errno));
	if (error)
		unlink(tmp.ptr);
out:
	free(text);
	mg_buf_release(&tmp);
	return error;
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static json_t *manifest_json(mg_engine *e, const mg_backup_options *o,
			     const char *id, const char *when, const char *version,
			     long long size, const char *sha, const char *state,
			     const char *fingerprint, json_t *tables)
{
	mg_conn *c = mg_engine_conn(e);

	return json_pack(
		"{s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:I,s:s,s:b,s:s,s:s?,s:s,s:s,s:o,s:o}",
		"id", id, "time", when, "createdMs", (json_int_t)now_ms(),
		"database", mg_conn_info(c, "database"), "serverVersion",
		mg_conn_info(c, "server_version"), "pgDumpVersion", version,
		"format", "custom", "size", (json_int_t)size, "sha256", sha,
		"encrypted", o->key != NULL, "migratorVersion", MIGRATOR_VERSION,
		"schemas", o->schemas, "historyState", state, "schemaFingerprint",
		fingerprint, "tables", tables, "history", history_json(e));
}

/*
 * pg_dump into DIR/NAME.dump.partial; once it is on disk and pg_restore
 * has read it to the end, rename it to NAME.dump and write the manifest.
 * A failure (a full disk, pg_dump dying) leaves neither file behind.
 */
int mg_backup_create(mg_engine *e, const mg_backup_options *o,
		     mg_backup_info *out)
{
	const char *dir = mg_backup__dir(o->dir);
	mg_buf base = MG_BUF_INIT, dump = MG_BUF_INIT, man = MG_BUF_INIT;
	mg_buf part = MG_BUF_INIT, version = MG_BUF_INIT, state = MG_BUF_INIT;
	char id[9], when[32], sha[65], fingerprint[65];
	mg_conn *c = mg_engine_conn(e);
	json_t *tables = NULL, *m;
	long long size = 0;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = pg_dump_version(c, &version)) < 0)
		goto out;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		error = mg_error_set(MG_ERROR, "cannot create '%s': %s", dir,
				     strerror(errno));
		goto out;
	}
	make_name(&base, c, id, when);
	mg_buf_printf(&dump, "%s/%s.dump", dir, base.ptr);
	mg_buf_printf(&part, "%s.partial", dump.ptr);
	mg_buf_printf(&man, "%s/%s.manifest.json", dir, base.ptr);
	/* the state the backup is taken at: before pg_dump's snapshot, so a
	 * migration running meanwhile makes the manifest older, never newer */
	if ((error = mg_backup_history_state(e, &state)) < 0 ||
	    (error = mg_backup__stats(c, &tables, fingerprint)) < 0)
		goto out;
	if ((error = write_dump(part.ptr, c, o, sha, &size)) < 0 ||
	    (error = mg_backup__read_through(part.ptr, o->key)) < 0)
		goto out;
	if (rename(part.ptr, dump.ptr) < 0) {
		error = mg_error_set(MG_ERROR, "cannot rename '%s': %s", part.ptr,
				     strerror(errno));
		goto out;
	}
	m = manifest_json(e, o, id, when, version.ptr, size, sha, state.ptr,
			  fingerprint, tables);
	tables = NULL;
	error = write_manifest(man.ptr, m);
	json_decref(m);
	if (!error) {
		sync_dir(dir);
		error = mg_backup_find(dir, id, NULL, out);
	}
out:
	if (error && part.len) {
		unlink(part.ptr);
		if (access(man.ptr, F_OK) < 0)
			unlink(dump.ptr);
	}
	json_decref(tables);
	mg_buf_release(&base);
	mg_buf_release(&dump);
	mg_buf_release(&part);
	mg_buf_release(&man);
	mg_buf_release(&version);
	mg_buf_release(&state);
	return error;
}
