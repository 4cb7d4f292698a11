/*
 * plan: from validated orders to routes. Groups the parcels into visits
 * (pkg/group), builds the matrices (pkg/geo) and the route problem, calls
 * route_solve (pkg/route), marks what could not be placed, and hands each
 * route to manifests.c.
 */
#include "nightly/job.h"
#include "group/group.h"
#include "log/log.h"
#include "roads/roads.h"
#include "route/route.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct plan_state {
	struct job_visits v;           /* groups, parcel_order, vehicle_courier */
	int32_t n_locs;
	int32_t *loc_point;            /* location -> point index (0: hub, -1) */
	struct job_roads rd;           /* profiles, reachability, matrices (roadmx.c) */
	struct route_profile profiles[4];
	int32_t *vehicle_profile;      /* route vehicle -> route profile */
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

/* Locations: 0 the hub, then each visited point once; the matrices per profile (roadmx.c). */
static int build_matrices(struct job *j, struct plan_state *s, struct vc_error *err)
{
	size_t v;
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
	return job_roads_matrices(j, &s->rd, s->n_locs, s->loc_point, err);
}

/* Skill bit k: the set k of route profiles (bit q: profile q) that reach a point. */
static route_skills vehicle_skills(int profile, int n_prof)
{
	route_skills sk = 0;
	unsigned k;
	for (k = 1; k < (1u << n_prof); k++)
		if (k & (1u << profile))
			sk |= (route_skills)1 << k;
	return sk;
}

/* Trips a courier may make: its own max_trips, else max_trips.PROFILE, else max_trips. */
static int32_t courier_trips(const struct job *j, const struct job_courier *k)
{
	char key[64];
	if (k->max_trips > 0)
		return k->max_trips;
	snprintf(key, sizeof(key), "max_trips.%s", roads_profile_name(k->profile));
	return (int32_t)config_int(j->cfg, config_is_set(j->cfg, key) ? key : "max_trips");
}

static void build_problem(struct job *j, struct plan_state *s, struct route_problem *pb)
{
	size_t v, c;
	int q;
	int64_t fixed = llround(config_double(j->cfg, "vehicle_fixed_cost_km") * 1000);
	int32_t unload = (int32_t)llround(config_double(j->cfg, "hub_unload_min") * 60);

	s->jobs = xcalloc(s->v.groups.n_visits + 1, sizeof(*s->jobs));
	for (v = 0; v < s->v.groups.n_visits; v++) {
		const struct group_visit *gv = &s->v.groups.visits[v];
		const struct job_point *p = &j->points[gv->point];
		s->jobs[v].loc = p->loc;
		memcpy(s->jobs[v].demand, gv->demand, sizeof(gv->demand));
		s->jobs[v].open = p->open_min * 60;
		s->jobs[v].close = p->close_min * 60;
		s->jobs[v].service = p->service_min * 60;
		/* Reached by only some profiles: only their vehicles may serve it. */
		if (s->rd.reach[gv->point] != (1u << s->rd.n_prof) - 1)
			s->jobs[v].skills = (route_skills)1 << s->rd.reach[gv->point];
	}
	s->vehicles = xcalloc(j->n_couriers + 1, sizeof(*s->vehicles));
	s->v.vehicle_courier = xcalloc(j->n_couriers + 1, sizeof(*s->v.vehicle_courier));
	s->vehicle_profile = xcalloc(j->n_couriers + 1, sizeof(*s->vehicle_profile));
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
		rv->profile = s->rd.route_prof[k->profile];
		rv->skills = vehicle_skills(rv->profile, s->rd.n_prof);
		rv->max_trips = courier_trips(j, k);
		rv->unload = unload;
		s->vehicle_profile[s->n_vehicles] = rv->profile;
		s->v.vehicle_courier[s->n_vehicles++] = (int)c;
	}
	for (q = 0; q < s->rd.n_prof; q++) {
		s->profiles[q].dist = s->rd.dist[q];
		s->profiles[q].time = s->rd.time[q];
	}
	s->v.n_locs = s->n_locs;
	s->v.dist = (const int32_t *const *)s->rd.dist;
	s->v.source = (const unsigned char *const *)s->rd.source;
	s->v.vehicle_profile = s->vehicle_profile;
	pb->n_locs = s->n_locs;
	pb->dist = s->rd.dist[0];
	pb->time = s->rd.time[0];
	pb->n_profiles = s->rd.n_prof;
	pb->profiles = s->profiles;
	pb->n_jobs = (int32_t)s->v.groups.n_visits;
	pb->jobs = s->jobs;
	pb->n_vehicles = s->n_vehicles;
	pb->vehicles = s->vehicles;
}

/* The route search's progress, passed on to the caller's display. */
static void search_progress(void *arg, const struct route_progress *p)
{
	job_progress(arg, STAGE_PLAN, p);
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
		.progress = j->req->progress ? search_progress : NULL,
		.progress_arg = j,
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
	/* Points no vehicle can reach by road are rejected before grouping. */
	if (job_roads_check(j, &s.rd, err) < 0)
		goto cleanup;
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
	job_roads_release(&s.rd);
	free(s.vehicle_profile);
	free(s.jobs);
	free(s.vehicles);
	free(s.v.vehicle_courier);
	return rc;
}
