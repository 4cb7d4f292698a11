/*
 * runrec: the runs table's life cycle, shared by every kind of run
 * (nightly, rerun, replan, deliver): a row inserted 'running' and
 * committed at once (so `vcourier runs` shows it), then finished with a
 * status and a summary, or failed with the error line. Runs whose process
 * died are recovered by db_hub_recover_dead_runs (db/lock.h).
 */
#ifndef VC_RUNREC_H
#define VC_RUNREC_H

#include <libpq-fe.h>

#include "util/error.h"

/* The new run's id, or -1. service_date may be NULL. */
long long runrec_insert(PGconn *conn, const char *kind, long long hub_id,
			const char *service_date, struct vc_error *err);
/* status: completed | partial; summary_json: a JSON document (may be NULL). */
int runrec_finish(PGconn *conn, long long run_id, const char *status,
		  const char *summary_json, struct vc_error *err);
/* Best effort (the database may be what failed): mark a running run failed. */
void runrec_fail(PGconn *conn, long long run_id, const char *msg);

#endif
