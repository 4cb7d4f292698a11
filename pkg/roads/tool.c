/*
 * tool: running the outside programs a load needs (osmium, osm2pgrouting).
 * Their output goes to a log file, and on failure its last non-empty line
 * becomes the error; the database password travels in the child's
 * environment (PGPASSWORD), never in argv, where `ps` would show it.
 */
#include "roads/roads_internal.h"
#include "util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The exit status a child uses when exec itself failed (as the shells do). */
#define EXEC_FAILED 127

/* The last non-empty line of the log, trimmed, at most ~300 bytes. */
static void last_line(const char *log_path, char *out, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	char *end, *start;
	out[0] = '\0';
	if (strbuf_read_file(&sb, log_path, 1 << 20) < 0)
		goto cleanup;
	end = sb.buf + sb.len;
	while (end > sb.buf && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	*end = '\0';
	start = strrchr(sb.buf, '\n');
	start = start ? start + 1 : sb.buf;
	snprintf(out, size, "%.300s", start);
cleanup:
	strbuf_release(&sb);
}

int roads_run_tool(const char *const *argv, const char *const *env, const char *log_path,
		   const char *package, struct vc_error *err)
{
	char why[400];
	pid_t pid;
	int status, fd;

	fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return vc_fail(err, EX_CANTCREAT, "%s: %s", log_path, strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fd);
		return vc_fail(err, EX_OSERR, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		size_t i;
		for (i = 0; env && env[i]; i += 2)
			setenv(env[i], env[i + 1], 1);
		if (dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(EXEC_FAILED);
		execvp(argv[0], (char *const *)argv);
		_exit(EXEC_FAILED);
	}
	close(fd);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return vc_fail(err, EX_OSERR, "waitpid: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXEC_FAILED)
		return vc_fail(err, EX_UNAVAILABLE, "%s could not be run: install the Debian package %s",
			       argv[0], package);
	last_line(log_path, why, sizeof(why));
	if (WIFSIGNALED(status))
		return vc_fail(err, EX_SOFTWARE, "%s killed by signal %d%s%s", argv[0],
			       WTERMSIG(status), why[0] ? ": " : "", why);
	return vc_fail(err, EX_DATAERR, "%s failed (exit %d)%s%s", argv[0], WEXITSTATUS(status),
		       why[0] ? ": " : "", why);
}
