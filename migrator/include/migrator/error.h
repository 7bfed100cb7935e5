/*
 * error.h: the last error of the calling thread.
 *
 * Library code never prints. A failing function sets the message once,
 * where the problem is detected, and returns a negative code; callers
 * propagate the code and do not rewrite the message. Optional parts
 * (detail, hint, source location, SQLSTATE, the statement and the
 * changeset being run) are attached by whoever knows them.
 */
#ifndef MIGRATOR_ERROR_H
#define MIGRATOR_ERROR_H

#include "migrator/util.h"

enum mg_error_code {
	MG_OK = 0,
	MG_ERROR = -1,        /* generic failure */
	MG_ENOTFOUND = -2,    /* file, row or object not found */
	MG_EPARSE = -3,       /* changelog syntax */
	MG_EINVALID = -4,     /* changelog or argument semantics */
	MG_ECHECKSUM = -5,    /* stored checksum does not match */
	MG_ELOCKED = -6,      /* lock not acquired in time */
	MG_EDB = -7,          /* the database reported an error */
	MG_EUNSUPPORTED = -8, /* valid Liquibase, not implemented here */
	MG_ESTOP = -9,        /* a <stop> change ended the run */
};

typedef struct mg_error {
	int code;
	char *message;
	char *detail;
	char *hint;
	char *file;       /* changelog file of the problem, or NULL */
	int line, col;    /* 1-based; 0 when unknown */
	char sqlstate[6];
	char *statement;  /* failing SQL statement, or NULL */
	char *changeset;  /* path::id::author, or NULL */
} mg_error;

/* Replace the thread's error; returns `code` so that callers can write
 * `return mg_error_set(MG_EINVALID, "...")`. */
int mg_error_set(int code, const char *fmt, ...) MG_PRINTF(2, 3);
void mg_error_set_detail(const char *fmt, ...) MG_PRINTF(1, 2);
void mg_error_set_hint(const char *fmt, ...) MG_PRINTF(1, 2);
void mg_error_set_location(const char *file, int line, int col);
void mg_error_set_sqlstate(const char *sqlstate);
void mg_error_set_statement(const char *sql);
void mg_error_set_changeset(const char *id);
void mg_error_set_code(int code);
const mg_error *mg_error_last(void);
void mg_error_clear(void);
/*
 * Keep an error while cleanup that may fail runs (unlocking after a
 * failed changeset): _save moves the thread's error into `out` and
 * clears it; _restore makes `saved` the thread's error again (it owns
 * the strings then; `saved` is left empty).
 */
void mg_error_save(mg_error *out);
void mg_error_restore(mg_error *saved);

/*
 * Secrets (passwords) that must never be shown: once added, every
 * occurrence in an error's message, detail, hint and statement reads
 * "*****", whoever wrote it (a server message that quotes a misparsed
 * URL, a libpq message that quotes a conninfo fragment). Strings shorter
 * than 4 bytes are not added (they would blank ordinary words).
 * Process-wide; add them before starting threads.
 */
void mg_error_add_secret(const char *secret);
/* A copy of `s` (NULL-safe) with the secrets blanked; caller frees. */
char *mg_error_redact(const char *s);
/* Overwrite the secrets in `s` with '*', keeping its length (for the
 * process's own argv, which `ps` shows). */
void mg_error_blank_secrets(char *s);

#endif
