/*
 * xml.c: XML changelog -> parse tree (libxml2 reader: one DOM subtree per
 * child of the root, converted and freed in turn).
 *
 * Security: the network is never used (XML_PARSE_NONET), no DTD is
 * loaded, and an entity reference that is not one of XML's predefined
 * ones is rejected, so neither external entities nor entity expansion
 * bombs can reach the changelog.
 *
 * libxml2 keeps a line number per element but no column; columns are
 * recovered by finding the element's '<name' (or an attribute's 'name=')
 * on its line of the source text.
 */
#include "migrator/node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "migrator/buf.h"
#include "migrator/error.h"

struct xml_state {
	mg_arena *arena;
	const char *file;
	const char *text;
	size_t len;
	const char **lines; /* start of each line, 1-based */
	size_t nlines;
};

/* libxml2 reports every error; the first one is the cause. */
typedef struct first_error {
	char message[512];
	int line, col;
	bool set;
} first_error;

static void keep_first(void *ctx, const xmlError *err)
{
	first_error *fe = ctx;

	if (fe->set || !err || err->level < XML_ERR_ERROR)
		return;
	snprintf(fe->message, sizeof(fe->message), "%s",
		 err->message ? err->message : "malformed XML");
	fe->line = err->line;
	fe->col = err->int2;
	fe->set = true;
}

static void index_lines(struct xml_state *st)
{
	size_t alloc = 0;

	st->nlines = 0;
	MG_VEC_GROW(st->lines, alloc, 2);
	st->lines[st->nlines++] = st->text; /* index 0 unused */
	st->lines[st->nlines++] = st->text;
	for (size_t i = 0; i < st->len; i++)
		if (st->text[i] == '\n') {
			MG_VEC_GROW(st->lines, alloc, st->nlines + 1);
			st->lines[st->nlines++] = st->text + i + 1;
		}
}

/* Column (1-based) of `needle` on `line` at or after column `from`. */
static unsigned find_col(const struct xml_state *st, unsigned line,
			 const char *needle, unsigned from)
{
	const char *start, *end, *p;
	size_t n = strlen(needle);

	if (line == 0 || line >= st->nlines)
		return 1;
	start = st->lines[line];
	end = line + 1 < st->nlines ? st->lines[line + 1] : st->text + st->len;
	for (p = start + (from ? from - 1 : 0); n && p + n <= end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
		if (!p)
			break;
		if (memcmp(p, needle, n) == 0)
			return (unsigned)(p - start) + 1;
	}
	return from ? from : 1;
}

/* needle = the nparts strings, cut at NEEDLE_MAX - 1 bytes as snprintf
 * would (made for every element and attribute, where snprintf costs
 * ten times as much) */
#define NEEDLE_MAX 256

static void make_needle(char *needle, const char *const *parts, int nparts)
{
	size_t n = 0;

	for (int i = 0; i < nparts; i++)
		for (const char *p = parts[i]; *p && n < NEEDLE_MAX - 1; p++)
			needle[n++] = *p;
	needle[n] = '\0';
}

/* libxml2 numbers an element by the line its start tag ends on; walk
 * back to the line holding '<name'. */
static void locate_element(const struct xml_state *st, xmlNode *x,
			   unsigned *line, unsigned *col)
{
	char needle[NEEDLE_MAX];
	long l = xmlGetLineNo(x);
	bool prefixed = x->ns && x->ns->prefix;
	const char *parts[4] = { "<",
				 prefixed ? (const char *)x->ns->prefix : "",
				 prefixed ? ":" : "", (const char *)x->name };

	make_needle(needle, parts, 4);
	*line = l > 0 ? (unsigned)l : 1;
	for (unsigned back = 0; back < 50 && *line > back; back++) {
		unsigned c = find_col(st, *line - back, needle, 0);
		const char *p;

		if (*line - back >= st->nlines)
			break;
		p = st->lines[*line - back] + c - 1;
		if (strncmp(p, needle, strlen(needle)) == 0) {
			*line -= back;
			*col = c;
			return;
		}
	}
	*col = 1;
}

static int element_text(mg_buf *out, xmlNode *x)
{
	for (xmlNode *c = x->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			mg_buf_puts(out, (const char *)c->content);
		else if (c->type == XML_ENTITY_REF_NODE)
			return mg_error_set(MG_EPARSE,
					    "entity reference '&%s;' is not allowed",
					    (const char *)c->name);
	}
	mg_buf_trim(out);
	return 0;
}

static int convert(mg_node **out, struct xml_state *st, xmlNode *x);

static void add_attributes(mg_node *n, struct xml_state *st, xmlNode *x)
{
	unsigned from = n->col;
	unsigned line = n->line;

	for (xmlAttr *a = x->properties; a; a = a->next) {
		/* a value of one text node (the usual) is read in place */
		bool plain = a->children && !a->children->next &&
			     a->children->type == XML_TEXT_NODE;
		xmlChar *v = plain ? a->children->content
				   : xmlNodeListGetString(x->doc, a->children, 1);
		const char *parts[2] = { (const char *)a->name, "=" };
		char needle[NEEDLE_MAX];
		mg_node *c;
		unsigned col;

		make_needle(needle, parts, 2);
		/* attributes may continue on the following lines */
		col = find_col(st, line, needle, from);
		for (unsigned l = line; col == from && l < line + 20; l++) {
			col = find_col(st, l, needle, l == line ? from : 1);
			if (col != (l == line ? from : 1) ||
			    (l < st->nlines &&
			     strncmp(st->lines[l] + col - 1, needle,
				     strlen(needle)) == 0)) {
				line = l;
				break;
			}
		}
		c = mg_node_new(st->arena, (const char *)a->name, st->file,
				line, col);
		c->is_attr = true;
		c->kind = MG_SCALAR_STRING;
		c->value = mg_arena_strdup(st->arena, v ? (const char *)v : "");
		if (!plain)
			xmlFree(v);
		mg_node_append(n, c);
		from = col;
	}
}

static int convert(mg_node **out, struct xml_state *st, xmlNode *x)
{
	mg_buf text = MG_BUF_INIT;
	unsigned line, col;
	mg_node *n;
	int error;

	locate_element(st, x, &line, &col);
	n = mg_node_new(st->arena, (const char *)x->name, st->file, line, col);
	add_attributes(n, st, x);
	if ((error = element_text(&text, x)) < 0) {
		mg_error_set_location(st->file, (int)line, (int)col);
		goto out;
	}
	if (text.len) {
		n->value = mg_arena_strndup(st->arena, text.ptr, text.len);
		n->kind = MG_SCALAR_STRING;
	}
	for (xmlNode *c = x->children; c; c = c->next) {
		mg_node *child;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if ((error = convert(&child, st, c)) < 0)
			goto out;
		mg_node_append(n, child);
	}
	*out = n;
out:
	mg_buf_release(&text);
	return error;
}

static int parse_failure(const first_error *e, const char *file)
{
	mg_buf msg = MG_BUF_INIT;

	mg_buf_puts(&msg, e->set ? e->message : "malformed XML");
	mg_buf_trim(&msg);
	if (msg.len && (msg.ptr[0] >= 'A' && msg.ptr[0] <= 'Z') &&
	    !(msg.len > 1 && msg.ptr[1] >= 'A' && msg.ptr[1] <= 'Z'))
		msg.ptr[0] = (char)(msg.ptr[0] - 'A' + 'a');
	mg_error_set(MG_EPARSE, "%s", msg.ptr);
	mg_error_set_location(file, e->line, e->col);
	mg_buf_release(&msg);
	return MG_EPARSE;
}

/* The whole file as one DOM: what a malformed file is read with, so that
 * its error is the one libxml2's document parser reports. */
static int parse_dom(mg_node **out, mg_arena *a, const char *file,
		     const char *text, size_t len)
{
	struct xml_state st = { a, file, text, len, NULL, 0 };
	xmlParserCtxt *ctxt;
	xmlDoc *doc;
	xmlNode *root;
	first_error fe = { "", 0, 0, false };
	int error = 0;

	xmlSetStructuredErrorFunc(&fe, (xmlStructuredErrorFunc)keep_first);
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return mg_error_set(MG_ERROR, "cannot create an XML parser");
	doc = xmlCtxtReadMemory(ctxt, text, (int)len, file, NULL,
				XML_PARSE_NONET);
	if (!doc) {
		error = parse_failure(&fe, file);
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || strcmp((const char *)root->name, "databaseChangeLog")) {
		error = mg_error_set(MG_EPARSE,
				     "root element must be 'databaseChangeLog'");
		mg_error_set_location(file, root ? (int)xmlGetLineNo(root) : 1,
				      1);
		goto out;
	}
	index_lines(&st);
	error = convert(out, &st, root);
out:
	xmlSetStructuredErrorFunc(NULL, NULL);
	free(st.lines);
	if (doc)
		xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return error;
}

/*
 * The changelog is read as a stream: the root element's start tag, then
 * each child of the root expanded to a DOM subtree, converted and left
 * to the reader to free, so that memory holds one changeset's DOM at a
 * time rather than the whole file's. Errors are reported as a DOM parse
 * would: the first well-formedness error of the file wins over a root
 * of the wrong name or an entity reference found before it.
 */
typedef struct xml_stream {
	struct xml_state *st;
	xmlTextReader *reader;
	mg_node *root;
	mg_buf text;  /* the root element's own text */
	int error;    /* first conversion error (message kept), or 0 */
	bool failed;  /* the reader met malformed XML */
} xml_stream;

static int stream_root(xml_stream *xs, xmlNode *x)
{
	struct xml_state *st = xs->st;
	unsigned line, col;

	if (strcmp((const char *)x->name, "databaseChangeLog")) {
		mg_error_set(MG_EPARSE, "root element must be 'databaseChangeLog'");
		mg_error_set_location(st->file, (int)xmlGetLineNo(x), 1);
		return MG_EPARSE;
	}
	index_lines(st);
	locate_element(st, x, &line, &col);
	xs->root = mg_node_new(st->arena, (const char *)x->name, st->file, line,
			       col);
	add_attributes(xs->root, st, x);
	return 0;
}

/* One node at depth 1: an element becomes a child of the root, text
 * joins the root's text. */
static int stream_child(xml_stream *xs, int type)
{
	xmlNode *x;
	mg_node *child;
	int error;

	switch (type) {
	case XML_READER_TYPE_ELEMENT:
		if (!(x = xmlTextReaderExpand(xs->reader)))
			return 0; /* malformed: the reader fails next */
		if ((error = convert(&child, xs->st, x)) < 0)
			return error;
		mg_node_append(xs->root, child);
		return 0;
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		mg_buf_puts(&xs->text,
			    (const char *)xmlTextReaderConstValue(xs->reader));
		return 0;
	case XML_READER_TYPE_ENTITY_REFERENCE:
		mg_error_set(MG_EPARSE, "entity reference '&%s;' is not allowed",
			     (const char *)xmlTextReaderConstName(xs->reader));
		mg_error_set_location(xs->st->file, (int)xs->root->line,
				      (int)xs->root->col);
		return MG_EPARSE;
	default:
		return 0;
	}
}

/* Reads to the end of the file, converting while no error was met; a
 * child element's subtree is skipped over (and freed) once converted. */
static void stream_read(xml_stream *xs)
{
	int r = xmlTextReaderRead(xs->reader);

	while (r == 1) {
		int depth = xmlTextReaderDepth(xs->reader);
		int type = xmlTextReaderNodeType(xs->reader);

		if (!xs->error && depth == 0 && type == XML_READER_TYPE_ELEMENT)
			xs->error = stream_root(
				xs, xmlTextReaderCurrentNode(xs->reader));
		else if (!xs->error && depth == 1 && xs->root)
			xs->error = stream_child(xs, type);
		if (depth == 1 && type == XML_READER_TYPE_ELEMENT)
			r = xmlTextReaderNext(xs->reader);
		else
			r = xmlTextReaderRead(xs->reader);
	}
	if (r < 0)
		xs->failed = true;
}

int mg_parse_xml(mg_node **out, mg_arena *a, const char *file,
		 const char *text, size_t len)
{
	struct xml_state st = { a, file, text, len, NULL, 0 };
	xml_stream xs = { &st, NULL, NULL, MG_BUF_INIT, 0, false };
	first_error fe = { "", 0, 0, false };
	int error = 0;

	xs.reader = xmlReaderForMemory(text, (int)len, file, NULL,
				       XML_PARSE_NONET);
	if (!xs.reader)
		return mg_error_set(MG_ERROR, "cannot create an XML parser");
	xmlTextReaderSetStructuredErrorHandler(
		xs.reader, (xmlStructuredErrorFunc)keep_first, &fe);
	stream_read(&xs);
	xmlFreeTextReader(xs.reader);
	if (xs.failed) {
		error = parse_dom(out, a, file, text, len);
	} else if (xs.error) {
		error = xs.error;
	} else if (!xs.root) {
		error = mg_error_set(MG_EPARSE,
				     "root element must be 'databaseChangeLog'");
		mg_error_set_location(file, 1, 1);
	} else {
		mg_buf_trim(&xs.text);
		if (xs.text.len) {
			xs.root->value = mg_arena_strndup(a, xs.text.ptr,
							  xs.text.len);
			xs.root->kind = MG_SCALAR_STRING;
		}
		*out = xs.root;
	}
	free(st.lines);
	mg_buf_release(&xs.text);
	return error;
}
