/*
 * flow.h (internal): a flow file read into its stages and their actions,
 * each with the argv it will run, before anything runs. cmd_flow.c runs
 * them; the reader is separate so that it can be tested (and fuzzed,
 * tests/fuzz/fuzz_flow.c) without running anything.
 */
#ifndef MIGRATOR_CLI_FLOW_H
#define MIGRATOR_CLI_FLOW_H

#include <stddef.h>

#include "migrator/arena.h"
#include "migrator/node.h"

typedef struct cli_flow_action {
	const char *type;  /* as written, NULL when missing */
	const char *file;  /* where the action is, for messages */
	unsigned line;
	char **argv;       /* NULL-terminated; NULL for an unknown type */
	/* the command as written, for messages and reports: substituted,
	 * it could hold a password */
	const char *command;
	/* a migrator action's password argument, which goes to the child's
	 * environment (LIQUIBASE_COMMAND_PASSWORD), where `ps` does not
	 * show it, instead of its argv; NULL when none */
	const char *secret;
	char **files;      /* values of *output-file arguments */
	size_t nfiles;
} cli_flow_action;

typedef struct cli_flow_stage {
	const char *name;
	cli_flow_action *actions;
	size_t nactions;
} cli_flow_stage;

typedef struct cli_flow {
	mg_arena arena;    /* everything below */
	cli_flow_stage *stages;
	size_t nstages;
	cli_flow_stage *end; /* endStage, or NULL */
} cli_flow;

/*
 * Read the flow file `text` (`len` bytes, read from `file`): parse it
 * and build every action's argv, with ${NAME} replaced from
 * globalVariables, then the environment. A migrator action runs `self`.
 * MG_EPARSE for a YAML error, MG_EINVALID for a flow that has the wrong
 * shape; the error carries file:line:col. On error `out` holds nothing.
 */
int cli_flow_read(cli_flow *out, const char *file, const char *text,
		  size_t len, const char *self);
void cli_flow_release(cli_flow *f);

#endif
