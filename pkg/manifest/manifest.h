/*
 * manifest: the JSON document a courier receives (SPEC section 6), built
 * from in-memory data with jansson, plus its checksum and the Standard
 * Webhooks signature, and the offline verifier used by `manifest verify`.
 * No SQL, no HTTP here.
 */
#ifndef VC_MANIFEST_H
#define VC_MANIFEST_H

#include <stddef.h>

#include "util/error.h"
#include "util/strbuf.h"

struct manifest_parcel {
	const char *order_ref;
	double weight_kg;
	double volume_m3;
	const char *seller;
};

struct manifest_place {
	const char *code;
	const char *name;
	double lat, lon;
};

struct manifest_stop {
	struct manifest_place point;
	int open_min, close_min;  /* window, minutes since midnight */
	int eta_min;              /* planned arrival */
	const struct manifest_parcel *parcels;
	size_t n_parcels;
};

struct manifest_input {
	const char *manifest_id;
	int version;
	const char *replaces;     /* NULL: first version */
	long long run_id;
	const char *service_date; /* YYYY-MM-DD */
	struct manifest_place hub;
	const char *courier_code, *courier_name;
	double capacity_kg, capacity_m3;
	const struct manifest_stop *stops;
	size_t n_stops;
	double distance_km;
	int duration_min;
};

/* What the manifest's totals say (weights rounded to grams, volumes to 0.1 l first). */
struct manifest_totals {
	size_t stops, parcels;
	double weight_kg, volume_m3;
};
void manifest_totals(const struct manifest_input *in, struct manifest_totals *t);

/* Render the canonical JSON bytes (stop seq and totals computed here). */
int manifest_render(const struct manifest_input *in, struct strbuf *out, struct vc_error *err);

/* out: 64 hex digits + NUL. */
void manifest_sha256_hex(const void *data, size_t len, char out[65]);

/* "v1,<base64 HMAC-SHA256(key, id.ts.body)>" into out; key is "whsec_<base64>". */
int manifest_sign(const char *whsec_key, const char *msg_id, long long timestamp,
		  const void *body, size_t len, struct strbuf *out, struct vc_error *err);

struct manifest_verify_opts {
	const char *sha256_hex;   /* NULL: not checked */
	const char *whsec_key;    /* NULL: signature not checked */
	const char *signature;    /* "v1,..." (space-separated list allowed) */
	long long timestamp;      /* webhook-timestamp the signature covers */
	long long max_age_s;      /* > 0: refuse a timestamp further than this from now */
	long long now;            /* 0: the clock (tests set it) */
};

/* The largest manifest accepted by the verifier (and the sheet renderer). */
#define MANIFEST_MAX_BYTES (64u << 20)

/*
 * Well-formed, totals add up, checksum, signature. EX_DATAERR with the
 * reason (a JSON syntax error as "LINE:COLUMN: reason").
 */
int manifest_verify(const char *body, size_t len, const struct manifest_verify_opts *opt,
		    struct vc_error *err);

/* A whsec_ key from a file only its owner can read (EX_CONFIG otherwise). */
int manifest_read_key_file(const char *path, struct strbuf *key, struct vc_error *err);

/*
 * A printable pick-up sheet from a manifest's JSON: stops in order with
 * window, ETA, parcel count, weight and volume, then their parcels.
 */
int manifest_sheet(const char *json, size_t len, struct strbuf *out, struct vc_error *err);

/*
 * id.c: a manifest's id, `DATE-HUB-COURIER-vN`, also its Idempotency-Key.
 * Codes may contain '-', which would make two (hub, courier) pairs share
 * an id (hub N-1 + courier V, hub N + courier 1-V): a '-' inside a code is
 * written '~', a character no code may hold, so the id is unambiguous and
 * ids of codes without '-' are the same as ever. MANIFEST_ID_MAX bounds it
 * (two 64-character codes); -1 when it does not fit.
 */
#define MANIFEST_ID_MAX 160
int manifest_make_id(char out[MANIFEST_ID_MAX], const char *service_date, const char *hub_code,
		     const char *courier_code, int version);

#endif
