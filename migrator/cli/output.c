/* output.c: errors, warnings and progress on stderr. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/error.h"

/* Print `file:line` of the source with a caret under the column. */
static void print_source_line(const mg_error *e)
{
	FILE *f;
	char line[1024];
	int n = 0;

	if (!e->file || e->line <= 0 || !(f = fopen(e->file, "r")))
		return;
	while (fgets(line, sizeof(line), f))
		if (++n == e->line) {
			size_t len = strlen(line);

			while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
				line[--len] = '\0';
			fprintf(stderr, "  %s\n  ", line);
			for (int i = 1; i < e->col && i <= (int)len; i++)
				fputc(line[i - 1] == '\t' ? '\t' : ' ', stderr);
			fputs("^\n", stderr);
			break;
		}
	fclose(f);
}

/* One line: "detail: ..."; several: each on its own, indented. */
static void print_detail(const char *d)
{
	const char *nl = strchr(d, '\n');

	if (!nl || !nl[1]) {
		fprintf(stderr, "detail: %s%s", d, nl ? "" : "\n");
		return;
	}
	while (*d) {
		nl = strchr(d, '\n');
		fprintf(stderr, "  %.*s\n", (int)(nl ? nl - d : (long)strlen(d)), d);
		d = nl ? nl + 1 : d + strlen(d);
	}
}

static int exit_code(int code)
{
	switch (code) {
	case MG_EPARSE:
	case MG_EINVALID:
	case MG_ECHECKSUM:
		return CLI_EXIT_INVALID;
	case MG_ELOCKED:
		return CLI_EXIT_LOCKED;
	default:
		return CLI_EXIT_FAILURE;
	}
}

int cli_error(void)
{
	const mg_error *e = mg_error_last();

	cli_stderr_begin();
	fprintf(stderr, "migrator: %serror:%s ", cli_colour(CLI_RED),
		cli_colour(CLI_RESET));
	if (e->file && e->line > 0)
		fprintf(stderr, "%s:%d:%d: ", e->file, e->line, e->col);
	fprintf(stderr, "%s\n", e->message ? e->message : "unknown error");
	print_source_line(e);
	if (e->changeset)
		fprintf(stderr, "changeset: %s\n", e->changeset);
	if (e->statement)
		fprintf(stderr, "statement: %s\n", e->statement);
	if (e->sqlstate[0])
		fprintf(stderr, "sqlstate: %s\n", e->sqlstate);
	if (e->detail)
		print_detail(e->detail);
	if (e->hint)
		fprintf(stderr, "hint: %s\n", e->hint);
	if (e->changeset && e->code == MG_EDB)
		fputs("note: the changeset was rolled back; the database is as "
		      "it was before it\n",
		      stderr);
	cli_stderr_end();
	return exit_code(e->code);
}

static char last_usage[512];

const char *cli_last_usage(void)
{
	return last_usage[0] ? last_usage : NULL;
}

int cli_error_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_usage, sizeof(last_usage), fmt, ap);
	va_end(ap);
	cli_stderr_begin();
	fprintf(stderr, "migrator: %serror:%s %s\nhint: see 'migrator --help'\n",
		cli_colour(CLI_RED), cli_colour(CLI_RESET), last_usage);
	cli_stderr_end();
	return CLI_EXIT_USAGE;
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	cli_stderr_begin();
	fprintf(stderr, "migrator: %swarning:%s ", cli_colour(CLI_YELLOW),
		cli_colour(CLI_RESET));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cli_stderr_end();
}

/* "migrator: <message>" in green on a terminal: a command succeeded. */
void cli_ok(const char *fmt, ...)
{
	va_list ap;

	cli_stderr_begin();
	fprintf(stderr, "migrator: %s", cli_colour(CLI_GREEN));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", cli_colour(CLI_RESET));
	cli_stderr_end();
}

bool cli_log_sql;

void cli_event(mg_event ev, size_t i, size_t n, const char *key,
	       const char *text, void *payload)
{
	bool tty = cli_stderr_tty();

	(void)payload;
	(void)i;
	(void)n;
	switch (ev) {
	case MG_EV_CHANGESET_START:
		/* a terminal has the progress line (progress.c) */
		if (!tty) {
			cli_stderr_begin();
			fprintf(stderr, "Running Changeset: %s\n", key);
			cli_stderr_end();
		}
		break;
	case MG_EV_CHANGESET_DONE:
		break;
	case MG_EV_WARNING:
		cli_warn("%s%s%s", key ? key : "", key ? ": " : "", text);
		break;
	case MG_EV_LOCK_WAIT:
		cli_warn("waiting for the lock held by %s", text);
		break;
	case MG_EV_SQL:
		if (cli_log_sql) {
			cli_stderr_begin();
			fprintf(stderr, "[SQL] %s\n", text);
			cli_stderr_end();
		}
		break;
	case MG_EV_PROGRESS:
		if (!tty) {
			cli_stderr_begin();
			fprintf(stderr, "  %s: %s\n", key, text);
			cli_stderr_end();
		}
		break;
	case MG_EV_OUTPUT:
		cli_stderr_begin();
		fprintf(key && mg_strieq(key, "STDOUT") ? stdout : stderr, "%s\n",
			text);
		cli_stderr_end();
		break;
	}
}
