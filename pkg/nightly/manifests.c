/*
 * manifests: a planned route into a manifest (pkg/manifest): its stops in
 * order with their parcels, ETAs (start of service) and totals, and for a
 * multi-trip route an unload stop at the hub between two trips, rendered
 * and hashed, its orders marked with the manifest and stop. A replan also
 * renders an empty new version for a courier whose live manifest got no
 * route, so that its system learns the old one is void.
 */
#include "nightly/job.h"
#include "manifest/manifest.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

void job_mark_visit(struct job *j, const struct job_visits *v, size_t visit,
		    enum job_order_state state, const char *reason, int manifest, int stop_seq)
{
	const struct group_visit *gv = &v->groups.visits[visit];
	size_t k;
	for (k = gv->first; k < gv->first + gv->count; k++) {
		struct job_order *o = &j->orders[v->parcel_order[v->groups.order[k]]];
		o->state = state;
		o->reason = reason;
		o->manifest = manifest;
		o->stop_seq = stop_seq;
	}
}

static struct job_manifest *new_manifest(struct job *j, int courier, struct vc_error *err)
{
	const struct job_courier *c = &j->couriers[courier];
	struct job_manifest *m;
	j->manifests = xrealloc(j->manifests, (j->n_manifests + 1) * sizeof(*j->manifests));
	m = &j->manifests[j->n_manifests++];
	memset(m, 0, sizeof(*m));
	strbuf_init(&m->body, 0);
	m->courier = courier;
	m->version = c->next_version;
	if (manifest_make_id(m->id, j->req->service_date, j->hub.code, c->code, m->version) < 0) {
		vc_fail(err, EX_SOFTWARE, "manifest id too long (hub %s, courier %s)", j->hub.code,
			c->code);
		return NULL;
	}
	return m;
}

static int render(struct job *j, struct job_manifest *m, const struct manifest_stop *stops,
		  size_t n_stops, const char *source, struct vc_error *err)
{
	const struct job_courier *c = &j->couriers[m->courier];
	struct manifest_input in = {
		.manifest_id = m->id,
		.version = m->version,
		.replaces = j->req->mode == NIGHTLY_REPLAN ? c->live_manifest : NULL,
		.run_id = j->run_id,
		.service_date = j->req->service_date,
		.hub = { j->hub.code, j->hub.name, j->hub.lat, j->hub.lon },
		.courier_code = c->code,
		.courier_name = c->name,
		.capacity_kg = c->capacity_kg,
		.capacity_m3 = c->capacity_m3,
		.stops = stops,
		.n_stops = n_stops,
		.distance_km = m->distance_km,
		.duration_min = m->duration_min,
		.distance_source = source,
	};
	if (manifest_render(&in, &m->body, err) < 0)
		return -1;
	manifest_sha256_hex(m->body.buf, m->body.len, m->sha256);
	return 0;
}

/* One route: its stops and parcels, the orders marked, the manifest rendered. */
int job_route_manifest(struct job *j, const struct job_visits *v, const struct route_route *r,
		       struct vc_error *err)
{
	struct job_manifest *m = new_manifest(j, v->vehicle_courier[r->vehicle], err);
	int mi;
	struct manifest_stop *stops;
	struct manifest_parcel *parcels;
	size_t n_parcels = 0, k, q, n_stops = 0;
	int32_t prof = v->vehicle_profile[r->vehicle], prev = 0;
	const int32_t *dist = v->dist[prof];
	const unsigned char *src = v->source[prof];
	int rc, weakest = JOB_SRC_MATRIX;

	if (!m)
		return -1;
	mi = (int)(m - j->manifests);
	stops = xcalloc((size_t)r->n_jobs + (size_t)r->n_trips + 1, sizeof(*stops));

	for (k = 0; k < (size_t)r->n_jobs; k++)
		n_parcels += v->groups.visits[r->jobs[k]].count;
	parcels = xcalloc(n_parcels + 1, sizeof(*parcels));
	n_parcels = 0;
	for (k = 0; k < (size_t)r->n_jobs; k++) {
		const struct group_visit *gv = &v->groups.visits[r->jobs[k]];
		const struct job_point *p = &j->points[gv->point];
		struct manifest_stop *st;
		if (k > 0 && r->trip[k] != r->trip[k - 1]) {
			/* back to the hub between two trips: unload, then out again */
			st = &stops[n_stops++];
			st->point = (struct manifest_place){ j->hub.code, j->hub.name, j->hub.lat, j->hub.lon };
			st->unload = 1;
			st->trip = r->trip[k - 1] + 1;
			st->eta_min = r->trip_back[r->trip[k - 1]] / 60;
			st->leaves_min = r->trip_depart[r->trip[k]] / 60;
			st->leg_km = dist[(size_t)prev * (size_t)v->n_locs] / 1000.0;
			if (src[(size_t)prev * (size_t)v->n_locs] < weakest)
				weakest = src[(size_t)prev * (size_t)v->n_locs];
			prev = 0;
		}
		st = &stops[n_stops++];
		st->trip = r->n_trips > 1 ? r->trip[k] + 1 : 0;
		st->point = (struct manifest_place){ p->code, p->name, p->lat, p->lon };
		st->open_min = p->open_min;
		st->close_min = p->close_min;
		st->eta_min = r->start[k] / 60;
		/* Legs from the matrix the vehicle drove on; the manifest says the weakest source. */
		st->leg_km = dist[(size_t)prev * (size_t)v->n_locs + (size_t)p->loc] / 1000.0;
		if (src[(size_t)prev * (size_t)v->n_locs + (size_t)p->loc] < weakest)
			weakest = src[(size_t)prev * (size_t)v->n_locs + (size_t)p->loc];
		prev = p->loc;
		st->parcels = &parcels[n_parcels];
		st->n_parcels = gv->count;
		for (q = gv->first; q < gv->first + gv->count; q++) {
			const struct job_order *o = &j->orders[v->parcel_order[v->groups.order[q]]];
			parcels[n_parcels++] = (struct manifest_parcel){ o->order_ref, o->weight_kg,
									 o->volume_m3, o->seller };
			m->weight_kg += o->weight_kg;
			m->volume_m3 += o->volume_m3;
		}
		job_mark_visit(j, v, (size_t)r->jobs[k], ORDER_ROUTED, NULL, mi, (int)n_stops);
	}
	m->stops = r->n_jobs;
	m->parcels = (int)n_parcels;
	m->distance_km = (double)r->distance / 1000.0;
	m->duration_min = (r->back - r->depart + 59) / 60;
	if (src[(size_t)prev * (size_t)v->n_locs] < weakest)
		weakest = src[(size_t)prev * (size_t)v->n_locs];
	rc = render(j, m, stops, n_stops, job_source_name(weakest), err);
	free(stops);
	free(parcels);
	return rc;
}

/* A replan's courier whose live manifest got no route: an empty new version voids it. */
int job_void_unused_live_manifests(struct job *j, struct vc_error *err)
{
	size_t c, m;
	for (c = 0; c < j->n_couriers; c++) {
		struct job_manifest *fresh;
		int used = 0;
		if (!j->couriers[c].in_fleet || !j->couriers[c].live_manifest)
			continue;
		for (m = 0; m < j->n_manifests; m++)
			used |= j->manifests[m].courier == (int)c;
		if (used)
			continue;
		if (!(fresh = new_manifest(j, (int)c, err)) || render(j, fresh, NULL, 0, NULL, err) < 0)
			return -1;
	}
	return 0;
}
