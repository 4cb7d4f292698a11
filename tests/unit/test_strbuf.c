/* Unit tests: strbuf, vc_error, log quoting (config: test_config.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log/log.h"
#include "util/error.h"
#include "util/strbuf.h"

static void test_strbuf_grows_and_detaches(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *p;
	size_t len, i;
	(void)state;
	assert_string_equal(sb.buf, "");
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%zu,", i);
	assert_int_equal(sb.len, strlen(sb.buf));
	assert_memory_equal(sb.buf, "0,1,2,", 6);
	strbuf_setlen(&sb, 4);
	assert_string_equal(sb.buf, "0,1,");
	p = strbuf_detach(&sb, &len);
	assert_int_equal(len, 4);
	assert_string_equal(sb.buf, "");
	free(p);
	strbuf_add(&sb, "a\0b", 3);
	assert_int_equal(sb.len, 3);
	assert_int_equal(sb.buf[3], '\0');
	strbuf_release(&sb);
}

static void test_vc_fail_fills_error(void **state)
{
	struct vc_error err = VC_ERROR_INIT;
	(void)state;
	assert_int_equal(vc_fail(&err, EX_DATAERR, "f.csv:%d: %s", 3, "bad"), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "f.csv:3: bad");
	assert_int_equal(vc_fail(NULL, EX_DATAERR, "x"), -1);
}

static void test_log_quote(void **state)
{
	char buf[64];
	(void)state;
	assert_string_equal(log_quote(buf, sizeof(buf), "plain"), "plain");
	assert_string_equal(log_quote(buf, sizeof(buf), "a b\"c"), "\"a b\\\"c\"");
	assert_string_equal(log_quote(buf, sizeof(buf), ""), "\"\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_grows_and_detaches),
		cmocka_unit_test(test_vc_fail_fills_error),
		cmocka_unit_test(test_log_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
