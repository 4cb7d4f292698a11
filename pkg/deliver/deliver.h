/*
 * deliver: posts manifests to couriers' endpoints with libcurl's multi
 * interface (SPEC section 5): gzip body, Idempotency-Key, checksum and
 * Standard Webhooks headers, retries with backoff and jitter honouring
 * Retry-After, within a time budget; couriers are posted to concurrently,
 * one transfer at a time per courier. No SQL: every attempt is reported
 * through a callback, which the caller records.
 */
#ifndef VC_DELIVER_H
#define VC_DELIVER_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

enum deliver_outcome {
	DELIVER_PENDING = 0,   /* not finished: retry later (budget spent) */
	DELIVER_DELIVERED,     /* 2xx */
	DELIVER_RETRY,         /* one attempt failed transiently (callback only) */
	DELIVER_FAILED,        /* permanent: 4xx other than 409/410/429 */
	DELIVER_GONE,          /* 410: stop posting to this courier */
};

struct deliver_item {
	const char *manifest_id;   /* also Idempotency-Key and webhook-id */
	const char *courier_code;  /* items of one courier are posted one at a time */
	const char *url;
	const char *body;          /* uncompressed JSON, exactly as signed */
	size_t body_len;
	const char *sha256_hex;
	const char *whsec_key;     /* NULL: no signature headers */
	const char *bearer_token;  /* NULL: no Authorization header */
	int attempts_before;       /* attempts recorded by earlier runs */
	/* set by deliver_run: */
	enum deliver_outcome outcome;
	int last_http_status;
};

struct deliver_attempt {
	int attempt;               /* 1-based, counting attempts_before */
	enum deliver_outcome outcome;
	int http_status;           /* 0: no HTTP answer */
	char error[256];           /* transport error or reason; "" when delivered */
	char excerpt[256];         /* start of the response body */
	long long started_unix_ms;
	long duration_ms;
	double retry_after_s;      /* from Retry-After, -1 if none */
	double retry_in_s;         /* RETRY: seconds until the next attempt may start (backoff or
				      Retry-After, whichever is longer); the caller persists it */
};

struct deliver_options {
	double budget_s;           /* whole run; default 300 */
	double timeout_s;          /* per request; default 30 */
	double connect_timeout_s;  /* default 10 */
	double backoff_base_s;     /* default 1 */
	double backoff_max_s;      /* default 60 */
	int max_concurrent;        /* default 8 */
	const char *ca_file;       /* extra CA bundle; verification is never turned off */
	uint64_t jitter_seed;
};

/* Return -1 to stop the run (e.g. the attempt could not be recorded), else 0. */
typedef int (*deliver_attempt_fn)(void *ctx, struct deliver_item *item,
				  const struct deliver_attempt *attempt);

/* Post every item; returns 0 (outcomes in the items), -1 only on setup failure. */
int deliver_run(struct deliver_item *items, size_t n, const struct deliver_options *opt,
		deliver_attempt_fn on_attempt, void *ctx, struct vc_error *err);

/*
 * Before posting: EX_CONFIG when item's key is malformed, or when it has a
 * bearer token and a plain http:// url while allow_http is 0 (the
 * courier's courier.<CODE>.allow_http). No key or no token is not an
 * error here: callers say it (outbox counts and logs it).
 */
int deliver_check_secrets(const struct deliver_item *item, int allow_http, struct vc_error *err);

/* gzip (RFC 1952) a buffer with zlib. */
int deliver_gzip(const void *in, size_t len, unsigned char **out, size_t *out_len,
		 struct vc_error *err);

#endif
