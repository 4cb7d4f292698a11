/* credentials: secrets from $CREDENTIALS_DIRECTORY (see credentials.h). */
#include "config/credentials.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A key or token is well under this; anything bigger is a wrong file. */
#define CREDENTIAL_MAX 4096

struct credential {
	char *name;
	char *value;
};

struct vc_credentials {
	struct credential *items;
	size_t n, cap;
};

static int ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && !strcmp(s + ls - lx, suffix);
}

/*
 * LoadCredential=vcourier:/etc/vcourier/credentials (a whole folder) names
 * each file's credential "vcourier_" + the file name: that one prefix is
 * accepted, so one unit line serves every courier.
 */
#define DIR_PREFIX "vcourier_"

/* The name without DIR_PREFIX, when it is courier.<CODE>.key|token; else NULL. */
static const char *courier_secret_name(const char *name)
{
	size_t len;
	if (!strncmp(name, DIR_PREFIX, strlen(DIR_PREFIX)))
		name += strlen(DIR_PREFIX);
	len = strlen(name);
	if (strncmp(name, "courier.", 8))
		return NULL;
	if ((ends_with(name, ".key") && len > 8 + 4) || (ends_with(name, ".token") && len > 8 + 6))
		return name;
	return NULL;
}

/*
 * O_NONBLOCK and the fstat check after open: a FIFO or device put there
 * by mistake is refused instead of blocking the nightly job.
 */
static int read_secret(int dirfd, const char *dir, const char *name, struct strbuf *sb,
		       struct vc_error *err)
{
	char chunk[1024];
	struct stat st;
	ssize_t n;
	int fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY), rc = -1;

	if (fd < 0)
		return vc_fail(err, EX_CONFIG, "%s/%s: %s", dir, name, strerror(errno));
	if (fstat(fd, &st) < 0) {
		vc_fail(err, EX_CONFIG, "%s/%s: %s", dir, name, strerror(errno));
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		vc_fail(err, EX_CONFIG, "%s/%s: not a regular file", dir, name);
		goto cleanup;
	}
	/*
	 * Others only: systemd grants the service user read access with an
	 * ACL where the file system has them, which shows as group bits.
	 */
	if (st.st_mode & S_IRWXO) {
		vc_fail(err, EX_CONFIG, "%s/%s: readable by others (mode %03o): chmod 400 it",
			dir, name, (unsigned)(st.st_mode & 0777));
		goto cleanup;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			vc_fail(err, EX_CONFIG, "%s/%s: %s", dir, name, strerror(errno));
			goto cleanup;
		}
		if (sb->len + (size_t)n > CREDENTIAL_MAX) {
			vc_fail(err, EX_CONFIG, "%s/%s: longer than %d bytes", dir, name, CREDENTIAL_MAX);
			goto cleanup;
		}
		strbuf_add(sb, chunk, (size_t)n);
	}
	/* `echo SECRET > file` leaves a newline */
	while (sb->len && (sb->buf[sb->len - 1] == '\n' || sb->buf[sb->len - 1] == '\r'))
		strbuf_setlen(sb, sb->len - 1);
	if (!sb->len || memchr(sb->buf, '\n', sb->len) || memchr(sb->buf, '\0', sb->len)) {
		vc_fail(err, EX_CONFIG, "%s/%s: %s", dir, name,
			sb->len ? "more than one line (expected the secret alone)" : "empty");
		goto cleanup;
	}
	rc = 0;
cleanup:
	explicit_bzero(chunk, sizeof(chunk));
	close(fd);
	return rc;
}

int credentials_load(struct vc_credentials **out, struct vc_error *err)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");
	struct vc_credentials *c;
	struct strbuf sb = STRBUF_INIT;
	struct dirent *de;
	DIR *d;
	int rc = -1;

	*out = NULL;
	if (!dir || !*dir)
		return 0;
	if (!(d = opendir(dir)))
		return vc_fail(err, EX_CONFIG, "CREDENTIALS_DIRECTORY %s: %s", dir, strerror(errno));
	c = xcalloc(1, sizeof(*c));
	while ((errno = 0, de = readdir(d))) {
		const char *name = courier_secret_name(de->d_name);
		if (!name)
			continue;
		strbuf_reset(&sb);
		if (read_secret(dirfd(d), dir, de->d_name, &sb, err) < 0)
			goto cleanup;
		c->items = xgrow(c->items, sizeof(*c->items), c->n + 1, &c->cap);
		/* stored without the prefix: lookups use the plain name */
		c->items[c->n].name = xstrdup(name);
		c->items[c->n].value = xstrdup(sb.buf);
		c->n++;
	}
	if (errno) {
		vc_fail(err, EX_CONFIG, "CREDENTIALS_DIRECTORY %s: %s", dir, strerror(errno));
		goto cleanup;
	}
	*out = c;
	c = NULL;
	rc = 0;
cleanup:
	if (sb.alloc)
		explicit_bzero(sb.buf, sb.alloc);
	strbuf_release(&sb);
	credentials_free(c);
	closedir(d);
	return rc;
}

const char *credentials_courier_secret(const struct vc_credentials *c, const char *code,
				       const char *kind)
{
	size_t i, lc = strlen(code);
	if (!c)
		return NULL;
	/* exact match of "courier." code "." kind: codes are compared byte for byte */
	for (i = 0; i < c->n; i++) {
		const char *n = c->items[i].name;
		if (!strncmp(n, "courier.", 8) && !strncmp(n + 8, code, lc) && n[8 + lc] == '.' &&
		    !strcmp(n + 9 + lc, kind))
			return c->items[i].value;
	}
	return NULL;
}

void credentials_free(struct vc_credentials *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		explicit_bzero(c->items[i].value, strlen(c->items[i].value));
		free(c->items[i].value);
		free(c->items[i].name);
	}
	free(c->items);
	free(c);
}
