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
	double leg_km;            /* from the previous stop (the hub for the first) */
	/* Multi-trip routes (docs/route.md): trip is the stop's trip, 1..n,
	 * written as "trip" on every stop only when the route has several
	 * (0: one trip, the stop keeps its single-trip shape). unload != 0:
	 * not a pickup but the return to the hub between trip `trip` and the
	 * next ("kind": "unload"): point is the hub, eta the arrival there,
	 * leaves_min when the next trip leaves, no parcels and no window. */
	int trip;
	int unload;
	int leaves_min;
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
	const char *distance_source; /* "road", "matrix" or "estimate" (NULL: estimate) */
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

/* A courier's pick-up confirmation of one parcel (SPEC section 11), for the HTML sheet. */
struct manifest_pickup {
	const char *order_ref;
	const char *status;   /* picked, missing, refused */
	const char *at;       /* ISO 8601 time of the confirmation */
	const char *reason;   /* NULL or "" when none */
};

struct html_polyline;
/*
 * The driven geometry of the leg from one place of a manifest to the next
 * (codes: the hub's code at both ends of the route): fill out and return
 * 0, or return -1 for a straight leg (no road geometry for that pair).
 */
typedef int (*manifest_leg_fn)(void *ctx, const char *from_code, const char *to_code,
			       struct html_polyline *out);

struct manifest_html_opts {
	/* Confirmations to show on each parcel's card; NULL: the sheet has no confirmation line. */
	const struct manifest_pickup *pickups;
	size_t n_pickups;
	manifest_leg_fn leg;  /* NULL: straight legs */
	void *leg_ctx;
};

/*
 * Layout of the HTML sheet, fixed so that its printed pages are known in
 * advance: page 1 holds the header, the map and the first stops of the
 * stops table; the rest of that table follows on pages of
 * MANIFEST_HTML_MORE_STOPS rows; then every stop starts a new page and its
 * parcels follow as cards, MANIFEST_HTML_CARDS a page. Pages printed:
 * 1 + ceil(max(0, stops - FIRST_STOPS) / MORE_STOPS) + sum over stops of
 * max(1, ceil(parcels / CARDS)).
 */
#define MANIFEST_HTML_FIRST_STOPS 12
#define MANIFEST_HTML_MORE_STOPS 32
#define MANIFEST_HTML_CARDS 14

/*
 * The pick-up sheet as one self-contained HTML page (SPEC section 11), from
 * the manifest's JSON (verified first): header with a QR code holding
 * "<manifest_id> <sha256 of the body>", an SVG map of the route, the stops,
 * then a page per stop with a QR code per parcel holding its order_ref.
 */
int manifest_sheet_html(const char *json, size_t len, const struct manifest_html_opts *opt,
			struct strbuf *out, struct vc_error *err);

struct html_map;
/*
 * Draw a manifest's route on map (pkg/html) in colour: legs from the hub
 * through its stops and back (opt->leg geometry where it has some), stops
 * numbered in order. The hub itself is the caller's to draw.
 */
int manifest_map_route(struct html_map *map, const char *json, size_t len, const char *colour,
		       const struct manifest_html_opts *opt, struct vc_error *err);

#endif
