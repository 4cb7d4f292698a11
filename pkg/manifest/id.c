/* id: manifest ids that no two (hub, courier, version) of a date share (see manifest.h). */
#include "manifest/manifest.h"

#include <stdio.h>
#include <string.h>

/* A code with each '-' as '~' ('~' is not in the code alphabet: A-Z a-z 0-9 _ . -). */
static size_t put_code(char *out, size_t at, size_t cap, const char *code)
{
	for (; *code; code++, at++)
		if (at < cap)
			out[at] = *code == '-' ? '~' : *code;
	return at;
}

int manifest_make_id(char out[MANIFEST_ID_MAX], const char *service_date, const char *hub_code,
		     const char *courier_code, int version)
{
	size_t at = (size_t)snprintf(out, MANIFEST_ID_MAX, "%s-", service_date);
	int n;
	at = put_code(out, at, MANIFEST_ID_MAX, hub_code);
	if (at < MANIFEST_ID_MAX)
		out[at] = '-';
	at = put_code(out, at + 1, MANIFEST_ID_MAX, courier_code);
	if (at >= MANIFEST_ID_MAX) {
		out[0] = '\0';
		return -1;
	}
	n = snprintf(out + at, MANIFEST_ID_MAX - at, "-v%d", version);
	if (n < 0 || (size_t)n >= MANIFEST_ID_MAX - at) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}
