/*
 * credentials: courier secrets handed over as files in
 * $CREDENTIALS_DIRECTORY, as systemd's LoadCredential= /
 * LoadCredentialEncrypted= / SetCredential= do it (and any supervisor that
 * follows that convention). A file is named like the config key it
 * stands for: courier.<CODE>.key (the whsec_ webhook key) or
 * courier.<CODE>.token (the bearer token), <CODE> exactly as in the
 * couriers table; its content is the secret, one trailing newline allowed.
 * The same names prefixed "vcourier_" are accepted too: that is how
 * `LoadCredential=vcourier:/etc/vcourier/credentials` (a whole folder)
 * names its files. Other files in the folder (a pgpass, say) are not read.
 *
 * Every matching file is read once, when the config is loaded: an
 * unreadable, empty, multi-line, oversized, non-regular or world-readable file
 * is a configuration error (EX_CONFIG) naming the file, never its content.
 */
#ifndef VC_CREDENTIALS_H
#define VC_CREDENTIALS_H

#include "util/error.h"

struct vc_credentials;

/* *out is NULL (and 0 returned) when CREDENTIALS_DIRECTORY is unset or empty. */
int credentials_load(struct vc_credentials **out, struct vc_error *err);
/* Courier code's secret, kind "key" or "token" (file courier.<code>.<kind>), or NULL. */
const char *credentials_courier_secret(const struct vc_credentials *c, const char *code,
				       const char *kind);
/* Wipes the secrets before freeing them. NULL is fine. */
void credentials_free(struct vc_credentials *c);

#endif
