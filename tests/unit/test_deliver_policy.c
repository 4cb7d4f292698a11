/*
 * Unit tests: deliver's pure policy (issue 9): how an HTTP status is
 * classified, and the backoff between attempts (exponential, capped, full
 * jitter, Retry-After honoured when longer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "deliver/deliver_internal.h"

static void test_status_classification(void **state)
{
	static const long delivered[] = { 200, 201, 202, 204, 299 };
	static const long retry[] = { 408, 409, 425, 429, 500, 502, 503, 504, 599 };
	static const long failed[] = { 100, 301, 302, 304, 307, 400, 401, 403, 404, 405, 411,
				       413, 415, 422, 451 };
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(delivered) / sizeof(delivered[0]); i++)
		assert_int_equal(deliver_classify_status(delivered[i]), DELIVER_DELIVERED);
	for (i = 0; i < sizeof(retry) / sizeof(retry[0]); i++)
		assert_int_equal(deliver_classify_status(retry[i]), DELIVER_RETRY);
	for (i = 0; i < sizeof(failed) / sizeof(failed[0]); i++)
		assert_int_equal(deliver_classify_status(failed[i]), DELIVER_FAILED);
	assert_int_equal(deliver_classify_status(410), DELIVER_GONE);
}

static void test_backoff(void **state)
{
	struct deliver_options o = { .backoff_base_s = 1, .backoff_max_s = 60 };
	(void)state;
	/* the cap doubles per attempt: 1, 2, 4, ... and u scales it */
	assert_true(deliver_backoff_s(&o, 1, -1, 0.5) == 0.5);
	assert_true(deliver_backoff_s(&o, 2, -1, 0.5) == 1);
	assert_true(deliver_backoff_s(&o, 3, -1, 0.5) == 2);
	assert_true(deliver_backoff_s(&o, 6, -1, 0.5) == 16);
	/* capped at backoff_max_s; a huge attempt count does not overflow */
	assert_true(deliver_backoff_s(&o, 7, -1, 0.5) == 30);
	assert_true(deliver_backoff_s(&o, 1000, -1, 0.999) <= 60);
	assert_true(deliver_backoff_s(&o, 1000000, -1, 0.5) == 30);
	/* full jitter: from 0 up to the cap */
	assert_true(deliver_backoff_s(&o, 4, -1, 0) == 0);
	assert_true(deliver_backoff_s(&o, 4, -1, 0.999) < 8);
	/* Retry-After wins when longer, never shortens the wait */
	assert_true(deliver_backoff_s(&o, 1, 3600, 0.5) == 3600);
	assert_true(deliver_backoff_s(&o, 7, 2, 0.5) == 30);
	/* a first attempt (or a count read as 0) waits at most the base */
	assert_true(deliver_backoff_s(&o, 0, -1, 0.999) < 1);
	o.backoff_base_s = 0.1;
	o.backoff_max_s = 0.5;
	assert_true(deliver_backoff_s(&o, 3, -1, 1) == 0.4);
	assert_true(deliver_backoff_s(&o, 4, -1, 1) == 0.5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_classification),
		cmocka_unit_test(test_backoff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
