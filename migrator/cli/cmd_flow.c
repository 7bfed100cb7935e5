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

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "migrator/error.h"
#include "migrator/node.h"
#include "migrator/util.h"

typedef struct flow {
	mg_node *vars;
	json_t *report;
	bool quiet;
} flow;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ${NAME}: flow variables, then the environment. */
static char *substitute(const flow *f, const char *s)
{
	mg_buf b = MG_BUF_INIT;

	while (s && *s) {
		const char *open = strstr(s, "${"), *close;
		char name[256];
		const char *v;

		if (!open || !(close = strchr(open, '}'))) {
			mg_buf_puts(&b, s);
			break;
		}
		mg_buf_put(&b, s, (size_t)(open - s));
		snprintf(name, sizeof(name), "%.*s", (int)(close - open - 2), open + 2);
		v = mg_node_get(f->vars, name);
		if (!v)
			v = getenv(name);
		if (v)
			mg_buf_puts(&b, v);
		else
			mg_buf_put(&b, open, (size_t)(close + 1 - open));
		s = close + 1;
	}
	return mg_buf_detach(&b);
}

static int wait_child(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* argv for a migrator action: command, then --name=value arguments; a
 * password argument goes to the child's environment instead (`*secret`),
 * where `ps` does not show it. */
static void migrator_argv(const flow *f, const mg_node *a, char **argv,
			  size_t max, json_t *files, char **secret)
{
	const char *groups[] = { "globalArgs", "cmdArgs" };
	size_t n = 0;
	static char self[4096];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	self[len > 0 ? len : 0] = '\0';
	argv[n++] = mg_xstrdup(len > 0 ? self : "migrator");
	argv[n++] = substitute(f, mg_node_get(a, "command"));
	for (size_t g = 0; g < 2; g++)
		for (mg_node *k = mg_node_child(a, groups[g]) ?
				  mg_node_child(a, groups[g])->first : NULL;
		     k && n + 2 < max; k = k->next) {
			char *v = substitute(f, k->value ? k->value : "true");
			mg_buf arg = MG_BUF_INIT;

			if (mg_strieq(k->name, "password")) {
				free(*secret);
				*secret = v;
				continue;
			}
			mg_buf_printf(&arg, "--%s=%s", k->name, v);
			if (strstr(k->name, "output-file") || strstr(k->name, "outputFile"))
				json_array_append_new(files, json_string(v));
			free(v);
			argv[n++] = mg_buf_detach(&arg);
		}
	argv[n] = NULL;
}

static int run_action(const flow *f, const mg_node *a, json_t *out)
{
	const char *type = mg_node_get(a, "type");
	/* as written: substituted, it could hold a password */
	const char *shown = mg_node_get(a, "command");
	char *argv[64] = { 0 }, *secret = NULL;
	json_t *files = json_array();
	double t0 = now_s();
	pid_t pid;
	int rc;

	if (type && (!strcmp(type, "migrator") || !strcmp(type, "liquibase"))) {
		migrator_argv(f, a, argv, MG_ARRAY_SIZE(argv), files, &secret);
	} else if (type && !strcmp(type, "shell")) {
		argv[0] = mg_xstrdup("/bin/sh");
		argv[1] = mg_xstrdup("-c");
		argv[2] = substitute(f, mg_node_get(a, "command"));
	} else {
		fprintf(stderr, "migrator: flow: %s:%u: unknown action type '%s'\n",
			a->file, a->line, type ? type : "");
		json_decref(files);
		return 2;
	}
	if (!f->quiet)
		fprintf(stderr, "migrator: flow: running %s %s\n", type,
			shown ? shown : "");
	fflush(NULL);
	if ((pid = fork()) == 0) {
		mg_child_default_signals();
		if (secret)
			setenv("LIQUIBASE_COMMAND_PASSWORD", secret, 1);
		/* the flow's stdout carries its report; actions talk on stderr */
		dup2(2, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	rc = pid < 0 ? 127 : wait_child(pid);
	json_object_set_new(out, "type", json_string(type));
	json_object_set_new(out, "command", json_string(shown ? shown : ""));
	json_object_set_new(out, "exitCode", json_integer(rc));
	json_object_set_new(out, "seconds", json_real(now_s() - t0));
	json_object_set_new(out, "files", files);
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(secret);
	return rc;
}

/* Run a stage's actions; the first failure ends it. */
static int run_stage(const flow *f, const char *name, const mg_node *stage,
		     json_t *stages)
{
	mg_node *actions = mg_node_child(stage, "actions");
	json_t *s = json_object(), *list = json_array();
	double t0 = now_s();
	int rc = 0;

	for (mg_node *a = actions ? actions->first : NULL; a && !rc; a = a->next) {
		json_t *ja = json_object();

		rc = run_action(f, a, ja);
		json_array_append_new(list, ja);
	}
	json_object_set_new(s, "name", json_string(name));
	json_object_set_new(s, "result", json_string(rc ? "failed" : "passed"));
	json_object_set_new(s, "seconds", json_real(now_s() - t0));
	json_object_set_new(s, "actions", list);
	json_array_append_new(stages, s);
	fprintf(stderr, "migrator: flow: stage '%s' %s\n", name,
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

int cmd_flow(cli_ctx *ctx, const cli_cmd *cmd)
{
	const char *file = mg_opts_get(ctx->opts, "flowfile");
	mg_arena a = MG_ARENA_INIT;
	mg_node *doc = NULL, *stages;
	char *text = NULL;
	size_t len;
	flow f = { 0 };
	json_t *jstages = json_array();
	int rc = 0, end_rc;

	(void)cmd;
	if (!file)
		return cli_error_usage("'flow' needs '--flow-file=F'");
	if (mg_read_file(&text, &len, file) < 0 ||
	    mg_parse_yaml_document(&doc, &a, file, text, len) < 0) {
		free(text);
		mg_arena_release(&a);
		json_decref(jstages);
		return cli_error();
	}
	export_settings(ctx);
	f.vars = mg_node_child(doc, "globalVariables");
	stages = mg_node_child(doc, "stages");
	for (mg_node *s = stages ? stages->first : NULL; s; s = s->next) {
		if (rc) {
			json_array_append_new(jstages,
					      json_pack("{s:s,s:s}", "name", s->name,
							"result", "skipped"));
			continue;
		}
		rc = run_stage(&f, s->name, s, jstages);
	}
	if (mg_node_child(doc, "endStage")) {
		end_rc = run_stage(&f, "endStage", mg_node_child(doc, "endStage"),
				   jstages);
		if (!rc)
			rc = end_rc;
	}
	if (ctx->json) {
		json_t *r = json_pack("{s:s,s:s,s:o}", "flowFile", file, "result",
				      rc ? "failed" : "passed", "stages", jstages);

		json_dumpf(r, ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', ctx->out);
		json_decref(r);
	} else {
		json_decref(jstages);
	}
	fprintf(stderr, "migrator: flow %s\n", rc ? "FAILED" : "passed");
	free(text);
	mg_arena_release(&a);
	return rc ? (rc > 4 ? 1 : rc) : 0;
}
