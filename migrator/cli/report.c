/*
 * report.c: --output json. Every command that reports writes one JSON
 * object, {"schema": "migrator/<report>/v1", "command": ..., "ok": ...,
 * "exitCode": ..., ...}, described by docs/schema/<report>.json and
 * docs/output.md. A failed command's report carries an "error" object.
 */
#include "cli.h"

#include <string.h>

#include <jansson.h>

#include "migrator/error.h"
#include "migrator/util.h"

json_t *cli_jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Milliseconds, to the microsecond. */
json_t *cli_jms(double ms)
{
	return ms < 0 ? json_null()
		      : json_real((double)(long long)(ms * 1000.0 + 0.5) / 1000.0);
}

json_t *cli_report_new(cli_ctx *ctx, const char *report)
{
	char schema[96];

	snprintf(schema, sizeof(schema), "migrator/%s/v1", report);
	return json_pack("{s:s,s:s}", "schema", schema, "command",
			 ctx->cmd->name);
}

/* The last mg_error (or a usage message) as the report's "error". */
static json_t *error_object(void)
{
	const mg_error *e = mg_error_last();
	const char *usage = cli_last_usage();
	json_t *j = json_object();

	json_object_set_new(j, "message",
			    json_string(usage ? usage
					: e->message ? e->message
						     : "unknown error"));
	json_object_set_new(j, "changeset", cli_jstr(usage ? NULL : e->changeset));
	json_object_set_new(j, "statement", cli_jstr(usage ? NULL : e->statement));
	json_object_set_new(j, "sqlstate",
			    cli_jstr(!usage && e->sqlstate[0] ? e->sqlstate : NULL));
	json_object_set_new(j, "detail", cli_jstr(usage ? NULL : e->detail));
	json_object_set_new(j, "hint", cli_jstr(usage ? NULL : e->hint));
	json_object_set_new(j, "file", cli_jstr(usage ? NULL : e->file));
	json_object_set_new(j, "line",
			    !usage && e->line > 0 ? json_integer(e->line)
						  : json_null());
	json_object_set_new(j, "column",
			    !usage && e->col > 0 ? json_integer(e->col)
						 : json_null());
	return j;
}

int cli_report_write(cli_ctx *ctx, json_t *r, int rc)
{
	FILE *f = ctx->report ? ctx->report : stdout;

	json_object_set_new(r, "ok", json_boolean(rc == 0));
	json_object_set_new(r, "exitCode", json_integer(rc));
	if (rc != 0 && !json_object_get(r, "error"))
		json_object_set_new(r, "error", error_object());
	json_dumpf(r, f,
		   JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
	fputc('\n', f);
	fflush(f);
	json_decref(r);
	ctx->reported = true;
	return rc;
}

const char *cli_report_name(const cli_ctx *ctx, char *buf, size_t len)
{
	static const struct {
		int (*fn)(cli_ctx *, const cli_cmd *);
		const char *report;
	} reports[] = {
		{ cmd_update, "update" },     { cmd_rollback, "rollback" },
		{ cmd_status, "status" },     { cmd_history, "history" },
		{ cmd_validate, "validate" }, { cmd_list_locks, "list-locks" },
		{ cmd_flow, "flow" },         { cmd_restore, "restore" },
	};
	const char *sub = ctx->opts->nargs ? ctx->opts->args[0] : "create";

	if (ctx->cmd->fn == cmd_backup) {
		snprintf(buf, len, "backup-%s", sub);
		return buf;
	}
	for (size_t i = 0; i < MG_ARRAY_SIZE(reports); i++)
		if (ctx->cmd->fn == reports[i].fn)
			return reports[i].report;
	return NULL;
}

/* The command failed before it could report (connection, changelog):
 * the envelope and the error alone. */
void cli_report_failure(cli_ctx *ctx, int rc)
{
	char buf[64];
	const char *report = cli_report_name(ctx, buf, sizeof(buf));

	if (ctx->reported || !ctx->json || rc == 0 || !report)
		return;
	cli_report_write(ctx, cli_report_new(ctx, report), rc);
}
