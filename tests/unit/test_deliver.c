/* Unit tests: deliver_gzip round trip; deliver_run against a closed loopback port. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "deliver/deliver.h"
#include "util/clock.h"

static void test_gzip_round_trip(void **state)
{
	const char text[] = "{\"manifest_id\":\"H1-C1\",\"hub\":{\"name\":\"青石镇仓库\"}}";
	unsigned char *gz = NULL, back[256];
	size_t gz_len = 0;
	struct vc_error err = VC_ERROR_INIT;
	z_stream zs = { 0 };
	(void)state;

	assert_int_equal(deliver_gzip(text, strlen(text), &gz, &gz_len, &err), 0);
	assert_true(gz_len > 18);
	/* RFC 1952 magic and deflate method */
	assert_int_equal(gz[0], 0x1f);
	assert_int_equal(gz[1], 0x8b);
	assert_int_equal(gz[2], 8);
	/* windowBits 15 + 16: accept the gzip wrapper only */
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = gz;
	zs.avail_in = (uInt)gz_len;
	zs.next_out = back;
	zs.avail_out = sizeof(back);
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	assert_int_equal(zs.total_out, strlen(text));
	assert_memory_equal(back, text, strlen(text));
	inflateEnd(&zs);
	free(gz);
}

struct seen {
	int attempts;
	int last_attempt;
	enum deliver_outcome outcomes[64];
	char error[256];
	double max_retry_in;  /* the longest wait a RETRY asked the caller to persist */
	int stop_after;  /* the callback stops the run after this many attempts */
};

static int record(void *ctx, struct deliver_item *item, const struct deliver_attempt *a)
{
	struct seen *s = ctx;
	(void)item;
	if (s->attempts < 64)
		s->outcomes[s->attempts] = a->outcome;
	s->attempts++;
	s->last_attempt = a->attempt;
	if (a->outcome == DELIVER_RETRY && a->retry_in_s > s->max_retry_in)
		s->max_retry_in = a->retry_in_s;
	snprintf(s->error, sizeof(s->error), "%s", a->error);
	return s->attempts == s->stop_after ? -1 : 0;
}

/* A loopback port with nothing listening: bound, read, closed. */
static int closed_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* One manifest to url, run with a short budget; attempts land in seen. */
static enum deliver_outcome post_one(const char *manifest_id, const char *url,
				     struct deliver_options *opt, struct seen *seen)
{
	struct deliver_item item = { 0 };
	struct vc_error err = VC_ERROR_INIT;
	item.manifest_id = manifest_id;
	item.courier_code = "C1";
	item.url = url;
	item.body = "{}";
	item.body_len = 2;
	item.sha256_hex = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
	item.attempts_before = 5;
	if (opt->budget_s == 0)
		opt->budget_s = 1;
	assert_int_equal(deliver_run(&item, 1, opt, record, seen, &err), 0);
	return item.outcome;
}

/*
 * Retried until the caller stops the run (at the third attempt): the count
 * is exact whatever the machine's load, since nothing here races a clock
 * (the budget is far away).
 */
static void test_refused_is_retried_then_pending(void **state)
{
	char url[64];
	struct deliver_options opt = { 0 };
	struct seen seen = { 0 };
	(void)state;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/couriers/C1", closed_port());
	opt.budget_s = 60;
	opt.timeout_s = 5;
	opt.backoff_base_s = 0.01;
	opt.backoff_max_s = 0.02;
	opt.jitter_seed = 1;
	seen.stop_after = 3;
	assert_int_equal(post_one("M-1", url, &opt, &seen), DELIVER_PENDING);
	assert_int_equal(seen.attempts, 3);
	assert_int_equal(seen.outcomes[0], DELIVER_RETRY);
	assert_int_equal(seen.outcomes[2], DELIVER_RETRY);
	assert_int_equal(seen.last_attempt, 5 + 3);
	assert_non_null(strstr(seen.error, "Couldn't connect"));
	/* every retry says when it may come again: the backoff, within its cap */
	assert_true(seen.max_retry_in > 0);
	assert_true(seen.max_retry_in <= opt.backoff_max_s);
}

/* A listening socket nobody answers: the budget, not the 30 s timeout, ends the run. */
static void test_budget_bounds_a_silent_endpoint(void **state)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	struct deliver_options opt = { 0 };
	struct seen seen = { 0 };
	char url[64];
	double t0;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/couriers/C1", ntohs(sa.sin_port));
	opt.budget_s = 0.5;
	opt.timeout_s = 30;
	t0 = vc_mono_s();
	assert_int_equal(post_one("M-1", url, &opt, &seen), DELIVER_PENDING);
	/* generous bound: the point is 30 s (timeout) versus 0.5 s (budget) */
	assert_true(vc_mono_s() - t0 < 15);
	assert_int_equal(seen.attempts, 1);
	assert_int_equal(seen.outcomes[0], DELIVER_RETRY);
	close(fd);
}

static void test_callback_stops_the_run(void **state)
{
	char url[64];
	struct deliver_options opt = { 0 };
	struct seen seen = { 0 };
	(void)state;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/couriers/C1", closed_port());
	opt.budget_s = 5;
	opt.backoff_base_s = 0.01;
	seen.stop_after = 2;
	assert_int_equal(post_one("M-1", url, &opt, &seen), DELIVER_PENDING);
	assert_int_equal(seen.attempts, 2);
}

static void test_header_injection_fails_without_posting(void **state)
{
	struct deliver_options opt = { 0 };
	struct seen seen = { 0 };
	(void)state;
	assert_int_equal(post_one("M-1\r\nX-Evil: 1", "http://127.0.0.1:9/", &opt, &seen),
			 DELIVER_FAILED);
	assert_int_equal(seen.attempts, 1);
	assert_non_null(strstr(seen.error, "line break"));
}

static void test_other_scheme_refused(void **state)
{
	struct deliver_options opt = { 0 };
	struct seen seen = { 0 };
	(void)state;
	assert_int_equal(post_one("M-1", "file:///etc/passwd", &opt, &seen), DELIVER_FAILED);
	assert_int_equal(seen.attempts, 1);
	assert_int_equal(seen.last_attempt, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip_round_trip),
		cmocka_unit_test(test_refused_is_retried_then_pending),
		cmocka_unit_test(test_budget_bounds_a_silent_endpoint),
		cmocka_unit_test(test_callback_stops_the_run),
		cmocka_unit_test(test_header_injection_fails_without_posting),
		cmocka_unit_test(test_other_scheme_refused),
	};
	int rc;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
