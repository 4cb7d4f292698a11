/*
 * set_partition: choose columns (sets of rows, each with a cost) so that
 * every row is in exactly one chosen column, at most max_chosen columns,
 * at the least total cost. Solved by CBC (COIN-OR branch and cut); the
 * planner's only use is picking the cheapest plan among routes it has met
 * (route_pool.c), one row a job, one column a route.
 */
#ifndef VC_ROUTE_SET_PARTITION_H
#define VC_ROUTE_SET_PARTITION_H

#include <stdint.h>

struct set_partition {
	int32_t n_rows, n_cols;
	const int64_t *col_start;  /* n_cols + 1 offsets into rows */
	const int32_t *rows;       /* each column's rows, 0..n_rows-1, no repeats */
	const int64_t *cost;       /* n_cols */
	int32_t max_chosen;
	/* a feasible choice to start from (its columns), or NULL / 0 */
	const int32_t *start;
	int32_t n_start;
	int64_t deadline_ns;       /* vc_mono_ns() by which CBC gives its best choice so far */
};

/* Fills chosen (n_cols flags) with the best choice found and returns its
 * cost; -1 when none was found (infeasible, or none within the time). */
int64_t set_partition_solve(const struct set_partition *sp, uint8_t *chosen);

/* CBC's version, for vcourier --version. */
const char *set_partition_solver_version(void);

#endif
