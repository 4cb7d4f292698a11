/*
 * Unit tests of the TSPLIB reader and of the planner on CVRPLIB instances
 * (copied inline from ../shared/cvrplib so the test needs no data files):
 * parsing, FILE:LINE errors, and plans checked by an independent CVRP
 * check here (coordinates, demands and cost recomputed from the text).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route/route.h"
#include "route/tsplib.h"

static const char a_n32_k5[] =
	"NAME : A-n32-k5\n"
	"COMMENT : (Augerat et al, No of trucks: 5, Optimal value: 784)\n"
	"TYPE : CVRP\n"
	"DIMENSION : 32\n"
	"EDGE_WEIGHT_TYPE : EUC_2D \n"
	"CAPACITY : 100\n"
	"NODE_COORD_SECTION \n"
	" 1 82 76\n"
	" 2 96 44\n"
	" 3 50 5\n"
	" 4 49 8\n"
	" 5 13 7\n"
	" 6 29 89\n"
	" 7 58 30\n"
	" 8 84 39\n"
	" 9 14 24\n"
	" 10 2 39\n"
	" 11 3 82\n"
	" 12 5 10\n"
	" 13 98 52\n"
	" 14 84 25\n"
	" 15 61 59\n"
	" 16 1 65\n"
	" 17 88 51\n"
	" 18 91 2\n"
	" 19 19 32\n"
	" 20 93 3\n"
	" 21 50 93\n"
	" 22 98 14\n"
	" 23 5 42\n"
	" 24 42 9\n"
	" 25 61 62\n"
	" 26 9 97\n"
	" 27 80 55\n"
	" 28 57 69\n"
	" 29 23 15\n"
	" 30 20 70\n"
	" 31 85 60\n"
	" 32 98 5\n"
	"DEMAND_SECTION \n"
	"1 0 \n"
	"2 19 \n"
	"3 21 \n"
	"4 6 \n"
	"5 19 \n"
	"6 7 \n"
	"7 12 \n"
	"8 16 \n"
	"9 6 \n"
	"10 16 \n"
	"11 8 \n"
	"12 14 \n"
	"13 21 \n"
	"14 16 \n"
	"15 3 \n"
	"16 22 \n"
	"17 18 \n"
	"18 19 \n"
	"19 1 \n"
	"20 24 \n"
	"21 8 \n"
	"22 12 \n"
	"23 4 \n"
	"24 8 \n"
	"25 24 \n"
	"26 24 \n"
	"27 2 \n"
	"28 20 \n"
	"29 15 \n"
	"30 2 \n"
	"31 14 \n"
	"32 9 \n"
	"DEPOT_SECTION \n"
	" 1  \n"
	" -1  \n"
	"EOF \n";

static const char a_n33_k6[] =
	"NAME : A-n33-k6\n"
	"COMMENT : (Augerat et al, No of trucks: 6, Optimal value: 742)\n"
	"TYPE : CVRP\n"
	"DIMENSION : 33\n"
	"EDGE_WEIGHT_TYPE : EUC_2D \n"
	"CAPACITY : 100\n"
	"NODE_COORD_SECTION \n"
	" 1 34 31\n"
	" 2 45 55\n"
	" 3 70 80\n"
	" 4 81 70\n"
	" 5 85 61\n"
	" 6 59 55\n"
	" 7 45 60\n"
	" 8 50 64\n"
	" 9 80 64\n"
	" 10 75 90\n"
	" 11 25 40\n"
	" 12 9 66\n"
	" 13 1 44\n"
	" 14 50 54\n"
	" 15 35 45\n"
	" 16 71 84\n"
	" 17 1 9\n"
	" 18 25 54\n"
	" 19 45 59\n"
	" 20 45 71\n"
	" 21 66 84\n"
	" 22 11 35\n"
	" 23 81 46\n"
	" 24 85 10\n"
	" 25 75 20\n"
	" 26 15 21\n"
	" 27 90 45\n"
	" 28 15 0\n"
	" 29 31 26\n"
	" 30 10 95\n"
	" 31 6 6\n"
	" 32 51 5\n"
	" 33 26 36\n"
	"DEMAND_SECTION \n"
	"1 0 \n"
	"2 26 \n"
	"3 17 \n"
	"4 6 \n"
	"5 15 \n"
	"6 7 \n"
	"7 5 \n"
	"8 15 \n"
	"9 16 \n"
	"10 17 \n"
	"11 1 \n"
	"12 21 \n"
	"13 66 \n"
	"14 25 \n"
	"15 16 \n"
	"16 11 \n"
	"17 7 \n"
	"18 17 \n"
	"19 17 \n"
	"20 22 \n"
	"21 10 \n"
	"22 25 \n"
	"23 16 \n"
	"24 7 \n"
	"25 21 \n"
	"26 11 \n"
	"27 21 \n"
	"28 11 \n"
	"29 21 \n"
	"30 22 \n"
	"31 25 \n"
	"32 2 \n"
	"33 22 \n"
	"DEPOT_SECTION \n"
	" 1  \n"
	" -1  \n"
	"EOF \n";

static const char p_n16_k8[] =
	"NAME : P-n16-k8\n"
	"COMMENT : (Augerat et al, No of trucks: 8, Optimal value: 450)\n"
	"TYPE : CVRP\n"
	"DIMENSION : 16\n"
	"EDGE_WEIGHT_TYPE : EUC_2D\n"
	"CAPACITY : 35\n"
	"NODE_COORD_SECTION\n"
	"1 30 40\n"
	"2 37 52\n"
	"3 49 49\n"
	"4 52 64\n"
	"5 31 62\n"
	"6 52 33\n"
	"7 42 41\n"
	"8 52 41\n"
	"9 57 58\n"
	"10 62 42\n"
	"11 42 57\n"
	"12 27 68\n"
	"13 43 67\n"
	"14 58 48\n"
	"15 58 27\n"
	"16 37 69\n"
	"DEMAND_SECTION\n"
	"1 0\n"
	"2 19\n"
	"3 30\n"
	"4 16\n"
	"5 23\n"
	"6 11\n"
	"7 31\n"
	"8 15\n"
	"9 28\n"
	"10 8\n"
	"11 8\n"
	"12 7\n"
	"13 14\n"
	"14 6\n"
	"15 19\n"
	"16 11\n"
	"DEPOT_SECTION\n"
	" 1\n"
	" -1\n"
	"EOF\n";

static int parse_text(const char *text, struct tsplib_instance *inst, struct vc_error *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;
	assert_non_null(f);
	rc = tsplib_parse(f, "t.vrp", inst, err);
	fclose(f);
	return rc;
}

static void test_parse_small_instance(void **state)
{
	struct tsplib_instance inst;
	struct vc_error err = VC_ERROR_INIT;
	(void)state;
	assert_int_equal(parse_text(p_n16_k8, &inst, &err), 0);
	assert_string_equal(inst.name, "P-n16-k8");
	assert_int_equal(inst.dimension, 16);
	assert_int_equal(inst.capacity, 35);
	assert_int_equal(inst.depot, 0);
	assert_true(inst.x[15] == 37 && inst.y[15] == 69);
	assert_int_equal(inst.demand[2], 30);
	assert_int_equal(inst.demand[0], 0);
	assert_int_equal(tsplib_name_fleet(inst.name), 8);
	assert_int_equal(tsplib_name_fleet("X"), 0);
	tsplib_release(&inst);
}

static void expect_error(const char *text, const char *where_and_why)
{
	struct tsplib_instance inst;
	struct vc_error err = VC_ERROR_INIT;
	assert_int_equal(parse_text(text, &inst, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	if (strncmp(err.msg, where_and_why, strlen(where_and_why)))
		fail_msg("got \"%s\", expected \"%s...\"", err.msg, where_and_why);
}

#define HEAD "NAME : t\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n"
#define COORDS "NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\n"
#define DEMANDS "DEMAND_SECTION\n1 0\n2 5\n3 5\n"

static void test_parse_malformed(void **state)
{
	(void)state;
	expect_error(HEAD "NODE_COORD_SECTION\n1 0 0\n2 3 x\n", "t.vrp:8: bad y coordinate");
	expect_error(HEAD COORDS "DEMAND_SECTION\n1 0\n2 -5\n", "t.vrp:12: demand must be");
	expect_error(HEAD COORDS "DEMAND_SECTION\n1 0\n4 5\n", "t.vrp:12: node number out of range");
	expect_error(HEAD COORDS "DEMAND_SECTION\n1 0\n2 5\n", "t.vrp:12: section ends early");
	expect_error(HEAD COORDS DEMANDS "DEPOT_SECTION\n1\n", "t.vrp:15: DEPOT_SECTION not ended");
	expect_error("NAME : t\nDIMENSION : many\n", "t.vrp:2: DIMENSION must be");
	expect_error("NAME : t\nEDGE_WEIGHT_TYPE : GEO\n", "t.vrp:2: only EDGE_WEIGHT_TYPE EUC_2D");
	expect_error("NODE_COORD_SECTION\n", "t.vrp:1: section before DIMENSION");
	expect_error(HEAD COORDS "EOF\n", "t.vrp:10: no DEMAND_SECTION");
	expect_error(HEAD "NODE_COORD_SECTION\n1 0 0\n1 3 4\n", "t.vrp:8: node given twice");
	expect_error("NAME t\n", "t.vrp:1: expected KEY : VALUE");
	/* the VRPLIB dialect: sections per vehicle */
	expect_error(HEAD COORDS DEMANDS "CAPACITY_SECTION\n1 5\n", "t.vrp:14: section per vehicle before VEHICLES");
	expect_error(HEAD "VEHICLES : 2\n" COORDS DEMANDS "CAPACITY_SECTION\n3 5\n",
		     "t.vrp:16: vehicle number out of range");
	expect_error(HEAD "VEHICLES : 2\n" COORDS DEMANDS "VEHICLES_FIXED_COST_SECTION\n1 5\n",
		     "t.vrp:16: section ends early (fewer rows than VEHICLES)");
	expect_error(HEAD COORDS DEMANDS "TIME_WINDOW_SECTION\n1 0 10\n2 9 3\n", "t.vrp:16: time window closes");
	expect_error("NAME : t\nTYPE : VRPTW\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n"
		     COORDS DEMANDS "EOF\n", "t.vrp:14: TYPE VRPTW without TIME_WINDOW_SECTION");
}

/* A VRPLIB HFVRP file (PyVRP's dialect: tabs, the depot list ended by EOF). */
static void test_parse_vrplib_fleet(void **state)
{
	static const char text[] =
		"NAME: h\nTYPE: HFVRP\nDIMENSION: 3\nVEHICLES: 2\nEDGE_WEIGHT_TYPE: EUC_2D\n"
		"NODE_COORD_SECTION\n1\t0\t0\n2\t3\t4\n3\t6\t8\n"
		"DEMAND_SECTION\n1\t0\n2\t5\n3\t5\n"
		"CAPACITY_SECTION\n1\t10\n2\t4\n"
		"VEHICLES_FIXED_COST_SECTION\n1\t700\n2\t100\n"
		"VEHICLES_UNIT_DISTANCE_COST_SECTION\n1\t150\n2\t100\n"
		"DEPOT_SECTION\n1\nEOF\n";
	struct tsplib_instance inst;
	struct tsplib_problem tp;
	struct vc_error err = VC_ERROR_INIT;
	(void)state;
	assert_int_equal(parse_text(text, &inst, &err), 0);
	assert_int_equal(inst.type, TSPLIB_HFVRP);
	assert_int_equal(inst.vehicles, 2);
	assert_int_equal(inst.veh_capacity[1], 4);
	assert_int_equal(inst.veh_fixed[0], 700);
	assert_int_equal(inst.veh_unit[0], 150);
	assert_int_equal(vrplib_problem_init(&tp, &inst, &err), 0);
	/* two unit costs, two profiles; distances scaled by unit */
	assert_int_equal(tp.pb.n_profiles, 2);
	assert_int_equal(tp.pb.vehicles[0].profile, 0);
	assert_int_equal(tp.pb.vehicles[1].profile, 1);
	assert_int_equal(tp.pb.profiles[0].dist[1], (int32_t)(150 * 5 * tp.scale));
	assert_int_equal(tp.pb.profiles[1].dist[1], (int32_t)(100 * 5 * tp.scale));
	assert_int_equal(tp.pb.vehicles[0].fixed_cost, (int64_t)(700 * tp.scale));
	tsplib_problem_release(&tp);
	tsplib_release(&inst);
}

static void test_parse_valid_minimal(void **state)
{
	struct tsplib_instance inst;
	struct vc_error err = VC_ERROR_INIT;
	(void)state;
	assert_int_equal(parse_text(HEAD COORDS DEMANDS "DEPOT_SECTION\n1\n-1\nEOF\n", &inst, &err), 0);
	assert_int_equal(inst.dimension, 3);
	tsplib_release(&inst);
}

static void test_read_missing_file(void **state)
{
	struct tsplib_instance inst;
	struct vc_error err = VC_ERROR_INIT;
	(void)state;
	assert_int_equal(tsplib_read("/nonexistent/x.vrp", &inst, &err), -1);
	assert_int_equal(err.code, EX_NOINPUT);
}

/* Independent CVRP check straight from the instance text. */
static int64_t check_cvrp(const char *text, const struct route_plan *plan,
			  const struct tsplib_problem *tp, int max_routes)
{
	double xy[128][2];
	int demand[128], capacity = 0, dim = 0, node, seen[128] = { 0 }, r, i;
	const char *p;
	int64_t cost = 0;
	sscanf(strstr(text, "DIMENSION") + strcspn(strstr(text, "DIMENSION"), ":") + 1, "%d", &dim);
	sscanf(strstr(text, "CAPACITY") + strcspn(strstr(text, "CAPACITY"), ":") + 1, "%d", &capacity);
	assert_true(dim > 0 && dim <= 128 && capacity > 0);
	p = strchr(strstr(text, "NODE_COORD_SECTION"), '\n') + 1;
	for (i = 0; i < dim; i++, p = strchr(p, '\n') + 1)
		sscanf(p, "%d %lf %lf", &node, &xy[i][0], &xy[i][1]);
	p = strchr(strstr(text, "DEMAND_SECTION"), '\n') + 1;
	for (i = 0; i < dim; i++, p = strchr(p, '\n') + 1)
		sscanf(p, "%d %d", &node, &demand[i]);
	assert_int_equal(plan->n_unassigned, 0);
	assert_true(plan->n_routes <= max_routes);
	for (r = 0; r < plan->n_routes; r++) {
		int load = 0, prev = 0;
		for (i = 0; i < plan->routes[r].n_jobs; i++) {
			int c = tp->node_of_loc[tp->jobs[plan->routes[r].jobs[i]].loc];
			assert_true(c >= 1 && c < dim);
			assert_int_equal(seen[c]++, 0);
			load += demand[c];
			cost += (int64_t)floor(hypot(xy[prev][0] - xy[c][0], xy[prev][1] - xy[c][1]) + 0.5);
			prev = c;
		}
		cost += (int64_t)floor(hypot(xy[prev][0] - xy[0][0], xy[prev][1] - xy[0][1]) + 0.5);
		assert_true(load <= capacity);
	}
	for (i = 1; i < dim; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(plan->cost, cost);
	return cost;
}

static void solve_capped(const char *text, int64_t optimum, int64_t iterations, double max_gap)
{
	struct tsplib_instance inst;
	struct tsplib_problem tp;
	struct route_plan plan;
	struct route_options opt = { 0 };
	struct vc_error err = VC_ERROR_INIT;
	int32_t k;
	int64_t cost;
	assert_int_equal(parse_text(text, &inst, &err), 0);
	k = tsplib_name_fleet(inst.name);
	tsplib_problem_init(&tp, &inst, k);
	opt.seed = 1;
	opt.iterations = iterations;
	assert_int_equal(route_solve(&tp.pb, &opt, &plan, &err), 0);
	cost = check_cvrp(text, &plan, &tp, k);
	/* an optimum cannot be beaten: a lower cost would be a checker or solver bug */
	assert_true(cost >= optimum);
	assert_true((double)cost <= (double)optimum * (1 + max_gap));
	route_plan_release(&plan);
	tsplib_problem_release(&tp);
	tsplib_release(&inst);
}

static void test_cvrplib_instances(void **state)
{
	(void)state;
	solve_capped(p_n16_k8, 450, 3000, 0.06);
	solve_capped(a_n32_k5, 784, 3000, 0.06);
	solve_capped(a_n33_k6, 742, 3000, 0.06);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_small_instance),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_valid_minimal),
		cmocka_unit_test(test_read_missing_file),
		cmocka_unit_test(test_parse_vrplib_fleet),
		cmocka_unit_test(test_cvrplib_instances),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
