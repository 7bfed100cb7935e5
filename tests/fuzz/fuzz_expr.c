/*
 * fuzz_expr.c: context and label expressions. The input is
 * "EXPRESSION\nRUNTIME": the expression is tried as a changeset's
 * context against the runtime --contexts list, and the runtime part as a
 * --labels expression against the first part as a label list.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "migrator/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *nl;
	const char *second;

	memcpy(s, data, size);
	s[size] = '\0';
	nl = strchr(s, '\n');
	if (nl)
		*nl = '\0';
	second = nl ? nl + 1 : "";
	(void)mg_context_matches(s, second);
	(void)mg_labels_match(s, second);
	(void)mg_context_matches(second, s);
	free(s);
	return 0;
}
