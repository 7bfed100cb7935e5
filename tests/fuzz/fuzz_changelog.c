/*
 * fuzz_changelog.c: one changelog format through the real loader
 * (parser, includes, properties, model), then checksums and SQL. Built
 * once per format: FUZZ_EXT is "xml", "yaml", "json" or "sql" (formatted
 * SQL; without its header the file is read as plain SQL).
 */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fuzz_escapes(data, size))
		return -1;
	fuzz_load_and_use(fuzz_write("changelog." FUZZ_EXT, data, size));
	return 0;
}
