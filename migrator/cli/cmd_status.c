/* cmd_status.c: status and history, as text or --output json. */
#include "cli.h"

#include <string.h>

#include <jansson.h>

#include "migrator/util.h"

static void dump_json(FILE *f, json_t *j)
{
	json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(j);
}

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

int cmd_status(cli_ctx *ctx, const cli_cmd *cmd)
{
	mg_plan plan;
	bool verbose = mg_opts_flag(ctx->opts, "verbose");
	json_t *list;

	(void)cmd;
	if (mg_engine_plan(ctx->eng, ctx->cl, &plan) < 0) {
		mg_plan_release(&plan);
		return cli_error();
	}
	if (ctx->json) {
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
		dump_json(ctx->out,
			  json_pack("{s:s,s:I,s:o}", "database", ctx->url_display,
				    "pending", (json_int_t)plan.to_run,
				    "changesets", list));
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

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

int cmd_history(cli_ctx *ctx, const cli_cmd *cmd)
{
	const mg_history *h;
	json_t *list;

	(void)cmd;
	if (mg_engine_history(ctx->eng, &h) < 0)
		return cli_error();
	if (ctx->json) {
		list = json_array();
		for (size_t i = 0; i < h->n; i++) {
			const mg_history_row *r = &h->rows[i];

			json_array_append_new(
				list,
				json_pack("{s:o,s:o,s:o,s:o,s:i,s:o,s:o,s:o,s:o,s:o}",
					  "deploymentId", jstr(r->deployment_id),
					  "dateExecuted", jstr(r->dateexecuted),
					  "filename", jstr(r->filename), "id",
					  jstr(r->id), "orderExecuted",
					  r->orderexecuted, "author",
					  jstr(r->author), "execType",
					  jstr(r->exectype), "md5sum",
					  jstr(r->md5sum), "tag", jstr(r->tag),
					  "description", jstr(r->description)));
		}
		dump_json(ctx->out, json_pack("{s:s,s:o}", "database",
					      ctx->url_display, "changesets",
					      list));
		return 0;
	}
	fprintf(ctx->out, "Liquibase History for %s\n\n", ctx->url_display);
	fprintf(ctx->out, "%-12s %-19s %-40s %-8s %s\n", "Deployment", "Executed",
		"Changeset", "Type", "Tag");
	for (size_t i = 0; i < h->n; i++) {
		const mg_history_row *r = &h->rows[i];
		char exec[20];

		snprintf(exec, sizeof(exec), "%s", r->dateexecuted ? r->dateexecuted : "");
		fprintf(ctx->out, "%-12s %-19s %s::%s::%s %s %s\n",
			r->deployment_id ? r->deployment_id : "", exec, r->filename,
			r->id, r->author, r->exectype ? r->exectype : "",
			r->tag ? r->tag : "");
	}
	fprintf(ctx->out, "\n%zu changesets\n", h->n);
	return 0;
}
