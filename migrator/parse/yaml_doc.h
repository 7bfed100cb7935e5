/*
 * yaml_doc.h: internal interface shared by the YAML and JSON parsers.
 *
 * Liquibase reads JSON changelogs with its YAML parser (SnakeYAML), so
 * both formats are first composed into this small document tree, their
 * plain scalars are typed by the same YAML 1.1 rules, and one builder
 * turns the document into the mg_node tree of node.h, applying
 * SnakeYAML's duplicate-key and merge-key rules on the way.
 *
 * All document nodes live in a scratch arena owned by the parser; the
 * builder copies every name and value into the caller's arena, so the
 * scratch arena can be released as soon as the tree is built.
 */
#ifndef MIGRATOR_PARSE_YAML_DOC_H
#define MIGRATOR_PARSE_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "migrator/arena.h"
#include "migrator/buf.h"
#include "migrator/node.h"

/* SnakeYAML's LoaderOptions defaults, which Liquibase 4.28 keeps. */
#define MG_YAML_MAX_DEPTH 50		  /* nestingDepthLimit */
#define MG_YAML_MAX_COLLECTION_ALIASES 50 /* maxAliasesForCollections */
/* Our own bounds on the built tree. */
#define MG_YAML_MAX_NODES 10000000
#define MG_YAML_MAX_ALIAS_NODES 1000000

typedef enum mg_ynode_type {
	MG_YNODE_SCALAR,
	MG_YNODE_SEQ,
	MG_YNODE_MAP,
} mg_ynode_type;

typedef struct mg_yentry mg_yentry;
typedef struct mg_ynode mg_ynode;

struct mg_ynode {
	mg_ynode_type type;
	mg_scalar_kind kind; /* scalars only */
	char *raw;	     /* scalars: the text as delivered */
	char *value;	     /* scalars: typed text, NULL for null */
	bool merge;	     /* the plain scalar "<<" (a merge key) */
	bool open;	     /* still being composed */
	bool deduped;	     /* duplicate keys have been marked */
	unsigned line, col;  /* 1-based */
	size_t size;	     /* nodes it expands to; 0 = not counted */
	mg_yentry *first, *last;
};

struct mg_yentry {
	mg_ynode *key; /* maps only */
	mg_ynode *value;
	bool dup; /* a later entry of the map has this key */
	mg_yentry *next;
};

mg_ynode *mg_yaml__node(mg_arena *tmp, mg_ynode_type type, unsigned line,
			unsigned col);
/* Append an item (key NULL) to a sequence or an entry to a mapping. */
void mg_yaml__add(mg_arena *tmp, mg_ynode *parent, mg_ynode *key,
		  mg_ynode *value);

/*
 * Type a plain scalar as SnakeYAML's default (YAML 1.1) resolver does
 * and store its kind, raw text and typed text in `n`. Numbers are
 * rendered as Java prints the constructed Integer/Long/BigInteger or
 * Double. Returns MG_EPARSE, with a message but no location, for a
 * number SnakeYAML matches but cannot construct.
 */
int mg_yaml__plain(mg_ynode *n, mg_arena *tmp, const char *s, size_t len);
/* The kind SnakeYAML's resolver gives the plain scalar s[0..len). */
mg_scalar_kind mg_yaml__classify(const char *s, size_t len);
/* Like mg_yaml__plain, for a scalar already known to be of `kind`. */
int mg_yaml__typed(mg_ynode *n, mg_arena *tmp, const char *s, size_t len,
		   mg_scalar_kind kind);

/* Set an MG_EPARSE error with its location; returns MG_EPARSE. */
int mg_yaml__error(const char *file, unsigned line, unsigned col,
		   const char *fmt, ...) MG_PRINTF(4, 5);

/*
 * Build the changelog tree from a composed document (NULL when the
 * stream had none). `composed` is the number of document nodes, used to
 * bound alias expansion. Returns MG_EPARSE with the location set.
 */
int mg_yaml__build(mg_node **out, mg_arena *a, const char *file, mg_ynode *doc,
		   size_t composed);

#endif
