/*
 * manifest keyfile: reads a courier's webhook key (whsec_...) for
 * `manifest verify`. The key is a secret, so a file that group or others
 * can read is refused, as the config file is; the key never goes into an
 * error message.
 */
#include "manifest/manifest.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int manifest_read_key_file(const char *path, struct strbuf *key, struct vc_error *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return vc_fail(err, errno == ENOENT ? EX_NOINPUT : EX_CONFIG, "%s: %s", path,
			       strerror(errno));
	if (st.st_mode & 077)
		return vc_fail(err, EX_CONFIG, "%s: a key file must not be readable by group or"
					       " others (chmod 600)", path);
	if (strbuf_read_file(key, path, 4096) < 0)
		return vc_fail(err, EX_CONFIG, "%s: %s", path, strerror(errno));
	while (key->len && strchr(" \t\r\n", key->buf[key->len - 1]))
		strbuf_setlen(key, key->len - 1);
	if (strncmp(key->buf, "whsec_", 6) || strpbrk(key->buf, " \t\r\n"))
		return vc_fail(err, EX_CONFIG, "%s: expected one line whsec_<base64>", path);
	return 0;
}
