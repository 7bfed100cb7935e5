/* backup_int.h (internal): child processes and streams for backups. */
#ifndef MIGRATOR_ENGINE_BACKUP_INT_H
#define MIGRATOR_ENGINE_BACKUP_INT_H

#include <sys/types.h>

#include "migrator/backup.h"
#include "migrator/hash.h"

#include "engine_int.h"

void mg_backup__child_env(mg_conn *c, const char *dbname);
int mg_backup__pipe(int fds[2]);
/* Start argv[0] (PATH lookup) with the connection's PG* environment
 * (c may be NULL) and the given descriptors (-1: inherit). */
int mg_backup__spawn(pid_t *pid, const char *const *argv, int in_fd,
		     int out_fd, int err_fd, mg_conn *c, const char *dbname);
/* Wait; MG_ERROR naming `what` unless it exited 0. */
int mg_backup__wait(pid_t pid, const char *what, const char *errlog);
int mg_backup__capture(mg_buf *out, const char *const *argv);
int mg_backup__pump(int in, int out, mg_sha256 *sha, mg_cipher *enc,
		    long long *size);
int mg_backup__write_all(int fd, const void *data, size_t len);
int mg_backup__feed(const char *path, const char *key, int out);

/* Every user table's row count (JSON object) and a schema fingerprint. */
typedef struct json_t json_t;
int mg_backup__stats(mg_conn *c, json_t **tables, char fingerprint[65]);
/* pg_restore the backup into database `dbname` of `c`'s server. */
int mg_backup__restore_into(mg_conn *c, const char *dbname,
			    const mg_backup_info *b, const char *key);

#endif
