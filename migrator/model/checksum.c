/*
 * checksum.c: Liquibase 4.28 changeset checksums (MD5SUM column).
 * Section numbers refer to the compatibility spec,
 * shared/liquibase/liquibase-compat.md.
 */
#include "migrator/checksum.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/error.h"
#include "migrator/hash.h"
#include "migrator/util.h"

#include "values.h"

/* Whether H_text would change s: a CR, a U+FFFD (EF BF BD) or a byte
 * outside ASCII (where NFC may apply). */
static bool text_needs_rewrite(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\r' || (unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/* §1.2 H_text: CRLF/CR -> LF, drop U+FFFD, NFC, MD5. */
void mg_hash_text(mg_buf *out, const char *s, size_t len)
{
	mg_buf tmp = MG_BUF_INIT, nfc = MG_BUF_INIT;
	char hex[33];

	if (!text_needs_rewrite(s, len)) {
		mg_md5_hex(hex, s, len);
		mg_buf_puts(out, hex);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r') {
			mg_buf_putc(&tmp, '\n');
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
		} else if (c == 0xef && i + 2 < len &&
			   (unsigned char)s[i + 1] == 0xbf &&
			   (unsigned char)s[i + 2] == 0xbd) {
			i += 2;
		} else {
			mg_buf_putc(&tmp, (char)c);
		}
	}
	mg_nfc(&nfc, tmp.ptr, tmp.len);
	mg_md5_hex(hex, nfc.ptr, nfc.len);
	mg_buf_puts(out, hex);
	mg_buf_release(&tmp);
	mg_buf_release(&nfc);
}

/* §1.2 H_sql: delete space, TAB, LF, CR bytes; MD5. */
void mg_hash_sql(mg_buf *out, const char *s, size_t len)
{
	mg_buf tmp = MG_BUF_INIT;
	char hex[33];

	mg_buf_grow(&tmp, len);
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			mg_buf_putc(&tmp, s[i]);
	mg_md5_hex(hex, tmp.ptr, tmp.len);
	mg_buf_puts(out, hex);
	mg_buf_release(&tmp);
}

/* ---- serialization (§2) ---- */

typedef struct entries {
	char **items;
	size_t n, alloc;
} entries;

static void entries_add(entries *e, mg_buf *b)
{
	MG_VEC_GROW(e->items, e->alloc, e->n + 1);
	e->items[e->n++] = mg_buf_detach(b);
}

static int cmp_java(const void *a, const void *b)
{
	return mg_java_strcmp(*(char *const *)a, *(char *const *)b);
}

static void indent(mg_buf *out, int k)
{
	for (int i = 0; i < k; i++)
		mg_buf_puts(out, "    ");
}

/* Java's order; an object has a few entries (the fields of one change
 * or column), where an insertion sort beats qsort's set-up. */
static void sort_entries(entries *e)
{
	if (e->n > 32) {
		qsort(e->items, e->n, sizeof(char *), cmp_java);
		return;
	}
	for (size_t i = 1; i < e->n; i++) {
		char *item = e->items[i];
		size_t j = i;

		for (; j > 0 && mg_java_strcmp(e->items[j - 1], item) > 0; j--)
			e->items[j] = e->items[j - 1];
		e->items[j] = item;
	}
}

/* OBJ(o, k): sorted, de-duplicated entries. Frees the entries. */
static void emit_object(mg_buf *out, entries *e, int k)
{
	mg_buf_putc(out, '[');
	if (e->n) {
		sort_entries(e);
		mg_buf_putc(out, '\n');
		for (size_t i = 0; i < e->n; i++) {
			if (i && strcmp(e->items[i], e->items[i - 1]) == 0)
				continue;
			if (i)
				mg_buf_putc(out, '\n');
			mg_buf_puts(out, e->items[i]);
		}
		mg_buf_putc(out, '\n');
	}
	indent(out, k - 1);
	mg_buf_putc(out, ']');
	for (size_t i = 0; i < e->n; i++)
		free(e->items[i]);
	free(e->items);
	e->items = NULL;
	e->n = e->alloc = 0;
}

static void add_field(entries *e, int k, const char *name, const char *value)
{
	mg_buf b = MG_BUF_INIT;

	indent(&b, k);
	mg_buf_puts(&b, name);
	mg_buf_puts(&b, "=\"");
	mg_buf_puts(&b, value);
	mg_buf_putc(&b, '"');
	entries_add(e, &b);
}

/* BigInteger rendering: decimal without leading zeros. */
static void render_bigint(mg_buf *out, const char *v)
{
	const char *p = v;
	bool neg = false;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	while (*p == '0' && isdigit((unsigned char)p[1]))
		p++;
	if (!isdigit((unsigned char)*p)) {
		mg_buf_puts(out, v);
		return;
	}
	if (neg && strcmp(p, "0") != 0)
		mg_buf_putc(out, '-');
	while (isdigit((unsigned char)*p))
		mg_buf_putc(out, *p++);
}

static void render_value(mg_buf *out, mg_field_type t, const char *v)
{
	switch (t) {
	case MG_F_BOOL:
		mg_buf_puts(out, mg_java_bool(v) ? "true" : "false");
		break;
	case MG_F_BIGINT:
	case MG_F_INT:
		render_bigint(out, v);
		break;
	default:
		mg_buf_puts(out, v);
	}
}

/* Fields createIndex drops from its columns before hashing (§2.3). */
static const char *const index_dropped[] = {
	"type", "autoIncrement", "constraints", "defaultValue", "value",
	"startWith", "incrementBy", "encoding", "remarks",
};

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static void serialize_constraints(entries *e, const mg_node *cons, int k)
{
	entries inner = { 0 };
	mg_buf b = MG_BUF_INIT;

	for (mg_node *a = cons->first; a; a = a->next) {
		mg_buf v = MG_BUF_INIT;

		if (!a->name || !a->value || a->kind == MG_SCALAR_NULL)
			continue;
		if (mg_constraint_field_bool(a->name))
			mg_buf_puts(&v, mg_java_bool(a->value) ? "true"
								: "false");
		else
			mg_buf_puts(&v, a->value);
		add_field(&inner, k + 1, a->name, v.ptr);
		mg_buf_release(&v);
	}
	indent(&b, k);
	emit_object(&b, &inner, k + 1);
	entries_add(e, &b);
}

static void serialize_column(mg_buf *out, const mg_node *col, int k,
			     bool for_index)
{
	entries e = { 0 };

	for (mg_node *a = col->first; a; a = a->next) {
		mg_value val;

		if (!a->name)
			continue;
		if (for_index && in_list(index_dropped,
					 MG_ARRAY_SIZE(index_dropped), a->name))
			continue;
		if (strcmp(a->name, "constraints") == 0) {
			serialize_constraints(&e, a, k);
			continue;
		}
		if (!mg_column_field_known(a->name) || !a->value ||
		    a->kind == MG_SCALAR_NULL)
			continue;
		mg_value_normalize(&val, a->name, a->value, a->kind);
		if (val.name)
			add_field(&e, k, val.name, val.text.ptr);
		mg_value_release(&val);
	}
	if (col->value && !mg_node_child(col, "value") && !for_index)
		add_field(&e, k, "value", col->value);
	emit_object(out, &e, k);
}

static void serialize_columns(entries *e, const mg_change *c, int k)
{
	mg_buf b = MG_BUF_INIT;
	mg_node *col = mg_change_first_column(c);
	bool for_index = c->type->id == MG_CHANGE_CREATE_INDEX;

	if (!col && c->type->id == MG_CHANGE_DROP_COLUMN)
		return;
	indent(&b, k);
	mg_buf_puts(&b, "columns=");
	if (!col) {
		mg_buf_puts(&b, "[]");
	} else {
		mg_buf_puts(&b, "[\n");
		for (; col; col = mg_change_next_column(col)) {
			indent(&b, k + 1);
			serialize_column(&b, col, k + 2, for_index);
			if (mg_change_next_column(col))
				mg_buf_putc(&b, ',');
			mg_buf_putc(&b, '\n');
		}
		indent(&b, k);
		mg_buf_putc(&b, ']');
	}
	entries_add(e, &b);
}

static bool field_excluded(const mg_field *f, int version)
{
	if (f->flags & MG_FF_NOT_SERIALIZED)
		return true;
	if (version >= 9)
		return f->flags & MG_FF_V9_EXCLUDED;
	return f->flags & MG_FF_V8_EXCLUDED;
}

/* Some fields are excluded from one checksum kind only. */
static bool kind_excluded(const mg_change *c, const char *name, int version)
{
	if (version < 9)
		return false;
	switch (c->type->checksum) {
	case MG_CK_VIEW:
		return !strcmp(name, "selectQuery");
	case MG_CK_PROC:
		return !strcmp(name, "procedureText");
	default:
		return false;
	}
}

void mg_checksum_serialize(mg_buf *out, const mg_change *c, int version)
{
	const mg_change_type *t = c->type;
	entries e = { 0 };

	for (size_t i = 0; i < t->nfields; i++) {
		const mg_field *f = &t->fields[i];
		const char *v;
		mg_buf b = MG_BUF_INIT;

		if (field_excluded(f, version) ||
		    kind_excluded(c, f->name, version))
			continue;
		if (f->type == MG_F_COLUMNS) {
			serialize_columns(&e, c, 1);
			continue;
		}
		v = mg_change_get(c, f->name);
		/* Liquibase before 4.22 called the text procedureBody; its v8
		 * serialization still does (checked with the 4.28 jar) */
		if (c->type->checksum == MG_CK_PROC && version < 9 &&
		    !strcmp(f->name, "procedureText")) {
			v = v ? v : c->node->value;
			if (v) {
				render_value(&b, f->type, v);
				add_field(&e, 1, "procedureBody", b.ptr);
				mg_buf_release(&b);
			}
			continue;
		}
		if (!v && c->type->checksum == MG_CK_VIEW &&
		    !strcmp(f->name, "selectQuery"))
			v = c->node->value;
		if (!v && c->type->checksum == MG_CK_PROC &&
		    !strcmp(f->name, "procedureText"))
			v = c->node->value;
		if (v && c->type->id == MG_CHANGE_OUTPUT &&
		    !strcmp(f->name, "target") && !*v)
			v = NULL;
		if (!v)
			v = f->default_value;
		if (!v)
			continue;
		render_value(&b, f->type, v);
		add_field(&e, 1, f->name, b.ptr);
		mg_buf_release(&b);
	}
	mg_buf_puts(out, t->name);
	mg_buf_putc(out, ':');
	emit_object(out, &e, 1);
}

static void checksum_prefix(mg_buf *out, int version)
{
	mg_buf_printf(out, "%d:", version);
}

/* createView / createProcedure: serialization + the SQL text (§1.4). */
static void checksum_composite(mg_buf *out, const mg_change *c, int version,
			       const char *sqltext)
{
	mg_buf ser = MG_BUF_INIT, both = MG_BUF_INIT;

	mg_checksum_serialize(&ser, c, version);
	checksum_prefix(&both, version);
	mg_hash_text(&both, ser.ptr, ser.len);
	mg_buf_putc(&both, ':');
	checksum_prefix(&both, version);
	mg_hash_sql(&both, sqltext ? sqltext : "", sqltext ? strlen(sqltext) : 0);
	checksum_prefix(out, version);
	mg_hash_text(out, both.ptr, both.len);
	mg_buf_release(&ser);
	mg_buf_release(&both);
}

/* The spec 1.4.1 filter, one byte at a time, so the file can stream. */
typedef struct csv_filter {
	char comment;  /* '\0': no comment lines */
	bool at_start; /* at the start of a line */
	bool skipping; /* in a comment line */
	bool any;      /* a line was kept already */
} csv_filter;

static void csv_filter_byte(csv_filter *f, mg_buf *out, char b)
{
	if (b == '\r')
		return;
	if (f->at_start) {
		if (b == '\n')
			return; /* an empty line */
		f->at_start = false;
		f->skipping = f->comment && b == f->comment;
		if (!f->skipping && f->any)
			mg_buf_putc(out, '\n');
		f->any = f->any || !f->skipping;
	} else if (b == '\n') {
		f->at_start = true;
		return;
	}
	if (!f->skipping)
		mg_buf_putc(out, b);
}

/* csv_filter_byte over n bytes, the inside of each line copied in one
 * piece */
static void csv_filter_chunk(csv_filter *f, mg_buf *out, const char *p,
			     size_t n)
{
	const char *end = p + n;

	while (p < end) {
		const char *q = p;

		if (!f->at_start) {
			while (q < end && *q != '\n' && *q != '\r')
				q++;
			if (!f->skipping)
				mg_buf_put(out, p, (size_t)(q - p));
			if (q == end)
				break;
		}
		csv_filter_byte(f, out, *q);
		p = q + 1;
	}
}

int mg_checksum_csv_file(char hex[33], const char *path, const char *comment)
{
	csv_filter f = { comment ? comment[0] : '\0', true, false, false };
	FILE *in = mg_resource_open(path);
	mg_md5 *md5;
	char chunk[65536];
	mg_buf out = MG_BUF_INIT;
	size_t n, skip = 0;
	bool first = true;

	if (!in)
		return mg_error_set(MG_ENOTFOUND, "cannot open '%s': %s", path,
				    strerror(errno));
	md5 = mg_md5_new();
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0) {
		if (first && n >= 3 && !memcmp(chunk, "\xef\xbb\xbf", 3))
			skip = 3; /* a UTF-8 byte order mark */
		first = false;
		mg_buf_reset(&out);
		csv_filter_chunk(&f, &out, chunk + skip, n - skip);
		skip = 0;
		mg_md5_update(md5, out.ptr ? out.ptr : "", out.len);
	}
	mg_md5_finish(md5, hex);
	mg_buf_release(&out);
	if (ferror(in)) {
		fclose(in);
		return mg_error_set(MG_ERROR, "cannot read '%s'", path);
	}
	fclose(in);
	return 0;
}

static void checksum_loaddata(mg_buf *out, const mg_change *c, int version)
{
	mg_buf s = MG_BUF_INIT;
	char hex[33];
	const char *table = mg_change_get(c, "tableName");

	if (c->file_md5)
		memcpy(hex, c->file_md5, sizeof(hex));
	else
		mg_md5_hex(hex, "", 0);
	mg_buf_printf(&s, "%s:%d:%s", table ? table : "null", version, hex);
	checksum_prefix(out, version);
	mg_hash_text(out, s.ptr, s.len);
	mg_buf_release(&s);
}

/* v8 SQL: option header, then the text with whitespace runs collapsed
 * to one space and the ends trimmed (spec 1.5). */
static void checksum_sql_v8(mg_buf *out, const mg_change *c, const char *sql,
			    bool strip_default)
{
	mg_buf s = MG_BUF_INIT;
	const char *ed = mg_change_get(c, "endDelimiter");
	bool pending = false, emitted = false;
	char hex[33];

	mg_buf_printf(&s, "%s:%s:%s:", ed ? ed : "null",
		      mg_change_get_bool(c, "splitStatements", true) ? "true"
								      : "false",
		      mg_change_get_bool(c, "stripComments", strip_default)
			      ? "true"
			      : "false");
	for (const char *p = sql; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			pending = true;
			continue;
		}
		if (pending && emitted)
			mg_buf_putc(&s, ' ');
		pending = false;
		emitted = true;
		mg_buf_putc(&s, *p);
	}
	mg_md5_hex(hex, s.ptr, s.len);
	mg_buf_printf(out, "8:%s", hex);
	mg_buf_release(&s);
}

int mg_checksum_change(mg_buf *out, const mg_change *c, int version)
{
	const char *sql;

	switch (c->type->checksum) {
	case MG_CK_SQL:
	case MG_CK_SQLFILE:
		sql = c->hash_text ? c->hash_text : c->text ? c->text : "";
		if (version < 9) {
			checksum_sql_v8(out, c, sql, false);
			return 0;
		}
		checksum_prefix(out, version);
		mg_hash_sql(out, sql, strlen(sql));
		return 0;
	case MG_CK_VIEW:
	case MG_CK_PROC:
		if (version >= 9) {
			checksum_composite(out, c, version,
					   c->hash_text ? c->hash_text : c->text);
			return 0;
		}
		break;
	case MG_CK_LOADDATA:
		checksum_loaddata(out, c, version);
		return 0;
	case MG_CK_STRUCT:
		break;
	}
	{
		mg_buf ser = MG_BUF_INIT;

		mg_checksum_serialize(&ser, c, version);
		checksum_prefix(out, version);
		mg_hash_text(out, ser.ptr, ser.len);
		mg_buf_release(&ser);
	}
	return 0;
}

static bool change_counts(const mg_change *c, int version)
{
	if (version < 9 || !c->type->dbms_targeted)
		return true;
	return mg_dbms_matches(mg_change_get(c, "dbms"));
}

static void serialize_visitor(mg_buf *out, const mg_node *v, int version)
{
	entries e = { 0 };
	const mg_node *ms = v->parent;
	const char *atr = mg_node_get(v, "applyToRollback");

	if (!atr)
		atr = mg_node_get(ms, "applyToRollback");
	add_field(&e, 1, "applyToRollback", mg_java_bool(atr) ? "true" : "false");
	for (mg_node *a = v->first; a; a = a->next) {
		if (!a->name || !a->value || !strcmp(a->name, "applyToRollback"))
			continue;
		add_field(&e, 1, a->name, a->value);
	}
	if (version < 9) {
		const char *d = mg_node_get(ms, "dbms");
		const char *ctx = mg_node_get(ms, "context");
		const char *lab = mg_node_get(ms, "labels");

		if (d) {
			/* a Set<String>: serialized as a LIST (vector 37) */
			mg_buf b = MG_BUF_INIT;
			char *copy = mg_xstrdup(d), *save = NULL;

			mg_buf_puts(&b, "    applicableDbms=[");
			for (char *t = strtok_r(copy, ",", &save); t;
			     t = strtok_r(NULL, ",", &save)) {
				while (*t == ' ')
					t++;
				mg_buf_printf(&b, "%s\n        %s",
					      b.ptr[b.len - 1] == '[' ? "" : ",", t);
			}
			mg_buf_puts(&b, "\n    ]");
			entries_add(&e, &b);
			free(copy);
		}
		if (ctx)
			add_field(&e, 1, "contextFilter", ctx);
		if (lab)
			add_field(&e, 1, "labels", lab);
	}
	mg_buf_puts(out, v->name);
	mg_buf_putc(out, ':');
	emit_object(out, &e, 1);
}

int mg_checksum_changeset(mg_buf *out, const mg_changeset *cs, int version)
{
	mg_buf all = MG_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < cs->nchanges; i++) {
		if (!change_counts(&cs->changes[i], version))
			continue;
		if ((error = mg_checksum_change(&all, &cs->changes[i],
						version)) < 0)
			goto out;
		mg_buf_putc(&all, ':');
	}
	for (size_t i = 0; i < cs->nmodify_sql; i++) {
		for (mg_node *v = cs->modify_sql[i]->first; v; v = v->next) {
			mg_buf ser = MG_BUF_INIT;

			if (v->is_attr || !v->name)
				continue;
			serialize_visitor(&ser, v, version);
			checksum_prefix(&all, version);
			mg_hash_text(&all, ser.ptr, ser.len);
			mg_buf_putc(&all, ';');
			mg_buf_release(&ser);
		}
	}
	checksum_prefix(out, version);
	mg_hash_text(out, all.ptr, all.len);
out:
	mg_buf_release(&all);
	return error;
}

/* ---- stored checksums (§1.1) ---- */

static void canonical(mg_buf *out, const char *s)
{
	const char *p = s;
	const char *digits, *value;

	while (*p) {
		digits = p;
		while (isdigit((unsigned char)*p))
			p++;
		if (p > digits && *p == ':' && isalnum((unsigned char)p[1])) {
			value = ++p;
			while (isalnum((unsigned char)*p))
				p++;
			mg_buf_put(out, digits, (size_t)(value - digits));
			mg_buf_put(out, value, (size_t)(p - value));
			return;
		}
		p = digits + 1;
	}
	mg_buf_printf(out, "1:%s", s);
}

int mg_checksum_version(const char *s)
{
	mg_buf b = MG_BUF_INIT;
	int v;

	canonical(&b, s);
	v = atoi(b.ptr);
	mg_buf_release(&b);
	return v;
}

bool mg_checksum_equal(const char *a, const char *b)
{
	mg_buf ca = MG_BUF_INIT, cb = MG_BUF_INIT;
	bool eq;

	if (!a || !b || !*a || !*b)
		return false;
	canonical(&ca, a);
	canonical(&cb, b);
	eq = strcmp(ca.ptr, cb.ptr) == 0;
	mg_buf_release(&ca);
	mg_buf_release(&cb);
	return eq;
}
