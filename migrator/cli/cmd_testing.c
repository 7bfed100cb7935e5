/* cmd_testing.c: update-testing-rollback: update, roll back what ran,
 * update again, as Liquibase does; with --per-changeset (ours) the three
 * steps run for each changeset before the next, which finds a broken
 * rollback that a later changeset's rollback would otherwise hide. */
#include "cli.h"

#include "migrator/util.h"

static int step(cli_ctx *ctx, long count, const char *what, size_t *ran)
{
	mg_update_options uo = MG_UPDATE_OPTIONS_INIT;
	mg_update_result res;

	uo.limit = count > 0 ? MG_LIMIT_COUNT : MG_LIMIT_NONE;
	uo.count = count;
	mg_engine_reload(ctx->eng);
	if (mg_engine_update(ctx->eng, ctx->cl, &uo, &res) < 0) {
		fprintf(stderr, "migrator: update-testing-rollback: %s failed\n",
			what);
		return cli_error();
	}
	*ran = res.run;
	return 0;
}

static int undo(cli_ctx *ctx, size_t n)
{
	mg_rollback_options ro = MG_ROLLBACK_OPTIONS_INIT;
	size_t rolled;

	ro.kind = MG_RB_COUNT;
	ro.count = (long)n;
	mg_engine_reload(ctx->eng);
	if (mg_engine_rollback(ctx->eng, ctx->cl, &ro, &rolled) < 0) {
		fprintf(stderr, "migrator: update-testing-rollback: rollback "
				"failed\n");
		return cli_error();
	}
	return 0;
}

int cmd_update_testing_rollback(cli_ctx *ctx, const cli_cmd *cmd)
{
	bool each = mg_opts_flag(ctx->opts, "perchangeset");
	size_t ran = 0, again = 0, total = 0;
	int rc;

	(void)cmd;
	for (;;) {
		if ((rc = step(ctx, each ? 1 : 0, "update", &ran)) != 0)
			return rc;
		if (!ran)
			break;
		if ((rc = undo(ctx, ran)) != 0 ||
		    (rc = step(ctx, each ? 1 : 0, "update after rollback",
			       &again)) != 0)
			return rc;
		total += ran;
		if (!each)
			break;
	}
	fprintf(stderr, "migrator: update-testing-rollback was successful; %zu "
			"changeset%s updated, rolled back and updated again%s\n",
		total, total == 1 ? "" : "s", each ? " one at a time" : "");
	return 0;
}
