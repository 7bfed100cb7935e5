/*
 * cli.h: shared state of a command run. The CLI is the only part of
 * migrator that prints or exits.
 */
#ifndef MIGRATOR_CLI_CLI_H
#define MIGRATOR_CLI_CLI_H

#include <stdio.h>

#include "migrator/engine.h"
#include "migrator/load.h"
#include "opt.h"

/* Exit codes, documented in `migrator --help`. */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILURE = 1, /* runtime or database failure */
	CLI_EXIT_USAGE = 2,
	CLI_EXIT_INVALID = 3, /* changelog parse, validation or checksum */
	CLI_EXIT_LOCKED = 4,  /* lock not acquired */
};

enum cli_cmd_flags {
	CLI_NEEDS_CHANGELOG = 1 << 0,
	CLI_NEEDS_DB = 1 << 1,
};

typedef struct cli_ctx {
	mg_opts *opts;
	mg_changelog *cl;
	mg_engine *eng;
	FILE *out;        /* stdout or --output-file */
	bool json;        /* --output json */
	char *url_display;
} cli_ctx;

typedef struct cli_cmd {
	const char *name;
	int (*fn)(cli_ctx *ctx, const struct cli_cmd *cmd);
	unsigned flags;
	const char *summary;
	const char *usage;   /* extra options, one per line */
} cli_cmd;

/* Print the last mg_error and return the exit code for it. */
int cli_error(void);
int cli_error_usage(const char *fmt, ...) MG_PRINTF(1, 2);
void cli_warn(const char *fmt, ...) MG_PRINTF(1, 2);
/* --log-level=fine|debug (or finer): print each statement run. */
extern bool cli_log_sql;
void cli_event(mg_event ev, size_t i, size_t n, const char *key,
	       const char *text, void *payload);

int cmd_update(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_rollback(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_backup(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_restore(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_drop_all(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_reset(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_flow(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_fleet(cli_ctx *ctx, const cli_cmd *cmd);
/* The running binary (/proc/self/exe), or "migrator". */
const char *cli_self_path(char *buf, size_t size);
const char *mg_conn_info_host(cli_ctx *ctx);
int cli_require_backup(cli_ctx *ctx, const char *max_age);
/* Name of the connected database. */
const char *mg_conn_info_db(cli_ctx *ctx);
int cmd_update_testing_rollback(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_status(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_history(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_validate(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_tag(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_tag_exists(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_calculate_checksum(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_clear_checksums(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_release_locks(cli_ctx *ctx, const cli_cmd *cmd);
int cmd_list_locks(cli_ctx *ctx, const cli_cmd *cmd);

#endif
