/*
 * cmd_flow.c: `flow --flow-file F`: stages from a YAML flow file, in the
 * shape of Liquibase Pro's flow files: `globalVariables`, `stages` whose
 * `actions` are `type: migrator` (or `liquibase`) commands or `type:
 * shell` commands, and an `endStage` that always runs. The first failing
 * stage stops the flow. Each migrator action is a child process of this
 * binary; the flow's own connection settings reach it through
 * LIQUIBASE_COMMAND_* variables, never its command line.
 */
#include "cli.h"
#include "flow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "migrator/error.h"
#include "migrator/util.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int wait_child(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int run_action(const cli_flow_action *a, json_t *out)
{
	json_t *files;
	double t0 = now_s();
	pid_t pid;
	int rc;

	if (!a->argv) {
		fprintf(stderr, "migrator: flow: %s:%u: unknown action type '%s'\n",
			a->file, a->line, a->type ? a->type : "");
		return 2;
	}
	fprintf(stderr, "migrator: flow: running %s %s\n", a->type, a->command);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		mg_child_default_signals();
		if (a->secret)
			setenv("LIQUIBASE_COMMAND_PASSWORD", a->secret, 1);
		/* the flow's stdout carries its report; actions talk on stderr */
		dup2(2, 1);
		execv(a->argv[0], a->argv);
		_exit(127);
	}
	rc = pid < 0 ? 127 : wait_child(pid);
	files = json_array();
	for (size_t i = 0; i < a->nfiles; i++)
		json_array_append_new(files, json_string(a->files[i]));
	json_object_set_new(out, "type", json_string(a->type));
	json_object_set_new(out, "command", json_string(a->command));
	json_object_set_new(out, "exitCode", json_integer(rc));
	json_object_set_new(out, "seconds", json_real(now_s() - t0));
	json_object_set_new(out, "files", files);
	return rc;
}

/* Run a stage's actions; the first failure ends it. */
static int run_stage(const cli_flow_stage *st, json_t *stages)
{
	json_t *s = json_object(), *list = json_array();
	double t0 = now_s();
	int rc = 0;

	for (size_t i = 0; i < st->nactions && !rc; i++) {
		json_t *ja = json_object();

		rc = run_action(&st->actions[i], ja);
		json_array_append_new(list, ja);
	}
	json_object_set_new(s, "name", json_string(st->name));
	json_object_set_new(s, "result", json_string(rc ? "failed" : "passed"));
	json_object_set_new(s, "seconds", json_real(now_s() - t0));
	json_object_set_new(s, "actions", list);
	json_array_append_new(stages, s);
	fprintf(stderr, "migrator: flow: stage '%s' %s\n", st->name,
		rc ? "FAILED" : "passed");
	return rc;
}

/* The flow's connection settings, for its children. */
static void export_settings(cli_ctx *ctx)
{
	static const char *const keys[][2] = {
		{ "url", "LIQUIBASE_COMMAND_URL" },
		{ "username", "LIQUIBASE_COMMAND_USERNAME" },
		{ "password", "LIQUIBASE_COMMAND_PASSWORD" },
		{ "changelogfile", "LIQUIBASE_COMMAND_CHANGELOG_FILE" },
		{ "defaultschemaname", "LIQUIBASE_COMMAND_DEFAULT_SCHEMA_NAME" },
		{ "contexts", "LIQUIBASE_COMMAND_CONTEXTS" },
		{ "backupdir", "LIQUIBASE_COMMAND_BACKUP_DIR" },
	};

	for (size_t i = 0; i < MG_ARRAY_SIZE(keys); i++) {
		const char *v = mg_opts_get(ctx->opts, keys[i][0]);

		if (v)
			setenv(keys[i][1], v, 1);
	}
}

/* The running binary, which migrator actions (and fleet targets) run. */
const char *cli_self_path(char *buf, size_t size)
{
	ssize_t len = readlink("/proc/self/exe", buf, size - 1);

	if (len <= 0)
		return "migrator";
	buf[len] = '\0';
	return buf;
}

int cmd_flow(cli_ctx *ctx, const cli_cmd *cmd)
{
	const char *file = mg_opts_get(ctx->opts, "flowfile");
	char *text = NULL, self[4096];
	size_t len;
	cli_flow f;
	json_t *jstages = json_array();
	int rc = 0, end_rc;

	(void)cmd;
	if (!file)
		return cli_error_usage("'flow' needs '--flow-file=F'");
	/* the environment is read for ${NAME}: settings first */
	export_settings(ctx);
	if (mg_read_file(&text, &len, file) < 0 ||
	    cli_flow_read(&f, file, text, len, cli_self_path(self, sizeof(self))) < 0) {
		free(text);
		json_decref(jstages);
		return cli_error();
	}
	for (size_t i = 0; i < f.nstages; i++) {
		if (rc) {
			json_array_append_new(jstages,
					      json_pack("{s:s,s:s}", "name",
							f.stages[i].name,
							"result", "skipped"));
			continue;
		}
		rc = run_stage(&f.stages[i], jstages);
	}
	if (f.end) {
		end_rc = run_stage(f.end, jstages);
		if (!rc)
			rc = end_rc;
	}
	fprintf(stderr, "migrator: flow %s\n", rc ? "FAILED" : "passed");
	free(text);
	cli_flow_release(&f);
	rc = rc ? (rc > 4 ? 1 : rc) : 0;
	if (ctx->json) {
		json_t *r = cli_report_new(ctx, "flow");

		json_object_set_new(r, "flowFile", json_string(file));
		json_object_set_new(r, "result",
				    json_string(rc ? "failed" : "passed"));
		json_object_set_new(r, "stages", jstages);
		if (rc)
			json_object_set_new(r, "error",
					    json_pack("{s:s}", "message",
						      "a stage failed"));
		return cli_report_write(ctx, r, rc);
	}
	json_decref(jstages);
	return rc;
}
