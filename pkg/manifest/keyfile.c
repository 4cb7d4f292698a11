/*
 * manifest keyfile: reads a courier's webhook key (whsec_...) for
 * `manifest verify`. The key is a secret: read through the same check as
 * the config file (util/secretfile.h); the key never goes into an error
 * message.
 */
#include "manifest/manifest.h"

#include "util/secretfile.h"

#include <string.h>

int manifest_read_key_file(const char *path, struct strbuf *key, struct vc_error *err)
{
	if (vc_read_secret_file(path, 4096, EX_NOINPUT, key, err) < 0)
		return -1;
	while (key->len && strchr(" \t\r\n", key->buf[key->len - 1]))
		strbuf_setlen(key, key->len - 1);
	if (strncmp(key->buf, "whsec_", 6) || strpbrk(key->buf, " \t\r\n"))
		return vc_fail(err, EX_CONFIG, "%s: expected one line whsec_<base64>", path);
	return 0;
}
