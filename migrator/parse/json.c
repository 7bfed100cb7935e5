/*
 * json.c: JSON changelogs (jansson) -> the mg_node tree of node.h.
 *
 * Liquibase reads JSON with its YAML parser (JsonChangeLogParser extends
 * YamlChangeLogParser), so a JSON changelog is typed and shaped exactly
 * like YAML: numbers follow SnakeYAML's rules (2.50 -> Double 2.5 ->
 * "2.5", 1e3 -> "1000.0"), a repeated key keeps its last value at its
 * last place, and nesting is limited to 50 levels.
 *
 * jansson checks the syntax and reports errors with their positions. It
 * keeps neither positions nor the text of numbers, and its objects hold
 * one value per key, so a small scanner then walks the text, now known
 * to be valid, in document order and composes the YAML document tree of
 * parse/yaml_doc.h with the 1-based line and column (in characters, as
 * jansson and libyaml count them) of every key and value. Each string
 * token is decoded by jansson.
 */
#include "migrator/node.h"

#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "migrator/error.h"
#include "migrator/util.h"
#include "parse/yaml_doc.h"

typedef struct scanner {
	const char *s;
	size_t n, i;
	unsigned line, col; /* of s[i] */
	const char *file;
	mg_arena tmp;
	size_t count; /* document nodes composed */
} scanner;

static char peek(const scanner *sc)
{
	return sc->i < sc->n ? sc->s[sc->i] : '\0';
}

static void advance(scanner *sc)
{
	unsigned char c = (unsigned char)sc->s[sc->i++];

	if (c == '\n') {
		sc->line++;
		sc->col = 1;
	} else if ((c & 0xC0) != 0x80) {
		sc->col++;
	}
}

static void advance_to(scanner *sc, size_t end)
{
	while (sc->i < end)
		advance(sc);
}

static void skip_ws(scanner *sc)
{
	char c;

	while ((c = peek(sc)) == ' ' || c == '\t' || c == '\r' || c == '\n')
		advance(sc);
}

/* Only reached if jansson accepted what the scanner cannot read. */
static int scan_error(const scanner *sc)
{
	return mg_yaml__error(sc->file, sc->line, sc->col,
			      "unexpected character in JSON text");
}

static mg_ynode *new_ynode(scanner *sc, mg_ynode_type type)
{
	sc->count++;
	return mg_yaml__node(&sc->tmp, type, sc->line, sc->col);
}

/* Decode the string token s[i..end) with jansson. */
static int decode_string(scanner *sc, size_t end, mg_ynode *n)
{
	json_error_t jerr;
	json_t *j = json_loadb(sc->s + sc->i, end - sc->i,
			       JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	const char *v = json_string_value(j);
	int err = 0;

	if (!v)
		err = scan_error(sc);
	else if (strlen(v) != json_string_length(j))
		err = mg_yaml__error(sc->file, n->line, n->col,
				     "string contains a NUL character");
	else
		err = mg_yaml__typed(n, &sc->tmp, v, json_string_length(j),
				     MG_SCALAR_STRING);
	json_decref(j);
	return err;
}

static int scan_string(scanner *sc, mg_ynode **out)
{
	mg_ynode *n = new_ynode(sc, MG_YNODE_SCALAR);
	size_t end = sc->i + 1;
	int err;

	while (end < sc->n && sc->s[end] != '"')
		end += sc->s[end] == '\\' ? 2 : 1;
	if (end >= sc->n)
		return scan_error(sc);
	end++;
	if ((err = decode_string(sc, end, n)) < 0)
		return err;
	advance_to(sc, end);
	*out = n;
	return 0;
}

/* A number, true, false or null: typed as the same plain YAML scalar. */
static int scan_literal(scanner *sc, mg_ynode **out)
{
	mg_ynode *n = new_ynode(sc, MG_YNODE_SCALAR);
	size_t start = sc->i;
	char c;
	int err;

	while ((c = peek(sc)) != '\0' && !strchr(" \t\r\n,]}", c))
		advance(sc);
	if (sc->i == start)
		return scan_error(sc);
	err = mg_yaml__plain(n, &sc->tmp, sc->s + start, sc->i - start);
	if (err < 0) {
		mg_error_set_location(sc->file, (int)n->line, (int)n->col);
		return err;
	}
	*out = n;
	return 0;
}

static int scan_value(scanner *sc, unsigned depth, mg_ynode **out);

/* After an item: true at the closing `close`, false after a ','. */
static int scan_separator(scanner *sc, char close, bool *done)
{
	skip_ws(sc);
	*done = peek(sc) == close;
	if (!*done && peek(sc) != ',')
		return scan_error(sc);
	advance(sc);
	return 0;
}

static int scan_member(scanner *sc, mg_ynode *map, unsigned depth)
{
	mg_ynode *key, *value;
	int err;

	skip_ws(sc);
	if (peek(sc) != '"')
		return scan_error(sc);
	if ((err = scan_value(sc, depth, &key)) < 0)
		return err;
	skip_ws(sc);
	if (peek(sc) != ':')
		return scan_error(sc);
	advance(sc);
	if ((err = scan_value(sc, depth, &value)) < 0)
		return err;
	mg_yaml__add(&sc->tmp, map, key, value);
	return 0;
}

/* An object or an array; `depth` is that of the container. */
static int scan_container(scanner *sc, unsigned depth, mg_ynode **out)
{
	bool map = peek(sc) == '{', done = false;
	mg_ynode *n = new_ynode(sc, map ? MG_YNODE_MAP : MG_YNODE_SEQ), *item;
	int err = 0;

	*out = n;
	advance(sc);
	skip_ws(sc);
	if (peek(sc) == (map ? '}' : ']')) {
		advance(sc);
		return 0;
	}
	while (err == 0 && !done) {
		if (map) {
			err = scan_member(sc, n, depth + 1);
		} else if ((err = scan_value(sc, depth + 1, &item)) == 0) {
			mg_yaml__add(&sc->tmp, n, NULL, item);
		}
		if (err == 0)
			err = scan_separator(sc, map ? '}' : ']', &done);
	}
	return err;
}

static int scan_value(scanner *sc, unsigned depth, mg_ynode **out)
{
	char c;

	skip_ws(sc);
	/* SnakeYAML's nestingDepthLimit, which Liquibase applies to JSON */
	if (depth > MG_YAML_MAX_DEPTH)
		return mg_yaml__error(sc->file, sc->line, sc->col,
				      "nesting depth exceeds the maximum of %d",
				      MG_YAML_MAX_DEPTH);
	c = peek(sc);
	if (c == '{' || c == '[')
		return scan_container(sc, depth, out);
	if (c == '"')
		return scan_string(sc, out);
	return scan_literal(sc, out);
}

/* jansson's message, which names the problem, at its position. */
static int syntax_error(const char *file, const json_error_t *jerr)
{
	return mg_yaml__error(file, jerr->line > 0 ? (unsigned)jerr->line : 1,
			      jerr->column > 0 ? (unsigned)jerr->column : 1,
			      "%s", jerr->text);
}

int mg_parse_json(mg_node **out, mg_arena *a, const char *file,
		  const char *text, size_t len)
{
	scanner sc = {.s = text, .n = len, .line = 1, .col = 1, .file = file};
	json_error_t jerr;
	json_t *j;
	mg_ynode *doc = NULL;
	int err;

	*out = NULL;
	if (!text) {
		MG_ASSERT(len == 0);
		text = sc.s = "";
	}
	/* SnakeYAML's reader drops a UTF-8 byte order mark */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		sc.i = 3;
	/* big integers are read as reals: only the text of numbers is used */
	j = json_loadb(text + sc.i, len - sc.i,
		       JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &jerr);
	if (!j)
		return syntax_error(file, &jerr);
	json_decref(j);
	err = scan_value(&sc, 0, &doc);
	if (err == 0)
		err = mg_yaml__build(out, a, file, doc, sc.count);
	mg_arena_release(&sc.tmp);
	return err;
}
