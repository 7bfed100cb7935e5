/*
 * yaml.c: YAML changelogs (libyaml) -> the mg_node tree of node.h.
 *
 * Three stages: libyaml's event stream is composed into a document tree
 * (parse/yaml_doc.h) as SnakeYAML's Composer would do it, with its nesting
 * and alias limits; plain scalars are typed by SnakeYAML's default YAML
 * 1.1 resolver and rendered as Java prints the constructed objects; and
 * the builder turns the document into nodes following node.h, with
 * SnakeYAML's duplicate-key and merge-key rules. parse/json.c reuses the
 * typing and the builder.
 *
 * A changelog is built as it is composed, as parse/xml.c does: each item
 * of the root's `databaseChangeLog` sequence is built as soon as it is
 * composed, and its document is released with those of the few items
 * before it (ITEM_BATCH_NODES), so that the document of a whole
 * changelog is never held. What the rules need stays: an item that
 * defines an anchor is kept (a later alias may expand it), and an item
 * that cannot be built yet is held back and built, or fails, once the
 * whole stream is composed, so that errors come in the same order as if
 * the document had been composed first (stream_item).
 */
#include "migrator/node.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "migrator/buf.h"
#include "migrator/error.h"
#include "migrator/util.h"
#include "parse/yaml_doc.h"

/* ---- Composer: libyaml events -> document tree ---------------------- */

#define ANCHOR_BUCKETS 256
/* Streamed items' documents are released once they hold this many nodes
 * together (an arena block or two): one at a time, each would take and
 * free a block of its own. */
#define ITEM_BATCH_NODES 1000
#define TAG_PREFIX "tag:yaml.org,2002:"

typedef struct anchor anchor;
struct anchor {
	const char *name;
	mg_ynode *node;
	anchor *next;
};

typedef struct builder builder;
typedef struct stream stream;

typedef struct composer {
	yaml_parser_t parser;
	mg_arena doc;  /* the document, less the streamed items */
	mg_arena item; /* the streamed items composed since batch_start */
	size_t batch_start;
	mg_arena *tmp; /* where nodes go: doc or item */
	mg_arena *kept; /* items' documents that must stay */
	size_t nkept, kept_alloc;
	builder *b; /* streams databaseChangeLog's items into it, or NULL */
	mg_ynode *changelog_key; /* of the root value being composed */
	const char *file;
	const char *text;
	size_t len;
	anchor *anchors[ANCHOR_BUCKETS];
	size_t nanchors;
	size_t aliases; /* aliases of collections so far */
	size_t count;	/* document nodes composed */
} composer;

static stream *stream_new(builder *b, mg_arena *tmp, mg_ynode *seq,
			  const mg_ynode *key);
static bool stream_item(builder *b, stream *st, mg_ynode *item,
			size_t composed);

/* The key Liquibase looks for at the top level. */
static bool is_changelog_key(const mg_ynode *k)
{
	return k->kind == MG_SCALAR_STRING &&
	       strcmp(k->value, "databaseChangeLog") == 0;
}

static int verror(const char *file, unsigned line, unsigned col,
		  const char *fmt, va_list ap)
{
	mg_buf msg = MG_BUF_INIT;

	mg_buf_vprintf(&msg, fmt, ap);
	mg_error_set(MG_EPARSE, "%s", msg.ptr);
	mg_error_set_location(file, (int)line, (int)col);
	mg_buf_release(&msg);
	return MG_EPARSE;
}

int mg_yaml__error(const char *file, unsigned line, unsigned col,
		   const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = verror(file, line, col, fmt, ap);
	va_end(ap);
	return err;
}

mg_ynode *mg_yaml__node(mg_arena *tmp, mg_ynode_type type, unsigned line,
			unsigned col)
{
	mg_ynode *n = mg_arena_alloc(tmp, sizeof(*n));

	n->type = type;
	n->line = line;
	n->col = col;
	return n;
}

void mg_yaml__add(mg_arena *tmp, mg_ynode *parent, mg_ynode *key,
		  mg_ynode *value)
{
	mg_yentry *e = mg_arena_alloc(tmp, sizeof(*e));

	e->key = key;
	e->value = value;
	if (parent->last)
		parent->last->next = e;
	else
		parent->first = e;
	parent->last = e;
}

static unsigned hash_name(const char *s)
{
	unsigned h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % ANCHOR_BUCKETS;
}

/* A later anchor of the same name hides the earlier one, as in SnakeYAML. */
static void anchor_set(composer *c, const char *name, mg_ynode *n)
{
	anchor *an = mg_arena_alloc(c->tmp, sizeof(*an));
	unsigned h = hash_name(name);

	c->nanchors++;
	an->name = mg_arena_strdup(c->tmp, name);
	an->node = n;
	an->next = c->anchors[h];
	c->anchors[h] = an;
}

static mg_ynode *anchor_get(composer *c, const char *name)
{
	for (anchor *an = c->anchors[hash_name(name)]; an; an = an->next)
		if (strcmp(an->name, name) == 0)
			return an->node;
	return NULL;
}

static int event_error(composer *c, const yaml_event_t *ev, const char *fmt,
		       ...) MG_PRINTF(3, 4);
static int event_error(composer *c, const yaml_event_t *ev, const char *fmt,
		       ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = verror(c->file, (unsigned)ev->start_mark.line + 1,
		     (unsigned)ev->start_mark.column + 1, fmt, ap);
	va_end(ap);
	return err;
}

/* Line and column (in characters) of a byte offset, for reader errors. */
static void offset_position(composer *c, size_t off, unsigned *line,
			    unsigned *col)
{
	*line = *col = 1;
	for (size_t i = 0; i < off && i < c->len; i++) {
		if (c->text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)c->text[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static int parser_error(composer *c)
{
	yaml_parser_t *p = &c->parser;
	unsigned line = (unsigned)p->problem_mark.line + 1;
	unsigned col = (unsigned)p->problem_mark.column + 1;
	const char *problem = p->problem ? p->problem : "invalid YAML";

	if (p->error == YAML_MEMORY_ERROR)
		return mg_error_set(MG_ERROR, "out of memory parsing YAML");
	if (p->error == YAML_READER_ERROR) {
		offset_position(c, p->problem_offset, &line, &col);
		if (p->problem_value != -1)
			return mg_yaml__error(c->file, line, col, "%s (0x%X)",
					      problem,
					      (unsigned)p->problem_value);
	}
	mg_yaml__error(c->file, line, col, "%s", problem);
	if (p->context)
		mg_error_set_detail("%s started at line %u, column %u",
				    p->context,
				    (unsigned)p->context_mark.line + 1,
				    (unsigned)p->context_mark.column + 1);
	return MG_EPARSE;
}

static int next_event(composer *c, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&c->parser, ev))
		return parser_error(c);
	return 0;
}

static mg_ynode *node_at(composer *c, const yaml_event_t *ev,
			 mg_ynode_type type)
{
	c->count++;
	return mg_yaml__node(c->tmp, type, (unsigned)ev->start_mark.line + 1,
			     (unsigned)ev->start_mark.column + 1);
}

/* The kind an explicit standard tag asks for, or NONE if unsupported. */
static mg_scalar_kind tag_kind(const char *tag)
{
	static const struct {
		const char *name;
		mg_scalar_kind kind;
	} tags[] = {
	    {TAG_PREFIX "str", MG_SCALAR_STRING},
	    {TAG_PREFIX "int", MG_SCALAR_INT},
	    {TAG_PREFIX "float", MG_SCALAR_FLOAT},
	    {TAG_PREFIX "bool", MG_SCALAR_BOOL},
	    {TAG_PREFIX "null", MG_SCALAR_NULL},
	    {TAG_PREFIX "timestamp", MG_SCALAR_DATE},
	};

	for (size_t i = 0; i < MG_ARRAY_SIZE(tags); i++)
		if (strcmp(tag, tags[i].name) == 0)
			return tags[i].kind;
	return MG_SCALAR_NONE;
}

/* Whether text resolving to `got` can be constructed as `want`. */
static bool tag_accepts(mg_scalar_kind want, mg_scalar_kind got, const char *s)
{
	if (want == MG_SCALAR_STRING || want == MG_SCALAR_NULL || want == got)
		return true;
	/* Java's Double.valueOf reads decimal integers, not 0x or 0b */
	return want == MG_SCALAR_FLOAT && got == MG_SCALAR_INT &&
	       !strpbrk(s, "xb");
}

/* Standard tags are shown as written: "!!int". */
static const char *tag_prefix(const char *tag)
{
	return mg_str_startswith(tag, TAG_PREFIX) ? "!!" : "";
}

static const char *tag_suffix(const char *tag)
{
	return tag +
	       (mg_str_startswith(tag, TAG_PREFIX) ? strlen(TAG_PREFIX) : 0);
}

static int tagged_scalar(composer *c, const yaml_event_t *ev, mg_ynode *n)
{
	const char *s = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	size_t len = ev->data.scalar.length;
	mg_scalar_kind want = tag_kind(tag);

	if (want == MG_SCALAR_NONE)
		return event_error(c, ev, "unsupported tag '%s%s'",
				   tag_prefix(tag), tag_suffix(tag));
	if (!tag_accepts(want, mg_yaml__classify(s, len), s))
		return event_error(c, ev, "value does not match tag '%s%s'",
				   tag_prefix(tag), tag_suffix(tag));
	return mg_yaml__typed(n, c->tmp, s, len, want);
}

static int compose_scalar(composer *c, const yaml_event_t *ev, mg_ynode **out)
{
	const char *s = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	size_t len = ev->data.scalar.length;
	mg_ynode *n = node_at(c, ev, MG_YNODE_SCALAR);
	int err;

	if (memchr(s, '\0', len))
		return event_error(c, ev, "scalar contains a NUL character");
	/* SnakeYAML resolves "!"-tagged scalars like untagged plain ones */
	if (ev->data.scalar.plain_implicit && (!tag || strcmp(tag, "!") == 0))
		err = mg_yaml__plain(n, c->tmp, s, len);
	else if (!tag || strcmp(tag, "!") == 0)
		err = mg_yaml__typed(n, c->tmp, s, len, MG_SCALAR_STRING);
	else
		err = tagged_scalar(c, ev, n);
	if (err < 0) {
		mg_error_set_location(c->file, (int)n->line, (int)n->col);
		return err;
	}
	if (ev->data.scalar.anchor)
		anchor_set(c, (const char *)ev->data.scalar.anchor, n);
	*out = n;
	return 0;
}

static int compose_alias(composer *c, const yaml_event_t *ev, mg_ynode **out)
{
	const char *name = (const char *)ev->data.alias.anchor;
	mg_ynode *n = anchor_get(c, name);

	if (!n)
		return event_error(c, ev, "found undefined alias '%s'", name);
	if (n->open)
		return event_error(c, ev, "recursive alias '%s'", name);
	if (n->type != MG_YNODE_SCALAR &&
	    ++c->aliases > MG_YAML_MAX_COLLECTION_ALIASES)
		return event_error(
		    c, ev,
		    "too many aliases of collections (the maximum is %d)",
		    MG_YAML_MAX_COLLECTION_ALIASES);
	*out = n;
	return 0;
}

static int compose_node(composer *c, yaml_event_t *ev, unsigned depth,
			mg_ynode **out);

/* The children of a collection, up to its end event. */
static int compose_children(composer *c, mg_ynode *n, unsigned depth)
{
	yaml_event_t ev;
	mg_ynode *key = NULL, *child;
	int err;

	for (;;) {
		if ((err = next_event(c, &ev)) < 0)
			return err;
		if (ev.type == YAML_SEQUENCE_END_EVENT ||
		    ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		/* the root's databaseChangeLog is streamed (compose_items) */
		if (c->b && depth == 0 && key && is_changelog_key(key))
			c->changelog_key = key;
		err = compose_node(c, &ev, depth + 1, &child);
		c->changelog_key = NULL;
		if (err < 0)
			return err;
		/* child is set on success (for the analyzer, which does not
		 * follow the variadic error functions' constant result) */
		if (n->type == MG_YNODE_SEQ) {
			/* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
			mg_yaml__add(c->tmp, n, NULL, child);
		} else if (!key) {
			/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
			if (child->type != MG_YNODE_SCALAR)
				return mg_yaml__error(
				    c->file, child->line, child->col,
				    "mapping keys must be scalars");
			key = child;
		} else {
			mg_yaml__add(c->tmp, n, key, child);
			key = NULL;
		}
	}
}

/* Done with a streamed item: keep its document to the end, or release
 * it with those of the items before it (ITEM_BATCH_NODES). */
static void end_item(composer *c, bool keep)
{
	if (keep) {
		MG_VEC_GROW(c->kept, c->kept_alloc, c->nkept + 1);
		c->kept[c->nkept++] = c->item;
		c->item = (mg_arena)MG_ARENA_INIT;
	} else if (c->count - c->batch_start >= ITEM_BATCH_NODES) {
		mg_arena_release(&c->item);
	} else {
		return;
	}
	c->batch_start = c->count;
}

/*
 * The items of the root's databaseChangeLog sequence `seq`, each built
 * into the changelog as soon as it is composed. The sequence keeps the
 * items that were held back, to be built at the end.
 */
static int compose_items(composer *c, mg_ynode *seq, unsigned depth,
			 const mg_ynode *key)
{
	stream *st = stream_new(c->b, c->tmp, seq, key);
	yaml_event_t ev;
	mg_ynode *item;
	size_t anchors;
	bool held;
	int err;

	for (;;) {
		if ((err = next_event(c, &ev)) < 0)
			return err;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		anchors = c->nanchors;
		c->tmp = &c->item;
		err = compose_node(c, &ev, depth + 1, &item);
		c->tmp = &c->doc;
		if (err < 0)
			return err;
		/* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): set on success */
		held = stream_item(c->b, st, item, c->count);
		if (held)
			mg_yaml__add(c->tmp, seq, NULL, item);
		end_item(c, held || c->nanchors != anchors);
	}
}

static int compose_collection(composer *c, const yaml_event_t *ev,
			      unsigned depth, mg_ynode **out)
{
	bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
	const char *anchor_name =
	    (const char *)(seq ? ev->data.sequence_start.anchor
			       : ev->data.mapping_start.anchor);
	const char *tag = (const char *)(seq ? ev->data.sequence_start.tag
					     : ev->data.mapping_start.tag);
	mg_ynode *n = node_at(c, ev, seq ? MG_YNODE_SEQ : MG_YNODE_MAP);
	const mg_ynode *key = c->changelog_key; /* for this node only */
	int err;

	c->changelog_key = NULL;
	if (tag && strcmp(tag, "!") != 0 &&
	    strcmp(tag, seq ? TAG_PREFIX "seq" : TAG_PREFIX "map") != 0)
		return event_error(c, ev, "unsupported tag '%s%s'",
				   tag_prefix(tag), tag_suffix(tag));
	if (anchor_name)
		anchor_set(c, anchor_name, n);
	n->open = true;
	/* an anchored sequence is composed whole: an alias may repeat it */
	if (seq && key && !anchor_name)
		err = compose_items(c, n, depth, key);
	else
		err = compose_children(c, n, depth);
	n->open = false;
	*out = n;
	return err;
}

/* Compose the node starting with `ev`, which this function deletes. */
static int compose_node(composer *c, yaml_event_t *ev, unsigned depth,
			mg_ynode **out)
{
	int err;

	if (ev->type != YAML_ALIAS_EVENT && depth > MG_YAML_MAX_DEPTH)
		err = event_error(c, ev,
				  "nesting depth exceeds the maximum of %d",
				  MG_YAML_MAX_DEPTH);
	else if (ev->type == YAML_ALIAS_EVENT)
		err = compose_alias(c, ev, out);
	else if (ev->type == YAML_SCALAR_EVENT)
		err = compose_scalar(c, ev, out);
	else
		err = compose_collection(c, ev, depth, out);
	yaml_event_delete(ev);
	return err;
}

/* Expect an event of `type`, or fail with `what` at its position. */
static int expect_event(composer *c, yaml_event_type_t type, const char *what)
{
	yaml_event_t ev;
	int err;

	if ((err = next_event(c, &ev)) < 0)
		return err;
	if (ev.type != type)
		err = event_error(c, &ev, "%s", what);
	yaml_event_delete(&ev);
	return err;
}

/* SnakeYAML's Yaml.load: the stream holds at most one document. */
static int compose_stream(composer *c, mg_ynode **doc)
{
	yaml_event_t ev;
	int err;

	*doc = NULL;
	if ((err = expect_event(c, YAML_STREAM_START_EVENT,
				"expected the start of a stream")) < 0)
		return err;
	if ((err = next_event(c, &ev)) < 0)
		return err;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return 0;
	}
	yaml_event_delete(&ev);
	if ((err = next_event(c, &ev)) < 0 ||
	    (err = compose_node(c, &ev, 0, doc)) < 0)
		return err;
	if ((err = expect_event(c, YAML_DOCUMENT_END_EVENT,
				"expected the end of the document")) < 0)
		return err;
	return expect_event(c, YAML_STREAM_END_EVENT,
			    "expected a single document in the stream");
}

/* Compose c->text into *doc; the composer's memory stays till released. */
static int compose_text(composer *c, mg_ynode **doc)
{
	int err;

	*doc = NULL;
	c->tmp = &c->doc;
	if (!yaml_parser_initialize(&c->parser))
		return mg_error_set(MG_ERROR, "out of memory parsing YAML");
	yaml_parser_set_input_string(&c->parser, (const unsigned char *)c->text,
				     c->len);
	err = compose_stream(c, doc);
	yaml_parser_delete(&c->parser);
	return err;
}

static void composer_release(composer *c)
{
	for (size_t i = 0; i < c->nkept; i++)
		mg_arena_release(&c->kept[i]);
	free(c->kept);
	mg_arena_release(&c->item);
	mg_arena_release(&c->doc);
}

/* ---- Builder: document tree -> mg_node tree (node.h) ---------------- */

struct builder {
	mg_arena *a;
	const char *file; /* copied into a */
	stream *streams;  /* databaseChangeLog sequences built as composed */
};

/* One entry of a map in the order SnakeYAML constructs it. */
typedef struct slot {
	mg_yentry *e;
	size_t idx; /* position in traversal order */
	bool own;   /* the map's own entry, not a merged one */
} slot;

typedef struct slots {
	slot *v;
	size_t n, alloc;
} slots;

static void slots_push(slots *s, mg_yentry *e, bool own)
{
	MG_VEC_GROW(s->v, s->alloc, s->n + 1);
	s->v[s->n].e = e;
	s->v[s->n].idx = s->n;
	s->v[s->n].own = own;
	s->n++;
}

/* Keys are equal when their constructed Java objects are. */
static int key_cmp(const mg_ynode *a, const mg_ynode *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->value ? a->value : "", b->value ? b->value : "");
}

static int slot_key_cmp(const void *x, const void *y)
{
	const slot *a = x, *b = y;
	int c = key_cmp(a->e->key, b->e->key);

	if (c)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int slot_idx_cmp(const void *x, const void *y)
{
	const slot *a = x, *b = y;

	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* SnakeYAML keeps the last of entries with equal keys, in its place. */
static void mark_duplicates(mg_ynode *map)
{
	slots s = {0};

	if (map->deduped)
		return;
	map->deduped = true;
	for (mg_yentry *e = map->first; e; e = e->next)
		if (!e->key->merge)
			slots_push(&s, e, true);
	if (s.n > 1)
		qsort(s.v, s.n, sizeof(*s.v), slot_key_cmp);
	for (size_t i = 0; i + 1 < s.n; i++)
		if (key_cmp(s.v[i].e->key, s.v[i + 1].e->key) == 0)
			s.v[i].e->dup = true;
	free(s.v);
}

static int map_entries(builder *b, mg_ynode *map, slots *out);

static int merge_map(builder *b, mg_ynode *map, slots *out)
{
	slots inner = {0};
	int err = map_entries(b, map, &inner);

	for (size_t i = 0; err == 0 && i < inner.n; i++)
		slots_push(out, inner.v[i].e, false);
	free(inner.v);
	return err;
}

/* The value of a "<<" key: a mapping or a list of mappings. */
static int merge_value(builder *b, mg_ynode *v, slots *out)
{
	int err = 0;

	if (v->type == MG_YNODE_MAP)
		return merge_map(b, v, out);
	if (v->type != MG_YNODE_SEQ)
		return mg_yaml__error(
		    b->file, v->line, v->col,
		    "expected a mapping or a list of mappings to merge");
	for (mg_yentry *e = v->first; err == 0 && e; e = e->next) {
		if (e->value->type != MG_YNODE_MAP)
			return mg_yaml__error(b->file, e->value->line,
					      e->value->col,
					      "expected a mapping to merge");
		err = merge_map(b, e->value, out);
	}
	return err;
}

/*
 * SnakeYAML's mergeNode: a key stays where it first appears and takes
 * the map's own value, or else the value merged first.
 */
static void resolve_merges(slots *s)
{
	size_t i, j, k = 0;

	if (s->n < 2) /* nothing to merge, and qsort wants an array */
		return;
	qsort(s->v, s->n, sizeof(*s->v), slot_key_cmp);
	for (i = 0; i < s->n; i = j) {
		slot best = s->v[i];

		for (j = i;
		     j < s->n && key_cmp(s->v[j].e->key, s->v[i].e->key) == 0;
		     j++)
			if (s->v[j].own && !best.own)
				best = s->v[j];
		best.idx = s->v[i].idx;
		s->v[k++] = best;
	}
	s->n = k;
	qsort(s->v, s->n, sizeof(*s->v), slot_idx_cmp);
}

static int map_entries(builder *b, mg_ynode *map, slots *out)
{
	bool merged = false;
	int err;

	mark_duplicates(map);
	for (mg_yentry *e = map->first; e; e = e->next) {
		if (e->dup)
			continue;
		if (e->key->merge) {
			merged = true;
			if ((err = merge_value(b, e->value, out)) < 0)
				return err;
		} else {
			slots_push(out, e, true);
		}
	}
	if (merged)
		resolve_merges(out);
	return 0;
}

static int emit_value(builder *b, mg_node **out, const char *name, mg_ynode *v,
		      unsigned line, unsigned col);

static int emit_entries(builder *b, mg_node *parent, const slots *s)
{
	mg_node *child;
	int err;

	for (size_t i = 0; i < s->n; i++) {
		mg_yentry *e = s->v[i].e;

		/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): slots hold entries */
		err = emit_value(b, &child, e->key->raw, e->value, e->key->line,
				 e->key->col);
		if (err < 0)
			return err;
		mg_node_append(parent, child);
	}
	return 0;
}

/*
 * A list item that is a map of one entry (`- column: {...}`, `- sql: x`)
 * becomes a node named by its key, as an XML element would be; any
 * other item becomes an unnamed node. (node.h names only items holding
 * a map, but the loader skips unnamed changes and reads `onFail` of
 * `- onFail: HALT` by name, so scalar and list values are named too.)
 */
static int emit_item(builder *b, mg_node **out, mg_ynode *item)
{
	slots s = {0};
	mg_yentry *e;
	int err;

	if (item->type != MG_YNODE_MAP)
		return emit_value(b, out, NULL, item, item->line, item->col);
	if ((err = map_entries(b, item, &s)) < 0)
		goto out;
	e = s.n == 1 ? s.v[0].e : NULL;
	if (e) {
		err = emit_value(b, out, e->key->raw, e->value, e->key->line,
				 e->key->col);
	} else {
		*out = mg_node_new(b->a, NULL, b->file, item->line, item->col);
		(*out)->shape = MG_SHAPE_MAP;
		err = emit_entries(b, *out, &s);
	}
out:
	free(s.v);
	return err;
}

static int emit_items(builder *b, mg_node *parent, mg_ynode *seq)
{
	mg_node *child;
	int err;

	for (mg_yentry *e = seq->first; e; e = e->next) {
		if ((err = emit_item(b, &child, e->value)) < 0)
			return err;
		mg_node_append(parent, child);
	}
	return 0;
}

static int emit_value(builder *b, mg_node **out, const char *name, mg_ynode *v,
		      unsigned line, unsigned col)
{
	mg_node *n = mg_node_new(b->a, name, b->file, line, col);
	slots s = {0};
	int err;

	*out = n;
	if (v->type == MG_YNODE_SCALAR) {
		n->shape = MG_SHAPE_SCALAR;
		n->kind = v->kind;
		n->value = mg_arena_strdup(b->a, v->value);
		return 0;
	}
	if (v->type == MG_YNODE_SEQ) {
		n->shape = MG_SHAPE_LIST;
		return emit_items(b, n, v);
	}
	n->shape = MG_SHAPE_MAP;
	err = map_entries(b, v, &s);
	if (err == 0)
		err = emit_entries(b, n, &s);
	free(s.v);
	return err;
}

static size_t add_sat(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* An upper bound of the nodes `v` expands to (memoized: aliases share). */
static size_t expanded_size(mg_ynode *v)
{
	size_t n = 1;

	if (v->size)
		return v->size;
	for (mg_yentry *e = v->first; e; e = e->next)
		n = add_sat(n, expanded_size(e->value));
	v->size = n;
	return n;
}

/* Whether `n` nodes built from `composed` document nodes are allowed. */
static bool size_ok(size_t n, size_t composed)
{
	return n <= MG_YAML_MAX_NODES &&
	       n <= add_sat(composed, MG_YAML_MAX_ALIAS_NODES);
}

/* Refuse to build huge trees, e.g. "billion laughs" alias bombs. */
static int check_size(builder *b, mg_ynode *v, size_t composed)
{
	size_t n = expanded_size(v);

	if (size_ok(n, composed))
		return 0;
	if (n > MG_YAML_MAX_NODES)
		return mg_yaml__error(b->file, v->line, v->col,
				      "changelog has more than %d nodes",
				      MG_YAML_MAX_NODES);
	return mg_yaml__error(b->file, v->line, v->col,
			      "aliases expand to more than %d nodes",
			      MG_YAML_MAX_ALIAS_NODES);
}

static int find_changelog(builder *b, mg_ynode *doc, mg_yentry **out)
{
	slots s = {0};
	int err = map_entries(b, doc, &s);

	*out = NULL;
	for (size_t i = 0; err == 0 && i < s.n; i++)
		if (is_changelog_key(s.v[i].e->key))
			*out = s.v[i].e;
	free(s.v);
	return err;
}

static bool is_null(const mg_ynode *v)
{
	return v->type == MG_YNODE_SCALAR && v->kind == MG_SCALAR_NULL;
}

/* Liquibase's YamlChangeLogParser checks, in its order. */
static int find_entries(builder *b, mg_ynode *doc, mg_yentry **out)
{
	int err;

	if (!doc || is_null(doc) || (doc->type == MG_YNODE_MAP && !doc->first))
		return mg_yaml__error(b->file, doc ? doc->line : 1,
				      doc ? doc->col : 1, "changelog is empty");
	if (doc->type != MG_YNODE_MAP)
		return mg_yaml__error(b->file, doc->line, doc->col,
				      "expected a mapping at the top level");
	if ((err = find_changelog(b, doc, out)) < 0)
		return err;
	if (!*out)
		return mg_yaml__error(
		    b->file, doc->line, doc->col,
		    "could not find 'databaseChangeLog' at the top level");
	if ((*out)->value->type != MG_YNODE_SEQ && !is_null((*out)->value)) {
		mg_yaml__error(b->file, (*out)->value->line, (*out)->value->col,
			       "'databaseChangeLog' is not a list of entries");
		mg_error_set_hint(
		    "each changeSet must begin with '- changeSet:'");
		return MG_EPARSE;
	}
	return 0;
}

/* Any YAML mapping document (flow files): a node "document" holding the
 * top-level entries, built with the changelog rules of node.h. */
static int build_document(mg_node **out, mg_arena *a, const char *file,
			  mg_ynode *doc)
{
	builder b = {a, mg_arena_strdup(a, file), NULL};
	slots s = {0};
	mg_node *root;
	int err;

	if (!doc || doc->type != MG_YNODE_MAP)
		return mg_yaml__error(b.file, doc ? doc->line : 1,
				      doc ? doc->col : 1,
				      "expected a mapping at the top level");
	root = mg_node_new(a, "document", b.file, doc->line, doc->col);
	if ((err = map_entries(&b, doc, &s)) == 0)
		err = emit_entries(&b, root, &s);
	free(s.v);
	if (err == 0)
		*out = root;
	return err;
}

/* ---- Streaming: databaseChangeLog's items built as composed -------- */

struct stream {
	mg_ynode *seq;	/* holds the items held back; size counts them all */
	mg_node *root;	/* the items built so far */
	bool held;	/* an item was held back, so are the later ones */
	bool failed;	/* it failed to build: the later ones are not needed */
	stream *next;
};

static stream *stream_new(builder *b, mg_arena *tmp, mg_ynode *seq,
			  const mg_ynode *key)
{
	stream *st = mg_arena_alloc(tmp, sizeof(*st));

	st->seq = seq;
	seq->size = 1;
	st->root = mg_node_new(b->a, "databaseChangeLog", b->file, key->line,
			       key->col);
	st->next = b->streams;
	b->streams = st;
	return st;
}

/*
 * Build an item of a streamed sequence, or hold it back for the end when
 * today's order of checks cannot be known yet: its aliases may expand
 * beyond check_size's bounds, which only the whole document tells, or it
 * fails to build, an error that a later composer error or the checks of
 * the top level replace (it is built, and fails, again at the end).
 * Returns whether the item is held back.
 */
static bool stream_item(builder *b, stream *st, mg_ynode *item,
			size_t composed)
{
	mg_node *n;

	st->seq->size = add_sat(st->seq->size, expanded_size(item));
	if (st->failed)
		return false;
	if (!st->held && size_ok(st->seq->size, composed)) {
		if (emit_item(b, &n, item) == 0) {
			mg_node_append(st->root, n);
			return false;
		}
		st->failed = true;
		mg_error_clear();
	}
	st->held = true;
	return true;
}

static mg_node *streamed_root(const builder *b, const mg_ynode *seq)
{
	for (const stream *st = b->streams; st; st = st->next)
		if (st->seq == seq)
			return st->root;
	return NULL;
}

/* The changelog of a composed document; items streamed are built. */
static int build_changelog(builder *b, mg_node **out, mg_ynode *doc,
			   size_t composed)
{
	mg_yentry *e;
	mg_node *root;
	int err;

	*out = NULL;
	if ((err = find_entries(b, doc, &e)) < 0 ||
	    /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): set on success */
	    (err = check_size(b, e->value, composed)) < 0)
		return err;
	root = streamed_root(b, e->value);
	if (!root)
		root = mg_node_new(b->a, "databaseChangeLog", b->file,
				   e->key->line, e->key->col);
	if (e->value->type == MG_YNODE_SEQ &&
	    (err = emit_items(b, root, e->value)) < 0)
		return err;
	*out = root;
	return 0;
}

int mg_yaml__build(mg_node **out, mg_arena *a, const char *file, mg_ynode *doc,
		   size_t composed)
{
	builder b = {a, mg_arena_strdup(a, file), NULL};

	return build_changelog(&b, out, doc, composed);
}

int mg_parse_yaml(mg_node **out, mg_arena *a, const char *file,
		  const char *text, size_t len)
{
	builder b = {a, mg_arena_strdup(a, file), NULL};
	composer c = {.file = file, .text = text, .len = len, .b = &b};
	mg_ynode *doc;
	int err;

	*out = NULL;
	if (!text) {
		MG_ASSERT(len == 0);
		c.text = "";
	}
	err = compose_text(&c, &doc);
	if (err == 0)
		err = build_changelog(&b, out, doc, c.count);
	composer_release(&c);
	return err;
}

int mg_parse_yaml_document(mg_node **out, mg_arena *a, const char *file,
			   const char *text, size_t len)
{
	composer c = {.file = file, .text = text ? text : "", .len = len};
	mg_ynode *doc;
	int err;

	*out = NULL;
	err = compose_text(&c, &doc);
	if (err == 0)
		err = build_document(out, a, file, doc);
	composer_release(&c);
	return err;
}
