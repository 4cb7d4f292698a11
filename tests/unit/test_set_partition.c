/*
 * test_set_partition: the set partitioning the planner hands to CBC
 * (pkg/route/set_partition.c) against a brute force over every choice of
 * columns, on random small instances: with and without a starting choice,
 * with the column count binding, and with no partition at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "route/set_partition.h"
#include "util/clock.h"

#define MAX_ROWS 8
#define MAX_COLS 14

struct instance {
	int32_t n_rows, n_cols;
	int64_t col_start[MAX_COLS + 1];
	int32_t rows[MAX_COLS * MAX_ROWS];
	int64_t cost[MAX_COLS];
};

static uint32_t lcg_next(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void random_instance(struct instance *in, uint32_t *s)
{
	int32_t c, r;
	int64_t nz = 0;
	in->n_rows = 3 + (int32_t)(lcg_next(s) % (MAX_ROWS - 2));
	in->n_cols = 4 + (int32_t)(lcg_next(s) % (MAX_COLS - 3));
	for (c = 0; c < in->n_cols; c++) {
		in->col_start[c] = nz;
		for (r = 0; r < in->n_rows; r++)
			if (lcg_next(s) % 3 == 0)
				in->rows[nz++] = r;
		if (nz == in->col_start[c])
			in->rows[nz++] = (int32_t)(lcg_next(s) % (uint32_t)in->n_rows);
		/* cost grows with the column's size, with noise */
		in->cost[c] = 10 * (nz - in->col_start[c]) + (int64_t)(lcg_next(s) % 25);
	}
	in->col_start[in->n_cols] = nz;
}

/* The cheapest exact cover with at most max_chosen columns, -1 when none;
 * its columns as a bit mask in *mask. */
static int64_t brute_force(const struct instance *in, int32_t max_chosen, uint32_t *mask)
{
	int64_t best = -1;
	uint32_t set;
	for (set = 1; set < (1u << in->n_cols); set++) {
		int cover[MAX_ROWS] = { 0 }, ok = 1, used = 0;
		int64_t sum = 0, k;
		int32_t c, r;
		for (c = 0; c < in->n_cols && ok; c++) {
			if (!(set >> c & 1))
				continue;
			used++;
			sum += in->cost[c];
			for (k = in->col_start[c]; k < in->col_start[c + 1]; k++)
				ok = ++cover[in->rows[k]] == 1;
		}
		for (r = 0; r < in->n_rows && ok; r++)
			ok = cover[r] == 1;
		if (ok && used <= max_chosen && (best < 0 || sum < best)) {
			best = sum;
			*mask = set;
		}
	}
	return best;
}

static struct set_partition problem_of(const struct instance *in, int32_t max_chosen)
{
	struct set_partition sp = { 0 };
	sp.n_rows = in->n_rows;
	sp.n_cols = in->n_cols;
	sp.col_start = in->col_start;
	sp.rows = in->rows;
	sp.cost = in->cost;
	sp.max_chosen = max_chosen;
	sp.deadline_ns = vc_mono_ns() + 60 * (int64_t)1000000000;
	return sp;
}

static int64_t chosen_cost(const struct instance *in, const uint8_t *chosen)
{
	int64_t sum = 0;
	int32_t c;
	for (c = 0; c < in->n_cols; c++)
		sum += chosen[c] ? in->cost[c] : 0;
	return sum;
}

/* Random instances: CBC's choice costs what the brute force's does, and is
 * an exact cover (set_partition_solve checks that itself; the cost equal
 * to the optimum shows it chose the right columns); -1 exactly when no
 * cover exists. Both kinds must occur. */
static void test_random_against_brute_force(void **state)
{
	uint32_t s = 4242;
	int round, feasible = 0, infeasible = 0, binding = 0;
	(void)state;
	for (round = 0; round < 150; round++) {
		struct instance in;
		struct set_partition sp;
		uint8_t chosen[MAX_COLS];
		uint32_t mask = 0, mask_free = 0;
		int32_t max_chosen;
		int64_t want, got, unlimited;
		random_instance(&in, &s);
		max_chosen = 1 + (int32_t)(lcg_next(&s) % 4);
		want = brute_force(&in, max_chosen, &mask);
		unlimited = brute_force(&in, MAX_COLS, &mask_free);
		sp = problem_of(&in, max_chosen);
		got = set_partition_solve(&sp, chosen);
		assert_int_equal(got, want);
		if (want >= 0) {
			feasible++;
			assert_int_equal(chosen_cost(&in, chosen), want);
		} else {
			infeasible++;
		}
		binding += unlimited >= 0 && unlimited != want;
	}
	assert_true(feasible >= 20);
	assert_true(infeasible >= 20);
	assert_true(binding >= 5);
}

/* Started from a feasible but dear choice, CBC still ends at the optimum:
 * the start is a bound to beat, not an answer. */
static void test_start_is_improved(void **state)
{
	/* rows 0..3; the singletons cover them dearly, two pairs cheaply */
	struct instance in = {
		.n_rows = 4, .n_cols = 6,
		.col_start = { 0, 1, 2, 3, 4, 6, 8 },
		.rows = { 0, 1, 2, 3, 0, 1, 2, 3 },
		.cost = { 10, 10, 10, 10, 12, 13 },
	};
	const int32_t start[] = { 0, 1, 2, 3 };
	uint8_t chosen[6];
	struct set_partition sp = problem_of(&in, 4);
	(void)state;
	sp.start = start;
	sp.n_start = 4;
	assert_int_equal(set_partition_solve(&sp, chosen), 25);
	assert_memory_equal(chosen, ((uint8_t[]){ 0, 0, 0, 0, 1, 1 }), 6);
	/* with room for one column only, nothing covers all four rows */
	sp = problem_of(&in, 1);
	assert_int_equal(set_partition_solve(&sp, chosen), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_against_brute_force),
		cmocka_unit_test(test_start_is_improved),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
