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
#include "db/db.h"
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

/*
 * What a hub's plan reads of its legs and of an imported matrix. Both are
 * up to (points + 1)^2 rows per profile, so they are streamed (job_stream)
 * and decoded batch by batch, never held whole: the check reads only the
 * pairs with the hub at one end (reachability), the matrices read every
 * pair once the plan's locations are known, straight into the arrays.
 * $1 hub code, $2 network version; legs columns profile, from, to, metres, seconds.
 */
#define LEGS_SQL \
	"SELECT profile, from_code, to_code, metres, seconds FROM road_legs" \
	" WHERE hub_code = $1 AND network_version = $2::bigint AND metres IS NOT NULL"
static const char reach_legs_sql[] = LEGS_SQL " AND $1 IN (from_code, to_code)";
static const char legs_sql[] = LEGS_SQL;

/* $1 hub id, $2 hub code (reach) or whether the rows for every profile (''): columns as legs. */
#define MATRIX_SQL \
	"WITH places AS (SELECT code FROM hubs WHERE id = $1" \
	"                UNION SELECT code FROM points WHERE hub_id = $1)" \
	" SELECT r.profile, r.from_code, r.to_code, r.distance_km, coalesce(r.duration_min, -1)" \
	" FROM road_matrix r WHERE r.from_code IN (SELECT code FROM places)" \
	" AND r.to_code IN (SELECT code FROM places)"
static const char reach_matrix_sql[] = MATRIX_SQL " AND $2 IN (r.from_code, r.to_code)";
static const char matrix_sql[] = MATRIX_SQL " AND (r.profile = '') = $2::boolean";

/* Stream one of the queries above into fn; arg2 the second parameter (a version, a code, a bool). */
static int stream_pairs(struct job *j, const char *cursor, const char *sql, int by_code,
			const char *arg2, db_batch_fn fn, void *ctx, struct vc_error *err)
{
	char hub[DB_ID_LEN];
	const char *params[2] = { by_code ? j->hub.code : db_id(hub, j->hub.id), arg2 };
	return job_stream(j, cursor, sql, 2, params, fn, ctx, err);
}

/* The reachability pass: hub -> point (there) and point -> hub (back) bits per point. */
struct reach_state {
	const struct job *j;
	const struct job_roads *rd;
	unsigned char *there, *back;
};

static int reach_batch(PGresult *res, void *ctx, struct vc_error *err)
{
	struct reach_state *st = ctx;
	int row;
	for (row = 0; row < PQntuples(res); row++) {
		int rq = route_profile(st->rd, PQgetvalue(res, row, 0));
		unsigned char bits;
		int32_t a, b;
		if (rq == -1)
			continue;
		bits = (unsigned char)(rq == -2 ? (1u << st->rd->n_prof) - 1 : 1u << rq);
		a = place_of(st->j, st->rd, PQgetvalue(res, row, 1));
		b = place_of(st->j, st->rd, PQgetvalue(res, row, 2));
		if (a == -1 && b >= 0)
			st->there[b] |= bits;
		if (b == -1 && a >= 0)
			st->back[a] |= bits;
	}
	(void)err;
	return 0;
}

/* Reachability per point: road legs there and back, or imported pairs. */
static int compute_reach(struct job *j, struct job_roads *rd, struct vc_error *err)
{
	struct reach_state st = { j, rd, xcalloc(j->n_points + 1, 1), xcalloc(j->n_points + 1, 1) };
	char ver[DB_ID_LEN];
	size_t p;
	int rc = -1;
	if (stream_pairs(j, "vc_reach_legs", reach_legs_sql, 1, db_id(ver, j->road_version),
			 reach_batch, &st, err) < 0 ||
	    stream_pairs(j, "vc_reach_matrix", reach_matrix_sql, 0, j->hub.code, reach_batch, &st,
			 err) < 0)
		goto cleanup;
	for (p = 0; p < j->n_points; p++)
		rd->reach[p] = st.there[p] & st.back[p];
	rc = 0;
cleanup:
	free(st.there);
	free(st.back);
	return rc;
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
	if (compute_reach(j, rd, err) < 0)
		return -1;
	for (i = 0; i < j->n_orders; i++) {
		struct job_order *o = &j->orders[i];
		if (o->state != ORDER_CLAIMED || rd->reach[o->point])
			continue;
		o->state = ORDER_REJECTED;
		o->reason = unreachable_reason(j, rd, o->point);
	}
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

/* The matrices pass: each row of a batch set for its profile (or every one, ''). */
struct matrix_state {
	const struct job *j;
	struct job_roads *rd;
	int32_t n_locs;
	double speed_kmh;
	int source;                /* JOB_SRC_ROAD (legs: metres, seconds) or _MATRIX (km, min) */
};

static int matrix_batch(PGresult *res, void *ctx, struct vc_error *err)
{
	struct matrix_state *ms = ctx;
	int row, q;
	for (row = 0; row < PQntuples(res); row++) {
		int rq = route_profile(ms->rd, PQgetvalue(res, row, 0));
		int32_t a = loc_of(ms->j, ms->rd, PQgetvalue(res, row, 1));
		int32_t b = loc_of(ms->j, ms->rd, PQgetvalue(res, row, 2));
		double d = atof(PQgetvalue(res, row, 3)), t = atof(PQgetvalue(res, row, 4));
		size_t at = (size_t)a * (size_t)ms->n_locs + (size_t)b;
		if (a < 0 || b < 0 || rq == -1)
			continue;
		if (ms->source == JOB_SRC_MATRIX) {
			/* No duration: at the profile's estimate speed, like the estimate. */
			t = t >= 0 ? t * 60 : d * 3600 / ms->speed_kmh;
			d *= 1000;
		}
		for (q = 0; q < ms->rd->n_prof; q++)
			if (rq == -2 || rq == q)
				set_pair(ms->rd, q, at, d, t, ms->source);
	}
	(void)err;
	return 0;
}

int job_roads_matrices(struct job *j, struct job_roads *rd, int32_t n_locs,
		       const int32_t *loc_point, struct vc_error *err)
{
	struct geo_params par = { config_double(j->cfg, "circuity"), config_double(j->cfg, "speed_kmh") };
	struct matrix_state ms = { j, rd, n_locs, par.speed_kmh, JOB_SRC_ROAD };
	size_t nn = (size_t)n_locs * (size_t)n_locs, i;
	struct geo_place *places = xcalloc((size_t)n_locs, sizeof(*places));
	char ver[DB_ID_LEN];
	int q, rc = -1;

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
	/* Road legs, then an imported matrix over them: the rows for every
	 * profile first, then a profile's own rows, which win. */
	if (rd->network && stream_pairs(j, "vc_legs", legs_sql, 1, db_id(ver, j->road_version),
					matrix_batch, &ms, err) < 0)
		goto cleanup;
	ms.source = JOB_SRC_MATRIX;
	if (stream_pairs(j, "vc_matrix_all", matrix_sql, 0, "true", matrix_batch, &ms, err) < 0 ||
	    stream_pairs(j, "vc_matrix_own", matrix_sql, 0, "false", matrix_batch, &ms, err) < 0)
		goto cleanup;
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
