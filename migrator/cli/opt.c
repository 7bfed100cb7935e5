/* opt.c: command line, environment and liquibase.properties (opt.h). */
#include "opt.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/buf.h"
#include "migrator/error.h"
#include "migrator/jprops.h"
#include "migrator/util.h"

extern char **environ;

/* Every setting migrator understands, normalised (lower case, no '-',
 * '_' or '.'), with the Liquibase spellings that map to it. */
static const char *const aliases[][2] = {
	{ "changelogfile", "changelogfile" },
	{ "url", "url" },
	{ "username", "username" },
	{ "password", "password" },
	{ "defaultschemaname", "defaultschemaname" },
	{ "liquibaseschemaname", "defaultschemaname" },
	{ "contexts", "contexts" },
	{ "contextfilter", "contexts" },
	{ "labels", "labels" },
	{ "labelfilter", "labels" },
	{ "loglevel", "loglevel" },
	{ "defaultsfile", "defaultsfile" },
	{ "searchpath", "searchpath" },
	{ "outputfile", "outputfile" },
	{ "output", "output" },
	{ "reportfile", "reportfile" },
	{ "format", "output" },
	{ "verbose", "verbose" },
	{ "count", "count" },
	{ "tag", "tag" },
	{ "locktimeout", "lockwaittimeout" },
	{ "lockwaittimeout", "lockwaittimeout" },
	{ "changesetidentifier", "changesetidentifier" },
	{ "changesetid", "changesetid" },
	{ "changesetauthor", "changesetauthor" },
	{ "changesetpath", "changesetpath" },
	{ "showbanner", "showbanner" },
	{ "showsummary", "showsummary" },
	{ "showsummaryoutput", "showsummaryoutput" },
	{ "driver", "driver" },
	{ "classpath", "classpath" },
	{ "help", "help" },
	{ "force", "force" },
	{ "skippreconditionsinsql", "skippreconditionsinsql" },
	{ "strictorder", "strictorder" },
	{ "allowenvsubstitution", "allowenvsubstitution" },
	{ "deploymentid", "deploymentid" },
	{ "date", "date" },
	{ "backupdir", "backupdir" },
	{ "schemas", "schemas" },
	{ "encrypt", "encrypt" },
	{ "keyfile", "keyfile" },
	{ "backupid", "backupid" },
	{ "into", "into" },
	{ "keep", "keep" },
	{ "maxage", "maxage" },
	{ "requirebackup", "requirebackup" },
	{ "allowreseton", "allowreseton" },
	{ "flowfile", "flowfile" },
	{ "targets", "targets" },
	{ "parallel", "parallel" },
	{ "continueonfailure", "continueonfailure" },
	{ "logdir", "logdir" },
	{ "shard", "shard" },
	{ "allowexecutecommand", "allowexecutecommand" },
	{ "perchangeset", "perchangeset" },
	{ "requirerollback", "requirerollback" },
	{ "version", "version" },
	{ "checksumversion", "checksumversion" },
	{ "strict", "strict" },
	{ "logfile", "logfile" },
	{ "progress", "progress" },
	{ "hubmode", "ignored" },
	{ "headless", "ignored" },
	{ "monitorperformance", "ignored" },
	{ "reportsenabled", "ignored" },
	{ "analyticsenabled", "ignored" },
};

static void normalise(char *out, size_t len, const char *in)
{
	size_t k = 0;

	for (; *in && k + 1 < len; in++)
		if (*in != '-' && *in != '_' && *in != '.')
			out[k++] = (char)tolower((unsigned char)*in);
	out[k] = '\0';
	for (size_t i = 0; i < MG_ARRAY_SIZE(aliases); i++)
		if (!strcmp(out, aliases[i][0])) {
			snprintf(out, len, "%s", aliases[i][1]);
			return;
		}
}

bool mg_opts_known(const char *n)
{
	for (size_t i = 0; i < MG_ARRAY_SIZE(aliases); i++)
		if (!strcmp(n, aliases[i][1]))
			return true;
	return false;
}

static void set(mg_opts *o, const char *name, const char *value, int source)
{
	char key[128];

	normalise(key, sizeof(key), name);
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key)) {
			if (o->source[i] < source)
				return; /* higher precedence already set */
			free(o->values[i]);
			o->values[i] = mg_xstrdup(value);
			o->source[i] = source;
			return;
		}
	MG_VEC_GROW(o->keys, o->alloc, o->n + 1);
	o->values = mg_xrealloc(o->values, o->alloc * sizeof(char *));
	o->source = mg_xrealloc(o->source, o->alloc * sizeof(int));
	o->keys[o->n] = mg_xstrdup(key);
	o->values[o->n] = mg_xstrdup(value);
	o->source[o->n] = source;
	o->n++;
}

static void add_prop(mg_opts *o, const char *nv)
{
	MG_VEC_GROW(o->props, o->props_alloc, o->nprops + 1);
	o->props[o->nprops++] = mg_xstrdup(nv);
}

static bool takes_no_value(const char *key)
{
	return !strcmp(key, "verbose") || !strcmp(key, "help") ||
	       !strcmp(key, "version") || !strcmp(key, "strict") ||
	       !strcmp(key, "force") || !strcmp(key, "progress") ||
	       !strcmp(key, "skippreconditionsinsql") ||
	       !strcmp(key, "strictorder") || !strcmp(key, "allowenvsubstitution") ||
	       !strcmp(key, "perchangeset") || !strcmp(key, "requirerollback") ||
	       !strcmp(key, "encrypt") || !strcmp(key, "allowexecutecommand") ||
	       !strcmp(key, "continueonfailure");
}

int mg_opts_parse(mg_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char key[128], name[128];
		const char *eq, *value;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			o->help = true;
			continue;
		}
		if (!strncmp(a, "-D", 2) && strchr(a, '=')) {
			add_prop(o, a + 2);
			continue;
		}
		if (strncmp(a, "--", 2) != 0) {
			if (!o->command) {
				o->command = a;
			} else {
				MG_VEC_GROW(o->args, o->args_alloc, o->nargs + 1);
				o->args[o->nargs++] = mg_xstrdup(a);
			}
			continue;
		}
		eq = strchr(a, '=');
		snprintf(name, sizeof(name), "%.*s",
			 (int)(eq ? (size_t)(eq - a - 2) : strlen(a + 2)), a + 2);
		normalise(key, sizeof(key), name);
		if (eq) {
			value = eq + 1;
		} else if (takes_no_value(key)) {
			value = "true";
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			snprintf(err, errlen, "option '--%s' needs a value", name);
			return -1;
		}
		set(o, name, value, 0);
	}
	return 0;
}

static int defaults_entry(const char *key, const char *value, void *arg)
{
	mg_opts *o = arg;
	const char *k = key;

	if (!strncmp(k, "parameter.", 10)) {
		mg_buf nv = MG_BUF_INIT;

		mg_buf_printf(&nv, "%s=%s", k + 10, value);
		add_prop(o, nv.ptr);
		mg_buf_release(&nv);
		return 0;
	}
	if (!strncmp(k, "liquibase.command.", 18))
		k += 18;
	else if (!strncmp(k, "liquibase.", 10))
		k += 10;
	set(o, k, value, 2);
	return 0;
}

/* liquibase.properties: a Java properties file, as Liquibase reads it */
static int read_defaults(mg_opts *o, const char *path, bool required,
			 char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;

	if (mg_read_file(&text, &len, path) < 0) {
		if (!required)
			return 0;
		snprintf(err, errlen, "cannot read defaults file '%s'", path);
		return -1;
	}
	if (mg_jprops_parse(text, len, path, defaults_entry, o) < 0) {
		const mg_error *e = mg_error_last();

		snprintf(err, errlen, "%s:%d: %s", path, e->line, e->message);
		free(text);
		return -1;
	}
	free(text);
	return 0;
}

static void read_env(mg_opts *o)
{
	for (char **e = environ; *e; e++) {
		const char *s = *e, *eq = strchr(s, '=');
		char name[256];

		if (!eq)
			continue;
		if (!strncmp(s, "LIQUIBASE_COMMAND_", 18))
			s += 18;
		else if (!strncmp(s, "LIQUIBASE_", 10))
			s += 10;
		else
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(eq - s), s);
		set(o, name, eq + 1, 1);
	}
}

int mg_opts_load_defaults(mg_opts *o, char *err, size_t errlen)
{
	const char *df;

	read_env(o);
	df = mg_opts_get(o, "defaultsfile");
	return read_defaults(o, df ? df : "liquibase.properties", df != NULL,
			     err, errlen);
}

const char *mg_opts_get(const mg_opts *o, const char *name)
{
	char key[128];

	normalise(key, sizeof(key), name);
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return o->values[i];
	return NULL;
}

bool mg_opts_flag(const mg_opts *o, const char *name)
{
	const char *v = mg_opts_get(o, name);

	return v && (mg_strieq(v, "true") || !strcmp(v, "1") || mg_strieq(v, "yes"));
}

long mg_opts_long(const mg_opts *o, const char *name, long dflt)
{
	const char *v = mg_opts_get(o, name);
	char *end;
	long r;

	if (!v)
		return dflt;
	r = strtol(v, &end, 10);
	return *end ? dflt : r;
}

void mg_opts_release(mg_opts *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->keys[i]);
		free(o->values[i]);
	}
	for (size_t i = 0; i < o->nprops; i++)
		free(o->props[i]);
	for (size_t i = 0; i < o->nargs; i++)
		free(o->args[i]);
	free(o->keys);
	free(o->values);
	free(o->source);
	free(o->props);
	free(o->args);
	memset(o, 0, sizeof(*o));
}
