/*
 * opt.h: migrator's settings, gathered the way Liquibase gathers them:
 * command-line arguments (global ones before the command, command ones
 * after it, `--name=value` or `--name value`), then LIQUIBASE_* and
 * LIQUIBASE_COMMAND_* environment variables, then the defaults file
 * (liquibase.properties). Names are matched loosely, as Liquibase does:
 * --changelog-file, changeLogFile and liquibase.command.changelogFile
 * are one setting.
 */
#ifndef MIGRATOR_CLI_OPT_H
#define MIGRATOR_CLI_OPT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct mg_opts {
	char **keys;    /* normalised names */
	char **values;
	int *source;    /* 0 cli, 1 env, 2 defaults file */
	size_t n, alloc;
	char **props;   /* "name=value" changelog parameters, -D first */
	size_t nprops, props_alloc;
	char **args;    /* positional arguments after the command */
	size_t nargs, args_alloc;
	const char *command;
	bool help;
} mg_opts;

/* Parse argv; returns 0, or -1 with a usage message in `err`. */
int mg_opts_parse(mg_opts *o, int argc, char **argv, char *err, size_t errlen);
/* Read the defaults file and the environment (lower precedence). */
int mg_opts_load_defaults(mg_opts *o, char *err, size_t errlen);
const char *mg_opts_get(const mg_opts *o, const char *name);
bool mg_opts_flag(const mg_opts *o, const char *name);
long mg_opts_long(const mg_opts *o, const char *name, long dflt);
void mg_opts_release(mg_opts *o);
/* Settings migrator knows (for "unknown option" errors). */
bool mg_opts_known(const char *normalised);

#endif
