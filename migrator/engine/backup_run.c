/*
 * backup_run.c: running pg_dump / pg_restore as child processes with the
 * connection's settings in their environment (never on a command line),
 * and streaming their data through SHA-256 and AES-256-GCM.
 */
#include "backup_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "migrator/error.h"
#include "migrator/util.h"

static void set_env(const char *name, const char *value)
{
	if (value && *value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

void mg_backup__child_env(mg_conn *c, const char *dbname)
{
	set_env("PGHOST", mg_conn_info(c, "host"));
	set_env("PGPORT", mg_conn_info(c, "port"));
	set_env("PGDATABASE", dbname ? dbname : mg_conn_info(c, "database"));
	set_env("PGUSER", mg_conn_info(c, "user"));
	set_env("PGPASSWORD", mg_conn_info(c, "password"));
	set_env("PGAPPNAME", "migrator-backup");
}

/* pipe() whose ends are not inherited by the children we start (each
 * child gets only the end it is given, as its stdin or stdout). */
int mg_backup__pipe(int fds[2])
{
	if (pipe(fds) < 0)
		return mg_error_set(MG_ERROR, "pipe: %s", strerror(errno));
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

int mg_backup__spawn(pid_t *pid, const char *const *argv, int in_fd,
		     int out_fd, int err_fd, mg_conn *c, const char *dbname)
{
	pid_t p = fork();

	if (p < 0)
		return mg_error_set(MG_ERROR, "cannot start %s: %s", argv[0],
				    strerror(errno));
	if (p == 0) {
		if (c)
			mg_backup__child_env(c, dbname);
		if (in_fd >= 0)
			dup2(in_fd, 0);
		if (out_fd >= 0)
			dup2(out_fd, 1);
		if (err_fd >= 0)
			dup2(err_fd, 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	*pid = p;
	return 0;
}

int mg_backup__wait(pid_t pid, const char *what, const char *errlog)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	mg_error_set(MG_ERROR, "%s failed (%s %d)", what,
		     WIFEXITED(status) ? "exit status" : "signal",
		     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	if (errlog && *errlog)
		mg_error_set_detail("%s", errlog);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		mg_error_set_hint("install the PostgreSQL client tools "
				  "(Debian: postgresql-client)");
	return MG_ERROR;
}

/* Output of a short command (its first line), e.g. `pg_dump --version`. */
int mg_backup__capture(mg_buf *out, const char *const *argv)
{
	int fds[2];
	pid_t pid;
	char buf[512];
	ssize_t n;
	int error;

	if ((error = mg_backup__pipe(fds)) < 0)
		return error;
	error = mg_backup__spawn(&pid, argv, -1, fds[1], -1, NULL, NULL);
	close(fds[1]);
	while (!error && (n = read(fds[0], buf, sizeof(buf))) > 0)
		mg_buf_put(out, buf, (size_t)n);
	close(fds[0]);
	if (!error)
		error = mg_backup__wait(pid, argv[0], NULL);
	mg_buf_trim(out);
	return error;
}

/* Copy `in` to `out`, hashing what is written (and encrypting it). */
int mg_backup__pump(int in, int out, mg_sha256 *sha, mg_cipher *enc,
		    long long *size)
{
	unsigned char buf[1 << 16], cbuf[1 << 16];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		const unsigned char *w = buf;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return mg_error_set(MG_ERROR, "read: %s", strerror(errno));
		}
		if (enc) {
			if (mg_cipher_update(enc, buf, (size_t)n, cbuf) < 0)
				return MG_ERROR;
			w = cbuf;
		}
		if (mg_backup__write_all(out, w, (size_t)n) < 0)
			return MG_ERROR;
		if (sha)
			mg_sha256_update(sha, w, (size_t)n);
		*size += n;
	}
	return 0;
}

int mg_backup__write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return mg_error_set(MG_ERROR, "write: %s", strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Feed the dump's plain bytes (decrypted when needed) to `out`. For an
 * encrypted file the tag is checked at the end: callers that must not act
 * on unauthenticated data run a checking pass first (out = -1).
 */
int mg_backup__feed(const char *path, const char *key, int out)
{
	int fd = open(path, O_RDONLY);
	unsigned char hdr[MG_ENC_HEADER], tag[MG_ENC_TAG], key32[32];
	unsigned char buf[1 << 16], plain[1 << 16];
	mg_cipher *dec = NULL;
	off_t size, left;
	int error = 0;

	if (fd < 0)
		return mg_error_set(MG_ENOTFOUND, "cannot open '%s': %s", path,
				    strerror(errno));
	if (!key) {
		long long ignored = 0;
		int sink = out < 0 ? open("/dev/null", O_WRONLY) : out;

		error = mg_backup__pump(fd, sink, NULL, NULL, &ignored);
		if (out < 0)
			close(sink);
		close(fd);
		return error;
	}
	size = lseek(fd, 0, SEEK_END);
	lseek(fd, 0, SEEK_SET);
	mg_cipher_key(key32, key);
	if (size < MG_ENC_HEADER + MG_ENC_TAG ||
	    read(fd, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr)) {
		error = mg_error_set(MG_EINVALID, "'%s' is not an encrypted backup",
				     path);
		goto out;
	}
	if ((error = mg_cipher_decrypt_new(&dec, key32, hdr)) < 0)
		goto out;
	for (left = size - MG_ENC_HEADER - MG_ENC_TAG; left > 0 && !error;) {
		ssize_t n = read(fd, buf, left < (off_t)sizeof(buf) ? (size_t)left
								 : sizeof(buf));

		if (n <= 0) {
			error = mg_error_set(MG_ERROR, "cannot read '%s'", path);
			break;
		}
		left -= n;
		if ((error = mg_cipher_update(dec, buf, (size_t)n, plain)) < 0)
			break;
		if (out >= 0)
			error = mg_backup__write_all(out, plain, (size_t)n);
	}
	if (!error && read(fd, tag, sizeof(tag)) != (ssize_t)sizeof(tag))
		error = mg_error_set(MG_ERROR, "cannot read '%s'", path);
	if (!error) {
		error = mg_cipher_finish(dec, tag);
		dec = NULL;
	}
out:
	mg_cipher_free(dec);
	close(fd);
	return error;
}
