/*
 * backup.h: verified pre-migration backups, a stage of their own.
 *
 * A backup is DIR/<database>-<UTC time>-<id>.dump written by pg_dump
 * (custom format), streamed through SHA-256 (and AES-256-GCM with a key),
 * created with mode 0600, and DIR/<same name>.manifest.json describing it:
 * database, versions, size, digest, the DATABASECHANGELOG state, and each
 * table's row count and a schema fingerprint, which `backup drill` checks
 * a restored copy against. Credentials reach pg_dump and pg_restore
 * through their environment and an in-memory passfile, never their
 * command line.
 */
#ifndef MIGRATOR_BACKUP_H
#define MIGRATOR_BACKUP_H

#include <stdbool.h>

#include "migrator/buf.h"

/* the engine a backup reads through, by name only (engine.h) */
typedef struct mg_engine mg_engine;

typedef struct mg_backup_options {
	const char *dir;     /* default "./backups" */
	const char *schemas; /* comma-separated; NULL = whole database */
	const char *key;     /* encryption key text; NULL = not encrypted */
} mg_backup_options;

typedef struct mg_backup_info {
	char *id, *path, *manifest, *time, *database, *sha256, *history_state;
	long long size;
	long long created_ms; /* orders backups taken in the same second */
	bool encrypted;
} mg_backup_info;

/* pg_dump, then pg_restore reads the dump to the end, then the manifest
 * is written: a backup that is listed is complete. */
int mg_backup_create(mg_engine *e, const mg_backup_options *o,
		     mg_backup_info *out);
/* Newest first. */
int mg_backup_list(const char *dir, mg_backup_info **out, size_t *n);
void mg_backup_info_release(mg_backup_info *b);
void mg_backup_list_free(mg_backup_info *list, size_t n);
/* Find a backup by id or "latest" (of `database` when not NULL). */
int mg_backup_find(const char *dir, const char *id, const char *database,
		   mg_backup_info *out);
/* Digest, decryption, and pg_restore reads every entry. */
int mg_backup_verify(const mg_backup_options *o, const mg_backup_info *b);
/* Restore into a scratch database, compare with the manifest, drop it. */
int mg_backup_drill(mg_engine *e, const mg_backup_options *o,
		    const mg_backup_info *b, mg_buf *report);
/* Replace the target's contents with the backup (under the lock). */
int mg_backup_restore(mg_engine *e, const mg_backup_options *o,
		      const mg_backup_info *b);
/* Remove all but the `keep` newest (keep < 0: no limit) and those at
 * least `max_age_s` old (max_age_s < 0: no limit). */
int mg_backup_prune(const char *dir, long keep, long max_age_s,
		    size_t *removed);
/* Fingerprint of the current DATABASECHANGELOG (applied changesets and
 * their checksums), as stored in manifests. */
int mg_backup_history_state(mg_engine *e, mg_buf *out);

#endif
