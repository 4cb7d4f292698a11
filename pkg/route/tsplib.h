/*
 * tsplib: CVRPLIB instances in TSPLIB format (the subset CVRP uses: NAME,
 * DIMENSION, CAPACITY, EDGE_WEIGHT_TYPE EUC_2D, NODE_COORD_SECTION,
 * DEMAND_SECTION, DEPOT_SECTION) and their conversion to a route_problem.
 */
#ifndef VC_TSPLIB_H
#define VC_TSPLIB_H

#include <stdint.h>
#include <stdio.h>

#include "route/route.h"
#include "util/error.h"

struct tsplib_instance {
	char name[128];
	int32_t dimension;     /* nodes, depot included */
	int64_t capacity;
	int32_t depot;         /* 0-based node index of the depot */
	double *x, *y;         /* per node */
	int64_t *demand;       /* per node */
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
	struct route_job *jobs;
	struct route_vehicle *vehicles;
	int32_t *node_of_loc;  /* location -> 0-based node index in the file */
};
void tsplib_problem_init(struct tsplib_problem *tp, const struct tsplib_instance *inst,
			 int32_t vehicles);
void tsplib_problem_release(struct tsplib_problem *tp);
/* The fleet size k of a name like "A-n32-k5", or 0 when it has none. */
int32_t tsplib_name_fleet(const char *name);

#endif
