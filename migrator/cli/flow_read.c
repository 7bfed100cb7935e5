/*
 * flow_read.c: flow file -> stages of actions with their argv (see
 * flow.h). Nothing here runs or prints.
 */
#include "flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/buf.h"
#include "migrator/error.h"
#include "migrator/util.h"

#define MAX_ARGS 64

/* ${NAME}: flow variables, then the environment. */
static char *substitute(mg_arena *a, const mg_node *vars, const char *s)
{
	mg_buf b = MG_BUF_INIT;
	char *r;

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
		v = mg_node_get(vars, name);
		if (!v)
			v = getenv(name);
		if (v)
			mg_buf_puts(&b, v);
		else
			/* cppcheck-suppress nullPointerArithmeticRedundantCheck ; s is
			 * NULL only before the loop, close is never NULL here */
			mg_buf_put(&b, open, (size_t)(close + 1 - open));
		s = close + 1;
	}
	r = mg_arena_strdup(a, b.ptr);
	mg_buf_release(&b);
	return r;
}

static int invalid_at(const mg_node *n, const char *fmt, const char *arg)
{
	mg_error_set(MG_EINVALID, fmt, arg);
	mg_error_set_location(n->file, (int)n->line, (int)n->col);
	return MG_EINVALID;
}

/* argv for a migrator action: command, then --name=value arguments; a
 * password argument goes to act->secret instead. */
static int migrator_argv(mg_arena *a, const mg_node *vars,
			 cli_flow_action *act, const mg_node *n,
			 const char *self)
{
	const char *groups[] = { "globalArgs", "cmdArgs" };
	size_t k = 0;

	act->argv = mg_arena_alloc(a, MAX_ARGS * sizeof(char *));
	act->files = mg_arena_alloc(a, MAX_ARGS * sizeof(char *));
	act->argv[k++] = mg_arena_strdup(a, self);
	act->argv[k++] = substitute(a, vars, mg_node_get(n, "command"));
	for (size_t g = 0; g < 2; g++) {
		mg_node *group = mg_node_child(n, groups[g]);

		for (mg_node *arg = group ? group->first : NULL;
		     arg && k + 2 < MAX_ARGS; arg = arg->next) {
			char *v;

			if (!arg->name)
				return invalid_at(arg, "'%s' holds 'name: value' "
						  "entries, not a list", groups[g]);
			v = substitute(a, vars, arg->value ? arg->value : "true");
			if (mg_strieq(arg->name, "password")) {
				act->secret = v;
				continue;
			}
			act->argv[k++] = mg_arena_printf(a, "--%s=%s", arg->name, v);
			if (strstr(arg->name, "output-file") ||
			    strstr(arg->name, "outputFile"))
				act->files[act->nfiles++] = v;
		}
	}
	return 0;
}

static int read_action(mg_arena *a, const mg_node *vars,
		       cli_flow_action *act, const mg_node *n,
		       const char *self)
{
	const char *type = mg_node_get(n, "type");

	act->type = type;
	act->file = n->file;
	act->line = n->line;
	act->command = mg_node_get(n, "command");
	if (!act->command)
		act->command = "";
	if (type && (!strcmp(type, "migrator") || !strcmp(type, "liquibase"))) {
		return migrator_argv(a, vars, act, n, self);
	} else if (type && !strcmp(type, "shell")) {
		act->argv = mg_arena_alloc(a, 4 * sizeof(char *));
		act->argv[0] = mg_arena_strdup(a, "/bin/sh");
		act->argv[1] = mg_arena_strdup(a, "-c");
		act->argv[2] = substitute(a, vars, mg_node_get(n, "command"));
	}
	return 0;
}

static int read_stage(mg_arena *a, const mg_node *vars, cli_flow_stage *st,
		      const char *name, const mg_node *n, const char *self)
{
	mg_node *actions = mg_node_child(n, "actions");
	size_t i = 0;
	int error = 0;

	if (!name)
		return invalid_at(n, "a stage needs a name ('stages' holds "
				  "'Name: {actions: ...}' entries)%s", "");
	st->name = name;
	st->nactions = mg_node_count(actions);
	st->actions = mg_arena_alloc(a, (st->nactions + 1) * sizeof(*st->actions));
	for (mg_node *act = actions ? actions->first : NULL; act && !error;
	     act = act->next)
		error = read_action(a, vars, &st->actions[i++], act, self);
	return error;
}

int cli_flow_read(cli_flow *out, const char *file, const char *text,
		  size_t len, const char *self)
{
	mg_node *doc = NULL, *stages, *vars, *end;
	mg_arena *a = &out->arena;
	size_t i = 0;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = mg_parse_yaml_document(&doc, a, file, text, len)) < 0) {
		mg_arena_release(a);
		return error;
	}
	vars = mg_node_child(doc, "globalVariables");
	stages = mg_node_child(doc, "stages");
	out->nstages = mg_node_count(stages);
	out->stages = mg_arena_alloc(a, (out->nstages + 1) * sizeof(*out->stages));
	for (mg_node *s = stages ? stages->first : NULL; s && !error; s = s->next)
		error = read_stage(a, vars, &out->stages[i++], s->name, s, self);
	if (!error && (end = mg_node_child(doc, "endStage"))) {
		out->end = mg_arena_alloc(a, sizeof(*out->end));
		error = read_stage(a, vars, out->end, "endStage", end, self);
	}
	if (error < 0)
		cli_flow_release(out);
	return error;
}

void cli_flow_release(cli_flow *f)
{
	mg_arena_release(&f->arena);
	memset(f, 0, sizeof(*f));
}
