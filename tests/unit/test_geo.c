/* Unit tests: great-circle distances, circuity, speed, road matrix overrides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "geo/geo.h"

static void test_great_circle_known_values(void **state)
{
	/* One degree of latitude is 111.195 km on the mean sphere. */
	struct geo_place a = { 0, 0 }, b = { 1, 0 };
	struct geo_place paris = { 48.8566, 2.3522 }, london = { 51.5074, -0.1278 };
	assert_true(fabs(geo_great_circle_m(a, b) - 111195.1) < 1);
	assert_true(fabs(geo_great_circle_m(paris, london) - 343556) < 500);
	assert_true(geo_great_circle_m(paris, paris) == 0);
	assert_true(fabs(geo_great_circle_m(paris, london) - geo_great_circle_m(london, paris)) < 1e-6);
}

static void test_matrix_circuity_and_speed(void **state)
{
	struct geo_place p[2] = { { 0, 0 }, { 0.1, 0 } }; /* 11.1195 km apart */
	struct geo_params par = { 1.3, 30 };
	int32_t d[4], t[4];
	struct vc_error err = VC_ERROR_INIT;
	assert_int_equal(geo_matrix(p, 2, &par, NULL, 0, d, t, &err), 0);
	assert_int_equal(d[0], 0);
	assert_int_equal(t[3], 0);
	/* 11119.5 m x 1.3 = 14455.4 m; at 30 km/h (8.333 m/s): 1734.6 s, rounded up. */
	assert_int_equal(d[1], 14455);
	assert_int_equal(d[2], 14455);
	assert_int_equal(t[1], 1735);
	par.speed_kmh = 60;
	par.circuity = 1;
	assert_int_equal(geo_matrix(p, 2, &par, NULL, 0, d, t, &err), 0);
	assert_int_equal(d[1], 11120);
	assert_int_equal(t[1], 668);
}

static void test_road_matrix_wins_where_present(void **state)
{
	struct geo_place p[3] = { { 0, 0 }, { 0.1, 0 }, { 0, 0.1 } };
	struct geo_override road[2] = { { 0, 1, 20.0, 45.0 }, { 2, 0, 3.0, -1 } };
	struct geo_params par = { 1.3, 30 };
	int32_t d[9], t[9];
	struct vc_error err = VC_ERROR_INIT;
	assert_int_equal(geo_matrix(p, 3, &par, road, 2, d, t, &err), 0);
	assert_int_equal(d[0 * 3 + 1], 20000);
	assert_int_equal(t[0 * 3 + 1], 2700);
	assert_int_equal(d[1 * 3 + 0], 14455); /* directed: the way back is estimated */
	assert_int_equal(d[2 * 3 + 0], 3000);
	assert_int_equal(t[2 * 3 + 0], 360);   /* no duration: 3 km at 30 km/h */
}

static void test_bad_parameters_are_config_errors(void **state)
{
	struct geo_place p[1] = { { 0, 0 } };
	struct geo_params bad_speed = { 1.3, 0 }, bad_circuity = { 0.5, 30 };
	int32_t d[1], t[1];
	struct vc_error err = VC_ERROR_INIT;
	assert_int_equal(geo_matrix(p, 1, &bad_speed, NULL, 0, d, t, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	assert_int_equal(geo_matrix(p, 1, &bad_circuity, NULL, 0, d, t, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_great_circle_known_values),
		cmocka_unit_test(test_matrix_circuity_and_speed),
		cmocka_unit_test(test_road_matrix_wins_where_present),
		cmocka_unit_test(test_bad_parameters_are_config_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
