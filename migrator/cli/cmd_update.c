/* cmd_update.c: update, update-count, update-to-tag, changelog-sync and
 * their -sql forms: one function, the variant read from the name. */
#include "cli.h"

#include <string.h>

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

int cmd_update(cli_ctx *ctx, const cli_cmd *cmd)
{
	mg_update_options uo = MG_UPDATE_OPTIONS_INIT;
	mg_update_result res;
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
	if (mg_engine_update(ctx->eng, ctx->cl, &uo, &res) < 0)
		return cli_error();
	if (!sql) {
		print_summary(&res, uo.sync_only);
		fprintf(stderr, "migrator: %s was successful; %zu changeset%s run\n",
			uo.sync_only ? "changelog sync" : "update", res.run,
			res.run == 1 ? "" : "s");
	}
	return 0;
}
