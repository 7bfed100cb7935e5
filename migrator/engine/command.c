/*
 * command.c: the executeCommand change. Off unless --allow-execute-command;
 * runs the executable (no shell) with its <arg>s, captures what it
 * prints, and kills it when its timeout passes.
 */
#include "engine_int.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "migrator/error.h"
#include "migrator/util.h"

/* Liquibase's timeout: "10s", "5m", "1h" or seconds; 0 = none. */
static long timeout_ms(const char *t)
{
	char *end;
	long v;

	if (!t || !*t)
		return 0;
	v = strtol(t, &end, 10);
	switch (*end) {
	case 'h':
		return v * 3600000L;
	case 'm':
		return v * 60000L;
	default:
		return v * 1000L;
	}
}

/* os="Linux, Mac OS X": run only on a listed system (none = all). */
static bool os_matches(const char *os)
{
	struct utsname u;
	const char *p = os, *item;
	size_t len;

	if (!os || !*os || uname(&u) < 0)
		return true;
	while (mg_list_next(&p, &item, &len))
		if (len == strlen(u.sysname) && !strncasecmp(item, u.sysname, len))
			return true;
	return false;
}

static void collect_args(const mg_change *c, char **argv, size_t max)
{
	size_t n = 0;

	argv[n++] = (char *)mg_change_get(c, "executable");
	for (mg_node *a = c->node->first; a && n + 1 < max; a = a->next)
		if (a->name && !strcmp(a->name, "arg") && mg_node_get(a, "value"))
			argv[n++] = (char *)mg_node_get(a, "value");
	argv[n] = NULL;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000L +
	       (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

/* Read the child's output until it closes or the time is up. */
static bool drain(int fd, mg_buf *out, long limit)
{
	struct timespec t0;
	char buf[4096];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		long left = limit ? limit - elapsed_ms(&t0) : -1;
		ssize_t n;

		if (limit && left <= 0)
			return false;
		if (poll(&p, 1, limit ? (int)left : -1) < 0 && errno != EINTR)
			return true;
		if (!p.revents)
			continue;
		if ((n = read(fd, buf, sizeof(buf))) <= 0)
			return true;
		mg_buf_put(out, buf, (size_t)n);
	}
}

int mg_engine__execute_command(mg_engine *e, const mg_change *c,
			       const char *key)
{
	char *argv[64];
	int fds[2], status = 0;
	long limit = timeout_ms(mg_change_get(c, "timeout"));
	mg_buf out = MG_BUF_INIT;
	bool finished;
	pid_t pid;

	if (!os_matches(mg_change_get(c, "os")))
		return 0;
	if (!mg_change_get(c, "executable"))
		return mg_error_set(MG_EINVALID, "executeCommand needs 'executable'");
	collect_args(c, argv, MG_ARRAY_SIZE(argv));
	if (pipe(fds) < 0)
		return mg_error_set(MG_ERROR, "pipe: %s", strerror(errno));
	if ((pid = fork()) == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	finished = pid > 0 && drain(fds[0], &out, limit);
	if (pid > 0 && !finished)
		kill(pid, SIGKILL);
	close(fds[0]);
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	mg_buf_trim(&out);
	if (out.len)
		mg_engine__emit(e, MG_EV_OUTPUT, 0, 0, "STDERR", out.ptr);
	mg_buf_release(&out);
	(void)key;
	if (pid < 0)
		return mg_error_set(MG_ERROR, "cannot start '%s'", argv[0]);
	if (!finished)
		return mg_error_set(MG_ERROR, "'%s' did not finish within %s",
				    argv[0], mg_change_get(c, "timeout"));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return mg_error_set(MG_ERROR, "'%s' failed (exit status %d)", argv[0],
				    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
