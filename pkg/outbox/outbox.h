/*
 * outbox: delivery of the manifests table (the transactional outbox).
 * Selects undelivered manifests, posts them through pkg/deliver, records
 * every attempt in delivery_attempts and the outcome on the manifest (and
 * its orders), each in a short transaction: no transaction is ever held
 * open across an HTTP request. Callers hold the hub's lock (db/lock.h), so
 * one manifest is never posted by two processes at once.
 */
#ifndef VC_OUTBOX_H
#define VC_OUTBOX_H

#include <libpq-fe.h>

#include "config/config.h"
#include "deliver/deliver.h"
#include "util/error.h"

struct outbox_filter {
	long long run_id;          /* 0: any run */
	long long hub_id;          /* 0: any hub */
	const char *service_date;  /* NULL: any date */
};

struct outbox_stats {
	int delivered;   /* delivered by this call */
	int pending;     /* still pending afterwards (to retry later) */
	int failed;      /* permanent failures (needs an operator) */
	int gone;        /* courier endpoint answered 410 */
	int unsigned_posts;   /* manifests posted without a signature (no key) */
	int tokenless_posts;  /* manifests posted without Authorization (no token) */
};

/* Fill deliver_options from the config (deliver_timeout_s, deliver_budget_s, ca_file...). */
void outbox_deliver_options(const struct vc_config *cfg, struct deliver_options *opt);

/*
 * Post every pending manifest that matches f (couriers marked gone are
 * skipped and counted in gone). attempts are recorded under attempt_run_id.
 * Returns 0 when the database work succeeded (outcomes in st), -1 otherwise.
 */
int outbox_deliver(PGconn *conn, const struct vc_config *cfg, const struct outbox_filter *f,
		   long long attempt_run_id, const struct deliver_options *opt,
		   struct outbox_stats *st, struct vc_error *err);

/* One hub's part of `vcourier deliver`. */
struct outbox_hub_result {
	char hub_code[65];
	long long run_id;          /* the 'deliver' run recorded; 0 when nothing was pending */
	int lock_held;             /* another run holds the hub's lock: skipped */
	struct outbox_stats st;
};

/*
 * `vcourier deliver`: for the hub with this code (EX_DATAERR when unknown)
 * or every hub, take the hub's lock (skip the hub when another run holds
 * it), and when it has manifests to post, record a run of kind 'deliver'
 * and post them. *res (n entries, by hub code) is the caller's to free.
 */
int outbox_deliver_hubs(PGconn *conn, const struct vc_config *cfg, const char *hub_code,
			const struct deliver_options *opt, struct outbox_hub_result **res,
			size_t *n, struct vc_error *err);

#endif
