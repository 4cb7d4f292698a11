/* config_internal: what config.c and secret.c share; not for other modules. */
#ifndef VC_CONFIG_INTERNAL_H
#define VC_CONFIG_INTERNAL_H

#include "config/config.h"
#include "config/credentials.h"

union config_value {
	long long i;
	double d;
	int b;
	const char *s;
};

/* The table row whose name matches key ("<CODE>" rows included), or NULL. */
const struct config_key *config_find_key(const char *key);
/* Parse text as k's type and range; on failure *problem says why. */
int config_parse_value(const struct config_key *k, const char *text, union config_value *out,
		       const char **problem);
/* Refuse VCOURIER_KEY_/VCOURIER_TOKEN_ variables that name no courier code. */
int config_check_environment(struct vc_error *err);
/* The secrets of $CREDENTIALS_DIRECTORY (credentials.h), NULL when unset. */
const struct vc_credentials *config_credentials(const struct vc_config *cfg);
/* Overwrite a string that may hold a secret before it is freed. */
void config_wipe(char *s);

#endif
