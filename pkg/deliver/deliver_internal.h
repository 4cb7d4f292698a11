/*
 * deliver_internal: one HTTP attempt (request.c) as used by the scheduler
 * (deliver.c). Private to pkg/deliver.
 */
#ifndef VC_DELIVER_INTERNAL_H
#define VC_DELIVER_INTERNAL_H

#include <curl/curl.h>

#include "deliver/deliver.h"

/* What a request keeps of the answer: a short excerpt is all that is recorded. */
#define DELIVER_EXCERPT_MAX 200

struct transfer {
	CURL *easy;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	char excerpt[DELIVER_EXCERPT_MAX + 1];
	size_t excerpt_len;
	long long started_unix_ms;
	double started_mono;
	long long signed_at;     /* webhook-timestamp sent, 0 when unsigned */
	long long server_date;   /* the answer's Date header, 0 when none */
};

/* Standard Webhooks' recommended tolerance for the signature timestamp. */
#define DELIVER_SIGNATURE_TOLERANCE_S 300

/*
 * Prepare one POST of item's gzipped body (gz, gz_len must outlive it),
 * signed at the current time, with at most timeout_s to finish.
 */
int transfer_start(struct transfer *t, const struct deliver_item *item, const unsigned char *gz,
		   size_t gz_len, const struct deliver_options *opt, double timeout_s,
		   struct vc_error *err);
/* Classify a finished transfer into attempt (outcome, status, error, excerpt). */
void transfer_classify(struct transfer *t, CURLcode code, struct deliver_attempt *attempt);
void transfer_release(struct transfer *t);

/* An HTTP status as an outcome: 2xx delivered, 410 gone, 408 409 425 429
 * and 5xx retried, anything else (3xx, other 4xx) failed for good. */
enum deliver_outcome deliver_classify_status(long status);
/*
 * The wait before attempt tries + 1: full jitter (u in [0, 1)) under
 * min(backoff_max_s, backoff_base_s * 2^(tries - 1)), or the Retry-After
 * asked for when longer.
 */
double deliver_backoff_s(const struct deliver_options *opt, int tries, double retry_after,
			 double u);

#endif
