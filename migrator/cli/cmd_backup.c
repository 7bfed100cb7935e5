/* cmd_backup.c: backup [list|verify ID|drill ID|prune], restore, and the
 * --require-backup check of update. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "migrator/backup.h"
#include "migrator/error.h"
#include "migrator/util.h"

/* --key-file F, or the MIGRATOR_BACKUP_KEY environment variable. */
static int load_key(cli_ctx *ctx, char **key)
{
	const char *file = mg_opts_get(ctx->opts, "keyfile");
	const char *env = getenv("MIGRATOR_BACKUP_KEY");
	char *text = NULL;

	*key = NULL;
	if (file) {
		mg_buf b = MG_BUF_INIT;

		if (mg_read_file(&text, NULL, file) < 0)
			return cli_error();
		mg_buf_puts(&b, text);
		mg_buf_trim(&b);
		free(text);
		*key = mg_buf_detach(&b);
	} else if (env && *env) {
		*key = mg_xstrdup(env);
	}
	if (!*key && mg_opts_flag(ctx->opts, "encrypt"))
		return cli_error_usage("'--encrypt' needs '--key-file=F' or "
				       "MIGRATOR_BACKUP_KEY");
	return 0;
}

static void options(cli_ctx *ctx, mg_backup_options *o, char *key)
{
	memset(o, 0, sizeof(*o));
	o->dir = mg_opts_get(ctx->opts, "backupdir");
	o->schemas = mg_opts_get(ctx->opts, "schemas");
	o->key = key;
}

/* "90" seconds, "30m", "12h", "7d". */
static long parse_age(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	switch (*end) {
	case 'd':
		return v * 86400;
	case 'h':
		return v * 3600;
	case 'm':
		return v * 60;
	case 's':
	case '\0':
		return v;
	default:
		return -1;
	}
}

static json_t *backup_json(const mg_backup_info *b)
{
	return json_pack("{s:s,s:o,s:o,s:I,s:b,s:o,s:s}", "id", b->id, "time",
			 cli_jstr(b->time), "database", cli_jstr(b->database),
			 "size", (json_int_t)b->size, "encrypted", b->encrypted,
			 "sha256", cli_jstr(b->sha256), "path", b->path);
}

/* A backup report: {"backup": {...}} and `extra` merged in. */
static int backup_report(cli_ctx *ctx, const char *report,
			 const mg_backup_info *b, json_t *extra, int rc)
{
	json_t *r = cli_report_new(ctx, report);

	json_object_set_new(r, "backup", b ? backup_json(b) : json_null());
	if (extra)
		json_object_update(r, extra);
	json_decref(extra);
	return cli_report_write(ctx, r, rc);
}

static int do_create(cli_ctx *ctx, const mg_backup_options *o)
{
	mg_backup_info b;
	bool encrypt = mg_opts_flag(ctx->opts, "encrypt");
	mg_backup_options co = *o;

	if (!encrypt)
		co.key = NULL;
	fprintf(stderr, "migrator: backing up %s\n", ctx->url_display);
	/* verified there: pg_restore read it to the end before its manifest
	 * was written */
	if (mg_backup_create(ctx->eng, &co, &b) < 0) {
		int rc = cli_error();

		return ctx->json ? backup_report(ctx, "backup-create", NULL, NULL, rc)
				 : rc;
	}
	if (ctx->json)
		backup_report(ctx, "backup-create", &b,
			      json_pack("{s:b}", "verified", 1), 0);
	else
		fprintf(ctx->out, "%s\n", b.id);
	cli_ok("backup %s verified: %s (%lld bytes%s)", b.id, b.path, b.size,
	       b.encrypted ? ", encrypted" : "");
	mg_backup_info_release(&b);
	return 0;
}

static int do_list(cli_ctx *ctx, const mg_backup_options *o)
{
	mg_backup_info *list;
	size_t n;
	json_t *arr;

	if (mg_backup_list(o->dir, &list, &n) < 0)
		return cli_error();
	if (ctx->json) {
		json_t *r = cli_report_new(ctx, "backup-list");

		arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, backup_json(&list[i]));
		json_object_set_new(r, "backupDir",
				    json_string(o->dir ? o->dir : "backups"));
		json_object_set_new(r, "backups", arr);
		cli_report_write(ctx, r, 0);
	} else {
		for (size_t i = 0; i < n; i++)
			fprintf(ctx->out, "%s  %s  %-20s %12lld bytes%s  %s\n",
				list[i].id, list[i].time, list[i].database,
				list[i].size, list[i].encrypted ? "  encrypted" : "",
				list[i].path);
		if (!n)
			fprintf(ctx->out, "no backups in '%s'\n",
				o->dir ? o->dir : "backups");
	}
	mg_backup_list_free(list, n);
	return 0;
}

static int with_backup(cli_ctx *ctx, const mg_backup_options *o,
		       const char *id, int (*fn)(cli_ctx *, const mg_backup_options *,
						 const mg_backup_info *))
{
	mg_backup_info b;
	int rc;

	if (!id)
		return cli_error_usage("missing backup id (or 'latest')");
	if (mg_backup_find(o->dir, id, ctx->eng ? mg_conn_info_db(ctx) : NULL,
			   &b) < 0)
		return cli_error(); /* run() writes the failure report */
	rc = fn(ctx, o, &b);
	mg_backup_info_release(&b);
	return rc;
}

static int verify_one(cli_ctx *ctx, const mg_backup_options *o,
		      const mg_backup_info *b)
{
	int rc = mg_backup_verify(o, b) < 0 ? cli_error() : 0;

	if (ctx->json)
		return backup_report(ctx, "backup-verify", b,
				     json_pack("{s:b}", "intact", rc == 0), rc);
	if (!rc)
		fprintf(ctx->out, "backup %s is intact: SHA-256 matches, "
				  "pg_restore reads it\n",
			b->id);
	return rc;
}

static int drill_one(cli_ctx *ctx, const mg_backup_options *o,
		     const mg_backup_info *b)
{
	mg_buf report = MG_BUF_INIT;
	int rc = 0;

	fprintf(stderr, "migrator: restoring backup %s into a scratch database\n",
		b->id);
	if (mg_backup_drill(ctx->eng, o, b, &report) < 0) {
		fputs(report.ptr, stderr);
		rc = cli_error();
	} else if (!ctx->json) {
		fprintf(ctx->out, "backup %s passed its drill: %s", b->id,
			report.ptr);
	}
	if (ctx->json)
		rc = backup_report(ctx, "backup-drill", b,
				   json_pack("{s:b,s:s}", "passed", rc == 0,
					     "report", report.ptr),
				   rc);
	mg_buf_release(&report);
	return rc;
}

static int restore_one(cli_ctx *ctx, const mg_backup_options *o,
		       const mg_backup_info *b)
{
	fprintf(stderr, "migrator: restoring backup %s (%s) into %s\n", b->id,
		b->time, ctx->url_display);
	int rc = mg_backup_restore(ctx->eng, o, b) < 0 ? cli_error() : 0;

	if (ctx->json)
		return backup_report(ctx, "restore", b,
				     json_pack("{s:o}", "database",
					       cli_jstr(ctx->url_display)),
				     rc);
	if (!rc)
		fprintf(ctx->out, "restored backup %s; DATABASECHANGELOG is as it "
				  "was at %s\n",
			b->id, b->time);
	return rc;
}

int cmd_backup(cli_ctx *ctx, const cli_cmd *cmd)
{
	const char *sub = ctx->opts->nargs ? ctx->opts->args[0] : NULL;
	const char *arg = ctx->opts->nargs > 1 ? ctx->opts->args[1] : NULL;
	mg_backup_options o;
	char *key = NULL;
	int rc;

	(void)cmd;
	if ((rc = load_key(ctx, &key)) != 0)
		return rc;
	options(ctx, &o, key);
	if (!sub)
		rc = do_create(ctx, &o);
	else if (!strcmp(sub, "list"))
		rc = do_list(ctx, &o);
	else if (!strcmp(sub, "verify"))
		rc = with_backup(ctx, &o, arg, verify_one);
	else if (!strcmp(sub, "drill"))
		rc = with_backup(ctx, &o, arg, drill_one);
	else if (!strcmp(sub, "prune")) {
		const char *age = mg_opts_get(ctx->opts, "maxage");
		long keep = mg_opts_long(ctx->opts, "keep", -1);
		long max_age = age ? parse_age(age) : -1;
		size_t removed;

		if (keep < 0 && !age)
			rc = cli_error_usage("'backup prune' needs '--keep=N' and/or "
					     "'--max-age=7d'");
		else if (age && max_age < 0)
			rc = cli_error_usage("'--max-age' takes 90, 30m, 12h or 7d");
		else if (mg_backup_prune(o.dir, keep, max_age, &removed) < 0)
			rc = cli_error();
		else if (ctx->json)
			rc = backup_report(ctx, "backup-prune", NULL,
					   json_pack("{s:I}", "removed",
						     (json_int_t)removed),
					   0);
		else
			fprintf(ctx->out, "removed %zu backup%s\n", removed,
				removed == 1 ? "" : "s");
	} else
		rc = cli_error_usage("unknown 'backup' subcommand '%s'", sub);
	free(key);
	return rc;
}

int cmd_restore(cli_ctx *ctx, const cli_cmd *cmd)
{
	const char *id = mg_opts_get(ctx->opts, "backupid");
	mg_backup_options o;
	char *key = NULL;
	int rc;

	(void)cmd;
	if (!mg_opts_flag(ctx->opts, "force"))
		return cli_error_usage("'restore' replaces the database's contents; "
				       "add '--force'");
	if ((rc = load_key(ctx, &key)) != 0)
		return rc;
	options(ctx, &o, key);
	rc = with_backup(ctx, &o, id, restore_one);
	free(key);
	return rc;
}

/* update --require-backup=MAX_AGE */
int cli_require_backup(cli_ctx *ctx, const char *max_age)
{
	mg_backup_options o;
	mg_backup_info b;
	mg_buf state = MG_BUF_INIT;
	long limit = parse_age(max_age), age;
	struct tm tm = { 0 };
	char *key = NULL;
	int rc = 0;

	if (limit <= 0)
		return cli_error_usage("'--require-backup' takes 90, 30m, 12h or 7d");
	if ((rc = load_key(ctx, &key)) != 0)
		return rc;
	options(ctx, &o, key);
	if (mg_backup_find(o.dir, "latest", mg_conn_info_db(ctx), &b) < 0) {
		mg_error_set_hint("run 'migrator backup' first");
		rc = cli_error();
		goto out;
	}
	sscanf(b.time, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon,
	       &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	age = (long)(time(NULL) - timegm(&tm));
	if (mg_backup_history_state(ctx->eng, &state) < 0) {
		rc = cli_error();
	} else if (age > limit) {
		mg_error_set(MG_ERROR, "the newest backup (%s) is %lds old, more "
				       "than --require-backup=%s",
			     b.id, age, max_age);
		mg_error_set_hint("run 'migrator backup' first");
		rc = cli_error();
	} else if (!mg_streq(state.ptr, b.history_state)) {
		mg_error_set(MG_ERROR, "the newest backup (%s) was taken before "
				       "changesets that have run since",
			     b.id);
		mg_error_set_hint("run 'migrator backup' first");
		rc = cli_error();
	} else if (mg_backup_verify(&o, &b) < 0) {
		rc = cli_error();
	} else {
		fprintf(stderr, "migrator: backup %s (%lds old) covers this "
				"update\n",
			b.id, age);
	}
	mg_backup_info_release(&b);
out:
	mg_buf_release(&state);
	free(key);
	return rc;
}
