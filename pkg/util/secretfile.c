/* secretfile: read a file that may hold secrets, safely (see secretfile.h). */
#include "util/secretfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int vc_read_secret_file(const char *path, size_t max_bytes, int missing_code, struct strbuf *sb,
			struct vc_error *err)
{
	char chunk[65536];
	struct stat st;
	ssize_t n;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return vc_fail(err, errno == ENOENT ? missing_code : EX_CONFIG, "%s: %s", path,
			       errno == ELOOP ? "is a symbolic link (give the file itself)"
					      : strerror(errno));
	if (fstat(fd, &st) < 0) {
		vc_fail(err, EX_CONFIG, "%s: %s", path, strerror(errno));
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		vc_fail(err, EX_CONFIG, "%s: not a regular file", path);
		goto cleanup;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		vc_fail(err, EX_CONFIG,
			"%s: readable by group or others (mode %03o); it may hold secrets: chmod 600 it",
			path, (unsigned)(st.st_mode & 0777));
		goto cleanup;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			vc_fail(err, EX_CONFIG, "%s: %s", path, strerror(errno));
			goto cleanup;
		}
		if (sb->len + (size_t)n > max_bytes) {
			vc_fail(err, EX_CONFIG, "%s: larger than %zu bytes", path, max_bytes);
			goto cleanup;
		}
		strbuf_add(sb, chunk, (size_t)n);
	}
	if (sb->len && memchr(sb->buf, '\0', sb->len)) {
		vc_fail(err, EX_CONFIG, "%s: holds a NUL byte (not a text file)", path);
		goto cleanup;
	}
	rc = 0;
cleanup:
	close(fd);
	return rc;
}
