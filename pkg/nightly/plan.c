/*
 * plan: from validated orders to routes. Groups the parcels into visits
 * (pkg/group), builds the matrices (pkg/geo) and the route problem, calls
 * route_solve (pkg/route), marks what could not be placed, and hands each
 * route to manifests.c.
 */
#include "nightly/job.h"
#include "geo/geo.h"
#include "group/group.h"
#include "log/log.h"
#include "route/route.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct plan_state {
	struct job_visits v;           /* groups, parcel_order, vehicle_courier */
	int32_t n_locs;
	int32_t *loc_point;            /* location -> point index (0: hub, -1) */
	int32_t *dist, *time;
	struct route_job *jobs;
	struct route_vehicle *vehicles;
	int32_t n_vehicles;
	struct route_plan plan;
};

static void reference_capacity(const struct job *j, int64_t cap[2])
{
	size_t c;
	int any_fleet = 0;
	cap[0] = cap[1] = 0;
	for (c = 0; c < j->n_couriers; c++)
		any_fleet |= j->couriers[c].in_fleet;
	/* The vehicle with the most kg (then m3): a visit must fit one real vehicle. */
	for (c = 0; c < j->n_couriers; c++) {
		const int64_t *k = j->couriers[c].capacity;
		if (any_fleet && !j->couriers[c].in_fleet)
			continue;
		if (k[0] > cap[0] || (k[0] == cap[0] && k[1] > cap[1])) {
			cap[0] = k[0];
			cap[1] = k[1];
		}
	}
}

static void group_valid_orders(struct job *j, struct plan_state *s)
{
	struct group_parcel *parcels = xcalloc(j->n_orders ? j->n_orders : 1, sizeof(*parcels));
	size_t i, n = 0;
	int64_t cap[2];
	s->v.parcel_order = xcalloc(j->n_orders ? j->n_orders : 1, sizeof(*s->v.parcel_order));
	for (i = 0; i < j->n_orders; i++) {
		if (j->orders[i].state != ORDER_CLAIMED)
			continue;
		parcels[n].point = j->orders[i].point;
		memcpy(parcels[n].demand, j->orders[i].demand, sizeof(parcels[n].demand));
		s->v.parcel_order[n++] = i;
	}
	reference_capacity(j, cap);
	group_parcels(parcels, n, cap, &s->v.groups);
	free(parcels);
}

static int cmp_code(const void *a, const void *b, void *ctx)
{
	const struct job *j = ctx;
	return strcmp(j->points[*(const int32_t *)a].code, j->points[*(const int32_t *)b].code);
}

/* Location of a road matrix code: 0 for the hub, a visited point's loc, else -1. */
static int32_t loc_of_code(const struct job *j, const int32_t *by_code, const char *code)
{
	size_t lo = 0, hi = j->n_points;
	if (!strcmp(code, j->hub.code))
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(j->points[by_code[mid]].code, code);
		if (!c)
			return j->points[by_code[mid]].loc;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int build_matrices(struct job *j, struct plan_state *s, struct vc_error *err)
{
	struct geo_params par = {
		config_double(j->cfg, "circuity"),
		config_double(j->cfg, "speed_kmh"),
	};
	struct geo_place *places;
	struct geo_override *road;
	int32_t *by_code = xcalloc(j->n_points ? j->n_points : 1, sizeof(*by_code));
	size_t v, i, n_road = 0, nn;
	int rc;

	s->loc_point = xcalloc(s->v.groups.n_visits + 1, sizeof(*s->loc_point));
	s->loc_point[0] = -1;
	s->n_locs = 1;
	for (v = 0; v < s->v.groups.n_visits; v++) {
		struct job_point *p = &j->points[s->v.groups.visits[v].point];
		if (p->loc < 0) {
			p->loc = s->n_locs++;
			s->loc_point[p->loc] = s->v.groups.visits[v].point;
		}
	}
	places = xcalloc((size_t)s->n_locs, sizeof(*places));
	places[0].lat = j->hub.lat;
	places[0].lon = j->hub.lon;
	for (i = 1; i < (size_t)s->n_locs; i++) {
		places[i].lat = j->points[s->loc_point[i]].lat;
		places[i].lon = j->points[s->loc_point[i]].lon;
	}
	for (i = 0; i < j->n_points; i++)
		by_code[i] = (int32_t)i;
	qsort_r(by_code, j->n_points, sizeof(*by_code), cmp_code, j);
	road = xcalloc((size_t)PQntuples(j->road_res) + 1, sizeof(*road));
	for (i = 0; i < (size_t)PQntuples(j->road_res); i++) {
		int row = (int)i;
		struct geo_override *o = &road[n_road];
		o->from = loc_of_code(j, by_code, PQgetvalue(j->road_res, row, 0));
		o->to = loc_of_code(j, by_code, PQgetvalue(j->road_res, row, 1));
		o->distance_km = atof(PQgetvalue(j->road_res, row, 2));
		o->duration_min = atof(PQgetvalue(j->road_res, row, 3));
		n_road += o->from >= 0 && o->to >= 0;
	}
	nn = (size_t)s->n_locs * (size_t)s->n_locs;
	s->dist = xcalloc(nn, sizeof(*s->dist));
	s->time = xcalloc(nn, sizeof(*s->time));
	rc = geo_matrix(places, s->n_locs, &par, road, n_road, s->dist, s->time, err);
	free(places);
	free(road);
	free(by_code);
	return rc;
}

static void build_problem(struct job *j, struct plan_state *s, struct route_problem *pb)
{
	size_t v, c;
	int64_t fixed = llround(config_double(j->cfg, "vehicle_fixed_cost_km") * 1000);

	s->jobs = xcalloc(s->v.groups.n_visits + 1, sizeof(*s->jobs));
	for (v = 0; v < s->v.groups.n_visits; v++) {
		const struct group_visit *gv = &s->v.groups.visits[v];
		const struct job_point *p = &j->points[gv->point];
		s->jobs[v].loc = p->loc;
		memcpy(s->jobs[v].demand, gv->demand, sizeof(gv->demand));
		s->jobs[v].open = p->open_min * 60;
		s->jobs[v].close = p->close_min * 60;
		s->jobs[v].service = p->service_min * 60;
	}
	s->vehicles = xcalloc(j->n_couriers + 1, sizeof(*s->vehicles));
	s->v.vehicle_courier = xcalloc(j->n_couriers + 1, sizeof(*s->v.vehicle_courier));
	for (c = 0; c < j->n_couriers; c++) {
		const struct job_courier *k = &j->couriers[c];
		struct route_vehicle *rv = &s->vehicles[s->n_vehicles];
		if (!k->in_fleet)
			continue;
		memcpy(rv->capacity, k->capacity, sizeof(k->capacity));
		rv->shift_start = k->shift_start_min * 60;
		rv->shift_end = k->shift_end_min * 60;
		rv->max_distance = k->max_km > 0 ? (int64_t)floor(k->max_km * 1000) : ROUTE_NO_LIMIT;
		rv->fixed_cost = fixed;
		s->v.vehicle_courier[s->n_vehicles++] = (int)c;
	}
	pb->n_locs = s->n_locs;
	pb->dist = s->dist;
	pb->time = s->time;
	pb->n_jobs = (int32_t)s->v.groups.n_visits;
	pb->jobs = s->jobs;
	pb->n_vehicles = s->n_vehicles;
	pb->vehicles = s->vehicles;
}

static int solve(struct job *j, struct plan_state *s, struct vc_error *err)
{
	struct route_problem pb = { 0 };
	/* neither plan_iterations nor plan_time_limit_s: the planner's default
	 * budget, which grows with the hub's stops (reproducible); a time
	 * limit alone is a time limit, not capped by a default iteration count */
	struct route_options opt = {
		.seed = (uint64_t)config_int(j->cfg, "plan_seed"),
		.iterations = config_int(j->cfg, "plan_iterations"),
		.time_limit_s = config_double(j->cfg, "plan_time_limit_s"),
		.threads = config_is_set(j->cfg, "plan_threads") ? (int)config_int(j->cfg, "plan_threads")
			   : j->req->plan_threads > 0 ? j->req->plan_threads
						      : (int)sysconf(_SC_NPROCESSORS_ONLN),
	};
	size_t u;
	build_problem(j, s, &pb);
	if (pb.n_jobs == 0)
		return 0;
	if (pb.n_vehicles == 0) {
		const char *why = job_strdupf(j, "unassigned: no courier of hub %s is free on %s",
					      j->hub.code, j->req->service_date);
		for (u = 0; u < s->v.groups.n_visits; u++)
			job_mark_visit(j, &s->v, u, ORDER_UNASSIGNED, why, -1, 0);
		return 0;
	}
	if (route_solve(&pb, &opt, &s->plan, err) < 0)
		return -1;
	log_event(LOG_INFO, "plan", "hub=%s visits=%d vehicles=%d routes=%d unassigned_visits=%d"
		  " distance_m=%lld iterations=%lld threads=%d", j->hub.code, pb.n_jobs, pb.n_vehicles,
		  s->plan.n_routes, s->plan.n_unassigned, (long long)s->plan.distance,
		  (long long)s->plan.iterations, opt.threads);
	for (u = 0; u < (size_t)s->plan.n_unassigned; u++)
		job_mark_visit(j, &s->v, (size_t)s->plan.unassigned[u], ORDER_UNASSIGNED,
			   job_strdupf(j, "unassigned: %s", route_reason_text(s->plan.reasons[u])),
			   -1, 0);
	return 0;
}

int job_plan(struct job *j, struct vc_error *err)
{
	struct plan_state s;
	size_t r, i;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	group_valid_orders(j, &s);
	if (build_matrices(j, &s, err) < 0 || solve(j, &s, err) < 0)
		goto cleanup;
	for (r = 0; r < (size_t)s.plan.n_routes; r++)
		if (job_route_manifest(j, &s.v, &s.plan.routes[r], err) < 0)
			goto cleanup;
	if (j->req->mode == NIGHTLY_REPLAN && job_void_unused_live_manifests(j, err) < 0)
		goto cleanup;
	j->routed = j->rejected = j->unassigned = 0;
	for (i = 0; i < j->n_orders; i++) {
		j->routed += j->orders[i].state == ORDER_ROUTED;
		j->rejected += j->orders[i].state == ORDER_REJECTED;
		j->unassigned += j->orders[i].state == ORDER_UNASSIGNED;
	}
	rc = 0;
cleanup:
	route_plan_release(&s.plan);
	group_result_release(&s.v.groups);
	free(s.v.parcel_order);
	free(s.loc_point);
	free(s.dist);
	free(s.time);
	free(s.jobs);
	free(s.vehicles);
	free(s.v.vehicle_courier);
	return rc;
}
