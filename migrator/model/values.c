/* values.c: column value normalisation (see values.h). */
#include "values.h"

#include <ctype.h>
#include <string.h>

#include "migrator/jdate.h"
#include "migrator/util.h"

static bool is_field(const char *field, const char *a, const char *b)
{
	return strcmp(field, a) == 0 || strcmp(field, b) == 0;
}

/* Does NumberFormat(Locale.US) parse a prefix of `s`? (No '+': its
 * positive prefix is empty, so "+5" is a ParseException.) */
static bool number_prefix(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '.')
		s++;
	return isdigit((unsigned char)*s);
}

static void normalize_numeric(mg_value *out, const char *field,
			      const char *raw)
{
	size_t n = strlen(raw);

	if (mg_strieq(raw, "null")) {
		out->name = NULL;
		return;
	}
	if (n >= 2 && raw[0] == '(' && raw[n - 1] == ')' &&
	    number_prefix(raw + 1)) {
		mg_buf_put(&out->text, raw + 1, n - 2);
		return;
	}
	if (number_prefix(raw)) {
		mg_buf_puts(&out->text, raw);
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
