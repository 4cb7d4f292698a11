/*
 * Unit tests of the planner on small hand-made instances: every constraint
 * of route.h, compared with an optimum found by brute force here (code
 * independent of the solver), and every plan re-checked by an independent
 * checker. Also the unassigned reasons and determinism.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "route/route.h"
#include "route_plan_assert.h"

#define MAX_JOBS 10
#define MAX_VEH 4
#define MAX_PROFILES 2
#define NO_LIMIT ROUTE_NO_LIMIT

struct inst {
	int n_jobs, n_veh, timed;
	int xy[MAX_JOBS + 1][2];          /* [0] is the hub */
	struct route_job jobs[MAX_JOBS];
	struct route_vehicle veh[MAX_VEH];
	int32_t dist[(MAX_JOBS + 1) * (MAX_JOBS + 1)];
	int32_t time[(MAX_JOBS + 1) * (MAX_JOBS + 1)];
	struct route_problem pb;
	/* profiles (n_prof 0: only dist/time): profile p's distances and
	 * times are the base ones times prof_mul[p] */
	int n_prof, prof_mul[MAX_PROFILES];
	int32_t pdist[MAX_PROFILES][(MAX_JOBS + 1) * (MAX_JOBS + 1)];
	int32_t ptime[MAX_PROFILES][(MAX_JOBS + 1) * (MAX_JOBS + 1)];
	struct route_profile prof[MAX_PROFILES];
};

/* Travel time equals distance (one unit per second) when timed. */
static void inst_build(struct inst *in)
{
	int n = in->n_jobs + 1, a, b, p;
	for (a = 0; a < n; a++)
		for (b = 0; b < n; b++) {
			double dx = in->xy[a][0] - in->xy[b][0], dy = in->xy[a][1] - in->xy[b][1];
			in->dist[a * n + b] = (int32_t)floor(sqrt(dx * dx + dy * dy) + 0.5);
			in->time[a * n + b] = in->dist[a * n + b];
		}
	for (p = 0; p < in->n_prof; p++) {
		for (a = 0; a < n * n; a++) {
			in->pdist[p][a] = in->dist[a] * in->prof_mul[p];
			in->ptime[p][a] = in->time[a] * in->prof_mul[p];
		}
		in->prof[p].dist = in->pdist[p];
		in->prof[p].time = in->timed ? in->ptime[p] : NULL;
	}
	in->pb.n_profiles = in->n_prof;
	in->pb.profiles = in->n_prof ? in->prof : NULL;
	in->pb.n_locs = n;
	in->pb.dist = in->dist;
	in->pb.time = in->timed ? in->time : NULL;
	in->pb.n_jobs = in->n_jobs;
	in->pb.jobs = in->jobs;
	in->pb.n_vehicles = in->n_veh;
	in->pb.vehicles = in->veh;
}

static void add_job(struct inst *in, int x, int y, int64_t kg, int64_t cm3,
		    int32_t open, int32_t close, int32_t service)
{
	int j = in->n_jobs++;
	in->xy[j + 1][0] = x;
	in->xy[j + 1][1] = y;
	in->jobs[j].loc = j + 1;
	in->jobs[j].demand[0] = kg;
	in->jobs[j].demand[1] = cm3;
	in->jobs[j].open = open;
	in->jobs[j].close = close;
	in->jobs[j].service = service;
}

static void add_vehicle(struct inst *in, int64_t kg, int64_t cm3, int32_t shift_start,
			int32_t shift_end, int64_t max_distance, int64_t fixed)
{
	struct route_vehicle *v = &in->veh[in->n_veh++];
	v->capacity[0] = kg;
	v->capacity[1] = cm3;
	v->shift_start = shift_start;
	v->shift_end = shift_end;
	v->max_distance = max_distance;
	v->fixed_cost = fixed;
}

/* Distance and time for vehicle v (its profile's multiple of the base). */
static int64_t mul_of(const struct inst *in, int v)
{
	return in->n_prof ? in->prof_mul[in->veh[v].profile] : 1;
}

static int64_t d_of(const struct inst *in, int v, int a, int b)
{
	return in->dist[a * (in->n_jobs + 1) + b] * mul_of(in, v);
}

static int64_t t_of(const struct inst *in, int v, int a, int b)
{
	return in->timed ? in->time[a * (in->n_jobs + 1) + b] * mul_of(in, v) : 0;
}

static int may_serve(const struct route_vehicle *veh, const struct route_job *jb)
{
	return (jb->skills & ~veh->skills) == 0;
}

/* ---- brute force: every ordered split of the jobs over the vehicles,
 * and of each vehicle's day over its trips (back to the hub, unload, out
 * again: capacity per trip, time running on) ---- */
struct brute {
	const struct inst *in;
	int used[MAX_JOBS];
	int64_t best;
};

/* Where vehicle v stands: at `last` at time t, dist so far today, the
 * current trip's load, n_stops today and in this trip, trips begun. */
struct bstate {
	int last;
	int64_t t, dist, kg, cm3;
	int n_stops, trip_stops, trip;
};

static int max_trips_of(const struct route_vehicle *veh)
{
	return veh->max_trips > 1 ? veh->max_trips : 1;
}

static void brute_rec(struct brute *b, int v, int placed, struct bstate st, int64_t cost)
{
	const struct inst *in = b->in;
	const struct route_vehicle *veh;
	struct bstate fresh = { 0 };
	int j, ret;
	if (v == in->n_veh) {
		if (placed == in->n_jobs && cost < b->best)
			b->best = cost;
		return;
	}
	veh = &in->veh[v];
	fresh.t = v + 1 < in->n_veh ? in->veh[v + 1].shift_start : 0;
	/* close this vehicle's route (empty routes cost nothing) */
	if (st.n_stops == 0) {
		brute_rec(b, v + 1, placed, fresh, cost);
	} else {
		int64_t back = st.t + t_of(in, v, st.last, 0), total = st.dist + d_of(in, v, st.last, 0);
		if ((!in->timed || back <= veh->shift_end) &&
		    (veh->max_distance == NO_LIMIT || total <= veh->max_distance))
			brute_rec(b, v + 1, placed, fresh, cost + total + veh->fixed_cost);
	}
	for (j = 0; j < in->n_jobs; j++) {
		const struct route_job *jb = &in->jobs[j];
		if (b->used[j] || !may_serve(veh, jb))
			continue;
		/* ret 0: on in this trip; ret 1: back to the hub first, a new trip */
		for (ret = 0; ret < 2; ret++) {
			struct bstate nx = st;
			int64_t s;
			if (ret) {
				if (st.trip_stops == 0 || st.trip + 1 >= max_trips_of(veh))
					continue;
				nx.t += t_of(in, v, st.last, 0) + (in->timed ? veh->unload : 0);
				nx.dist += d_of(in, v, st.last, 0);
				nx.last = 0;
				nx.kg = nx.cm3 = 0;
				nx.trip_stops = 0;
				nx.trip++;
			}
			if (nx.kg + jb->demand[0] > veh->capacity[0] || nx.cm3 + jb->demand[1] > veh->capacity[1])
				continue;
			s = nx.t + t_of(in, v, nx.last, jb->loc);
			if (in->timed) {
				if (s < jb->open)
					s = jb->open;
				if (s > jb->close)
					continue;
			}
			if (veh->max_distance != NO_LIMIT && nx.dist + d_of(in, v, nx.last, jb->loc) > veh->max_distance)
				continue;
			nx.dist += d_of(in, v, nx.last, jb->loc);
			nx.t = s + jb->service;
			nx.last = jb->loc;
			nx.kg += jb->demand[0];
			nx.cm3 += jb->demand[1];
			nx.n_stops++;
			nx.trip_stops++;
			b->used[j] = 1;
			brute_rec(b, v, placed + 1, nx, cost);
			b->used[j] = 0;
		}
	}
}

static int64_t brute_optimum(const struct inst *in)
{
	struct brute b;
	memset(&b, 0, sizeof(b));
	b.in = in;
	b.best = INT64_MAX;
	{
		struct bstate st = { 0 };
		st.t = in->n_veh ? in->veh[0].shift_start : 0;
		brute_rec(&b, 0, 0, st, 0);
	}
	return b.best;
}

/* ---- independent check of a plan against every constraint, trip by
 * trip (a single-trip vehicle has one) ---- */
static void check_plan(const struct inst *in, const struct route_plan *plan)
{
	int seen[MAX_JOBS] = { 0 };
	int64_t total = 0, dist_sum = 0;
	int r, i;
	for (r = 0; r < plan->n_routes; r++) {
		const struct route_route *rt = &plan->routes[r];
		const struct route_vehicle *veh = &in->veh[rt->vehicle];
		int64_t t = rt->depart, dist = 0, kg = 0, cm3 = 0, day_kg = 0, day_cm3 = 0;
		int last = 0, trip = 0;
		assert_true(rt->n_jobs > 0);
		assert_true(rt->depart >= veh->shift_start);
		assert_true(rt->n_trips >= 1 && rt->n_trips <= max_trips_of(veh));
		assert_int_equal(rt->trip_depart[0], rt->depart);
		for (i = 0; i < rt->n_jobs; i++) {
			const struct route_job *jb = &in->jobs[rt->jobs[i]];
			assert_int_equal(seen[rt->jobs[i]]++, 0);
			assert_true(may_serve(veh, jb));
			assert_true(rt->trip[i] == trip || rt->trip[i] == trip + 1);
			if (rt->trip[i] != trip) {
				/* back to the hub, unload, out again with an empty vehicle */
				assert_true(kg == rt->trip_load[trip][0] && cm3 == rt->trip_load[trip][1]);
				t += t_of(in, rt->vehicle, last, 0);
				dist += d_of(in, rt->vehicle, last, 0);
				if (in->timed) {
					assert_int_equal(rt->trip_back[trip], t);
					assert_true(rt->trip_depart[trip + 1] >= t + veh->unload);
					t = rt->trip_depart[trip + 1];
				}
				kg = cm3 = 0;
				last = 0;
				trip++;
			}
			t += t_of(in, rt->vehicle, last, jb->loc);
			dist += d_of(in, rt->vehicle, last, jb->loc);
			if (in->timed) {
				assert_int_equal(rt->arrival[i], t);
				assert_true(rt->start[i] >= t);
				assert_true(rt->start[i] >= jb->open);
				assert_true(rt->start[i] <= jb->close);
				t = rt->start[i] + jb->service;
			}
			kg += jb->demand[0];
			cm3 += jb->demand[1];
			day_kg += jb->demand[0];
			day_cm3 += jb->demand[1];
			assert_true(kg <= veh->capacity[0] && cm3 <= veh->capacity[1]);
			last = jb->loc;
		}
		assert_int_equal(trip + 1, rt->n_trips);
		assert_true(kg == rt->trip_load[trip][0] && cm3 == rt->trip_load[trip][1]);
		t += t_of(in, rt->vehicle, last, 0);
		dist += d_of(in, rt->vehicle, last, 0);
		if (in->timed) {
			assert_int_equal(rt->back, t);
			assert_int_equal(rt->trip_back[trip], t);
			assert_true(rt->back <= veh->shift_end);
		}
		assert_int_equal(rt->load[0], day_kg);
		assert_int_equal(rt->load[1], day_cm3);
		assert_int_equal(rt->distance, dist);
		assert_true(veh->max_distance == NO_LIMIT || dist <= veh->max_distance);
		dist_sum += dist;
		total += dist + veh->fixed_cost;
		for (i = 0; i < r; i++)
			assert_int_not_equal(plan->routes[i].vehicle, rt->vehicle);
	}
	for (i = 0; i < plan->n_unassigned; i++)
		assert_int_equal(seen[plan->unassigned[i]]++, 0);
	for (i = 0; i < in->n_jobs; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(plan->distance, dist_sum);
	assert_int_equal(plan->cost, total);
}

/* Plan with the given options; the plan must pass check_plan. */
static void solve_with(const struct inst *in, const struct route_options *opt, struct route_plan *plan)
{
	struct vc_error err = VC_ERROR_INIT;
	assert_int_equal(route_solve(&in->pb, opt, plan, &err), 0);
	check_plan(in, plan);
}

static void solve(const struct inst *in, uint64_t seed, int64_t iterations, struct route_plan *plan)
{
	struct route_options opt = { 0 };
	opt.seed = seed;
	opt.iterations = iterations;
	solve_with(in, &opt, plan);
}

/* Solve with two seeds; both must reach the brute-force optimum. */
static void expect_optimum(struct inst *in, int n_routes)
{
	struct route_plan plan;
	int64_t best;
	uint64_t seed;
	inst_build(in);
	best = brute_optimum(in);
	assert_true(best < INT64_MAX);
	for (seed = 1; seed <= 2; seed++) {
		solve(in, seed, 3000, &plan);
		assert_int_equal(plan.n_unassigned, 0);
		assert_int_equal(plan.cost, best);
		if (n_routes)
			assert_int_equal(plan.n_routes, n_routes);
		route_plan_release(&plan);
	}
}

static const int ring[10][2] = {
	{ 10, 0 }, { 7, 7 }, { 0, 10 }, { -7, 7 }, { -10, 0 },
	{ -7, -7 }, { 0, -10 }, { 7, -7 }, { 14, 3 }, { -3, 14 },
};

static void test_two_capacity_dimensions(void **state)
{
	struct inst in = { 0 };
	int j;
	(void)state;
	/* light-bulky and heavy-compact parcels: either dimension alone would
	 * allow other pairings */
	for (j = 0; j < 8; j++)
		add_job(&in, ring[j][0] * 3, ring[j][1] * 3, j % 2 ? 6 : 1, j % 2 ? 1 : 6, 0, NO_LIMIT, 0);
	add_vehicle(&in, 13, 13, 0, NO_LIMIT, NO_LIMIT, 0);
	add_vehicle(&in, 13, 13, 0, NO_LIMIT, NO_LIMIT, 0);
	add_vehicle(&in, 13, 13, 0, NO_LIMIT, NO_LIMIT, 0);
	expect_optimum(&in, 0);
}

static void test_windows_and_service(void **state)
{
	struct inst in = { 0 };
	int j;
	(void)state;
	in.timed = 1;
	/* windows that force an order around the ring different from the nearest one */
	for (j = 0; j < 8; j++)
		add_job(&in, ring[j][0] * 10, ring[j][1] * 10, 1, 0, (j * 5 % 8) * 120,
			(j * 5 % 8) * 120 + 300, 15);
	add_vehicle(&in, 100, 100, 0, 100000, NO_LIMIT, 0);
	add_vehicle(&in, 100, 100, 0, 100000, NO_LIMIT, 0);
	add_vehicle(&in, 100, 100, 0, 100000, NO_LIMIT, 0);
	expect_optimum(&in, 0);
}

static void test_shift_end(void **state)
{
	struct inst in = { 0 };
	struct route_plan plan;
	int j;
	(void)state;
	in.timed = 1;
	for (j = 0; j < 8; j++)
		add_job(&in, ring[j][0] * 10, ring[j][1] * 10, 1, 0, 0, NO_LIMIT, 60);
	/* one long shift could do it all; short shifts force a split */
	add_vehicle(&in, 100, 100, 1000, 1000 + 600, NO_LIMIT, 0);
	add_vehicle(&in, 100, 100, 1000, 1000 + 600, NO_LIMIT, 0);
	add_vehicle(&in, 100, 100, 1000, 1000 + 600, NO_LIMIT, 0);
	expect_optimum(&in, 0);
	solve(&in, 7, 500, &plan);
	assert_true(plan.n_routes >= 2);
	route_plan_release(&plan);
}

static void test_max_distance(void **state)
{
	struct inst in = { 0 };
	int j;
	(void)state;
	for (j = 0; j < 8; j++)
		add_job(&in, ring[j][0] * 5, ring[j][1] * 5, 1, 0, 0, NO_LIMIT, 0);
	add_vehicle(&in, 100, 100, 0, NO_LIMIT, 200, 0); /* an e-bike */
	add_vehicle(&in, 100, 100, 0, NO_LIMIT, 200, 0);
	add_vehicle(&in, 100, 100, 0, NO_LIMIT, 200, 0);
	expect_optimum(&in, 0);
}

static void test_fixed_cost_prefers_one_route(void **state)
{
	struct inst in = { 0 };
	struct route_plan plan;
	int j;
	(void)state;
	/* two clusters: two routes are shorter, but a second van costs more */
	for (j = 0; j < 4; j++)
		add_job(&in, 40 + j * 3, 5, 1, 0, 0, NO_LIMIT, 0);
	for (j = 0; j < 4; j++)
		add_job(&in, 40 + j * 3, -5, 1, 0, 0, NO_LIMIT, 0);
	add_vehicle(&in, 100, 100, 0, NO_LIMIT, NO_LIMIT, 50);
	add_vehicle(&in, 100, 100, 0, NO_LIMIT, NO_LIMIT, 50);
	expect_optimum(&in, 1);
	/* without the fixed cost, two routes win */
	in.veh[0].fixed_cost = in.veh[1].fixed_cost = 0;
	inst_build(&in);
	solve(&in, 1, 2000, &plan);
	assert_int_equal(plan.cost, brute_optimum(&in));
	route_plan_release(&plan);
}

/* A stop on the straight line between two others: rounded Euclidean
 * distances put (1,1) at 1 from the hub and from (2,2), and (2,2) at 3
 * from the hub, so taking (1,1) on the way costs -1. Such an insertion
 * once read as an infeasible one (-1 was the sentinel) and (1,1) was
 * left out whenever (2,2) was placed first. */
static void test_insertion_below_zero(void **state)
{
	struct inst in = { 0 };
	struct route_plan plan;
	uint64_t seed;
	(void)state;
	add_job(&in, 2, 2, 1, 0, 0, NO_LIMIT, 0);
	add_job(&in, 1, 1, 1, 0, 0, NO_LIMIT, 0);
	add_vehicle(&in, 10, 10, 0, NO_LIMIT, NO_LIMIT, 0);
	inst_build(&in);
	assert_int_equal(brute_optimum(&in), 5);
	for (seed = 1; seed <= 20; seed++) {
		solve(&in, seed, seed % 2 ? 1 : 100, &plan);
		assert_int_equal(plan.n_unassigned, 0);
		assert_int_equal(plan.cost, 5);
		route_plan_release(&plan);
	}
}

static void test_mixed_fleet(void **state)
{
	struct inst in = { 0 };
	int j;
	(void)state;
	in.timed = 1;
	for (j = 0; j < 8; j++)
		add_job(&in, ring[j][0] * 4, ring[j][1] * 4, 2 + j % 3, 1 + j % 2, 0, 2000, 5);
	add_vehicle(&in, 6, 4, 0, 3000, 90, 5);        /* tricycle: small, short range */
	add_vehicle(&in, 12, 8, 0, 3000, NO_LIMIT, 40); /* van */
	add_vehicle(&in, 9, 9, 100, 3000, NO_LIMIT, 20);
	expect_optimum(&in, 0);
}

static int reason_of(const struct route_plan *plan, int32_t job)
{
	int i;
	for (i = 0; i < plan->n_unassigned; i++)
		if (plan->unassigned[i] == job)
			return plan->reasons[i];
	return 0;
}

static void test_unassigned_reasons(void **state)
{
	struct inst in = { 0 };
	struct route_plan plan;
	(void)state;
	in.timed = 1;
	add_job(&in, 10, 0, 5, 1, 0, 5000, 0);    /* 0, 4, 5: one of them does not fit */
	add_job(&in, -10, 0, 5, 50, 0, 5000, 0);  /* 1: bulkier than every vehicle */
	add_job(&in, 0, 10, 5, 1, 0, 30, 0);      /* 2: closes before anyone can get there */
	add_job(&in, 0, 90, 1, 1, 0, 5000, 0);    /* 3: beyond every max distance */
	add_job(&in, 0, -10, 5, 1, 0, 5000, 0);
	add_job(&in, 5, -10, 5, 1, 0, 5000, 0);
	add_vehicle(&in, 10, 10, 100, 5000, 150, 0);
	add_vehicle(&in, 4, 10, 100, 5000, 150, 0);
	inst_build(&in);
	solve(&in, 3, 500, &plan);
	assert_int_equal(reason_of(&plan, 1), ROUTE_UNASSIGNED_CAPACITY);
	assert_int_equal(reason_of(&plan, 2), ROUTE_UNASSIGNED_WINDOW);
	assert_int_equal(reason_of(&plan, 3), ROUTE_UNASSIGNED_DISTANCE);
	/* jobs 0, 4 and 5 fit only the first vehicle, two at a time */
	assert_int_equal(plan.n_unassigned, 4);
	assert_int_equal(reason_of(&plan, 0) + reason_of(&plan, 4) + reason_of(&plan, 5),
			 ROUTE_UNASSIGNED_FLEET);
	assert_string_equal(route_reason_text(ROUTE_UNASSIGNED_FLEET), "fleet full");
	route_plan_release(&plan);
}

static void test_window_beyond_shift(void **state)
{
	struct inst in = { 0 };
	struct route_plan plan;
	(void)state;
	in.timed = 1;
	add_job(&in, 10, 0, 1, 1, 20000, 21000, 0); /* opens after every shift ends */
	add_job(&in, 20, 0, 1, 1, 0, 21000, 0);
	add_vehicle(&in, 10, 10, 0, 10000, NO_LIMIT, 0);
	inst_build(&in);
	solve(&in, 1, 100, &plan);
	assert_int_equal(plan.n_unassigned, 1);
	assert_int_equal(reason_of(&plan, 0), ROUTE_UNASSIGNED_WINDOW);
	route_plan_release(&plan);
}

/* Ten stops on a ring with windows, three vehicles of two kinds. */
static void ring_instance(struct inst *in)
{
	int j;
	in->timed = 1;
	for (j = 0; j < 10; j++)
		add_job(in, ring[j][0] * 9, ring[j][1] * 9, 1 + j % 4, 1, j * 20, j * 20 + 400, 10);
	add_vehicle(in, 8, 10, 0, 2000, NO_LIMIT, 10);
	add_vehicle(in, 8, 10, 0, 2000, NO_LIMIT, 10);
	add_vehicle(in, 12, 10, 0, 2000, NO_LIMIT, 30);
	inst_build(in);
}

/* Two threads: the same plan on every run (fixed per-thread seeds, the
 * best kept by a fixed rule), never worse than thread 0 alone (which runs
 * the single-thread search with the same seed), twice the iterations. */
static void test_threads_deterministic(void **state)
{
	struct inst in = { 0 };
	struct route_plan one, a, b;
	struct route_options opt = { 0 };
	struct vc_error err = VC_ERROR_INIT;
	(void)state;
	ring_instance(&in);
	opt.seed = 9;
	opt.iterations = 300;
	assert_int_equal(route_solve(&in.pb, &opt, &one, &err), 0);
	opt.threads = 2;
	assert_int_equal(route_solve(&in.pb, &opt, &a, &err), 0);
	assert_int_equal(route_solve(&in.pb, &opt, &b, &err), 0);
	check_plan(&in, &a);
	assert_same_plan(&a, &b);
	assert_true(a.n_unassigned < one.n_unassigned ||
		    (a.n_unassigned == one.n_unassigned && a.cost <= one.cost));
	assert_int_equal(a.iterations, 600);
	route_plan_release(&b);
	opt.threads = -1;
	assert_int_equal(route_solve(&in.pb, &opt, &b, &err), -1);
	route_plan_release(&one);
	route_plan_release(&a);
	route_plan_release(&b);
}

/* The plan does not depend on how the caller numbers the locations: the
 * planner renumbers them for memory locality (pkg/route/locality.c) and
 * keeps route edges of its own. The same problem with its locations
 * reversed and three unused ones among them, on asymmetric matrices (so
 * that the matrix by destination is a copy), single- and multi-trip. */
static void test_location_numbering(void **state)
{
	enum { SPARE = 3 };
	struct inst in = { 0 };
	int n, n2, a, b, j, trips;
	int32_t *dist2, *time2;
	struct route_job jobs2[MAX_JOBS];
	struct route_problem pb2;
	(void)state;
	ring_instance(&in);
	n = in.n_jobs + 1;
	n2 = n + SPARE;
	for (a = 0; a < n; a++)
		for (b = a + 1; b < n; b++) {
			in.dist[a * n + b] += 3;
			in.time[a * n + b] += 2;
		}
	dist2 = calloc((size_t)(n2 * n2), sizeof(*dist2));
	time2 = calloc((size_t)(n2 * n2), sizeof(*time2));
	assert_non_null(dist2);
	assert_non_null(time2);
	for (a = 0; a < n2 * n2; a++)
		dist2[a] = time2[a] = 7; /* the unused locations' rows and columns */
	/* location k >= 1 becomes n2 - k: n2 - 1 down to SPARE + 1 */
	for (a = 0; a < n; a++)
		for (b = 0; b < n; b++) {
			int a2 = a ? n2 - a : 0, b2 = b ? n2 - b : 0;
			dist2[a2 * n2 + b2] = in.dist[a * n + b];
			time2[a2 * n2 + b2] = in.time[a * n + b];
		}
	for (j = 0; j < in.n_jobs; j++) {
		jobs2[j] = in.jobs[j];
		jobs2[j].loc = n2 - in.jobs[j].loc;
	}
	pb2 = in.pb;
	pb2.n_locs = n2;
	pb2.dist = dist2;
	pb2.time = time2;
	pb2.jobs = jobs2;
	for (trips = 1; trips <= 2; trips++) {
		struct route_options opt = { 0 };
		struct vc_error err = VC_ERROR_INIT;
		struct route_plan p1, p2;
		in.veh[0].max_trips = trips;
		opt.seed = 42;
		opt.iterations = 1500;
		assert_int_equal(route_solve(&in.pb, &opt, &p1, &err), 0);
		check_plan(&in, &p1);
		assert_int_equal(route_solve(&pb2, &opt, &p2, &err), 0);
		assert_same_plan(&p1, &p2);
		route_plan_release(&p1);
		route_plan_release(&p2);
	}
	free(dist2);
	free(time2);
}

static void test_deterministic(void **state)
{
	struct inst in = { 0 };
	struct route_plan a, b;
	(void)state;
	ring_instance(&in);
	solve(&in, 42, 1500, &a);
	solve(&in, 42, 1500, &b);
	assert_int_equal(a.iterations, 1500);
	assert_same_plan(&a, &b);
	route_plan_release(&a);
	route_plan_release(&b);
}

/* The default budget (docs/route.md, "Default budget"): 3,000 iterations
 * a job, 7 x n^2 once that is more, within 100,000..7,000,000; and it is
 * what a search with neither a budget nor a time limit runs. */
static void test_default_budget(void **state)
{
	struct inst in = { 0 };
	struct route_plan plan;
	(void)state;
	assert_int_equal(route_default_iterations(0), 100000);
	assert_int_equal(route_default_iterations(20), 100000);
	assert_int_equal(route_default_iterations(300), 900000);
	assert_int_equal(route_default_iterations(428), 1284000);
	assert_int_equal(route_default_iterations(429), 1288287);
	assert_int_equal(route_default_iterations(600), 2520000);
	assert_int_equal(route_default_iterations(1000), 7000000);
	assert_int_equal(route_default_iterations(5000), 7000000);
	ring_instance(&in);
	solve(&in, 7, 0, &plan);
	assert_int_equal(plan.iterations, route_default_iterations(in.n_jobs));
	route_plan_release(&plan);
}

struct progress_log {
	int calls;
	int64_t last_iterations;
	double last_done;
	int monotonic;
};

static void on_progress(void *arg, const struct route_progress *p)
{
	struct progress_log *log = arg;
	if (p->iterations < log->last_iterations || p->done < log->last_done || p->done > 1)
		log->monotonic = 0;
	log->last_iterations = p->iterations;
	log->last_done = p->done;
	log->calls++;
}

/* The progress callback is called as the search goes, ends at 100 %, and changes nothing. */
static void test_progress_callback(void **state)
{
	struct inst in = { 0 };
	struct route_plan a, b;
	struct route_options opt = { 0 };
	struct progress_log log = { 0, 0, 0, 1 };
	struct vc_error err = VC_ERROR_INIT;
	int j;
	(void)state;
	for (j = 0; j < 10; j++)
		add_job(&in, ring[j][0] * 10, ring[j][1] * 10, 1, 0, 0, NO_LIMIT, 0);
	add_vehicle(&in, 4, 4, 0, NO_LIMIT, NO_LIMIT, 0);
	add_vehicle(&in, 4, 4, 0, NO_LIMIT, NO_LIMIT, 0);
	add_vehicle(&in, 4, 4, 0, NO_LIMIT, NO_LIMIT, 0);
	inst_build(&in);
	opt.seed = 9;
	opt.iterations = 5000;
	assert_int_equal(route_solve(&in.pb, &opt, &a, &err), 0);
	opt.progress = on_progress;
	opt.progress_arg = &log;
	assert_int_equal(route_solve(&in.pb, &opt, &b, &err), 0);
	assert_int_equal(log.calls, 5000 / 1024 + 1);
	assert_true(log.monotonic);
	assert_true(log.last_done == 1.0);
	assert_int_equal(log.last_iterations, 5000);
	assert_int_equal(a.cost, b.cost);
	assert_int_equal(a.n_routes, b.n_routes);
	route_plan_release(&a);
	route_plan_release(&b);
}

static void test_bad_input(void **state)
{
	struct inst in = { 0 };
	struct route_plan plan;
	struct route_options opt = { 0 };
	struct vc_error err = VC_ERROR_INIT;
	(void)state;
	add_job(&in, 1, 1, 1, 1, 50, 10, 0); /* window closes before it opens */
	add_vehicle(&in, 10, 10, 0, NO_LIMIT, NO_LIMIT, 0);
	inst_build(&in);
	opt.iterations = 10;
	assert_int_equal(route_solve(&in.pb, &opt, &plan, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "window"));
	route_plan_release(&plan);
}

static void test_empty_problem(void **state)
{
	struct inst in = { 0 };
	struct route_plan plan;
	(void)state;
	add_vehicle(&in, 10, 10, 0, NO_LIMIT, NO_LIMIT, 0);
	inst_build(&in);
	solve(&in, 1, 10, &plan);
	assert_int_equal(plan.n_routes, 0);
	assert_int_equal(plan.cost, 0);
	route_plan_release(&plan);
}

static void test_no_vehicles(void **state)
{
	struct inst in = { 0 };
	struct route_plan plan;
	(void)state;
	add_job(&in, 1, 1, 1, 1, 0, NO_LIMIT, 0);
	add_job(&in, 2, 1, 1, 1, 0, NO_LIMIT, 0);
	inst_build(&in);
	solve(&in, 1, 10, &plan);
	assert_int_equal(plan.n_routes, 0);
	assert_int_equal(plan.n_unassigned, 2);
	assert_int_equal(plan.reasons[0], ROUTE_UNASSIGNED_FLEET);
	assert_int_equal(plan.reasons[1], ROUTE_UNASSIGNED_FLEET);
	route_plan_release(&plan);
}

static uint32_t lcg_next(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* The random tests' jobs: n of them within 50 of the hub, demands
 * 1..max_demand in both dimensions, a window opening in [0, open_range)
 * that lasts width_min + [0, width_range), service [0, service_range). */
struct random_jobs {
	int max_demand, open_range, width_min, width_range, service_range;
};

static void add_random_jobs(struct inst *in, uint32_t *s, int n, const struct random_jobs *r)
{
	int j;
	for (j = 0; j < n; j++) {
		int32_t open = (int32_t)(lcg_next(s) % (uint32_t)r->open_range);
		add_job(in, (int)(lcg_next(s) % 101) - 50, (int)(lcg_next(s) % 101) - 50,
			1 + lcg_next(s) % (uint32_t)r->max_demand, 1 + lcg_next(s) % (uint32_t)r->max_demand, open,
			open + r->width_min + (int32_t)(lcg_next(s) % (uint32_t)r->width_range),
			(int32_t)(lcg_next(s) % (uint32_t)r->service_range));
	}
}

/* Solve against the brute-force oracle: every job served at the optimum
 * whenever that is possible at all, else some left out. 1 when the optimum
 * exists; *multi (unless NULL) counts the routes of several trips. */
static int against_oracle(struct inst *in, uint64_t seed, int *multi)
{
	struct route_plan plan;
	int64_t best;
	int r;
	inst_build(in);
	best = brute_optimum(in);
	solve(in, seed, 20000, &plan);
	for (r = 0; multi && r < plan.n_routes; r++)
		*multi += plan.routes[r].n_trips > 1;
	if (best < INT64_MAX) {
		assert_int_equal(plan.n_unassigned, 0);
		assert_int_equal(plan.cost, best);
	} else {
		assert_true(plan.n_unassigned > 0);
	}
	route_plan_release(&plan);
	return best < INT64_MAX;
}

/* Random small instances with every constraint mixed: the plan is always
 * feasible, and it serves every job at the brute-force optimum whenever
 * serving every job is possible at all. */
static void test_random_instances_match_brute_force(void **state)
{
	uint32_t s = 12345;
	int round, v, optimal = 0;
	(void)state;
	for (round = 0; round < 30; round++) {
		struct inst in = { 0 };
		int n_jobs = 4 + (int)(lcg_next(&s) % 3), n_veh = 1 + (int)(lcg_next(&s) % 3);
		in.timed = (int)(lcg_next(&s) % 2);
		add_random_jobs(&in, &s, n_jobs, &(struct random_jobs){ 9, 200, 30, 300, 20 });
		for (v = 0; v < n_veh; v++)
			add_vehicle(&in, 8 + lcg_next(&s) % 20, 8 + lcg_next(&s) % 20,
				    (int32_t)(lcg_next(&s) % 50), 250 + (int32_t)(lcg_next(&s) % 400),
				    lcg_next(&s) % 3 ? NO_LIMIT : 150 + lcg_next(&s) % 200,
				    lcg_next(&s) % 40);
		optimal += against_oracle(&in, (uint64_t)round, NULL);
	}
	/* the generator must produce both kinds, or the test proves little */
	assert_true(optimal >= 8 && optimal <= 26);
}

/* Multi-trip: one tricycle cannot carry the four parcels in one trip; with
 * max_trips 2 it serves all of them in two trips (capacity per trip), the
 * second trip leaving after the unload time and every ETA running on; a
 * shift too short for the second trip leaves the parcels out again. */
static void test_multi_trip_capacity(void **state)
{
	struct inst in = { 0 };
	struct route_plan plan;
	int i;
	(void)state;
	in.timed = 1;
	/* two clusters of two stops, 5 kg each; 10 kg per trip */
	add_job(&in, 100, 0, 5, 1, 0, 10000, 10);
	add_job(&in, 110, 0, 5, 1, 0, 10000, 10);
	add_job(&in, -100, 0, 5, 1, 0, 10000, 10);
	add_job(&in, -110, 0, 5, 1, 0, 10000, 10);
	add_vehicle(&in, 10, 100, 0, 10000, NO_LIMIT, 0);
	inst_build(&in);
	solve(&in, 1, 2000, &plan);
	assert_int_equal(plan.n_unassigned, 2);
	route_plan_release(&plan);

	in.veh[0].max_trips = 2;
	in.veh[0].unload = 300;
	inst_build(&in);
	assert_int_equal(brute_optimum(&in), 440);
	solve(&in, 1, 2000, &plan);
	assert_int_equal(plan.n_unassigned, 0);
	assert_int_equal(plan.n_routes, 1);
	assert_int_equal(plan.routes[0].n_trips, 2);
	assert_int_equal(plan.cost, 440);
	/* one cluster per trip, the second after 220 s out and back + 20 s
	 * service + 300 s unload */
	for (i = 0; i < 4; i++)
		assert_int_equal(plan.routes[0].trip[i], i / 2);
	assert_int_equal(plan.routes[0].trip_back[0], 240);
	assert_int_equal(plan.routes[0].trip_depart[1], 540);
	assert_int_equal(plan.routes[0].back, 780);
	assert_true(plan.routes[0].trip_load[0][0] == 10 && plan.routes[0].trip_load[1][0] == 10);
	route_plan_release(&plan);

	/* the shift ends before a second trip could be back */
	in.veh[0].shift_end = 700;
	inst_build(&in);
	solve(&in, 1, 2000, &plan);
	assert_int_equal(plan.n_unassigned, 2);
	assert_int_equal(plan.routes[0].n_trips, 1);
	route_plan_release(&plan);
}

/* Random small multi-trip instances (1-2 vehicles of 1-3 trips, small
 * capacities so that trips are needed, windows and unload times): the
 * plan is always feasible trip by trip, and reaches the brute-force
 * optimum whenever every job can be served. */
static void test_random_multi_trip_match_brute_force(void **state)
{
	uint32_t s = 777;
	int round, v, optimal = 0, multi = 0;
	(void)state;
	for (round = 0; round < 30; round++) {
		struct inst in = { 0 };
		int n_jobs = 4 + (int)(lcg_next(&s) % 3), n_veh = 1 + (int)(lcg_next(&s) % 2);
		in.timed = (int)(lcg_next(&s) % 2);
		add_random_jobs(&in, &s, n_jobs, &(struct random_jobs){ 6, 300, 100, 400, 20 });
		for (v = 0; v < n_veh; v++) {
			add_vehicle(&in, 6 + lcg_next(&s) % 6, 6 + lcg_next(&s) % 6, (int32_t)(lcg_next(&s) % 50),
				    500 + (int32_t)(lcg_next(&s) % 600),
				    lcg_next(&s) % 4 ? NO_LIMIT : 300 + lcg_next(&s) % 300, lcg_next(&s) % 40);
			in.veh[v].max_trips = 1 + (int32_t)(lcg_next(&s) % 3);
			in.veh[v].unload = (int32_t)(lcg_next(&s) % 60);
		}
		optimal += against_oracle(&in, (uint64_t)round, &multi);
	}
	/* both kinds of instance, and routes that do use several trips */
	assert_true(optimal >= 8 && optimal <= 26);
	assert_true(multi >= 10);
}

/* Larger than the oracle reaches (10 jobs, tight windows, 1-4 trips): every
 * plan is feasible trip by trip (check_plan) and none leaves a job out
 * that the same fleet with one trip each serves. */
static void test_multi_trip_feasible_larger(void **state)
{
	uint32_t s = 4242;
	int round, j, v;
	(void)state;
	for (round = 0; round < 20; round++) {
		struct inst in = { 0 };
		struct route_plan one, many;
		in.timed = round % 4 != 0;
		for (j = 0; j < MAX_JOBS; j++) {
			int32_t open = (int32_t)(lcg_next(&s) % 600);
			add_job(&in, (int)(lcg_next(&s) % 201) - 100, (int)(lcg_next(&s) % 201) - 100,
				1 + lcg_next(&s) % 5, 1 + lcg_next(&s) % 5, open,
				open + 60 + (int32_t)(lcg_next(&s) % 500), (int32_t)(lcg_next(&s) % 30));
		}
		for (v = 0; v < 2; v++)
			add_vehicle(&in, 8 + lcg_next(&s) % 5, 8 + lcg_next(&s) % 5, 0,
				    1200 + (int32_t)(lcg_next(&s) % 800), NO_LIMIT, 0);
		inst_build(&in);
		solve(&in, (uint64_t)round, 5000, &one);
		for (v = 0; v < 2; v++) {
			in.veh[v].max_trips = 2 + (int32_t)(lcg_next(&s) % 3);
			in.veh[v].unload = (int32_t)(lcg_next(&s) % 90);
		}
		inst_build(&in);
		solve(&in, (uint64_t)round, 5000, &many);
		assert_true(many.n_unassigned <= one.n_unassigned);
		route_plan_release(&one);
		route_plan_release(&many);
	}
}

/* Every parcel in exactly one visit, every visit within cap; returns the count. */
static int32_t split_checked(const int64_t (*parcel)[2], int32_t n, const int64_t cap[2])
{
	int32_t visit_of[16], v, i, visits;
	struct vc_error err = VC_ERROR_INIT;
	visits = route_split_visits(parcel, n, cap, visit_of, &err);
	assert_true(visits >= 0 && visits <= n);
	for (v = 0; v < visits; v++) {
		int64_t kg = 0, cm3 = 0;
		for (i = 0; i < n; i++)
			if (visit_of[i] == v) {
				kg += parcel[i][0];
				cm3 += parcel[i][1];
			}
		assert_true(kg > 0 || cm3 > 0);
		assert_true(kg <= cap[0] && cm3 <= cap[1]);
	}
	for (i = 0; i < n; i++)
		assert_true(visit_of[i] >= 0 && visit_of[i] < visits);
	return visits;
}

static void test_split_point_into_visits(void **state)
{
	static const int64_t cap[2] = { 10000, 10000 };
	static const int64_t heavy[5][2] = { { 6000, 100 }, { 5000, 100 }, { 4000, 100 },
					     { 3000, 100 }, { 2000, 100 } };
	/* heavy-compact and light-bulky parcels pair up across the dimensions */
	static const int64_t mixed[4][2] = { { 7000, 2000 }, { 2000, 7000 }, { 6000, 3000 }, { 3000, 6000 } };
	static const int64_t small[2][2] = { { 1000, 1000 }, { 2000, 2000 } };
	static const int64_t too_big[2][2] = { { 1000, 1000 }, { 1000, 10001 } };
	int32_t visit_of[2];
	struct vc_error err = VC_ERROR_INIT;
	(void)state;
	assert_int_equal(split_checked(heavy, 5, cap), 2);  /* 20 kg over 10 kg: 2 is the minimum */
	assert_int_equal(split_checked(mixed, 4, cap), 2);
	assert_int_equal(split_checked(small, 2, cap), 1);
	assert_int_equal(split_checked(small, 0, cap), 0);
	assert_int_equal(route_split_visits(too_big, 2, cap, visit_of, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "parcel 1"));
}

/* Two profiles: the vehicle on profile 1 pays (and takes) twice the
 * base distance; skills: jobs 0 and 1 need a cold van. The brute force
 * above knows both, and check_plan re-checks them. */
static void test_profiles_and_skills(void **state)
{
	struct inst in = { 0 };
	struct route_plan plan;
	int j, r, i;
	(void)state;
	in.timed = 1;
	in.n_prof = 2;
	in.prof_mul[0] = 1;
	in.prof_mul[1] = 2;
	for (j = 0; j < 8; j++)
		add_job(&in, ring[j][0] * 5, ring[j][1] * 5, 2, 1, 0, 3000, 5);
	in.jobs[0].skills = 1;
	in.jobs[1].skills = 1 | 4;
	add_vehicle(&in, 10, 10, 0, 3000, NO_LIMIT, 10); /* profile 0, no skills */
	add_vehicle(&in, 10, 10, 0, 3000, NO_LIMIT, 10); /* profile 1, cold and lift */
	in.veh[1].profile = 1;
	in.veh[1].skills = 1 | 4 | 8;
	expect_optimum(&in, 0);
	solve(&in, 5, 3000, &plan);
	for (r = 0; r < plan.n_routes; r++)
		for (i = 0; i < plan.routes[r].n_jobs; i++)
			if (plan.routes[r].jobs[i] <= 1)
				assert_int_equal(plan.routes[r].vehicle, 1);
	route_plan_release(&plan);

	/* a job needing a skill nobody has is left out with its reason */
	in.jobs[2].skills = 2;
	inst_build(&in);
	solve(&in, 5, 3000, &plan);
	assert_int_equal(plan.n_unassigned, 1);
	assert_int_equal(reason_of(&plan, 2), ROUTE_UNASSIGNED_SKILL);
	route_plan_release(&plan);

	/* a vehicle naming a profile the problem does not have */
	in.jobs[2].skills = 0;
	in.veh[1].profile = 2;
	inst_build(&in);
	{
		struct route_options opt = { 0 };
		struct vc_error err = VC_ERROR_INIT;
		opt.iterations = 10;
		assert_int_equal(route_solve(&in.pb, &opt, &plan, &err), -1);
		assert_non_null(strstr(err.msg, "profile"));
		route_plan_release(&plan);
	}
}

/* Cost (distance + fixed) of vehicle v serving jobs[0..n-1] in one trip,
 * or -1 when that breaks a constraint; an empty route costs nothing. */
static int64_t route_cost(const struct inst *in, int v, const int *jobs, int n)
{
	const struct route_vehicle *veh = &in->veh[v];
	int64_t t = veh->shift_start, dist = 0, kg = 0, cm3 = 0;
	int last = 0, i;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		const struct route_job *jb = &in->jobs[jobs[i]];
		if (!may_serve(veh, jb))
			return -1;
		t += t_of(in, v, last, jb->loc);
		dist += d_of(in, v, last, jb->loc);
		if (in->timed) {
			if (t < jb->open)
				t = jb->open;
			if (t > jb->close)
				return -1;
			t += jb->service;
		}
		kg += jb->demand[0];
		cm3 += jb->demand[1];
		last = jb->loc;
	}
	t += t_of(in, v, last, 0);
	dist += d_of(in, v, last, 0);
	if (kg > veh->capacity[0] || cm3 > veh->capacity[1] || (in->timed && t > veh->shift_end) ||
	    (veh->max_distance != NO_LIMIT && dist > veh->max_distance))
		return -1;
	return dist + veh->fixed_cost;
}

/* The cheapest cost of vehicle v serving jobs[0..n-1] with job inserted
 * at any position (-1: no feasible position). */
static int64_t cheapest_with(const struct inst *in, int v, const int *jobs, int n, int job)
{
	int buf[MAX_JOBS + 1], pos, i, k;
	int64_t best = -1;
	for (pos = 0; pos <= n; pos++) {
		int64_t c;
		for (i = 0, k = 0; i <= n; i++) {
			if (i == pos)
				buf[k++] = job;
			if (i < n)
				buf[k++] = jobs[i];
		}
		c = route_cost(in, v, buf, n + 1);
		if (c >= 0 && (best < 0 || c < best))
			best = c;
	}
	return best;
}

/* A route's stops without the one at position skip. */
static int without(const struct route_route *r, int skip, int *out)
{
	int i, n = 0;
	for (i = 0; i < r->n_jobs; i++)
		if (i != skip)
			out[n++] = r->jobs[i];
	return n;
}

/* 1 when exchanging some stop of route a with some stop of route b, each
 * at its cheapest feasible position in the other's route, would cost less. */
static int improving_exchange(const struct inst *in, const struct route_route *a,
			      const struct route_route *b)
{
	int ja[MAX_JOBS], jb[MAX_JOBS], i, k, na, nb;
	int64_t before = route_cost(in, a->vehicle, a->jobs, a->n_jobs) +
			 route_cost(in, b->vehicle, b->jobs, b->n_jobs);
	for (i = 0; i < a->n_jobs; i++)
		for (k = 0; k < b->n_jobs; k++) {
			int64_t ca, cb;
			na = without(a, i, ja);
			nb = without(b, k, jb);
			ca = cheapest_with(in, a->vehicle, ja, na, b->jobs[k]);
			cb = cheapest_with(in, b->vehicle, jb, nb, a->jobs[i]);
			if (ca >= 0 && cb >= 0 && ca + cb < before)
				return 1;
		}
	return 0;
}

/* The plan's last descent leaves no improving exchange of two stops
 * between routes, each put at its cheapest feasible position in the
 * other's route (SWAP*, Vidal 2022), checked here by brute force. One
 * iteration (the construction and the descent) leaves such exchanges in
 * the plans of relocate, swap and 2-opt* alone (32 pairs of routes in
 * these 200 plans had one before SWAP* was added). */
static void test_final_plan_has_no_improving_exchange(void **state)
{
	uint32_t s = 777;
	int round, v, a, b;
	(void)state;
	for (round = 0; round < 200; round++) {
		struct inst in = { 0 };
		struct route_plan plan;
		int n_jobs = 8 + (int)(lcg_next(&s) % 3), n_veh = 2 + (int)(lcg_next(&s) % 3);
		in.timed = (int)(lcg_next(&s) % 2);
		add_random_jobs(&in, &s, n_jobs, &(struct random_jobs){ 9, 300, 60, 400, 10 });
		for (v = 0; v < n_veh; v++)
			add_vehicle(&in, 15 + lcg_next(&s) % 20, 15 + lcg_next(&s) % 20, 0,
				    600 + (int32_t)(lcg_next(&s) % 400), NO_LIMIT, lcg_next(&s) % 20);
		inst_build(&in);
		solve(&in, (uint64_t)round, 1, &plan);
		for (a = 0; a < plan.n_routes; a++)
			for (b = a + 1; b < plan.n_routes; b++)
				assert_false(improving_exchange(&in, &plan.routes[a], &plan.routes[b]));
		route_plan_release(&plan);
	}
}

/* Under a time limit of 10 s or more, a fleet of one vehicle class ends
 * its search with the set partitioning of the routes it met
 * (route_pool.c; here the iterations end the search long before the
 * limit, and the set partitioning follows): the plan it returns is still
 * whole and feasible (check_plan), at the brute-force optimum whenever
 * every job can be served. */
static void test_timed_plan_of_pooled_routes(void **state)
{
	uint32_t s = 31337;
	int round, v, optimal = 0;
	(void)state;
	for (round = 0; round < 12; round++) {
		struct inst in = { 0 };
		struct route_plan plan;
		struct route_options opt = { 0 };
		int64_t best;
		int n_jobs = 6 + (int)(lcg_next(&s) % 3), n_veh = 2 + (int)(lcg_next(&s) % 2);
		in.timed = round % 2;
		add_random_jobs(&in, &s, n_jobs, &(struct random_jobs){ 9, 300, 60, 400, 10 });
		for (v = 0; v < n_veh; v++)
			add_vehicle(&in, 20, 20, 0, 900, NO_LIMIT, 0);
		inst_build(&in);
		best = brute_optimum(&in);
		opt.seed = (uint64_t)round;
		opt.time_limit_s = 10;
		opt.iterations = 3000;
		solve_with(&in, &opt, &plan);
		if (best < INT64_MAX) {
			assert_int_equal(plan.n_unassigned, 0);
			assert_int_equal(plan.cost, best);
			optimal++;
		}
		route_plan_release(&plan);
	}
	assert_true(optimal >= 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_capacity_dimensions),
		cmocka_unit_test(test_windows_and_service),
		cmocka_unit_test(test_shift_end),
		cmocka_unit_test(test_max_distance),
		cmocka_unit_test(test_fixed_cost_prefers_one_route),
		cmocka_unit_test(test_insertion_below_zero),
		cmocka_unit_test(test_mixed_fleet),
		cmocka_unit_test(test_unassigned_reasons),
		cmocka_unit_test(test_window_beyond_shift),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_default_budget),
		cmocka_unit_test(test_location_numbering),
		cmocka_unit_test(test_threads_deterministic),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_empty_problem),
		cmocka_unit_test(test_no_vehicles),
		cmocka_unit_test(test_progress_callback),
		cmocka_unit_test(test_split_point_into_visits),
		cmocka_unit_test(test_random_instances_match_brute_force),
		cmocka_unit_test(test_profiles_and_skills),
		cmocka_unit_test(test_multi_trip_capacity),
		cmocka_unit_test(test_random_multi_trip_match_brute_force),
		cmocka_unit_test(test_multi_trip_feasible_larger),
		cmocka_unit_test(test_final_plan_has_no_improving_exchange),
		cmocka_unit_test(test_timed_plan_of_pooled_routes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
