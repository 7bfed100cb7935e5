/*
 * progress.c: what a person sees on a terminal: colour, and one
 * rewritten progress line while update or rollback runs. Neither appears
 * when stderr is not a terminal (CI logs, pipes), so logs stay plain.
 * Colour also stays off with NO_COLOR (any value) or TERM=dumb.
 *
 * The engine reports each changeset through on_step (cli_step), which
 * also fills the changesets of --output json.
 */
#include "cli.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "migrator/util.h"

#define PROGRESS_EVERY_NS 100000000L /* at most ten redraws a second */

static int stderr_tty = -1;
static bool colour, line_shown;

/* The line is drawn by a thread of its own, so that the clock goes on
 * while a long statement runs; the main thread only copies the state
 * in. Whoever writes to stderr holds `mu` (cli_stderr_begin). */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_t drawer;
static bool running, stopping;
static struct {
	bool have;
	double t0;
	size_t index, total, rows;
	unsigned long long bytes;
	bool counts;       /* loadData: show rows and bytes */
	mg_buf label;      /* "id::author (file)" */
} cur = { .label = MG_BUF_INIT };

double cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool dumb_terminal(void)
{
	const char *term = getenv("TERM");

	return term && !strcmp(term, "dumb");
}

bool cli_stderr_tty(void)
{
	if (stderr_tty < 0)
		stderr_tty = isatty(2) && !dumb_terminal();
	return stderr_tty;
}

void cli_terminal_init(void)
{
	colour = cli_stderr_tty() && !getenv("NO_COLOR");
}

const char *cli_colour(cli_colour_kind k)
{
	static const char *const codes[] = {
		[CLI_RED] = "\033[31m", [CLI_GREEN] = "\033[32m",
		[CLI_YELLOW] = "\033[33m", [CLI_RESET] = "\033[0m",
	};

	return colour ? codes[k] : "";
}

static void clear_line(void)
{
	if (!line_shown)
		return;
	fputs("\r\033[K", stderr);
	line_shown = false;
}

void cli_stderr_begin(void)
{
	pthread_mutex_lock(&mu);
	clear_line();
}

void cli_stderr_end(void)
{
	fflush(stderr);
	pthread_mutex_unlock(&mu);
}

static size_t columns(void)
{
	struct winsize ws;

	if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
		return ws.ws_col;
	return 80;
}

/* "[ 120/1000] 0:04 id::author (file)", and for loadData "rows N, MB M". */
static void draw(void)
{
	char total[24];
	long secs = (long)(cli_now() - cur.t0);
	mg_buf b = MG_BUF_INIT;
	size_t width = columns() - 1;

	snprintf(total, sizeof(total), "%zu", cur.total);
	mg_buf_printf(&b, "[%*zu/%s] %ld:%02ld %s", (int)strlen(total),
		      cur.index + 1, total, secs / 60, secs % 60, cur.label.ptr);
	if (cur.counts)
		mg_buf_printf(&b, " rows %zu, MB %.1f", cur.rows,
			      (double)cur.bytes / 1e6);
	if (b.len > width)
		mg_buf_truncate(&b, width);
	fprintf(stderr, "\r\033[K%s", b.ptr);
	fflush(stderr);
	line_shown = true;
	mg_buf_release(&b);
}

static void *draw_loop(void *arg)
{
	struct timespec until;

	(void)arg;
	pthread_mutex_lock(&mu);
	while (!stopping) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += PROGRESS_EVERY_NS;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&wake, &mu, &until);
		if (!stopping && cur.have)
			draw();
	}
	clear_line();
	fflush(stderr);
	pthread_mutex_unlock(&mu);
	return NULL;
}

void cli_progress_start(const cli_ctx *ctx)
{
	if (running || !cli_stderr_tty() || ctx->json || ctx->quiet)
		return;
	cur.t0 = ctx->t0;
	cur.have = false;
	stopping = false;
	running = pthread_create(&drawer, NULL, draw_loop, NULL) == 0;
}

void cli_progress_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&mu);
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&mu);
	pthread_join(drawer, NULL);
	running = false;
	mg_buf_release(&cur.label);
}

static void progress_update(const mg_step_event *ev)
{
	pthread_mutex_lock(&mu);
	if (ev->phase == MG_STEP_START) {
		mg_buf_reset(&cur.label);
		mg_buf_printf(&cur.label, "%s::%s (%s)", ev->cs->id,
			      ev->cs->author, ev->cs->filename);
		cur.counts = false;
	}
	cur.have = true;
	cur.index = ev->index;
	cur.total = ev->total;
	cur.rows = ev->rows;
	cur.bytes = ev->bytes;
	cur.counts = cur.counts || ev->phase == MG_STEP_PROGRESS;
	pthread_mutex_unlock(&mu);
}

static const char *status_name(mg_step_status s)
{
	static const char *const names[] = {
		[MG_STATUS_RAN] = "ran",
		[MG_STATUS_SKIPPED] = "skipped",
		[MG_STATUS_FAILED] = "failed",
		[MG_STATUS_MARK_RAN] = "mark_ran",
		[MG_STATUS_SYNCED] = "synced",
		[MG_STATUS_FAILED_IGNORED] = "failed_ignored",
		[MG_STATUS_PRINTED] = "printed",
		[MG_STATUS_ROLLED_BACK] = "rolled_back",
	};

	return names[s];
}

static json_t *step_json(const mg_step_event *ev)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:I,s:I,s:I}", "id",
			 ev->cs->id, "author", ev->cs->author, "filename",
			 ev->cs->filename, "status", status_name(ev->status),
			 "execType", cli_jstr(ev->exectype), "durationMs",
			 cli_jms(ev->duration_ms), "statements",
			 (json_int_t)ev->statements, "rows", (json_int_t)ev->rows,
			 "bytes", (json_int_t)ev->bytes);
}

void cli_step(const mg_step_event *ev, void *payload)
{
	cli_ctx *ctx = payload;

	if (ev->phase == MG_STEP_END && ctx->steps)
		json_array_append_new(ctx->steps, step_json(ev));
	if (running && ev->phase != MG_STEP_END)
		progress_update(ev);
}
