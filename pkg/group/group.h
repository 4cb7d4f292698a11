/*
 * group: turns the claimed parcels of a hub into visits, the jobs of the
 * route planner. Parcels of one collection point travel together; when they
 * exceed one vehicle (kg or m3) the point is split into several visits,
 * each fitting the given capacity. A parcel is never split. Pure code: the
 * same input gives the same visits, in the same order.
 */
#ifndef VC_GROUP_H
#define VC_GROUP_H

#include <stddef.h>
#include <stdint.h>

struct group_parcel {
	int32_t point;        /* caller's point index */
	int64_t demand[2];    /* grams, cm3 */
};

struct group_visit {
	int32_t point;
	int64_t demand[2];    /* sum of its parcels */
	size_t first;         /* its parcels: order[first .. first+count-1] */
	size_t count;
};

struct group_result {
	size_t n_visits;
	struct group_visit *visits;   /* by point index, then in packing order */
	size_t *order;                /* parcel indices, visit after visit */
};

/*
 * Group n parcels into visits that each fit capacity (both dimensions).
 * A parcel larger than capacity on its own gets a visit of its own (the
 * caller rejects what fits no vehicle before grouping; this one may fit
 * another vehicle). Inside a point the rest is packed by route_split_visits
 * (first-fit decreasing), fed in an order that does not depend on the input's.
 */
void group_parcels(const struct group_parcel *parcels, size_t n, const int64_t capacity[2],
		   struct group_result *out);
void group_result_release(struct group_result *res);

#endif
