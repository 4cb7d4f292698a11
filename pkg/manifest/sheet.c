/*
 * manifest sheet: the printable pick-up sheet of `manifest show`, rendered
 * from the manifest's JSON (the bytes the courier received), not from the
 * database, so the sheet and the manifest can never disagree. The JSON is
 * verified first: a sheet is never printed from a malformed manifest.
 */
#include "manifest/manifest.h"
#include "manifest/manifest_internal.h"

#include <jansson.h>

#include "util/json.h"

/* The getters html.c uses: util/json.h with "" and 0 as the defaults. */
const char *manifest_jstr(const json_t *obj, const char *key)
{
	return vc_json_str(obj, key, "");
}

double manifest_jnum(const json_t *obj, const char *key)
{
	return vc_json_num(obj, key);
}


int manifest_is_unload(const json_t *stop)
{
	return json_object_get(stop, "kind") != NULL;
}

/* A multi-trip route's return to the hub: a separator between two trips. */
static void add_unload(struct strbuf *out, json_t *stop)
{
	long long trip = (long long)json_integer_value(json_object_get(stop, "trip"));
	strbuf_addf(out, "\n%2lld. --- end of trip %lld: back at the hub %s, unload, trip %lld leaves %s"
			 "  leg %.1f km ---\n",
		    (long long)json_integer_value(json_object_get(stop, "seq")), trip,
		    vc_json_str(stop, "eta", ""), trip + 1, vc_json_str(stop, "leaves", ""),
		    vc_json_num(stop, "leg_km"));
}

static void add_stop(struct strbuf *out, json_t *stop)
{
	json_t *point = json_object_get(stop, "point"), *w = json_object_get(stop, "window");
	json_t *parcels = json_object_get(stop, "parcels"), *p;
	size_t i;

	strbuf_addf(out, "\n%2lld. %s  %s\n", (long long)json_integer_value(json_object_get(stop, "seq")),
		    vc_json_str(point, "code", ""), vc_json_str(point, "name", ""));
	strbuf_addf(out, "    window %s-%s  eta %s  parcels %zu  %.3f kg  %.4f m3  leg %.1f km\n",
		    json_string_value(json_array_get(w, 0)), json_string_value(json_array_get(w, 1)),
		    vc_json_str(stop, "eta", ""), json_array_size(parcels), vc_json_num(stop, "weight_kg"),
		    vc_json_num(stop, "volume_m3"), vc_json_num(stop, "leg_km"));
	json_array_foreach(parcels, i, p)
		strbuf_addf(out, "      [ ] %-24s %9.3f kg %8.4f m3  %s\n", vc_json_str(p, "order_ref", ""),
			    vc_json_num(p, "weight_kg"), vc_json_num(p, "volume_m3"), vc_json_str(p, "seller", ""));
}

int manifest_sheet(const char *json, size_t len, struct strbuf *out, struct vc_error *err)
{
	json_t *doc, *hub, *courier, *vehicle, *totals, *stops, *stop;
	size_t i;

	if (manifest_verify(json, len, NULL, err) < 0)
		return -1;
	doc = manifest_parse(json, len, err);
	if (!doc)
		return -1;
	hub = json_object_get(doc, "hub");
	courier = json_object_get(doc, "courier");
	vehicle = json_object_get(doc, "vehicle");
	totals = json_object_get(doc, "totals");
	stops = json_object_get(doc, "stops");

	strbuf_addf(out, "PICK-UP SHEET  %s  (version %lld%s%s)\n", vc_json_str(doc, "manifest_id", ""),
		    (long long)json_integer_value(json_object_get(doc, "version")),
		    json_is_string(json_object_get(doc, "replaces")) ? ", replaces " : "",
		    vc_json_str(doc, "replaces", ""));
	strbuf_addf(out, "date     %s   run %lld\n", vc_json_str(doc, "service_date", ""),
		    (long long)json_integer_value(json_object_get(doc, "run_id")));
	strbuf_addf(out, "hub      %s  %s\n", vc_json_str(hub, "code", ""), vc_json_str(hub, "name", ""));
	strbuf_addf(out, "courier  %s  %s   vehicle %.3f kg / %.4f m3\n", vc_json_str(courier, "code", ""),
		    vc_json_str(courier, "name", ""), vc_json_num(vehicle, "capacity_kg"), vc_json_num(vehicle, "capacity_m3"));
	strbuf_addf(out, "totals   %lld stops, %lld parcels, %.3f kg, %.4f m3, %.1f km (%s), %lld min\n",
		    (long long)json_integer_value(json_object_get(totals, "stops")),
		    (long long)json_integer_value(json_object_get(totals, "parcels")),
		    vc_json_num(totals, "weight_kg"), vc_json_num(totals, "volume_m3"), vc_json_num(totals, "distance_km"),
		    vc_json_str(doc, "distance_source", "estimate"),
		    (long long)json_integer_value(json_object_get(totals, "duration_min")));
	if (json_object_get(totals, "trips"))
		strbuf_addf(out, "trips    %lld (back to the hub to unload between them)\n\n--- trip 1 ---\n",
			    (long long)json_integer_value(json_object_get(totals, "trips")));
	json_array_foreach(stops, i, stop) {
		if (manifest_is_unload(stop))
			add_unload(out, stop);
		else
			add_stop(out, stop);
	}
	json_decref(doc);
	return 0;
}
