/*
 * regex.h: regular expressions with java.util.regex semantics.
 *
 * Liquibase evaluates modifySql regExpReplace and the sql endDelimiter
 * with java.util.regex, so migrator must too. The engine is PCRE2 (UTF
 * mode; \d \s \w are ASCII as in Java); a translator rewrites the Java
 * pattern first so that what differs behaves as in Java 17:
 *  - `.` excludes exactly Java's line terminators (\n \r U+0085 U+2028
 *    U+2029); `^`, `$` and \Z follow Java in and out of MULTILINE (never
 *    between \r and \n, no multiline `^` at the end of the input);
 *  - \uXXXX (a surrogate pair is one character), \xhh, \x{h..h}, \0ooo,
 *    and \n back references by Java's rules (a group the pattern does
 *    not have never matches);
 *  - \b \B count letters and digits of any script (Java 17; Java 19+
 *    uses ASCII \w); \R may give back the \n of \r\n when unquantified;
 *  - \p{Lower} \p{Alpha} ... (Java's POSIX names) are ASCII; \p{IsX},
 *    \p{gc=X} are \p{X}; under (?i) \p{Lu} \p{Ll} \p{Lt} match any
 *    cased letter;
 *  - inline flags i m s x u, scoped by groups; COMMENTS mode drops
 *    white space and #-comments, also inside character classes;
 *  - after an empty match \G fails, as in Matcher.find.
 *
 * Known differences from Java:
 *  - CASE_INSENSITIVE folds non-ASCII letters even without UNICODE_CASE
 *    ((?i) lets 'É' match 'é'; Java needs (?iu));
 *  - valid Java refused with MG_EUNSUPPORTED: flags d (UNIX_LINES),
 *    U (UNICODE_CHARACTER_CLASS) and c (CANON_EQ), nested classes
 *    ([a[b]], so also [[:alpha:]]) and intersections ([a&&b]);
 *  - valid Java refused with MG_EINVALID: lookbehind of unbounded or
 *    variable length ((?<=a+), (?<=ab?); PCRE2 10.42), a quantifier on
 *    nothing, on an anchor or on a quantifier ({2} at the start, ^*,
 *    a*{2}), and \p{javaLowerCase}, \p{InGreek}, \N{name};
 *  - PCRE2-only syntax is accepted where Java throws (recursion, (*VERB),
 *    \K, [\b], a \k<name> before the group is defined, ...);
 *  - offsets are UTF-8 bytes, and an empty match before a supplementary
 *    character advances over the whole character (Java steps one UTF-16
 *    unit and splits the surrogate pair);
 *  - Java sometimes keeps a group captured by an abandoned attempt (a
 *    bug); here an unset group is always empty.
 */
#ifndef MIGRATOR_REGEX_H
#define MIGRATOR_REGEX_H

#include <stddef.h>

#include "migrator/buf.h"

typedef struct mg_regex mg_regex;

/* java.util.regex.Pattern flags; (?i) (?m) (?s) (?x) inline. */
enum mg_regex_flags {
	MG_REGEX_CASE_INSENSITIVE = 1 << 0,
	MG_REGEX_MULTILINE = 1 << 1,
	MG_REGEX_DOTALL = 1 << 2,
	MG_REGEX_COMMENTS = 1 << 3,
};

/* A match: byte offsets into the subject, `start <= end`. */
typedef struct mg_regex_span {
	size_t start;
	size_t end;
} mg_regex_span;

/*
 * Compile a Java regular expression (UTF-8) with `flags` from
 * enum mg_regex_flags. Returns MG_EINVALID for a bad pattern (the
 * message names the pattern, PCRE2's or Java's reason and the character
 * offset) and MG_EUNSUPPORTED for valid Java that is not implemented;
 * see above for the valid Java that gets either.
 */
int mg_regex_compile(mg_regex **out, const char *pattern, unsigned flags);
/* NULL-safe. */
void mg_regex_free(mg_regex *re);
/* Number of capturing groups (Matcher.groupCount). */
size_t mg_regex_group_count(const mg_regex *re);

/*
 * Find the first match that starts at or after byte `offset` of the
 * `len` bytes at `subject` (Matcher.find(int) with lookbehind seeing the
 * text before `offset`). Returns 1 and fills `out`, 0 when there is no
 * match, or MG_ERROR when matching fails (for example the backtracking
 * limit is hit).
 */
int mg_regex_find(mg_regex_span *out, const mg_regex *re,
		  const char *subject, size_t len, size_t offset);

/* Whether the whole subject matches (String.matches): 1, 0 or MG_ERROR. */
int mg_regex_matches(const mg_regex *re, const char *subject, size_t len);

/*
 * Append `subject` with every match replaced, as String.replaceAll
 * does: in `replacement`, $n and ${name} insert a group (an unset group
 * inserts nothing; $12 means group 12 only when it exists, else group 1
 * then "2") and \x inserts x. An empty match advances one character
 * ("abc" with x* and "-" gives "-a-b-c-"). Returns MG_EINVALID for a bad
 * group reference or a trailing '\' (checked only when something
 * matches, as in Java), or MG_ERROR when matching fails; `out` is then
 * unchanged.
 */
int mg_regex_replace_all(mg_buf *out, const mg_regex *re,
			 const char *subject, const char *replacement);

#endif
