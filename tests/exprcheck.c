/*
 * exprcheck: context and label matching by migrator, for the compat test
 * that compares it with Liquibase's (tests/compat/t1000-expressions.sh).
 * Reads the lines tests/compat/oracle/ExprOracle.java reads and prints
 * "true" or "false" for each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/model.h"

static const char *arg(char *s)
{
	return strcmp(s, "-") ? s : NULL;
}

int main(void)
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
		if (!strcmp(kind, "ctx"))
			r = mg_context_matches(arg(a), arg(b));
		else
			r = mg_labels_match(arg(a), arg(b));
		puts(r ? "true" : "false");
	}
	return 0;
}
