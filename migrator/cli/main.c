/*
 * main.c: migrator's entry point: option handling, the command table,
 * loading the changelog and connecting centrally for the commands that
 * need them (git's RUN_SETUP pattern), help and exit codes.
 */
#include "cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migrator/error.h"
#include "migrator/util.h"

#define CONN_OPTS                                                          \
	"  --url=URL                   jdbc:postgresql://host:port/db?user=..,\n" \
	"                              postgresql://... or a libpq conninfo\n" \
	"  --username=NAME, --password=SECRET\n"                           \
	"  --default-schema-name=S     schema for unqualified objects and the\n" \
	"                              DATABASECHANGELOG tables\n"

#define CHANGELOG_OPTS                                                     \
	"  --changelog-file=FILE       root changelog (xml, yaml, json, sql)\n" \
	"  --search-path=DIRS          comma-separated roots to find files in\n" \
	"  --contexts=EXPR, --labels=EXPR  changeset filters\n"              \
	"  -Dname=value                changelog property\n"                  \
	"  --allow-env-substitution    let ${NAME} fall back to the environment\n" \
	"  --strict-order              refuse new changesets that sort before\n" \
	"                              changesets already applied\n"

static const cli_cmd commands[] = {
	{ "update", cmd_update, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "apply every changeset that has not run yet",
	  "  --require-backup=2h         refuse without a fresh verified backup\n"
	  "  --allow-execute-command     let executeCommand changes run\n" },
	{ "update-sql", cmd_update, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "print the SQL 'update' would run; change nothing",
	  "  --output-file=FILE          write the SQL there instead of stdout\n"
	  "  --skip-preconditions-in-sql print changesets whatever their\n"
	  "                              preconditions say (Liquibase's way);\n"
	  "                              by default they are checked against\n"
	  "                              the database as it is now\n" },
	{ "update-count", cmd_update, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "apply the next N changesets", "  --count=N\n" },
	{ "update-count-sql", cmd_update, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "print the SQL of the next N changesets", "  --count=N\n" },
	{ "update-to-tag", cmd_update, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "apply changesets up to and including the one with tag T",
	  "  --tag=T\n" },
	{ "update-to-tag-sql", cmd_update, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "print the SQL of 'update-to-tag'", "  --tag=T\n" },
	{ "changelog-sync", cmd_update, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "record every pending changeset as run without running it", "" },
	{ "changelog-sync-sql", cmd_update, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "print the SQL of 'changelog-sync'", "" },
	{ "update-testing-rollback", cmd_update_testing_rollback,
	  CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "update, roll back what ran, update again (tests the rollbacks)",
	  "  --per-changeset             do it for each changeset before the\n"
	  "                              next one\n" },
	{ "rollback", cmd_rollback, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "roll back every changeset run after the tag", "  --tag=T\n" },
	{ "rollback-sql", cmd_rollback, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "print the SQL of 'rollback'; change nothing", "  --tag=T\n" },
	{ "rollback-count", cmd_rollback, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "roll back the last N changesets run", "  --count=N\n" },
	{ "rollback-count-sql", cmd_rollback, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "print the SQL of 'rollback-count'", "  --count=N\n" },
	{ "rollback-to-date", cmd_rollback, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "roll back every changeset run after a date",
	  "  --date=YYYY-MM-DD[THH:MM:SS]  server time\n" },
	{ "rollback-to-date-sql", cmd_rollback, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "print the SQL of 'rollback-to-date'",
	  "  --date=YYYY-MM-DD[THH:MM:SS]\n" },
	{ "rollback-one-changeset", cmd_rollback,
	  CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "roll back one changeset, whatever ran after it",
	  "  --changeset-id=ID --changeset-author=A --changeset-path=P\n"
	  "  --force                     required: this runs out of order\n" },
	{ "rollback-one-changeset-sql", cmd_rollback,
	  CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "print the SQL of 'rollback-one-changeset'",
	  "  --changeset-id=ID --changeset-author=A --changeset-path=P\n" },
	{ "rollback-one-update", cmd_rollback, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "roll back every changeset of one run (DEPLOYMENT_ID)",
	  "  --deployment-id=ID\n"
	  "  --force                     required: this may run out of order\n" },
	{ "rollback-one-update-sql", cmd_rollback,
	  CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "print the SQL of 'rollback-one-update'", "  --deployment-id=ID\n" },
	{ "future-rollback-sql", cmd_rollback, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "print the SQL that would undo the changesets not run yet", "" },
	{ "future-rollback-count-sql", cmd_rollback,
	  CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "print the SQL that would undo the next N changesets", "  --count=N\n" },
	{ "future-rollback-from-tag-sql", cmd_rollback,
	  CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "print the SQL that would undo the pending changesets after a tag",
	  "  --tag=T\n" },
	{ "backup", cmd_backup, CLI_NEEDS_DB,
	  "take a verified backup (pg_dump); or: backup list | verify ID | "
	  "drill ID | prune",
	  "  --backup-dir=DIR            default ./backups\n"
	  "  --schemas=A,B               only these schemas\n"
	  "  --encrypt                   AES-256-GCM, key from --key-file=F or\n"
	  "                              MIGRATOR_BACKUP_KEY\n"
	  "  backup list [--output=json]\n"
	  "  backup verify ID|latest     SHA-256, and pg_restore reads it all\n"
	  "  backup drill ID|latest      restore into a scratch database and\n"
	  "                              compare every table's rows and the schema\n"
	  "  backup prune --keep=N --max-age=7d\n" },
	{ "restore", cmd_restore, CLI_NEEDS_DB,
	  "replace the database with a backup, under the migration lock",
	  "  --backup-id=ID|latest --force\n"
	  "  --backup-dir=DIR, --key-file=F\n" },
	{ "flow", cmd_flow, 0,
	  "run the stages of a flow file (validate, backup, review, update...)",
	  "  --flow-file=F               YAML: globalVariables, stages, endStage\n"
	  "  --output=json               a report of every stage on stdout\n" },
	{ "drop-all", cmd_drop_all, CLI_NEEDS_DB,
	  "drop every object of the schema (local databases only)",
	  "  --schemas=A,B               default: the default schema\n"
	  "  --force --allow-reset-on=DB a non-local database, by name\n" },
	{ "reset", cmd_reset, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "local dev reset: drop-all, then update (e.g. --contexts=dev)",
	  "  --schemas=A,B\n"
	  "  --force --allow-reset-on=DB a non-local database, by name\n" },
	{ "status", cmd_status, CLI_NEEDS_CHANGELOG | CLI_NEEDS_DB,
	  "list the changesets that have not run yet",
	  "  --verbose                   name each pending changeset\n"
	  "  --output=json\n" },
	{ "history", cmd_history, CLI_NEEDS_DB,
	  "list the changesets recorded in DATABASECHANGELOG",
	  "  --output=json\n" },
	{ "validate", cmd_validate, CLI_NEEDS_CHANGELOG,
	  "check the changelog (and, with --url, the stored checksums)",
	  "  --output=json\n"
	  "  --require-rollback          list changesets that cannot be rolled\n"
	  "                              back (exit 3 when any)\n" },
	{ "tag", cmd_tag, CLI_NEEDS_DB, "tag the most recent changeset",
	  "  --tag=T\n" },
	{ "tag-exists", cmd_tag_exists, CLI_NEEDS_DB,
	  "tell whether a tag exists (exit 1 when it does not)", "  --tag=T\n" },
	{ "calculate-checksum", cmd_calculate_checksum, CLI_NEEDS_CHANGELOG,
	  "print a changeset's checksum as 'update' computes it",
	  "  --changeset-identifier=PATH::ID::AUTHOR\n"
	  "  --checksum-version=9|8\n" },
	{ "clear-checksums", cmd_clear_checksums, CLI_NEEDS_DB,
	  "set every stored checksum to NULL (recomputed by the next update)",
	  "" },
	{ "release-locks", cmd_release_locks, CLI_NEEDS_DB,
	  "clear the DATABASECHANGELOGLOCK row", "" },
	{ "list-locks", cmd_list_locks, CLI_NEEDS_DB,
	  "show who holds the migration locks", "  --output=json\n" },
};

static void print_usage(FILE *f)
{
	fputs("usage: migrator [global options] <command> [command options]\n\n"
	      "A Liquibase-compatible migration runner for PostgreSQL.\n\n"
	      "Commands:\n",
	      f);
	for (size_t i = 0; i < MG_ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-20s %s\n", commands[i].name, commands[i].summary);
	fputs("\nOptions (before or after the command):\n" CONN_OPTS CHANGELOG_OPTS
	      "  --defaults-file=FILE        default: ./liquibase.properties\n"
	      "  --lock-wait-timeout=SECONDS default: 300\n"
	      "  --log-level=LEVEL           severe|warning|info|fine\n"
	      "  --version, --help\n\n"
	      "Settings also come from LIQUIBASE_COMMAND_* / LIQUIBASE_*\n"
	      "environment variables and liquibase.properties; libpq's PG*\n"
	      "variables and ~/.pgpass apply. 'migrator <command> --help'\n"
	      "describes one command.\n\n"
	      "Exit codes: 0 success; 1 runtime or database failure; 2 usage;\n"
	      "3 invalid changelog (parse, validation or checksum error);\n"
	      "4 lock not acquired.\n",
	      f);
}

static void print_command_help(const cli_cmd *c)
{
	printf("usage: migrator %s [options]\n\n%s.\n\nOptions:\n", c->name,
	       c->summary);
	fputs(c->usage, stdout);
	if (c->flags & CLI_NEEDS_CHANGELOG)
		fputs(CHANGELOG_OPTS, stdout);
	if (c->flags & CLI_NEEDS_DB)
		fputs(CONN_OPTS "  --lock-wait-timeout=SECONDS\n", stdout);
	fputs("\nExit codes: 0 success; 1 failure; 2 usage; 3 invalid changelog;\n"
	      "4 lock not acquired.\n",
	      stdout);
}

static const cli_cmd *find_command(const char *name)
{
	for (size_t i = 0; i < MG_ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* Length of a password value at `p`: '...' (with \' escapes, as libpq
 * reads conninfo) or up to '&' (URL query) or white space. */
static size_t secret_len(const char *p)
{
	const char *q = p;

	if (*q == '\'') {
		for (q++; *q && *q != '\''; q++)
			if (*q == '\\' && q[1])
				q++;
		return (size_t)(q - p) + (*q ? 1 : 0);
	}
	return strcspn(p, "& \t\n");
}

/* `url` with every password blanked: user:PASSWORD@ of a URL, and
 * password=VALUE as a URL parameter or a conninfo keyword. */
static void redact_passwords(mg_buf *b, const char *url)
{
	const char *scheme = strstr(url, "://"), *p = url;
	const char *at = NULL, *colon = NULL, *end;

	if (scheme) {
		end = scheme + 3 + strcspn(scheme + 3, "/?");
		for (const char *q = scheme + 3; q < end; q++)
			if (*q == '@')
				at = q;
		colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3))
			   : NULL;
	}
	while (*p) {
		bool starts = p == url || strchr("?& \t\n", p[-1]);
		size_t n;

		if (p == colon) {
			mg_buf_puts(b, ":*****");
			p = at;
		} else if (starts && !strncasecmp(p, "password", 8) &&
			   p[8 + strspn(p + 8, " ")] == '=') {
			n = 8 + strspn(p + 8, " ") + 1;
			n += strspn(p + n, " ");
			mg_buf_put(b, p, n);
			mg_buf_puts(b, "*****");
			p += n + secret_len(p + n);
		} else {
			mg_buf_putc(b, *p++);
		}
	}
}

/* URL without its password, for messages and the update-sql header. */
static char *redact_url(const char *url, const char *user)
{
	mg_buf b = MG_BUF_INIT;
	char *out;

	if (user)
		mg_buf_printf(&b, "%s@", user);
	if (url)
		redact_passwords(&b, url);
	/* and whatever the parsing above missed */
	out = mg_error_redact(b.ptr);
	mg_buf_release(&b);
	return out;
}

static int check_options(const mg_opts *o)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->source[i] == 0 && !mg_opts_known(o->keys[i]))
			return cli_error_usage("unknown option '--%s'", o->keys[i]);
	return 0;
}

static int load_changelog(cli_ctx *ctx)
{
	mg_load_options lo = MG_LOAD_OPTIONS_INIT;
	const mg_opts *o = ctx->opts;

	lo.changelog_file = mg_opts_get(o, "changelogfile");
	if (!lo.changelog_file)
		return cli_error_usage("missing '--changelog-file'");
	lo.search_path = mg_opts_get(o, "searchpath");
	lo.properties = (const char *const *)o->props;
	lo.nproperties = o->nprops;
	lo.contexts = mg_opts_get(o, "contexts");
	lo.labels = mg_opts_get(o, "labels");
	lo.allow_env = mg_opts_flag(o, "allowenvsubstitution");
	if (ctx->eng)
		lo.db_properties = mg_engine_db_properties(ctx->eng,
							   &lo.ndb_properties);
	if (mg_changelog_load(&ctx->cl, &lo) < 0)
		return cli_error();
	for (size_t i = 0; i < ctx->cl->nwarnings; i++)
		cli_warn("%s", ctx->cl->warnings[i]);
	return 0;
}

static int connect_db(cli_ctx *ctx)
{
	const mg_opts *o = ctx->opts;
	mg_engine_options eo = { 0 };
	const mg_driver *drv;
	mg_conn *conn = NULL;

	eo.conn.url = mg_opts_get(o, "url");
	eo.conn.username = mg_opts_get(o, "username");
	eo.conn.password = mg_opts_get(o, "password");
	eo.conn.application_name = "migrator";
	drv = mg_driver_for_url(eo.conn.url);
	if (!drv) {
		char *shown = redact_url(eo.conn.url, NULL);
		int rc = cli_error_usage("unsupported database URL '%s'", shown);

		free(shown);
		return rc;
	}
	if (drv->connect(&conn, &eo.conn) < 0)
		return cli_error();
	ctx->url_display = redact_url(eo.conn.url ? eo.conn.url : "",
				      eo.conn.username
					      ? eo.conn.username
					      : mg_conn_info(conn, "user"));
	eo.default_schema = mg_opts_get(o, "defaultschemaname");
	eo.contexts = mg_opts_get(o, "contexts");
	eo.labels = mg_opts_get(o, "labels");
	eo.lock_wait_ms = mg_opts_long(o, "lockwaittimeout", 300) * 1000L;
	eo.strict_order = mg_opts_flag(o, "strictorder");
	eo.allow_execute_command = mg_opts_flag(o, "allowexecutecommand");
	eo.changelog_file = mg_opts_get(o, "changelogfile");
	eo.url_display = ctx->url_display;
	eo.on_event = cli_event;
	{
		const char *lvl = mg_opts_get(o, "loglevel");

		cli_log_sql = lvl && (mg_strieq(lvl, "fine") || mg_strieq(lvl, "debug") ||
				      mg_strieq(lvl, "finer") || mg_strieq(lvl, "finest") ||
				      mg_strieq(lvl, "trace"));
	}
	if (mg_engine_new(&ctx->eng, conn, &eo) < 0) {
		mg_conn_close(conn);
		return cli_error();
	}
	return 0;
}

static int open_output(cli_ctx *ctx)
{
	const char *of = mg_opts_get(ctx->opts, "outputfile");
	const char *fmt = mg_opts_get(ctx->opts, "output");

	ctx->json = fmt && mg_strieq(fmt, "json");
	ctx->out = stdout;
	if (of && !(ctx->out = fopen(of, "w"))) {
		ctx->out = stdout;
		mg_error_set(MG_ERROR, "cannot write '%s'", of);
		return cli_error();
	}
	return 0;
}

const char *mg_conn_info_host(cli_ctx *ctx)
{
	return ctx->eng ? mg_engine_host(ctx->eng) : NULL;
}

const char *mg_conn_info_db(cli_ctx *ctx)
{
	return ctx->eng ? mg_engine_database(ctx->eng) : NULL;
}

/* restore --into URL: the target is another database */
static void set_url(mg_opts *o, const char *url)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], "url")) {
			free(o->values[i]);
			o->values[i] = mg_xstrdup(url);
		}
}

/* backup list / verify / prune read files only */
static bool needs_db(const mg_opts *o, const cli_cmd *cmd)
{
	const char *sub = o->nargs ? o->args[0] : NULL;

	if (!strcmp(cmd->name, "backup") && sub &&
	    (!strcmp(sub, "list") || !strcmp(sub, "verify") ||
	     !strcmp(sub, "prune")))
		return false;
	return (cmd->flags & CLI_NEEDS_DB) != 0;
}

static int main_argc;
static char **main_argv;

/* `ps` shows our command line: blank the passwords in it (those of
 * flags at once, those of URLs once the driver has parsed them). */
static void hide_secrets(void)
{
	for (int i = 1; i < main_argc; i++)
		mg_error_blank_secrets(main_argv[i]);
}

static int run(mg_opts *o, const cli_cmd *cmd)
{
	cli_ctx ctx = { 0 };
	int rc;

	ctx.opts = o;
	if ((rc = open_output(&ctx)) != 0)
		return rc;
	/* connected first, as Liquibase is: the changelog's database.*
	 * properties come from the connection */
	if (!strcmp(cmd->name, "restore") && mg_opts_get(o, "into"))
		set_url(o, mg_opts_get(o, "into"));
	if ((needs_db(o, cmd) ||
	     (!strcmp(cmd->name, "validate") && mg_opts_get(o, "url"))) &&
	    (rc = connect_db(&ctx)))
		goto out;
	hide_secrets();
	if ((cmd->flags & CLI_NEEDS_CHANGELOG) && (rc = load_changelog(&ctx)))
		goto out;
	rc = cmd->fn(&ctx, cmd);
out:
	if (ctx.out && ctx.out != stdout)
		fclose(ctx.out);
	mg_engine_free(ctx.eng);
	mg_changelog_free(ctx.cl);
	free(ctx.url_display);
	return rc;
}

int main(int argc, char **argv)
{
	mg_opts o = { 0 };
	const cli_cmd *cmd;
	char err[512];
	int rc;

	/* a reader that goes away (pg_restore, `| head`) or a file size limit
	 * is an error to report, never a reason to die: writes fail with
	 * EPIPE or EFBIG instead. Children get the defaults back. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);

	if (mg_opts_parse(&o, argc, argv, err, sizeof(err)) < 0) {
		rc = cli_error_usage("%s", err);
		goto out;
	}
	if (mg_opts_flag(&o, "version")) {
		printf("migrator %s (Liquibase %s compatible)\n", MIGRATOR_VERSION,
		       MG_LIQUIBASE_VERSION);
		rc = 0;
		goto out;
	}
	if (!o.command) {
		print_usage(o.help ? stdout : stderr);
		rc = o.help ? 0 : CLI_EXIT_USAGE;
		goto out;
	}
	if (!(cmd = find_command(o.command))) {
		rc = cli_error_usage("unknown command '%s'", o.command);
		goto out;
	}
	if (o.help) {
		print_command_help(cmd);
		rc = 0;
		goto out;
	}
	if ((rc = check_options(&o)) != 0)
		goto out;
	if (mg_opts_load_defaults(&o, err, sizeof(err)) < 0) {
		rc = cli_error_usage("%s", err);
		goto out;
	}
	/* from a flag, liquibase.properties or LIQUIBASE_COMMAND_PASSWORD;
	 * the driver adds those of URLs and libpq's */
	mg_error_add_secret(mg_opts_get(&o, "password"));
	mg_error_add_secret(getenv("PGPASSWORD"));
	main_argc = argc;
	main_argv = argv;
	hide_secrets();
	rc = run(&o, cmd);
out:
	mg_opts_release(&o);
	mg_error_clear();
	return rc;
}
