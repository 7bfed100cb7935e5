/*
 * checksum.h: Liquibase-compatible checksums.
 * model/checksum.c is the only file that knows how they are computed
 * (spec: shared/liquibase/liquibase-compat.md sections 1-3 and 4.7).
 */
#ifndef MIGRATOR_CHECKSUM_H
#define MIGRATOR_CHECKSUM_H

#include "migrator/buf.h"
#include "migrator/model.h"

/* "9:<hex>" of the whole changeset. `version` is 9 (or 8 for rows
 * written before Liquibase 4.22). Files named by sqlFile/loadData are
 * read through the change's `text`, loaded by the loader. */
int mg_checksum_changeset(mg_buf *out, const mg_changeset *cs, int version);
/* "9:<hex>" of one change. */
int mg_checksum_change(mg_buf *out, const mg_change *c, int version);
/* The serialization a structured change is hashed from (for tests and
 * `calculate-checksum --verbose`). */
void mg_checksum_serialize(mg_buf *out, const mg_change *c, int version);
/* MD5 hex of a loadData CSV file as its checksum sees it (spec 1.4.1:
 * CRs, empty lines and lines starting with `comment`'s first character
 * dropped), read in pieces so that any size fits in little memory. */
int mg_checksum_csv_file(char hex[33], const char *path,
			 const char *comment);
/* H_text and H_sql primitives (spec 1.2): append hex MD5. */
void mg_hash_text(mg_buf *out, const char *s, size_t len);
void mg_hash_sql(mg_buf *out, const char *s, size_t len);
/* Do two stored checksums match by Liquibase's rules (spec 1.1)? */
bool mg_checksum_equal(const char *a, const char *b);
/* Version of a stored checksum ("8:..." -> 8), 1 without prefix. */
int mg_checksum_version(const char *s);

#endif
