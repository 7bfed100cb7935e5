/*
 * fuzz_props.c: ${property} expansion. The input is "name=value" lines
 * (given as -D properties; values may refer to other properties), an
 * empty line, then the body of a formatted SQL changeset, whose text,
 * attributes and rollback are expanded by the loader.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "migrator/error.h"
#include "migrator/load.h"

#define MAX_PROPS 64

static const char header[] =
	"--liquibase formatted sql\n"
	"--changeset ${author}:${id} context:${ctx} labels:${labels}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *props[MAX_PROPS];
	size_t nprops = 0, hlen = sizeof(header) - 1;
	char *s, *p, *body, *file_text;
	mg_load_options o = MG_LOAD_OPTIONS_INIT;
	mg_changelog *cl = NULL;

	if (fuzz_escapes(data, size))
		return -1;
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	body = strstr(s, "\n\n");
	if (body) {
		*body = '\0';
		body += 2;
		for (p = strtok(s, "\n"); p && nprops < MAX_PROPS;
		     p = strtok(NULL, "\n"))
			props[nprops++] = p;
	} else {
		body = s;
	}
	file_text = malloc(hlen + strlen(body) + 1);
	memcpy(file_text, header, hlen);
	strcpy(file_text + hlen, body);
	o.changelog_file = fuzz_write("changelog.sql", file_text, strlen(file_text));
	o.search_path = fuzz_dir();
	o.properties = props;
	o.nproperties = nprops;
	if (mg_changelog_load(&cl, &o) == 0)
		mg_changelog_free(cl);
	mg_error_clear();
	free(file_text);
	free(s);
	return 0;
}
