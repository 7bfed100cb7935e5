/* values.c: column value normalisation (see values.h). */
#include "values.h"

#include <ctype.h>
#include <string.h>

#include "migrator/jdate.h"
#include "migrator/jnumber.h"
#include "migrator/util.h"

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
