/* Unit tests: manifest ids are unambiguous and keep the old form for codes without '-'. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "manifest/manifest.h"

static void test_plain_codes_unchanged(void **state)
{
	char id[MANIFEST_ID_MAX];
	(void)state;
	assert_int_equal(manifest_make_id(id, "2026-12-01", "H1", "C.2_x", 3), 0);
	assert_string_equal(id, "2026-12-01-H1-C.2_x-v3");
}

static void test_dash_codes_do_not_collide(void **state)
{
	char a[MANIFEST_ID_MAX], b[MANIFEST_ID_MAX], c[MANIFEST_ID_MAX];
	(void)state;
	/* hub N-1 + courier V and hub N + courier 1-V gave the same id */
	assert_int_equal(manifest_make_id(a, "2026-12-01", "N-1", "V", 1), 0);
	assert_int_equal(manifest_make_id(b, "2026-12-01", "N", "1-V", 1), 0);
	assert_string_not_equal(a, b);
	assert_string_equal(a, "2026-12-01-N~1-V-v1");
	assert_string_equal(b, "2026-12-01-N-1~V-v1");
	/* a courier code looking like a version */
	assert_int_equal(manifest_make_id(c, "2026-12-01", "N", "1-V-v1", 1), 0);
	assert_string_not_equal(c, b);
	/* exactly three '-' after the date, whatever the codes */
	{
		const char *p;
		int dashes = 0;
		for (p = c + 10; *p; p++)
			dashes += *p == '-';
		assert_int_equal(dashes, 3);
	}
}

static void test_longest_codes_fit(void **state)
{
	char id[MANIFEST_ID_MAX], code[65];
	(void)state;
	memset(code, '-', 64);
	code[64] = '\0';
	assert_int_equal(manifest_make_id(id, "2026-12-01", code, code, 2147483647), 0);
	assert_true(strlen(id) < MANIFEST_ID_MAX);
	assert_null(strchr(id + 11, '-') == id + 11 + 64 ? NULL : "separator misplaced");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_codes_unchanged),
		cmocka_unit_test(test_dash_codes_do_not_collide),
		cmocka_unit_test(test_longest_codes_fit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
