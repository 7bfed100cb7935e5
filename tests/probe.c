/*
 * probe: migrator's answers to what the compat tests ask Liquibase's own
 * classes (the Java oracles in tests/compat/oracle), so that the two can be compared
 * case by case.
 *
 *   probe expr < cases      context and label matching (t1000): lines
 *                           "ctx|lbl <TAB> changeset side <TAB> runtime",
 *                           "-" for null; prints true or false per line,
 *                           or error where migrator refuses the expression
 *   probe props FILE        a Java properties file as Liquibase reads it
 *                           (t1200): "key=value" per entry, sorted, with
 *                           every non-ASCII or control character as \uXXXX
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/buf.h"
#include "migrator/jprops.h"
#include "migrator/model.h"
#include "migrator/util.h"

static const char *arg(char *s)
{
	return strcmp(s, "-") ? s : NULL;
}

static int expr(void)
{
	char line[8192];

	while (fgets(line, sizeof(line), stdin)) {
		char *kind = line, *a, *b;
		bool r;

		line[strcspn(line, "\n")] = '\0';
		if (!(a = strchr(kind, '\t')) || !(b = strchr(a + 1, '\t'))) {
			puts("error");
			continue;
		}
		*a++ = '\0';
		*b++ = '\0';
		/* where Liquibase throws, migrator refuses the expression */
		if (!strcmp(kind, "ctx")) {
			if (mg_context_expr_check(arg(a)) < 0) {
				puts("error");
				continue;
			}
			r = mg_context_matches(arg(a), arg(b));
		} else {
			if (mg_label_expr_check(arg(b)) < 0) {
				puts("error");
				continue;
			}
			r = mg_labels_match(arg(a), arg(b));
		}
		puts(r ? "true" : "false");
	}
	return 0;
}

typedef struct entries {
	char **v;
	size_t n, alloc;
} entries;

/* UTF-8 -> "\uXXXX" (UTF-16 units) for anything outside printable ASCII */
static void visible(mg_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned long cp = *p;
		int extra = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;

		if (extra)
			cp &= 0x3F >> extra;
		for (p++; extra-- > 0 && *p; p++)
			cp = (cp << 6) | (*p & 0x3F);
		if (cp >= 0x20 && cp < 0x7F && cp != '\\') {
			mg_buf_putc(b, (char)cp);
		} else if (cp >= 0x10000) {
			cp -= 0x10000;
			mg_buf_printf(b, "\\u%04lX\\u%04lX", 0xD800 + (cp >> 10),
				      0xDC00 + (cp & 0x3FF));
		} else {
			mg_buf_printf(b, "\\u%04lX", cp);
		}
	}
}

static int add_entry(const char *key, const char *value, void *arg)
{
	entries *e = arg;
	mg_buf b = MG_BUF_INIT;

	visible(&b, key);
	mg_buf_putc(&b, '=');
	for (size_t i = 0; i < e->n; i++) {
		if (!strncmp(e->v[i], b.ptr, b.len)) { /* Properties keeps the last */
			free(e->v[i]);
			e->v[i] = e->v[--e->n];
			break;
		}
	}
	visible(&b, value);
	MG_VEC_GROW(e->v, e->alloc, e->n + 1);
	e->v[e->n++] = mg_buf_detach(&b);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int props(const char *file)
{
	entries e = { 0 };
	char *text;
	size_t len;

	if (mg_read_file(&text, &len, file) < 0) {
		fprintf(stderr, "probe: cannot read %s\n", file);
		return 1;
	}
	if (mg_jprops_parse(text, len, file, add_entry, &e) < 0) {
		puts("error");
		free(text);
		return 0;
	}
	qsort(e.v, e.n, sizeof(*e.v), cmp);
	for (size_t i = 0; i < e.n; i++) {
		puts(e.v[i]);
		free(e.v[i]);
	}
	free(e.v);
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "expr"))
		return expr();
	if (argc == 3 && !strcmp(argv[1], "props"))
		return props(argv[2]);
	fprintf(stderr, "usage: probe expr < cases | probe props FILE\n");
	return 2;
}
