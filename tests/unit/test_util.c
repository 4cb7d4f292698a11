/* Unit tests: the shared helpers of pkg/util (HH:MM, splitmix, JSON getters, clocks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/clock.h"
#include "util/hhmm.h"
#include "util/json.h"
#include "util/splitmix.h"

static void test_hhmm(void **state)
{
	char out[6];
	(void)state;
	assert_int_equal(vc_hhmm_parse("08:30", 0), 510);
	assert_int_equal(vc_hhmm_parse("00:00", 0), 0);
	assert_int_equal(vc_hhmm_parse("24:00", 0), 1440);
	assert_int_equal(vc_hhmm_parse("24:01", 0), -1);
	assert_int_equal(vc_hhmm_parse("12:60", 0), -1);
	assert_int_equal(vc_hhmm_parse("7:05", 0), -1);  /* manifests: two digits */
	assert_int_equal(vc_hhmm_parse("7:05", VC_HHMM_SHORT_HOUR), 425);
	assert_int_equal(vc_hhmm_parse("7:5", VC_HHMM_SHORT_HOUR), -1);
	assert_int_equal(vc_hhmm_parse("08-30", 0), -1);
	assert_int_equal(vc_hhmm_parse("0a:30", 0), -1);
	assert_int_equal(vc_hhmm_parse("", 0), -1);
	assert_int_equal(vc_hhmm_parse(NULL, 0), -1);
	vc_hhmm_format(510, out);
	assert_string_equal(out, "08:30");
	vc_hhmm_format(1440, out);
	assert_string_equal(out, "24:00");
	vc_hhmm_format(-3, out);
	assert_string_equal(out, "00:00");
	/* format and parse agree on every minute of the day */
	{
		int m;
		for (m = 0; m <= 1440; m++) {
			vc_hhmm_format(m, out);
			assert_int_equal(vc_hhmm_parse(out, 0), m);
		}
	}
}

static void test_splitmix(void **state)
{
	uint64_t a = 1, b = 1;
	int i;
	(void)state;
	/* the published first output of splitmix64 seeded with 0 */
	{
		uint64_t z = 0;
		assert_true(vc_splitmix64(&z) == 0xe220a8397b1dcdafULL);
	}
	for (i = 0; i < 1000; i++) {
		double u = vc_splitmix_uniform(&a);
		assert_true(u >= 0 && u < 1);
		assert_true(u == vc_splitmix_uniform(&b));
	}
}

static void test_json_getters(void **state)
{
	json_t *o = json_pack("{s:s, s:i, s:f, s:n}", "s", "x", "i", 42, "f", 1.5, "n");
	(void)state;
	assert_string_equal(vc_json_str(o, "s", "-"), "x");
	assert_string_equal(vc_json_str(o, "i", "-"), "-");
	assert_string_equal(vc_json_str(o, "absent", "-"), "-");
	assert_string_equal(vc_json_str(NULL, "s", "d"), "d");
	assert_int_equal(vc_json_int(o, "i"), 42);
	assert_int_equal(vc_json_int(o, "s"), 0);
	assert_true(vc_json_num(o, "f") == 1.5);
	assert_true(vc_json_num(o, "i") == 42.0);
	assert_true(vc_json_num(o, "n") == 0.0);
	json_decref(o);
}

static void test_clocks(void **state)
{
	int64_t m0 = vc_mono_ms(), w = vc_wall_ms();
	double s0 = vc_mono_s();
	(void)state;
	assert_true(vc_mono_ms() >= m0);
	assert_true(vc_mono_s() >= s0);
	assert_true(w > 1700000000000LL);  /* after 2023: a real epoch clock */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hhmm),
		cmocka_unit_test(test_splitmix),
		cmocka_unit_test(test_json_getters),
		cmocka_unit_test(test_clocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
