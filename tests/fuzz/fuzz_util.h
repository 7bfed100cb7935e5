/*
 * fuzz_util.h: what the libFuzzer harnesses share. The changelog
 * harnesses go through the real loader (mg_changelog_load), which reads
 * files: the input is written to a file in a private folder first.
 */
#ifndef MIGRATOR_TESTS_FUZZ_UTIL_H
#define MIGRATOR_TESTS_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "migrator/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The harness's own folder (made on first use, removed at exit). */
const char *fuzz_dir(void);
/* Write `len` bytes to `name` in fuzz_dir(); returns the full path
 * (a static buffer, valid until the next call). */
const char *fuzz_write(const char *name, const void *data, size_t len);
/* Inputs that would make the loader leave fuzz_dir(): a ".." path, or
 * a device or /proc file that never ends. Harnesses skip those. */
int fuzz_escapes(const uint8_t *data, size_t size);
/* Load `path` as the changelog; on success compute what `validate`
 * and `update-sql` would (checksums v8 and v9, descriptions, SQL of
 * every change), then free everything. */
void fuzz_load_and_use(const char *path);

#endif
