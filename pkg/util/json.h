/*
 * json: tolerant getters over jansson objects for code that renders what
 * it did not build (summaries read back, received manifests): a missing
 * or mistyped member gives the default, never a crash.
 */
#ifndef VC_UTIL_JSON_H
#define VC_UTIL_JSON_H

#include <jansson.h>

/* o[key] as a string, def when absent or not a string (o may be NULL). */
const char *vc_json_str(const json_t *o, const char *key, const char *def);
/* o[key] as an integer, 0 when absent or not an integer. */
long long vc_json_int(const json_t *o, const char *key);
/* o[key] as a number (integer or real), 0 when absent. */
double vc_json_num(const json_t *o, const char *key);

#endif
