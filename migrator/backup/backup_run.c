/*
 * backup_run.c: running pg_dump / pg_restore as child processes with the
 * connection's settings in their environment and the password in a
 * passfile that exists only in memory (never on a command line), and
 * streaming their data through SHA-256 and AES-256-GCM.
 *
 * The CLI ignores SIGPIPE: a child that stops reading (pg_restore after
 * an error) makes our write fail with EPIPE, and the error we report is
 * the child's, with its stderr, instead of migrator dying of the signal.
 */
#include "backup_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "migrator/error.h"
#include "migrator/util.h"

/* An open, unnamed, close-on-exec file only we can read: in memory where
 * the kernel has memfd_create, else a temporary file removed at once. */
static int anon_file(const char *name)
{
	char path[] = "/tmp/migrator-XXXXXX";
	int fd = -1;

#ifdef SYS_memfd_create
	fd = (int)syscall(SYS_memfd_create, name, 1U /* MFD_CLOEXEC */);
#endif
	(void)name;
	if (fd < 0 && (fd = mkstemp(path)) >= 0) {
		unlink(path);
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	if (fd >= 0 && fchmod(fd, 0600) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* A libpq passfile line matching any server: *:*:*:*:password, with ':'
 * and '\' escaped as libpq reads them. */
static int make_passfile(const char *password)
{
	mg_buf line = MG_BUF_INIT;
	int fd;

	if (!password || !*password || (fd = anon_file("pgpass")) < 0)
		return -1;
	mg_buf_puts(&line, "*:*:*:*:");
	for (const char *p = password; *p; p++) {
		if (*p == ':' || *p == '\\')
			mg_buf_putc(&line, '\\');
		mg_buf_putc(&line, *p);
	}
	mg_buf_putc(&line, '\n');
	if (mg_backup__write_all(fd, line.ptr, line.len, "passfile") < 0) {
		close(fd);
		fd = -1;
	}
	/* scrub the copy in our heap */
	memset(line.ptr, 0, line.len);
	mg_buf_release(&line);
	return fd;
}

static void set_env(const char *name, const char *value)
{
	if (value && *value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

/* In the child, before exec. Passwords given to migrator through its
 * environment are not passed on: `ps e` would show them. */
static void child_env(mg_conn *c, const char *dbname, int passfd)
{
	char passfile[32];

	unsetenv("PGPASSWORD");
	unsetenv("LIQUIBASE_COMMAND_PASSWORD");
	unsetenv("LIQUIBASE_PASSWORD");
	if (!c)
		return;
	set_env("PGHOST", mg_conn_info(c, "host"));
	set_env("PGPORT", mg_conn_info(c, "port"));
	set_env("PGDATABASE", dbname ? dbname : mg_conn_info(c, "database"));
	set_env("PGUSER", mg_conn_info(c, "user"));
	set_env("PGAPPNAME", "migrator-backup");
	if (passfd >= 0) {
		fcntl(passfd, F_SETFD, 0);
		snprintf(passfile, sizeof(passfile), "/dev/fd/%d", passfd);
		setenv("PGPASSFILE", passfile, 1);
	}
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

int mg_backup__spawn(mg_child *ch, const char *const *argv, int in_fd,
		     int out_fd, mg_conn *c, const char *dbname)
{
	pid_t p;

	ch->name = argv[0];
	ch->errfd = anon_file("stderr");
	ch->passfd = c ? make_passfile(mg_conn_info(c, "password")) : -1;
	fflush(NULL);
	if ((p = fork()) < 0) {
		int saved = errno;

		if (ch->errfd >= 0)
			close(ch->errfd);
		if (ch->passfd >= 0)
			close(ch->passfd);
		return mg_error_set(MG_ERROR, "cannot start %s: %s", argv[0],
				    strerror(saved));
	}
	if (p == 0) {
		mg_child_default_signals();
		child_env(c, dbname, ch->passfd);
		if (in_fd >= 0)
			dup2(in_fd, 0);
		if (out_fd >= 0)
			dup2(out_fd, 1);
		if (ch->errfd >= 0)
			dup2(ch->errfd, 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	ch->pid = p;
	return 0;
}

/* The last 2000 bytes the child wrote to its stderr. */
static void read_tail(int fd, mg_buf *out)
{
	char buf[4096];
	ssize_t n;

	if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		mg_buf_put(out, buf, (size_t)n);
		if (out->len > 2000) {
			memmove(out->ptr, out->ptr + out->len - 2000, 2000);
			mg_buf_truncate(out, 2000);
		}
	}
	mg_buf_trim(out);
}

static int child_failed(const mg_child *ch, int status)
{
	mg_buf log = MG_BUF_INIT;

	if (WIFEXITED(status))
		mg_error_set(MG_ERROR, "%s failed (exit status %d)", ch->name,
			     WEXITSTATUS(status));
	else
		mg_error_set(MG_ERROR, "%s was killed by signal %d (%s)",
			     ch->name, WTERMSIG(status), strsignal(WTERMSIG(status)));
	read_tail(ch->errfd, &log);
	if (log.len)
		mg_error_set_detail("%s", log.ptr);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		mg_error_set_hint("install the PostgreSQL client tools "
				  "(Debian: postgresql-client)");
	mg_buf_release(&log);
	return MG_ERROR;
}

int mg_backup__finish(mg_child *ch, int error)
{
	int status = 0;

	/* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): callers wait only for a spawned child */
	while (waitpid(ch->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) &&
	    (error == 0 || error == MG_BACKUP__EPIPE))
		error = child_failed(ch, status);
	else if (error == MG_BACKUP__EPIPE)
		error = MG_ERROR; /* it exited 0 without reading everything */
	if (ch->errfd >= 0)
		close(ch->errfd);
	if (ch->passfd >= 0)
		close(ch->passfd);
	ch->errfd = ch->passfd = -1;
	return error;
}

/* Output of a short command (its first line), e.g. `pg_dump --version`. */
int mg_backup__capture(mg_buf *out, const char *const *argv)
{
	int fds[2];
	mg_child ch;
	char buf[512];
	ssize_t n;
	int error;

	if ((error = mg_backup__pipe(fds)) < 0)
		return error;
	error = mg_backup__spawn(&ch, argv, -1, fds[1], NULL, NULL);
	close(fds[1]);
	while (!error && (n = read(fds[0], buf, sizeof(buf))) > 0)
		mg_buf_put(out, buf, (size_t)n);
	close(fds[0]);
	if (!error)
		error = mg_backup__finish(&ch, 0);
	mg_buf_trim(out);
	return error;
}

int mg_backup__pump(int in, int out, mg_sha256 *sha, mg_cipher *enc,
		    long long *size, const char *from, const char *to)
{
	unsigned char buf[1 << 16], cbuf[1 << 16];
	ssize_t n;
	int error;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		const unsigned char *w = buf;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return mg_error_set(MG_ERROR, "cannot read from %s: %s",
					    from, strerror(errno));
		}
		if (enc) {
			if ((error = mg_cipher_update(enc, buf, (size_t)n, cbuf)) < 0)
				return error;
			w = cbuf;
		}
		if ((error = mg_backup__write_all(out, w, (size_t)n, to)) < 0)
			return error;
		if (sha)
			mg_sha256_update(sha, w, (size_t)n);
		*size += n;
	}
	return 0;
}

int mg_backup__write_all(int fd, const void *data, size_t len,
			 const char *to)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE) {
			mg_error_set(MG_ERROR, "%s stopped reading its input", to);
			return MG_BACKUP__EPIPE;
		}
		if (n < 0)
			return mg_error_set(MG_ERROR, "cannot write '%s': %s", to,
					    strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int feed_plain(int fd, int out, const char *to)
{
	long long ignored = 0;
	int sink = out < 0 ? open("/dev/null", O_WRONLY | O_CLOEXEC) : out;
	int error = mg_backup__pump(fd, sink, NULL, NULL, &ignored, "the backup",
				    to);

	if (out < 0)
		close(sink);
	return error;
}

/*
 * Feed the dump's plain bytes (decrypted when needed) to `out`. For an
 * encrypted file the tag is checked at the end: callers that must not act
 * on unauthenticated data run a checking pass first (out = -1).
 */
int mg_backup__feed(const char *path, const char *key, int out,
		    const char *to)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char hdr[MG_ENC_HEADER], tag[MG_ENC_TAG], key32[32];
	unsigned char buf[1 << 16], plain[1 << 16];
	mg_cipher *dec = NULL;
	off_t size, left;
	int error = 0;

	if (fd < 0)
		return mg_error_set(MG_ENOTFOUND, "cannot open '%s': %s", path,
				    strerror(errno));
	if (!key) {
		error = feed_plain(fd, out, to);
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
			error = mg_backup__write_all(out, plain, (size_t)n, to);
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

int mg_backup__pg_restore(const char *const *argv, const char *path,
			  const char *key, mg_conn *c, const char *dbname)
{
	int in[2], error;
	mg_child ch;

	if ((error = mg_backup__pipe(in)) < 0)
		return error;
	error = mg_backup__spawn(&ch, argv, in[0], -1, c, dbname);
	close(in[0]);
	if (error) {
		close(in[1]);
		return error;
	}
	error = mg_backup__feed(path, key, in[1], argv[0]);
	/* EOF for the child before we wait for it */
	close(in[1]);
	return mg_backup__finish(&ch, error);
}
