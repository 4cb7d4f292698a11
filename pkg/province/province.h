/*
 * province: a night over many hubs (SPEC section 10). `vcourier nightly`
 * without --hub hands every hub to a pool of workers: --jobs N processes
 * on this machine, each with its own connection, and any number of
 * `vcourier nightly` started elsewhere against the same database. Workers
 * share the hubs through the hubs' advisory locks and the runs table:
 * - a hub whose lock a nightly run of the same date holds is "taken": the
 *   worker skips it (not a failure) and says by which run, host and pid;
 * - a hub whose last nightly run of the date completed, with no order
 *   arrived since, is "done": skipped too, so that a worker reaching it
 *   after another finished it does not plan it again;
 * - a worker whose database connection is lost (a failover) reconnects
 *   within db_reconnect_s and runs the hub again: the lost run is marked
 *   abandoned by the new one, which holds the lock its session lost.
 * Also the night's board (`vcourier runs --date D`).
 */
#ifndef VC_PROVINCE_H
#define VC_PROVINCE_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>

#include "config/config.h"
#include "nightly/nightly.h"
#include "util/error.h"

enum province_kind {
	PROVINCE_RAN,     /* a run happened: summary set, code 0, 75 or 69 */
	PROVINCE_FAILED,  /* the run failed: message and code set */
	PROVINCE_TAKEN,   /* another nightly run of the date holds the hub: code 0 */
	PROVINCE_DONE,    /* planned already, nothing new: code 0 */
};

struct province_outcome {
	char hub[72];
	enum province_kind kind;
	int code;             /* the exit status this hub calls for */
	char message[600];    /* FAILED: the error; TAKEN/DONE: why skipped */
	json_t *summary;      /* RAN: the run's summary (borrowed) */
};

typedef void (*province_emit)(const struct province_outcome *o, void *ctx);

struct province_options {
	const struct nightly_request *req;
	const char *hub_code;   /* one hub (its lock taken as always), else all */
	int jobs;               /* processes at once; <= 1: this one */
	const char *conninfo;
	const char *app;        /* application_name */
	province_emit emit;     /* called in this process, once per hub touched */
	void *emit_ctx;
};

/* Jobs when --jobs is not given: the number of online cores. */
int province_default_jobs(void);

/*
 * Plan the night. Returns 0 once every hub was handed out (the outcomes
 * went to emit), or -1 with err when the night could not start (database,
 * unknown --hub).
 */
int province_run(const struct vc_config *cfg, const struct province_options *o,
		 struct vc_error *err);

/* `vcourier runs --date D`: every hub's state for the night, and totals. */
int province_board(PGconn *conn, const char *service_date, int as_json, FILE *out,
		   struct vc_error *err);

#endif
