/*
 * tsplib: CVRPLIB instances in TSPLIB format (the subset CVRP uses: NAME,
 * DIMENSION, CAPACITY, EDGE_WEIGHT_TYPE EUC_2D, NODE_COORD_SECTION,
 * DEMAND_SECTION, DEPOT_SECTION) and their conversion to a route_problem;
 * also the VRPLIB dialect of PyVRP's instances (TYPE VRPTW or HFVRP,
 * VEHICLES, SERVICE_TIME, TIME_WINDOW_SECTION, SERVICE_TIME_SECTION,
 * CAPACITY_SECTION, VEHICLES_FIXED_COST_SECTION,
 * VEHICLES_UNIT_DISTANCE_COST_SECTION), converted in vrplib.c.
 */
#ifndef VC_TSPLIB_H
#define VC_TSPLIB_H

#include <stdint.h>
#include <stdio.h>

#include "route/route.h"
#include "util/error.h"

enum tsplib_type { TSPLIB_CVRP, TSPLIB_VRPTW, TSPLIB_HFVRP };

struct tsplib_instance {
	char name[128];
	enum tsplib_type type;
	int32_t dimension;     /* nodes, depot included */
	int64_t capacity;      /* CAPACITY (0 when only CAPACITY_SECTION gives them) */
	int32_t depot;         /* 0-based node index of the depot */
	double *x, *y;         /* per node */
	int64_t *demand;       /* per node */
	int32_t vehicles;      /* VEHICLES (0: not given) */
	int64_t service;       /* SERVICE_TIME: every node but the depot */
	int64_t *tw_open, *tw_close; /* per node; NULL without TIME_WINDOW_SECTION */
	int64_t *service_of;   /* per node; NULL without SERVICE_TIME_SECTION */
	int64_t *veh_capacity, *veh_fixed, *veh_unit; /* per vehicle; NULL without their sections */
};

/* Parse; on malformed input err says "FILE:LINE: reason" (EX_DATAERR);
 * a missing file is EX_NOINPUT. `name` is used in messages. */
int tsplib_parse(FILE *in, const char *name, struct tsplib_instance *out, struct vc_error *err);
int tsplib_read(const char *path, struct tsplib_instance *out, struct vc_error *err);
void tsplib_release(struct tsplib_instance *inst);

/* The CVRP as a route_problem: location 0 is the depot, job i is the i-th
 * customer in file order, `vehicles` identical vehicles (<= 0: one per
 * customer, i.e. unlimited). Free with tsplib_problem_release. */
struct tsplib_problem {
	struct route_problem pb;
	int32_t *dist;
	int32_t *time;                 /* VRPTW */
	struct route_profile *profiles; /* HFVRP: one per distinct unit cost */
	int32_t **pdist;
	int32_t n_profiles;
	int32_t *profile_vehicle;      /* profile -> first vehicle using it */
	double scale;                  /* HFVRP: internal cost units per file cost unit x 100 */
	struct route_job *jobs;
	struct route_vehicle *vehicles;
	int32_t *node_of_loc;  /* location -> 0-based node index in the file */
};
void tsplib_problem_init(struct tsplib_problem *tp, const struct tsplib_instance *inst,
			 int32_t vehicles);
void tsplib_problem_release(struct tsplib_problem *tp);

/* Let every vehicle of the problem make up to max_trips trips
 * (1..ROUTE_MAX_TRIPS), back at the depot between them with no unload
 * time (the files know none); capacity holds per trip. */
void tsplib_problem_set_trips(struct tsplib_problem *tp, int32_t max_trips);

/* VRPTW and HFVRP (vrplib.c): the fleet of the file (VEHICLES, its
 * capacities and costs), the conventions of its best-known costs. -1 with
 * err (EX_DATAERR) when the file lacks what its type needs. */
int vrplib_problem_init(struct tsplib_problem *tp, const struct tsplib_instance *inst,
			struct vc_error *err);
/* The plan's cost in the file's convention: CVRP the integer cost, VRPTW
 * the truncated distance (one decimal), HFVRP fixed / 100 + unit / 100 x
 * exact length, recomputed in doubles. */
double tsplib_plan_cost(const struct tsplib_problem *tp, const struct tsplib_instance *inst,
			const struct route_plan *plan);
/* The fleet size k of a name like "A-n32-k5", or 0 when it has none. */
int32_t tsplib_name_fleet(const char *name);

#endif
