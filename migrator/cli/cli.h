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

struct cli_cmd;
struct json_t;

typedef struct cli_ctx {
	mg_opts *opts;
	mg_changelog *cl;
	mg_engine *eng;
	const struct cli_cmd *cmd;
	FILE *out;        /* stdout or --output-file */
	FILE *report;     /* where the --output json report goes */
	bool json;        /* --output json */
	bool reported;    /* the report is written */
	bool quiet;       /* --log-level=severe or off: no progress line */
	double t0;        /* the command's start (cli_now) */
	struct json_t *steps; /* filled by cli_step when not NULL */
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
/* "migrator: <message>" (green on a terminal): a command succeeded. */
void cli_ok(const char *fmt, ...) MG_PRINTF(1, 2);
/* --log-level=fine|debug (or finer): print each statement run. */
extern bool cli_log_sql;
void cli_event(mg_event ev, size_t i, size_t n, const char *key,
	       const char *text, void *payload);

/* The message of the last cli_error_usage(), or NULL. */
const char *cli_last_usage(void);
/* Hold stderr (the progress line is cleared meanwhile) to print. */
void cli_stderr_begin(void);
void cli_stderr_end(void);

/* progress.c: terminal, colour, the progress line, on_step. */
typedef enum cli_colour_kind {
	CLI_RED,
	CLI_GREEN,
	CLI_YELLOW,
	CLI_RESET,
} cli_colour_kind;
double cli_now(void);
/* stderr is a terminal (and not TERM=dumb) */
bool cli_stderr_tty(void);
/* Decide on colour: a terminal, no NO_COLOR, no TERM=dumb. */
void cli_terminal_init(void);
/* The escape sequence, or "" when colour is off. */
const char *cli_colour(cli_colour_kind k);
/* Start the progress line (only on a terminal, without --output json
 * or quiet); stop it and clear the line. */
void cli_progress_start(const cli_ctx *ctx);
void cli_progress_stop(void);
void cli_step(const mg_step_event *ev, void *payload);

/* report.c: --output json (docs/output.md). */
struct json_t *cli_jstr(const char *s);
struct json_t *cli_jms(double ms);
/* {"schema": "migrator/<report>/v1", "command": <name>} */
struct json_t *cli_report_new(cli_ctx *ctx, const char *report);
/* Add "ok", "exitCode" and, when rc != 0, "error" (the last error);
 * write it to ctx->report and free it. Returns rc. */
int cli_report_write(cli_ctx *ctx, struct json_t *r, int rc);
/* The report name of the command (NULL: it does not report). */
const char *cli_report_name(const cli_ctx *ctx, char *buf, size_t len);
/* With --output json, a failure before the command reported. */
void cli_report_failure(cli_ctx *ctx, int rc);

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
