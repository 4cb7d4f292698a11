/*
 * roadmx: the road side of a hub's plan. Each distinct vehicle profile of
 * the fleet becomes one route profile with its own distance and time
 * matrices: road legs from the loaded network (pkg/roads stored them),
 * an imported matrix (`import matrix`) winning for its pairs, and the
 * great-circle estimate only for a hub that is on no network. A point no
 * vehicle of the fleet can reach by road and come back from (no road
 * within road_snap_max_m, an island, a one-way trap) has its orders
 * rejected with the reason; a point only some profiles reach gets a
 * skill only those vehicles have (pkg/route skills), so the planner never
 * sends another vehicle there.
 */
#include "nightly/job.h"
#include "geo/geo.h"
#include "log/log.h"
#include "roads/roads.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/*
 * A pair with no road path: far beyond any shift and any max_km, so that
 * the planner treats it as impossible, and small enough that sums of a
 * few stay far from overflowing int32.
 */
#define NO_PATH_M 100000000
#define NO_PATH_S 10000000

const char *job_source_name(int src)
{
	switch (src) {
	case JOB_SRC_ROAD: return "road";
	case JOB_SRC_MATRIX: return "matrix";
	default: return "estimate";
	}
}

static int cmp_code(const void *a, const void *b, void *ctx)
{
	const struct job *j = ctx;
	return strcmp(j->points[*(const int32_t *)a].code, j->points[*(const int32_t *)b].code);
}

/* Point index of a code, -1 when not a point of this job. */
static int32_t point_of(const struct job *j, const struct job_roads *rd, const char *code)
{
	size_t lo = 0, hi = j->n_points;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(j->points[rd->by_code[mid]].code, code);
		if (!c)
			return rd->by_code[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* -1 for the hub, a point index, or -2 when the code is neither. */
static int32_t place_of(const struct job *j, const struct job_roads *rd, const char *code)
{
	int32_t p;
	if (!strcmp(code, j->hub.code))
		return -1;
	p = point_of(j, rd, code);
	return p >= 0 ? p : -2;
}

/* Route profile of a stored profile name ('' in an imported matrix: every one, -2). */
static int route_profile(const struct job_roads *rd, const char *name)
{
	int p;
	if (!*name)
		return -2;
	p = roads_profile_parse(name);
	return p >= 0 ? rd->route_prof[p] : -1;
}

/* Why no vehicle reaches point p (for the rejection): the nearest road, or no path. */
static const char *unreachable_reason(struct job *j, const struct job_roads *rd, int32_t p)
{
	double snap = -1, max_m = config_double(j->cfg, "road_snap_max_m");
	int row, on_road = 0;
	for (row = 0; row < PQntuples(j->snaps_res); row++) {
		int q = route_profile(rd, PQgetvalue(j->snaps_res, row, 0));
		double m = atof(PQgetvalue(j->snaps_res, row, 4));
		if (q < 0 || strcmp(PQgetvalue(j->snaps_res, row, 1), "point") ||
		    strcmp(PQgetvalue(j->snaps_res, row, 2), j->points[p].code))
			continue;
		on_road |= PQgetvalue(j->snaps_res, row, 3)[0] == 't';
		if (m >= 0 && (snap < 0 || m < snap))
			snap = m;
	}
	if (on_road)
		return job_strdupf(j, "point %s (%.0f m from the road) cannot be reached by road from"
				   " hub %s and back by any courier of the hub", j->points[p].code,
				   snap, j->hub.code);
	if (snap >= 0)
		return job_strdupf(j, "point %s is %.0f m from the nearest road its couriers may use"
				   " (road_snap_max_m %.0f)", j->points[p].code, snap, max_m);
	return job_strdupf(j, "point %s: no road its couriers may use in the loaded network",
			   j->points[p].code);
}

/* Mark hub -> point (there) and point -> hub (back) pairs of a result's rows per route profile. */
static void mark_pairs(const struct job *j, const struct job_roads *rd, const PGresult *res,
		       int cprof, int cfrom, int cto, unsigned char *there, unsigned char *back)
{
	int row;
	for (row = 0; row < PQntuples(res); row++) {
		int rq = route_profile(rd, PQgetvalue(res, row, cprof));
		unsigned char bits;
		int32_t a, b;
		if (rq == -1)
			continue;
		bits = (unsigned char)(rq == -2 ? (1u << rd->n_prof) - 1 : 1u << rq);
		a = place_of(j, rd, PQgetvalue(res, row, cfrom));
		b = place_of(j, rd, PQgetvalue(res, row, cto));
		if (a == -1 && b >= 0)
			there[b] |= bits;
		if (b == -1 && a >= 0)
			back[a] |= bits;
	}
}

/* Reachability per point: road legs there and back, or imported pairs. */
static void compute_reach(struct job *j, struct job_roads *rd)
{
	unsigned char *there = xcalloc(j->n_points + 1, 1), *back = xcalloc(j->n_points + 1, 1);
	size_t p;
	mark_pairs(j, rd, j->legs_res, 0, 1, 2, there, back);
	mark_pairs(j, rd, j->road_res, 4, 0, 1, there, back);
	for (p = 0; p < j->n_points; p++)
		rd->reach[p] = there[p] & back[p];
	free(there);
	free(back);
}

int job_roads_check(struct job *j, struct job_roads *rd, struct vc_error *err)
{
	size_t c, i, p;
	int row, q;
	memset(rd, 0, sizeof(*rd));
	for (q = 0; q < ROADS_N_PROFILES; q++)
		rd->route_prof[q] = -1;
	for (c = 0; c < j->n_couriers; c++) {
		int pr = j->couriers[c].profile;
		if (!j->couriers[c].in_fleet || rd->route_prof[pr] >= 0)
			continue;
		rd->route_prof[pr] = rd->n_prof;
		rd->roads_prof[rd->n_prof++] = pr;
	}
	if (!rd->n_prof) { /* no vehicle: one profile, nothing will be routed */
		rd->route_prof[ROADS_VAN] = 0;
		rd->roads_prof[rd->n_prof++] = ROADS_VAN;
	}
	rd->by_code = xcalloc(j->n_points + 1, sizeof(*rd->by_code));
	for (p = 0; p < j->n_points; p++)
		rd->by_code[p] = (int32_t)p;
	qsort_r(rd->by_code, j->n_points, sizeof(*rd->by_code), cmp_code, j);
	rd->reach = xcalloc(j->n_points + 1, 1);
	memset(rd->reach, (1 << rd->n_prof) - 1, j->n_points);
	/* The hub is on the network when it snapped to a road for one of the fleet's profiles. */
	for (row = 0; j->snaps_res && row < PQntuples(j->snaps_res); row++)
		rd->network |= !strcmp(PQgetvalue(j->snaps_res, row, 1), "hub") &&
			       PQgetvalue(j->snaps_res, row, 3)[0] == 't' &&
			       route_profile(rd, PQgetvalue(j->snaps_res, row, 0)) >= 0;
	if (j->road_version && !rd->network)
		log_event(LOG_WARN, "roads_off_network", "hub=%s network=%lld why=\"no road of its"
			  " couriers' profiles within road_snap_max_m: great-circle estimates\"",
			  j->hub.code, j->road_version);
	if (!rd->network)
		return 0;
	compute_reach(j, rd);
	for (i = 0; i < j->n_orders; i++) {
		struct job_order *o = &j->orders[i];
		if (o->state != ORDER_CLAIMED || rd->reach[o->point])
			continue;
		o->state = ORDER_REJECTED;
		o->reason = unreachable_reason(j, rd, o->point);
	}
	(void)err;
	return 0;
}

/* Set one pair of profile q's matrices. */
static void set_pair(struct job_roads *rd, int q, size_t at, double metres, double seconds, int src)
{
	rd->dist[q][at] = metres >= NO_PATH_M ? NO_PATH_M : (int32_t)(metres + 0.5);
	rd->time[q][at] = seconds >= NO_PATH_S ? NO_PATH_S : (int32_t)(seconds + 0.999);
	rd->source[q][at] = (unsigned char)src;
}

/* Location of a code in this plan (0 the hub), -1 when it is not visited. */
static int32_t loc_of(const struct job *j, const struct job_roads *rd, const char *code)
{
	int32_t p = place_of(j, rd, code);
	return p == -1 ? 0 : p >= 0 ? j->points[p].loc : -1;
}

int job_roads_matrices(struct job *j, struct job_roads *rd, int32_t n_locs,
		       const int32_t *loc_point, struct vc_error *err)
{
	struct geo_params par = { config_double(j->cfg, "circuity"), config_double(j->cfg, "speed_kmh") };
	size_t nn = (size_t)n_locs * (size_t)n_locs, i;
	struct geo_place *places = xcalloc((size_t)n_locs, sizeof(*places));
	int q, row, rc = -1;

	places[0] = (struct geo_place){ j->hub.lat, j->hub.lon };
	for (i = 1; i < (size_t)n_locs; i++)
		places[i] = (struct geo_place){ j->points[loc_point[i]].lat, j->points[loc_point[i]].lon };
	for (q = 0; q < rd->n_prof; q++) {
		rd->dist[q] = xcalloc(nn, sizeof(int32_t));
		rd->time[q] = xcalloc(nn, sizeof(int32_t));
		rd->source[q] = xcalloc(nn, 1);
		if (rd->network) {
			/* On a network every pair is a road leg or impossible: never a straight line. */
			for (i = 0; i < nn; i++)
				set_pair(rd, q, i, NO_PATH_M, NO_PATH_S, JOB_SRC_NONE);
			for (i = 0; i < (size_t)n_locs; i++)
				set_pair(rd, q, i * (size_t)n_locs + i, 0, 0, JOB_SRC_ROAD);
		} else {
			if (geo_matrix(places, n_locs, &par, NULL, 0, rd->dist[q], rd->time[q], err) < 0)
				goto cleanup;
			memset(rd->source[q], JOB_SRC_ESTIMATE, nn);
		}
	}
	for (row = 0; rd->network && row < PQntuples(j->legs_res); row++) {
		int rq = route_profile(rd, PQgetvalue(j->legs_res, row, 0));
		int32_t a = loc_of(j, rd, PQgetvalue(j->legs_res, row, 1));
		int32_t b = loc_of(j, rd, PQgetvalue(j->legs_res, row, 2));
		if (rq >= 0 && a >= 0 && b >= 0)
			set_pair(rd, rq, (size_t)a * (size_t)n_locs + (size_t)b,
				 atof(PQgetvalue(j->legs_res, row, 3)),
				 atof(PQgetvalue(j->legs_res, row, 4)), JOB_SRC_ROAD);
	}
	/* An imported matrix wins; a profile's own rows over the rows for every profile. */
	for (int pass = 0; pass < 2; pass++) {
		for (row = 0; row < PQntuples(j->road_res); row++) {
			int rq = route_profile(rd, PQgetvalue(j->road_res, row, 4));
			int32_t a = loc_of(j, rd, PQgetvalue(j->road_res, row, 0));
			int32_t b = loc_of(j, rd, PQgetvalue(j->road_res, row, 1));
			double km = atof(PQgetvalue(j->road_res, row, 2));
			double min = atof(PQgetvalue(j->road_res, row, 3));
			if (a < 0 || b < 0 || (pass == 0) != (rq == -2) || rq == -1)
				continue;
			for (q = 0; q < rd->n_prof; q++) {
				if (rq >= 0 && rq != q)
					continue;
				/* No duration: at the profile's estimate speed, like the estimate. */
				set_pair(rd, q, (size_t)a * (size_t)n_locs + (size_t)b, km * 1000,
					 min >= 0 ? min * 60 : km * 3600 / par.speed_kmh, JOB_SRC_MATRIX);
			}
		}
	}
	rc = 0;
cleanup:
	free(places);
	return rc;
}

void job_roads_release(struct job_roads *rd)
{
	int q;
	for (q = 0; q < 4; q++) {
		free(rd->dist[q]);
		free(rd->time[q]);
		free(rd->source[q]);
	}
	free(rd->reach);
	free(rd->by_code);
	memset(rd, 0, sizeof(*rd));
}
