/*
 * vrplib: the VRPTW and HFVRP instances of the VRPLIB dialect (read by
 * tsplib.c) as route_problems, in the conventions their best-known costs
 * are reported in:
 * - VRPTW (DIMACS): distances truncated to one decimal, travel time equal
 *   to distance; kept as integers in tenths (windows and service times
 *   too), so the search is exact. The depot's window is the shift.
 * - HFVRP: a vehicle used costs fixed / 100 + unit / 100 x its route's
 *   exact Euclidean length. Each distinct unit cost is a travel profile
 *   whose matrix holds unit x distance x scale rounded to an integer; the
 *   printed cost is recomputed exactly in doubles (tsplib_plan_cost).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "route/tsplib.h"
#include "util/xalloc.h"

/* Largest HFVRP scale: a profile's entry is unit x distance x scale. */
#define HF_MAX_SCALE 1000

static double exact_dist(const struct tsplib_instance *in, int32_t a, int32_t b)
{
	return hypot(in->x[a] - in->x[b], in->y[a] - in->y[b]);
}

/* DIMACS: truncated to one decimal, in tenths */
static int32_t tenths_dist(const struct tsplib_instance *in, int32_t a, int32_t b)
{
	double dx = in->x[a] - in->x[b], dy = in->y[a] - in->y[b];
	return (int32_t)floor(10 * sqrt(dx * dx + dy * dy));
}

/* Locations: 0 the depot, then the other nodes in file order. */
static void number_locations(struct tsplib_problem *tp, const struct tsplib_instance *in)
{
	int32_t i, loc = 1;
	tp->node_of_loc = xcalloc((size_t)in->dimension, sizeof(*tp->node_of_loc));
	tp->node_of_loc[0] = in->depot;
	for (i = 0; i < in->dimension; i++)
		if (i != in->depot)
			tp->node_of_loc[loc++] = i;
}

static int64_t service_of(const struct tsplib_instance *in, int32_t node)
{
	if (node == in->depot)
		return 0;
	return in->service_of ? in->service_of[node] : in->service;
}

static int vrptw_init(struct tsplib_problem *tp, const struct tsplib_instance *in, struct vc_error *err)
{
	int32_t n = in->dimension, i, j, k = in->vehicles, d = in->depot;
	size_t nn = (size_t)n * (size_t)n;
	if (!k)
		return vc_fail(err, EX_DATAERR, "%s: TYPE VRPTW without VEHICLES", in->name);
	tp->dist = xcalloc(nn, sizeof(*tp->dist));
	tp->time = xcalloc(nn, sizeof(*tp->time));
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			tp->dist[(int64_t)i * n + j] = tp->time[(int64_t)i * n + j] =
				tenths_dist(in, tp->node_of_loc[i], tp->node_of_loc[j]);
	tp->jobs = xcalloc((size_t)n, sizeof(*tp->jobs));
	for (i = 1; i < n; i++) {
		int32_t node = tp->node_of_loc[i];
		struct route_job *jb = &tp->jobs[i - 1];
		jb->loc = i;
		jb->demand[0] = in->demand[node];
		jb->open = (int32_t)(in->tw_open[node] * 10);
		jb->close = (int32_t)(in->tw_close[node] * 10);
		jb->service = (int32_t)(service_of(in, node) * 10);
	}
	tp->vehicles = xcalloc((size_t)k, sizeof(*tp->vehicles));
	for (i = 0; i < k; i++) {
		struct route_vehicle *v = &tp->vehicles[i];
		v->capacity[0] = in->veh_capacity ? in->veh_capacity[i] : in->capacity;
		v->shift_start = (int32_t)(in->tw_open[d] * 10);
		v->shift_end = (int32_t)(in->tw_close[d] * 10);
		v->max_distance = ROUTE_NO_LIMIT;
		v->fixed_cost = in->veh_fixed ? in->veh_fixed[i] : 0;
	}
	tp->pb.time = tp->time;
	tp->pb.n_vehicles = k;
	return 0;
}

static int64_t unit_of(const struct tsplib_instance *in, int32_t v)
{
	return in->veh_unit ? in->veh_unit[v] : 100;
}

static int hfvrp_init(struct tsplib_problem *tp, const struct tsplib_instance *in, struct vc_error *err)
{
	int32_t n = in->dimension, i, j, p, k = in->vehicles;
	size_t nn = (size_t)n * (size_t)n;
	int64_t max_unit = 1;
	double max_d = 1;
	if (!k)
		return vc_fail(err, EX_DATAERR, "%s: TYPE HFVRP without VEHICLES", in->name);
	for (i = 0; i < k; i++)
		if (unit_of(in, i) > max_unit)
			max_unit = unit_of(in, i);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (exact_dist(in, i, j) > max_d)
				max_d = exact_dist(in, i, j);
	/* keep every route sum far inside int32 entries and int64 sums */
	tp->scale = (double)INT32_MAX / 8 / ((double)max_unit * max_d);
	if (tp->scale > HF_MAX_SCALE)
		tp->scale = HF_MAX_SCALE;
	if (tp->scale < 1)
		return vc_fail(err, EX_DATAERR, "%s: coordinates or unit costs too large", in->name);
	tp->scale = floor(tp->scale);
	tp->vehicles = xcalloc((size_t)k, sizeof(*tp->vehicles));
	tp->profiles = xcalloc((size_t)k, sizeof(*tp->profiles));
	tp->pdist = xcalloc((size_t)k, sizeof(*tp->pdist));
	for (i = 0; i < k; i++) {
		struct route_vehicle *v = &tp->vehicles[i];
		/* one profile per distinct unit cost, in order of first use */
		for (p = 0; p < tp->n_profiles && unit_of(in, tp->profile_vehicle[p]) != unit_of(in, i); p++)
			;
		if (p == tp->n_profiles) {
			int64_t u = unit_of(in, i);
			tp->profile_vehicle = xrealloc(tp->profile_vehicle, sizeof(int32_t) * (size_t)(p + 1));
			tp->profile_vehicle[p] = i;
			tp->pdist[p] = xcalloc(nn, sizeof(int32_t));
			for (j = 0; j < n * n; j++)
				tp->pdist[p][j] = (int32_t)llround((double)u * tp->scale *
					exact_dist(in, tp->node_of_loc[j / n], tp->node_of_loc[j % n]));
			tp->profiles[p].dist = tp->pdist[p];
			tp->n_profiles++;
		}
		v->profile = p;
		v->capacity[0] = in->veh_capacity ? in->veh_capacity[i] : in->capacity;
		v->shift_end = ROUTE_NO_LIMIT;
		v->max_distance = ROUTE_NO_LIMIT;
		v->fixed_cost = (int64_t)llround((double)(in->veh_fixed ? in->veh_fixed[i] : 0) * tp->scale);
	}
	tp->jobs = xcalloc((size_t)n, sizeof(*tp->jobs));
	for (i = 1; i < n; i++) {
		tp->jobs[i - 1].loc = i;
		tp->jobs[i - 1].demand[0] = in->demand[tp->node_of_loc[i]];
		tp->jobs[i - 1].close = ROUTE_NO_LIMIT;
	}
	tp->pb.dist = tp->pdist[0];
	tp->pb.n_profiles = tp->n_profiles;
	tp->pb.profiles = tp->profiles;
	tp->pb.n_vehicles = k;
	return 0;
}

int vrplib_problem_init(struct tsplib_problem *tp, const struct tsplib_instance *in,
			struct vc_error *err)
{
	int rc;
	memset(tp, 0, sizeof(*tp));
	number_locations(tp, in);
	rc = in->type == TSPLIB_VRPTW ? vrptw_init(tp, in, err) : hfvrp_init(tp, in, err);
	tp->pb.n_locs = in->dimension;
	if (!tp->pb.dist)
		tp->pb.dist = tp->dist;
	tp->pb.n_jobs = in->dimension - 1;
	tp->pb.jobs = tp->jobs;
	tp->pb.vehicles = tp->vehicles;
	if (rc < 0)
		tsplib_problem_release(tp);
	return rc;
}

double tsplib_plan_cost(const struct tsplib_problem *tp, const struct tsplib_instance *in,
			const struct route_plan *plan)
{
	double cost = 0;
	int32_t r, i;
	if (in->type == TSPLIB_CVRP)
		return (double)plan->cost;
	if (in->type == TSPLIB_VRPTW)
		return (double)plan->distance / 10;
	for (r = 0; r < plan->n_routes; r++) {
		const struct route_route *rt = &plan->routes[r];
		int32_t v = rt->vehicle, prev = in->depot, node = 0;
		double len = 0;
		for (i = 0; i < rt->n_jobs; i++) {
			node = tp->node_of_loc[tp->jobs[rt->jobs[i]].loc];
			if (i > 0 && rt->trip[i] != rt->trip[i - 1]) { /* a multi-trip return */
				len += exact_dist(in, prev, in->depot);
				prev = in->depot;
			}
			len += exact_dist(in, prev, node);
			prev = node;
		}
		len += exact_dist(in, prev, in->depot);
		cost += (double)(in->veh_fixed ? in->veh_fixed[v] : 0) / 100 + (double)unit_of(in, v) / 100 * len;
	}
	return cost;
}
