/*
 * pg_values.c: the Java values behind a change, rebuilt the way
 * Liquibase 4.28 loads them (ColumnConfig.load, ISODateFormat,
 * NumberFormat, SnakeYAML scalars), and their untyped SQL forms
 * (InsertGenerator, UpdateGenerator, DataTypeFactory.fromObject).
 */
#include "pg_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migrator/error.h"
#include "migrator/jdate.h"
#include "migrator/jnumber.h"
#include "migrator/util.h"

/* ---- Java number formatting ---------------------------------------- */

/* YAML 1.1 integer (SnakeYAML): _ separators, 0x, 0b, leading-0 octal */
static char *yaml_int(mg_arena *a, const char *s)
{
	char clean[128];
	size_t k = 0;
	int base = 10;
	const char *p = s;
	bool neg = false;
	unsigned long long v;
	char *end;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (; *p && k + 1 < sizeof(clean); p++)
		if (*p != '_')
			clean[k++] = *p;
	clean[k] = '\0';
	p = clean;
	if (!strncmp(p, "0x", 2)) {
		base = 16;
		p += 2;
	} else if (!strncmp(p, "0b", 2)) {
		base = 2;
		p += 2;
	} else if (p[0] == '0' && p[1]) {
		base = 8;
		p++;
	}
	errno = 0;
	v = strtoull(p, &end, base);
	/* NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch): strtoull sets end */
	if (*end || errno || !*p)
		return mg_arena_strdup(a, s);
	if (v == 0)
		return mg_arena_strdup(a, "0");
	return mg_arena_printf(a, "%s%llu", neg ? "-" : "", v);
}

/* ---- dates ------------------------------------------------------------ */

static char *fmt(mg_arena *a, const mg_jdate *t, mg_jdate_kind kind)
{
	mg_buf b = MG_BUF_INIT;
	char *r;

	mg_jdate_format(&b, t, kind);
	r = mg_arena_strdup(a, b.ptr);
	mg_buf_release(&b);
	return r;
}

/* ISODateFormat.parse (jdate.h); false = ParseException. */
int mg_sqlgen__iso_date(pg_value *v, mg_arena *a, const char *s)
{
	static const pg_vkind kinds[] = { PGV_NONE, PGV_DATE, PGV_TIME,
					  PGV_TIMESTAMP };
	mg_jdate t;
	mg_jdate_kind k = mg_jdate_parse(&t, s);

	if (k == MG_JDATE_NONE)
		return false;
	v->kind = kinds[k];
	v->text = fmt(a, &t, k);
	return true;
}

/* An unquoted YAML date or timestamp: a java.util.Date, printed in UTC. */
static bool yaml_date(pg_value *v, mg_arena *a, const char *s)
{
	mg_jdate t = { 0, 1, 1, 0, 0, 0, 0 };
	long f[3], ms = 0, off = 0;
	const char *p;
	char *end;

	if (!mg_jdate_scan(s, "9-9-9", f))
		return false;
	t.y = f[0];
	t.mo = f[1];
	t.d = f[2];
	p = strchr(s, '-');
	p = strchr(p + 1, '-') + 1;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == 'T' || *p == 't' || *p == ' ' || *p == '\t') {
		while (*p == ' ' || *p == '\t' || *p == 'T' || *p == 't')
			p++;
		if (!mg_jdate_scan(p, "9:9:9", f))
			return false;
		t.h = f[0];
		t.mi = f[1];
		t.s = strtol(strrchr(p, ':') + 1, &end, 10);
		p = end;
		if (*p == '.') {
			int k = 0;

			for (p++; isdigit((unsigned char)*p); p++, k++)
				if (k < 3)
					ms = ms * 10 + (*p - '0');
			for (; k < 3; k++)
				ms *= 10;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '+' || *p == '-') {
			long hh = strtol(p + 1, &end, 10), mm = 0;

			if (*end == ':')
				mm = strtol(end + 1, &end, 10);
			off = (hh * 60 + mm) * (*p == '-' ? -1 : 1);
		}
		t.mi -= off;
	}
	t.nanos = ms * 1000000;
	mg_jdate_normalize(&t);
	v->kind = PGV_UTILDATE;
	v->text = fmt(a, &t, MG_JDATE_TIMESTAMP);
	return true;
}

/* ---- numbers ------------------------------------------------------------ */

/* NumberFormat (jnumber.h), the result's toString() in the arena */
bool mg_sqlgen__java_number(mg_arena *a, const char *s, const char **out)
{
	mg_buf b = MG_BUF_INIT;
	bool ok = mg_jnumber_parse(&b, s);

	if (ok)
		*out = mg_arena_strdup(a, b.ptr);
	mg_buf_release(&b);
	return ok;
}

static char *java_double(mg_arena *a, double d)
{
	mg_buf b = MG_BUF_INIT;
	char *r;

	mg_jnumber_double(&b, d);
	r = mg_arena_strdup(a, b.ptr);
	mg_buf_release(&b);
	return r;
}

/* new BigInteger(text).toString(), NULL when it does not parse */
const char *mg_sqlgen__java_bigint(mg_arena *a, const char *s)
{
	const char *p = s, *start;
	bool neg = false;

	if (!s)
		return NULL;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (!*p)
		return NULL;
	for (start = p; *p; p++)
		if (!isdigit((unsigned char)*p))
			return NULL;
	while (*start == '0' && start[1])
		start++;
	if (!strcmp(start, "0"))
		neg = false;
	return mg_arena_printf(a, "%s%s", neg ? "-" : "", start);
}

/* ---- reading a node the way ParsedNode.getChildValue(String) does ----- */

const char *mg_sqlgen__node_text(mg_arena *a, const mg_node *n)
{
	mg_buf b = MG_BUF_INIT;
	pg_value v;
	const char *res;

	if (!n || n->kind == MG_SCALAR_NULL || !n->value)
		return NULL;
	switch (n->kind) {
	case MG_SCALAR_INT:
		return yaml_int(a, n->value);
	case MG_SCALAR_FLOAT:
		return java_double(a, strtod(n->value, NULL));
	case MG_SCALAR_DATE:
		if (!yaml_date(&v, a, n->value))
			return n->value;
		mg_sqlgen__value_tostring(&b, &v);
		res = mg_arena_strdup(a, b.ptr);
		mg_buf_release(&b);
		return res;
	default:
		return n->value;
	}
}

static const char *child_text(mg_arena *a, const mg_node *col,
			      const char *name)
{
	return mg_sqlgen__node_text(a, mg_node_child(col, name));
}

/* getChildValue(name, Date.class): a YAML date as is, else ISODateFormat */
static bool child_date(pg_value *v, mg_arena *a, const mg_node *col,
		       const char *name, const char **failed)
{
	const mg_node *n = mg_node_child(col, name);
	const char *text;

	*failed = NULL;
	if (!n || n->kind == MG_SCALAR_NULL || !n->value)
		return false;
	if (n->kind == MG_SCALAR_DATE && yaml_date(v, a, n->value))
		return true;
	text = mg_sqlgen__node_text(a, n);
	if (mg_sqlgen__iso_date(v, a, text))
		return true;
	*failed = text;
	return false;
}

bool mg_sqlgen__column_date(pg_value *v, mg_arena *a, const mg_node *col,
			    const char *attr)
{
	const char *failed;

	memset(v, 0, sizeof(*v));
	return child_date(v, a, col, attr, &failed);
}

static bool is_null_word(const char *s)
{
	return s && strcasecmp(s, "null") == 0;
}

/* setValueNumeric(String) / setDefaultValueNumeric(String) */
const char *mg_sqlgen__numeric_text(mg_arena *a, const char *text,
				    const char **computed, bool keep_original)
{
	const char *stripped = text, *ignored;
	size_t n;

	if (!text || is_null_word(text))
		return NULL;
	if (text[0] == '(') {
		stripped = text + 1;
		n = strlen(stripped);
		if (n && stripped[n - 1] == ')')
			stripped = mg_arena_strndup(a, stripped, n - 1);
	}
	if (mg_sqlgen__java_number(a, stripped, &ignored))
		return stripped;
	*computed = keep_original ? text : stripped;
	return NULL;
}

static void set_string(pg_value *v, pg_vkind kind, const char *text)
{
	v->kind = kind;
	v->text = text;
}

/* The attributes of ColumnConfig's value, or of its default */
typedef struct value_names {
	const char *boolean, *date, *computed;
} value_names;

/*
 * What getValueObject() and getDefaultValueObject() have in common: the
 * first that is set of `value`, the boolean, `numeric`, the date and the
 * computed value (a date that does not parse, then the computed
 * attribute, take the place of `computed`). False when none is.
 */
static bool first_value(pg_value *v, mg_arena *a, const mg_node *col,
			const value_names *names, const char *value,
			const char *numeric, const char *computed)
{
	const char *boolean = child_text(a, col, names->boolean);
	pg_value date = { PGV_NONE, NULL, NULL, false };
	const char *failed, *s;
	bool has_date = child_date(&date, a, col, names->date, &failed);

	if (failed)
		computed = failed;
	if ((s = child_text(a, col, names->computed)))
		computed = s;
	if (value) {
		set_string(v, PGV_STRING, value);
	} else if (boolean) {
		v->kind = PGV_BOOL;
		v->b = mg_java_bool(boolean);
	} else if (numeric) {
		set_string(v, PGV_NUMBER, numeric);
	} else if (has_date) {
		*v = date;
	} else if (computed) {
		set_string(v, PGV_FUNCTION, computed);
	} else {
		return false;
	}
	return true;
}

/* ColumnConfig.load + getValueObject() */
int mg_sqlgen__column_value(pg_value *v, mg_arena *a, const mg_node *col)
{
	static const value_names names = {
		"valueBoolean", "valueDate", "valueComputed"
	};
	static const struct {
		const char *attr;
		pg_vkind kind;
	} others[] = {
		{ "valueClobFile", PGV_CLOB_FILE },
		{ "valueBlobFile", PGV_BLOB_FILE },
		{ "valueSequenceNext", PGV_SEQ_NEXT },
		{ "valueSequenceCurrent", PGV_SEQ_CURRENT },
	};
	const char *value = child_text(a, col, "value");
	const char *numeric, *computed = NULL, *s;

	memset(v, 0, sizeof(*v));
	if (!value && col->value)
		value = mg_sqlgen__trim_to_null(a, col->value);
	numeric = mg_sqlgen__numeric_text(a, child_text(a, col, "valueNumeric"),
			       &computed, true);
	if (first_value(v, a, col, &names, value, numeric, computed))
		return 0;
	for (size_t i = 0; i < MG_ARRAY_SIZE(others); i++) {
		if ((s = child_text(a, col, others[i].attr))) {
			set_string(v, others[i].kind, s);
			break;
		}
	}
	return 0;
}

/* ColumnConfig.load + getDefaultValueObject() */
int mg_sqlgen__column_default(pg_value *v, mg_arena *a, const mg_node *col,
			      bool *auto_increment)
{
	static const value_names names = {
		"defaultValueBoolean", "defaultValueDate", "defaultValueComputed"
	};
	const char *value = child_text(a, col, "defaultValue");
	const char *raw_num = child_text(a, col, "defaultValueNumeric");
	const char *numeric = NULL, *computed = NULL, *s;

	memset(v, 0, sizeof(*v));
	if (raw_num && strcmp(raw_num, "GENERATED_BY_DEFAULT") == 0)
		*auto_increment = true;
	else
		numeric = mg_sqlgen__numeric_text(a, raw_num, &computed, false);
	if (!first_value(v, a, col, &names, value, numeric, computed) &&
	    (s = child_text(a, col, "defaultValueSequenceNext")))
		set_string(v, PGV_SEQ_NEXT, s);
	return 0;
}

/* AddDefaultValueChange.generateStatements: the default as an Object */
int mg_sqlgen__change_default(pg_value *v, pg_gen *g)
{
	const mg_node *n = g->c->node;
	const char *s, *num;

	memset(v, 0, sizeof(*v));
	if ((s = child_text(g->tmp, n, "defaultValue"))) {
		set_string(v, PGV_STRING, s);
	} else if ((s = child_text(g->tmp, n, "defaultValueBoolean"))) {
		v->kind = PGV_BOOL;
		v->b = mg_java_bool(s);
	} else if ((s = child_text(g->tmp, n, "defaultValueNumeric"))) {
		if (mg_sqlgen__java_number(g->tmp, s, &num))
			set_string(v, PGV_NUMBER, num);
		else
			set_string(v, PGV_FUNCTION, s);
	} else if ((s = child_text(g->tmp, n, "defaultValueDate"))) {
		if (!mg_sqlgen__iso_date(v, g->tmp, s))
			set_string(v, PGV_FUNCTION, s);
	} else if ((s = child_text(g->tmp, n, "defaultValueComputed"))) {
		set_string(v, PGV_FUNCTION, s);
	} else if ((s = child_text(g->tmp, n,
				   "defaultValueSequenceNext"))) {
		set_string(v, PGV_SEQ_NEXT, s);
		v->schema = child_text(g->tmp, n, "schemaName");
	}
	return 0;
}

/* ---- untyped SQL forms ----------------------------------------------- */

static bool looks_like_function_call(const char *s)
{
	return mg_str_startswith(s, "\"SYSIBM\"") ||
	       mg_str_startswith(s, "to_date(") || strcasecmp(s, "NOW()") == 0;
}

/* InsertGenerator.generateValues / UpdateGenerator.convertToString */
void mg_sqlgen__value_dml(mg_buf *out, const pg_value *v, bool in_update,
			  const mg_sqlgen_ctx *ctx)
{
	mg_buf s = MG_BUF_INIT;

	if (v->kind == PGV_NONE) {
		mg_buf_puts(out, "NULL");
		return;
	}
	if (v->kind == PGV_BYTES) { /* bytea hex input */
		mg_buf_puts(out, "'\\x");
		mg_buf_puts(out, v->text);
		mg_buf_putc(out, '\'');
		return;
	}
	if (v->kind == PGV_TEXT) {
		mg_sqlgen_literal(out, v->text);
		return;
	}
	mg_sqlgen__value_tostring(&s, v);
	if (strcasecmp(s.ptr, "NULL") == 0) {
		mg_buf_puts(out, "NULL");
	} else if (v->kind == PGV_STRING) {
		if (looks_like_function_call(v->text))
			mg_buf_puts(out, v->text);
		else
			mg_sqlgen_literal(out, v->text);
	} else if (v->kind == PGV_UTILDATE && in_update) {
		/* java.util.Date becomes a java.sql.Date: the day only */
		mg_buf_putc(out, '\'');
		mg_buf_put(out, v->text, 10);
		mg_buf_putc(out, '\'');
	} else if (v->kind == PGV_DATE || v->kind == PGV_TIME ||
		   v->kind == PGV_TIMESTAMP || v->kind == PGV_UTILDATE) {
		mg_sqlgen__date_literal(out, v);
	} else if (v->kind == PGV_BOOL) {
		mg_buf_puts(out, v->b ? "TRUE" : "FALSE");
	} else if (v->kind == PGV_FUNCTION || v->kind == PGV_SEQ_NEXT ||
		   v->kind == PGV_SEQ_CURRENT) {
		mg_sqlgen__function(out, v, ctx);
	} else {
		mg_buf_puts(out, s.ptr);
	}
	mg_buf_release(&s);
}

/* DataTypeFactory.fromObject(value).objectToSql(value) */
void mg_sqlgen__value_object(mg_buf *out, const pg_value *v,
			     const mg_sqlgen_ctx *ctx)
{
	switch (v->kind) {
	case PGV_NONE:
		mg_buf_puts(out, "NULL");
		break;
	case PGV_STRING:
		if (strcasecmp(v->text, "null") == 0)
			mg_buf_puts(out, "null");
		else
			mg_sqlgen_literal(out, v->text);
		break;
	case PGV_NUMBER:
		mg_sqlgen__format_number(out, v->text);
		break;
	case PGV_BOOL:
		mg_buf_puts(out, v->b ? "TRUE" : "FALSE");
		break;
	case PGV_FUNCTION:
	case PGV_SEQ_NEXT:
	case PGV_SEQ_CURRENT:
		mg_sqlgen__function(out, v, ctx);
		break;
	default:
		mg_sqlgen__date_literal(out, v);
		break;
	}
}

/* ---- WHERE clauses with parameters ------------------------------------- */

static const mg_node *next_param(const mg_node *n)
{
	while (n && n->is_attr)
		n = n->next;
	return n;
}

/*
 * SqlUtil.replacePredicatePlaceholders: ":name" takes the next whereParam
 * name (as an identifier), "?" and ":value" the next value.
 */
void mg_sqlgen__where(mg_buf *out, pg_gen *g, const char *where,
		      const mg_node *params_node)
{
	const char *w = mg_sqlgen__trim(g->tmp, where);
	const mg_node *name_it = next_param(params_node ? params_node->first
						       : NULL);
	const mg_node *value_it = name_it;

	while (*w) {
		bool is_name = mg_str_startswith(w, ":name");
		size_t len = is_name ? 5 : *w == '?' ? 1
			   : mg_str_startswith(w, ":value") ? 6 : 0;

		if (!len) {
			mg_buf_putc(out, *w++);
			continue;
		}
		if (is_name) {
			const char *nm = NULL;

			while (name_it && !nm) {
				nm = child_text(g->tmp, name_it, "name");
				name_it = next_param(name_it->next);
			}
			if (nm)
				mg_sqlgen_ident(out, nm);
			else
				mg_buf_put(out, w, len);
		} else if (value_it) {
			pg_value v;

			mg_sqlgen__column_value(&v, g->tmp, value_it);
			mg_sqlgen__value_object(out, &v, g->ctx);
			value_it = next_param(value_it->next);
		} else {
			mg_buf_put(out, w, len);
		}
		w += len;
	}
}
