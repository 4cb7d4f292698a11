/*
 * solve: route_solve's front and back: checks the input, sets aside jobs
 * that no vehicle could serve even alone (with the reason), prepares the
 * model (vehicle classes, nearest-neighbour lists), runs the search and
 * turns the best solution into a route_plan.
 */
#include <stdlib.h>
#include <string.h>

#include "route/route_internal.h"
#include "util/clock.h"
#include "util/xalloc.h"

#define MAX_NEIGHBOURS 100
/* Bounds that keep every sum of the search inside int64_t: 10^15 grams is
 * a million tonnes, 10^12 a fixed cost of a million kilometres. */
#define MAX_QUANTITY 1000000000000000LL
#define MAX_FIXED_COST 1000000000000LL
#define MAX_JOBS 1000000
#define MAX_THREADS 256

#define MAX_PROFILES 1024

/* Profile p's matrices (p < 0 or no profiles: the default ones). */
static const int32_t *profile_dist(const struct route_problem *pb, int32_t p)
{
	return pb->n_profiles > 0 ? pb->profiles[p].dist : pb->dist;
}

static const int32_t *profile_time(const struct route_problem *pb, int32_t p)
{
	return pb->n_profiles > 0 ? pb->profiles[p].time : pb->time;
}

static int check_matrices(const struct route_problem *pb, struct vc_error *err)
{
	int64_t i, cells = (int64_t)pb->n_locs * pb->n_locs;
	int32_t p, n_prof = pb->n_profiles > 0 ? pb->n_profiles : 1;
	if (pb->n_profiles < 0 || pb->n_profiles > MAX_PROFILES || (pb->n_profiles && !pb->profiles))
		return vc_fail(err, EX_DATAERR, "route: bad profile count");
	for (p = 0; p < n_prof; p++) {
		const int32_t *d = profile_dist(pb, p), *t = profile_time(pb, p);
		if (!d)
			return vc_fail(err, EX_DATAERR, "route: profile %d has no distance matrix", p);
		if ((t != NULL) != (pb->time != NULL))
			return vc_fail(err, EX_DATAERR, "route: profile %d: a time matrix must be given "
				       "for every profile or for none", p);
		for (i = 0; i < cells; i++)
			if (d[i] < 0 || (t && t[i] < 0))
				return vc_fail(err, EX_DATAERR, "route: profile %d: negative distance or time "
					       "from %lld to %lld", p, (long long)(i / pb->n_locs),
					       (long long)(i % pb->n_locs));
	}
	return 0;
}

static int check_input(const struct route_problem *pb, struct vc_error *err)
{
	int64_t i;
	if (pb->n_locs < 1 || (!pb->dist && pb->n_profiles <= 0))
		return vc_fail(err, EX_DATAERR, "route: no locations or no distance matrix");
	if (pb->n_jobs < 0 || pb->n_vehicles < 0 || pb->n_jobs > MAX_JOBS || pb->n_vehicles > MAX_JOBS ||
	    (pb->n_jobs && !pb->jobs) ||
	    (pb->n_vehicles && !pb->vehicles))
		return vc_fail(err, EX_DATAERR, "route: bad job or vehicle count");
	if (check_matrices(pb, err) < 0)
		return -1;
	for (i = 0; i < pb->n_jobs; i++) {
		const struct route_job *j = &pb->jobs[i];
		if (j->loc < 1 || j->loc >= pb->n_locs)
			return vc_fail(err, EX_DATAERR, "route: job %lld: location %d out of range",
				       (long long)i, j->loc);
		if (j->demand[0] < 0 || j->demand[1] < 0 || j->service < 0 ||
		    j->demand[0] > MAX_QUANTITY || j->demand[1] > MAX_QUANTITY)
			return vc_fail(err, EX_DATAERR, "route: job %lld: negative or absurd demand or service time",
				       (long long)i);
		if (j->open > j->close)
			return vc_fail(err, EX_DATAERR, "route: job %lld: window closes before it opens",
				       (long long)i);
	}
	for (i = 0; i < pb->n_vehicles; i++) {
		const struct route_vehicle *v = &pb->vehicles[i];
		if (v->capacity[0] < 0 || v->capacity[1] < 0 || v->fixed_cost < 0 || v->max_distance < 0 ||
		    v->capacity[0] > MAX_QUANTITY || v->capacity[1] > MAX_QUANTITY ||
		    v->fixed_cost > MAX_FIXED_COST)
			return vc_fail(err, EX_DATAERR, "route: vehicle %lld: negative or absurd capacity, cost or distance",
				       (long long)i);
		if (v->shift_start > v->shift_end)
			return vc_fail(err, EX_DATAERR, "route: vehicle %lld: shift ends before it starts",
				       (long long)i);
		if (v->max_trips < 0 || v->max_trips > ROUTE_MAX_TRIPS || v->unload < 0)
			return vc_fail(err, EX_DATAERR, "route: vehicle %lld: max_trips must be from 0 to %d "
				       "and the unload time not negative", (long long)i, ROUTE_MAX_TRIPS);
		if (v->profile < 0 || v->profile >= (pb->n_profiles > 0 ? pb->n_profiles : 1))
			return vc_fail(err, EX_DATAERR, "route: vehicle %lld: profile %d out of range",
				       (long long)i, v->profile);
	}
	return 0;
}

/* Why job j cannot be served even alone, or 0 when some vehicle can. The
 * reason names the last test that every vehicle failed. */
static enum route_unassigned_reason alone_reason(const struct route_problem *pb, int32_t j)
{
	const struct route_job *jb = &pb->jobs[j];
	int skill_ok = 0, cap_ok = 0, time_ok = 0, v;
	int64_t out = jb->loc, back = (int64_t)jb->loc * pb->n_locs;
	for (v = 0; v < pb->n_vehicles; v++) {
		const struct route_vehicle *veh = &pb->vehicles[v];
		const int32_t *d = profile_dist(pb, veh->profile), *t = profile_time(pb, veh->profile);
		int64_t begin;
		if (jb->skills & ~veh->skills)
			continue;
		skill_ok = 1;
		if (jb->demand[0] > veh->capacity[0] || jb->demand[1] > veh->capacity[1])
			continue;
		cap_ok = 1;
		if (t) {
			begin = veh->shift_start + t[out] > jb->open ? veh->shift_start + t[out] : jb->open;
			if (begin > jb->close || begin + jb->service + t[back] > veh->shift_end)
				continue;
		}
		time_ok = 1;
		if (veh->max_distance == ROUTE_NO_LIMIT || (int64_t)d[out] + d[back] <= veh->max_distance)
			return 0;
	}
	if (!pb->n_vehicles)
		return ROUTE_UNASSIGNED_FLEET;
	return !skill_ok ? ROUTE_UNASSIGNED_SKILL : !cap_ok ? ROUTE_UNASSIGNED_CAPACITY
		: !time_ok ? ROUTE_UNASSIGNED_WINDOW : ROUTE_UNASSIGNED_DISTANCE;
}

static int same_vehicle(const struct route_vehicle *a, const struct route_vehicle *b)
{
	return a->capacity[0] == b->capacity[0] && a->capacity[1] == b->capacity[1] &&
	       a->shift_start == b->shift_start && a->shift_end == b->shift_end &&
	       a->max_distance == b->max_distance && a->fixed_cost == b->fixed_cost &&
	       a->profile == b->profile && a->skills == b->skills &&
	       (a->max_trips > 1 ? a->max_trips : 1) == (b->max_trips > 1 ? b->max_trips : 1) &&
	       a->unload == b->unload;
}

/* Nearest neighbours of every active job: a bounded max-heap of
 * (distance << 32 | job) keys keeps the MAX_NEIGHBOURS smallest, ties
 * broken by job index, in O(n log k) per job. */
static void heap_sift_down(uint64_t *h, int32_t n, int32_t i)
{
	for (;;) {
		int32_t l = 2 * i + 1, r = l + 1, big = i;
		uint64_t t;
		if (l < n && h[l] > h[big])
			big = l;
		if (r < n && h[r] > h[big])
			big = r;
		if (big == i)
			return;
		t = h[i];
		h[i] = h[big];
		h[big] = t;
		i = big;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* With time windows, nearness is the correlation of Vidal et al. (2013,
 * the HGS of PyVRP): the distance, plus a fifth of the wait and all of
 * the lateness that serving `b` right after `a` would cause, the better of
 * the two orders. Two stops next door whose windows are hours apart are
 * not neighbours for a ruin or an insertion. The time terms are turned
 * into distance units at the fleet's mean hub speed (VRPLIB's time is its
 * distance; a nightly problem's is seconds against metres). */
#define WAIT_WEIGHT_Q8 51   /* 0.2 */
#define LATE_WEIGHT_Q8 256  /* 1.0 */

static int64_t tw_gap(const struct model *m, int32_t a, int32_t b, int64_t speed_q16)
{
	const struct route_job *ja = &m->pb->jobs[a], *jb = &m->pb->jobs[b];
	int64_t t = m_vtime(m, 0, ja->loc, jb->loc) + ja->service;
	int64_t wait = (int64_t)jb->open - ja->close - t, late = (int64_t)ja->open + t - jb->close;
	int64_t g = (wait > 0 ? wait * WAIT_WEIGHT_Q8 : 0) + (late > 0 ? late * LATE_WEIGHT_Q8 : 0);
	return (g >> 8) * speed_q16 >> 16;
}

static int64_t nearness(const struct model *m, int32_t a, int32_t b, int64_t speed_q16)
{
	int32_t la = m->pb->jobs[a].loc, lb = m->pb->jobs[b].loc;
	int64_t d = (int64_t)m_dist(m, la, lb) + m_dist(m, lb, la), ab, ba;
	if (!m->timed || !speed_q16)
		return d;
	ab = tw_gap(m, a, b, speed_q16);
	ba = tw_gap(m, b, a, speed_q16);
	return d + 2 * (ab < ba ? ab : ba);
}

/* Distance per unit of time on the way out of the hub, 16.16 fixed point. */
static int64_t hub_speed_q16(const struct model *m)
{
	int64_t d = 0, t = 0;
	int32_t i;
	if (!m->timed)
		return 0;
	for (i = 0; i < m->n_active; i++) {
		int32_t loc = m->pb->jobs[m->active[i]].loc;
		d += m_dist(m, 0, loc);
		t += m_vtime(m, 0, 0, loc);
	}
	return t > 0 ? d * 65536 / t : 0;
}

static void build_neighbours(struct model *m)
{
	uint64_t *heap;
	int64_t speed = m->n_veh ? hub_speed_q16(m) : 0;
	int32_t i, k, n;
	m->n_neigh = m->n_active - 1 < MAX_NEIGHBOURS ? m->n_active - 1 : MAX_NEIGHBOURS;
	if (m->n_neigh < 0)
		m->n_neigh = 0;
	m->neighbours = xcalloc((size_t)m->n_jobs * (size_t)m->n_neigh + 1, sizeof(*m->neighbours));
	heap = xcalloc((size_t)m->n_neigh + 1, sizeof(*heap));
	for (i = 0; i < m->n_active; i++) {
		int32_t job = m->active[i];
		for (k = 0, n = 0; k < m->n_active; k++) {
			int32_t other = m->active[k];
			int64_t near;
			uint64_t key;
			if (other == job)
				continue;
			near = nearness(m, job, other, speed);
			if (near > INT32_MAX)
				near = INT32_MAX;
			key = (uint64_t)near << 32 | (uint32_t)other;
			if (n < m->n_neigh) {
				int32_t c = n++;
				heap[c] = key;
				while (c > 0 && heap[(c - 1) / 2] < heap[c]) {
					uint64_t t = heap[c];
					heap[c] = heap[(c - 1) / 2];
					heap[(c - 1) / 2] = t;
					c = (c - 1) / 2;
				}
			} else if (n && key < heap[0]) {
				heap[0] = key;
				heap_sift_down(heap, n, 0);
			}
		}
		qsort(heap, (size_t)n, sizeof(*heap), cmp_u64);
		for (k = 0; k < n; k++)
			m->neighbours[(int64_t)job * m->n_neigh + k] = (int32_t)(heap[k] & 0xffffffffu);
	}
	free(heap);
}

/* Vehicles grouped by class (identical ones), so that an insertion tries
 * one empty vehicle per class instead of every empty vehicle. */
static void group_classes(struct model *m)
{
	int32_t i, c, k = 0;
	m->class_start = xcalloc((size_t)m->n_veh + 2, sizeof(*m->class_start));
	m->class_members = xcalloc((size_t)m->n_veh + 1, sizeof(*m->class_members));
	m->n_classes = 0;
	for (i = 0; i < m->n_veh; i++) {
		if (m->veh_class[i] != i)
			continue;
		m->class_start[m->n_classes++] = k;
		for (c = i; c < m->n_veh; c++)
			if (m->veh_class[c] == i)
				m->class_members[k++] = c;
	}
	m->class_start[m->n_classes] = k;
}

static void model_init(struct model *m, struct locality *local,
		       enum route_unassigned_reason *excluded)
{
	const struct route_problem *pb = &local->pb;
	int32_t i, k;
	int64_t far = 0, fixed = 0;
	memset(m, 0, sizeof(*m));
	trips_model_init(m, pb);
	m->n = pb->n_locs;
	m->n_jobs = pb->n_jobs;
	m->n_veh = pb->n_vehicles;
	m->timed = pb->time != NULL;
	m->dist0 = profile_dist(pb, 0);
	m->vdist = xcalloc((size_t)m->n_veh + 1, sizeof(*m->vdist));
	m->vtime = xcalloc((size_t)m->n_veh + 1, sizeof(*m->vtime));
	for (i = 0; i < m->n_veh; i++) {
		m->vdist[i] = profile_dist(pb, pb->vehicles[i].profile);
		m->vtime[i] = profile_time(pb, pb->vehicles[i].profile);
	}
	m->vdist_into = xcalloc((size_t)m->n_veh + 1, sizeof(*m->vdist_into));
	for (i = 0; i < m->n_veh; i++)
		m->vdist_into[i] = locality_by_destination(local, m->vdist[i]);
	m->veh_class = xcalloc((size_t)m->n_veh + 1, sizeof(*m->veh_class));
	for (i = 0; i < m->n_veh; i++) {
		for (k = 0; k < i && !same_vehicle(&pb->vehicles[k], &pb->vehicles[i]); k++)
			;
		m->veh_class[i] = k;
		for (k = 0; k < 2; k++)
			if (pb->vehicles[i].capacity[k] > m->max_cap[k])
				m->max_cap[k] = pb->vehicles[i].capacity[k];
		if (pb->vehicles[i].fixed_cost > fixed)
			fixed = pb->vehicles[i].fixed_cost;
	}
	group_classes(m);
	m->active = xcalloc((size_t)m->n_jobs + 1, sizeof(*m->active));
	for (i = 0; i < m->n_jobs; i++) {
		int32_t p, n_prof = pb->n_profiles > 0 ? pb->n_profiles : 1, loc = pb->jobs[i].loc;
		excluded[i] = alone_reason(pb, i);
		if (!excluded[i])
			m->active[m->n_active++] = i;
		for (p = 0; p < n_prof; p++) {
			const int32_t *d = profile_dist(pb, p);
			int64_t round_trip = (int64_t)d[loc] + d[(int64_t)loc * m->n];
			if (round_trip > far)
				far = round_trip;
		}
	}
	/* leaving a job out must cost more than any insertion of it */
	m->penalty = 2 * far + fixed + 1;
	build_neighbours(m);
}

static void model_release(struct model *m)
{
	trips_model_release(m);
	free(m->veh_class);
	free(m->vdist);
	free(m->vtime);
	free(m->vdist_into);
	free(m->class_start);
	free(m->class_members);
	free(m->active);
	free(m->neighbours);
	memset(m, 0, sizeof(*m));
}

static void fill_route(const struct model *m, const struct sol *s, int32_t ri, struct route_route *out)
{
	const struct rt *r = &s->routes[ri];

	out->vehicle = ri;
	out->n_jobs = r->n;
	out->jobs = xcalloc((size_t)r->n, sizeof(*out->jobs));
	out->arrival = xcalloc((size_t)r->n, sizeof(*out->arrival));
	out->start = xcalloc((size_t)r->n, sizeof(*out->start));
	/* the schedule, trip by trip (one trip for most vehicles) */
	trips_fill_route(m, ri, r, out);
	out->distance = r->dist;
	out->load[0] = r->load[0];
	out->load[1] = r->load[1];
}

static void fill_plan(const struct model *m, const struct sol *s,
		      const enum route_unassigned_reason *excluded, struct route_plan *out)
{
	int32_t i, used = 0;
	for (i = 0; i < s->n_routes; i++)
		used += s->routes[i].n > 0;
	out->routes = xcalloc((size_t)used + 1, sizeof(*out->routes));
	for (i = 0; i < s->n_routes; i++) {
		if (!s->routes[i].n)
			continue;
		fill_route(m, s, i, &out->routes[out->n_routes++]);
		out->distance += s->routes[i].dist;
	}
	out->cost = s->cost;
	out->unassigned = xcalloc((size_t)m->n_jobs + 1, sizeof(*out->unassigned));
	out->reasons = xcalloc((size_t)m->n_jobs + 1, sizeof(*out->reasons));
	/* in job order: excluded jobs keep their reason, the rest found no room */
	for (i = 0; i < m->n_jobs; i++) {
		if (!excluded[i] && s->route_of[i] >= 0)
			continue;
		out->unassigned[out->n_unassigned] = i;
		out->reasons[out->n_unassigned++] = excluded[i] ? excluded[i] : ROUTE_UNASSIGNED_FLEET;
	}
}

int route_solve(const struct route_problem *pb, const struct route_options *opt,
		struct route_plan *out, struct vc_error *err)
{
	int64_t started_ns = vc_mono_ns();
	struct model m;
	struct locality local;
	struct sol best;
	enum route_unassigned_reason *excluded;

	memset(out, 0, sizeof(*out));
	if (check_input(pb, err) < 0)
		return -1;
	if (opt->threads < 0 || opt->threads > MAX_THREADS)
		return vc_fail(err, EX_USAGE, "route: threads must be from 0 to %d", MAX_THREADS);
	excluded = xcalloc((size_t)pb->n_jobs + 1, sizeof(*excluded));
	locality_build(&local, pb);
	model_init(&m, &local, excluded);
	m.started_ns = started_ns;
	sol_init(&best, &m);
	search_run_threads(&m, opt, opt->threads, &best, &out->iterations);
	fill_plan(&m, &best, excluded, out);
	sol_release(&best);
	model_release(&m);
	locality_release(&local);
	free(excluded);
	return 0;
}

void route_plan_release(struct route_plan *plan)
{
	int32_t i;
	for (i = 0; i < plan->n_routes; i++) {
		free(plan->routes[i].jobs);
		free(plan->routes[i].arrival);
		free(plan->routes[i].start);
		free(plan->routes[i].trip);
		free(plan->routes[i].trip_depart);
		free(plan->routes[i].trip_back);
		free(plan->routes[i].trip_load);
	}
	free(plan->routes);
	free(plan->unassigned);
	free(plan->reasons);
	memset(plan, 0, sizeof(*plan));
}

const char *route_reason_text(enum route_unassigned_reason r)
{
	switch (r) {
	case ROUTE_UNASSIGNED_CAPACITY:
		return "heavier or bulkier than every vehicle";
	case ROUTE_UNASSIGNED_WINDOW:
		return "pickup window unreachable within any shift";
	case ROUTE_UNASSIGNED_DISTANCE:
		return "round trip beyond every vehicle's maximum distance";
	case ROUTE_UNASSIGNED_FLEET:
		return "fleet full";
	case ROUTE_UNASSIGNED_SKILL:
		return "no vehicle with the skills it needs";
	}
	return "unknown";
}
