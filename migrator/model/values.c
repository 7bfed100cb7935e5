/* values.c: column value normalisation (see values.h). */
#include "values.h"

#include <ctype.h>
#include <string.h>

#include "migrator/util.h"

static bool is_field(const char *field, const char *a, const char *b)
{
	return strcmp(field, a) == 0 || strcmp(field, b) == 0;
}

/* Does NumberFormat(Locale.US) parse a prefix of `s`? */
static bool number_prefix(const char *s)
{
	if (*s == '-' || *s == '+')
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

static bool digits_at(const char *s, size_t pos, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[pos + i]))
			return false;
	return true;
}

static bool is_date(const char *s)
{
	return digits_at(s, 0, 4) && s[4] == '-' && digits_at(s, 5, 2) &&
	       s[7] == '-' && digits_at(s, 8, 2);
}

static bool is_time(const char *s)
{
	return digits_at(s, 0, 2) && s[2] == ':' && digits_at(s, 3, 2) &&
	       s[5] == ':' && digits_at(s, 6, 2);
}

/* Liquibase's ISO date parsing and re-formatting; false if unparsable. */
static bool format_date(mg_buf *out, const char *raw, mg_scalar_kind kind)
{
	size_t n = strlen(raw);

	if (n == 10 && is_date(raw)) {
		mg_buf_puts(out, raw);
		/* SnakeYAML types an unquoted date as a UTC midnight
		 * timestamp (spec S3; we assume a UTC JVM). */
		if (kind == MG_SCALAR_DATE)
			mg_buf_puts(out, "T00:00:00");
		return true;
	}
	if (n == 8 && is_time(raw)) {
		mg_buf_puts(out, raw);
		return true;
	}
	if (n >= 19 && is_date(raw) && (raw[10] == 'T' || raw[10] == ' ') &&
	    is_time(raw + 11)) {
		size_t end;

		mg_buf_put(out, raw, 10);
		mg_buf_putc(out, 'T');
		mg_buf_put(out, raw + 11, 8);
		if (n == 19)
			return true;
		if (raw[19] != '.' || !digits_at(raw, 20, n - 20))
			return false;
		end = n;
		while (end > 20 && raw[end - 1] == '0')
			end--;
		if (end > 20) {
			mg_buf_putc(out, '.');
			mg_buf_put(out, raw + 20, end - 20);
		}
		return true;
	}
	return false;
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
