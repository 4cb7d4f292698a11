/*
 * vcourier route --tsplib FILE.vrp | --vrplib FILE.vrp: solve a CVRPLIB
 * instance, or a VRPLIB one (CVRP, VRPTW, HFVRP), with the planner and
 * print the solution in CVRPLIB format (`Route #k: ...`, `Cost C`).
 * --problem FILE: a problem a nightly run dumped (route/problem_file.h),
 * printed the same way with job numbers (1-based, file order).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "route/problem_file.h"
#include "route/route.h"
#include "route/tsplib.h"
#include "util/clock.h"

static const char usage[] =
	"route {--tsplib | --vrplib | --problem} FILE [--time-limit S | --iterations N] [--seed N] [--threads N] [--vehicles K] [--max-trips N] [--no-local-search]";

static int parse_seconds(const char *s, double *out)
{
	char *end;
	*out = strtod(s, &end);
	return end == s || *end || !(*out >= 0.001) || *out > 1e7 ? -1 : 0;
}

static int parse_count(const char *s, unsigned long long min, unsigned long long max,
		       unsigned long long *out)
{
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || end == s || *end || *s == '-' || *out < min || *out > max ? -1 : 0;
}

/* HFVRP routes carry the file's vehicle number; the others count from 1.
 * A multi-trip vehicle's trips are written one after the other, the depot
 * (node 0) between two of them. */
static void print_plan(const struct route_plan *plan, const struct tsplib_problem *tp,
		       const struct tsplib_instance *inst)
{
	int32_t r, i;
	for (r = 0; r < plan->n_routes; r++) {
		printf("Route #%d:", inst->type == TSPLIB_HFVRP ? plan->routes[r].vehicle + 1 : r + 1);
		for (i = 0; i < plan->routes[r].n_jobs; i++) {
			if (i > 0 && plan->routes[r].trip[i] != plan->routes[r].trip[i - 1])
				printf(" %d", tp->node_of_loc[0]);
			printf(" %d", tp->node_of_loc[tp->jobs[plan->routes[r].jobs[i]].loc]);
		}
		printf("\n");
	}
	if (inst->type == TSPLIB_CVRP)
		printf("Cost %lld\n", (long long)plan->cost);
	else
		printf("Cost %.*f\n", inst->type == TSPLIB_VRPTW ? 1 : 2, tsplib_plan_cost(tp, inst, plan));
}

/* The time limit covers the whole command, reading and set-up included. */
static void charge_setup_time(struct route_options *opt, double t0)
{
	if (opt->time_limit_s > 0) {
		opt->time_limit_s -= vc_mono_s() - t0;
		if (opt->time_limit_s < 0.001)
			opt->time_limit_s = 0.001;
	}
}

/* A dumped nightly problem: routes by vehicle number (1-based, as in the
 * file), jobs by their number in the file, then its cost and distance. */
static int solve_problem_file(const char *path, struct route_options *opt, double t0)
{
	struct vc_error err = VC_ERROR_INIT;
	struct route_problem_file f;
	struct route_plan plan;
	int32_t r, i;
	int rc = 0;

	if (route_problem_load(path, &f, &err) < 0) {
		route_problem_file_release(&f);
		return cmd_fail(&err);
	}
	charge_setup_time(opt, t0);
	if (route_solve(&f.pb, opt, &plan, &err) < 0) {
		rc = cmd_fail(&err);
		goto cleanup;
	}
	for (r = 0; r < plan.n_routes; r++) {
		printf("Route #%d:", plan.routes[r].vehicle + 1);
		for (i = 0; i < plan.routes[r].n_jobs; i++) {
			if (i > 0 && plan.routes[r].trip[i] != plan.routes[r].trip[i - 1])
				printf(" 0");
			printf(" %d", plan.routes[r].jobs[i] + 1);
		}
		printf("\n");
	}
	printf("Cost %lld\nDistance %lld\n", (long long)plan.cost, (long long)plan.distance);
	for (i = 0; i < plan.n_unassigned; i++)
		fprintf(stderr, "vcourier: %s: job %d unassigned: %s\n", path, plan.unassigned[i] + 1,
			route_reason_text(plan.reasons[i]));
	route_plan_release(&plan);
cleanup:
	route_problem_file_release(&f);
	return rc;
}

int cmd_route(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "tsplib", required_argument, NULL, 't' },
		{ "vrplib", required_argument, NULL, 't' },
		{ "problem", required_argument, NULL, 'P' },
		{ "time-limit", required_argument, NULL, 'T' },
		{ "iterations", required_argument, NULL, 'i' },
		{ "seed", required_argument, NULL, 's' },
		{ "vehicles", required_argument, NULL, 'k' },
		{ "threads", required_argument, NULL, 'j' },
		{ "max-trips", required_argument, NULL, 'm' },
		{ "no-local-search", no_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 },
	};
	struct route_options opt = { 0 };
	struct vc_error err = VC_ERROR_INIT;
	struct tsplib_instance inst;
	struct tsplib_problem tp;
	struct route_plan plan;
	double t0;
	const char *path = NULL, *problem = NULL;
	unsigned long long v, vehicles = 0, max_trips = 1;
	int c, rc = 0;
	int32_t i;

	t0 = vc_mono_s();
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			path = optarg;
			break;
		case 'P':
			problem = optarg;
			break;
		case 'T':
			if (parse_seconds(optarg, &opt.time_limit_s) < 0)
				return cmd_usage(usage);
			break;
		case 'i':
			if (parse_count(optarg, 1, INT64_MAX, &v) < 0)
				return cmd_usage(usage);
			opt.iterations = (int64_t)v;
			break;
		case 's':
			if (parse_count(optarg, 0, UINT64_MAX, &v) < 0)
				return cmd_usage(usage);
			opt.seed = (uint64_t)v;
			break;
		case 'L':
			opt.no_local_search = 1;
			break;
		case 'j':
			if (parse_count(optarg, 1, 256, &v) < 0)
				return cmd_usage(usage);
			opt.threads = (int)v;
			break;
		case 'k':
			if (parse_count(optarg, 1, 1000000, &vehicles) < 0)
				return cmd_usage(usage);
			break;
		case 'm': /* the range of route_vehicle.max_trips and of the max_trips key */
			if (parse_count(optarg, 1, ROUTE_MAX_TRIPS, &max_trips) < 0)
				return cmd_usage(usage);
			break;
		default:
			return cmd_usage(usage);
		}
	}
	if (!path == !problem || optind != argc)
		return cmd_usage(usage);
	opt.verbose = ctx->verbose;
	if (problem) {
		if (vehicles || max_trips != 1) {
			fprintf(stderr, "vcourier: route: --vehicles and --max-trips do not apply to --problem"
					" (%s has its fleet)\n", problem);
			return cmd_usage(usage);
		}
		return solve_problem_file(problem, &opt, t0);
	}

	if (tsplib_read(path, &inst, &err) < 0)
		return cmd_fail(&err);
	if (inst.type == TSPLIB_CVRP) {
		tsplib_problem_init(&tp, &inst, (int32_t)vehicles);
	} else if (vehicles) {
		tsplib_release(&inst);
		fprintf(stderr, "vcourier: route: --vehicles applies to CVRP only (%s has its fleet)\n", path);
		return cmd_usage(usage);
	} else if (vrplib_problem_init(&tp, &inst, &err) < 0) {
		tsplib_release(&inst);
		return cmd_fail(&err);
	}
	tsplib_problem_set_trips(&tp, (int32_t)max_trips);
	charge_setup_time(&opt, t0);
	if (route_solve(&tp.pb, &opt, &plan, &err) < 0) {
		rc = cmd_fail(&err);
		goto cleanup;
	}
	print_plan(&plan, &tp, &inst);
	for (i = 0; i < plan.n_unassigned; i++)
		fprintf(stderr, "vcourier: %s: customer %d unassigned: %s\n", path,
			tp.node_of_loc[tp.jobs[plan.unassigned[i]].loc],
			route_reason_text(plan.reasons[i]));
	if (plan.n_unassigned)
		rc = EX_DATAERR;
	route_plan_release(&plan);
cleanup:
	tsplib_problem_release(&tp);
	tsplib_release(&inst);
	return rc;
}
