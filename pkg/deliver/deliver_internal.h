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
};

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

#endif
