/* cmd_misc.c: validate, tag, tag-exists, calculate-checksum,
 * clear-checksums, release-locks, list-locks. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "migrator/checksum.h"
#include "migrator/driver.h"
#include "migrator/error.h"
#include "migrator/plan.h"
#include "migrator/util.h"

/* One problem of validate's report. */
static json_t *problem(const char *kind, const char *message,
		       const mg_changeset *cs, const char *file, int line,
		       int col)
{
	json_t *p = json_pack("{s:s,s:s}", "kind", kind, "message", message);

	json_object_set_new(p, "changeset",
			    cs ? json_sprintf("%s::%s::%s", cs->filename, cs->id,
					      cs->author)
			       : json_null());
	json_object_set_new(p, "file", cli_jstr(file));
	json_object_set_new(p, "line", line > 0 ? json_integer(line) : json_null());
	json_object_set_new(p, "column", col > 0 ? json_integer(col) : json_null());
	return p;
}

/* validate --require-rollback: every changeset must be undoable. The
 * problems go to stderr and to `problems`. */
static size_t require_rollback(cli_ctx *ctx, json_t *problems)
{
	size_t missing = 0;

	for (size_t i = 0; i < ctx->cl->nsets; i++) {
		const mg_changeset *cs = ctx->cl->sets[i];
		const mg_change *c = NULL;
		char msg[256];

		if (mg_changeset_can_roll_back(cs, &c))
			continue;
		if (!missing++)
			fputs("migrator: error: changesets that cannot be rolled back "
			      "(no <rollback> and no automatic inverse):\n",
			      stderr);
		fprintf(stderr, "  %s:%u:%u: %s::%s::%s: change '%s' (line %u)\n",
			cs->node->file, cs->line, cs->col, cs->filename, cs->id,
			cs->author, c->type->name, c->node->line);
		snprintf(msg, sizeof(msg), "change '%s' (line %u) has no rollback",
			 c->type->name, c->node->line);
		json_array_append_new(problems,
				      problem("no-rollback", msg, cs, cs->node->file,
					      (int)cs->line, (int)cs->col));
	}
	if (missing)
		fprintf(stderr, "hint: give each a <rollback> (an empty one if "
				"nothing needs undoing)\n");
	return missing;
}

/* The plan's checksum failures, one a line. */
static void checksum_problems(json_t *problems, const char *text)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");
		char *line = mg_xstrndup(text, n);

		if (n)
			json_array_append_new(problems,
					      problem("checksum", line, NULL, NULL,
						      0, 0));
		free(line);
		text += n + (text[n] ? 1 : 0);
	}
}

static int validate_report(cli_ctx *ctx, json_t *problems, int rc)
{
	json_t *r = cli_report_new(ctx, "validate");

	json_object_set_new(r, "valid", json_boolean(rc == 0));
	json_object_set_new(r, "changesets", json_integer((json_int_t)ctx->cl->nsets));
	json_object_set_new(r, "checkedDatabase", json_boolean(ctx->eng != NULL));
	json_object_set_new(r, "problems", problems);
	return cli_report_write(ctx, r, rc);
}

int cmd_validate(cli_ctx *ctx, const cli_cmd *cmd)
{
	json_t *problems = json_array();
	mg_plan plan;
	size_t n;
	int rc = 0;

	(void)cmd;
	memset(&plan, 0, sizeof(plan));
	if (mg_opts_flag(ctx->opts, "requirerollback") &&
	    (n = require_rollback(ctx, problems)) > 0) {
		/* for the report; stderr has the list already */
		mg_error_set(MG_EINVALID, "%zu changeset%s cannot be rolled back",
			     n, n == 1 ? "" : "s");
		rc = CLI_EXIT_INVALID;
	}
	else if (ctx->eng && mg_engine_plan(ctx->eng, ctx->cl, &plan) < 0) {
		checksum_problems(problems, plan.problems.ptr);
		rc = cli_error();
	} else if (!ctx->json) {
		fprintf(ctx->out, "No validation errors found (%zu changesets).\n",
			ctx->cl->nsets);
	}
	mg_plan_release(&plan);
	if (ctx->json)
		return validate_report(ctx, problems, rc);
	json_decref(problems);
	return rc;
}

static const char *need_tag(cli_ctx *ctx)
{
	const char *tag = mg_opts_get(ctx->opts, "tag");

	if (!tag && ctx->opts->nargs)
		tag = ctx->opts->args[0];
	return tag;
}

int cmd_tag(cli_ctx *ctx, const cli_cmd *cmd)
{
	const char *tag = need_tag(ctx);

	if (!tag)
		return cli_error_usage("'%s' needs '--tag=T'", cmd->name);
	if (mg_engine_tag(ctx->eng, tag) < 0)
		return cli_error();
	fprintf(ctx->out, "Successfully tagged '%s'\n", tag);
	return 0;
}

int cmd_tag_exists(cli_ctx *ctx, const cli_cmd *cmd)
{
	const char *tag = need_tag(ctx);
	bool exists;

	if (!tag)
		return cli_error_usage("'%s' needs '--tag=T'", cmd->name);
	if (mg_engine_tag_exists(ctx->eng, tag, &exists) < 0)
		return cli_error();
	fprintf(ctx->out, "The tag '%s' %s in %s\n", tag,
		exists ? "already exists" : "does NOT exist", ctx->url_display);
	return exists ? 0 : 1;
}

int cmd_calculate_checksum(cli_ctx *ctx, const cli_cmd *cmd)
{
	const char *ident = mg_opts_get(ctx->opts, "changesetidentifier");
	long version = mg_opts_long(ctx->opts, "checksumversion", 9);
	mg_buf want = MG_BUF_INIT, ck = MG_BUF_INIT;
	int rc = 1;

	(void)cmd;
	if (!ident)
		return cli_error_usage("missing '--changeset-identifier=PATH::ID::AUTHOR'");
	if (version != 8 && version != 9)
		return cli_error_usage("'--checksum-version' must be 8 or 9");
	for (size_t i = 0; i < ctx->cl->nsets; i++) {
		mg_changeset *cs = ctx->cl->sets[i];

		mg_buf_reset(&want);
		mg_buf_printf(&want, "%s::%s::%s", cs->filename, cs->id, cs->author);
		if (strcmp(want.ptr, ident))
			continue;
		mg_checksum_changeset(&ck, cs, (int)version);
		fprintf(ctx->out, "%s\n", ck.ptr);
		rc = 0;
		break;
	}
	if (rc) {
		mg_error_set(MG_ENOTFOUND, "changeset '%s' is not in the changelog",
			     ident);
		rc = cli_error();
	}
	mg_buf_release(&want);
	mg_buf_release(&ck);
	return rc;
}

int cmd_clear_checksums(cli_ctx *ctx, const cli_cmd *cmd)
{
	(void)cmd;
	if (mg_engine_clear_checksums(ctx->eng) < 0)
		return cli_error();
	fprintf(ctx->out, "Successfully cleared the checksums of %s\n",
		ctx->url_display);
	return 0;
}

int cmd_release_locks(cli_ctx *ctx, const cli_cmd *cmd)
{
	(void)cmd;
	if (mg_engine_release_locks(ctx->eng) < 0)
		return cli_error();
	fprintf(ctx->out, "Successfully released all database change log locks "
			  "for %s\n",
		ctx->url_display);
	return 0;
}

int cmd_list_locks(cli_ctx *ctx, const cli_cmd *cmd)
{
	mg_rows *r = NULL;

	(void)cmd;
	if (mg_engine_list_locks(ctx->eng, &r) < 0)
		return cli_error();
	if (ctx->json) {
		json_t *list = json_array(), *j;

		for (size_t i = 0; i < r->nrows; i++) {
			const char *pid = mg_rows_get(r, i, "pid");

			json_array_append_new(
				list,
				json_pack("{s:s,s:s?,s:s?,s:s?}", "kind",
					  mg_rows_get(r, i, "kind"), "holder",
					  mg_rows_get(r, i, "holder"), "since",
					  mg_rows_get(r, i, "since"), "pid", pid));
		}
		j = cli_report_new(ctx, "list-locks");
		json_object_set_new(j, "database", json_string(ctx->url_display));
		json_object_set_new(j, "locks", list);
		cli_report_write(ctx, j, 0);
	} else if (!r->nrows) {
		fprintf(ctx->out, "No locks held on %s\n", ctx->url_display);
	} else {
		for (size_t i = 0; i < r->nrows; i++)
			fprintf(ctx->out, "%-10s %s since %s\n",
				mg_rows_get(r, i, "kind"),
				mg_rows_get(r, i, "holder") ? mg_rows_get(r, i, "holder")
							    : "?",
				mg_rows_get(r, i, "since") ? mg_rows_get(r, i, "since")
							   : "?");
	}
	mg_rows_free(r);
	return 0;
}
