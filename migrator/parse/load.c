/*
 * load.c: changelog files -> model.
 *
 * Reads each file with the parser its extension names, walks the
 * databaseChangeLog node in document order (properties, changesets,
 * includes), expands ${properties} in place before a changeset is built,
 * and records the FILENAME, CONTEXTS and LABELS values Liquibase 4.28
 * writes (spec sections 2.5, 4.12, 4.13, 5).
 */
#include "migrator/load.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "migrator/buf.h"
#include "migrator/checksum.h"
#include "migrator/encoding.h"
#include "migrator/jprops.h"
#include "migrator/error.h"
#include "migrator/regex.h"
#include "migrator/util.h"

typedef struct property {
	const char *name, *value;
	const char *file; /* non-NULL: local to this file */
} property;

/* What a file inherits from the chain of includes that reached it. */
typedef struct file_ctx {
	const struct file_ctx *parent;
	const char *path;      /* logical-ish physical path: FILENAME basis */
	const char *fs_path;   /* path to open */
	const char *logical;   /* logicalFilePath of the file, or NULL */
	const char *own_ctx;   /* context of the file's root element */
	const char *inc_ctx;   /* context on the include that reached it */
	const char *inc_labels;
	bool formatted_sql;    /* a formatted SQL changelog */
	const mg_node *root;   /* the file's root element */
	const char *quoting;   /* its objectQuotingStrategy, or NULL */
	unsigned add_column_strip; /* removeChangeSetProperty: STRIP_* */
} file_ctx;

/* Column properties a <removeChangeSetProperty change="addColumn"> can
 * take away from the addColumn changes after it in the same file. */
enum {
	STRIP_AFTER_COLUMN = 1,
	STRIP_BEFORE_COLUMN = 2,
	STRIP_POSITION = 4,
};

typedef struct loader {
	mg_changelog *cl;
	const mg_load_options *opts;
	property *props;
	size_t nprops, alloc;
	const char **roots;
	size_t nroots;
	int depth;
	const mg_node *at;  /* node being expanded, for warnings */
	mg_buf problems;    /* every problem found, one per line */
	size_t nproblems;
	mg_error first;     /* the first problem, whole */
	bool expand_failed; /* a ${property} loop or blow-up was found */
	size_t expand_limit; /* of the value being expanded */
} loader;

static int load_file(loader *ld, const file_ctx *fc);
static int load_raw_sql(loader *ld, const file_ctx *fc,
			const char *text);
static void check_duplicates(loader *ld);
static void strip_add_columns(mg_node *n, unsigned strip);
static void unlink_children(mg_node *n, const char *name);
static void record_problem(loader *ld);

/* ---- paths (spec 5.1) ---- */

static char *normalize_path(mg_arena *a, const char *in)
{
	mg_buf out = MG_BUF_INIT;
	char *res;

	mg_path_normalize(&out, in);
	res = mg_arena_strdup(a, out.ptr);
	mg_buf_release(&out);
	return res;
}

static char *dir_of(mg_arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? mg_arena_strndup(a, path, (size_t)(slash - path))
		     : mg_arena_strdup(a, "");
}

static char *join_path(mg_arena *a, const char *dir, const char *name)
{
	if (!dir || !*dir || name[0] == '/')
		return mg_arena_strdup(a, name);
	return mg_arena_printf(a, "%s/%s", dir, name);
}

static bool file_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static bool regular_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Find `rel` in the search path; returns the filesystem path or NULL. */
static const char *resolve(loader *ld, const char *rel)
{
	if (rel[0] == '/' && file_exists(rel))
		return rel;
	for (size_t i = 0; i < ld->nroots; i++) {
		const char *p = join_path(&ld->cl->arena, ld->roots[i], rel);

		if (file_exists(p))
			return p;
	}
	return NULL;
}

/* The path an absolute or ./-relative file has inside the search path. */
static const char *search_relative(loader *ld, const char *given)
{
	char *abs_given = realpath(given, NULL);
	const char *res = NULL;

	if (given[0] != '/' || !abs_given) {
		free(abs_given);
		return normalize_path(&ld->cl->arena, given);
	}
	for (size_t i = 0; i < ld->nroots && !res; i++) {
		char *root = realpath(ld->roots[i], NULL);
		size_t n = root ? strlen(root) : 0;

		if (root && strncmp(abs_given, root, n) == 0 &&
		    (abs_given[n] == '/' || n == 1))
			res = normalize_path(&ld->cl->arena, abs_given + n);
		free(root);
	}
	if (!res)
		res = normalize_path(&ld->cl->arena, given);
	free(abs_given);
	return res;
}

/* ---- properties (spec 2.5) ---- */

/*
 * ChangeLogParameters.getChangelogParameter: names compare ignoring
 * case; the global definitions are searched first, oldest first, then
 * this file's local ones, newest first.
 */
static bool prop_is(const property *p, const char *name, size_t n)
{
	return strlen(p->name) == n && !strncasecmp(p->name, name, n);
}

static const char *prop_lookup(loader *ld, const char *name, size_t n,
			       const char *file)
{
	for (size_t i = 0; i < ld->nprops; i++)
		if (!ld->props[i].file && prop_is(&ld->props[i], name, n))
			return ld->props[i].value;
	for (size_t i = ld->nprops; i-- > 0;)
		if (ld->props[i].file && mg_streq(ld->props[i].file, file) &&
		    prop_is(&ld->props[i], name, n))
			return ld->props[i].value;
	return NULL;
}

static void prop_add(loader *ld, const char *name, const char *value,
		     const char *file)
{
	MG_VEC_GROW(ld->props, ld->alloc, ld->nprops + 1);
	ld->props[ld->nprops].name = name;
	ld->props[ld->nprops].value = value ? value : "";
	ld->props[ld->nprops].file = file;
	ld->nprops++;
}

static void warn_at(loader *ld, const mg_node *n, const char *fmt,
		    const char *arg)
{
	mg_changelog *cl = ld->cl;
	mg_buf b = MG_BUF_INIT;

	if (cl->nwarnings >= 1000)
		return;
	if (n)
		mg_buf_printf(&b, "%s:%u:%u: ", n->file, n->line, n->col);
	mg_buf_printf(&b, fmt, arg);
	MG_VEC_GROW(cl->warnings, cl->warnings_alloc, cl->nwarnings + 1);
	cl->warnings[cl->nwarnings++] = mg_buf_detach(&b);
}

/* Unknown name: the environment when allowed (Liquibase does it always,
 * silently; we only on --allow-env-substitution). */
static const char *prop_fallback(loader *ld, const char *name, size_t n)
{
	char key[256];
	const char *v;

	snprintf(key, sizeof(key), "%.*s", (int)n, name);
	if (ld->opts->allow_env && (v = getenv(key)))
		return v;
	warn_at(ld, ld->at, "property '${%s}' is not defined; left as is", key);
	return NULL;
}

/* The properties being expanded, innermost first: a name met again
 * inside its own value is a loop. */
typedef struct expanding {
	const char *name;
	size_t n;
	const struct expanding *up;
} expanding;

/* How much expansion may add to one value: "a=${b}${b}", "b=${c}${c}",
 * ... doubles at each level, so a few lines could otherwise ask for
 * terabytes. */
#define EXPAND_MAX ((size_t)16 << 20)

/* A loop or a blow-up is a problem of the changelog (Liquibase dies of
 * a StackOverflowError on a loop); once one is recorded, expansion
 * stops, so that a value does not report it again at every step. */
static void expand_failed(loader *ld, const char *fmt, const char *name,
			  size_t n)
{
	char key[256];

	if (ld->expand_failed)
		return;
	ld->expand_failed = true;
	snprintf(key, sizeof(key), "%.*s", (int)n, name);
	mg_error_set(MG_EINVALID, fmt, key);
	if (ld->at)
		mg_error_set_location(ld->at->file, (int)ld->at->line,
				      (int)ld->at->col);
	record_problem(ld);
}

static bool expanding_has(const expanding *e, const char *name, size_t n)
{
	for (; e; e = e->up)
		if (e->n == n && !strncmp(e->name, name, n))
			return true;
	return false;
}

static void expand_into(loader *ld, mg_buf *out, const char *s,
			const char *file, int depth, const expanding *up)
{
	while (*s) {
		const char *open = strstr(s, "${"), *close;
		const char *name, *end, *val;
		size_t n;

		if (!open || ld->expand_failed) {
			mg_buf_puts(out, s);
			return;
		}
		close = strchr(open + 2, '}');
		if (!close) {
			mg_buf_puts(out, s);
			return;
		}
		mg_buf_put(out, s, (size_t)(open - s));
		name = open + 2;
		end = close;
		while (name < end && isspace((unsigned char)*name))
			name++;
		while (end > name && isspace((unsigned char)end[-1]))
			end--;
		n = (size_t)(end - name);
		val = prop_lookup(ld, name, n, file);
		if (!val)
			val = prop_fallback(ld, name, n);
		if (val && expanding_has(up, name, n))
			expand_failed(ld, "property '${%s}' refers to itself", name, n);
		else if (out->len > ld->expand_limit)
			expand_failed(ld, "property '${%s}' makes the value grow by "
				      "more than 16 MiB", name, n);
		if (val && depth < 16 && !ld->expand_failed) {
			expanding e = { name, n, up };

			expand_into(ld, out, val, file, depth + 1, &e);
		} else {
			mg_buf_put(out, open, (size_t)(close + 1 - open));
		}
		s = close + 1;
	}
}

static char *expand(loader *ld, const char *s, const char *file)
{
	mg_buf b = MG_BUF_INIT;
	char *r;

	if (!s || !strstr(s, "${"))
		return (char *)s;
	ld->expand_limit = strlen(s) + EXPAND_MAX;
	expand_into(ld, &b, s, file, 0, NULL);
	r = mg_arena_strdup(&ld->cl->arena, b.ptr);
	mg_buf_release(&b);
	return r;
}

/* Formatted SQL keeps ${} in --comment and --validCheckSum (4.28). */
static bool expands(const mg_node *n, bool fsql)
{
	if (!fsql || !n->name)
		return true;
	return strcmp(n->name, "comment") && strcmp(n->name, "validCheckSum");
}

static void expand_node(loader *ld, mg_node *n, const file_ctx *fc)
{
	ld->at = n;
	if (n->value && expands(n, fc->formatted_sql))
		n->value = expand(ld, n->value, fc->path);
	for (mg_node *c = n->first; c; c = c->next)
		expand_node(ld, c, fc);
}


static int invalid_at(const mg_node *n, const char *fmt, const char *arg)
{
	mg_error_set(MG_EINVALID, fmt, arg);
	mg_error_set_location(n->file, (int)n->line, (int)n->col);
	return MG_EINVALID;
}

/* contextFilter wins over context unless it is empty (4.28). */
static const mg_node *node_ctx_attr(const mg_node *n)
{
	const mg_node *c = mg_node_child(n, "contextFilter");

	return c && c->value && *c->value ? c : mg_node_child(n, "context");
}

static const char *node_ctx(const mg_node *n)
{
	const mg_node *c = node_ctx_attr(n);

	return c ? c->value : NULL;
}

/* A context expression Liquibase would throw on when it filters (an
 * unclosed '(') fails the changelog now, at the attribute, whatever the
 * runtime contexts. */
static int check_ctx(const mg_node *n)
{
	const mg_node *c = node_ctx_attr(n);

	if (!c || mg_context_expr_check(c->value) == 0)
		return 0;
	mg_error_set_location(c->file, (int)c->line, (int)c->col);
	return MG_EINVALID;
}

/* ---- YAML and JSON value types ---- */

static const char *shape_name(const mg_node *n)
{
	if (n->shape == MG_SHAPE_MAP)
		return "a mapping";
	if (n->shape == MG_SHAPE_LIST)
		return "a list";
	return n->kind == MG_SCALAR_NULL ? "null" : "a scalar";
}

/*
 * A YAML or JSON value of another type than the place takes (a list or
 * a scalar where a mapping goes, a mapping or a scalar where a list
 * goes) would read as empty or as something else; Liquibase 4.28 reads
 * most of them silently. `want` is MG_SHAPE_* flags; null is let
 * through when `null_ok`.
 */
static int expect_shape(const mg_node *n, unsigned want, bool null_ok)
{
	const char *what = want == MG_SHAPE_MAP ? "a mapping"
			   : want == MG_SHAPE_LIST ? "a list"
						   : "a list or a mapping";

	if (!n->shape || (n->shape & want) ||
	    (null_ok && n->shape == MG_SHAPE_SCALAR &&
	     n->kind == MG_SCALAR_NULL))
		return 0;
	mg_error_set(MG_EINVALID, "'%s' must be %s, not %s", n->name, what,
		     shape_name(n));
	mg_error_set_location(n->file, (int)n->line, (int)n->col);
	return MG_EINVALID;
}

/* The items of a YAML/JSON list of entries (`changes`, `columns`, the
 * changelog itself) are mappings of one key each: another item has no
 * name here and would be skipped. */
static int expect_named_items(const mg_node *list, const char *example)
{
	for (const mg_node *c = list->first; c; c = c->next) {
		if (c->name || c->is_attr || !c->shape)
			continue;
		mg_error_set(MG_EINVALID, "an item of '%s' must be a mapping of "
			     "one key, such as '%s', not %s%s", list->name,
			     example, shape_name(c),
			     c->shape == MG_SHAPE_MAP ? " of several keys" : "");
		mg_error_set_location(c->file, (int)c->line, (int)c->col);
		return MG_EINVALID;
	}
	return 0;
}

/* key=value / key: value lines of a Java properties file (no line
 * continuations or unicode escapes). */
typedef struct prop_file {
	loader *ld;
	const char *local;
	size_t first; /* this file's first property */
} prop_file;

/* Properties keeps a key's last value; each key is then defined once. */
static int prop_file_entry(const char *key, const char *value, void *arg)
{
	prop_file *pf = arg;
	loader *ld = pf->ld;

	for (size_t i = pf->first; i < ld->nprops; i++) {
		if (!strcmp(ld->props[i].name, key)) {
			ld->props[i].value = mg_arena_strdup(&ld->cl->arena, value);
			return 0;
		}
	}
	prop_add(ld, mg_arena_strdup(&ld->cl->arena, key),
		 mg_arena_strdup(&ld->cl->arena, value), pf->local);
	return 0;
}

/* <property file="...">: a Java properties file (util/jprops.c). */
static int load_property_file(loader *ld, const mg_node *n, const file_ctx *fc,
			      const char *local)
{
	const char *name = mg_node_get(n, "file"), *fs;
	prop_file pf = { ld, local, ld->nprops };
	char *text = NULL;
	size_t len = 0;
	int error;

	if (mg_java_bool(mg_node_get(n, "relativeToChangelogFile")))
		fs = join_path(&ld->cl->arena, dir_of(&ld->cl->arena, fc->fs_path),
			       name);
	else
		fs = resolve(ld, name);
	if (!fs || !file_exists(fs))
		return invalid_at(n, "property file '%s' does not exist", name);
	if ((error = mg_read_file(&text, &len, fs)) < 0)
		return error;
	error = mg_jprops_parse(text, len, name, prop_file_entry, &pf);
	free(text);
	return error;
}

static int load_property(loader *ld, mg_node *n, const file_ctx *fc)
{
	const char *name, *value, *dbms, *global, *ctx, *labels, *local;

	expand_node(ld, n, fc);
	name = mg_node_get(n, "name");
	value = mg_node_get(n, "value");
	dbms = mg_node_get(n, "dbms");
	global = mg_node_get(n, "global");
	ctx = mg_node_get(n, "context");
	if (!ctx)
		ctx = mg_node_get(n, "contextFilter");
	labels = mg_node_get(n, "labels");
	if (check_ctx(n) < 0)
		return MG_EINVALID;
	if (!name && !mg_node_get(n, "file"))
		return invalid_at(n, "property needs a 'name' or a 'file'%s", "");
	if (!mg_dbms_matches(dbms))
		return 0;
	if (!mg_context_matches(ctx, ld->opts->contexts) ||
	    !mg_labels_match(labels, ld->opts->labels))
		return 0;
	local = global && !mg_java_bool(global) ? fc->path : NULL;
	if (mg_node_get(n, "file"))
		return load_property_file(ld, n, fc, local);
	prop_add(ld, name, value, local);
	return 0;
}

/* ---- CONTEXTS / LABELS columns (spec 4.12, 4.13) ---- */

static void ctx_piece(mg_buf *b, const char *piece)
{
	if (!piece || !*piece)
		return;
	if (b->len)
		mg_buf_puts(b, " AND ");
	if (strpbrk(piece, ", "))
		mg_buf_printf(b, "(%s)", piece);
	else
		mg_buf_puts(b, piece);
}

static void ctx_chain(mg_buf *b, const file_ctx *fc)
{
	for (; fc; fc = fc->parent) {
		ctx_piece(b, fc->own_ctx);
		ctx_piece(b, fc->inc_ctx);
	}
}

static void label_group(mg_buf *b, const char *labels)
{
	const char *p = labels, *start;
	size_t len;

	while (mg_list_next(&p, &start, &len)) {
		const char *end = start + len;
		mg_buf item = MG_BUF_INIT;
		bool dup = false;

		for (const char *q = start; q < end; q++)
			mg_buf_putc(&item, (char)tolower((unsigned char)*q));
		/* de-duplicate against what this group already holds */
		for (const char *q = b->ptr, *have; mg_list_next(&q, &have, &len);)
			if (len == item.len && !strncmp(have, item.ptr, len))
				dup = true;
		if (!dup) {
			if (b->len)
				mg_buf_putc(b, ',');
			mg_buf_puts(b, item.ptr);
		}
		mg_buf_release(&item);
	}
}

static const char *render_labels(loader *ld, const file_ctx *fc,
				 const char *own)
{
	mg_buf all = MG_BUF_INIT;
	const char *res;

	for (; fc; fc = fc->parent) {
		mg_buf g = MG_BUF_INIT;

		label_group(&g, fc->inc_labels);
		if (g.len) {
			if (all.len)
				mg_buf_putc(&all, ',');
			mg_buf_puts(&all, g.ptr);
		}
		mg_buf_release(&g);
	}
	{
		mg_buf g = MG_BUF_INIT;

		label_group(&g, own);
		if (g.len) {
			if (all.len)
				mg_buf_putc(&all, ',');
			mg_buf_puts(&all, g.ptr);
		}
		mg_buf_release(&g);
	}
	res = all.len ? mg_arena_strdup(&ld->cl->arena, all.ptr) : NULL;
	mg_buf_release(&all);
	return res;
}

static const char *file_ext(const char *p)
{
	const char *dot = strrchr(p, '.');

	return dot ? dot + 1 : "";
}

#include "load_changeset.inc"

/* ---- includes ---- */

static bool changelog_ext(const char *p)
{
	const char *e = file_ext(p);

	return !strcmp(e, "xml") || !strcmp(e, "yaml") || !strcmp(e, "yml") ||
	       !strcmp(e, "json") || !strcmp(e, "sql");
}

static int include_path(loader *ld, const mg_node *n, const file_ctx *fc,
			const char *path, const char *ctx, const char *labels,
			bool required)
{
	file_ctx child = { 0 };
	const char *fs;

	child.parent = fc;
	child.path = normalize_path(&ld->cl->arena, path);
	child.inc_ctx = ctx;
	child.inc_labels = labels;
	fs = resolve(ld, path);
	if (!fs)
		fs = resolve(ld, child.path);
	if (!fs) {
		if (!required)
			return 0;
		return invalid_at(n, "included file '%s' does not exist",
				  path);
	}
	/* a directory or a file of no changelog format is the include's
	 * problem, at the include, rather than an error of reading it */
	if (!regular_file(fs))
		return invalid_at(n, "included file '%s' is not a regular file",
				  path);
	if (!changelog_ext(child.path))
		return invalid_at(n, "included file '%s' is not a changelog "
				  "(.xml, .yaml, .yml, .json or .sql)", path);
	child.fs_path = fs;
	return load_file(ld, &child);
}

static const char *include_target(loader *ld, const mg_node *n,
				  const file_ctx *fc, const char *attr)
{
	const char *file = mg_node_get(n, attr);

	if (!file)
		return NULL;
	if (mg_java_bool(mg_node_get(n, "relativeToChangelogFile")))
		return join_path(&ld->cl->arena,
				 dir_of(&ld->cl->arena, fc->path), file);
	return file;
}

static int load_include(loader *ld, mg_node *n, const file_ctx *fc)
{
	const char *path;

	expand_node(ld, n, fc);
	if (check_ctx(n) < 0)
		return MG_EINVALID;
	path = include_target(ld, n, fc, "file");
	if (!path)
		return invalid_at(n, "include without a 'file'%s", "");
	return include_path(ld, n, fc, path, node_ctx(n),
			    mg_node_get(n, "labels"),
			    !mg_node_get(n, "errorIfMissing") ||
				    mg_java_bool(mg_node_get(n, "errorIfMissing")));
}

typedef struct path_list {
	char **items;
	size_t n, alloc;
} path_list;

static void list_dir(path_list *out, const char *fs_dir, const char *rel,
		     int depth, int min_depth, int max_depth)
{
	DIR *d = opendir(fs_dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char *fs, *r;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		fs = mg_xmalloc(strlen(fs_dir) + strlen(e->d_name) + 2);
		r = mg_xmalloc(strlen(rel) + strlen(e->d_name) + 2);
		sprintf(fs, "%s/%s", fs_dir, e->d_name);
		sprintf(r, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		if (stat(fs, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth < max_depth)
				list_dir(out, fs, r, depth + 1, min_depth,
					 max_depth);
			free(r);
		} else if (depth >= min_depth && changelog_ext(r)) {
			MG_VEC_GROW(out->items, out->alloc, out->n + 1);
			out->items[out->n++] = r;
		} else {
			free(r);
		}
		free(fs);
	}
	closedir(d);
}

static int cmp_java_paths(const void *a, const void *b)
{
	return mg_java_strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_include_all(loader *ld, mg_node *n, const file_ctx *fc)
{
	path_list files = { 0 };
	const char *path, *fs, *mind, *maxd;
	char *dir;
	int error = 0;

	expand_node(ld, n, fc);
	if (check_ctx(n) < 0)
		return MG_EINVALID;
	path = include_target(ld, n, fc, "path");
	if (!path)
		return invalid_at(n, "includeAll without a 'path'%s", "");
	if (mg_node_get(n, "filter") || mg_node_get(n, "resourceFilter"))
		return invalid_at(n, "includeAll filter '%s' names a Java class, "
				     "which migrator cannot run; list the files "
				     "with include instead",
				  mg_node_get(n, "filter") ? mg_node_get(n, "filter")
							   : mg_node_get(n, "resourceFilter"));
	dir = normalize_path(&ld->cl->arena, path);
	fs = resolve(ld, dir);
	mind = mg_node_get(n, "minDepth");
	maxd = mg_node_get(n, "maxDepth");
	if (fs)
		list_dir(&files, fs, dir, 1, mind ? atoi(mind) : 1,
			 maxd ? atoi(maxd) : 1 << 20);
	if (!files.n) {
		const char *req = mg_node_get(n, "errorIfMissingOrEmpty");

		if (!req || mg_java_bool(req))
			error = invalid_at(n, "includeAll path '%s' has no changelog files",
					   path);
		goto out;
	}
	qsort(files.items, files.n, sizeof(char *), cmp_java_paths);
	for (size_t i = 0; i < files.n && !error; i++)
		error = include_path(ld, n, fc, files.items[i], node_ctx(n),
				     mg_node_get(n, "labels"), true);
out:
	for (size_t i = 0; i < files.n; i++)
		free(files.items[i]);
	free(files.items);
	return error;
}

/* ---- files ---- */

static int parse_text(mg_node **root, loader *ld, const file_ctx *fc,
		      const char *text, size_t len)
{
	const char *e = file_ext(fc->path);
	const char *name = mg_arena_strdup(&ld->cl->arena, fc->path);

	if (!strcmp(e, "xml"))
		return mg_parse_xml(root, &ld->cl->arena, name, text, len);
	if (!strcmp(e, "yaml") || !strcmp(e, "yml"))
		return mg_parse_yaml(root, &ld->cl->arena, name, text, len);
	if (!strcmp(e, "json"))
		return mg_parse_json(root, &ld->cl->arena, name, text, len);
	if (!strcmp(e, "sql"))
		return mg_parse_sqlfile(root, &ld->cl->arena, name, text, len);
	mg_error_set(MG_EINVALID, "unknown changelog format '%s'", fc->path);
	return MG_EINVALID;
}

/*
 * A problem in one changeset or included file does not stop the loading:
 * it is recorded, so that one run (validate, or any command) reports
 * every problem of the changelog at once.
 */
static void record_problem(loader *ld)
{
	const mg_error *e = mg_error_last();

	if (!ld->nproblems) {
		ld->first.code = e->code;
		ld->first.message = mg_xstrdup(e->message ? e->message : "");
		ld->first.file = e->file ? mg_xstrdup(e->file) : NULL;
		ld->first.line = e->line;
		ld->first.col = e->col;
		ld->first.detail = e->detail ? mg_xstrdup(e->detail) : NULL;
	}
	if (e->file && e->line)
		mg_buf_printf(&ld->problems, "%s:%d:%d: ", e->file, e->line, e->col);
	mg_buf_printf(&ld->problems, "%s\n", e->message ? e->message : "");
	ld->nproblems++;
}

/* The error mg_changelog_load returns: the problem, or a summary. */
static int report_problems(loader *ld)
{
	mg_error *f = &ld->first;
	int code = ld->nproblems == 1 ? f->code : MG_EINVALID;

	if (ld->nproblems == 1) {
		mg_error_set(code, "%s", f->message);
		mg_error_set_location(f->file, f->line, f->col);
		if (f->detail)
			mg_error_set_detail("%s", f->detail);
	} else {
		mg_error_set(code, "the changelog has %zu problems", ld->nproblems);
		mg_error_set_detail("%s", ld->problems.ptr);
	}
	free(f->message);
	free(f->file);
	free(f->detail);
	mg_buf_release(&ld->problems);
	return code;
}

/*
 * <removeChangeSetProperty change="addColumn" dbms="..." remove="..."/>:
 * when the dbms list names PostgreSQL (an empty list names nothing), the
 * addColumn changes read after it in this file lose that property of
 * their columns before anything, the checksum included, sees them.
 * Other change types have no such visitor in Liquibase 4.28.
 */
static int load_remove_property(loader *ld, mg_node *n, file_ctx *fc)
{
	static const struct {
		const char *name;
		unsigned bit;
	} props[] = {
		{ "afterColumn", STRIP_AFTER_COLUMN },
		{ "beforeColumn", STRIP_BEFORE_COLUMN },
		{ "position", STRIP_POSITION },
	};
	const char *change, *remove, *dbms;

	expand_node(ld, n, fc);
	change = mg_node_get(n, "change");
	remove = mg_node_get(n, "remove");
	dbms = mg_node_get(n, "dbms");
	if (!change || strcmp(change, "addColumn"))
		return 0;
	if (!dbms || !*dbms || !mg_dbms_matches(dbms))
		return 0;
	for (size_t i = 0; i < MG_ARRAY_SIZE(props); i++) {
		if (remove && !strcmp(remove, props[i].name)) {
			fc->add_column_strip |= props[i].bit;
			return 0;
		}
	}
	return invalid_at(n, "unexpected value '%s' for remove in "
			     "removeChangeSetProperty (afterColumn, beforeColumn "
			     "or position)", remove ? remove : "");
}

static void unlink_children(mg_node *n, const char *name)
{
	mg_node *prev = NULL;

	for (mg_node *c = n->first, *next; c; c = next) {
		next = c->next;
		if (c->name && !strcmp(c->name, name)) {
			if (prev)
				prev->next = next;
			else
				n->first = next;
			if (n->last == c)
				n->last = prev;
			continue;
		}
		prev = c;
	}
}

static void strip_columns(mg_node *n, unsigned strip)
{
	for (mg_node *c = n->first; c; c = c->next) {
		if (!c->name || !strcmp(c->name, "columns")) {
			strip_columns(c, strip);
			continue;
		}
		if (strcmp(c->name, "column"))
			continue;
		if (strip & STRIP_AFTER_COLUMN)
			unlink_children(c, "afterColumn");
		if (strip & STRIP_BEFORE_COLUMN)
			unlink_children(c, "beforeColumn");
		if (strip & STRIP_POSITION)
			unlink_children(c, "position");
		/* a YAML column is a map under its key */
		strip_columns(c, strip);
	}
}

/* Every addColumn in a changeset (its rollback too). */
static void strip_add_columns(mg_node *n, unsigned strip)
{
	for (mg_node *c = n->first; c; c = c->next) {
		if (c->is_attr)
			continue;
		if (c->name && !strcmp(c->name, "addColumn"))
			strip_columns(c, strip);
		else
			strip_add_columns(c, strip);
	}
}

/* Each file's changelog preconditions are kept, with the properties
 * known where they stand; Liquibase checks them all (every file's
 * container is nested in one global container). */
static int add_changelog_preconditions(loader *ld, mg_node *n,
				       const file_ctx *fc)
{
	mg_changelog *cl = ld->cl;
	int error;

	expand_node(ld, n, fc);
	if ((error = check_preconditions(n)) < 0)
		return error;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	MG_VEC_GROW(cl->preconditions, cl->preconditions_alloc,
		    cl->npreconditions + 1);
	cl->preconditions[cl->npreconditions++] = n;
	return 0;
}

/* What each entry of a YAML/JSON databaseChangeLog list must hold. */
static int check_entry_shape(const mg_node *n)
{
	static const char *const maps[] = {
		"changeSet", "include", "includeAll", "property",
		"removeChangeSetProperty",
	};

	if (!strcmp(n->name, "preConditions"))
		return expect_shape(n, MG_SHAPE_MAP | MG_SHAPE_LIST, true);
	for (size_t i = 0; i < MG_ARRAY_SIZE(maps); i++)
		if (!strcmp(n->name, maps[i]))
			return expect_shape(n, MG_SHAPE_MAP, false);
	return 0;
}

static int walk_root(loader *ld, mg_node *root, file_ctx *fc)
{
	int error = expect_named_items(root, "- changeSet:");

	for (mg_node *n = root->first; n; n = n->next) {
		if (error < 0) {
			record_problem(ld);
			error = 0;
		}
		if (n->is_attr || !n->name)
			continue;
		if ((error = check_entry_shape(n)) < 0)
			continue;
		if (!strcmp(n->name, "changeSet"))
			error = load_changeset(ld, n, fc);
		else if (!strcmp(n->name, "property"))
			error = load_property(ld, n, fc);
		else if (!strcmp(n->name, "include"))
			error = load_include(ld, n, fc);
		else if (!strcmp(n->name, "includeAll"))
			error = load_include_all(ld, n, fc);
		else if (!strcmp(n->name, "preConditions"))
			error = add_changelog_preconditions(ld, n, fc);
		else if (!strcmp(n->name, "removeChangeSetProperty"))
			error = load_remove_property(ld, n, fc);
		else if (!strcmp(n->name, "logicalFilePath") ||
			 !strcmp(n->name, "context") ||
			 !strcmp(n->name, "contextFilter") ||
			 !strcmp(n->name, "formattedSql") ||
			 !strcmp(n->name, "objectQuotingStrategy"))
			continue;
		else
			error = invalid_at(n, "unknown element '%s' in databaseChangeLog",
					   n->name);
	}
	if (error < 0)
		record_problem(ld);
	return 0;
}

static int load_file(loader *ld, const file_ctx *fc_in)
{
	file_ctx fc = *fc_in;
	char *text = NULL;
	size_t len = 0;
	mg_node *root = NULL;
	int error;

	if (++ld->depth > 64) {
		error = mg_error_set(MG_EINVALID,
				     "includes nested too deeply at '%s'", fc.path);
		goto out;
	}
	if ((error = mg_read_file(&text, &len, fc.fs_path)) < 0)
		goto out;
	error = parse_text(&root, ld, &fc, text, len);
	if (error == MG_ENOTFOUND && !strcmp(file_ext(fc.path), "sql")) {
		error = load_raw_sql(ld, &fc, text);
		goto out;
	}
	if (error < 0)
		goto out;
	fc.formatted_sql = mg_node_get(root, "formattedSql") != NULL;
	/* the root's own attributes; changesets expand when reached, so
	 * that properties defined earlier in the file apply */
	for (mg_node *a = root->first; a; a = a->next)
		if (a->value && !a->first) {
			ld->at = a;
			a->value = expand(ld, a->value, fc.path);
		}
	fc.logical = mg_node_get(root, "logicalFilePath");
	fc.own_ctx = node_ctx(root);
	fc.root = root;
	fc.quoting = mg_node_get(root, "objectQuotingStrategy");
	if ((error = check_ctx(root)) < 0)
		goto out;
	error = walk_root(ld, root, &fc);
out:
	free(text);
	ld->depth--;
	return error;
}

static void split_roots(loader *ld, const char *sp)
{
	char *copy = mg_arena_strdup(&ld->cl->arena, sp ? sp : ".");
	size_t alloc = 0;

	for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
		while (isspace((unsigned char)*tok))
			tok++;
		MG_VEC_GROW(ld->roots, alloc, ld->nroots + 1);
		ld->roots[ld->nroots++] = tok;
	}
}

static void apply_run_order(mg_changelog *cl)
{
	mg_changeset **sorted;
	size_t k = 0;
	mg_run_order order[] = { MG_RUN_ORDER_FIRST, MG_RUN_ORDER_DEFAULT,
				 MG_RUN_ORDER_LAST };

	if (cl->nsets < 2)
		return; /* and cl->sets may be NULL: no memcpy to it */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	sorted = mg_xmalloc(sizeof(*sorted) * cl->nsets);
	for (size_t o = 0; o < 3; o++)
		for (size_t i = 0; i < cl->nsets; i++)
			if (cl->sets[i]->run_order == order[o])
				sorted[k++] = cl->sets[i];
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	memcpy(cl->sets, sorted, sizeof(*sorted) * cl->nsets);
	free(sorted);
}

static void keep_properties(loader *ld)
{
	mg_changelog *cl = ld->cl;

	cl->prop_names = mg_arena_alloc(&cl->arena, sizeof(char *) * (ld->nprops + 1));
	cl->prop_values = mg_arena_alloc(&cl->arena, sizeof(char *) * (ld->nprops + 1));
	for (size_t i = 0; i < ld->nprops; i++) {
		if (ld->props[i].file)
			continue;
		cl->prop_names[cl->nprops] = ld->props[i].name;
		cl->prop_values[cl->nprops++] = ld->props[i].value;
	}
}

const char *mg_changelog_property(const mg_changelog *cl, const char *name)
{
	for (size_t i = 0; i < cl->nprops; i++)
		if (!strcmp(cl->prop_names[i], name))
			return cl->prop_values[i];
	return NULL;
}

/* "name=value" strings: global properties defined before the changelog's */
static void add_given_properties(loader *ld, const char *const *props, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(props[i], '=');

		if (!eq)
			continue;
		prop_add(ld, mg_arena_strndup(&ld->cl->arena, props[i],
					      (size_t)(eq - props[i])),
			 mg_arena_strdup(&ld->cl->arena, eq + 1), NULL);
	}
}

int mg_changelog_load(mg_changelog **out, const mg_load_options *opts)
{
	loader ld = { 0 };
	file_ctx root = { 0 };
	int error;

	ld.cl = mg_xcalloc(1, sizeof(*ld.cl));
	ld.opts = opts;
	ld.cl->root_path = mg_arena_strdup(&ld.cl->arena, opts->changelog_file);
	split_roots(&ld, opts->search_path);
	add_given_properties(&ld, opts->db_properties, opts->ndb_properties);
	add_given_properties(&ld, opts->properties, opts->nproperties);
	root.path = search_relative(&ld, opts->changelog_file);
	root.fs_path = opts->changelog_file;
	if (opts->changelog_file[0] != '/' && !file_exists(root.fs_path)) {
		const char *fs = resolve(&ld, opts->changelog_file);

		if (fs)
			root.fs_path = fs;
	}
	error = load_file(&ld, &root);
	if (!error)
		check_duplicates(&ld);
	if (!error && ld.nproblems)
		error = report_problems(&ld);
	if (!error)
		apply_run_order(ld.cl);
	if (!error)
		keep_properties(&ld);
	free(ld.props);
	free(ld.roots);
	if (error < 0) {
		mg_changelog_free(ld.cl);
		return error;
	}
	*out = ld.cl;
	return 0;
}
