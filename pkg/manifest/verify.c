/*
 * manifest verify: the offline check of a received manifest. Parses with
 * jansson (size capped, nesting bounded by jansson's parser depth limit,
 * duplicate keys refused), checks every required field and its type, seq
 * 1..n, ETAs inside windows, recomputes each stop's weight and volume and
 * the totals from the parcels (to the printed precision), the load of
 * every trip of a multi-trip route against the vehicle (returns to the
 * hub, "kind": "unload", between trips), then the
 * checksum and the Standard Webhooks signature. The first problem found is
 * the reason given.
 */
#include "manifest/manifest.h"
#include "manifest/manifest_internal.h"
#include "util/hhmm.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include <time.h>

json_t *manifest_parse(const char *body, size_t len, struct vc_error *err)
{
	json_error_t jerr;
	char depth[80];
	json_t *doc;

	if (len > MANIFEST_MAX_BYTES)
		return vc_fail(err, EX_DATAERR, "larger than %u MiB: not a manifest",
			       MANIFEST_MAX_BYTES >> 20), NULL;
	if (len == 0)
		return vc_fail(err, EX_DATAERR, "empty file: not a manifest"), NULL;
	doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		const char *why = jerr.text;
		/* cut inside a multi-byte character counts as truncated too */
		if (json_error_code(&jerr) == json_error_premature_end_of_input ||
		    (json_error_code(&jerr) == json_error_invalid_utf8 && jerr.position + 4 >= (int)len))
			why = "truncated (premature end of input)";
		else if (strstr(jerr.text, "maximum parsing depth"))
			why = depth;
		snprintf(depth, sizeof(depth), "nested too deeply (more than %d levels)",
			 JSON_PARSER_MAX_DEPTH);
		return vc_fail(err, EX_DATAERR, "%d:%d: not valid JSON: %s", jerr.line,
			       jerr.column, why), NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		return vc_fail(err, EX_DATAERR, "not a manifest: the top level is not an object"),
		       NULL;
	}
	return doc;
}

/* Field access with the path of the field in every error message. */
static json_t *field(json_t *obj, const char *path, const char *key, json_type type,
		     struct vc_error *err)
{
	static const char *const names[] = { "an object", "an array", "a string",
					     "an integer", "a number", "true", "false", "null" };
	json_t *v = json_object_get(obj, key);
	if (!v)
		return vc_fail(err, EX_DATAERR, "%s%s: missing", path, key), NULL;
	if (type == JSON_REAL ? !json_is_number(v) : json_typeof(v) != type)
		return vc_fail(err, EX_DATAERR, "%s%s: not %s", path, key, names[type]), NULL;
	return v;
}

static int check_place(json_t *obj, const char *path, const char *key, struct vc_error *err)
{
	char sub[64];
	json_t *p = field(obj, path, key, JSON_OBJECT, err);
	if (!p)
		return -1;
	snprintf(sub, sizeof(sub), "%s%s.", path, key);
	if (!field(p, sub, "code", JSON_STRING, err) || !field(p, sub, "name", JSON_STRING, err))
		return -1;
	if (!strcmp(key, "courier"))
		return 0;
	if (!field(p, sub, "lat", JSON_REAL, err) || !field(p, sub, "lon", JSON_REAL, err))
		return -1;
	if (fabs(json_number_value(json_object_get(p, "lat"))) > 90 ||
	    fabs(json_number_value(json_object_get(p, "lon"))) > 180)
		return vc_fail(err, EX_DATAERR, "%s%s: coordinates out of range", path, key);
	return 0;
}

/* A number printed with `scale` steps (1000: grams) as a whole count of steps. */
static int amount(json_t *obj, const char *path, const char *key, double scale,
		  long long *out, struct vc_error *err)
{
	json_t *v = field(obj, path, key, JSON_REAL, err);
	double x;
	if (!v)
		return -1;
	x = json_number_value(v) * scale;
	if (!(x >= 0) || x > 1e15)
		return vc_fail(err, EX_DATAERR, "%s%s: %g is out of range", path, key,
			       json_number_value(v));
	*out = llround(x);
	return 0;
}

static int same_amount(json_t *obj, const char *path, const char *key, double scale,
		       long long sum, struct vc_error *err)
{
	long long printed;
	if (amount(obj, path, key, scale, &printed, err) < 0)
		return -1;
	if (printed != sum)
		return vc_fail(err, EX_DATAERR, "%s%s: %.*f, but its parts add up to %.*f", path,
			       key, scale > 1000 ? 4 : 3, printed / scale, scale > 1000 ? 4 : 3,
			       sum / scale);
	return 0;
}

struct sums {
	long long grams, vol;
	size_t parcels;
};

/*
 * Each amount is at most 1e15 steps, but a 64 MiB file holds millions of
 * them: sums are checked, never wrapped (signed overflow is undefined).
 */
static int add_sums(struct sums *s, long long g, long long v, size_t parcels, const char *path,
		    struct vc_error *err)
{
	if (__builtin_add_overflow(s->grams, g, &s->grams) ||
	    __builtin_add_overflow(s->vol, v, &s->vol))
		return vc_fail(err, EX_DATAERR, "%.*s: the amounts add up past any load (overflow)",
			       (int)strlen(path) - 1, path);
	s->parcels += parcels;
	return 0;
}

/* path ends with '.', e.g. "stops[2].parcels[0]." */
static int check_parcel(json_t *p, const char *path, struct sums *s, struct vc_error *err)
{
	long long g, v;
	if (!json_is_object(p))
		return vc_fail(err, EX_DATAERR, "%.*s: not an object", (int)strlen(path) - 1, path);
	if (!field(p, path, "order_ref", JSON_STRING, err) ||
	    !field(p, path, "seller", JSON_STRING, err) ||
	    amount(p, path, "weight_kg", MANIFEST_KG_SCALE, &g, err) < 0 ||
	    amount(p, path, "volume_m3", MANIFEST_M3_SCALE, &v, err) < 0)
		return -1;
	if (g == 0)
		return vc_fail(err, EX_DATAERR, "%sweight_kg: a parcel weighs more than 0", path);
	return add_sums(s, g, v, 1, path, err);
}

static int window_minute(json_t *w, size_t i, const char *path, struct vc_error *err)
{
	json_t *v = json_array_get(w, i);
	int m = json_is_string(v) ? vc_hhmm_parse(json_string_value(v), 0) : -1;
	if (m < 0)
		return vc_fail(err, EX_DATAERR, "%swindow[%zu]: not a time HH:MM", path, i);
	return m;
}

/* Stops are numbered 1..n in order. */
static int check_seq(json_t *seq, const char *path, size_t i, struct vc_error *err)
{
	if (json_integer_value(seq) != (json_int_t)i + 1)
		return vc_fail(err, EX_DATAERR, "%sseq: %lld, expected %zu (stops are numbered 1..n in order)",
			       path, (long long)json_integer_value(seq), i + 1);
	return 0;
}

static int check_stop(json_t *stop, size_t i, struct sums *total, struct vc_error *err)
{
	char path[64], ppath[96];
	struct sums s = { 0, 0, 0 };
	json_t *seq, *w, *eta, *parcels, *p;
	int open, close, at;
	size_t j;

	snprintf(path, sizeof(path), "stops[%zu].", i);
	if (!json_is_object(stop))
		return vc_fail(err, EX_DATAERR, "stops[%zu]: not an object", i);
	if (!(seq = field(stop, path, "seq", JSON_INTEGER, err)) ||
	    check_place(stop, path, "point", err) < 0 ||
	    !(w = field(stop, path, "window", JSON_ARRAY, err)) ||
	    !(eta = field(stop, path, "eta", JSON_STRING, err)) ||
	    !(parcels = field(stop, path, "parcels", JSON_ARRAY, err)))
		return -1;
	if (check_seq(seq, path, i, err) < 0)
		return -1;
	if (json_array_size(w) != 2)
		return vc_fail(err, EX_DATAERR, "%swindow: not [open, close]", path);
	if ((open = window_minute(w, 0, path, err)) < 0 || (close = window_minute(w, 1, path, err)) < 0)
		return -1;
	if (open >= close)
		return vc_fail(err, EX_DATAERR, "%swindow: closes before it opens", path);
	at = vc_hhmm_parse(json_string_value(eta), 0);
	if (at < 0)
		return vc_fail(err, EX_DATAERR, "%seta: not a time HH:MM", path);
	if (at < open || at > close)
		return vc_fail(err, EX_DATAERR, "%seta: %s is outside the window", path,
			       json_string_value(eta));
	if (json_array_size(parcels) == 0)
		return vc_fail(err, EX_DATAERR, "%sparcels: a stop without parcels", path);
	json_array_foreach(parcels, j, p) {
		snprintf(ppath, sizeof(ppath), "%sparcels[%zu].", path, j);
		if (check_parcel(p, ppath, &s, err) < 0)
			return -1;
	}
	if (same_amount(stop, path, "weight_kg", MANIFEST_KG_SCALE, s.grams, err) < 0 ||
	    same_amount(stop, path, "volume_m3", MANIFEST_M3_SCALE, s.vol, err) < 0)
		return -1;
	return add_sums(total, s.grams, s.vol, s.parcels, path, err);
}

/* A return to the hub between trips: the hub, arrival and departure, trip n. */
static int check_unload(json_t *stop, size_t i, const char *hub_code, size_t trip,
			struct vc_error *err)
{
	char path[64];
	json_t *seq, *eta, *leaves, *t, *point;
	int at, out;
	snprintf(path, sizeof(path), "stops[%zu].", i);
	if (!(seq = field(stop, path, "seq", JSON_INTEGER, err)) ||
	    !(t = field(stop, path, "trip", JSON_INTEGER, err)) ||
	    check_place(stop, path, "point", err) < 0 ||
	    !(eta = field(stop, path, "eta", JSON_STRING, err)) ||
	    !(leaves = field(stop, path, "leaves", JSON_STRING, err)))
		return -1;
	if (check_seq(seq, path, i, err) < 0)
		return -1;
	if (json_integer_value(t) != (json_int_t)trip)
		return vc_fail(err, EX_DATAERR, "%strip: %lld, but it ends trip %zu", path,
			       (long long)json_integer_value(t), trip);
	point = json_object_get(json_object_get(stop, "point"), "code");
	if (strcmp(json_string_value(point), hub_code))
		return vc_fail(err, EX_DATAERR, "%spoint: an unload stop is not at the hub", path);
	at = vc_hhmm_parse(json_string_value(eta), 0);
	out = vc_hhmm_parse(json_string_value(leaves), 0);
	if (at < 0 || out < 0)
		return vc_fail(err, EX_DATAERR, "%seta, leaves: not times HH:MM", path);
	if (out < at)
		return vc_fail(err, EX_DATAERR, "%sleaves: before it arrives", path);
	if (json_object_get(stop, "parcels"))
		return vc_fail(err, EX_DATAERR, "%sparcels: an unload stop picks nothing up", path);
	return 0;
}

/* One trip's load within the vehicle, then into the day's sums. */
static int close_trip(struct sums *trip, struct sums *day, long long cap_g, long long cap_v,
		      size_t n, size_t i, struct vc_error *err)
{
	if (trip->grams > cap_g || trip->vol > cap_v)
		return vc_fail(err, EX_DATAERR, n > 1 ? "stops[%zu]: trip %zu's load exceeds the vehicle's capacity"
					   : "totals: the load exceeds the vehicle's capacity", i, n);
	if (add_sums(day, trip->grams, trip->vol, trip->parcels, "totals.", err) < 0)
		return -1;
	memset(trip, 0, sizeof(*trip));
	return 0;
}

static int same_count(json_t *totals, const char *key, size_t counted, struct vc_error *err)
{
	json_t *v = field(totals, "totals.", key, JSON_INTEGER, err);
	if (!v)
		return -1;
	if (json_integer_value(v) != (json_int_t)counted)
		return vc_fail(err, EX_DATAERR, "totals.%s: %lld, but the manifest has %zu", key,
			       (long long)json_integer_value(v), counted);
	return 0;
}

static int is_date(const char *s)
{
	int i;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return 0;
	return s[10] == '\0';
}

static int check_document(json_t *doc, struct vc_error *err)
{
	struct sums sum = { 0, 0, 0 };
	json_t *id, *version, *replaces, *date, *vehicle, *stops, *totals, *stop, *hub, *kind, *tn;
	struct sums trip_sum = { 0, 0, 0 };
	long long cap_g, cap_v, unused;
	size_t i, trip = 1, pickups = 0;

	if (!(id = field(doc, "", "manifest_id", JSON_STRING, err)) ||
	    !(version = field(doc, "", "version", JSON_INTEGER, err)) ||
	    !field(doc, "", "run_id", JSON_INTEGER, err) ||
	    !(date = field(doc, "", "service_date", JSON_STRING, err)) ||
	    check_place(doc, "", "hub", err) < 0 || check_place(doc, "", "courier", err) < 0 ||
	    !(vehicle = field(doc, "", "vehicle", JSON_OBJECT, err)) ||
	    amount(vehicle, "vehicle.", "capacity_kg", MANIFEST_KG_SCALE, &cap_g, err) < 0 ||
	    amount(vehicle, "vehicle.", "capacity_m3", MANIFEST_M3_SCALE, &cap_v, err) < 0 ||
	    !(stops = field(doc, "", "stops", JSON_ARRAY, err)) ||
	    !(totals = field(doc, "", "totals", JSON_OBJECT, err)))
		return -1;
	if (!(replaces = json_object_get(doc, "replaces")))
		return vc_fail(err, EX_DATAERR, "replaces: missing");
	if (json_string_length(id) == 0)
		return vc_fail(err, EX_DATAERR, "manifest_id: empty");
	if (json_integer_value(version) < 1)
		return vc_fail(err, EX_DATAERR, "version: must be 1 or more");
	if (!json_is_null(replaces) && !json_is_string(replaces))
		return vc_fail(err, EX_DATAERR, "replaces: neither null nor a manifest id");
	if (!is_date(json_string_value(date)))
		return vc_fail(err, EX_DATAERR, "service_date: not YYYY-MM-DD");
	hub = json_object_get(json_object_get(doc, "hub"), "code");
	if (!json_is_string(hub))
		return vc_fail(err, EX_DATAERR, "hub.code: missing");
	json_array_foreach(stops, i, stop) {
		kind = json_object_get(stop, "kind");
		if (kind && !(json_is_string(kind) && !strcmp(json_string_value(kind), "unload")))
			return vc_fail(err, EX_DATAERR, "stops[%zu].kind: unknown (only \"unload\")", i);
		if (kind) {
			/* a trip ends: its load alone must fit */
			if (check_unload(stop, i, json_string_value(hub), trip, err) < 0 ||
			    close_trip(&trip_sum, &sum, cap_g, cap_v, trip, i, err) < 0)
				return -1;
			trip++;
			continue;
		}
		tn = json_object_get(stop, "trip");
		if (tn && json_integer_value(tn) != (json_int_t)trip)
			return vc_fail(err, EX_DATAERR, "stops[%zu].trip: %lld, but it is on trip %zu", i,
				       (long long)json_integer_value(tn), trip);
		if (check_stop(stop, i, &trip_sum, err) < 0)
			return -1;
		pickups++;
	}
	if (close_trip(&trip_sum, &sum, cap_g, cap_v, trip, json_array_size(stops), err) < 0)
		return -1;
	tn = json_object_get(totals, "trips");
	if (tn && json_integer_value(tn) != (json_int_t)trip)
		return vc_fail(err, EX_DATAERR, "totals.trips: %lld, but the manifest has %zu",
			       (long long)json_integer_value(tn), trip);
	if (same_count(totals, "stops", pickups, err) < 0 ||
	    same_count(totals, "parcels", sum.parcels, err) < 0 ||
	    same_amount(totals, "totals.", "weight_kg", MANIFEST_KG_SCALE, sum.grams, err) < 0 ||
	    same_amount(totals, "totals.", "volume_m3", MANIFEST_M3_SCALE, sum.vol, err) < 0 ||
	    amount(totals, "totals.", "distance_km", 1000.0, &unused, err) < 0 ||
	    !field(totals, "totals.", "duration_min", JSON_INTEGER, err))
		return -1;
	return 0;
}

static int check_signature(const char *body, size_t len, const char *msg_id,
			   const struct manifest_verify_opts *opt, struct vc_error *err)
{
	struct strbuf expected = STRBUF_INIT;
	long long now = opt->now ? opt->now : (long long)time(NULL), age;
	int ok;

	if (!opt->signature)
		return vc_fail(err, EX_USAGE, "a key needs the signature to check");
	/* Standard Webhooks: a timestamp too far from our clock, either way,
	 * is refused (a replay, or a sender whose clock is off). */
	age = now - opt->timestamp;
	if (opt->max_age_s > 0 && (age > opt->max_age_s || -age > opt->max_age_s))
		return vc_fail(err, EX_DATAERR,
			       "signature timestamp %lld is %lld s %s our clock (more than --max-age %lld): "
			       "a replay, or one of the two clocks is wrong",
			       opt->timestamp, age < 0 ? -age : age, age < 0 ? "ahead of" : "behind",
			       opt->max_age_s);
	if (manifest_sign(opt->whsec_key, msg_id, opt->timestamp, body, len, &expected, err) < 0)
		return -1;
	ok = manifest_signature_matches(expected.buf, opt->signature);
	strbuf_release(&expected);
	if (!ok)
		return vc_fail(err, EX_DATAERR,
			       "signature mismatch: not signed with this key for id %s and timestamp %lld",
			       msg_id, opt->timestamp);
	return 0;
}

int manifest_verify(const char *body, size_t len, const struct manifest_verify_opts *opt,
		    struct vc_error *err)
{
	static const struct manifest_verify_opts none = { 0 };
	char hex[65];
	json_t *doc;
	int rc = -1;

	if (!opt)
		opt = &none;
	doc = manifest_parse(body, len, err);
	if (!doc)
		return -1;
	if (check_document(doc, err) < 0)
		goto cleanup;
	if (opt->sha256_hex) {
		manifest_sha256_hex(body, len, hex);
		if (strcasecmp(hex, opt->sha256_hex)) {
			vc_fail(err, EX_DATAERR, "checksum mismatch: the file's SHA-256 is %s", hex);
			goto cleanup;
		}
	}
	if (opt->whsec_key &&
	    check_signature(body, len, json_string_value(json_object_get(doc, "manifest_id")), opt,
			    err) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	json_decref(doc);
	return rc;
}
