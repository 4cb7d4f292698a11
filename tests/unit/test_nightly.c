/* Unit tests: nightly's pure parts (dates, the delivery problem line, the human summary). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nightly/nightly.h"

static void test_check_date(void **state)
{
	struct vc_error err = VC_ERROR_INIT;
	char tomorrow[11];
	(void)state;
	assert_int_equal(nightly_check_date("2026-12-01", &err), 0);
	assert_int_equal(nightly_check_date("2028-02-29", &err), 0);
	assert_int_equal(nightly_check_date("2026-02-29", &err), -1);
	assert_int_equal(err.code, EX_USAGE);
	assert_int_equal(nightly_check_date("2026-13-01", &err), -1);
	assert_int_equal(nightly_check_date("2026-1-01", &err), -1);
	assert_int_equal(nightly_check_date("2026-12-01x", &err), -1);
	assert_int_equal(nightly_check_date(NULL, &err), -1);
	nightly_default_date(tomorrow);
	assert_int_equal(nightly_check_date(tomorrow, &err), 0);
}

static json_t *summary(int pending, int waiting, int failed)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:b, s:i, s:i, s:[], s:[], s:[{s:s, s:s, s:i, s:i, s:f, s:f, s:s, s:i}],"
			 " s:{s:i, s:i, s:i, s:i, s:i}}",
			 "run_id", (json_int_t)7, "kind", "nightly", "hub", "H1", "service_date",
			 "2026-12-01", "dry_run", 0, "orders_claimed", 3, "orders_routed", 3,
			 "rejected", "unassigned", "manifests", "manifest_id", "2026-12-01-H1-C1-v1",
			 "courier", "C1", "stops", 2, "parcels", 3, "weight_kg", 12.5, "distance_km",
			 30.25, "delivery", "pending", "attempts", 2, "delivery", "delivered", 0,
			 "pending", pending, "failed", failed, "gone", 0, "waiting", waiting);
}

static void test_delivery_problem(void **state)
{
	char msg[512];
	json_t *s;
	(void)state;
	s = summary(0, 0, 0);
	assert_int_equal(nightly_delivery_problem(s, msg, sizeof(msg)), 0);
	json_decref(s);
	/* waiting for a Retry-After counts as pending: the operator is told */
	s = summary(1, 2, 1);
	assert_int_equal(nightly_delivery_problem(s, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "hub H1: run 7 left 3 manifests pending, 1 failed, 0 gone"));
	assert_non_null(strstr(msg, "vcourier rerun --run 7"));
	json_decref(s);
}

static void test_print_summary(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	json_t *s = summary(1, 0, 0);
	(void)state;
	nightly_print_summary(out, s);
	fclose(out);
	assert_non_null(strstr(text, "hub H1 2026-12-01: nightly run 7\n"));
	assert_non_null(strstr(text, "3 orders claimed, 3 routed in 1 manifests, 0 rejected, 0 unassigned"));
	/* the one manifest line, shared with `vcourier run show` */
	assert_non_null(strstr(text, "manifest 2026-12-01-H1-C1-v1"));
	assert_non_null(strstr(text, "2 stops     3 parcels     12.500 kg     30.2 km  pending, 2 attempts"));
	assert_non_null(strstr(text, "delivery: 0 delivered, 1 pending, 0 failed, 0 gone"));
	free(text);
	json_decref(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_date),
		cmocka_unit_test(test_delivery_problem),
		cmocka_unit_test(test_print_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
