/*
 * route_county_bench STOPS VEHICLES SECONDS [SEED]: the county-scale row
 * of `make bench-route`. Generates a county (hub in the middle of a
 * 60 km square, stops with 2-4 h pickup windows between 08:00 and 18:00,
 * 5-10 min service, couriers with 1.2 t / 8 m3 vans on a 07:00-19:00
 * shift, every fourth one an e-bike limited to 60 km), plans it with
 * route_solve under a time limit, re-checks the plan here and prints one
 * markdown table row with wall time and peak RSS.
 *
 * SECONDS 0 with ITERATIONS > 0: a fixed iteration budget instead
 * (deterministic); both 0: the planner's default budget. PEAK 1: the
 * county peak of issue 12 instead (5 t / 30 m3 trucks, fixed cost 10 km,
 * about 210 kg a stop, so 1,000 stops need about 45 of them).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "route/route.h"
#include "util/xalloc.h"

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static int check(const struct route_problem *pb, const struct route_plan *plan)
{
	int32_t *seen = xcalloc((size_t)pb->n_jobs, sizeof(*seen)), r, i, bad = 0;
	for (r = 0; r < plan->n_routes; r++) {
		const struct route_route *rt = &plan->routes[r];
		const struct route_vehicle *v = &pb->vehicles[rt->vehicle];
		int64_t t = rt->depart, kg = 0, cm3 = 0, dist = 0;
		int32_t prev = 0;
		for (i = 0; i < rt->n_jobs; i++) {
			const struct route_job *jb = &pb->jobs[rt->jobs[i]];
			seen[rt->jobs[i]]++;
			t += pb->time[(int64_t)prev * pb->n_locs + jb->loc];
			dist += pb->dist[(int64_t)prev * pb->n_locs + jb->loc];
			if (t < jb->open)
				t = jb->open;
			bad |= t > jb->close;
			t += jb->service;
			kg += jb->demand[0];
			cm3 += jb->demand[1];
			prev = jb->loc;
		}
		t += pb->time[(int64_t)prev * pb->n_locs];
		dist += pb->dist[(int64_t)prev * pb->n_locs];
		bad |= t > v->shift_end || kg > v->capacity[0] || cm3 > v->capacity[1];
		bad |= v->max_distance != ROUTE_NO_LIMIT && dist > v->max_distance;
		bad |= dist != rt->distance;
	}
	for (i = 0; i < plan->n_unassigned; i++)
		seen[plan->unassigned[i]]++;
	for (i = 0; i < pb->n_jobs; i++)
		bad |= seen[i] != 1;
	free(seen);
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	int32_t stops = argc > 1 ? atoi(argv[1]) : 2000, fleet = argc > 2 ? atoi(argv[2]) : 60;
	double seconds = argc > 3 ? atof(argv[3]) : 30;
	uint64_t s = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
	long long iterations = argc > 5 ? atoll(argv[5]) : 0;
	int peak = argc > 6 && atoi(argv[6]) == 1;
	int32_t n = stops + 1, i, j;
	double *x = xcalloc((size_t)n, sizeof(double)), *y = xcalloc((size_t)n, sizeof(double));
	int32_t *dist = xcalloc((size_t)n * (size_t)n, sizeof(int32_t));
	int32_t *tt = xcalloc((size_t)n * (size_t)n, sizeof(int32_t));
	struct route_job *jobs = xcalloc((size_t)stops, sizeof(*jobs));
	struct route_vehicle *veh = xcalloc((size_t)fleet, sizeof(*veh));
	struct route_problem pb = { 0 };
	struct route_options opt = { 0 };
	struct route_plan plan;
	struct vc_error err = VC_ERROR_INIT;
	struct timespec t0, t1;
	struct rusage ru;
	double wall;
	int ok;

	if (stops < 1 || fleet < 1 || seconds < 0 || iterations < 0) {
		fprintf(stderr, "usage: route_county_bench STOPS VEHICLES SECONDS [SEED [ITERATIONS [PEAK]]]\n");
		return 64;
	}
	x[0] = y[0] = 30000;
	for (i = 1; i < n; i++) {
		x[i] = (double)(lcg(&s) % 60000);
		y[i] = (double)(lcg(&s) % 60000);
	}
	/* road distance: straight line times a circuity of 1.3, at 40 km/h */
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			double d = 1.3 * hypot(x[i] - x[j], y[i] - y[j]);
			dist[(int64_t)i * n + j] = (int32_t)(d + 0.5);
			tt[(int64_t)i * n + j] = (int32_t)(d / (40000.0 / 3600) + 0.5);
		}
	for (i = 0; i < stops; i++) {
		int32_t open = 8 * 3600 + (int32_t)(lcg(&s) % (8 * 3600));
		jobs[i].loc = i + 1;
		jobs[i].demand[0] = 2000 + (int64_t)(lcg(&s) % 30000);       /* grams */
		jobs[i].demand[1] = 20000 + (int64_t)(lcg(&s) % 200000);     /* cm3 */
		if (peak) {
			jobs[i].demand[0] *= 12;
			jobs[i].demand[1] *= 12;
		}
		jobs[i].open = open;
		jobs[i].close = open + 2 * 3600 + (int32_t)(lcg(&s) % (2 * 3600));
		if (jobs[i].close > 18 * 3600)
			jobs[i].close = 18 * 3600;
		jobs[i].service = 300 + (int32_t)(lcg(&s) % 300);
	}
	for (i = 0; i < fleet; i++) {
		int bike = i % 4 == 3;
		veh[i].capacity[0] = bike ? 150000 : 1200000;
		veh[i].capacity[1] = bike ? 1000000 : 8000000;
		veh[i].shift_start = 7 * 3600;
		veh[i].shift_end = 19 * 3600;
		veh[i].max_distance = bike ? 60000 : ROUTE_NO_LIMIT;
		veh[i].fixed_cost = bike ? 2000 : 10000;
		if (peak) {
			veh[i].capacity[0] = 5000000;
			veh[i].capacity[1] = 30000000;
			veh[i].max_distance = ROUTE_NO_LIMIT;
			veh[i].fixed_cost = 10000;
		}
	}
	pb.n_locs = n;
	pb.dist = dist;
	pb.time = tt;
	pb.n_jobs = stops;
	pb.jobs = jobs;
	pb.n_vehicles = fleet;
	pb.vehicles = veh;
	opt.seed = 1;
	opt.time_limit_s = seconds;
	opt.iterations = iterations;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (route_solve(&pb, &opt, &plan, &err) < 0) {
		fprintf(stderr, "route_county_bench: %s\n", err.msg);
		return 70;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	getrusage(RUSAGE_SELF, &ru);
	ok = check(&pb, &plan) == 0;
	printf("| stops | couriers | time limit s | seconds | iterations | routes | unassigned | distance km | peak RSS MiB | check |\n");
	printf("|---|---|---|---|---|---|---|---|---|---|\n");
	printf("| %d | %d | %g | %.2f | %lld | %d | %d | %.1f | %.0f | %s |\n", stops, fleet, seconds,
	       wall, (long long)plan.iterations, plan.n_routes, plan.n_unassigned,
	       (double)plan.distance / 1000, (double)ru.ru_maxrss / 1024, ok ? "ok" : "FAIL");
	route_plan_release(&plan);
	free(x);
	free(y);
	free(dist);
	free(tt);
	free(jobs);
	free(veh);
	return ok ? 0 : 70;
}
