/*
 * expr.c: Liquibase context and label expressions: names combined with
 * "and", "or", "!" / "not", parentheses, and "," meaning "or".
 */
#include "migrator/load.h"

#include <ctype.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "migrator/util.h"

typedef struct expr_state {
	const char *p;
	/* is `name` (len n) true? */
	bool (*truth)(const char *name, size_t n, const void *payload);
	const void *payload;
} expr_state;

/* '@' is Liquibase's "required" marker ("@!prod" in a changeset is
 * "!prod"); it carries no meaning inside an expression. */
static void skip_ws(expr_state *s)
{
	while (isspace((unsigned char)*s->p) || *s->p == '@')
		s->p++;
}

static bool word_is(const char *p, const char *w)
{
	size_t n = strlen(w);

	return strncasecmp(p, w, n) == 0 &&
	       !(isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '-');
}

static bool parse_or(expr_state *s);

static bool parse_atom(expr_state *s)
{
	const char *start;
	bool v;

	skip_ws(s);
	if (*s->p == '!') {
		s->p++;
		return !parse_atom(s);
	}
	if (word_is(s->p, "not")) {
		s->p += 3;
		return !parse_atom(s);
	}
	if (*s->p == '(') {
		s->p++;
		v = parse_or(s);
		skip_ws(s);
		if (*s->p == ')')
			s->p++;
		return v;
	}
	start = s->p;
	while (*s->p && !isspace((unsigned char)*s->p) && *s->p != ',' &&
	       *s->p != '(' && *s->p != ')')
		s->p++;
	return s->truth(start, (size_t)(s->p - start), s->payload);
}

static bool parse_and(expr_state *s)
{
	bool v = parse_atom(s);

	for (;;) {
		skip_ws(s);
		if (!word_is(s->p, "and"))
			return v;
		s->p += 3;
		v = parse_atom(s) && v;
	}
}

static bool parse_or(expr_state *s)
{
	bool v = parse_and(s);

	for (;;) {
		skip_ws(s);
		if (*s->p == ',') {
			s->p++;
		} else if (word_is(s->p, "or")) {
			s->p += 2;
		} else {
			return v;
		}
		v = parse_and(s) || v;
	}
}

/* Is `name` an item of the comma-separated `list` (case-insensitive)? */
static bool in_list(const char *name, size_t n, const void *payload)
{
	const char *p = payload, *item;
	size_t len;

	while (mg_list_next(&p, &item, &len))
		if (len == n && strncasecmp(item, name, n) == 0)
			return true;
	return false;
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	while (isspace((unsigned char)*s))
		s++;
	return !*s;
}

/* A filter with an '@' item ("--contexts=@dev", "--labels=@v2") also
 * excludes changesets that have no context (labels) at all; normally
 * those always run. */
static char *without_at(const char *filter, bool *required)
{
	char *copy = mg_xstrdup(filter), *o = copy;

	*required = false;
	for (const char *p = filter; *p; p++) {
		if (*p == '@')
			*required = true;
		else
			*o++ = *p;
	}
	*o = '\0';
	return copy;
}

bool mg_context_matches(const char *expr, const char *runtime)
{
	bool required, r;
	char *items;
	expr_state s = { expr, in_list, NULL };

	if (blank(runtime))
		return true;
	items = without_at(runtime, &required);
	if (blank(expr)) {
		r = !required;
	} else {
		s.payload = items;
		r = parse_or(&s);
	}
	free(items);
	return r;
}

bool mg_labels_match(const char *labels, const char *runtime_expr)
{
	bool required, r;
	char *filter;
	expr_state s = { NULL, in_list, labels };

	if (blank(runtime_expr))
		return true;
	filter = without_at(runtime_expr, &required);
	if (blank(labels)) {
		r = !required;
	} else {
		s.p = filter;
		r = parse_or(&s);
	}
	free(filter);
	return r;
}
