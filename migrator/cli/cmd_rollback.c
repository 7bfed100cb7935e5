/* cmd_rollback.c: rollback, rollback-count, rollback-to-date,
 * rollback-one-changeset, rollback-one-update, their -sql previews and
 * the future-rollback scripts: one function, the variant read from the
 * command name. */
#include "cli.h"

#include <string.h>

#include <jansson.h>

#include "migrator/util.h"

static const char *changeset_arg(cli_ctx *ctx, char *buf, size_t len)
{
	const char *ident = mg_opts_get(ctx->opts, "changesetidentifier");
	const char *id = mg_opts_get(ctx->opts, "changesetid");
	const char *author = mg_opts_get(ctx->opts, "changesetauthor");
	const char *path = mg_opts_get(ctx->opts, "changesetpath");

	if (ident)
		return ident;
	if (!id || !author || !path)
		return NULL;
	snprintf(buf, len, "%s::%s::%s", path, id, author);
	return buf;
}

static int parse_target(cli_ctx *ctx, const char *name,
			mg_rollback_options *ro, char *buf, size_t len)
{
	if (strstr(name, "-count")) {
		ro->kind = MG_RB_COUNT;
		ro->count = mg_opts_long(ctx->opts, "count", -1);
		if (ro->count < 0)
			return cli_error_usage("'%s' needs '--count=N'", name);
	} else if (strstr(name, "-to-date")) {
		ro->kind = MG_RB_DATE;
		ro->date = mg_opts_get(ctx->opts, "date");
		if (!ro->date && ctx->opts->nargs)
			ro->date = ctx->opts->args[0];
		if (!ro->date)
			return cli_error_usage("'%s' needs '--date=YYYY-MM-DD[THH:MM:SS]'",
					       name);
	} else if (strstr(name, "-one-changeset")) {
		ro->kind = MG_RB_CHANGESET;
		ro->changeset = changeset_arg(ctx, buf, len);
		if (!ro->changeset)
			return cli_error_usage("'%s' needs '--changeset-id', "
					       "'--changeset-author' and "
					       "'--changeset-path'",
					       name);
	} else if (strstr(name, "-one-update")) {
		ro->kind = MG_RB_DEPLOYMENT;
		ro->deployment_id = mg_opts_get(ctx->opts, "deploymentid");
		if (!ro->deployment_id)
			return cli_error_usage("'%s' needs '--deployment-id'", name);
	} else if (!strcmp(name, "future-rollback-sql")) {
		ro->kind = MG_RB_TAG; /* no tag: every pending changeset */
	} else {
		ro->kind = MG_RB_TAG;
		ro->tag = mg_opts_get(ctx->opts, "tag");
		if (!ro->tag && ctx->opts->nargs)
			ro->tag = ctx->opts->args[0];
		if (!ro->tag)
			return cli_error_usage("'%s' needs '--tag=T'", name);
	}
	return 0;
}

static int report(cli_ctx *ctx, bool sql, size_t rolled, int rc)
{
	json_t *r = cli_report_new(ctx, "rollback");

	json_object_set_new(r, "database", cli_jstr(ctx->url_display));
	json_object_set_new(r, "dryRun", json_boolean(sql));
	json_object_set_new(r, "durationMs",
			    cli_jms((cli_now() - ctx->t0) * 1000.0));
	json_object_set_new(r, "rolledBack", json_integer((json_int_t)rolled));
	json_object_set_new(r, "changesets", ctx->steps);
	ctx->steps = NULL;
	return cli_report_write(ctx, r, rc);
}

int cmd_rollback(cli_ctx *ctx, const cli_cmd *cmd)
{
	mg_rollback_options ro = MG_ROLLBACK_OPTIONS_INIT;
	bool sql = mg_str_endswith(cmd->name, "-sql");
	char buf[1024];
	size_t rolled = 0;
	int rc;

	if ((rc = parse_target(ctx, cmd->name, &ro, buf, sizeof(buf))) != 0)
		return rc;
	ro.future = mg_str_startswith(cmd->name, "future-");
	if (ro.future && ro.kind == MG_RB_TAG && !ro.tag)
		ro.tag = NULL;
	if (sql)
		ro.sql_out = ctx->out;
	if (!sql && (ro.kind == MG_RB_CHANGESET || ro.kind == MG_RB_DEPLOYMENT) &&
	    !mg_opts_flag(ctx->opts, "force"))
		return cli_error_usage("'%s' changes the database out of order; "
				       "check '%s-sql' first, then add '--force'",
				       cmd->name, cmd->name);
	if (ctx->json)
		ctx->steps = json_array();
	if (!sql)
		cli_progress_start(ctx);
	rc = mg_engine_rollback(ctx->eng, ctx->cl, &ro, &rolled);
	cli_progress_stop();
	rc = rc < 0 ? cli_error() : 0;
	if (!rc && !sql)
		cli_ok("rollback was successful; %zu changeset%s rolled back",
		       rolled, rolled == 1 ? "" : "s");
	if (ctx->json)
		rc = report(ctx, sql, rolled, rc);
	return rc;
}
