/*
 * xml.c: XML changelog -> parse tree, made straight from libxml2's SAX2
 * callbacks: no DOM, one pass, memory for the tree only.
 *
 * The push parser is fed the pieces xmlTextReader fed it (this file read
 * through a reader before), and the callbacks stop where libxml2's DOM
 * builder would have stopped, so that a file is accepted, and gets the
 * same tree, exactly when it was before. Two cases go the old way, as a
 * DOM converted to the tree:
 *  - a file with a DOCTYPE (the only way to an entity reference other
 *    than the five predefined ones): the same push parser builds a DOM,
 *    so that entities stay libxml2's business;
 *  - a malformed file: libxml2's document parser reads it again, so that
 *    the error and its position are that parser's, word for word.
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

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

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
	for (const char *p = st->text, *end = st->text + st->len;
	     (p = memchr(p, '\n', (size_t)(end - p))); p++) {
		MG_VEC_GROW(st->lines, alloc, st->nlines + 1);
		st->lines[st->nlines++] = p + 1;
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

/* libxml2 numbers an element by the line its start tag ends on (`l`);
 * walk back to the line holding '<prefix:name' ('<name' without a
 * prefix). */
static void locate_element(const struct xml_state *st, long l,
			   const char *prefix, const char *name,
			   unsigned *line, unsigned *col)
{
	char needle[NEEDLE_MAX];
	const char *parts[4] = { "<", prefix ? prefix : "", prefix ? ":" : "",
				 name };

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

/* Where the attributes of one element are looked for: each one's
 * 'name=' at or after the previous one's, starting at the element. */
typedef struct attr_cursor {
	unsigned line, from;
} attr_cursor;

/* The column of attribute `name` ('name=' at or after the previous
 * one's, on its line or one of the 20 after); `at` moves to it. */
static unsigned attr_col(const struct xml_state *st, attr_cursor *at,
			 const char *name)
{
	const char *parts[2] = { name, "=" };
	char needle[NEEDLE_MAX];
	unsigned line = at->line, from = at->from, col;

	make_needle(needle, parts, 2);
	/* attributes may continue on the following lines */
	col = find_col(st, line, needle, from);
	for (unsigned l = line; col == from && l < line + 20; l++) {
		col = find_col(st, l, needle, l == line ? from : 1);
		if (col != (l == line ? from : 1) ||
		    (l < st->nlines &&
		     strncmp(st->lines[l] + col - 1, needle, strlen(needle)) ==
			     0)) {
			at->line = l;
			break;
		}
	}
	at->from = col;
	return col;
}

static void add_attr(mg_node *n, mg_node *attr, char *value)
{
	attr->is_attr = true;
	attr->kind = MG_SCALAR_STRING;
	attr->value = value;
	mg_node_append(n, attr);
}

/* An element's own text, trimmed as mg_buf_trim() trims, is its value
 * when not empty. */
static void set_text(mg_node *n, struct xml_state *st, const char *p,
		     size_t len)
{
	while (len && (unsigned char)*p <= 0x20) {
		p++;
		len--;
	}
	while (len && (unsigned char)p[len - 1] <= 0x20)
		len--;
	if (len) {
		n->value = mg_arena_strndup(st->arena, p, len);
		n->kind = MG_SCALAR_STRING;
	}
}

static int entity_error(const struct xml_state *st, const mg_node *n,
			const xmlChar *name)
{
	mg_error_set(MG_EPARSE, "entity reference '&%s;' is not allowed",
		     (const char *)name);
	mg_error_set_location(st->file, (int)n->line, (int)n->col);
	return MG_EPARSE;
}

static int root_error(const char *file, long line)
{
	mg_error_set(MG_EPARSE, "root element must be 'databaseChangeLog'");
	mg_error_set_location(file, (int)line, 1);
	return MG_EPARSE;
}

/* --- from a DOM: files with a DOCTYPE, and malformed ones ---------- */

static mg_node *dom_element(struct xml_state *st, xmlNode *x)
{
	bool prefixed = x->ns && x->ns->prefix;
	unsigned line, col;
	attr_cursor at;
	mg_node *n;

	locate_element(st, xmlGetLineNo(x),
		       prefixed ? (const char *)x->ns->prefix : NULL,
		       (const char *)x->name, &line, &col);
	n = mg_node_new(st->arena, (const char *)x->name, st->file, line, col);
	at = (attr_cursor){ line, col };
	for (xmlAttr *a = x->properties; a; a = a->next) {
		xmlChar *v = xmlNodeListGetString(x->doc, a->children, 1);
		const char *name = (const char *)a->name;
		unsigned c = attr_col(st, &at, name);

		add_attr(n, mg_node_new(st->arena, name, st->file, at.line, c),
			 mg_arena_strdup(st->arena, v ? (const char *)v : ""));
		xmlFree(v);
	}
	return n;
}

/* An element and its subtree: its own text (direct text and CDATA
 * children) is checked for entity references before its children. */
static int convert(mg_node **out, struct xml_state *st, xmlNode *x)
{
	mg_buf text = MG_BUF_INIT;
	mg_node *n = dom_element(st, x);
	int error = 0;

	for (xmlNode *c = x->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			mg_buf_puts(&text, (const char *)c->content);
		else if (c->type == XML_ENTITY_REF_NODE) {
			error = entity_error(st, n, c->name);
			goto out;
		}
	}
	set_text(n, st, text.ptr, text.len);
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

/* The root's children in document order, as the reader met them: the
 * first entity reference among them or in a child's subtree wins. */
static int convert_root(mg_node **out, struct xml_state *st, xmlNode *root)
{
	mg_buf text = MG_BUF_INIT;
	mg_node *n;
	int error = 0;

	if (!root || strcmp((const char *)root->name, "databaseChangeLog"))
		return root_error(st->file, root ? xmlGetLineNo(root) : 1);
	index_lines(st);
	n = dom_element(st, root);
	for (xmlNode *c = root->children; c; c = c->next) {
		mg_node *child;

		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			mg_buf_puts(&text, (const char *)c->content);
		else if (c->type == XML_ENTITY_REF_NODE)
			error = entity_error(st, n, c->name);
		else if (c->type == XML_ELEMENT_NODE &&
			 (error = convert(&child, st, c)) == 0)
			mg_node_append(n, child);
		if (error < 0)
			goto out;
	}
	set_text(n, st, text.ptr, text.len);
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
	first_error fe = { "", 0, 0, false };
	int error;

	xmlSetStructuredErrorFunc(&fe, (xmlStructuredErrorFunc)keep_first);
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		xmlSetStructuredErrorFunc(NULL, NULL);
		return mg_error_set(MG_ERROR, "cannot create an XML parser");
	}
	doc = xmlCtxtReadMemory(ctxt, text, (int)len, file, NULL,
				XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	if (doc)
		error = convert_root(out, &st, xmlDocGetRootElement(doc));
	else
		error = parse_failure(&fe, file);
	xmlSetStructuredErrorFunc(NULL, NULL);
	free(st.lines);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return error;
}

/* --- the push parser, fed as xmlTextReader feeds it ---------------- */

#define READER_CHUNK 512

static void ignore_error(void *ctx, const xmlError *err)
{
	(void)ctx;
	(void)err;
}

/* The reader makes its parser with the first 4 bytes (they tell the
 * encoding). `sax` NULL: libxml2's DOM builder. */
static xmlParserCtxt *push_parser(xmlSAXHandler *sax, const char *file,
				  const char *text, size_t len)
{
	xmlParserCtxt *ctxt = xmlCreatePushParserCtxt(
		sax, NULL, len >= 4 ? text : NULL, len >= 4 ? 4 : 0, file);

	if (!ctxt)
		return NULL;
	ctxt->sax->serror = (xmlStructuredErrorFunc)ignore_error;
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	return ctxt;
}

/* The rest in 512-byte pieces, then what is left, then an empty piece
 * and the end, each while libxml2 has seen no error: the reader's
 * pieces, so that a file is well-formed here exactly when it was for the
 * reader (the push parser's checks depend on where the pieces end).
 * True when the file is well-formed. */
static bool push_all(xmlParserCtxt *ctxt, const char *text, size_t len)
{
	size_t done = len >= 4 ? 4 : 0;

	while (ctxt->wellFormed && len - done >= READER_CHUNK) {
		if (xmlParseChunk(ctxt, text + done, READER_CHUNK, 0))
			ctxt->wellFormed = 0;
		done += READER_CHUNK;
	}
	if (ctxt->wellFormed && done < len &&
	    xmlParseChunk(ctxt, text + done, (int)(len - done), 0))
		ctxt->wellFormed = 0;
	if (ctxt->wellFormed && xmlParseChunk(ctxt, text + len, 0, 0))
		ctxt->wellFormed = 0;
	if (ctxt->wellFormed && xmlParseChunk(ctxt, text + len, 0, 1))
		ctxt->wellFormed = 0;
	return ctxt->wellFormed;
}

/* A file with a DOCTYPE (or an entity reference, which needs one): the
 * push parser builds its DOM, as it did for the reader, and the DOM is
 * converted as the reader's was. */
static int parse_doctype(mg_node **out, mg_arena *a, const char *file,
			 const char *text, size_t len)
{
	struct xml_state st = { a, file, text, len, NULL, 0 };
	xmlParserCtxt *ctxt = push_parser(NULL, file, text, len);
	int error;

	if (!ctxt)
		return mg_error_set(MG_ERROR, "cannot create an XML parser");
	if (push_all(ctxt, text, len))
		error = convert_root(out, &st,
				     xmlDocGetRootElement(ctxt->myDoc));
	else
		error = parse_dom(out, a, file, text, len);
	free(st.lines);
	xmlFreeDoc(ctxt->myDoc);
	xmlFreeParserCtxt(ctxt);
	return error;
}

/* --- the tree from SAX2 callbacks ---------------------------------- */


typedef struct xml_sax {
	struct xml_state *st;
	mg_node *root;   /* NULL until a databaseChangeLog root starts */
	mg_node *cur;    /* the innermost open element, or NULL */
	unsigned depth;  /* elements open */
	mg_buf text;     /* text of the open elements, the innermost's last */
	size_t *marks;   /* where each open element's text starts in it */
	size_t amarks;
	mg_buf value;    /* an attribute value being decoded */
	int run;         /* the DOM's text node that would grow: its type */
	size_t run_len;  /* and length */
	int error;       /* the root is not databaseChangeLog */
	bool failed;     /* libxml2's DOM builder would have stopped */
	bool doctype;    /* a DOCTYPE or an entity reference: read a DOM */
} xml_sax;

static xml_sax *sax_of(void *ctx)
{
	return ((xmlParserCtxt *)ctx)->_private;
}

static void sax_stop(void *ctx, bool *why)
{
	*why = true;
	xmlStopParser(ctx);
}

/* The line libxml2's DOM gives an element: the parser's line as its
 * start tag ends (the DOM reads, too, keep lines past 65,535 whole:
 * XML_PARSE_BIG_LINES). */
static long sax_line(const xmlParserCtxt *ctxt)
{
	return ctxt->input ? ctxt->input->line : 0;
}

/* The name libxml2's DOM gives an element or attribute: its local name,
 * or prefix:name when the prefix is bound to no namespace. */
static const char *dom_name(xmlParserCtxt *ctxt, const xmlChar *local,
			    const xmlChar *prefix, const xmlChar *uri)
{
	const xmlChar *full;

	if (!prefix || uri)
		return (const char *)local;
	full = xmlDictQLookup(ctxt->dict, prefix, local);
	return (const char *)(full ? full : local);
}

/* A node of the tree (its name interned by mg_node_new: a changelog has
 * a few dozen names and many thousands of nodes). */
static mg_node *sax_node(xml_sax *xs, const char *name, unsigned line,
			 unsigned col)
{
	return mg_node_new(xs->st->arena, name, xs->st->file, line, col);
}

/* An attribute value as libxml2's DOM has it. SAX2 passes the source
 * bytes up to the closing quote or, when the parser rewrote them (space
 * normalised, references replaced), a NUL-terminated copy in which '&'
 * is kept as "&#38;" (entity substitution off). Any other '&' starts a
 * DTD's entity, left to the DOM: false then. */
static bool attr_value(char **out, xml_sax *xs, const xmlChar *v,
		       const xmlChar *end)
{
	const char *p = (const char *)v, *e = (const char *)end, *amp;

	if (*end) {
		*out = mg_arena_strndup(xs->st->arena, p, (size_t)(e - p));
		return true;
	}
	mg_buf_reset(&xs->value);
	while ((amp = memchr(p, '&', (size_t)(e - p)))) {
		if (e - amp < 5 || memcmp(amp, "&#38;", 5))
			return false;
		mg_buf_put(&xs->value, p, (size_t)(amp - p));
		mg_buf_putc(&xs->value, '&');
		p = amp + 5;
	}
	mg_buf_put(&xs->value, p, (size_t)(e - p));
	*out = mg_arena_strndup(xs->st->arena, xs->value.ptr, xs->value.len);
	return true;
}

/* The element's node and its attributes (those written: defaulted ones
 * come from a DTD, and xmlns ones are namespaces). NULL when an
 * attribute needs the DOM. */
static mg_node *sax_element(xml_sax *xs, xmlParserCtxt *ctxt,
			    const xmlChar *local, const xmlChar *prefix,
			    const xmlChar *uri, int nattrs,
			    const xmlChar **attrs)
{
	struct xml_state *st = xs->st;
	const char *name = dom_name(ctxt, local, prefix, uri);
	unsigned line, col;
	attr_cursor at;
	mg_node *n;

	locate_element(st, sax_line(ctxt), uri ? (const char *)prefix : NULL,
		       name, &line, &col);
	n = sax_node(xs, name, line, col);
	at = (attr_cursor){ line, col };
	for (int i = 0; i < nattrs; i++, attrs += 5) {
		const char *aname = dom_name(ctxt, attrs[0], attrs[1], attrs[2]);
		char *value;

		if (!attr_value(&value, xs, attrs[3], attrs[4]))
			return NULL;
		col = attr_col(st, &at, aname);
		add_attr(n, sax_node(xs, aname, at.line, col), value);
	}
	return n;
}

static void sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
		      const xmlChar *uri, int nns, const xmlChar **ns,
		      int nattrs, int ndefaulted, const xmlChar **attrs)
{
	xmlParserCtxt *ctxt = ctx;
	xml_sax *xs = sax_of(ctx);
	mg_node *n;

	(void)nns;
	(void)ns;
	/* the DOM builder's nodePush() refuses deeper elements */
	if (xs->depth > xmlParserMaxDepth &&
	    !(ctxt->options & XML_PARSE_HUGE)) {
		sax_stop(ctx, &xs->failed);
		return;
	}
	MG_VEC_GROW(xs->marks, xs->amarks, xs->depth + 1);
	xs->marks[xs->depth++] = xs->text.len;
	xs->run = 0;
	if (xs->error || (xs->depth == 1 ? xs->root != NULL : !xs->cur))
		return;
	if (xs->depth == 1) {
		if (strcmp(dom_name(ctxt, local, prefix, uri),
			   "databaseChangeLog")) {
			xs->error = root_error(xs->st->file, sax_line(ctxt));
			return;
		}
		index_lines(xs->st);
	}
	n = sax_element(xs, ctxt, local, prefix, uri, nattrs - ndefaulted,
			attrs);
	if (!n) {
		sax_stop(ctx, &xs->doctype);
		return;
	}
	if (xs->cur)
		mg_node_append(xs->cur, n);
	else
		xs->root = n;
	xs->cur = n;
}

static void sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
		    const xmlChar *uri)
{
	xml_sax *xs = sax_of(ctx);
	size_t mark = xs->marks[--xs->depth];

	(void)local;
	(void)prefix;
	(void)uri;
	xs->run = 0;
	if (!xs->cur)
		return;
	set_text(xs->cur, xs->st, xs->text.ptr + mark, xs->text.len - mark);
	mg_buf_truncate(&xs->text, mark);
	xs->cur = xs->cur->parent;
}

/* Text and CDATA go to the innermost element. The DOM builder grows one
 * text node while the same kind of text follows, and stops the parser
 * when that node would pass XML_MAX_TEXT_LENGTH. */
static void sax_chars(void *ctx, const xmlChar *ch, int len, int type)
{
	xmlParserCtxt *ctxt = ctx;
	xml_sax *xs = sax_of(ctx);

	if (!xs->depth)
		return;
	if (xs->run != type) {
		xs->run = type;
		xs->run_len = 0;
	} else if (xs->run_len + (size_t)len > XML_MAX_TEXT_LENGTH &&
		   !(ctxt->options & XML_PARSE_HUGE)) {
		sax_stop(ctx, &xs->failed);
		return;
	}
	xs->run_len += (size_t)len;
	if (xs->cur)
		mg_buf_put(&xs->text, ch, (size_t)len);
}

static void sax_text(void *ctx, const xmlChar *ch, int len)
{
	sax_chars(ctx, ch, len, XML_TEXT_NODE);
}

static void sax_cdata(void *ctx, const xmlChar *ch, int len)
{
	sax_chars(ctx, ch, len, XML_CDATA_SECTION_NODE);
}

/* a comment or processing instruction ends the DOM's text node */
static void sax_comment(void *ctx, const xmlChar *value)
{
	(void)value;
	sax_of(ctx)->run = 0;
}

static void sax_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void)target;
	(void)data;
	sax_of(ctx)->run = 0;
}

static void sax_doctype(void *ctx, const xmlChar *name, const xmlChar *id,
			const xmlChar *uri)
{
	(void)name;
	(void)id;
	(void)uri;
	sax_stop(ctx, &sax_of(ctx)->doctype);
}

static void sax_reference(void *ctx, const xmlChar *name)
{
	(void)name;
	sax_stop(ctx, &sax_of(ctx)->doctype);
}

/* userData is the parser context (libxml2's own DOM builder works so,
 * and some of its entity code asks); the state is in ctxt->_private. */
static xmlSAXHandler sax_handler = {
	.internalSubset = sax_doctype,
	.reference = sax_reference,
	.characters = sax_text,
	.ignorableWhitespace = sax_text,
	.processingInstruction = sax_pi,
	.comment = sax_comment,
	.cdataBlock = sax_cdata,
	.initialized = XML_SAX2_MAGIC,
	.startElementNs = sax_start,
	.endElementNs = sax_end,
	.serror = (xmlStructuredErrorFunc)ignore_error,
};

int mg_parse_xml(mg_node **out, mg_arena *a, const char *file,
		 const char *text, size_t len)
{
	struct xml_state st = { a, file, text, len, NULL, 0 };
	xml_sax xs = { .st = &st, .text = MG_BUF_INIT, .value = MG_BUF_INIT };
	xmlParserCtxt *ctxt = NULL;
	bool well_formed;
	int error = 0;

	if (len <= INT_MAX)
		ctxt = push_parser(&sax_handler, file, text, len);
	if (!ctxt)
		return mg_error_set(MG_ERROR, "cannot create an XML parser");
	ctxt->_private = &xs;
	well_formed = push_all(ctxt, text, len) && !xs.failed;
	xmlFreeDoc(ctxt->myDoc); /* NULL unless libxml2 made one itself */
	xmlFreeParserCtxt(ctxt);
	if (xs.doctype)
		error = parse_doctype(out, a, file, text, len);
	else if (!well_formed)
		error = parse_dom(out, a, file, text, len);
	else if (xs.error)
		error = xs.error;
	else if (!xs.root)
		error = root_error(file, 1);
	else
		*out = xs.root;
	free(st.lines);
	free(xs.marks);
	mg_buf_release(&xs.text);
	mg_buf_release(&xs.value);
	return error;
}
