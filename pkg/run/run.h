/*
 * run: the life cycle of every run of a hub (nightly, replan, rerun,
 * deliver) and the ONE exit-code rule, so that each command locks, records,
 * finishes and exits the same way:
 *
 *   run_lock    the hub's advisory lock (db/lock.h); when another session
 *               holds it: EX_TEMPFAIL naming the holder (run, host, pid),
 *               r->taken = 1 and r->holder filled. With RUN_RECOVER, runs
 *               of the hub left 'running' by a dead process are marked
 *               'abandoned' (their session, and so their lock, is gone).
 *   run_record  the runs row, inserted 'running' (committed at once unless
 *               the caller is inside a transaction, as a dry run is).
 *   run_finish  status from the delivery counts (completed | partial), the
 *               summary stored; returns the run's exit code.
 *   run_fail    best effort: a running row marked failed with the error.
 *   run_unlock  releases the lock (safe to call at any point).
 *
 * The exit-code rule (README "Exit codes"): 0 < 75 < every other failure.
 * A run's own code: 69 when a delivery failed for good or a courier is
 * gone (an operator must act), else 75 when some are still pending or the
 * hub was locked (run again later), else 0. Several hubs: run_exit_worse
 * folds their codes, a failure other than 75 beats 75, the first such
 * failure stays.
 */
#ifndef VC_RUN_H
#define VC_RUN_H

#include <jansson.h>
#include <libpq-fe.h>

#include "config/config.h"
#include "deliver/deliver.h"
#include "outbox/outbox.h"
#include "util/error.h"

/* The worse of two exit codes under the rule above (0 and 75 lose). */
int run_exit_worse(int a, int b);
/* Exit code and run status ("completed" | "partial") for delivery counts. */
int run_delivery_exit(const struct outbox_stats *st, const char **status);

/* Who holds a hub's lock, from its runs row (run_id 0 when it has none). */
struct run_holder {
	long long run_id;
	int pid;
	char host[256];
	char started[40];
};

struct run {
	PGconn *conn;
	long long hub_id;
	char hub_code[65];
	long long id;              /* the runs row; 0 until run_record */
	int locked;
	int taken;                 /* run_lock failed: another session holds the lock */
	struct run_holder holder;  /* valid when taken */
};

enum { RUN_RECOVER = 1 };

int run_lock(struct run *r, PGconn *conn, long long hub_id, unsigned flags, struct vc_error *err);
/* kind: nightly | replan | rerun | deliver; service_date may be NULL. */
int run_record(struct run *r, const char *kind, const char *service_date, struct vc_error *err);
/*
 * Sets summary's "status", stores status, finished_at and summary, returns
 * the exit code (>= 0), or -1 with err when the row cannot be written.
 */
int run_finish(struct run *r, const struct outbox_stats *st, json_t *summary, struct vc_error *err);
void run_fail(struct run *r, const char *msg);
/* Adds "vcourier_version": the one place every summary (nightly, replan,
 * deliver; printed or stored) gets it. */
void run_summary_stamp(json_t *summary);
void run_unlock(struct run *r);

/* One hub's part of `vcourier deliver`. */
struct run_deliver_result {
	char hub_code[65];
	long long run_id;          /* the 'deliver' run recorded; 0 when nothing was due */
	int lock_held;             /* another run holds the hub's lock: skipped */
	struct run_holder holder;  /* when lock_held */
	int waiting;               /* pending, not yet due (Retry-After, backoff) */
	char next_due[40];         /* the earliest of those, "" when none */
	struct outbox_stats st;
	int exit_code;             /* this hub's code under the rule */
};

/* One hub's part of `vcourier deliver --json`, stamped with the version. */
json_t *run_deliver_json(const struct run_deliver_result *r);

/*
 * `vcourier deliver`: for the hub with this code (EX_DATAERR when unknown)
 * or every hub, take the hub's lock (skip the hub when another run holds
 * it), and when it has manifests due, record a run of kind 'deliver' and
 * post them (force: also those whose next attempt is not due yet). *res
 * (n entries, by hub code) is the caller's to free; *exit_code folds the
 * hubs' codes.
 */
int run_deliver_hubs(PGconn *conn, const struct vc_config *cfg, const char *hub_code, int force,
		     const struct deliver_options *opt, struct run_deliver_result **res, size_t *n,
		     int *exit_code, struct vc_error *err);

#endif
