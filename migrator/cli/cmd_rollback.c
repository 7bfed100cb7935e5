/* cmd_rollback.c: rollback, rollback-count, rollback-to-date,
 * rollback-one-changeset, rollback-one-update, their -sql previews and
 * the future-rollback scripts: one function, the variant read from the
 * command name. */
#include "cli.h"

#include <string.h>

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

int cmd_rollback(cli_ctx *ctx, const cli_cmd *cmd)
{
	mg_rollback_options ro = MG_ROLLBACK_OPTIONS_INIT;
	bool sql = mg_str_endswith(cmd->name, "-sql");
	char buf[1024];
	size_t rolled;
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
	if (mg_engine_rollback(ctx->eng, ctx->cl, &ro, &rolled) < 0)
		return cli_error();
	if (!sql)
		fprintf(stderr, "migrator: rollback was successful; %zu changeset%s "
				"rolled back\n",
			rolled, rolled == 1 ? "" : "s");
	return 0;
}
