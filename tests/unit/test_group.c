/* Unit tests: grouping parcels into visits (split, never split a parcel, deterministic). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "group/group.h"

static const int64_t cap[2] = { 5000000, 30000000 }; /* 5 t, 30 m3 */

/* Every parcel appears exactly once, in a visit of its own point, whose
 * demand is the sum of its parcels and fits cap unless a parcel alone is larger. */
static void check_partition(const struct group_parcel *p, size_t n, const struct group_result *r)
{
	int seen[64] = { 0 };
	size_t v, k;
	assert_true(n <= 64);
	for (v = 0; v < r->n_visits; v++) {
		const struct group_visit *vi = &r->visits[v];
		int64_t sum[2] = { 0, 0 };
		assert_true(vi->count > 0);
		for (k = vi->first; k < vi->first + vi->count; k++) {
			size_t i = r->order[k];
			assert_true(i < n);
			assert_int_equal(p[i].point, vi->point);
			seen[i]++;
			sum[0] += p[i].demand[0];
			sum[1] += p[i].demand[1];
		}
		assert_int_equal(sum[0], vi->demand[0]);
		assert_int_equal(sum[1], vi->demand[1]);
		if (vi->count > 1)
			assert_true(sum[0] <= cap[0] && sum[1] <= cap[1]);
	}
	for (k = 0; k < n; k++)
		assert_int_equal(seen[k], 1);
}

static void test_one_visit_per_point_when_it_fits(void **state)
{
	struct group_parcel p[] = {
		{ 2, { 1000, 2000 } }, { 1, { 3000, 1000 } }, { 2, { 500, 500 } }, { 1, { 10, 10 } },
	};
	struct group_result r;
	group_parcels(p, 4, cap, &r);
	check_partition(p, 4, &r);
	assert_int_equal(r.n_visits, 2);
	assert_int_equal(r.visits[0].point, 1);
	assert_int_equal(r.visits[0].demand[0], 3010);
	assert_int_equal(r.visits[1].point, 2);
	assert_int_equal(r.visits[1].demand[1], 2500);
	group_result_release(&r);
}

static void test_heavy_point_split_by_weight(void **state)
{
	/* 3 x 2 t at one point: 5 t holds two of them at most. */
	struct group_parcel p[] = { { 7, { 2000000, 1 } }, { 7, { 2000000, 1 } }, { 7, { 2000000, 1 } } };
	struct group_result r;
	group_parcels(p, 3, cap, &r);
	check_partition(p, 3, &r);
	assert_int_equal(r.n_visits, 2);
	assert_int_equal(r.visits[0].count, 2);
	assert_int_equal(r.visits[1].count, 1);
	group_result_release(&r);
}

static void test_bulky_point_split_by_volume(void **state)
{
	/* Light but bulky: 4 x 10 m3 needs two 30 m3 visits though 40 kg is nothing. */
	struct group_parcel p[] = {
		{ 3, { 10000, 10000000 } }, { 3, { 10000, 10000000 } },
		{ 3, { 10000, 10000000 } }, { 3, { 10000, 10000000 } },
	};
	struct group_result r;
	group_parcels(p, 4, cap, &r);
	check_partition(p, 4, &r);
	assert_int_equal(r.n_visits, 2);
	assert_int_equal(r.visits[0].demand[1], 30000000);
	assert_int_equal(r.visits[1].demand[1], 10000000);
	group_result_release(&r);
}

static void test_first_fit_decreasing_fills_gaps(void **state)
{
	/* 4 t, 3 t, 1 t, 2 t: FFD packs {4,1} and {3,2}: two visits, not three. */
	struct group_parcel p[] = {
		{ 0, { 4000000, 0 } }, { 0, { 3000000, 0 } }, { 0, { 1000000, 0 } }, { 0, { 2000000, 0 } },
	};
	struct group_result r;
	group_parcels(p, 4, cap, &r);
	check_partition(p, 4, &r);
	assert_int_equal(r.n_visits, 2);
	assert_int_equal(r.visits[0].demand[0], 5000000);
	assert_int_equal(r.visits[1].demand[0], 5000000);
	group_result_release(&r);
}

static void test_oversized_parcel_alone_never_split(void **state)
{
	struct group_parcel p[] = { { 1, { 6000000, 1 } }, { 1, { 1000, 1 } } };
	struct group_result r;
	group_parcels(p, 2, cap, &r);
	check_partition(p, 2, &r);
	assert_int_equal(r.n_visits, 2);
	assert_int_equal(r.visits[0].count, 1);
	assert_int_equal(r.visits[0].demand[0], 6000000);
	group_result_release(&r);
}

static void test_deterministic_and_input_order_free(void **state)
{
	struct group_parcel a[40], b[40];
	struct group_result ra, rb;
	size_t i, v;
	for (i = 0; i < 40; i++) {
		a[i].point = (int32_t)(i % 3);
		a[i].demand[0] = 300000 + (int64_t)((i * 7919) % 13) * 100000;
		a[i].demand[1] = 1000000 + (int64_t)((i * 104729) % 11) * 500000;
		b[39 - i] = a[i];
	}
	group_parcels(a, 40, cap, &ra);
	group_parcels(b, 40, cap, &rb);
	check_partition(a, 40, &ra);
	check_partition(b, 40, &rb);
	/* Equal parcels are interchangeable: the visits' demands must match exactly. */
	assert_int_equal(ra.n_visits, rb.n_visits);
	for (v = 0; v < ra.n_visits; v++) {
		assert_int_equal(ra.visits[v].point, rb.visits[v].point);
		assert_int_equal(ra.visits[v].demand[0], rb.visits[v].demand[0]);
		assert_int_equal(ra.visits[v].demand[1], rb.visits[v].demand[1]);
		assert_int_equal(ra.visits[v].count, rb.visits[v].count);
	}
	group_result_release(&rb);
	group_parcels(a, 40, cap, &rb);
	assert_memory_equal(ra.order, rb.order, 40 * sizeof(size_t));
	group_result_release(&ra);
	group_result_release(&rb);
}

static void test_empty(void **state)
{
	struct group_result r;
	group_parcels(NULL, 0, cap, &r);
	assert_int_equal(r.n_visits, 0);
	group_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_visit_per_point_when_it_fits),
		cmocka_unit_test(test_heavy_point_split_by_weight),
		cmocka_unit_test(test_bulky_point_split_by_volume),
		cmocka_unit_test(test_first_fit_decreasing_fills_gaps),
		cmocka_unit_test(test_oversized_parcel_alone_never_split),
		cmocka_unit_test(test_deterministic_and_input_order_free),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
