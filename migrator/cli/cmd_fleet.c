/*
 * cmd_fleet.c: `migrator fleet update|status|backup --targets=FILE`, one
 * changelog against many databases.
 *
 * Each target runs as a child migrator process of its own (the running
 * binary), so each takes its own database's lock, has its own connection
 * and its own log, and one target's crash cannot take the others down.
 * At most --parallel children run at once. A target's URL, user and
 * password reach its child through LIQUIBASE_COMMAND_* variables, never
 * its argv (which `ps` shows); a directory target passes its properties
 * file as --defaults-file. After the first failure no new target starts
 * unless --continue-on-failure; those not started are "skipped".
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "migrator/error.h"
#include "migrator/node.h"
#include "migrator/arena.h"
#include "migrator/util.h"

typedef enum {
	T_PENDING,
	T_RUNNING,
	T_OK,
	T_FAILED,
	T_SKIPPED,
} target_state;

typedef struct target {
	const char *name;
	const char *url;      /* or NULL with a properties file */
	const char *username;
	const char *password;
	const char *defaults; /* properties file (a directory of targets) */
	target_state state;
	pid_t pid;
	int exit_code;        /* -N: killed by signal N */
	long start_ms, ms;
	char *log, *out;
} target;

typedef struct fleet {
	mg_arena a;
	target *t;
	size_t n, alloc;
	const char *sub;
	const char *log_dir;
	long parallel;
	bool keep_going, json;
	char **args;          /* given to every child after the subcommand */
	size_t nargs, args_alloc;
} fleet;

static const char *const fleet_keys[] = {
	"targets", "parallel", "continueonfailure", "logdir", "shard", "output",
	"url", "username", "password", "defaultsfile",
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int target_error(const mg_node *n, const char *msg)
{
	mg_error_set(MG_EINVALID, "%s", msg);
	mg_error_set_location(n->file, (int)n->line, (int)n->col);
	return MG_EINVALID;
}

static target *add_target(fleet *f)
{
	MG_VEC_GROW(f->t, f->alloc, f->n + 1);
	memset(&f->t[f->n], 0, sizeof(f->t[0]));
	return &f->t[f->n++];
}

/* A name fit for a log file: letters, digits, '.', '-', '_'. */
static const char *clean_name(mg_arena *a, const char *s, size_t i)
{
	char *out;

	if (!s || !*s)
		return mg_arena_printf(a, "target-%03zu", i + 1);
	out = mg_arena_strdup(a, s);
	for (char *p = out; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-", *p))
			*p = '_';
	return out;
}

/* One item of `targets:`: a URL, `- url: ...`, or a map. */
static int read_item(fleet *f, const mg_node *it, const char *dir, size_t i)
{
	target *t = add_target(f);
	const char *pw_env, *df;

	if (!it->first && it->value && (!it->name || !strcmp(it->name, "url"))) {
		t->url = it->value;
		t->name = clean_name(&f->a, NULL, i);
		return 0;
	}
	if (it->name || !it->first)
		return target_error(it, "a target is a URL or a map with "
					"'url' or 'defaults-file'");
	t->url = mg_node_get(it, "url");
	t->username = mg_node_get(it, "username");
	t->password = mg_node_get(it, "password");
	if ((pw_env = mg_node_get(it, "password-env")))
		t->password = getenv(pw_env);
	if ((df = mg_node_get(it, "defaults-file")))
		t->defaults = df[0] == '/' ? df
					   : mg_arena_printf(&f->a, "%s/%s", dir, df);
	t->name = clean_name(&f->a, mg_node_get(it, "name"), i);
	if (!t->url && !t->defaults)
		return target_error(it, "a target needs 'url' or 'defaults-file'");
	return 0;
}

static int read_targets_file(fleet *f, const char *path)
{
	mg_node *doc, *list;
	char *text = NULL, *dir;
	size_t len, i = 0;
	int error;

	if ((error = mg_read_file(&text, &len, path)) < 0)
		return error;
	error = mg_parse_yaml_document(&doc, &f->a, path, text, len);
	free(text);
	if (error < 0)
		return error;
	if (!(list = mg_node_child(doc, "targets")) || !list->first)
		return target_error(doc, "no 'targets:' list in the targets file");
	dir = mg_arena_strdup(&f->a, path);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	else
		dir = ".";
	for (mg_node *it = list->first; it; it = it->next, i++)
		if ((error = read_item(f, it, dir, i)) < 0)
			return error;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A directory: each NAME.properties in it is the target NAME. */
static int read_targets_dir(fleet *f, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0;

	if (!d)
		return mg_error_set(MG_ENOTFOUND, "cannot read '%s': %s", path,
				    strerror(errno));
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len > 11 && !strcmp(e->d_name + len - 11, ".properties")) {
			MG_VEC_GROW(names, alloc, n + 1);
			names[n++] = mg_arena_strdup(&f->a, e->d_name);
		}
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		target *t = add_target(f);

		names[i][strlen(names[i]) - 11] = '\0';
		t->name = clean_name(&f->a, names[i], i);
		t->defaults = mg_arena_printf(&f->a, "%s/%s.properties", path,
					      names[i]);
	}
	free(names);
	return 0;
}

static int read_targets(fleet *f, const char *path)
{
	struct stat st;
	int error;

	if (stat(path, &st) < 0)
		return mg_error_set(MG_ENOTFOUND, "cannot read targets '%s': %s",
				    path, strerror(errno));
	error = S_ISDIR(st.st_mode) ? read_targets_dir(f, path)
				    : read_targets_file(f, path);
	if (error < 0)
		return error;
	if (!f->n)
		return mg_error_set(MG_EINVALID, "no targets in '%s'", path);
	for (size_t i = 0; i < f->n; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(f->t[i].name, f->t[j].name))
				return mg_error_set(MG_EINVALID,
						    "two targets are named '%s'",
						    f->t[i].name);
	return 0;
}

/* --shard=I/N: false when it is not that */
static bool parse_shard(const char *shard, long *i, long *n)
{
	char *end;

	*i = 0;
	*n = 1;
	if (!shard)
		return true;
	*i = strtol(shard, &end, 10);
	if (*end != '/' || end == shard)
		return false;
	*n = strtol(end + 1, &end, 10);
	return !*end && *n > 0 && *i >= 0 && *i < *n;
}

/* Keep the targets whose index is i modulo n. */
static void apply_shard(fleet *f, long i, long n)
{
	size_t k = 0;

	for (size_t j = 0; j < f->n; j++)
		if ((long)(j % (size_t)n) == i)
			f->t[k++] = f->t[j];
	f->n = k;
}

static bool is_fleet_key(const char *key)
{
	for (size_t i = 0; i < MG_ARRAY_SIZE(fleet_keys); i++)
		if (!strcmp(key, fleet_keys[i]))
			return true;
	return false;
}

static void add_arg(fleet *f, char *arg)
{
	MG_VEC_GROW(f->args, f->args_alloc, f->nargs + 1);
	f->args[f->nargs++] = arg;
}

/* The options of the command line that every child gets. */
static void child_args(fleet *f, const mg_opts *o)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->source[i] == 0 && !is_fleet_key(o->keys[i]))
			add_arg(f, mg_arena_printf(&f->a, "--%s=%s", o->keys[i],
						   o->values[i]));
	for (size_t i = 0; i < o->nprops; i++)
		add_arg(f, mg_arena_printf(&f->a, "-D%s", o->props[i]));
	if (f->json)
		add_arg(f, "--output=json");
}

static void set_or_unset(const char *name, const char *value)
{
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

/* In the child: its output to its files, its settings, then exec. */
static void exec_child(const fleet *f, const target *t, const char *self)
{
	char **argv = calloc(f->nargs + 4, sizeof(char *));
	size_t k = 0;
	int log = open(t->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int out = open(t->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (!argv || log < 0 || out < 0)
		_exit(127);
	dup2(out, 1);
	dup2(log, 2);
	close(out);
	close(log);
	set_or_unset("LIQUIBASE_COMMAND_URL", t->url);
	set_or_unset("LIQUIBASE_COMMAND_USERNAME", t->username);
	set_or_unset("LIQUIBASE_COMMAND_PASSWORD", t->password);
	argv[k++] = (char *)self;
	argv[k++] = (char *)f->sub;
	if (t->defaults)
		argv[k++] = mg_arena_printf((mg_arena *)&f->a, "--defaults-file=%s",
					    t->defaults);
	for (size_t i = 0; i < f->nargs; i++)
		argv[k++] = f->args[i];
	argv[k] = NULL;
	execv(self, argv);
	fprintf(stderr, "migrator fleet: cannot run %s: %s\n", self,
		strerror(errno));
	_exit(127);
}

static int start(fleet *f, target *t, const char *self)
{
	pid_t pid;

	t->log = mg_arena_printf(&f->a, "%s/%s.log", f->log_dir, t->name);
	t->out = mg_arena_printf(&f->a, "%s/%s.out", f->log_dir, t->name);
	fflush(NULL);
	if ((pid = fork()) < 0)
		return mg_error_set(MG_ERROR, "fork: %s", strerror(errno));
	if (pid == 0)
		exec_child(f, t, self);
	t->pid = pid;
	t->state = T_RUNNING;
	t->start_ms = now_ms();
	return 0;
}

/* A target's error: the "migrator: error:" line of its log, else the
 * last line that is not empty. */
static char *last_line(const char *path)
{
	char *text = NULL, *end, *begin, *line;
	size_t len;

	if (mg_read_file(&text, &len, path) < 0) {
		mg_error_clear();
		return NULL;
	}
	if ((begin = strstr(text, "migrator: error: "))) {
		line = mg_xstrndup(begin, strcspn(begin, "\n"));
		free(text);
		return line;
	}
	end = text + len;
	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	begin = end;
	while (begin > text && begin[-1] != '\n')
		begin--;
	line = end > begin ? mg_xstrndup(begin, (size_t)(end - begin)) : NULL;
	free(text);
	return line;
}

static void report_done(const fleet *f, const target *t, size_t done)
{
	char *err;

	if (f->json)
		return;
	if (t->state == T_OK) {
		fprintf(stderr, "fleet: [%zu/%zu] %s: ok (%.1f s)\n", done, f->n,
			t->name, (double)t->ms / 1000.0);
		return;
	}
	err = last_line(t->log);
	fprintf(stderr, "fleet: [%zu/%zu] %s: failed, exit %d (%.1f s): %s\n",
		done, f->n, t->name, t->exit_code, (double)t->ms / 1000.0,
		err ? err : "(no output)");
	free(err);
}

static target *by_pid(fleet *f, pid_t pid)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->t[i].state == T_RUNNING && f->t[i].pid == pid)
			return &f->t[i];
	return NULL;
}

/* Wait for one child; returns false when none runs. */
static bool reap(fleet *f, size_t *done, bool *failed)
{
	int status;
	pid_t pid;
	target *t;

	while ((pid = waitpid(-1, &status, 0)) < 0 && errno == EINTR)
		;
	if (pid < 0 || !(t = by_pid(f, pid)))
		return pid >= 0;
	t->ms = now_ms() - t->start_ms;
	t->exit_code = WIFEXITED(status) ? WEXITSTATUS(status)
					 : -WTERMSIG(status);
	t->state = t->exit_code == 0 ? T_OK : T_FAILED;
	if (t->state == T_FAILED)
		*failed = true;
	report_done(f, t, ++*done);
	return true;
}

static int run_all(fleet *f, const char *self)
{
	size_t next = 0, running = 0, done = 0;
	bool failed = false;
	int error;

	while (next < f->n || running) {
		while (next < f->n && (long)running < f->parallel &&
		       (!failed || f->keep_going)) {
			if ((error = start(f, &f->t[next], self)) < 0)
				return error;
			next++;
			running++;
		}
		if (failed && !f->keep_going)
			for (; next < f->n; next++)
				f->t[next].state = T_SKIPPED;
		if (running && reap(f, &done, &failed))
			running--;
	}
	return 0;
}

static const char *state_name(target_state s)
{
	static const char *const names[] = { "pending", "running", "ok",
					     "failed", "skipped" };

	return names[s];
}

static json_t *target_json(const target *t)
{
	json_t *o = json_object(), *rep;
	char *shown = t->url ? mg_error_redact(t->url) : NULL;
	char *err;

	json_object_set_new(o, "name", json_string(t->name));
	if (shown)
		json_object_set_new(o, "url", json_string(shown));
	if (t->defaults)
		json_object_set_new(o, "defaults_file", json_string(t->defaults));
	json_object_set_new(o, "status", json_string(state_name(t->state)));
	if (t->state == T_OK || t->state == T_FAILED) {
		json_object_set_new(o, "exit_code", json_integer(t->exit_code));
		json_object_set_new(o, "duration_ms", json_integer(t->ms));
		json_object_set_new(o, "log", json_string(t->log));
		if ((rep = json_load_file(t->out, 0, NULL)))
			json_object_set_new(o, "report", rep);
	}
	if (t->state == T_FAILED && (err = last_line(t->log))) {
		char *clean = mg_error_redact(err);

		json_object_set_new(o, "error", json_string(clean));
		free(clean);
		free(err);
	}
	free(shown);
	return o;
}

static int summary(fleet *f, FILE *out)
{
	size_t count[5] = { 0 };
	json_t *root, *list;

	for (size_t i = 0; i < f->n; i++)
		count[f->t[i].state]++;
	if (!f->json) {
		fprintf(stderr, "fleet %s: %zu targets: %zu ok, %zu failed, "
			"%zu skipped; logs in %s/\n", f->sub, f->n, count[T_OK],
			count[T_FAILED], count[T_SKIPPED], f->log_dir);
	} else {
		root = json_object();
		list = json_array();
		json_object_set_new(root, "schema", json_string("migrator/fleet/v1"));
		json_object_set_new(root, "command", json_string(f->sub));
		for (size_t i = 0; i < f->n; i++)
			json_array_append_new(list, target_json(&f->t[i]));
		json_object_set_new(root, "targets", list);
		json_object_set_new(root, "ok", json_integer((json_int_t)count[T_OK]));
		json_object_set_new(root, "failed",
				    json_integer((json_int_t)count[T_FAILED]));
		json_object_set_new(root, "skipped",
				    json_integer((json_int_t)count[T_SKIPPED]));
		json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(root);
	}
	return count[T_FAILED] || count[T_SKIPPED] ? CLI_EXIT_FAILURE
						   : CLI_EXIT_OK;
}

static int setup(fleet *f, cli_ctx *ctx)
{
	const mg_opts *o = ctx->opts;
	const char *targets = mg_opts_get(o, "targets");
	const char *shard = mg_opts_get(o, "shard");
	long si, sn;

	f->sub = o->nargs ? o->args[0] : NULL;
	if (!f->sub || (strcmp(f->sub, "update") && strcmp(f->sub, "status") &&
			strcmp(f->sub, "backup")))
		return cli_error_usage("fleet: name the command: fleet update|status|backup");
	if (!targets)
		return cli_error_usage("fleet: --targets=FILE|DIR is required");
	f->parallel = mg_opts_long(o, "parallel", 4);
	if (f->parallel < 1)
		return cli_error_usage("fleet: --parallel must be at least 1");
	f->keep_going = mg_opts_flag(o, "continueonfailure");
	f->json = ctx->json;
	f->log_dir = mg_opts_get(o, "logdir");
	if (!f->log_dir)
		f->log_dir = "fleet-logs";
	if (!parse_shard(shard, &si, &sn))
		return cli_error_usage("fleet: --shard=%s: expected I/N with "
				       "0 <= I < N", shard);
	if (read_targets(f, targets) < 0)
		return cli_error();
	apply_shard(f, si, sn);
	if (mkdir(f->log_dir, 0700) < 0 && errno != EEXIST) {
		mg_error_set(MG_ERROR, "cannot create '%s': %s", f->log_dir,
			     strerror(errno));
		return cli_error();
	}
	child_args(f, o);
	return 0;
}

int cmd_fleet(cli_ctx *ctx, const cli_cmd *cmd)
{
	fleet f = { 0 };
	char self[4096];
	int rc;

	(void)cmd;
	if ((rc = setup(&f, ctx)) != 0)
		goto out;
	if (!f.json)
		fprintf(stderr, "fleet %s: %zu targets, %ld at a time%s\n", f.sub,
			f.n, f.parallel,
			f.keep_going ? "" : ", stopping at the first failure");
	if (run_all(&f, cli_self_path(self, sizeof(self))) < 0) {
		rc = cli_error();
		goto out;
	}
	rc = summary(&f, ctx->out);
out:
	free(f.t);
	free(f.args);
	mg_arena_release(&f.a);
	return rc;
}
