/*
 * deliver: the scheduler over libcurl's multi interface. Items of one
 * courier go one at a time (in the order given); couriers run side by side
 * up to max_concurrent transfers. A transient failure waits an exponential
 * backoff with full jitter (seeded, so a test run is reproducible) or the
 * Retry-After asked for, whichever is longer; nothing starts or runs past
 * the budget, and what is left then stays PENDING for a later run. A 410
 * stops every post to that courier. The callback may stop the whole run
 * (its recorder lost the database): what is in flight is abandoned, the
 * rest stays PENDING.
 */
#include "deliver/deliver_internal.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/splitmix.h"
#include "util/xalloc.h"

/* Do not start an attempt with less time than this left in the budget. */
#define MIN_ATTEMPT_S 0.2

struct slot {
	struct deliver_item *item;
	unsigned char *gz;
	size_t gz_len;
	int courier;          /* index into the courier table */
	int tries;            /* attempts made in this run */
	double next_at;       /* monotonic time it may be attempted again */
	int done;
	struct transfer xfer;
	int in_flight;
};

struct courier_state {
	const char *code;
	int busy;
	int gone;
};

struct scheduler {
	struct slot *slots;
	size_t n;
	struct courier_state *couriers;
	size_t n_couriers;
	CURLM *multi;
	const struct deliver_options *opt;
	double deadline;
	int active;
	uint64_t rng;
	deliver_attempt_fn on_attempt;
	void *ctx;
	int stopped;          /* the callback asked to stop */
};

static void defaults(const struct deliver_options *in, struct deliver_options *o)
{
	*o = *in;
	if (o->budget_s <= 0)
		o->budget_s = 300;
	if (o->timeout_s <= 0)
		o->timeout_s = 30;
	if (o->connect_timeout_s <= 0)
		o->connect_timeout_s = 10;
	if (o->backoff_base_s <= 0)
		o->backoff_base_s = 1;
	if (o->backoff_max_s <= 0)
		o->backoff_max_s = 60;
	if (o->max_concurrent <= 0)
		o->max_concurrent = 8;
}

double deliver_backoff_s(const struct deliver_options *opt, int tries, double retry_after,
			 double u)
{
	double cap = opt->backoff_base_s * ldexp(1.0, tries < 1 ? 0 : tries - 1 > 30 ? 30 : tries - 1);
	double wait;
	if (cap > opt->backoff_max_s)
		cap = opt->backoff_max_s;
	wait = cap * u;  /* full jitter */
	return retry_after > wait ? retry_after : wait;
}

static double backoff(struct scheduler *s, int tries, double retry_after)
{
	return deliver_backoff_s(s->opt, tries, retry_after, vc_splitmix_uniform(&s->rng));
}

static int courier_index(struct scheduler *s, const char *code)
{
	size_t i;
	for (i = 0; i < s->n_couriers; i++)
		if (!strcmp(s->couriers[i].code, code))
			return (int)i;
	s->couriers[s->n_couriers].code = code;
	return (int)s->n_couriers++;
}

static void finish(struct slot *sl, enum deliver_outcome outcome)
{
	sl->done = 1;
	sl->item->outcome = outcome;
}

static void report(struct scheduler *s, struct slot *sl, const struct deliver_attempt *a)
{
	if (s->on_attempt && s->on_attempt(s->ctx, sl->item, a) < 0)
		s->stopped = 1;
}

/* Report an attempt that never reached the network (bad header, signing). */
static void report_local_failure(struct scheduler *s, struct slot *sl, const char *why)
{
	struct deliver_attempt a;
	memset(&a, 0, sizeof(a));
	a.attempt = sl->item->attempts_before + ++sl->tries;
	a.outcome = DELIVER_FAILED;
	a.retry_after_s = -1;
	snprintf(a.error, sizeof(a.error), "%s", why);
	finish(sl, DELIVER_FAILED);
	report(s, sl, &a);
}

static void start(struct scheduler *s, struct slot *sl, double now)
{
	struct vc_error err = VC_ERROR_INIT;
	double left = s->deadline - now;
	double timeout = s->opt->timeout_s < left ? s->opt->timeout_s : left;

	if (transfer_start(&sl->xfer, sl->item, sl->gz, sl->gz_len, s->opt, timeout, &err) < 0 ||
	    curl_multi_add_handle(s->multi, sl->xfer.easy) != CURLM_OK) {
		transfer_release(&sl->xfer);
		report_local_failure(s, sl, err.msg[0] ? err.msg : "libcurl: cannot add transfer");
		return;
	}
	sl->in_flight = 1;
	s->couriers[sl->courier].busy = 1;
	s->active++;
}

/* Start what may start now; returns when the next waiting item may (HUGE_VAL: none waits). */
static double start_ready(struct scheduler *s, double now)
{
	double wake = HUGE_VAL;
	size_t i;

	for (i = 0; i < s->n; i++) {
		struct slot *sl = &s->slots[i];
		struct courier_state *c = &s->couriers[sl->courier];
		if (sl->done || sl->in_flight || c->busy)
			continue;
		if (c->gone) {
			finish(sl, DELIVER_GONE);
			continue;
		}
		if (sl->next_at > now) {
			if (sl->next_at < wake)
				wake = sl->next_at;
			continue;
		}
		if (s->active >= s->opt->max_concurrent || s->deadline - now < MIN_ATTEMPT_S)
			continue;
		start(s, sl, now);
	}
	return wake;
}

static void completed(struct scheduler *s, struct slot *sl, CURLcode code)
{
	struct deliver_attempt a;
	double now;

	memset(&a, 0, sizeof(a));
	transfer_classify(&sl->xfer, code, &a);
	curl_multi_remove_handle(s->multi, sl->xfer.easy);
	transfer_release(&sl->xfer);
	sl->in_flight = 0;
	s->couriers[sl->courier].busy = 0;
	s->active--;
	a.attempt = sl->item->attempts_before + ++sl->tries;
	sl->item->last_http_status = a.http_status;
	now = vc_mono_s();
	switch (a.outcome) {
	case DELIVER_DELIVERED:
	case DELIVER_FAILED:
		finish(sl, a.outcome);
		break;
	case DELIVER_GONE:
		finish(sl, DELIVER_GONE);
		s->couriers[sl->courier].gone = 1;
		break;
	default:
		/* The exponent counts earlier runs' attempts too: backoff keeps
		 * growing across cron runs (the wait is persisted by the caller). */
		a.retry_in_s = backoff(s, a.attempt, a.retry_after_s);
		sl->next_at = now + a.retry_in_s;
		break;
	}
	report(s, sl, &a);
}

/* Returns how many transfers finished. */
static int read_completions(struct scheduler *s)
{
	CURLMsg *msg;
	int left, n = 0;
	while ((msg = curl_multi_info_read(s->multi, &left))) {
		struct transfer *t = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
		/* the slot owns the transfer: find it back from its address */
		completed(s, (struct slot *)((char *)t - offsetof(struct slot, xfer)), msg->data.result);
		n++;
	}
	return n;
}

static int pending_work(const struct scheduler *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (!s->slots[i].done)
			return 1;
	return 0;
}

static int run_loop(struct scheduler *s, struct vc_error *err)
{
	for (;;) {
		double now = vc_mono_s(), wake;
		int running = 0, wait_ms;

		if (s->stopped)
			return 0;
		wake = start_ready(s, now);
		/* idle, and nothing may start again within the budget (a long Retry-After) */
		if (!pending_work(s) || (s->active == 0 && wake >= s->deadline - MIN_ATTEMPT_S))
			return 0;
		if (wake > s->deadline)
			wake = s->deadline;
		if (curl_multi_perform(s->multi, &running) != CURLM_OK)
			return vc_fail(err, EX_SOFTWARE, "libcurl: curl_multi_perform failed");
		/* something finished: schedule again before waiting */
		if (read_completions(s))
			continue;
		now = vc_mono_s();
		wait_ms = (int)ceil((wake - now) * 1000);
		if (wait_ms > 1000)
			wait_ms = 1000;
		if (wait_ms < 0)
			wait_ms = 0;
		if (s->active && curl_multi_poll(s->multi, NULL, 0, wait_ms, NULL) != CURLM_OK)
			return vc_fail(err, EX_SOFTWARE, "libcurl: curl_multi_poll failed");
		if (!s->active && wait_ms > 0) {
			struct timespec ts = { wait_ms / 1000, (wait_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
}

int deliver_run(struct deliver_item *items, size_t n, const struct deliver_options *in_opt,
		deliver_attempt_fn on_attempt, void *ctx, struct vc_error *err)
{
	struct deliver_options opt;
	struct scheduler s;
	size_t i;
	int rc = -1;

	defaults(in_opt, &opt);
	memset(&s, 0, sizeof(s));
	s.opt = &opt;
	s.on_attempt = on_attempt;
	s.ctx = ctx;
	s.rng = opt.jitter_seed;
	s.deadline = vc_mono_s() + opt.budget_s;
	s.slots = xcalloc(n ? n : 1, sizeof(*s.slots));
	s.couriers = xcalloc(n ? n : 1, sizeof(*s.couriers));
	s.n = n;
	for (i = 0; i < n; i++) {
		struct slot *sl = &s.slots[i];
		sl->item = &items[i];
		items[i].outcome = DELIVER_PENDING;
		items[i].last_http_status = 0;
		sl->courier = courier_index(&s, items[i].courier_code);
		if (deliver_gzip(items[i].body, items[i].body_len, &sl->gz, &sl->gz_len, err) < 0)
			goto cleanup;
	}
	s.multi = curl_multi_init();
	if (!s.multi) {
		vc_fail(err, EX_SOFTWARE, "libcurl: curl_multi_init failed");
		goto cleanup;
	}
	curl_multi_setopt(s.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)opt.max_concurrent);
	rc = run_loop(&s, err);
cleanup:
	for (i = 0; i < n; i++) {
		if (s.slots[i].in_flight) {
			curl_multi_remove_handle(s.multi, s.slots[i].xfer.easy);
			transfer_release(&s.slots[i].xfer);
		}
		free(s.slots[i].gz);
	}
	if (s.multi)
		curl_multi_cleanup(s.multi);
	free(s.slots);
	free(s.couriers);
	return rc;
}
