/* cmd_update.c: update, update-count, update-to-tag, changelog-sync and
 * their -sql forms: one function, the variant read from the name. */
#include "cli.h"

#include <string.h>

#include <jansson.h>

#include "migrator/util.h"

static void print_summary(const mg_update_result *r, bool sync)
{
	fprintf(stderr,
		"\n%s SUMMARY\n"
		"Run:                          %zu\n"
		"Previously run:               %zu\n"
		"Filtered out:                 %zu\n"
		"-------------------------------\n"
		"Total change sets:            %zu\n",
		sync ? "CHANGELOG SYNC" : "UPDATE", r->run, r->previously_run,
		r->filtered, r->total);
}

static int parse_limit(cli_ctx *ctx, const char *name, mg_update_options *uo)
{
	if (strstr(name, "-count")) {
		uo->limit = MG_LIMIT_COUNT;
		uo->count = mg_opts_long(ctx->opts, "count", -1);
		if (uo->count < 0)
			return cli_error_usage("'%s' needs '--count=N' with N >= 0",
					       name);
	} else if (strstr(name, "-to-tag")) {
		uo->limit = MG_LIMIT_TAG;
		uo->tag = mg_opts_get(ctx->opts, "tag");
		if (!uo->tag)
			return cli_error_usage("'%s' needs '--tag=T'", name);
	}
	return 0;
}

static int report(cli_ctx *ctx, const mg_update_result *res, bool sql,
		  int rc)
{
	json_t *r = cli_report_new(ctx, "update");

	json_object_set_new(r, "database", cli_jstr(ctx->url_display));
	json_object_set_new(r, "changelog",
			    cli_jstr(mg_opts_get(ctx->opts, "changelogfile")));
	json_object_set_new(r, "dryRun", json_boolean(sql));
	json_object_set_new(r, "durationMs",
			    cli_jms((cli_now() - ctx->t0) * 1000.0));
	json_object_set_new(r, "totals",
			    json_pack("{s:I,s:I,s:I,s:I}", "run",
				      (json_int_t)res->run, "previouslyRun",
				      (json_int_t)res->previously_run,
				      "filtered", (json_int_t)res->filtered,
				      "total", (json_int_t)res->total));
	json_object_set_new(r, "changesets", ctx->steps);
	ctx->steps = NULL;
	return cli_report_write(ctx, r, rc);
}

int cmd_update(cli_ctx *ctx, const cli_cmd *cmd)
{
	mg_update_options uo = MG_UPDATE_OPTIONS_INIT;
	mg_update_result res = { 0 };
	bool sql = mg_str_endswith(cmd->name, "-sql");
	int rc;

	if ((rc = parse_limit(ctx, cmd->name, &uo)) != 0)
		return rc;
	if (!sql && mg_opts_get(ctx->opts, "requirebackup") &&
	    (rc = cli_require_backup(ctx, mg_opts_get(ctx->opts,
						     "requirebackup"))) != 0)
		return rc;
	uo.sync_only = mg_str_startswith(cmd->name, "changelog-sync");
	if (sql)
		uo.sql_out = ctx->out;
	uo.skip_preconditions_in_sql =
		mg_opts_flag(ctx->opts, "skippreconditionsinsql");
	if (ctx->json)
		ctx->steps = json_array();
	if (!sql)
		cli_progress_start(ctx);
	rc = mg_engine_update(ctx->eng, ctx->cl, &uo, &res);
	cli_progress_stop();
	rc = rc < 0 ? cli_error() : 0;
	if (!rc && !sql) {
		print_summary(&res, uo.sync_only);
		cli_ok("%s was successful; %zu changeset%s run",
		       uo.sync_only ? "changelog sync" : "update", res.run,
		       res.run == 1 ? "" : "s");
	}
	if (ctx->json)
		rc = report(ctx, &res, sql, rc);
	return rc;
}
