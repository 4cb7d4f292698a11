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
#include "route/problem_file.h"
#include "route/route.h"
#include "util/xalloc.h"

#include <ctype.h>
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
	struct skill_table skills;     /* the plan's feature skill bits (needs.c) */
	route_skills *visit_need;      /* per visit: feature bits it needs */
	const char **visit_skills;     /* per visit: their names (owned by the job) */
};

/* The vehicle with the most kg (then m3) among those that have every
 * skill in need (any, when none has): a visit must fit one real vehicle. */
static void reference_capacity(const struct job *j, route_skills need, int64_t cap[2])
{
	size_t c;
	int any_fleet = 0, any_skilled = 0;
	cap[0] = cap[1] = 0;
	for (c = 0; c < j->n_couriers; c++) {
		any_fleet |= j->couriers[c].in_fleet;
		any_skilled |= j->couriers[c].in_fleet && !(need & ~j->couriers[c].mask);
	}
	for (c = 0; c < j->n_couriers; c++) {
		const int64_t *k = j->couriers[c].capacity;
		if (any_fleet && !j->couriers[c].in_fleet)
			continue;
		if (any_skilled && (need & ~j->couriers[c].mask))
			continue;
		if (k[0] > cap[0] || (k[0] == cap[0] && k[1] > cap[1])) {
			cap[0] = k[0];
			cap[1] = k[1];
		}
	}
}

static int cmp_need(const void *a, const void *b)
{
	route_skills x = *(const route_skills *)a, y = *(const route_skills *)b;
	return (x > y) - (x < y);
}

/* Parcel indices by point, then need, then index. */
static int by_point_need(const void *a, const void *b, void *ctx)
{
	const struct group_parcel *p = ((void **)ctx)[0];
	const route_skills *need = ((void **)ctx)[1];
	size_t i = *(const size_t *)a, k = *(const size_t *)b;
	if (p[i].point != p[k].point)
		return p[i].point < p[k].point ? -1 : 1;
	if (need[i] != need[k])
		return need[i] < need[k] ? -1 : 1;
	return (i > k) - (i < k);
}

/*
 * One point's parcels sorted[0..n) (by need): the kind of parcel that
 * weighs most at the point takes the others whose needs are a subset of
 * its own (the village's few plain parcels ride on the cold van that
 * comes for its oranges) when all of it fits one such vehicle: one stop,
 * one service time, instead of two stops one after the other. Cold
 * parcels at a mostly plain point keep a visit of their own, so that the
 * cold van does not have to carry the whole village.
 */
static void merge_minor_needs(const struct job *j, const struct group_parcel *parcels,
			      const size_t *sorted, size_t n, route_skills *need)
{
	route_skills major = 0;
	int64_t best = -1, w = 0, sum[2] = { 0, 0 }, cap[2];
	size_t i;
	for (i = 0; i < n; i++) {
		w += parcels[sorted[i]].demand[0];
		if (i + 1 == n || need[sorted[i + 1]] != need[sorted[i]]) {
			if (w > best) {
				best = w;
				major = need[sorted[i]];
			}
			w = 0;
		}
	}
	if (!major || need[sorted[0]] == need[sorted[n - 1]])
		return; /* one kind, or plain parcels weigh most: nothing rides along */
	for (i = 0; i < n; i++)
		if (!(need[sorted[i]] & ~major)) {
			sum[0] += parcels[sorted[i]].demand[0];
			sum[1] += parcels[sorted[i]].demand[1];
		}
	reference_capacity(j, major, cap);
	if (sum[0] > cap[0] || sum[1] > cap[1])
		return;
	for (i = 0; i < n; i++)
		if (!(need[sorted[i]] & ~major))
			need[sorted[i]] = major;
}

/* Append group result r (over parcels sub[]) to out (over all parcels). */
static void append_groups(struct group_result *out, const struct group_result *r,
			  const size_t *sub, size_t n_sub)
{
	size_t v, k, base = 0;
	for (v = 0; v < out->n_visits; v++)
		base += out->visits[v].count;
	out->visits = xrealloc(out->visits, (out->n_visits + r->n_visits + 1) * sizeof(*out->visits));
	for (v = 0; v < r->n_visits; v++) {
		out->visits[out->n_visits + v] = r->visits[v];
		out->visits[out->n_visits + v].first += base;
	}
	out->n_visits += r->n_visits;
	for (k = 0; k < n_sub; k++)
		out->order[base + k] = sub[r->order[k]];
}

/*
 * Parcels into visits. Orders of one point that need different skills go
 * in different visits (docs/nightly.md: a cold visit takes a cold van, the
 * point's other parcels any vehicle), except that the lighter kinds ride
 * with the kind that weighs most when they can (merge_minor_needs); each
 * kind is packed for the largest vehicle that has its skills. Without
 * skills: one group_parcels call, the same visits as ever.
 */
static void group_valid_orders(struct job *j, struct plan_state *s)
{
	size_t cap_n = j->n_orders ? j->n_orders : 1;
	struct group_parcel *parcels = xcalloc(cap_n, sizeof(*parcels));
	struct group_parcel *part = xcalloc(cap_n, sizeof(*part));
	route_skills *need = xcalloc(cap_n, sizeof(*need)), *kinds = xcalloc(cap_n, sizeof(*kinds));
	size_t *sub = xcalloc(cap_n, sizeof(*sub));
	size_t i, n = 0, n_kinds = 0, k, m, v;
	int64_t cap[2];

	s->v.parcel_order = xcalloc(cap_n, sizeof(*s->v.parcel_order));
	for (i = 0; i < j->n_orders; i++) {
		if (j->orders[i].state != ORDER_CLAIMED)
			continue;
		parcels[n].point = j->orders[i].point;
		memcpy(parcels[n].demand, j->orders[i].demand, sizeof(parcels[n].demand));
		need[n] = j->orders[i].need;
		s->v.parcel_order[n++] = i;
	}
	for (i = 0; i < n; i++)
		sub[i] = i;
	{
		void *ctx[2] = { parcels, need };
		qsort_r(sub, n, sizeof(*sub), by_point_need, ctx);
	}
	for (i = 0; i < n; i = k) {
		for (k = i + 1; k < n && parcels[sub[k]].point == parcels[sub[i]].point; k++)
			;
		merge_minor_needs(j, parcels, sub + i, k - i, need);
	}
	memcpy(kinds, need, n * sizeof(*kinds));
	if (n)
		qsort(kinds, n, sizeof(*kinds), cmp_need);
	for (i = 0; i < n; i++)
		if (!i || kinds[i] != kinds[i - 1])
			kinds[n_kinds++] = kinds[i];
	memset(&s->v.groups, 0, sizeof(s->v.groups));
	s->v.groups.order = xcalloc(cap_n, sizeof(*s->v.groups.order));
	s->visit_need = xcalloc(n + 1, sizeof(*s->visit_need));
	for (k = 0; k < n_kinds; k++) {
		struct group_result r;
		size_t before = s->v.groups.n_visits;
		for (i = m = 0; i < n; i++)
			if (need[i] == kinds[k]) {
				part[m] = parcels[i];
				sub[m++] = i;
			}
		reference_capacity(j, kinds[k], cap);
		group_parcels(part, m, cap, &r);
		append_groups(&s->v.groups, &r, sub, m);
		group_result_release(&r);
		for (v = before; v < s->v.groups.n_visits; v++)
			s->visit_need[v] = kinds[k];
	}
	s->visit_skills = xcalloc(s->v.groups.n_visits + 1, sizeof(*s->visit_skills));
	for (v = 0; v < s->v.groups.n_visits; v++) {
		struct strbuf names = STRBUF_INIT;
		if (!s->visit_need[v]) {
			s->visit_skills[v] = "";
			continue;
		}
		skill_table_names(&s->skills, s->visit_need[v], ";", &names);
		s->visit_skills[v] = job_strdupf(j, "%s", names.buf);
		strbuf_release(&names);
	}
	s->v.visit_skills = s->visit_skills;
	free(parcels);
	free(part);
	free(need);
	free(kinds);
	free(sub);
}

/*
 * A point's service_min is the time of one stop there (find the shop,
 * load), not of a visit: two visits of one point one after the other on a
 * route (its cold parcels and its plain ones, both on the cold van) are
 * one stop. The planner adds a job's service at every job, so it would
 * count the stop twice and make every later ETA of the route late by it.
 * So the service goes into the time matrices instead, on each leg that
 * leaves the point for another place: time(a, b) += service(a) for a != b,
 * and the jobs' own service is 0. Arrivals, windows, shifts and returns
 * to the hub are what they were for single visits; a visit right after
 * another at the same point starts with it (time(a, a) stays 0). The
 * planner is unchanged, and its O(1) insertion checks stay exact
 * (docs/route.md, "Service time").
 */
static void fold_service(const struct job *j, struct plan_state *s)
{
	size_t n = (size_t)s->n_locs, a, b;
	int q;
	for (q = 0; q < s->rd.n_prof; q++)
		for (a = 1; a < n; a++) {
			int32_t service = j->points[s->loc_point[a]].service_min * 60;
			for (b = 0; service && b < n; b++)
				if (b != a)
					s->rd.time[q][a * n + b] += service;
		}
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
	if (job_roads_matrices(j, &s->rd, s->n_locs, s->loc_point, err) < 0)
		return -1;
	fold_service(j, s);
	return 0;
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
		s->jobs[v].service = 0; /* in the time matrices: fold_service */
		/* Reached by only some profiles: only their vehicles may serve it
		 * (pkg/skills keeps those bits apart from the feature skills). */
		s->jobs[v].skills = skills_reach_job(s->rd.reach[gv->point], s->rd.n_prof) |
				    s->visit_need[v];
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
		rv->skills = skills_reach_vehicle(rv->profile, s->rd.n_prof) | k->mask;
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

/* --dump-problem: the problem exactly as route_solve gets it, so that the
 * night can be planned again without the database (vcourier route
 * --problem). A diagnostic: when it cannot be written, the night goes on. */
static void dump_problem(struct job *j, const struct route_problem *pb)
{
	struct vc_error err = VC_ERROR_INIT;
	char code[128], *c, quoted[1100];
	const char *path;
	/* the hub code as a file name: anything but [A-Za-z0-9._-] becomes _ */
	snprintf(code, sizeof(code), "%s", j->hub.code);
	for (c = code; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
			*c = '_';
	path = job_strdupf(j, "%s/%s-%s%s.problem", j->req->dump_problem_dir, code, j->req->service_date,
			   j->req->mode == NIGHTLY_REPLAN ? "-replan" : "");
	if (route_problem_save(pb, path, &err) < 0)
		log_event(LOG_WARN, "dump_problem", "hub=%s error=%s", j->hub.code,
			  log_quote(quoted, sizeof(quoted), err.msg));
	else
		log_event(LOG_INFO, "dump_problem", "hub=%s path=%s", j->hub.code,
			  log_quote(quoted, sizeof(quoted), path));
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
	if (j->req->dump_problem_dir)
		dump_problem(j, &pb);
	if (route_solve(&pb, &opt, &s->plan, err) < 0)
		return -1;
	log_event(LOG_INFO, "plan", "hub=%s visits=%d vehicles=%d routes=%d unassigned_visits=%d"
		  " distance_m=%lld iterations=%lld threads=%d", j->hub.code, pb.n_jobs, pb.n_vehicles,
		  s->plan.n_routes, s->plan.n_unassigned, (long long)s->plan.distance,
		  (long long)s->plan.iterations, opt.threads);
	for (u = 0; u < (size_t)s->plan.n_unassigned; u++) {
		size_t visit = (size_t)s->plan.unassigned[u];
		const char *why = s->plan.reasons[u] == ROUTE_UNASSIGNED_SKILL
			? job_skills_reason(j, &s->skills, pb.jobs[visit].skills, pb.vehicles,
					    pb.n_vehicles, j->points[s->v.groups.visits[visit].point].code)
			: s->visit_need[visit] && s->plan.reasons[u] == ROUTE_UNASSIGNED_CAPACITY
			/* the vehicles that have the skills are all too small */
			? job_strdupf(j, "unassigned: heavier or bulkier than every vehicle with skills %s",
				      s->visit_skills[visit])
			: job_strdupf(j, "unassigned: %s", route_reason_text(s->plan.reasons[u]));
		job_mark_visit(j, &s->v, visit, ORDER_UNASSIGNED, why, -1, 0);
	}
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
	job_skills_prepare(j, &s.skills);
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
	free(s.visit_need);
	free(s.visit_skills);
	skill_table_release(&s.skills);
	return rc;
}
