/* Unit tests: strbuf, vc_error, config. */
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

#include "config/config.h"
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

static void test_config_refuses_world_readable(void **state)
{
	char path[] = "/tmp/vc-config-XXXXXX";
	struct vc_config *cfg = NULL;
	struct vc_error err = VC_ERROR_INIT;
	int fd = mkstemp(path);
	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "circuity = 1.5\ncourier.C1.key = whsec_abc\n", 42), 42);
	close(fd);
	chmod(path, 0644);
	assert_int_equal(config_load(&cfg, path, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	chmod(path, 0600);
	assert_int_equal(config_load(&cfg, path, &err), 0);
	assert_true(config_get_double(cfg, "circuity", 1.3) == 1.5);
	assert_string_equal(config_courier_secret(cfg, "C1", "key"), "whsec_abc");
	setenv("VCOURIER_KEY_C1", "whsec_env", 1);
	assert_string_equal(config_courier_secret(cfg, "C1", "key"), "whsec_env");
	unsetenv("VCOURIER_KEY_C1");
	assert_null(config_courier_secret(cfg, "C2", "key"));
	config_free(cfg);
	unlink(path);
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
		cmocka_unit_test(test_config_refuses_world_readable),
		cmocka_unit_test(test_log_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
