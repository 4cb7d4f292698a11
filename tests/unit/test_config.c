/*
 * Unit tests: config parsing and validation (issue 9 defect 10), courier
 * secret names (defect 1). Each test writes a real file and loads it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "util/error.h"

static char dir[] = "/tmp/vc-config-XXXXXX";
static char path[64];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/vcourier.conf", dir);
	unsetenv("VCOURIER_CONFIG");
	return 0;
}

static int teardown(void **state)
{
	char p[80];
	(void)state;
	unlink(path);
	snprintf(p, sizeof(p), "%s/link", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	unlink(p);
	rmdir(dir);
	return 0;
}

static void write_conf(const char *text, mode_t mode)
{
	FILE *f;
	unlink(path);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* Load text; returns the exit code (0 on success) and the message. */
static int load(const char *text, struct vc_config **cfg, char *msg, size_t size)
{
	struct vc_error err = VC_ERROR_INIT;
	write_conf(text, 0600);
	*cfg = NULL;
	if (config_load(cfg, path, &err) == 0)
		return 0;
	assert_null(*cfg);
	snprintf(msg, size, "%s", err.msg);
	return err.code;
}

static void expect_error(const char *text, const char *want_suffix)
{
	struct vc_config *cfg;
	char msg[1024], want[1024];
	assert_int_equal(load(text, &cfg, msg, sizeof(msg)), EX_CONFIG);
	snprintf(want, sizeof(want), "%s:%s", path, want_suffix);
	if (strncmp(msg, want, strlen(want))) {
		print_error("got:  %s\nwant: %s...\n", msg, want);
		fail();
	}
}

static void test_values_and_defaults(void **state)
{
	struct vc_config *cfg;
	char msg[1024];
	(void)state;
	assert_int_equal(load("# comment\n\ncircuity = 1.5\n  plan_iterations=3000  \r\n"
			      "ca_file = /etc/x.pem\ndeliver_backoff_max_s = 2\n"
			      "circuity = 1.75\n", &cfg, msg, sizeof(msg)), 0);
	assert_true(config_double(cfg, "circuity") == 1.75); /* the last one wins */
	assert_int_equal(config_line(cfg, "circuity"), 7);
	assert_int_equal(config_int(cfg, "plan_iterations"), 3000);
	assert_true(config_double(cfg, "speed_kmh") == 30);   /* the table's default */
	assert_int_equal(config_int(cfg, "deliver_max_concurrent"), 8);
	assert_string_equal(config_str(cfg, "ca_file"), "/etc/x.pem");
	assert_null(config_str(cfg, "db"));
	assert_false(config_is_set(cfg, "deliver_jitter_seed"));
	config_free(cfg);
	/* No file: every default. */
	assert_true(config_double(NULL, "circuity") == 1.3);
	assert_int_equal(config_int(NULL, "plan_seed"), 1);
}

/* Old code: "abc", "nan", "1e300" became the default or reached a cast;
 * unknown keys passed; blank lines were not counted. */
static void test_bad_values_name_key_and_line(void **state)
{
	(void)state;
	expect_error("\n# c\n\ncircuity = abc\n", "4: circuity: 'abc' is not a number");
	expect_error("circuity = 1.3\n\n\nspeed_kmh = nan\n", "4: speed_kmh: 'nan' is not a finite");
	expect_error("speed_kmh = inf\n", "1: speed_kmh: 'inf' is not a finite");
	expect_error("plan_time_limit_s = 1e300\n", "1: plan_time_limit_s: '1e300' is out of range");
	expect_error("circuity = 1e999\n", "1: circuity: '1e999' is not a finite");
	expect_error("plan_iterations = 1e300\n", "1: plan_iterations: '1e300' is not an integer");
	expect_error("plan_iterations = 99999999999999999999\n", "1: plan_iterations: '99999999999999999999' is out of range");
	expect_error("plan_iterations = -1\n", "1: plan_iterations: '-1' is out of range");
	expect_error("plan_iterations = 12x\n", "1: plan_iterations: '12x' is not an integer");
	expect_error("deliver_max_concurrent = 0\n", "1: deliver_max_concurrent: '0' is out of range");
	expect_error("circuity = 0.5\n", "1: circuity: '0.5' is out of range (double, 1 to 10)");
	expect_error("circuity =\n", "1: circuity: '' is empty");
	expect_error("\n\ncircuty = 1.3\n", "3: unknown key 'circuty'");
	expect_error("courier.bad/code.key = whsec_x\n", "1: unknown key 'courier.bad/code.key'");
	expect_error("courier.C1.secret = x\n", "1: unknown key 'courier.C1.secret'");
	expect_error("courier.C1.key = whsec_x\nplan_seed = yes\n", "2: plan_seed: 'yes' is not an integer");
	expect_error("courier.C1.key =\n", "1: courier.C1.key: the value is empty");
	expect_error("ca_file = certs/ca.pem\n", "1: ca_file: the value must be an absolute path");
	expect_error("circuity 1.3\n", "1: expected key = value");
}

/*
 * Keys with a profile or a road class in them: only the profiles and
 * classes pkg/roads knows. max_trips.bus used to load and be read by
 * nothing, so a typo silently left every bus at max_trips.
 */
static void test_profile_and_class_words(void **state)
{
	struct vc_config *cfg;
	char msg[1024];
	(void)state;
	expect_error("\nmax_trips.bus = 3\n",
		     "2: max_trips.bus: 'bus' is not a vehicle profile (van, truck, tricycle, motorbike)");
	expect_error("max_trips.Tricycle = 3\n", "1: max_trips.Tricycle: 'Tricycle' is not a vehicle profile");
	expect_error("max_trips.van.x = 3\n", "1: max_trips.van.x: 'van.x' is not a vehicle profile");
	expect_error("max_trips. = 3\n", "1: unknown key 'max_trips.'");
	expect_error("max_trips.tricycle = 33\n", "1: max_trips.tricycle: '33' is out of range (int, 1 to 32)");
	expect_error("road_speed.bus.track = 20\n", "1: road_speed.bus.track: 'bus' is not a vehicle profile");
	expect_error("road_speed.van.highway = 20\n",
		     "1: road_speed.van.highway: 'highway' is not a road class (docs/roads.md)");
	expect_error("road_speed.van = 20\n", "1: unknown key 'road_speed.van'");
	assert_int_equal(load("max_trips.tricycle = 3\nmax_trips.motorbike = 2\n"
			      "road_speed.tricycle.track = 0\nroad_speed.van.living_street = 12\n",
			      &cfg, msg, sizeof(msg)), 0);
	assert_int_equal(config_int(cfg, "max_trips.tricycle"), 3);
	assert_int_equal(config_int(cfg, "max_trips.motorbike"), 2);
	assert_false(config_is_set(cfg, "max_trips.van"));
	assert_true(config_double(cfg, "road_speed.tricycle.track") == 0);
	assert_true(config_double(cfg, "road_speed.van.living_street") == 12);
	config_free(cfg);
}

/* A secret's value is never echoed in an error. */
static void test_errors_do_not_echo_strings(void **state)
{
	struct vc_config *cfg;
	char msg[1024];
	(void)state;
	assert_int_equal(load("whsec_topsecret\n", &cfg, msg, sizeof(msg)), EX_CONFIG);
	assert_null(strstr(msg, "topsecret"));
	assert_int_equal(load("ca_file = rel/whsec_topsecret\n", &cfg, msg, sizeof(msg)), EX_CONFIG);
	assert_null(strstr(msg, "topsecret"));
}

static void test_file_checks(void **state)
{
	struct vc_config *cfg = NULL;
	struct vc_error err = VC_ERROR_INIT;
	char other[80];
	(void)state;
	write_conf("circuity = 1.5\ncourier.C1.key = whsec_abc\n", 0644);
	assert_int_equal(config_load(&cfg, path, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	assert_non_null(strstr(err.msg, "readable by group or others"));
	chmod(path, 0600);
	assert_int_equal(config_load(&cfg, path, &err), 0);
	assert_string_equal(config_courier_secret(cfg, "C1", "key"), "whsec_abc");
	config_free(cfg);

	/* A symlink is refused (opened with O_NOFOLLOW). */
	snprintf(other, sizeof(other), "%s/link", dir);
	assert_int_equal(symlink(path, other), 0);
	assert_int_equal(config_load(&cfg, other, &err), -1);
	assert_non_null(strstr(err.msg, "symbolic link"));

	/* A FIFO used to block the start for ever; now it is refused at once. */
	snprintf(other, sizeof(other), "%s/fifo", dir);
	assert_int_equal(mkfifo(other, 0600), 0);
	assert_int_equal(config_load(&cfg, other, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	assert_non_null(strstr(err.msg, "not a regular file"));

	/* A directory, a missing file. */
	assert_int_equal(config_load(&cfg, dir, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	snprintf(other, sizeof(other), "%s/missing", dir);
	assert_int_equal(config_load(&cfg, other, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	/* A NUL byte. */
	write_conf("", 0600);
	{
		int fd = open(path, O_WRONLY);
		assert_int_equal(write(fd, "circuity = 1\0\n", 14), 14);
		close(fd);
	}
	assert_int_equal(config_load(&cfg, path, &err), -1);
	assert_non_null(strstr(err.msg, "NUL"));
}

/* Every default of the table parses and lies in its range; every key's
 * row is reachable and documented. */
static void test_table_is_consistent(void **state)
{
	const struct config_key *k;
	struct vc_config *cfg;
	char text[256], msg[1024];
	size_t i, j;
	(void)state;
	for (i = 0; (k = config_key_at(i)); i++) {
		assert_true(k->doc && *k->doc && !strchr(k->doc, '\n') && !strchr(k->doc, '\t'));
		for (j = 0; j < i; j++)
			assert_string_not_equal(config_key_at(j)->key, k->key);
		if (k->type == CONFIG_INT || k->type == CONFIG_DOUBLE)
			assert_true(k->min <= k->max && fabs(k->max) <= 9007199254740992.0 &&
				    fabs(k->min) <= 9007199254740992.0);
		if (!k->def)
			continue;
		snprintf(text, sizeof(text), "%s = %s\n", k->key, k->def);
		if (strstr(text, "<CODE>"))
			snprintf(text, sizeof(text), "courier.C1.%s = %s\n",
				 strstr(k->key, "<CODE>.") + 7, k->def);
		if (load(text, &cfg, msg, sizeof(msg)) != 0) {
			print_error("default of %s: %s\n", k->key, msg);
			fail();
		}
		config_free(cfg);
	}
	assert_true(i >= 17);
}

/* Defect 1: acme-1, ACME_1 and acme.1 shared VCOURIER_KEY_ACME_1. */
static void test_secret_names_are_one_to_one(void **state)
{
	static const char *const codes[] = { "acme-1", "ACME_1", "acme.1", "ACME1", "ACME-1",
					     "Acme_1", "C1", "c1", "a_2D", "a-", "_", "-", "." };
	char names[13][256], buf[256];
	struct vc_config *cfg;
	char msg[1024];
	size_t i, j;
	(void)state;
	for (i = 0; i < 13; i++) {
		config_secret_env_name(names[i], sizeof(names[i]), codes[i], "key");
		for (j = 0; j < i; j++)
			assert_string_not_equal(names[i], names[j]);
	}
	assert_string_equal(config_secret_env_name(buf, sizeof(buf), "C1", "key"), "VCOURIER_KEY_C1");
	assert_string_equal(config_secret_env_name(buf, sizeof(buf), "acme-1", "token"),
			    "VCOURIER_TOKEN__61_63_6D_65_2D1");

	/* The environment gives acme-1's key to acme-1 only; the file still
	 * gives ACME_1 and acme.1 their own. */
	assert_int_equal(load("courier.ACME_1.key = whsec_file_under\n"
			      "courier.acme.1.key = whsec_file_dot\n"
			      "courier.acme-1.key = whsec_file_dash\n", &cfg, msg, sizeof(msg)), 0);
	setenv(config_secret_env_name(buf, sizeof(buf), "acme-1", "key"), "whsec_env_dash", 1);
	assert_string_equal(config_courier_secret(cfg, "acme-1", "key"), "whsec_env_dash");
	assert_string_equal(config_courier_secret(cfg, "ACME_1", "key"), "whsec_file_under");
	assert_string_equal(config_courier_secret(cfg, "acme.1", "key"), "whsec_file_dot");
	assert_null(config_courier_secret(cfg, "ACME1", "key"));
	unsetenv(buf);
	assert_string_equal(config_courier_secret(cfg, "acme-1", "key"), "whsec_file_dash");
	config_free(cfg);
}

/* A variable that names no code (the old folded names) stops the start. */
static void test_environment_names_checked(void **state)
{
	static const char *const bad[] = { "VCOURIER_KEY_ACME_1", "VCOURIER_TOKEN_acme",
					   "VCOURIER_KEY__41", "VCOURIER_KEY__2F", "VCOURIER_KEY_",
					   "VCOURIER_KEY_A_2" };
	struct vc_config *cfg;
	char msg[1024];
	size_t i;
	(void)state;
	setenv("VCOURIER_KEY_C1", "whsec_x", 1);
	setenv("VCOURIER_KEY_A_2D1", "whsec_x", 1);
	assert_int_equal(load("", &cfg, msg, sizeof(msg)), 0);
	config_free(cfg);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv(bad[i], "whsec_secretvalue", 1);
		assert_int_equal(load("", &cfg, msg, sizeof(msg)), EX_CONFIG);
		assert_non_null(strstr(msg, bad[i]));
		assert_null(strstr(msg, "secretvalue"));
		unsetenv(bad[i]);
	}
	unsetenv("VCOURIER_KEY_C1");
	unsetenv("VCOURIER_KEY_A_2D1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_and_defaults),
		cmocka_unit_test(test_bad_values_name_key_and_line),
		cmocka_unit_test(test_profile_and_class_words),
		cmocka_unit_test(test_errors_do_not_echo_strings),
		cmocka_unit_test(test_file_checks),
		cmocka_unit_test(test_table_is_consistent),
		cmocka_unit_test(test_secret_names_are_one_to_one),
		cmocka_unit_test(test_environment_names_checked),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
