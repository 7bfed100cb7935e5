/*
 * fuzz_flow.c: the flow-file reader (YAML document, stages, actions,
 * ${NAME} substitution, argv building) that `migrator flow` runs from.
 * Nothing is run.
 */
#include "flow.h"
#include "fuzz_util.h"
#include "migrator/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cli_flow f;

	if (cli_flow_read(&f, "fuzz.flow.yaml", (const char *)data, size,
			  "/usr/bin/migrator") == 0)
		cli_flow_release(&f);
	mg_error_clear();
	return 0;
}
