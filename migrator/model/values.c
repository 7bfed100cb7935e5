/*
 * values.c: Liquibase's ColumnConfig and ConstraintsConfig: which
 * parameters they have, and how a column value's text is normalised
 * (see values.h).
 */
#include "values.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/jdate.h"
#include "migrator/jnumber.h"
#include "migrator/model.h"
#include "migrator/util.h"

/* Column fields (ColumnConfig and subclasses) and their Java types. */
typedef enum col_type {
	COL_STRING, COL_BOOL, COL_BIGINT, COL_NUMERIC, COL_DATE, COL_INT,
} col_type;

static const struct col_field {
	const char *name;
	col_type type;
	const char *computed; /* field an unparsable value moves to */
} col_fields[] = {
	{ "afterColumn", COL_STRING, NULL },
	{ "allowUpdate", COL_BOOL, NULL },
	{ "autoIncrement", COL_BOOL, NULL },
	{ "beforeColumn", COL_STRING, NULL },
	{ "computed", COL_BOOL, NULL },
	{ "defaultOnNull", COL_BOOL, NULL },
	{ "defaultValue", COL_STRING, NULL },
	{ "defaultValueBoolean", COL_BOOL, NULL },
	{ "defaultValueComputed", COL_STRING, NULL },
	{ "defaultValueConstraintName", COL_STRING, NULL },
	{ "defaultValueDate", COL_DATE, "defaultValueComputed" },
	{ "defaultValueNumeric", COL_NUMERIC, "defaultValueComputed" },
	{ "defaultValueSequenceNext", COL_STRING, NULL },
	{ "descending", COL_BOOL, NULL },
	{ "encoding", COL_STRING, NULL },
	{ "generationType", COL_STRING, NULL },
	{ "header", COL_STRING, NULL },
	{ "incrementBy", COL_BIGINT, NULL },
	{ "index", COL_INT, NULL },
	{ "loadType", COL_STRING, NULL },
	{ "name", COL_STRING, NULL },
	{ "position", COL_INT, NULL },
	{ "remarks", COL_STRING, NULL },
	{ "startWith", COL_BIGINT, NULL },
	{ "type", COL_STRING, NULL },
	{ "value", COL_STRING, NULL },
	{ "valueBlobFile", COL_STRING, NULL },
	{ "valueBoolean", COL_BOOL, NULL },
	{ "valueClobFile", COL_STRING, NULL },
	{ "valueComputed", COL_STRING, NULL },
	{ "valueDate", COL_DATE, "valueComputed" },
	{ "valueNumeric", COL_NUMERIC, "valueComputed" },
	{ "valueSequenceCurrent", COL_STRING, NULL },
	{ "valueSequenceNext", COL_STRING, NULL },
};

static const char *const constraint_bools[] = {
	"deferrable", "deleteCascade", "initiallyDeferred", "nullable",
	"primaryKey", "unique", "validateForeignKey", "validateNullable",
	"validatePrimaryKey", "validateUnique",
};

static const char *const constraint_strings[] = {
	"checkConstraint", "foreignKeyName", "notNullConstraintName",
	"primaryKeyName", "primaryKeyTablespace", "referencedColumnNames",
	"referencedTableCatalogName", "referencedTableName",
	"referencedTableSchemaName", "references", "uniqueConstraintName",
};

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static int cmp_col_field(const void *key, const void *f)
{
	return strcmp(key, ((const struct col_field *)f)->name);
}

/* col_fields is in strcmp order (test_column_fields_known in
 * tests/unit/checksum_vectors.c fails otherwise) */
static const struct col_field *col_field(const char *name)
{
	return bsearch(name, col_fields, MG_ARRAY_SIZE(col_fields),
		       sizeof(col_fields[0]), cmp_col_field);
}

bool mg_column_field_known(const char *name)
{
	return col_field(name) || !strcmp(name, "constraints");
}

bool mg_constraint_field_known(const char *name)
{
	return in_list(constraint_bools, MG_ARRAY_SIZE(constraint_bools), name) ||
	       in_list(constraint_strings, MG_ARRAY_SIZE(constraint_strings),
		       name);
}

bool mg_constraint_field_bool(const char *name)
{
	return in_list(constraint_bools, MG_ARRAY_SIZE(constraint_bools), name);
}

static bool is_field(const char *field, const char *a, const char *b)
{
	return strcmp(field, a) == 0 || strcmp(field, b) == 0;
}

/* setValueNumeric(String): "(" and ")" stripped (each on its own, as
 * replaceFirst does), then NumberFormat; what does not parse is kept,
 * unstripped, as a computed value. */
static void normalize_numeric(mg_value *out, const char *field,
			      const char *raw)
{
	const char *p = raw[0] == '(' ? raw + 1 : raw;
	size_t n = strlen(p);

	if (mg_strieq(raw, "null")) {
		out->name = NULL;
		return;
	}
	if (p != raw && n && p[n - 1] == ')')
		n--;
	if (mg_jnumber_parse(NULL, p)) {
		mg_buf_put(&out->text, p, n);
		return;
	}
	out->name = is_field(field, "valueNumeric", "valueNumeric")
			    ? "valueComputed"
			    : "defaultValueComputed";
	mg_buf_puts(&out->text, raw);
}

/* ISODateFormat: parsed leniently and printed back (jdate.h), as the
 * Date Liquibase holds is what it serializes; false if unparsable. */
static bool format_date(mg_buf *out, const char *raw, mg_scalar_kind kind)
{
	mg_jdate t;
	mg_jdate_kind k = mg_jdate_parse(&t, raw);

	if (k == MG_JDATE_NONE)
		return false;
	mg_jdate_format(out, &t, k);
	/* SnakeYAML types an unquoted date as a UTC midnight timestamp
	 * (spec S3; we assume a UTC JVM). */
	if (k == MG_JDATE_DATE && kind == MG_SCALAR_DATE)
		mg_buf_puts(out, "T00:00:00");
	return true;
}

void mg_value_normalize(mg_value *out, const char *field, const char *raw,
			mg_scalar_kind kind)
{
	mg_buf_init(&out->text, 0);
	out->name = field;
	if (is_field(field, "valueNumeric", "defaultValueNumeric")) {
		normalize_numeric(out, field, raw);
	} else if (is_field(field, "valueDate", "defaultValueDate")) {
		if (!format_date(&out->text, raw, kind)) {
			mg_buf_reset(&out->text);
			mg_buf_puts(&out->text, raw);
			out->name = strcmp(field, "valueDate") == 0
					    ? "valueComputed"
					    : "defaultValueComputed";
		}
	} else if (is_field(field, "valueBoolean", "defaultValueBoolean") ||
		   is_field(field, "autoIncrement", "computed") ||
		   is_field(field, "defaultOnNull", "descending") ||
		   is_field(field, "allowUpdate", "allowUpdate")) {
		mg_buf_puts(&out->text, mg_java_bool(raw) ? "true" : "false");
	} else if (is_field(field, "startWith", "incrementBy")) {
		const char *p = raw;

		while (*p == '0' && isdigit((unsigned char)p[1]))
			p++;
		mg_buf_puts(&out->text, p);
	} else {
		mg_buf_puts(&out->text, raw);
	}
}

void mg_value_release(mg_value *v)
{
	mg_buf_release(&v->text);
}
