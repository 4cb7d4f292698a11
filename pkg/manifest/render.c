/*
 * manifest render: the canonical JSON bytes of SPEC section 6 with jansson.
 * Keys are inserted in one fixed order and dumped with JSON_PRESERVE_ORDER,
 * so the same input always gives the same bytes (and the same checksum).
 * Weights and volumes are rounded to whole grams / 0.1 litres first and the
 * totals are sums of those integers, so a verifier recomputing them from
 * the printed parcels finds exactly the printed totals.
 */
#include "manifest/manifest.h"
#include "manifest/manifest_internal.h"
#include "util/hhmm.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long long scaled(double v, double scale)
{
	return llround(v * scale);
}

static double rounded(double v, double scale)
{
	return scaled(v, scale) / scale;
}

static json_t *place_json(const struct manifest_place *p)
{
	return json_pack("{s:s, s:s, s:f, s:f}", "code", p->code, "name", p->name,
			 "lat", p->lat, "lon", p->lon);
}

static json_t *hhmm_json(int minutes)
{
	char s[6];
	vc_hhmm_format(minutes, s);
	return json_string(s);
}

void manifest_totals(const struct manifest_input *in, struct manifest_totals *t)
{
	size_t i, j;
	long long g = 0, v = 0;
	size_t parcels = 0;

	t->stops = 0;
	for (i = 0; i < in->n_stops; i++) {
		const struct manifest_stop *s = &in->stops[i];
		t->stops += !s->unload;
		for (j = 0; j < s->n_parcels; j++) {
			g += scaled(s->parcels[j].weight_kg, MANIFEST_KG_SCALE);
			v += scaled(s->parcels[j].volume_m3, MANIFEST_M3_SCALE);
		}
		parcels += s->n_parcels;
	}
	t->parcels = parcels;
	t->weight_kg = g / MANIFEST_KG_SCALE;
	t->volume_m3 = v / MANIFEST_M3_SCALE;
}

/* jansson returns NULL for a string that is not UTF-8: remember it. */
static void put(json_t *obj, const char *key, json_t *value, int *bad)
{
	if (!value)
		*bad = 1;
	else
		json_object_set_new(obj, key, value);
}

static void append(json_t *arr, json_t *value, int *bad)
{
	if (!value)
		*bad = 1;
	else
		json_array_append_new(arr, value);
}

/* A return to the hub between two trips: where, when, until when, how far. */
static json_t *unload_json(const struct manifest_stop *s, size_t seq, int *bad)
{
	json_t *stop = json_object();
	put(stop, "seq", json_integer((json_int_t)seq), bad);
	put(stop, "kind", json_string("unload"), bad);
	put(stop, "trip", json_integer(s->trip), bad);
	put(stop, "point", place_json(&s->point), bad);
	put(stop, "eta", hhmm_json(s->eta_min), bad);
	put(stop, "leaves", hhmm_json(s->leaves_min), bad);
	put(stop, "leg_km", json_real(rounded(s->leg_km, 1000.0)), bad);
	return stop;
}

static json_t *stop_json(const struct manifest_stop *s, size_t seq, int *bad)
{
	json_t *parcels = json_array(), *stop;
	long long g = 0, v = 0;
	size_t j;

	for (j = 0; j < s->n_parcels; j++) {
		const struct manifest_parcel *p = &s->parcels[j];
		long long pg = scaled(p->weight_kg, MANIFEST_KG_SCALE);
		long long pv = scaled(p->volume_m3, MANIFEST_M3_SCALE);
		g += pg;
		v += pv;
		append(parcels,
			json_pack("{s:s, s:f, s:f, s:s}", "order_ref", p->order_ref,
				  "weight_kg", pg / MANIFEST_KG_SCALE,
				  "volume_m3", pv / MANIFEST_M3_SCALE,
				  "seller", p->seller ? p->seller : ""), bad);
	}
	stop = json_object();
	put(stop, "seq", json_integer((json_int_t)seq), bad);
	if (s->trip > 0)
		put(stop, "trip", json_integer(s->trip), bad);
	put(stop, "point", place_json(&s->point), bad);
	put(stop, "window",
	    json_pack("[o, o]", hhmm_json(s->open_min), hhmm_json(s->close_min)), bad);
	put(stop, "eta", hhmm_json(s->eta_min), bad);
	put(stop, "parcels", parcels, bad);
	put(stop, "weight_kg", json_real(g / MANIFEST_KG_SCALE), bad);
	put(stop, "volume_m3", json_real(v / MANIFEST_M3_SCALE), bad);
	put(stop, "leg_km", json_real(rounded(s->leg_km, 1000.0)), bad);
	return stop;
}

static int check_input(const struct manifest_input *in, struct vc_error *err)
{
	size_t i, j;
	if (!in->manifest_id || !in->service_date || !in->hub.code || !in->hub.name ||
	    !in->courier_code || !in->courier_name || (in->n_stops && !in->stops))
		return vc_fail(err, EX_SOFTWARE, "manifest: missing field in input");
	for (i = 0; i < in->n_stops; i++) {
		const struct manifest_stop *s = &in->stops[i];
		if (!s->point.code || !s->point.name || (s->n_parcels && !s->parcels))
			return vc_fail(err, EX_SOFTWARE, "manifest %s: stop %zu incomplete",
				       in->manifest_id, i + 1);
		for (j = 0; j < s->n_parcels; j++)
			if (!s->parcels[j].order_ref || !isfinite(s->parcels[j].weight_kg) ||
			    !isfinite(s->parcels[j].volume_m3))
				return vc_fail(err, EX_SOFTWARE,
					       "manifest %s: stop %zu parcel %zu incomplete",
					       in->manifest_id, i + 1, j + 1);
	}
	return 0;
}

int manifest_render(const struct manifest_input *in, struct strbuf *out, struct vc_error *err)
{
	struct manifest_totals t;
	json_t *doc = NULL, *stops;
	char *text = NULL;
	size_t i, trips;
	int rc = -1, bad = 0;

	if (check_input(in, err) < 0)
		return -1;
	manifest_totals(in, &t);
	stops = json_array();
	for (i = 0; i < in->n_stops; i++)
		append(stops, in->stops[i].unload ? unload_json(&in->stops[i], i + 1, &bad)
						  : stop_json(&in->stops[i], i + 1, &bad), &bad);

	doc = json_object();
	put(doc, "manifest_id", json_string(in->manifest_id), &bad);
	put(doc, "version", json_integer(in->version), &bad);
	put(doc, "replaces", in->replaces ? json_string(in->replaces) : json_null(), &bad);
	put(doc, "run_id", json_integer(in->run_id), &bad);
	put(doc, "service_date", json_string(in->service_date), &bad);
	put(doc, "hub", place_json(&in->hub), &bad);
	put(doc, "courier",
	    json_pack("{s:s, s:s}", "code", in->courier_code, "name", in->courier_name), &bad);
	put(doc, "vehicle",
	    json_pack("{s:f, s:f}", "capacity_kg", rounded(in->capacity_kg, MANIFEST_KG_SCALE),
		      "capacity_m3", rounded(in->capacity_m3, MANIFEST_M3_SCALE)), &bad);
	put(doc, "distance_source", json_string(in->distance_source ? in->distance_source : "estimate"),
	    &bad);
	put(doc, "stops", stops, &bad);
	put(doc, "totals",
	    json_pack("{s:I, s:I, s:f, s:f, s:f, s:i}", "stops", (json_int_t)t.stops,
		      "parcels", (json_int_t)t.parcels, "weight_kg", t.weight_kg,
		      "volume_m3", t.volume_m3, "distance_km", rounded(in->distance_km, 1000.0),
		      "duration_min", in->duration_min), &bad);
	/* a multi-trip route: how many trips (absent: one) */
	for (i = 0, trips = 1; i < in->n_stops; i++)
		trips += in->stops[i].unload != 0;
	if (trips > 1 && json_object_get(doc, "totals"))
		json_object_set_new(json_object_get(doc, "totals"), "trips", json_integer((json_int_t)trips));
	if (!bad)
		text = json_dumps(doc, MANIFEST_JSON_FLAGS);
	if (!text) {
		vc_fail(err, EX_DATAERR, "manifest %s: cannot encode (invalid UTF-8 in a name?)",
			in->manifest_id);
		goto cleanup;
	}
	strbuf_addstr(out, text);
	rc = 0;
cleanup:
	free(text);
	json_decref(doc);
	return rc;
}
