/*
 * sqlfile.c: formatted SQL changelogs ("--liquibase formatted sql") ->
 * the node tree of node.h, line by line as Liquibase 4.28's
 * AbstractFormattedChangeLogParser / FormattedSqlChangeLogParser do.
 *
 * Tree (every scalar MG_SCALAR_STRING; "attr" children have is_attr):
 *
 *   databaseChangeLog
 *     formattedSql = "true"                               attr
 *     property {name value context|contextFilter labels dbms global}
 *     changeSet                                           per --changeset
 *       id author runOnChange runAlways context|contextFilter labels
 *       dbms logicalFilePath runInTransaction failOnError ignore
 *       runWith runWithSpoolFile                          attrs as written
 *       sql {splitStatements stripComments [endDelimiter] [reusedBody]}
 *           value = trimmed body (not ${}-expanded)
 *       comment, validCheckSum*                           values as written
 *       preConditions {onFail onError onSqlOutput}
 *         sqlCheck {expectedResult} value = SQL
 *         tableExists {tableName schemaName} / viewExists {viewName ...}
 *       rollback   value = SQL {splitStatements endDelimiter}, or
 *                  {changeSetId changeSetAuthor changeSetPath}, or empty
 *     logicalFilePath                                     attr
 *
 * The Java patterns are case-insensitive and must match whole lines;
 * each matcher below names the pattern it implements. `.*key:(v).*`
 * attributes take the last occurrence on the line, as the greedy `.*`
 * does. 4.28 quirks kept on purpose: ordinary comments such as
 * `-- comment about x` or `  -- rollback ...` are directives; the
 * header's logicalFilePath is re-read on every header line; the last
 * changeset with no body line keeps the previous changeset's SQL
 * ("reusedBody") and loses its rollback; the last changeset whose body
 * ends in "\n/" gets endDelimiter "\n/$"; the lines of a multi-line
 * rollback comment ("/" "* liquibase rollback") are concatenated
 * without separators.
 */
#include "migrator/node.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/buf.h"
#include "migrator/error.h"
#include "migrator/util.h"

#define NOMATCH ((size_t)-1)
#define CHANGESET_FORM "--changeset <authorname>:<changesetId>"

typedef struct span {
	const char *p;
	size_t n;
} span;

typedef struct fsql_line {
	span s;
	unsigned no;
} fsql_line;

typedef struct cs_path {
	mg_node *cs;
	const char *in_effect; /* changelog logicalFilePath at its line */
} cs_path;

typedef struct fsql {
	mg_arena *a;
	const char *file;
	fsql_line *lines;
	size_t nlines, next, lines_alloc;
	mg_node *root;
	const char *lfp;       /* header logicalFilePath in effect, or NULL */
	cs_path *paths;        /* changesets without their own path */
	size_t npaths, paths_alloc;
	/* the open changeset */
	mg_node *cs, *sql, *comment, *pre;
	const char *cs_id, *cs_author;
	unsigned cs_line;
	bool delim_given;
	mg_buf body;
	mg_buf rollback;
	unsigned rollback_line;
	span rb_split, rb_delim;
	bool rb_split_given, rb_delim_given;
	const char *prev;      /* trimmed body of the previous changeset */
} fsql;

/* ---- errors and nodes ---- */

static int MG_PRINTF(4, 5) syntax_error(fsql *p, unsigned line, unsigned col,
					const char *fmt, ...)
{
	mg_buf b = MG_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	mg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	mg_error_set(MG_EPARSE, "%s", b.ptr);
	mg_error_set_location(p->file, (int)line, (int)col);
	mg_buf_release(&b);
	return MG_EPARSE;
}

static int bad_line(fsql *p, const fsql_line *ln, const char *expected)
{
	return syntax_error(p, ln->no, 1,
			    "unexpected formatting in formatted SQL changelog; "
			    "expected '%s'", expected);
}

static mg_node *add_node(fsql *p, mg_node *parent, const char *name,
			 unsigned line, unsigned col)
{
	mg_node *n = mg_node_new(p->a, name, p->file, line, col);

	if (parent)
		mg_node_append(parent, n);
	return n;
}

static mg_node *add_attr(fsql *p, mg_node *parent, const char *name,
			 span v, unsigned line, unsigned col)
{
	mg_node *n = add_node(p, parent, name, line, col);

	n->value = mg_arena_strndup(p->a, v.p, v.n);
	n->kind = MG_SCALAR_STRING;
	n->is_attr = true;
	return n;
}

static span span_of(const char *s)
{
	span r = { s, strlen(s) };

	return r;
}

static span sub(span l, size_t from, size_t to)
{
	span r = { l.p + from, to - from };

	return r;
}

/* ---- Java regex building blocks ---- */

static bool jws(char c) /* \s */
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	       c == '\f' || c == '\r';
}

static bool wchar(char c) /* \w */
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static size_t skip_ws(span l, size_t i)
{
	while (i < l.n && jws(l.p[i]))
		i++;
	return i;
}

static bool at_ci(span l, size_t i, const char *w)
{
	size_t n = strlen(w);

	if (i > l.n || l.n - i < n)
		return false;
	for (size_t k = 0; k < n; k++)
		if (lower(l.p[i + k]) != lower(w[k]))
			return false;
	return true;
}

static span jtrim(span s) /* String.trim */
{
	while (s.n && (unsigned char)s.p[0] <= 0x20) {
		s.p++;
		s.n--;
	}
	while (s.n && (unsigned char)s.p[s.n - 1] <= 0x20)
		s.n--;
	return s;
}

/*
 * `\s*` (lead_ws) + `-` x dashes (dashes < 0: one or more) + `[\s]*` +
 * word: the index after word, or NOMATCH.
 */
static size_t directive(span l, bool lead_ws, int dashes, const char *word)
{
	size_t i = lead_ws ? skip_ws(l, 0) : 0, start = i;

	if (dashes < 0) {
		while (i < l.n && l.p[i] == '-')
			i++;
		if (i == start)
			return NOMATCH;
	} else {
		for (int d = 0; d < dashes; d++, i++)
			if (i >= l.n || l.p[i] != '-')
				return NOMATCH;
	}
	i = skip_ws(l, i);
	return at_ci(l, i, word) ? i + strlen(word) : NOMATCH;
}

/* `:? ` after a directive word: the index of the text after it. */
static size_t colon_space(span l, size_t k)
{
	if (k == NOMATCH || k >= l.n)
		return NOMATCH;
	if (l.p[k] == ':')
		return k + 1 < l.n && l.p[k + 1] == ' ' ? k + 2 : NOMATCH;
	return l.p[k] == ' ' ? k + 1 : NOMATCH;
}

/* The directive followed by one whitespace character (`...\s.*`). */
static bool then_ws(span l, size_t k)
{
	return k != NOMATCH && k < l.n && jws(l.p[k]);
}

/* ---- value patterns for `.*key:(value).*` ---- */

typedef bool (*value_fn)(span l, size_t i, span *v);

static bool v_word(span l, size_t i, span *v) /* (\w+) */
{
	size_t j = i;

	while (j < l.n && wchar(l.p[j]))
		j++;
	*v = sub(l, i, j);
	return j > i;
}

static bool v_word0(span l, size_t i, span *v) /* (\w*) */
{
	v_word(l, i, v);
	return true;
}

/*
 * (\w+) where Liquibase matches after ${} expansion (precondition
 * bodies): a ${name} reference counts as word characters, since the
 * loader expands it later.
 */
static bool v_word_expr(span l, size_t i, span *v)
{
	size_t j = i;

	while (j < l.n) {
		const char *close;

		if (wchar(l.p[j])) {
			j++;
		} else if (at_ci(l, j, "${") &&
			   (close = memchr(l.p + j, '}', l.n - j))) {
			j = (size_t)(close - l.p) + 1;
		} else {
			break;
		}
	}
	*v = sub(l, i, j);
	return j > i;
}

static bool v_nonws0(span l, size_t i, span *v) /* (\S*) */
{
	size_t j = i;

	while (j < l.n && !jws(l.p[j]))
		j++;
	*v = sub(l, i, j);
	return true;
}

static bool v_nonws1(span l, size_t i, span *v) /* (\S+) */
{
	v_nonws0(l, i, v);
	return v->n > 0;
}

static bool v_ws_nonws1(span l, size_t i, span *v) /* \s*(\S+) */
{
	return v_nonws1(l, skip_ws(l, i), v);
}

static bool v_quoted(span l, size_t i, span *v) /* (".*?"|\S*) */
{
	const char *q;

	if (i < l.n && l.p[i] == '"' &&
	    (q = memchr(l.p + i + 1, '"', l.n - i - 1))) {
		*v = sub(l, i, (size_t)(q - l.p) + 1);
		return true;
	}
	return v_nonws0(l, i, v);
}

static bool v_dbms(span l, size_t i, span *v) /* ([^,][\w!,]+) */
{
	size_t j = i + 1;

	if (i >= l.n || l.p[i] == ',')
		return false;
	while (j < l.n && (wchar(l.p[j]) || l.p[j] == '!' || l.p[j] == ','))
		j++;
	*v = sub(l, i, j);
	return j > i + 1;
}

static bool v_runwith(span l, size_t i, span *v) /* ([\w\$\{\}]+) */
{
	size_t j = i;

	while (j < l.n && (wchar(l.p[j]) || l.p[j] == '$' || l.p[j] == '{' ||
			   l.p[j] == '}'))
		j++;
	*v = sub(l, i, j);
	return j > i;
}

static bool v_rest(span l, size_t i, span *v) /* (.*) */
{
	*v = sub(l, i, l.n);
	return true;
}

/* `.*key(value).*`: the last occurrence of key where value matches;
 * *at is its column offset. */
static bool find_attr(span l, const char *key, value_fn fn, span *v,
		      size_t *at)
{
	size_t k = strlen(key);

	if (l.n < k)
		return false;
	for (size_t i = l.n - k + 1; i-- > 0;) {
		if (at_ci(l, i, key) && fn(l, i + k, v)) {
			if (at)
				*at = i;
			return true;
		}
	}
	return false;
}

static span strip_quotes(span s) /* StringUtil.stripEnclosingQuotes */
{
	if (s.n > 1 && (s.p[0] == '"' || s.p[0] == '\'') &&
	    s.p[0] == s.p[s.n - 1])
		return sub(s, 1, s.n - 1);
	return s;
}

static const char *java_bool(span v) /* Boolean.parseBoolean */
{
	return v.n == 4 && at_ci(v, 0, "true") ? "true" : "false";
}

/* ---- line classification ---- */

/* ^\s*--\s*liquibase\s*formatted.* */
static bool is_header(span l)
{
	size_t k = directive(l, true, 2, "liquibase");

	return k != NOMATCH && at_ci(l, skip_ws(l, k), "formatted");
}

/* \s*--[\s]*property\s+(.*:.*)\s+(.*:.*).* */
static bool is_property(span l)
{
	size_t k = directive(l, true, 2, "property"), i;
	const char *c1;

	if (!then_ws(l, k))
		return false;
	if (!(c1 = memchr(l.p + k + 1, ':', l.n - k - 1)))
		return false;
	for (i = (size_t)(c1 - l.p) + 1; i < l.n && !jws(l.p[i]); i++)
		;
	return i < l.n && memchr(l.p + i, ':', l.n - i) != NULL;
}

/* --[\s]*ignoreLines:(\w+) */
static bool is_ignore_lines(span l, span *arg)
{
	size_t k = directive(l, false, 2, "ignoreLines:");

	return k != NOMATCH && v_word(l, k, arg) && k + arg->n == l.n;
}

/* -[\s]*?ignoreLines:(\w+).*$ */
static bool is_bad_ignore_lines(span l)
{
	size_t k = directive(l, false, 1, "ignoreLines:");
	span v;

	return k != NOMATCH && v_word(l, k, &v);
}

/* the above, or --[\s]*ignore:(\w+) */
static bool is_bad_ignore(span l)
{
	size_t k = directive(l, false, 2, "ignore:");
	span v;

	if (is_bad_ignore_lines(l))
		return true;
	return k != NOMATCH && v_word(l, k, &v) && k + v.n == l.n;
}

/* \s*("[^"]+"|\S+) at g: the changeset id. */
static bool changeset_id(span l, size_t g, span *id)
{
	size_t s = skip_ws(l, g);
	const char *q;

	if (s < l.n && l.p[s] == '"' && s + 1 < l.n &&
	    (q = memchr(l.p + s + 1, '"', l.n - s - 1)) && q > l.p + s + 1) {
		*id = sub(l, s, (size_t)(q - l.p) + 1);
		return true;
	}
	return v_nonws1(l, s, id);
}

/*
 * \s*--[\s]*changeset\s+("[^"]+"|[^:]+):\s*("[^"]+"|\S+).*
 * with Java's backtracking order (quoted author first, then up to the
 * first colon; \s+ gives back blanks only when nothing else matches).
 */
static bool is_changeset(span l, span *author, span *id)
{
	size_t k = directive(l, true, 2, "changeset"), end;
	const char *q, *c;

	if (!then_ws(l, k))
		return false;
	end = skip_ws(l, k);
	for (size_t st = end; st > k; st--) {
		if (st < l.n && l.p[st] == '"' && st + 1 < l.n &&
		    (q = memchr(l.p + st + 1, '"', l.n - st - 1)) &&
		    q > l.p + st + 1 && q + 1 < l.p + l.n && q[1] == ':' &&
		    changeset_id(l, (size_t)(q - l.p) + 2, id)) {
			*author = sub(l, st, (size_t)(q - l.p) + 1);
			return true;
		}
		c = st < l.n ? memchr(l.p + st, ':', l.n - st) : NULL;
		if (c && c > l.p + st &&
		    changeset_id(l, (size_t)(c - l.p) + 1, id)) {
			*author = sub(l, st, (size_t)(c - l.p));
			return true;
		}
	}
	return false;
}

/* -[\s]*changeset\s.*  or  \s*--[\s]*changeset[\s]*.*$ */
static bool is_bad_changeset(span l)
{
	return then_ws(l, directive(l, false, 1, "changeset")) ||
	       directive(l, true, 2, "changeset") != NOMATCH;
}

/* --[\s]*comment:? (.*) */
static bool is_comment(span l, span *text)
{
	size_t k = colon_space(l, directive(l, false, 2, "comment"));

	if (k == NOMATCH)
		return false;
	*text = sub(l, k, l.n);
	return true;
}

/* \s*\/\*\s*liquibase\s*rollback\s*$ */
static bool is_rollback_block(span l)
{
	size_t i = skip_ws(l, 0);

	if (!at_ci(l, i, "/*"))
		return false;
	i = skip_ws(l, i + 2);
	if (!at_ci(l, i, "liquibase"))
		return false;
	i = skip_ws(l, i + 9);
	if (!at_ci(l, i, "rollback"))
		return false;
	return skip_ws(l, i + 8) == l.n;
}

/* \s*--[\s]*precondition\-([a-zA-Z0-9-]+)( (.*))?: the name's end. */
static size_t precondition_name(span l, span *name)
{
	size_t k = directive(l, true, 2, "precondition-"), j;

	if (k == NOMATCH)
		return NOMATCH;
	for (j = k; j < l.n; j++) {
		char c = l.p[j];

		if (!(wchar(c) && c != '_') && c != '-')
			break;
	}
	if (j == k)
		return NOMATCH;
	*name = sub(l, k, j);
	return j;
}

/* ---- changeset lines ---- */

static mg_node *cs_attr(fsql *p, const char *name, span v, unsigned line,
			size_t at)
{
	return add_attr(p, p->cs, name, v, line, (unsigned)at + 1);
}

/* context/contextFilter: contextFilter wins unless empty (4.28). */
static void add_context(fsql *p, mg_node *parent, span l, unsigned line)
{
	span v;
	size_t at;
	const char *name = "contextFilter";

	if (!find_attr(l, "contextFilter:", v_quoted, &v, &at) || !v.n) {
		name = "context";
		if (!find_attr(l, "context:", v_quoted, &v, &at))
			return;
	}
	add_attr(p, parent, name, strip_quotes(v), line, (unsigned)at + 1);
}

static void add_changeset_attrs(fsql *p, span l, unsigned line)
{
	static const struct {
		const char *key;
		value_fn fn;
	} keys[] = {
		{ "runOnChange", v_word },    { "runAlways", v_word },
		{ "dbms", v_dbms },           { "runInTransaction", v_word },
		{ "failOnError", v_word },    { "ignore", v_word0 },
		{ "runWith", v_runwith },     { "runWithSpoolFile", v_rest },
	};
	char key[40];
	span v;
	size_t at;

	add_context(p, p->cs, l, line);
	if (find_attr(l, "labels:", v_quoted, &v, &at))
		cs_attr(p, "labels", strip_quotes(v), line, at);
	for (size_t i = 0; i < MG_ARRAY_SIZE(keys); i++) {
		snprintf(key, sizeof(key), "%s:", keys[i].key);
		if (find_attr(l, key, keys[i].fn, &v, &at))
			cs_attr(p, keys[i].key, v, line, at);
	}
	if (find_attr(l, "logicalFilePath:", v_nonws0, &v, &at) && v.n) {
		cs_attr(p, "logicalFilePath", v, line, at);
	} else {
		MG_VEC_GROW(p->paths, p->paths_alloc, p->npaths + 1);
		p->paths[p->npaths].cs = p->cs;
		p->paths[p->npaths++].in_effect = p->lfp;
	}
}

/* splitStatements/stripComments: normalised, true unless given. */
static void add_flag(fsql *p, span l, const char *name, unsigned line)
{
	char key[32];
	span v;
	size_t at = 0;
	bool found;

	snprintf(key, sizeof(key), "%s:", name);
	found = find_attr(l, key, v_word, &v, &at);
	add_attr(p, p->sql, name, span_of(found ? java_bool(v) : "true"), line,
		 found ? (unsigned)at + 1 : 1);
}

static void add_sql_node(fsql *p, span l, unsigned line)
{
	span v;
	size_t at;

	p->sql = add_node(p, p->cs, "sql", line, 1);
	add_flag(p, l, "splitStatements", line);
	add_flag(p, l, "stripComments", line);
	p->delim_given = find_attr(l, "endDelimiter:", v_nonws0, &v, &at);
	if (p->delim_given)
		add_attr(p, p->sql, "endDelimiter", v, line, (unsigned)at + 1);
	p->rb_split_given = find_attr(l, "rollbackSplitStatements:", v_word,
				      &p->rb_split, NULL);
	p->rb_delim_given = find_attr(l, "rollbackEndDelimiter:", v_nonws0,
				      &p->rb_delim, NULL);
}

/* ---- rollback ---- */

/* `^not required.*` / `^empty.*` on the lowercased text: `.` stops at
 * line terminators. */
static bool rollback_is_empty(span t)
{
	size_t k;

	if (at_ci(t, 0, "not required"))
		k = 12;
	else if (at_ci(t, 0, "empty"))
		k = 5;
	else
		return false;
	for (; k < t.n; k++)
		if (t.p[k] == '\n' || t.p[k] == '\r')
			return false;
	return true;
}

static bool contains_ci(span t, const char *w)
{
	for (size_t i = 0; i < t.n; i++)
		if (at_ci(t, i, w))
			return true;
	return false;
}

static int rollback_reference(fsql *p, mg_node *rb, span t)
{
	static const char *const keys[][2] = {
		{ "changeSetId:", "changeSetId" },
		{ "changesetAuthor:", "changeSetAuthor" },
		{ "changesetPath:", "changeSetPath" },
	};
	mg_buf flat = MG_BUF_INIT;
	span f, v;
	int error = 0;

	for (size_t i = 0; i < t.n; i++)
		if (t.p[i] != '\n' && t.p[i] != '\r')
			mg_buf_putc(&flat, t.p[i]);
	f.p = flat.ptr;
	f.n = flat.len;
	for (size_t i = 0; i < MG_ARRAY_SIZE(keys) && !error; i++) {
		if (find_attr(f, keys[i][0], v_nonws1, &v, NULL) &&
		    jtrim(v).n)
			add_attr(p, rb, keys[i][1], jtrim(v), rb->line, 1);
		else if (i < 2)
			error = syntax_error(p, rb->line, 1,
					     "'%s' not set in rollback block "
					     "'%s'", i ? "changesetAuthor" :
					     "changesetId", flat.ptr);
	}
	mg_buf_release(&flat);
	return error;
}

static int finish_rollback(fsql *p)
{
	span t = jtrim((span){ p->rollback.ptr, p->rollback.len });
	mg_node *rb;

	if (!t.n)
		return 0;
	rb = add_node(p, p->cs, "rollback", p->rollback_line, 1);
	if (rollback_is_empty(t))
		return 0;
	if (contains_ci(t, "changesetid"))
		return rollback_reference(p, rb,
					  (span){ p->rollback.ptr,
						  p->rollback.len });
	rb->value = mg_arena_strndup(p->a, t.p, t.n);
	rb->kind = MG_SCALAR_STRING;
	if (p->rb_split_given)
		add_attr(p, rb, "splitStatements",
			 span_of(java_bool(p->rb_split)), rb->line, 1);
	if (p->rb_delim_given)
		add_attr(p, rb, "endDelimiter", p->rb_delim, rb->line, 1);
	return 0;
}

/* The lines of a multi-line rollback comment, up to the closing one. */
static int rollback_block(fsql *p, const fsql_line *start)
{
	if (!p->rollback_line)
		p->rollback_line = start->no;
	while (p->next < p->nlines) {
		span l = p->lines[p->next++].s;
		span r = l;

		while (r.n && jws(r.p[r.n - 1]))
			r.n--;
		if (r.n >= 2 && !memcmp(r.p + r.n - 2, "*/", 2)) {
			r.n -= 2;
			if (jtrim(r).n)
				mg_buf_put(&p->rollback, r.p, r.n);
			return 0;
		}
		mg_buf_put(&p->rollback, l.p, l.n);
	}
	return syntax_error(p, start->no, 1,
			    "liquibase rollback comment is not closed");
}

/* ---- preconditions ---- */

static mg_node *pre_container(fsql *p, unsigned line, bool fresh)
{
	if (!p->pre) {
		p->pre = add_node(p, p->cs, "preConditions", line, 1);
	} else if (fresh) {
		p->pre->first = p->pre->last = NULL;
		p->pre->line = line;
	}
	return p->pre;
}

/* --preconditions onFail:X onError:Y onSqlOutput|onUpdateSQL:Z */
static int on_preconditions(fsql *p, span body, unsigned line)
{
	mg_node *pc = pre_container(p, line, true);
	span v, out;
	bool has_out, has_upd;

	if (find_attr(body, "onFail:", v_word, &v, NULL))
		add_attr(p, pc, "onFail", v, line, 1);
	if (find_attr(body, "onError:", v_word, &v, NULL))
		add_attr(p, pc, "onError", v, line, 1);
	has_out = find_attr(body, "onSqlOutput:", v_word, &out, NULL);
	has_upd = find_attr(body, "onUpdateSQL:", v_word, &v, NULL);
	if (has_out && has_upd)
		return syntax_error(p, line, 1, "preconditions cannot set "
				    "both 'onUpdateSql' and 'onSqlOutput'");
	if (has_out || has_upd)
		add_attr(p, pc, "onSqlOutput", has_out ? out : v, line, 1);
	return 0;
}

/* WORD_AND_QUOTING_PATTERNS: ^(?:expectedResult:)?(\w+|'[^']+'|"[^"]+") (.*) */
static bool parse_sql_check(span b, span *expect, span *sql)
{
	for (int kind = 0; kind < 3; kind++) {
		for (int pre = 1; pre >= 0; pre--) {
			size_t st = 0, e;
			char q = kind == 1 ? '\'' : '"';
			const char *c;

			if (pre && !at_ci(b, 0, "expectedResult:"))
				continue;
			st = pre ? 15 : 0;
			if (kind == 0) {
				if (!v_word_expr(b, st, expect))
					continue;
				e = st + expect->n;
			} else {
				c = NULL;
				if (st < b.n && b.p[st] == q)
					c = memchr(b.p + st + 1, q,
						   b.n - st - 1);
				if (!c || c == b.p + st + 1)
					continue;
				*expect = sub(b, st + 1, (size_t)(c - b.p));
				e = (size_t)(c - b.p) + 1;
			}
			if (e < b.n && b.p[e] == ' ') {
				*sql = sub(b, e + 1, b.n);
				return true;
			}
		}
	}
	return false;
}

static int on_precondition(fsql *p, span name, span body, unsigned line)
{
	mg_node *pc = pre_container(p, line, false), *n;
	span v, s;
	bool table;

	body = jtrim(body);
	if (name.n == 9 && !memcmp(name.p, "sql-check", 9)) {
		if (!parse_sql_check(body, &v, &s))
			return syntax_error(p, line, 1,
					    "could not parse a sql-check "
					    "precondition from '%.*s'",
					    (int)body.n, body.p);
		n = add_node(p, pc, "sqlCheck", line, 1);
		add_attr(p, n, "expectedResult", v, line, 1);
		n->value = mg_arena_strndup(p->a, s.p, s.n);
		n->kind = MG_SCALAR_STRING;
		return 0;
	}
	table = name.n == 12 && !memcmp(name.p, "table-exists", 12);
	if (!table && !(name.n == 11 && !memcmp(name.p, "view-exists", 11)))
		return syntax_error(p, line, 1,
				    "the '%.*s' precondition type is not "
				    "supported", (int)name.n, name.p);
	if (!find_attr(body, table ? "table:" : "view:", v_word_expr, &v, NULL))
		return syntax_error(p, line, 1, "%s name was not specified "
				    "correctly in the %.*s precondition",
				    table ? "table" : "view", (int)name.n,
				    name.p);
	n = add_node(p, pc, table ? "tableExists" : "viewExists", line, 1);
	add_attr(p, n, table ? "tableName" : "viewName", v, line, 1);
	if (find_attr(body, "schema:", v_word_expr, &v, NULL))
		add_attr(p, n, "schemaName", v, line, 1);
	return 0;
}

static int empty_precondition(fsql *p, span name, unsigned line)
{
	static const char *const known[][2] = {
		{ "sql-check", "its expectedResult and SQL" },
		{ "table-exists", "the table name" },
		{ "view-exists", "the view name" },
	};

	for (size_t i = 0; i < MG_ARRAY_SIZE(known); i++)
		if (name.n == strlen(known[i][0]) &&
		    !memcmp(name.p, known[i][0], name.n))
			return syntax_error(p, line, 1,
					    "precondition %s is missing %s",
					    known[i][0], known[i][1]);
	return syntax_error(p, line, 1,
			    "the '%.*s' precondition type is not supported",
			    (int)name.n, name.p);
}

static int on_any_precondition(fsql *p, const fsql_line *ln, bool *done)
{
	span l = ln->s, name = { NULL, 0 };
	size_t k;

	*done = true;
	if ((k = directive(l, true, 2, "preconditions")) != NOMATCH)
		return on_preconditions(p, sub(l, k, l.n), ln->no);
	if (then_ws(l, directive(l, true, 1, "preconditions")))
		return bad_line(p, ln, "--preconditions <onFail>|<onError>|"
				"<onUpdate>");
	k = precondition_name(l, &name);
	if (k != NOMATCH && k < l.n && l.p[k] == ' ')
		return on_precondition(p, name, sub(l, k + 1, l.n), ln->no);
	if (directive(l, true, 1, "precondition") != NOMATCH)
		return bad_line(p, ln, "--precondition-sql-check");
	if (k == l.n)
		return empty_precondition(p, name, ln->no);
	*done = false;
	return 0;
}

/* A line inside a changeset (configureChangeSet). */
static int changeset_line(fsql *p, const fsql_line *ln)
{
	span l = ln->s, v;
	size_t k;
	bool done;
	int error;

	if (is_comment(l, &v)) {
		if (!p->comment)
			p->comment = add_node(p, p->cs, "comment", ln->no, 1);
		p->comment->value = mg_arena_strndup(p->a, v.p, v.n);
		p->comment->kind = MG_SCALAR_STRING;
		p->comment->line = ln->no;
		return 0;
	}
	if (colon_space(l, directive(l, false, 1, "comment")) != NOMATCH ||
	    colon_space(l, directive(l, false, 2, "comments")) != NOMATCH)
		return bad_line(p, ln, "--comment <comment>");
	if ((k = colon_space(l, directive(l, false, 2, "validCheckSum"))) !=
	    NOMATCH) {
		mg_node *n = add_node(p, p->cs, "validCheckSum", ln->no, 1);

		n->value = mg_arena_strndup(p->a, l.p + k, l.n - k);
		n->kind = MG_SCALAR_STRING;
		return 0;
	}
	if (directive(l, false, 1, "validCheckSum") != NOMATCH)
		return bad_line(p, ln, "--validChecksum <checksum>");
	k = directive(l, true, 2, "rollback");
	if (k != NOMATCH && k < l.n && l.p[k] == ' ') {
		if (!p->rollback_line)
			p->rollback_line = ln->no;
		mg_buf_put(&p->rollback, l.p + k + 1, l.n - k - 1);
		mg_buf_putc(&p->rollback, '\n');
		return 0;
	}
	if (then_ws(l, directive(l, true, 1, "rollback")))
		return bad_line(p, ln, "--rollback <rollback SQL>");
	if (is_rollback_block(l))
		return rollback_block(p, ln);
	if ((error = on_any_precondition(p, ln, &done)) < 0 || done)
		return error;
	if (!p->body.len)
		p->sql->line = ln->no;
	mg_buf_put(&p->body, l.p, l.n);
	mg_buf_putc(&p->body, '\n');
	return 0;
}

/* ---- changesets ---- */

static const char *trimmed_body(fsql *p)
{
	span t = jtrim((span){ p->body.ptr, p->body.len });

	return t.n ? mg_arena_strndup(p->a, t.p, t.n) : NULL;
}

static void set_sql(fsql *p, const char *value)
{
	p->sql->value = mg_arena_strdup(p->a, value ? value : "");
	p->sql->kind = MG_SCALAR_STRING;
}

static void close_changeset(fsql *p)
{
	mg_node_append(p->root, p->cs);
	p->cs = p->sql = p->comment = p->pre = NULL;
	p->rollback_line = 0;
	mg_buf_reset(&p->body);
	mg_buf_reset(&p->rollback);
}

/* A changeset line ends the open changeset: its body must not be empty. */
static int end_changeset(fsql *p, const char **final)
{
	int error;

	*final = trimmed_body(p);
	if (!p->cs)
		return 0;
	if (!*final) {
		const char *path = mg_node_get(p->cs, "logicalFilePath");

		return syntax_error(p, p->cs_line, 1,
				    "no SQL for changeset '%s::%s::%s'",
				    path ? path : p->lfp ? p->lfp : p->file,
				    p->cs_id,
				    p->cs_author);
	}
	set_sql(p, *final);
	if ((error = finish_rollback(p)) < 0)
		return error;
	close_changeset(p);
	return 0;
}

static int start_changeset(fsql *p, const fsql_line *ln, span author,
			   span id)
{
	span l = ln->s;
	const char *final;
	mg_node *n;
	int error;

	if ((error = end_changeset(p, &final)) < 0)
		return error;
	p->prev = final;
	p->cs = add_node(p, NULL, "changeSet", ln->no, 1);
	p->cs_line = ln->no;
	n = add_attr(p, p->cs, "id", strip_quotes(id), ln->no,
		     (unsigned)(id.p - l.p) + 1);
	p->cs_id = n->value;
	n = add_attr(p, p->cs, "author", strip_quotes(author), ln->no,
		     (unsigned)(author.p - l.p) + 1);
	p->cs_author = n->value;
	add_changeset_attrs(p, l, ln->no);
	add_sql_node(p, l, ln->no);
	/* provisional SQL: what 4.28 keeps if no body line follows */
	set_sql(p, final);
	return 0;
}

/* EOF: the 4.28 end-of-file rules for the last changeset. */
static int end_file(fsql *p)
{
	int error;

	if (!p->cs)
		return 0;
	if (p->body.len) {
		const char *body = trimmed_body(p);
		size_t n = body ? strlen(body) : 0;

		set_sql(p, body);
		if (!p->delim_given && n >= 2 && !strcmp(body + n - 2, "\n/"))
			add_attr(p, p->sql, "endDelimiter", span_of("\n/$"),
				 p->sql->line, 1);
		if ((error = finish_rollback(p)) < 0)
			return error;
	} else if (p->prev) {
		add_attr(p, p->sql, "reusedBody", span_of("true"), p->cs_line,
			 1);
	}
	close_changeset(p);
	return 0;
}

/* ---- file level ---- */

static int add_property(fsql *p, const fsql_line *ln)
{
	mg_node *n = add_node(p, p->root, "property", ln->no, 1);
	span l = ln->s, v;
	size_t at;

	if (find_attr(l, "name:", v_ws_nonws1, &v, &at))
		add_attr(p, n, "name", v, ln->no, (unsigned)at + 1);
	if (find_attr(l, "value:", v_ws_nonws1, &v, &at))
		add_attr(p, n, "value", v, ln->no, (unsigned)at + 1);
	add_context(p, n, l, ln->no);
	if (find_attr(l, "labels:", v_quoted, &v, &at))
		add_attr(p, n, "labels", strip_quotes(v), ln->no,
			 (unsigned)at + 1);
	if (find_attr(l, "dbms:", v_dbms, &v, &at))
		add_attr(p, n, "dbms", jtrim(v), ln->no, (unsigned)at + 1);
	if (find_attr(l, "global:", v_nonws1, &v, &at))
		add_attr(p, n, "global", v, ln->no, (unsigned)at + 1);
	return 0;
}

/* --ignoreLines:start ... --ignoreLines:end, or --ignoreLines:N.
 * Returns 1 when the line was one. */
static int ignore_lines(fsql *p, const fsql_line *ln)
{
	span arg;
	uint64_t count = 0;

	if (!is_ignore_lines(ln->s, &arg))
		return is_bad_ignore(ln->s) ?
			       bad_line(p, ln, "--ignoreLines:<count|start>") :
			       0;
	if (arg.n == 5 && !memcmp(arg.p, "start", 5)) {
		while (p->next < p->nlines) {
			const fsql_line *in = &p->lines[p->next++];

			if (is_ignore_lines(in->s, &arg)) {
				if (arg.n == 3 && !memcmp(arg.p, "end", 3))
					break;
			} else if (is_bad_ignore_lines(in->s)) {
				return bad_line(p, in, "--ignoreLines:end");
			}
		}
		return 1;
	}
	for (size_t i = 0; i < arg.n; i++) {
		if (arg.p[i] < '0' || arg.p[i] > '9' ||
		    count > (INT64_MAX - 9) / 10)
			return syntax_error(p, ln->no, 1,
					    "unknown ignoreLines syntax '%.*s'",
					    (int)arg.n, arg.p);
		count = count * 10 + (uint64_t)(arg.p[i] - '0');
	}
	while (count-- > 0 && p->next < p->nlines)
		p->next++;
	return 1;
}

static void read_header(fsql *p, span l)
{
	span v;

	/* 4.28 re-reads it on every header line; no attribute resets it */
	p->lfp = find_attr(l, "logicalFilePath:", v_nonws0, &v, NULL) ?
			 mg_arena_strndup(p->a, v.p, v.n) :
			 NULL;
}

/*
 * `\s*--[\s]*include\s+.*` or `...includeAll\s+.*`: the Liquibase 4.28
 * CLI refuses these without a Liquibase Pro key ("Using include with
 * formatted SQL requires a valid Liquibase Pro key"), so no community
 * changelog has them and migrator does not read them as comments.
 */
static int include_line(fsql *p, const fsql_line *ln)
{
	static const char *const words[] = { "includeAll", "include" };
	span l = ln->s;

	for (size_t i = 0; i < MG_ARRAY_SIZE(words); i++)
		if (then_ws(l, directive(l, true, 2, words[i])))
			return syntax_error(p, ln->no,
					    (unsigned)skip_ws(l, 0) + 1,
					    "'--%s' in a formatted SQL changelog "
					    "is a Liquibase Pro feature, which "
					    "Liquibase 4.28 refuses without a "
					    "Pro key and migrator does not have",
					    words[i]);
	return 0;
}

static int handle_line(fsql *p, const fsql_line *ln)
{
	span l = ln->s, author, id, text;
	int r;

	if (is_property(l))
		return add_property(p, ln);
	if (then_ws(l, directive(l, true, -1, "property")))
		return bad_line(p, ln, "--property name=<property name> "
				"value=<property value>");
	if (is_header(l))
		read_header(p, l);
	if ((r = ignore_lines(p, ln)) != 0)
		return r < 0 ? r : 0;
	if ((r = include_line(p, ln)) < 0)
		return r;
	/* the id must follow the colon directly */
	if (is_changeset(l, &author, &id) && id.p == author.p + author.n + 1)
		return start_changeset(p, ln, author, id);
	if (is_bad_changeset(l))
		return bad_line(p, ln, CHANGESET_FORM);
	if (p->cs)
		return changeset_line(p, ln);
	if (is_comment(l, &text))
		return syntax_error(p, ln->no, 1,
				    "formatted SQL changelogs do not allow "
				    "comment lines outside of changesets");
	return 0;
}

/* Changesets parsed under another header logicalFilePath than the final
 * one get it explicitly (the file's own path when it was none). */
static void fix_paths(fsql *p)
{
	for (size_t i = 0; i < p->npaths; i++) {
		const char *v = p->paths[i].in_effect;

		if (mg_streq(v, p->lfp))
			continue;
		add_attr(p, p->paths[i].cs, "logicalFilePath",
			 span_of(v ? v : p->file), p->paths[i].cs->line, 1);
	}
	if (p->lfp)
		add_attr(p, p->root, "logicalFilePath", span_of(p->lfp), 1, 1);
}

static void split_lines(fsql *p, const char *text, size_t len)
{
	size_t i = 0;
	unsigned no = 0;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len) {
		size_t start = i;

		while (i < len && text[i] != '\n' && text[i] != '\r')
			i++;
		MG_VEC_GROW(p->lines, p->lines_alloc, p->nlines + 1);
		p->lines[p->nlines].s.p = text + start;
		p->lines[p->nlines].s.n = i - start;
		p->lines[p->nlines++].no = ++no;
		if (i < len && text[i] == '\r' && i + 1 < len &&
		    text[i + 1] == '\n')
			i++;
		if (i < len)
			i++;
	}
}

/* Length of the well-formed UTF-8 sequence at s[0..n) (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), 0 if there is
 * none there. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t k = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
	       : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
	       : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;

	if (k == 0 || k > n)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) ||
	    (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
		return 0;
	return k;
}

/* The text must be UTF-8 without NUL: the bytes go to the database as
 * they are (statements and DATABASECHANGELOG values), where an invalid
 * sequence would fail only after the history tables were created and a
 * NUL would silently cut a statement short. */
static int check_text(fsql *p, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned line = 1, col = 1;

	for (size_t i = 0; i < len;) {
		size_t k = s[i] ? utf8_seq(s + i, len - i) : 0;

		if (s[i] == 0)
			return syntax_error(p, line, col, "a NUL byte");
		if (k == 0)
			return syntax_error(p, line, col,
					    "invalid UTF-8 (byte 0x%02X)",
					    (unsigned)s[i]);
		if (s[i] == '\n' ||
		    (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'))) {
			line++;
			col = 1;
		} else {
			col++;
		}
		i += k;
	}
	return 0;
}

/* supports(): the first non-blank line must be the header. */
static bool has_header(const fsql *p)
{
	for (size_t i = 0; i < p->nlines; i++)
		if (jtrim(p->lines[i].s).n)
			return is_header(p->lines[i].s);
	return false;
}

int mg_parse_sqlfile(mg_node **out, mg_arena *a, const char *file,
		     const char *text, size_t len)
{
	fsql p;
	int error = 0;

	memset(&p, 0, sizeof(p));
	mg_buf_init(&p.body, 0);
	mg_buf_init(&p.rollback, 0);
	p.a = a;
	p.file = mg_arena_strdup(a, file ? file : "");
	*out = NULL;
	if ((error = check_text(&p, text, len)) < 0)
		goto out;
	split_lines(&p, text, len);
	if (!has_header(&p)) {
		error = MG_ENOTFOUND;
		goto out;
	}
	p.root = add_node(&p, NULL, "databaseChangeLog", 1, 1);
	add_attr(&p, p.root, "formattedSql", span_of("true"), 1, 1);
	while (p.next < p.nlines && error >= 0) {
		const fsql_line *ln = &p.lines[p.next++];

		error = handle_line(&p, ln);
	}
	if (error >= 0)
		error = end_file(&p);
	if (error < 0)
		goto out;
	fix_paths(&p);
	*out = p.root;
out:
	free(p.lines);
	free(p.paths);
	mg_buf_release(&p.body);
	mg_buf_release(&p.rollback);
	return error < 0 ? error : 0;
}
