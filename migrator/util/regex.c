/*
 * regex.c: java.util.regex semantics on PCRE2 (see regex.h).
 *
 * A Java pattern is first rewritten into a PCRE2 pattern by a one-pass
 * translator that knows just enough of Java's syntax (escapes, \Q..\E,
 * character classes, groups and inline flags) to rewrite the items whose
 * meaning differs; everything else is copied. PCRE2 always runs without
 * its own MULTILINE, DOTALL and EXTENDED options: the translator tracks
 * Java's flags per group and spells `.`, `^` and `$` out explicitly.
 */
#include "migrator/regex.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "migrator/error.h"
#include "migrator/util.h"

/* Java's line terminators (Pattern without UNIX_LINES). */
#define EOL "[\\n\\r\\x{85}\\x{2028}\\x{2029}]"
#define NOT_EOL "[^\\n\\r\\x{85}\\x{2028}\\x{2029}]"
/* Never between the \r and \n of a \r\n pair. */
#define NOT_IN_CRLF "(?!(?<=\\r)\\n)"
#define CARET_MULTILINE \
	"(?:(?:^|(?<=" EOL ")" NOT_IN_CRLF ")(?!\\z))"
#define DOLLAR "(?:(?=(?:\\r\\n|" EOL ")?\\z)" NOT_IN_CRLF ")"
#define DOLLAR_MULTILINE "(?:(?=" EOL "|\\z)" NOT_IN_CRLF ")"
/* Java's \R may give back the \n of \r\n, but not when quantified;
 * PCRE2's \R never does. */
#define LINEBREAK "(?:\\r\\n|[\\n\\x0b\\f\\r\\x{85}\\x{2028}\\x{2029}])"
/* Java 17 Pattern.Bound: Character.isLetterOrDigit, '_', and marks. */
#define WORD "[\\p{L}\\p{Nd}\\p{Mn}_]"
#define BOUNDARY \
	"(?:(?<=" WORD ")(?!" WORD ")|(?<!" WORD ")(?=" WORD "))"
#define NOT_BOUNDARY \
	"(?:(?<=" WORD ")(?=" WORD ")|(?<!" WORD ")(?!" WORD "))"

struct mg_regex {
	pcre2_general_context *gctx;
	pcre2_code *code;
	pcre2_code *code_nog;  /* \G never matches; NULL without \G */
	char *pattern;
	size_t ngroups;
};

/* Out of memory aborts (util.h), also inside PCRE2. */
static void *px_malloc(PCRE2_SIZE n, void *data)
{
	(void)data;
	return mg_xmalloc(n);
}

static void px_free(void *p, void *data)
{
	(void)data;
	free(p);
}

/* ---- Java pattern -> PCRE2 pattern ---- */

enum { F_DOTALL = 1, F_MULTILINE = 2, F_COMMENTS = 4, F_CASELESS = 8 };

typedef struct xlat {
	const char *pat;
	size_t pos;             /* next byte of pat to read */
	size_t tok;             /* start of the item being translated */
	mg_buf out;
	size_t *map;            /* out byte -> pattern byte, for errors */
	size_t map_alloc;
	unsigned *flags;        /* per open group; the last is current */
	size_t nflags, flags_alloc;
	size_t ngroups;         /* capturing groups opened so far */
	size_t total_groups;    /* of the whole pattern (SIZE_MAX: unknown) */
	bool g_fails;           /* translate \G as a failing assertion */
	bool has_g;
} xlat;

static void xlat_init(xlat *x, const char *pat, unsigned flags,
		      size_t total_groups, bool g_fails)
{
	memset(x, 0, sizeof(*x));
	x->pat = pat;
	mg_buf_init(&x->out, strlen(pat) + 16);
	x->total_groups = total_groups;
	x->g_fails = g_fails;
	MG_VEC_GROW(x->flags, x->flags_alloc, 1);
	x->flags[x->nflags++] =
		(flags & MG_REGEX_DOTALL ? F_DOTALL : 0) |
		(flags & MG_REGEX_MULTILINE ? F_MULTILINE : 0) |
		(flags & MG_REGEX_COMMENTS ? F_COMMENTS : 0) |
		(flags & MG_REGEX_CASE_INSENSITIVE ? F_CASELESS : 0);
}

static void xlat_release(xlat *x)
{
	mg_buf_release(&x->out);
	free(x->map);
	free(x->flags);
}

static void emit(xlat *x, const char *s, size_t n)
{
	MG_VEC_GROW(x->map, x->map_alloc, x->out.len + n);
	for (size_t i = 0; i < n; i++)
		x->map[x->out.len + i] = x->tok;
	mg_buf_put(&x->out, s, n);
}

static void emits(xlat *x, const char *s)
{
	emit(x, s, strlen(s));
}

/* Copy `n` pattern bytes unchanged. */
static void copy(xlat *x, size_t n)
{
	emit(x, x->pat + x->pos, n);
	x->pos += n;
}

/* Character (not byte) index, as Java's "near index" counts. */
static size_t char_index(const char *s, size_t byte)
{
	size_t n = 0;

	for (size_t i = 0; i < byte && s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static int pattern_error(const char *pat, int code, const char *why,
			 size_t byte)
{
	return mg_error_set(code, "invalid regular expression '%s': %s at "
				  "offset %zu", pat, why,
			    char_index(pat, byte));
}

static int xlat_error(const xlat *x, int code, const char *why)
{
	return pattern_error(x->pat, code, why, x->tok);
}

static unsigned cur_flags(const xlat *x)
{
	return x->flags[x->nflags - 1];
}

static void push_flags(xlat *x, unsigned f)
{
	MG_VEC_GROW(x->flags, x->flags_alloc, x->nflags + 1);
	x->flags[x->nflags++] = f;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static bool is_ascii_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_java_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	       c == '\f' || c == '\r';
}

/* Length of a Java line terminator at `s`, or 0. */
static size_t eol_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == '\n' || u[0] == '\r')
		return 1;
	if (u[0] == 0xC2 && u[1] == 0x85)
		return 2;
	if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
		return 3;
	return 0;
}

/* COMMENTS mode: drop white space and a #-comment; true if any. */
static bool skip_comments(xlat *x)
{
	const char *p = x->pat;

	if (!(cur_flags(x) & F_COMMENTS))
		return false;
	if (is_java_space(p[x->pos])) {
		x->pos++;
		return true;
	}
	if (p[x->pos] != '#')
		return false;
	while (p[x->pos] && !eol_len(p + x->pos))
		x->pos++;
	return true;
}

/* \uXXXX at p, or -1. */
static long unicode_escape(const char *p)
{
	char hex[5] = { 0 };

	if (p[0] != '\\' || p[1] != 'u')
		return -1;
	for (int i = 0; i < 4; i++)
		if (!is_hex(hex[i] = p[2 + i]))
			return -1;
	return strtol(hex, NULL, 16);
}

/* \uXXXX, a surrogate pair written as two of them being one character. */
static int xlat_unicode(xlat *x)
{
	long cp = unicode_escape(x->pat + x->pos), lo;
	char b[16];

	if (cp < 0)
		return xlat_error(x, MG_EINVALID,
				  "illegal Unicode escape sequence");
	x->pos += 6;
	lo = unicode_escape(x->pat + x->pos);
	if (cp >= 0xD800 && cp <= 0xDBFF && lo >= 0xDC00 && lo <= 0xDFFF) {
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		x->pos += 6;
	}
	snprintf(b, sizeof(b), "\\x{%lX}", cp);
	emits(x, b);
	return 0;
}

/* \xhh needs exactly two digits; \x{...} is left to PCRE2. */
static int xlat_hex(xlat *x)
{
	const char *p = x->pat + x->pos;
	const char *close;

	if (p[2] == '{') {
		close = strchr(p, '}');
		copy(x, close ? (size_t)(close - p) + 1 : strlen(p));
		return 0;
	}
	if (!is_hex(p[2]) || !is_hex(p[3]))
		return xlat_error(x, MG_EINVALID,
				  "illegal hexadecimal escape sequence");
	copy(x, 4);
	return 0;
}

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* \0n, \0nn, \0mnn (m <= 3): PCRE2 reads at most three digits after \. */
static int xlat_octal(xlat *x)
{
	const char *p = x->pat + x->pos + 2;
	size_t n = 1;
	char b[16];

	if (!is_octal(p[0]))
		return xlat_error(x, MG_EINVALID,
				  "illegal octal escape sequence");
	if (is_octal(p[1])) {
		n = 2;
		if (p[0] <= '3' && is_octal(p[2]))
			n = 3;
	}
	snprintf(b, sizeof(b), "\\o{%.*s}", (int)n, p);
	emits(x, b);
	x->pos += 2 + n;
	return 0;
}

/* Java's POSIX property names are ASCII classes; PCRE2 would take
 * several of them for Unicode properties. */
static const char *posix_class(const char *name, size_t n)
{
	static const char *const names[][2] = {
		{ "Lower", "lower" }, { "Upper", "upper" },
		{ "ASCII", "ascii" }, { "Alpha", "alpha" },
		{ "Digit", "digit" }, { "Alnum", "alnum" },
		{ "Punct", "punct" }, { "Graph", "graph" },
		{ "Print", "print" }, { "Blank", "blank" },
		{ "Cntrl", "cntrl" }, { "XDigit", "xdigit" },
		{ "Space", "space" },
	};

	for (size_t i = 0; i < MG_ARRAY_SIZE(names); i++)
		if (strlen(names[i][0]) == n && !memcmp(name, names[i][0], n))
			return names[i][1];
	return NULL;
}

/* Java's spellings PCRE2 lacks: \p{IsL}, \p{gc=L}, \p{general_category=L}. */
static void strip_property_prefix(const char **name, size_t *n)
{
	static const char *const prefixes[] = { "Is", "gc=",
						"general_category=" };

	for (size_t i = 0; i < MG_ARRAY_SIZE(prefixes); i++) {
		size_t k = strlen(prefixes[i]);

		if (*n > k && !memcmp(*name, prefixes[i], k)) {
			*name += k;
			*n -= k;
			return;
		}
	}
}

static int xlat_property(xlat *x, bool in_class)
{
	const char *p = x->pat + x->pos, *name = p + 3, *close;
	bool neg = p[1] == 'P';
	const char *posix;
	mg_buf b = MG_BUF_INIT;
	size_t n;

	if (p[2] != '{') {
		copy(x, 2);     /* \pL: the letter follows as a literal */
		return 0;
	}
	if (!(close = strchr(name, '}')))
		return xlat_error(x, MG_EINVALID,
				  "unclosed character family");
	n = (size_t)(close - name);
	x->pos += n + 4;
	if ((posix = posix_class(name, n))) {
		mg_buf_printf(&b, "%s[:%s%s:]%s", in_class ? "" : "[",
			      neg ? "^" : "", posix, in_class ? "" : "]");
	} else {
		strip_property_prefix(&name, &n);
		/* CASE_INSENSITIVE: Java's Lu, Ll and Lt match any cased
		 * letter; PCRE2 ignores caselessness for properties */
		if ((cur_flags(x) & F_CASELESS) && n == 2 && name[0] == 'L' &&
		    strchr("ult", name[1])) {
			name = "L&";
		}
		mg_buf_printf(&b, "\\%c{%.*s}", p[1], (int)n, name);
	}
	emit(x, b.ptr, b.len);
	mg_buf_release(&b);
	return 0;
}

/* \Q...\E is the same in PCRE2; it is copied without looking inside. */
static void xlat_quote(xlat *x)
{
	const char *p = x->pat + x->pos;
	const char *end = strstr(p + 2, "\\E");

	copy(x, end ? (size_t)(end - p) + 2 : strlen(p));
}

/*
 * \n: Java takes more digits only while the number names a group opened
 * so far; a group that the whole pattern does not have never matches
 * (PCRE2 would reject the pattern).
 */
static void xlat_backref(xlat *x)
{
	const char *p = x->pat + x->pos + 1;
	size_t n = (size_t)(*p++ - '0'), len = 2;
	char b[32];

	while (*p >= '0' && *p <= '9' &&
	       n * 10 + (size_t)(*p - '0') <= x->ngroups) {
		n = n * 10 + (size_t)(*p++ - '0');
		len++;
	}
	x->pos += len;
	if (n > x->total_groups) {
		emits(x, "(?!)");
		return;
	}
	snprintf(b, sizeof(b), "\\g{%zu}", n);
	emits(x, b);
}

/* Whether a quantifier follows the item that ends before `at`. */
static bool quantified(const xlat *x, size_t at)
{
	const char *p = x->pat + at;

	if (cur_flags(x) & F_COMMENTS)
		while (is_java_space(*p))
			p++;
	return *p && strchr("*+?{", *p);
}

/* Escapes outside a character class whose meaning differs. */
static bool xlat_anchor_escape(xlat *x, char c)
{
	switch (c) {
	case 'b':
		emits(x, BOUNDARY);
		break;
	case 'B':
		emits(x, NOT_BOUNDARY);
		break;
	case 'G':
		x->has_g = true;
		emits(x, x->g_fails ? "(?!)" : "\\G");
		break;
	case 'Z':
		emits(x, DOLLAR);
		break;
	case 'R':
		emits(x, quantified(x, x->pos + 2) ? "\\R" : LINEBREAK);
		break;
	default:
		if (c < '1' || c > '9')
			return false;
		xlat_backref(x);
		return true;
	}
	x->pos += 2;
	return true;
}

static int xlat_escape(xlat *x, bool in_class)
{
	char c = x->pat[x->pos + 1];

	switch (c) {
	case '\0':
		copy(x, 1);     /* PCRE2 reports the trailing backslash */
		return 0;
	case 'Q':
		xlat_quote(x);
		return 0;
	case 'u':
		return xlat_unicode(x);
	case 'x':
		return xlat_hex(x);
	case '0':
		return xlat_octal(x);
	case 'c':       /* \cX: X is taken literally, even '[' */
		copy(x, x->pat[x->pos + 2] ? 3 : 2);
		return 0;
	case 'p':
	case 'P':
		return xlat_property(x, in_class);
	default:
		break;
	}
	if (!in_class && xlat_anchor_escape(x, c))
		return 0;
	copy(x, 2);
	return 0;
}

/*
 * A character class. Java nests `[` (union) and has `&&` (intersection);
 * PCRE2 10.42 has neither and would read them differently, so they are
 * refused rather than misread.
 */
static int xlat_class(xlat *x)
{
	const char *p = x->pat;
	int error;

	copy(x, p[x->pos + 1] == '^' ? 2 : 1);
	if (p[x->pos] == ']')   /* first: a literal, in both */
		copy(x, 1);
	for (;;) {
		x->tok = x->pos;
		if (skip_comments(x))
			continue;
		switch (p[x->pos]) {
		case '\0':
			return 0;       /* PCRE2 reports the missing ']' */
		case ']':
			copy(x, 1);
			return 0;
		case '[':
			return xlat_error(x, MG_EUNSUPPORTED,
					  "nested character classes are "
					  "not supported");
		case '\\':
			if ((error = xlat_escape(x, true)) < 0)
				return error;
			continue;
		case '&':
			if (p[x->pos + 1] == '&')
				return xlat_error(x, MG_EUNSUPPORTED,
						  "character class "
						  "intersection is not "
						  "supported");
			break;
		default:
			break;
		}
		copy(x, 1);
	}
}

/* Track a Java flag letter in `f`; false when PCRE2 must see it too. */
static bool track_flag(unsigned *f, char c, bool off)
{
	unsigned bit = c == 's' ? F_DOTALL : c == 'm' ? F_MULTILINE
		     : c == 'x' ? F_COMMENTS : c == 'i' ? F_CASELESS : 0;

	if (!bit)
		return false;
	*f = off ? *f & ~bit : *f | bit;
	return c != 'i';
}

/*
 * (?flags) or (?flags:  with `n` flag characters. s, m and x are
 * applied by the translator; u is dropped (PCRE2's UTF caseless matching
 * already is Unicode); i (also tracked) and PCRE2's own letters go
 * through.
 */
static int xlat_flags(xlat *x, size_t n)
{
	const char *p = x->pat + x->pos + 2;
	unsigned f = cur_flags(x);
	mg_buf on = MG_BUF_INIT, off = MG_BUF_INIT;
	bool neg = false, group = p[n] == ':';

	for (size_t i = 0; i < n; i++) {
		if (p[i] == '-') {
			neg = true;
		} else if (p[i] == 'd' || p[i] == 'U' || p[i] == 'c') {
			mg_buf_release(&on);
			mg_buf_release(&off);
			return xlat_error(x, MG_EUNSUPPORTED,
					  "flags d, U and c are not "
					  "supported");
		} else if (p[i] != 'u' && !track_flag(&f, p[i], neg)) {
			mg_buf_putc(neg ? &off : &on, p[i]);
		}
	}
	x->pos += n + 3;
	if (on.len || off.len || group)
		mg_buf_printf(&on, "%s%s%c", off.len ? "-" : "", off.ptr,
			      p[n]);
	if (on.len) {
		emits(x, "(?");
		emit(x, on.ptr, on.len);
	}
	if (group)
		push_flags(x, f);
	else
		x->flags[x->nflags - 1] = f;
	mg_buf_release(&on);
	mg_buf_release(&off);
	return 0;
}

/* Whether `p` (after "(?") holds `*n` flag letters, then ')' or ':'. */
static bool flag_run(const char *p, size_t *n)
{
	size_t i = 0;

	while (is_ascii_alpha(p[i]) || p[i] == '-')
		i++;
	*n = i;
	return p[i] == ')' || p[i] == ':';
}

static int xlat_open(xlat *x)
{
	const char *p = x->pat + x->pos;
	size_t n;

	if (p[1] != '?') {
		x->ngroups++;
		push_flags(x, cur_flags(x));
		copy(x, 1);
		return 0;
	}
	if (flag_run(p + 2, &n))
		return xlat_flags(x, n);
	if (p[2] == '<' && is_ascii_alpha(p[3]))
		x->ngroups++;   /* (?<name> */
	push_flags(x, cur_flags(x));
	copy(x, 2);
	return 0;
}

static int xlat_item(xlat *x)
{
	unsigned f = cur_flags(x);

	switch (x->pat[x->pos]) {
	case '\\':
		return xlat_escape(x, false);
	case '[':
		return xlat_class(x);
	case '(':
		return xlat_open(x);
	case ')':
		if (x->nflags > 1)
			x->nflags--;
		break;
	case '.':
		emits(x, f & F_DOTALL ? "(?s:.)" : NOT_EOL);
		x->pos++;
		return 0;
	case '^':
		emits(x, f & F_MULTILINE ? CARET_MULTILINE : "^");
		x->pos++;
		return 0;
	case '$':
		emits(x, f & F_MULTILINE ? DOLLAR_MULTILINE : DOLLAR);
		x->pos++;
		return 0;
	default:
		break;
	}
	copy(x, 1);
	return 0;
}

static int xlat_run(xlat *x)
{
	int error = 0;

	while (!error && x->pat[x->pos]) {
		x->tok = x->pos;
		if (!skip_comments(x))
			error = xlat_item(x);
	}
	return error;
}

/* ---- compiling ---- */

static int compile_failed(const xlat *x, int code, PCRE2_SIZE off)
{
	PCRE2_UCHAR msg[256];
	size_t at = off < x->out.len ? x->map[off] : strlen(x->pat);

	if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
		snprintf((char *)msg, sizeof(msg), "PCRE2 error %d", code);
	return pattern_error(x->pat, MG_EINVALID, (const char *)msg, at);
}

static int compile_pcre2(pcre2_code **out, const xlat *x,
			 pcre2_general_context *gctx, unsigned flags)
{
	pcre2_compile_context *cc = pcre2_compile_context_create(gctx);
	/* NO_AUTO_POSSESS: 10.42 takes \S* before \v for disjoint, but
	 * without UCP U+0085 is both (\S*\v+ fails on "B\u0085") */
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
			PCRE2_NEVER_BACKSLASH_C | PCRE2_NO_AUTO_POSSESS;
	PCRE2_SIZE off = 0;
	int code = 0;

	if (flags & MG_REGEX_CASE_INSENSITIVE)
		opts |= PCRE2_CASELESS;
	pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
	pcre2_set_bsr(cc, PCRE2_BSR_UNICODE);
	*out = pcre2_compile((PCRE2_SPTR)x->out.ptr, x->out.len, opts, &code,
			     &off, cc);
	pcre2_compile_context_free(cc);
	return *out ? 0 : compile_failed(x, code, off);
}

/* Translate with the group count known, then compile. */
static int compile_variant(pcre2_code **out, bool *has_g, mg_regex *re,
			   unsigned flags, bool g_fails)
{
	xlat x;
	int error;

	xlat_init(&x, re->pattern, flags, re->ngroups, g_fails);
	if ((error = xlat_run(&x)) == 0)
		error = compile_pcre2(out, &x, re->gctx, flags);
	*has_g = x.has_g;
	xlat_release(&x);
	return error;
}

/* A first pass counts the groups, which back references need. */
static int count_groups(mg_regex *re, unsigned flags)
{
	xlat x;
	int error;

	xlat_init(&x, re->pattern, flags, SIZE_MAX, false);
	error = xlat_run(&x);
	re->ngroups = x.ngroups;
	xlat_release(&x);
	return error;
}

int mg_regex_compile(mg_regex **out, const char *pattern, unsigned flags)
{
	mg_regex *re = mg_xcalloc(1, sizeof(*re));
	uint32_t n = 0;
	bool has_g = false;
	int error;

	*out = NULL;
	re->pattern = mg_xstrdup(pattern);
	re->gctx = pcre2_general_context_create(px_malloc, px_free, NULL);
	if ((error = count_groups(re, flags)) < 0 ||
	    (error = compile_variant(&re->code, &has_g, re, flags,
				     false)) < 0 ||
	    (has_g && (error = compile_variant(&re->code_nog, &has_g, re,
					       flags, true)) < 0)) {
		mg_regex_free(re);
		return error;
	}
	pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &n);
	re->ngroups = n;
	*out = re;
	return 0;
}

void mg_regex_free(mg_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	pcre2_code_free(re->code_nog);
	pcre2_general_context_free(re->gctx);
	free(re->pattern);
	free(re);
}

size_t mg_regex_group_count(const mg_regex *re)
{
	return re->ngroups;
}

/* ---- matching ---- */

static pcre2_match_data *match_data(const mg_regex *re)
{
	return pcre2_match_data_create_from_pattern(re->code, re->gctx);
}

/* 1 and the match in `md`, 0 for no match, or MG_ERROR. */
static int run(pcre2_match_data *md, const mg_regex *re,
	       const pcre2_code *code, const char *subject, size_t len,
	       size_t offset, uint32_t opts)
{
	PCRE2_UCHAR msg[256];
	int rc = pcre2_match(code, (PCRE2_SPTR)subject, len, offset, opts,
			     md, NULL);

	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (pcre2_get_error_message(rc, msg, sizeof(msg)) < 0)
		snprintf((char *)msg, sizeof(msg), "PCRE2 error %d", rc);
	return mg_error_set(MG_ERROR, "regular expression '%s' failed: %s",
			    re->pattern, (const char *)msg);
}

int mg_regex_find(mg_regex_span *out, const mg_regex *re,
		  const char *subject, size_t len, size_t offset)
{
	pcre2_match_data *md;
	int rc;

	if (offset > len)
		return 0;
	md = match_data(re);
	rc = run(md, re, re->code, subject, len, offset, 0);
	if (rc == 1) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

		out->start = ov[0];
		out->end = ov[1];
	}
	pcre2_match_data_free(md);
	return rc;
}

int mg_regex_matches(const mg_regex *re, const char *subject, size_t len)
{
	pcre2_match_data *md = match_data(re);
	int rc = run(md, re, re->code, subject, len, 0,
		     PCRE2_ANCHORED | PCRE2_ENDANCHORED);

	pcre2_match_data_free(md);
	return rc;
}

/* ---- Matcher.replaceAll ---- */

/* A piece of the parsed replacement: a group, or literal bytes. */
typedef struct repl_part {
	size_t group;           /* SIZE_MAX: literal lit[off, off + len) */
	size_t off, len;
} repl_part;

typedef struct repl {
	mg_buf lit;
	repl_part *v;
	size_t n, alloc;
	bool parsed;
} repl;

static void repl_add(repl *r, size_t group, const char *s, size_t len)
{
	repl_part *last = r->n ? &r->v[r->n - 1] : NULL;

	if (group == SIZE_MAX && last && last->group == SIZE_MAX) {
		mg_buf_put(&r->lit, s, len);
		last->len += len;
		return;
	}
	MG_VEC_GROW(r->v, r->alloc, r->n + 1);
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): MG_VEC_GROW allocated it */
	r->v[r->n].group = group;
	r->v[r->n].off = r->lit.len;
	r->v[r->n].len = len;
	r->n++;
	mg_buf_put(&r->lit, s, len);
}

static int repl_error(const mg_regex *re, const char *rep, const char *why)
{
	return mg_error_set(MG_EINVALID, "invalid replacement '%s' for "
			    "regular expression '%s': %s", rep, re->pattern,
			    why);
}

/* ${name}: s points after "${"; Java's rules and messages. */
static int repl_named(size_t *group, const mg_regex *re, const char *rep,
		      const char **s)
{
	const char *p = *s;
	char *name;
	int num;

	while (is_ascii_alpha(*p) || (*p >= '0' && *p <= '9'))
		p++;
	if (p == *s)
		return repl_error(re, rep,
				  "named capturing group has 0 length name");
	if (*p != '}')
		return repl_error(re, rep, "named capturing group is missing "
				  "trailing '}'");
	name = mg_xstrndup(*s, (size_t)(p - *s));
	num = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)name);
	if (*name >= '0' && *name <= '9')
		num = mg_error_set(MG_EINVALID, "invalid replacement '%s' for "
				   "regular expression '%s': capturing group "
				   "name {%s} starts with digit character",
				   rep, re->pattern, name);
	else if (num < 0)
		num = mg_error_set(MG_EINVALID, "invalid replacement '%s' for "
				   "regular expression '%s': no group with "
				   "name {%s}", rep, re->pattern, name);
	free(name);
	if (num < 0)
		return num;
	*group = (size_t)num;
	*s = p + 1;
	return 0;
}

/* $n: the first digit always counts; more while the group exists. */
static int repl_numbered(size_t *group, const mg_regex *re,
			 const char *rep, const char **s)
{
	const char *p = *s;
	size_t n = (size_t)(*p++ - '0');

	while (*p >= '0' && *p <= '9' &&
	       n * 10 + (size_t)(*p - '0') <= re->ngroups)
		n = n * 10 + (size_t)(*p++ - '0');
	if (n > re->ngroups)
		return mg_error_set(MG_EINVALID, "invalid replacement '%s' for "
				    "regular expression '%s': no group %zu",
				    rep, re->pattern, n);
	*group = n;
	*s = p;
	return 0;
}

static int repl_group(repl *r, const mg_regex *re, const char *rep,
		      const char **s)
{
	size_t group = 0;
	int error;

	(*s)++;
	if (!**s)
		return repl_error(re, rep, "illegal group reference: group "
				  "index is missing");
	if (**s == '{') {
		(*s)++;
		error = repl_named(&group, re, rep, s);
	} else if (**s >= '0' && **s <= '9') {
		error = repl_numbered(&group, re, rep, s);
	} else {
		return repl_error(re, rep, "illegal group reference");
	}
	if (error == 0)
		repl_add(r, group, "", 0);
	return error;
}

/* Matcher.appendExpandedReplacement, parsed once. */
static int repl_parse(repl *r, const mg_regex *re, const char *rep)
{
	const char *s = rep;
	int error;

	while (*s) {
		if (*s == '\\') {
			if (!s[1])
				return repl_error(re, rep, "character to be "
						  "escaped is missing");
			repl_add(r, SIZE_MAX, s + 1, 1);
			s += 2;
		} else if (*s == '$') {
			if ((error = repl_group(r, re, rep, &s)) < 0)
				return error;
		} else {
			repl_add(r, SIZE_MAX, s++, 1);
		}
	}
	return 0;
}

static void repl_expand(mg_buf *out, const repl *r, const char *subject,
			const PCRE2_SIZE *ov)
{
	for (size_t i = 0; i < r->n; i++) {
		const repl_part *p = &r->v[i];
		size_t g = p->group;

		if (g == SIZE_MAX)
			mg_buf_put(out, r->lit.ptr + p->off, p->len);
		else if (ov[2 * g] != PCRE2_UNSET)
			mg_buf_put(out, subject + ov[2 * g],
				   ov[2 * g + 1] - ov[2 * g]);
	}
}

/* Java steps one character past an empty match (here a UTF-8 one). */
static size_t next_char(const char *s, size_t len, size_t i)
{
	if (i >= len)
		return i + 1;
	for (i++; i < len && ((unsigned char)s[i] & 0xC0) == 0x80; i++)
		;
	return i;
}

static int replace_loop(mg_buf *out, const mg_regex *re, repl *r,
			const char *subject, const char *rep)
{
	pcre2_match_data *md = match_data(re);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	size_t len = strlen(subject), pos = 0, last = 0;
	const pcre2_code *code = re->code;
	int rc, error = 0;

	while (pos <= len &&
	       (rc = run(md, re, code, subject, len, pos, 0)) != 0) {
		/* as in Java, a bad replacement matters only on a match */
		if (rc > 0 && !r->parsed)
			rc = repl_parse(r, re, rep) < 0 ? MG_EINVALID : 1;
		if (rc < 0) {
			error = rc;
			break;
		}
		r->parsed = true;
		mg_buf_put(out, subject + last, ov[0] - last);
		repl_expand(out, r, subject, ov);
		last = ov[1];
		pos = ov[0] == ov[1] ? next_char(subject, len, ov[1]) : ov[1];
		/* Java's \G is the previous end, not the next start */
		code = ov[0] == ov[1] && re->code_nog ? re->code_nog
						       : re->code;
	}
	if (error == 0)
		mg_buf_put(out, subject + last, len - last);
	pcre2_match_data_free(md);
	return error;
}

int mg_regex_replace_all(mg_buf *out, const mg_regex *re,
			 const char *subject, const char *replacement)
{
	mg_buf tmp = MG_BUF_INIT;
	repl r = { MG_BUF_INIT, NULL, 0, 0, false };
	int error;

	if ((error = replace_loop(&tmp, re, &r, subject, replacement)) == 0)
		mg_buf_put(out, tmp.ptr, tmp.len);
	mg_buf_release(&tmp);
	mg_buf_release(&r.lit);
	free(r.v);
	return error;
}
