/*
 * route_plan_assert: one plan equal to another, field for field (routes,
 * their schedules, trips and loads, the jobs left out, the iterations):
 * the determinism checks of the planner's unit tests. Include after
 * cmocka.h.
 */
#ifndef VC_TEST_ROUTE_PLAN_ASSERT_H
#define VC_TEST_ROUTE_PLAN_ASSERT_H

#include <stddef.h>

#include "route/route.h"

static void assert_same_plan(const struct route_plan *a, const struct route_plan *b)
{
	int32_t r;
	assert_int_equal(a->n_routes, b->n_routes);
	assert_int_equal(a->cost, b->cost);
	assert_int_equal(a->distance, b->distance);
	assert_int_equal(a->iterations, b->iterations);
	assert_int_equal(a->n_unassigned, b->n_unassigned);
	for (r = 0; r < a->n_routes; r++) {
		const struct route_route *x = &a->routes[r], *y = &b->routes[r];
		size_t n = (size_t)x->n_jobs;
		assert_int_equal(x->vehicle, y->vehicle);
		assert_int_equal(x->n_jobs, y->n_jobs);
		assert_memory_equal(x->jobs, y->jobs, sizeof(*x->jobs) * n);
		assert_memory_equal(x->arrival, y->arrival, sizeof(*x->arrival) * n);
		assert_memory_equal(x->start, y->start, sizeof(*x->start) * n);
		assert_memory_equal(x->trip, y->trip, sizeof(*x->trip) * n);
		assert_int_equal(x->depart, y->depart);
		assert_int_equal(x->back, y->back);
		assert_int_equal(x->distance, y->distance);
		assert_memory_equal(x->load, y->load, sizeof(x->load));
	}
	if (a->n_unassigned)
		assert_memory_equal(a->unassigned, b->unassigned, sizeof(*a->unassigned) * (size_t)a->n_unassigned);
}

#endif
