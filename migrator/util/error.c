/* error.c: the thread's last error (see error.h). */
#include "migrator/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local mg_error last;

#define MAX_SECRETS 16
static char *secrets[MAX_SECRETS];
static size_t nsecrets;

void mg_error_add_secret(const char *secret)
{
	if (!secret || strlen(secret) < 4 || nsecrets == MAX_SECRETS)
		return;
	for (size_t i = 0; i < nsecrets; i++)
		if (!strcmp(secrets[i], secret))
			return;
	secrets[nsecrets++] = mg_xstrdup(secret);
}

/* Replace `*s` by its redacted copy (when a secret occurs in it). */
static void redact_in_place(char **s)
{
	char *r;

	if (!*s || !nsecrets)
		return;
	r = mg_error_redact(*s);
	free(*s);
	*s = r;
}

void mg_error_blank_secrets(char *s)
{
	char *hit;

	for (size_t i = 0; s && i < nsecrets; i++)
		while ((hit = strstr(s, secrets[i])))
			memset(hit, '*', strlen(secrets[i]));
}

char *mg_error_redact(const char *s)
{
	char *out, *hit;

	if (!s)
		return NULL;
	out = mg_xstrdup(s);
	for (size_t i = 0; i < nsecrets; i++) {
		size_t n = strlen(secrets[i]);

		while ((hit = strstr(out, secrets[i]))) {
			size_t head = (size_t)(hit - out);
			char *next = mg_xmalloc(strlen(out) - n + 6);

			memcpy(next, out, head);
			/* NOLINTNEXTLINE(bugprone-not-null-terminated-result): the tail's NUL follows */
			memcpy(next + head, "*****", 5);
			memcpy(next + head + 5, hit + n, strlen(hit + n) + 1);
			free(out);
			out = next;
		}
	}
	return out;
}

static char *vformat(const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *s;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	s = mg_xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

void mg_error_clear(void)
{
	free(last.message);
	free(last.detail);
	free(last.hint);
	free(last.file);
	free(last.statement);
	free(last.changeset);
	memset(&last, 0, sizeof(last));
}

int mg_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	mg_error_clear();
	last.code = code;
	va_start(ap, fmt);
	last.message = vformat(fmt, ap);
	va_end(ap);
	redact_in_place(&last.message);
	return code;
}

void mg_error_set_detail(const char *fmt, ...)
{
	va_list ap;

	free(last.detail);
	va_start(ap, fmt);
	last.detail = vformat(fmt, ap);
	va_end(ap);
	redact_in_place(&last.detail);
}

void mg_error_set_hint(const char *fmt, ...)
{
	va_list ap;

	free(last.hint);
	va_start(ap, fmt);
	last.hint = vformat(fmt, ap);
	va_end(ap);
	redact_in_place(&last.hint);
}

void mg_error_set_location(const char *file, int line, int col)
{
	free(last.file);
	last.file = file ? mg_xstrdup(file) : NULL;
	last.line = line;
	last.col = col;
}

void mg_error_set_sqlstate(const char *sqlstate)
{
	snprintf(last.sqlstate, sizeof(last.sqlstate), "%s",
		 sqlstate ? sqlstate : "");
}

void mg_error_set_statement(const char *sql)
{
	free(last.statement);
	last.statement = sql ? mg_xstrdup(sql) : NULL;
	redact_in_place(&last.statement);
}

void mg_error_set_changeset(const char *id)
{
	free(last.changeset);
	last.changeset = id ? mg_xstrdup(id) : NULL;
}

void mg_error_set_code(int code)
{
	last.code = code;
}

void mg_error_save(mg_error *out)
{
	*out = last;
	memset(&last, 0, sizeof(last));
}

void mg_error_restore(mg_error *saved)
{
	mg_error_clear();
	last = *saved;
	memset(saved, 0, sizeof(*saved));
}

const mg_error *mg_error_last(void)
{
	return &last;
}
