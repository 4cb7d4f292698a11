/* Unit tests: the one exit-code rule (pkg/run) every run kind exits by. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "run/run.h"

static void test_worse(void **state)
{
	(void)state;
	assert_int_equal(run_exit_worse(0, 0), 0);
	assert_int_equal(run_exit_worse(0, EX_TEMPFAIL), EX_TEMPFAIL);
	assert_int_equal(run_exit_worse(EX_TEMPFAIL, 0), EX_TEMPFAIL);
	/* a failure an operator must see beats "run again later", in either order */
	assert_int_equal(run_exit_worse(EX_TEMPFAIL, EX_UNAVAILABLE), EX_UNAVAILABLE);
	assert_int_equal(run_exit_worse(EX_UNAVAILABLE, EX_TEMPFAIL), EX_UNAVAILABLE);
	/* between two such failures the first stays */
	assert_int_equal(run_exit_worse(EX_DATAERR, EX_UNAVAILABLE), EX_DATAERR);
	assert_int_equal(run_exit_worse(EX_UNAVAILABLE, EX_CONFIG), EX_UNAVAILABLE);
	assert_int_equal(run_exit_worse(EX_TEMPFAIL, EX_TEMPFAIL), EX_TEMPFAIL);
}

static void test_delivery_exit(void **state)
{
	struct outbox_stats st;
	const char *status = NULL;
	(void)state;
	memset(&st, 0, sizeof(st));
	st.delivered = 3;
	assert_int_equal(run_delivery_exit(&st, &status), 0);
	assert_string_equal(status, "completed");
	st.pending = 1;
	assert_int_equal(run_delivery_exit(&st, &status), EX_TEMPFAIL);
	assert_string_equal(status, "partial");
	/* pending and a permanent failure: the same answer as two hubs would give */
	st.failed = 1;
	assert_int_equal(run_delivery_exit(&st, &status), EX_UNAVAILABLE);
	assert_int_equal(run_delivery_exit(&st, &status),
			 run_exit_worse(EX_TEMPFAIL, EX_UNAVAILABLE));
	st.pending = st.failed = 0;
	st.gone = 2;
	assert_int_equal(run_delivery_exit(&st, &status), EX_UNAVAILABLE);
	assert_string_equal(status, "partial");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worse),
		cmocka_unit_test(test_delivery_exit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
