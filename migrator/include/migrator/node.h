/*
 * node.h: the format-neutral tree every changelog parser produces.
 *
 * XML, YAML, JSON and formatted SQL are all turned into this one shape
 * (Liquibase calls it ParsedNode), and the loader (parse/load.c) builds
 * the changelog model from it. Rules every parser follows:
 *
 *  - A node has a `name` (XML element or attribute name, YAML/JSON key),
 *    an optional scalar `value` and ordered children.
 *  - XML: an element becomes a node; each attribute becomes a child node
 *    with `is_attr` set, placed before the element children; the
 *    element's own text (direct text and CDATA children only, trimmed of
 *    chars <= 0x20) is the node's `value` when not empty.
 *  - YAML/JSON: `key: scalar` -> node{key, value}; `key: {map}` ->
 *    node{key, children = entries}; `key: [list]` -> node{key, children
 *    = items}; a list item that is a map with exactly one key, e.g.
 *    `- column: {name: id}` or `- sql: SELECT 1`, becomes a node named by
 *    that key holding its value (so YAML `columns: [- column: ...]` gives
 *    node "columns" whose children are "column" nodes, as XML would); a
 *    map item with several keys becomes an unnamed node (name NULL) with
 *    the entries as children; a scalar item becomes an unnamed node with
 *    that value. JSON is read through the same rules (Liquibase's JSON
 *    parser is its YAML parser).
 *  - The root is always a node named "databaseChangeLog".
 *  - `kind` records how a scalar was typed by the format: XML text and
 *    attributes and quoted YAML scalars are MG_SCALAR_STRING; plain YAML
 *    and JSON numbers are INT or FLOAT (value = the text as written);
 *    true/false are BOOL (value "true"/"false"); null is NULL (value
 *    NULL); an unquoted YAML date/timestamp is DATE (value as written).
 *  - `shape` records whether a YAML/JSON value was a scalar, a mapping
 *    or a list (the children alone do not tell: `changes:` as a mapping
 *    and as a list of one-key mappings give the same children).
 *  - `line`/`col` are 1-based positions of the node's start in `file`.
 */
#ifndef MIGRATOR_NODE_H
#define MIGRATOR_NODE_H

#include <stdbool.h>

#include "migrator/arena.h"

typedef enum mg_scalar_kind {
	MG_SCALAR_NONE = 0, /* no scalar: a container node */
	MG_SCALAR_STRING,
	MG_SCALAR_INT,
	MG_SCALAR_FLOAT,
	MG_SCALAR_BOOL,
	MG_SCALAR_NULL,
	MG_SCALAR_DATE,
} mg_scalar_kind;

/* What a YAML or JSON value was written as (flags, so that a check can
 * accept several). XML and formatted SQL nodes are MG_SHAPE_ANY, which
 * every such check lets through. */
typedef enum mg_node_shape {
	MG_SHAPE_ANY = 0,
	MG_SHAPE_SCALAR = 1 << 0, /* null included */
	MG_SHAPE_MAP = 1 << 1,
	MG_SHAPE_LIST = 1 << 2,
} mg_node_shape;

typedef struct mg_node mg_node;
struct mg_node {
	const char *name;
	char *value;
	mg_scalar_kind kind;
	mg_node_shape shape;
	bool is_attr;
	const char *file;
	unsigned line, col;
	mg_node *parent, *first, *last, *next;
};

mg_node *mg_node_new(mg_arena *a, const char *name, const char *file,
		     unsigned line, unsigned col);
void mg_node_append(mg_node *parent, mg_node *child);
/* First child with this name (NULL-safe), or NULL. */
mg_node *mg_node_child(const mg_node *n, const char *name);
/* Value of the first child with this name, or NULL. */
const char *mg_node_get(const mg_node *n, const char *name);
size_t mg_node_count(const mg_node *n);

/*
 * Parsers. Each builds a tree from `len` bytes of `text` read from
 * `file` (used for positions and messages only; nothing else is read).
 * All memory comes from `a`. On a syntax error they return MG_EPARSE
 * with the message and mg_error_set_location(file, line, col) set.
 */
int mg_parse_xml(mg_node **out, mg_arena *a, const char *file,
		 const char *text, size_t len);
int mg_parse_yaml(mg_node **out, mg_arena *a, const char *file,
		  const char *text, size_t len);
int mg_parse_json(mg_node **out, mg_arena *a, const char *file,
		  const char *text, size_t len);
/* Any YAML mapping (e.g. a flow file): root node "document". */
int mg_parse_yaml_document(mg_node **out, mg_arena *a, const char *file,
			   const char *text, size_t len);
/*
 * Formatted SQL. Returns MG_ENOTFOUND (and sets no error) when the text
 * has no `--liquibase formatted sql` header, so the caller can treat the
 * file as plain SQL. See sqlfile.c for the node shape it produces.
 */
int mg_parse_sqlfile(mg_node **out, mg_arena *a, const char *file,
		     const char *text, size_t len);

#endif
