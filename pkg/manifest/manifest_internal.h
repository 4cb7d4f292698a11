/*
 * manifest_internal: helpers shared by the files of pkg/manifest only.
 */
#ifndef VC_MANIFEST_INTERNAL_H
#define VC_MANIFEST_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "util/error.h"
#include "util/strbuf.h"

/* Weights travel with 3 decimals (grams), volumes with 4 (0.1 litre). */
#define MANIFEST_KG_SCALE 1000.0
#define MANIFEST_M3_SCALE 10000.0
/* Reals print with 15 significant digits: exact for the rounded values. */
#define MANIFEST_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

void manifest_base64(const unsigned char *in, size_t len, struct strbuf *out);
int manifest_base64_decode(const char *in, size_t len, unsigned char *out, size_t cap,
			   size_t *out_len);
/* 1 when one entry of a space-separated signature header equals expected (constant time). */
int manifest_signature_matches(const char *expected, const char *header);
/* Parse a manifest body (size-capped, depth-limited), EX_DATAERR with the reason. */
json_t *manifest_parse(const char *body, size_t len, struct vc_error *err);

/* A member of a manifest object: its string ("" when absent), its number (0 when absent). */
const char *manifest_jstr(const json_t *obj, const char *key);
double manifest_jnum(const json_t *obj, const char *key);
/* A stop that is a multi-trip route's return to the hub ("kind": "unload"). */
int manifest_is_unload(const json_t *stop);

#endif
