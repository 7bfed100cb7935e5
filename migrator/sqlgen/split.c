/*
 * split.c: SQL text -> statements, the way Liquibase 4.28 executes `sql`,
 * `sqlFile` and formatted-SQL changes (AbstractSQLChange.generateStatements
 * -> StringUtil.processMultiLineSQL), plus the statement-list helpers.
 *
 * Liquibase does not split on characters but on the tokens of its small
 * JavaCC grammar (SimpleSqlGrammar.jj). We reproduce that token stream:
 * whitespace runs, `--` comments (without the line end), C comments,
 * '...' and "..." strings (backslash escapes any character; the longest
 * possible match wins, as in JavaCC), identifiers (including dotted
 * `a . b` names that may span line breaks), numbers and one-character
 * symbols. One deliberate addition: a PostgreSQL dollar-quoted body
 * ($$...$$, $tag$...$tag$) is a single token, so `;` inside a function
 * body never splits; 4.28 splits `AS $$ BEGIN RETURN 1; END; $$` after
 * the first `;` and the server refuses the pieces (docs/compatibility.md).
 * Comment stripping, though, is 4.28's: comments inside a body go too.
 * Not reproduced: `[...]` and backtick
 * identifiers (not PostgreSQL) and the grammar's rejection of control
 * characters.
 *
 * Over that stream the 4.28 algorithm runs unchanged:
 *  - comments are dropped first when strip_comments is set (over the
 *    grammar's own tokens, without dollar quotes);
 *  - with an end delimiter, adjacent tokens that spell it are merged
 *    (a trailing partial match is dropped, as mergeTokens does);
 *  - BEGIN ... END nesting suspends splitting (BEGIN followed by
 *    TRANSACTION/TRAN/TRANS/DIALOG/CONVERSATION/DISTRIBUTED does not
 *    count, nor does END TRANSACTION/TRAN/TRANS), so `BEGIN; ...;
 *    COMMIT;` stays one statement exactly as in Liquibase;
 *  - a token is a delimiter when (no end delimiter) it is ';', or "go"
 *    or "/" right after a line break; (one-character end delimiter) it
 *    equals it ignoring case, "/" only after a line break; (longer end
 *    delimiter) it equals it ignoring case, or previous token + token,
 *    lowercased, matches the regular expression `[\s]*` + delimiter
 *    (lowercased too, so `\S` becomes `\s`, as in Java);
 *  - statements are trimmed (chars <= 0x20) and empty ones dropped.
 * CR characters are removed before splitting (normalizeLineEndings).
 */
#include "migrator/sqlgen.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/error.h"
#include "migrator/regex.h"
#include "migrator/util.h"

/* ---- statement lists ---- */

void mg_stmt_list_add(mg_stmt_list *l, char *stmt)
{
	MG_VEC_GROW(l->items, l->alloc, l->n + 1);
	l->items[l->n++] = stmt;
}

void mg_stmt_list_addf(mg_stmt_list *l, const char *fmt, ...)
{
	mg_buf b = MG_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	mg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	mg_stmt_list_add(l, mg_buf_detach(&b));
}

void mg_stmt_list_release(mg_stmt_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = l->alloc = 0;
}

/* ---- tokens ---- */

enum tok_kind { TK_WS, TK_COMMENT, TK_OTHER };

typedef struct piece {
	const char *p;
	size_t n;
	int kind;
} piece;

typedef struct piece_vec {
	piece *v;
	size_t n, alloc;
} piece_vec;

static void piece_push(piece_vec *pv, const char *p, size_t n, int kind)
{
	MG_VEC_GROW(pv->v, pv->alloc, pv->n + 1);
	pv->v[pv->n].p = p;
	pv->v[pv->n].n = n;
	pv->v[pv->n].kind = kind;
	pv->n++;
}

static size_t utf8_len(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/* Bytes of the grammar's WHITESPACE character at s, or 0. */
static size_t ws_len(const unsigned char *s, size_t n)
{
	/* U+0085 U+00A0 U+1680 U+180E U+2028 U+2029 U+202F U+205F
	 * U+2060 U+3000 U+FEFF */
	static const unsigned char u[][3] = {
		{ 0xc2, 0x85 },       { 0xc2, 0xa0 },
		{ 0xe1, 0x9a, 0x80 }, { 0xe1, 0xa0, 0x8e },
		{ 0xe2, 0x80, 0xa8 }, { 0xe2, 0x80, 0xa9 },
		{ 0xe2, 0x80, 0xaf }, { 0xe2, 0x81, 0x9f },
		{ 0xe2, 0x81, 0xa0 }, { 0xe3, 0x80, 0x80 },
		{ 0xef, 0xbb, 0xbf },
	};

	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		return 1;
	if (*s < 0x80)
		return 0;
	/* U+2000 .. U+200D */
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x80 &&
	    s[2] <= 0x8d)
		return 3;
	for (size_t i = 0; i < MG_ARRAY_SIZE(u); i++) {
		size_t k = u[i][0] == 0xc2 ? 2 : 3;

		if (n >= k && !memcmp(s, u[i], k))
			return k;
	}
	return 0;
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Identifier start: letter, '$', '_' or a non-ASCII non-space char. */
static bool ident_start(const unsigned char *s, size_t n)
{
	return is_alpha(*s) || *s == '$' || *s == '_' ||
	       (*s >= 0x80 && !ws_len(s, n));
}

static bool ident_cont(const unsigned char *s, size_t n)
{
	return ident_start(s, n) || is_digit(*s) || *s == '#' || *s == '@';
}

static size_t scan_ident(const unsigned char *s, size_t n, size_t i)
{
	while (i < n && ident_cont(s + i, n - i))
		i += s[i] >= 0x80 ? utf8_len(s[i]) : 1;
	return i > n ? n : i;
}

/*
 * End of a '...' or "..." token starting at i: the longest match of
 * q ( qq | \any | [^\q] )* ( q | \q ), or 0 when there is none.
 */
static size_t scan_quoted(const unsigned char *s, size_t n, size_t i)
{
	unsigned char q = s[i];
	size_t pos = i + 1, last = 0;

	while (pos < n) {
		if (s[pos] == '\\') {
			if (pos + 1 >= n)
				break;
			if (s[pos + 1] == q)
				last = pos + 2;
			pos += 2;
		} else if (s[pos] == q) {
			last = pos + 1;
			if (pos + 1 < n && s[pos + 1] == q) {
				pos += 2;
				continue;
			}
			break;
		} else {
			pos++;
		}
	}
	return last;
}

/* End of a PostgreSQL dollar-quoted string starting at i, or 0. */
static size_t scan_dollar(const unsigned char *s, size_t n, size_t i)
{
	size_t j = i + 1, taglen;
	const unsigned char *end;

	if (j < n && s[j] != '$') {
		if (is_digit(s[j]) || !ident_start(s + j, n - j) || s[j] == '$')
			return 0;
		while (j < n && s[j] != '$' && ident_cont(s + j, n - j) &&
		       s[j] != '#' && s[j] != '@')
			j++;
	}
	if (j >= n || s[j] != '$')
		return 0;
	taglen = j + 1 - i;
	for (size_t k = j + 1; k + taglen <= n; k++) {
		end = s + k;
		if (*end == '$' && !memcmp(end, s + i, taglen))
			return k + taglen;
	}
	return 0;
}

/* `"[^\r\n"]+"` at i (S_QUOTED_IDENTIFIER): its end, or 0. */
static size_t scan_quoted_ident(const unsigned char *s, size_t n, size_t i)
{
	size_t j = i + 1;

	if (i >= n || s[i] != '"')
		return 0;
	while (j < n && s[j] != '"' && s[j] != '\r' && s[j] != '\n')
		j++;
	return j < n && s[j] == '"' && j > i + 1 ? j + 1 : 0;
}

/* COMPLEX_IDENTIFIER: extend `a` by ( [ \r\n]* . [ \r\n]* part )*. */
static size_t extend_dotted(const unsigned char *s, size_t n, size_t end)
{
	for (;;) {
		size_t k = end, e;

		while (k < n && (s[k] == ' ' || s[k] == '\r' || s[k] == '\n'))
			k++;
		if (k >= n || s[k] != '.')
			return end;
		k++;
		while (k < n && (s[k] == ' ' || s[k] == '\r' || s[k] == '\n'))
			k++;
		if (k < n && s[k] != '$' && ident_start(s + k, n - k))
			e = scan_ident(s, n, k);
		else if (k < n && s[k] == '$' && !scan_dollar(s, n, k))
			e = scan_ident(s, n, k);
		else
			e = scan_quoted_ident(s, n, k);
		if (!e)
			return end;
		end = e;
	}
}

static size_t scan_number(const unsigned char *s, size_t n, size_t i)
{
	while (i < n && is_digit(s[i]))
		i++;
	if (i + 1 < n && s[i] == '.' && is_digit(s[i + 1]))
		for (i++; i < n && is_digit(s[i]); i++)
			;
	if (i + 1 < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;

		if (j < n && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j < n && is_digit(s[j]))
			for (i = j; i < n && is_digit(s[i]); i++)
				;
	}
	return i;
}

/* Length of the token at i and its kind; `dollar`: $$ bodies are one
 * token (splitting), or not (comment stripping, as 4.28 does it). */
static size_t next_token(const unsigned char *s, size_t n, size_t i,
			 bool dollar, int *kind)
{
	size_t j = i, k;

	*kind = TK_OTHER;
	if (ws_len(s + i, n - i)) {
		while (j < n && (k = ws_len(s + j, n - j)))
			j += k;
		*kind = TK_WS;
		return j - i;
	}
	if (s[i] == '-' && i + 1 < n && s[i + 1] == '-') {
		while (j < n && s[j] != '\n' && s[j] != '\r')
			j++;
		*kind = TK_COMMENT;
		return j - i;
	}
	if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
		const char *e = NULL;

		for (k = i + 2; k + 1 < n && !e; k++)
			if (s[k] == '*' && s[k + 1] == '/')
				e = (const char *)s + k;
		if (e) {
			*kind = TK_COMMENT;
			return (size_t)(e - (const char *)s) + 2 - i;
		}
		return 1;
	}
	if (s[i] == '\'' || s[i] == '"') {
		if (!(k = scan_quoted(s, n, i)))
			return 1;
		if (s[i] == '"' && scan_quoted_ident(s, n, i) == k)
			k = extend_dotted(s, n, k);
		return k - i;
	}
	if (dollar && s[i] == '$' && (k = scan_dollar(s, n, i)))
		return k - i;
	if (ident_start(s + i, n - i))
		return extend_dotted(s, n, scan_ident(s, n, i)) - i;
	if (is_digit(s[i]) ||
	    (s[i] == '.' && i + 1 < n && is_digit(s[i + 1])))
		return scan_number(s, n, s[i] == '.' ? i + 1 : i) - i;
	k = utf8_len(s[i]);
	return i + k > n ? n - i : k;
}

static void tokenize(piece_vec *out, const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;

	while (i < n) {
		int kind;
		size_t len = next_token(s, n, i, true, &kind);

		piece_push(out, text + i, len, kind);
		i += len;
	}
}

/* stripComments, as Liquibase 4.28 does it: with its grammar, which
 * knows no dollar quotes, so a `--` comment inside a $$ body goes too
 * (quoted strings inside the body are still respected). */
static void strip_comments_428(mg_buf *text)
{
	const unsigned char *s = (const unsigned char *)text->ptr;
	mg_buf out = MG_BUF_INIT;
	size_t i = 0, n = text->len;

	while (i < n) {
		int kind;
		size_t len = next_token(s, n, i, false, &kind);

		if (kind != TK_COMMENT)
			mg_buf_put(&out, text->ptr + i, len);
		i += len;
	}
	mg_buf_release(text);
	*text = out;
}

/* ---- the 4.28 algorithm over the token list ---- */

typedef struct splitter {
	piece_vec pieces;
	mg_buf merged;          /* storage of merged delimiter tokens */
	const char *delim;      /* NULL: default delimiters */
	size_t delim_len;
	mg_regex *re;           /* longer delimiters: the regular expression */
} splitter;

static bool piece_is(const piece *p, const char *s)
{
	size_t n = strlen(s);

	if (p->n != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char a = (unsigned char)p->p[i];
		unsigned char b = (unsigned char)s[i];

		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b + 32);
		if (a != b)
			return false;
	}
	return true;
}

static bool prefix_of_delim(const splitter *sp, size_t off, const piece *p)
{
	return off + p->n <= sp->delim_len &&
	       !memcmp(sp->delim + off, p->p, p->n);
}

/*
 * mergeTokens: runs of tokens that together spell the end delimiter
 * become one token. Merged text goes to sp->merged, which is sized up
 * front so that pointers into it stay valid.
 */
static void merge_tokens(splitter *sp)
{
	piece_vec out = { NULL, 0, 0 };
	size_t pend = 0, pend_len = 0; /* pending: the last `pend` inputs */
	piece *in = sp->pieces.v;

	mg_buf_grow(&sp->merged, sp->pieces.n * (sp->delim_len + 1) + 1);
	for (size_t i = 0; i < sp->pieces.n; i++) {
		piece *p = &in[i];

		if (!pend) {
			if (prefix_of_delim(sp, 0, p)) {
				pend = 1;
				pend_len = p->n;
			} else {
				piece_push(&out, p->p, p->n, p->kind);
			}
			continue;
		}
		if (pend_len + p->n == sp->delim_len &&
		    prefix_of_delim(sp, pend_len, p)) {
			char *m = sp->merged.ptr + sp->merged.len;

			mg_buf_put(&sp->merged, sp->delim, sp->delim_len);
			piece_push(&out, m, sp->delim_len, TK_OTHER);
			pend = 0;
		} else if (prefix_of_delim(sp, pend_len, p)) {
			pend++;
			pend_len += p->n;
		} else {
			for (size_t k = i - pend; k <= i; k++)
				piece_push(&out, in[k].p, in[k].n, in[k].kind);
			pend = 0;
		}
	}
	/* XXX: like Liquibase, a trailing partial delimiter is dropped. */
	free(sp->pieces.v);
	sp->pieces = out;
}

static bool ends_with_lf(const piece *prev)
{
	return !prev || (prev->n && prev->p[prev->n - 1] == '\n');
}

static bool regex_delim(const splitter *sp, const piece *prev,
			const piece *p)
{
	mg_buf s = MG_BUF_INIT;
	bool r;

	if (prev)
		mg_buf_put(&s, prev->p, prev->n);
	else
		mg_buf_puts(&s, "null"); /* Java: null + piece */
	mg_buf_put(&s, p->p, p->n);
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] >= 'A' && s.ptr[i] <= 'Z')
			s.ptr[i] = (char)(s.ptr[i] + 32);
	/* a failing match (backtracking limit) counts as no delimiter */
	r = mg_regex_matches(sp->re, s.ptr, s.len) == 1;
	mg_buf_release(&s);
	return r;
}

static bool is_delimiter(const splitter *sp, const piece *prev,
			 const piece *p)
{
	if (!sp->delim)
		return piece_is(p, ";") ||
		       ((piece_is(p, "go") || piece_is(p, "/")) &&
			ends_with_lf(prev));
	if (sp->delim_len == 1) {
		if (sp->delim[0] == '/' && !ends_with_lf(prev))
			return false;
		return piece_is(p, sp->delim);
	}
	return piece_is(p, sp->delim) || regex_delim(sp, prev, p);
}

/*
 * isDelimiter: (previousPiece + piece).toLowerCase()
 *     .matches("[\\s\n\r]*" + endDelimiter.toLowerCase())
 * The delimiter is not grouped, so a top-level '|' splits the whole
 * expression, as in Java. Only ASCII is lowercased.
 */
static int compile_delim(splitter *sp)
{
	mg_buf re = MG_BUF_INIT;
	char *why;
	int error;

	mg_buf_puts(&re, "[\\s\\n\\r]*");
	for (const char *c = sp->delim; *c; c++)
		mg_buf_putc(&re, *c >= 'A' && *c <= 'Z' ? (char)(*c + 32) : *c);
	error = mg_regex_compile(&sp->re, re.ptr, 0);
	mg_buf_release(&re);
	if (error == 0)
		return 0;
	why = mg_xstrdup(mg_error_last()->message);
	mg_error_set(error, "end delimiter '%s' is not a usable regular "
		     "expression", sp->delim);
	mg_error_set_detail("%s", why);
	free(why);
	return error;
}

/* BEGIN/END bookkeeping of processMultiLineSQL. */
static const piece *next_solid(const splitter *sp, size_t i)
{
	for (size_t k = i + 1; k < sp->pieces.n; k++) {
		const piece *p = &sp->pieces.v[k];

		for (size_t j = 0; j < p->n; j++)
			if ((unsigned char)p->p[j] > 0x20)
				return p;
	}
	return NULL;
}

static bool next_is(const piece *next, const char *const *words)
{
	for (; next && *words; words++)
		if (piece_is(next, *words))
			return true;
	return false;
}

static void track_blocks(const splitter *sp, size_t i, int *depth)
{
	static const char *const not_begin[] = { "transaction", "trans",
		"tran", "dialog", "conversation", "distributed", NULL };
	static const char *const not_end[] = { "transaction", "trans",
		"tran", NULL };
	const piece *p = &sp->pieces.v[i];

	if (piece_is(p, "begin")) {
		if (!next_is(next_solid(sp, i), not_begin))
			(*depth)++;
	} else if (piece_is(p, "end") && *depth > 0) {
		if (!next_is(next_solid(sp, i), not_end))
			(*depth)--;
	}
}

static void flush_statement(mg_stmt_list *out, mg_buf *cur)
{
	mg_buf_trim(cur);
	if (cur->len)
		mg_stmt_list_add(out, mg_buf_detach(cur));
	else
		mg_buf_reset(cur);
}

static void run_split(mg_stmt_list *out, const splitter *sp, bool split)
{
	mg_buf cur = MG_BUF_INIT;
	const piece *prev = NULL;
	int depth = 0;

	for (size_t i = 0; i < sp->pieces.n; i++) {
		const piece *p = &sp->pieces.v[i];

		track_blocks(sp, i, &depth);
		if (depth == 0 && split && is_delimiter(sp, prev, p))
			flush_statement(out, &cur);
		else
			mg_buf_put(&cur, p->p, p->n);
		prev = p;
	}
	flush_statement(out, &cur);
	mg_buf_release(&cur);
}

int mg_sql_split(mg_stmt_list *out, const char *sql, bool split,
		 bool strip_comments, const char *end_delimiter)
{
	splitter sp;
	mg_buf text = MG_BUF_INIT;
	int error = 0;

	memset(&sp, 0, sizeof(sp));
	mg_buf_init(&sp.merged, 0);
	sp.delim = end_delimiter;

	for (const char *c = sql ? sql : ""; *c; c++)
		if (*c != '\r')
			mg_buf_putc(&text, *c);
	if (strip_comments)
		strip_comments_428(&text);
	tokenize(&sp.pieces, text.ptr ? text.ptr : "", text.len);
	if (end_delimiter) {
		sp.delim_len = strlen(end_delimiter);
		merge_tokens(&sp);
		if (split && sp.delim_len != 1 &&
		    (error = compile_delim(&sp)) < 0)
			goto out;
	}
	run_split(out, &sp, split);
out:
	mg_regex_free(sp.re);
	free(sp.pieces.v);
	mg_buf_release(&sp.merged);
	mg_buf_release(&text);
	return error;
}

/* How update-sql ends a statement: Liquibase writes a custom sql/sqlFile
 * endDelimiter instead of ';' when it is made of [;/\r\n\w@-]
 * ("\n" escapes decoded, a trailing regex '$' dropped). */
char *mg_sqlgen_terminator(const mg_change *c)
{
	const char *d = mg_change_get(c, "endDelimiter");
	mg_buf b = MG_BUF_INIT;

	if (!d || (c->type->id != MG_CHANGE_SQL &&
		   c->type->id != MG_CHANGE_SQL_FILE))
		return NULL;
	for (const char *p = d; *p; p++) {
		if (p[0] == '\\' && (p[1] == 'n' || p[1] == 'r')) {
			mg_buf_putc(&b, p[1] == 'n' ? '\n' : '\r');
			p++;
		} else {
			mg_buf_putc(&b, *p);
		}
	}
	if (b.len && b.ptr[b.len - 1] == '$')
		mg_buf_truncate(&b, b.len - 1);
	if (!b.len || strspn(b.ptr, ";/\r\n@-_abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != b.len) {
		mg_buf_release(&b);
		return NULL;
	}
	return mg_buf_detach(&b);
}
