/* backup_int.h (internal): child processes and streams for backups. */
#ifndef MIGRATOR_BACKUP_BACKUP_INT_H
#define MIGRATOR_BACKUP_BACKUP_INT_H

#include <sys/types.h>

#include "migrator/backup.h"
#include "migrator/driver.h"
#include "migrator/engine.h"
#include "migrator/hash.h"
#include "migrator/plan.h"
#include "migrator/sqlgen.h"

#include "cipher.h"

/*
 * Internal only, never returned by backup.h's functions: a child stopped
 * reading what we write to it (EPIPE). mg_backup__finish() turns it into
 * the child's own failure (exit status and stderr), which explains it.
 */
#define MG_BACKUP__EPIPE (-100)

/* A child process (pg_dump, pg_restore) started by mg_backup__spawn(). */
typedef struct mg_child {
	const char *name; /* for messages: "pg_dump" */
	pid_t pid;
	int errfd;        /* anonymous file holding its stderr, or -1 */
	int passfd;       /* anonymous 0600 passfile it reads, or -1 */
} mg_child;

/* The backup directory of the options: "backups" when not set. */
const char *mg_backup__dir(const char *d);

int mg_backup__pipe(int fds[2]);
/*
 * Start argv[0] (PATH lookup) with the given descriptors as its stdin and
 * stdout (-1: inherit) and its stderr kept for mg_backup__finish(). With
 * a connection `c`, the child gets its host, port, user and database
 * (`dbname` when not NULL) as PG* variables and its password in a 0600
 * passfile that exists only in memory (PGPASSFILE=/dev/fd/N): never on
 * a command line or in the environment, where `ps` could show it.
 */
int mg_backup__spawn(mg_child *ch, const char *const *argv, int in_fd,
		     int out_fd, mg_conn *c, const char *dbname);
/*
 * Wait for the child (close our ends of its pipes first). Returns
 * `error` when it is ours (it caused whatever the child did next); else
 * MG_ERROR naming the child, how it ended and the end of its stderr
 * when it did not exit 0; else 0.
 */
int mg_backup__finish(mg_child *ch, int error);
int mg_backup__capture(mg_buf *out, const char *const *argv);
/* Copy `in` (from child `from`) to file `out` (`to`), hashing what is
 * written (and encrypting it first). */
int mg_backup__pump(int in, int out, mg_sha256 *sha, mg_cipher *enc,
		    long long *size, const char *from, const char *to);
/* `to` names the file or child written to, for messages. */
int mg_backup__write_all(int fd, const void *data, size_t len,
			 const char *to);
/* Feed the dump's plain bytes to `out` (child `to`); out = -1 reads only. */
int mg_backup__feed(const char *path, const char *key, int out,
		    const char *to);

/* Every user table's row count (JSON object) and a schema fingerprint. */
typedef struct json_t json_t;
int mg_backup__stats(mg_conn *c, json_t **tables, char fingerprint[65]);
/* Run pg_restore (argv) with the dump at `path` (decrypted with `key`
 * when not NULL) on its stdin; `c` and `dbname` as for spawn. */
int mg_backup__pg_restore(const char *const *argv, const char *path,
			  const char *key, mg_conn *c, const char *dbname);
/* pg_restore reads the whole dump at `path`, every entry's data too. */
int mg_backup__read_through(const char *path, const char *key);
/* pg_restore the backup into database `dbname` of `c`'s server. */
int mg_backup__restore_into(mg_conn *c, const char *dbname,
			    const mg_backup_info *b, const char *key);

#endif
