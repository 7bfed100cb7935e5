/* cmd_reset.c: drop-all and reset (drop-all, then update), for local
 * development databases only unless explicitly allowed. */
#include "cli.h"

#include <string.h>

#include "migrator/error.h"
#include "migrator/util.h"

/* A unix socket or a loopback address. */
static bool is_local(const char *host)
{
	if (!host || !*host || host[0] == '/')
		return true;
	return !strcmp(host, "localhost") || !strncmp(host, "127.", 4) ||
	       !strcmp(host, "::1") || !strcmp(host, "[::1]");
}

static bool listed(const char *list, const char *name)
{
	const char *p = list, *item;
	size_t len;

	while (mg_list_next(&p, &item, &len))
		if (len == strlen(name) && !strncmp(item, name, len))
			return true;
	return false;
}

static int guard(cli_ctx *ctx, const char *cmd)
{
	const char *host = mg_conn_info_host(ctx);
	const char *db = mg_conn_info_db(ctx);
	const char *allowed = mg_opts_get(ctx->opts, "allowreseton");

	if (is_local(host))
		return 0;
	if (mg_opts_flag(ctx->opts, "force") && allowed && listed(allowed, db))
		return 0;
	mg_error_set(MG_EINVALID, "'%s' refuses database '%s' on '%s': it is not "
				  "local",
		     cmd, db, host);
	mg_error_set_hint("for a shared development database, add '--force' and "
			  "list it in '--allow-reset-on=%s' (or allowResetOn in "
			  "liquibase.properties)",
			  db);
	return cli_error();
}

int cmd_drop_all(cli_ctx *ctx, const cli_cmd *cmd)
{
	int rc;

	if ((rc = guard(ctx, cmd->name)) != 0)
		return rc;
	if (mg_engine_lock(ctx->eng) < 0)
		return cli_error();
	if (mg_engine_drop_all(ctx->eng, mg_opts_get(ctx->opts, "schemas")) < 0)
		return cli_error();
	fprintf(stderr, "migrator: dropped every object of %s\n",
		mg_opts_get(ctx->opts, "schemas") ? mg_opts_get(ctx->opts, "schemas")
						  : mg_engine_schema(ctx->eng));
	return 0;
}

int cmd_reset(cli_ctx *ctx, const cli_cmd *cmd)
{
	mg_update_options uo = MG_UPDATE_OPTIONS_INIT;
	mg_update_result res;
	int rc;

	if ((rc = cmd_drop_all(ctx, cmd)) != 0)
		return rc;
	if (mg_engine_update(ctx->eng, ctx->cl, &uo, &res) < 0)
		return cli_error();
	fprintf(stderr, "migrator: reset %s: dropped everything, then ran %zu "
			"changeset%s (%zu filtered out by contexts/labels)\n",
		ctx->url_display, res.run, res.run == 1 ? "" : "s", res.filtered);
	return 0;
}
