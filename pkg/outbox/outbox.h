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
	int force;                 /* also those whose next attempt is not due yet */
};

struct outbox_stats {
	int delivered;   /* delivered by this call */
	int pending;     /* still pending afterwards (to retry later) */
	int failed;      /* permanent failures (needs an operator) */
	int gone;        /* courier endpoint answered 410 */
	int unsigned_posts;   /* manifests posted without a signature (no key) */
	int tokenless_posts;  /* manifests posted without Authorization (no token) */
	int waiting;     /* pending, not posted: the next attempt is not due yet */
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

/*
 * How many manifests outbox_deliver would post for f now (*due), and how
 * many more wait for their next attempt (*waiting, earliest in next_due
 * as text, "" when none).
 */
int outbox_count(PGconn *conn, const struct outbox_filter *f, long long *due, long long *waiting,
		 char next_due[40], struct vc_error *err);

#endif
