/*
 * expr.c: Liquibase context and label expressions.
 *
 * Liquibase 4.28 does not parse these with a grammar: ExpressionMatcher
 * rewrites the string. Innermost parentheses are evaluated first and
 * replaced by ":TRUE" or ":FALSE", commas become " or ", the text is
 * split on " or ", then on " and ", and what is left is one name with
 * an optional "!", "not " or "@" in front. Several of its outcomes
 * follow from that rewriting and not from any grammar (with no runtime
 * items, every name that is not "@required" is true, even "!name"), so
 * this file follows the same steps rather than a parser of its own.
 *
 * A changeset context ("a, b and c") and a runtime label filter are
 * lists split on ',' first; each piece is one such expression and the
 * list matches when one piece does. Runtime contexts and changeset
 * labels are plain lists of names (the "items").
 */
#include "migrator/model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migrator/buf.h"
#include "migrator/error.h"
#include "migrator/util.h"

typedef struct items {
	char **v;
	size_t n, alloc;
} items;

/* java.util.regex \s */
static bool jspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

/* String.trim(): everything <= ' ' at both ends, in place. */
static char *jtrim(char *s)
{
	size_t n;

	while (*s && (unsigned char)*s <= ' ')
		s++;
	n = strlen(s);
	while (n && (unsigned char)s[n - 1] <= ' ')
		s[--n] = '\0';
	return s;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static void items_add(items *it, const char *s, size_t n)
{
	MG_VEC_GROW(it->v, it->alloc, it->n + 1);
	it->v[it->n++] = mg_xstrndup(s, n);
}

static void items_free(items *it)
{
	for (size_t i = 0; i < it->n; i++)
		free(it->v[i]);
	free(it->v);
	memset(it, 0, sizeof(*it));
}

/*
 * StringUtil.splitAndTrim(trimToNull(s), ","), each piece lower-cased,
 * after removing backslashes when `unescape` (the Contexts and
 * LabelExpression constructors do; ContextExpression and Labels don't).
 * String.split drops trailing empty pieces, before they are trimmed.
 */
static void split_list(items *out, const char *s, bool unescape)
{
	char *copy, *t, *o;
	size_t last;
	items raw = { 0 };

	if (!s)
		return;
	copy = mg_xstrdup(s);
	if (unescape) {
		for (t = o = copy; *t; t++)
			if (*t != '\\')
				*o++ = *t;
		*o = '\0';
	}
	t = jtrim(copy);
	if (*t) {
		for (char *p = t;; p++) {
			if (*p == ',' || !*p) {
				items_add(&raw, t, (size_t)(p - t));
				if (!*p)
					break;
				t = p + 1;
			}
		}
	}
	for (last = raw.n; last && !raw.v[last - 1][0]; last--)
		;
	for (size_t i = 0; i < last; i++) {
		char *v = jtrim(raw.v[i]);

		lower(v);
		items_add(out, v, strlen(v));
	}
	items_free(&raw);
	free(copy);
}

static bool has_item(const items *it, const char *name)
{
	for (size_t i = 0; i < it->n; i++)
		if (!strcasecmp(it->v[i], name))
			return true;
	return false;
}

/*
 * Split `s` where \s+WORD\s+ matches (leftmost, greedy, no overlap), as
 * String.split does: trailing empty pieces are dropped.
 */
static void split_word(items *out, const char *s, const char *word)
{
	size_t wl = strlen(word), len = strlen(s), start = 0, i = 0;

	while (i < len) {
		size_t j = i, k;

		if (!jspace(s[i])) {
			i++;
			continue;
		}
		while (j < len && jspace(s[j]))
			j++;
		k = j + wl;
		if (j < len && !strncmp(s + j, word, wl) && k < len && jspace(s[k])) {
			while (k < len && jspace(s[k]))
				k++;
			items_add(out, s + start, i - start);
			start = i = k;
			continue;
		}
		i = j;
	}
	items_add(out, s + start, len - start);
	while (out->n && !out->v[out->n - 1][0])
		free(out->v[--out->n]);
}

/* `\([^()]+\)`: the first innermost parenthesised group, or false. */
static bool find_group(const char *s, size_t *open, size_t *close)
{
	for (size_t i = 0; s[i]; i++) {
		size_t j = i + 1;

		if (s[i] != '(')
			continue;
		while (s[j] && s[j] != '(' && s[j] != ')')
			j++;
		if (j > i + 1 && s[j] == ')') {
			*open = i;
			*close = j;
			return true;
		}
	}
	return false;
}

static bool matches(const char *expression, const items *it);

/* Each piece of `s` split on WORD: any (or) or all (and) must match.
 * Returns -1 when `s` does not split. */
static int split_eval(const char *s, const char *word, bool any,
		      const items *it)
{
	items parts = { 0 };
	int r = -1;

	split_word(&parts, s, word);
	if (parts.n > 1) {
		r = any ? 0 : 1;
		for (size_t i = 0; i < parts.n; i++) {
			if (matches(parts.v[i], it) == any) {
				r = any ? 1 : 0;
				break;
			}
		}
	}
	items_free(&parts);
	return r;
}

/* "^@\s*(!|not ).+": the prefix's length, or 0 */
static size_t required_not_prefix(const char *s)
{
	size_t i = 1;

	if (s[0] != '@')
		return 0;
	while (jspace(s[i]))
		i++;
	if (s[i] == '!')
		i++;
	else if (!strncmp(s + i, "not ", 4))
		i += 4;
	else
		return 0;
	return s[i] && s[i] != '\n' && s[i] != '\r' ? i : 0;
}

static bool trimmed_is(const char *s, const char *word)
{
	size_t n = strlen(s), w = strlen(word);

	while (n && (unsigned char)*s <= ' ')
		s++, n--;
	while (n && (unsigned char)s[n - 1] <= ' ')
		n--;
	return n == w && !strncmp(s, word, w);
}

/* One name, after the operators are gone. */
static bool match_name(char *e, const items *it)
{
	bool negated = false, required = false;
	size_t k;

	if (*e == '!') {
		negated = true;
		e = jtrim(e + 1);
	} else if (!strncasecmp(e, "not ", 4)) {
		negated = true;
		e = jtrim(e + 4);
	} else if ((k = required_not_prefix(e))) {
		negated = true;
		e = jtrim(e + k);
	}
	if (*e == '@') {
		required = true;
		e = jtrim(e + 1);
	}
	if (!required && !it->n)
		return true;
	/* the marks are compared trimmed, the names as they are */
	if (trimmed_is(e, ":TRUE"))
		return !negated;
	if (trimmed_is(e, ":FALSE"))
		return negated;
	return has_item(it, e) != negated;
}

/*
 * Replace each innermost group by " :TRUE " or " :FALSE ", its value
 * against `it`, until no '(' is left; with no `it`, every group counts as
 * true (only whether they close is asked). False where Liquibase throws
 * "Cannot parse expression": a '(' that closes no group.
 */
static bool reduce_groups(mg_buf *b, const items *it)
{
	size_t open, close;

	while (strchr(b->ptr, '(')) {
		mg_buf next = MG_BUF_INIT;
		char *inner;
		bool value = true;

		if (!find_group(b->ptr, &open, &close))
			return false;
		if (it) {
			inner = mg_xstrndup(b->ptr + open + 1, close - open - 1);
			value = matches(inner, it);
			free(inner);
		}
		mg_buf_put(&next, b->ptr, open);
		mg_buf_puts(&next, value ? " :TRUE " : " :FALSE ");
		mg_buf_puts(&next, b->ptr + close + 1);
		mg_buf_release(b);
		*b = next;
	}
	return true;
}

/* replaceAll("\\s*,\\s*", " or ") */
static void commas_to_or(mg_buf *b)
{
	mg_buf c = MG_BUF_INIT;

	for (const char *p = b->ptr; *p; p++) {
		if (jspace(*p) || *p == ',') {
			const char *q = p;

			while (jspace(*q))
				q++;
			if (*q == ',') {
				for (q++; jspace(*q); q++)
					;
				mg_buf_puts(&c, " or ");
				p = q - 1;
				continue;
			}
		}
		mg_buf_putc(&c, *p);
	}
	mg_buf_release(b);
	*b = c;
}

/* ExpressionMatcher.matches */
static bool matches(const char *expression, const items *it)
{
	mg_buf b = MG_BUF_INIT;
	int r;

	mg_buf_puts(&b, expression);
	mg_buf_trim(&b);
	if (!strcmp(b.ptr, ":TRUE") || !strcmp(b.ptr, ":FALSE")) {
		r = b.ptr[1] == 'T';
	} else if (!reduce_groups(&b, it)) {
		r = 0; /* Liquibase throws "Cannot parse expression" */
	} else {
		commas_to_or(&b);
		r = split_eval(b.ptr, "or", true, it);
		if (r < 0)
			r = split_eval(b.ptr, "and", false, it);
		if (r < 0)
			r = match_name(b.ptr, it);
	}
	mg_buf_release(&b);
	return r;
}

/* Any piece of the list `exprs` matches `it`; an empty list matches. */
static bool list_matches(const char *exprs, bool unescape, const items *it)
{
	items pieces = { 0 };
	bool r;

	split_list(&pieces, exprs, unescape);
	r = !pieces.n;
	for (size_t i = 0; !r && i < pieces.n; i++)
		r = matches(pieces.v[i], it);
	items_free(&pieces);
	return r;
}

bool mg_context_matches(const char *expr, const char *runtime)
{
	items it = { 0 };
	bool r;

	split_list(&it, runtime, true);
	r = list_matches(expr, false, &it);
	items_free(&it);
	return r;
}

bool mg_labels_match(const char *labels, const char *runtime_expr)
{
	items it = { 0 };
	bool r;

	split_list(&it, labels, false);
	r = list_matches(runtime_expr, true, &it);
	items_free(&it);
	return r;
}

/* Whether every group of `piece` closes (reduce_groups without
 * evaluating them): false where Liquibase would throw. */
static bool groups_close(const char *piece)
{
	mg_buf b = MG_BUF_INIT;
	bool ok;

	mg_buf_puts(&b, piece);
	ok = reduce_groups(&b, NULL);
	mg_buf_release(&b);
	return ok;
}

static int expr_check(const char *exprs, bool unescape, const char *what)
{
	items pieces = { 0 };
	int r = 0;

	split_list(&pieces, exprs, unescape);
	for (size_t i = 0; !r && i < pieces.n; i++) {
		if (groups_close(pieces.v[i]))
			continue;
		if (pieces.n == 1)
			r = mg_error_set(MG_EINVALID, "malformed %s expression '%s': "
					 "a '(' without its ')', or an empty '()'",
					 what, exprs);
		else
			r = mg_error_set(MG_EINVALID, "malformed %s expression '%s': "
					 "its piece '%s' (the list is split at "
					 "',' first) has a '(' without its ')'",
					 what, exprs, pieces.v[i]);
	}
	items_free(&pieces);
	return r;
}

int mg_context_expr_check(const char *exprs)
{
	return expr_check(exprs, false, "context");
}

int mg_label_expr_check(const char *exprs)
{
	return expr_check(exprs, true, "label");
}
