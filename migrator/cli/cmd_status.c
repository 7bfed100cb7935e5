/* cmd_status.c: status and history, as text or --output json. */
#include "cli.h"

#include <string.h>

#include <jansson.h>

#include "migrator/driver.h"
#include "migrator/plan.h"
#include "migrator/util.h"

static const char *kind_name(mg_step_kind k)
{
	switch (k) {
	case MG_STEP_RUN:
		return "pending";
	case MG_STEP_RERUN:
		return "rerun";
	case MG_STEP_RAN:
		return "ran";
	default:
		return "filtered";
	}
}

/* Every line of `text`, as strings. */
static json_t *lines(const char *text)
{
	json_t *a = json_array();

	while (text && *text) {
		size_t n = strcspn(text, "\n");

		if (n)
			json_array_append_new(a, json_stringn(text, n));
		text += n + (text[n] ? 1 : 0);
	}
	return a;
}

/* status when the stored checksums do not match */
static int status_failure(cli_ctx *ctx, const mg_plan *plan, int rc)
{
	json_t *r = cli_report_new(ctx, "status");

	json_object_set_new(r, "database", json_string(ctx->url_display));
	json_object_set_new(r, "problems", lines(plan->problems.ptr));
	return cli_report_write(ctx, r, rc);
}

int cmd_status(cli_ctx *ctx, const cli_cmd *cmd)
{
	mg_plan plan;
	bool verbose = mg_opts_flag(ctx->opts, "verbose");
	json_t *list;

	(void)cmd;
	if (mg_engine_plan(ctx->eng, ctx->cl, &plan) < 0) {
		int rc = cli_error();

		if (ctx->json)
			rc = status_failure(ctx, &plan, rc);
		mg_plan_release(&plan);
		return rc;
	}
	if (ctx->json) {
		json_t *r = cli_report_new(ctx, "status");

		list = json_array();
		for (size_t i = 0; i < plan.n; i++) {
			const mg_step *s = &plan.steps[i];

			json_array_append_new(
				list,
				json_pack("{s:s,s:s,s:s,s:s,s:s}", "filename",
					  s->cs->filename, "id", s->cs->id,
					  "author", s->cs->author, "state",
					  kind_name(s->kind), "checksum",
					  s->checksum));
		}
		json_object_set_new(r, "database", json_string(ctx->url_display));
		json_object_set_new(r, "pending", json_integer((json_int_t)plan.to_run));
		json_object_set_new(r, "changesets", list);
		cli_report_write(ctx, r, 0);
	} else {
		/* Liquibase's wording */
		if (plan.to_run == 0)
			fprintf(ctx->out, "%s is up to date\n", ctx->url_display);
		else
			fprintf(ctx->out, "%zu changeset%s not been applied to %s\n",
				plan.to_run,
				plan.to_run == 1 ? " has" : "s have",
				ctx->url_display);
		for (size_t i = 0; verbose && i < plan.n; i++) {
			const mg_step *s = &plan.steps[i];

			if (s->kind == MG_STEP_RUN || s->kind == MG_STEP_RERUN)
				fprintf(ctx->out, "     %s::%s::%s\n",
					s->cs->filename, s->cs->id, s->cs->author);
		}
	}
	mg_plan_release(&plan);
	return 0;
}

static void format_duration(char *out, size_t len, double ms)
{
	if (ms < 0)
		snprintf(out, len, "-");
	else if (ms < 1000)
		snprintf(out, len, "%.0fms", ms);
	else if (ms < 60000)
		snprintf(out, len, "%.1fs", ms / 1000);
	else
		snprintf(out, len, "%ldm%02lds", (long)(ms / 60000),
			 (long)(ms / 1000) % 60);
}

int cmd_history(cli_ctx *ctx, const cli_cmd *cmd)
{
	const mg_history *h;
	json_t *list;

	(void)cmd;
	if (mg_engine_history(ctx->eng, &h) < 0)
		return cli_error();
	/* "Took": to the next changeset of the same deployment (see
	 * mg_history_row); the last one of a deployment shows "-" */
	if (ctx->json) {
		json_t *rep = cli_report_new(ctx, "history");

		list = json_array();
		for (size_t i = 0; i < h->n; i++) {
			const mg_history_row *r = &h->rows[i];

			json_array_append_new(
				list,
				json_pack("{s:o,s:o,s:o,s:o,s:i,s:o,s:o,s:o,s:o,s:o,s:o}",
					  "deploymentId", cli_jstr(r->deployment_id),
					  "dateExecuted", cli_jstr(r->dateexecuted),
					  "filename", cli_jstr(r->filename), "id",
					  cli_jstr(r->id), "orderExecuted",
					  r->orderexecuted, "author",
					  cli_jstr(r->author), "execType",
					  cli_jstr(r->exectype), "md5sum",
					  cli_jstr(r->md5sum), "tag", cli_jstr(r->tag),
					  "description", cli_jstr(r->description),
					  "durationMs", cli_jms(r->duration_ms)));
		}
		json_object_set_new(rep, "database", json_string(ctx->url_display));
		json_object_set_new(rep, "changesets", list);
		return cli_report_write(ctx, rep, 0);
	}
	fprintf(ctx->out, "Liquibase History for %s\n\n", ctx->url_display);
	fprintf(ctx->out, "%-12s %-19s %-8s %-40s %-8s %s\n", "Deployment",
		"Executed", "Took", "Changeset", "Type", "Tag");
	for (size_t i = 0; i < h->n; i++) {
		const mg_history_row *r = &h->rows[i];
		char exec[20], took[24];

		snprintf(exec, sizeof(exec), "%s", r->dateexecuted ? r->dateexecuted : "");
		format_duration(took, sizeof(took), r->duration_ms);
		fprintf(ctx->out, "%-12s %-19s %-8s %s::%s::%s %s %s\n",
			r->deployment_id ? r->deployment_id : "", exec, took,
			r->filename, r->id, r->author,
			r->exectype ? r->exectype : "", r->tag ? r->tag : "");
	}
	fprintf(ctx->out, "\n%zu changesets\n", h->n);
	return 0;
}
