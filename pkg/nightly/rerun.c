/*
 * rerun: `vcourier rerun --run ID` posts what is still undelivered of one
 * run, under the hub's lock, with the manifests' own ids as Idempotency-Key
 * (so an endpoint that already has one answers with its first answer).
 * It is recorded as a run of kind 'rerun' whose attempts are its own.
 */
#include "nightly/job.h"
#include "db/db.h"
#include "db/lock.h"
#include "outbox/outbox.h"
#include "util/fault.h"
#include "version/version.h"

#include <stdlib.h>

struct run_scope {
	long long hub_id;
	char hub_code[80];
	char service_date[16];
};

static int load_scope(PGconn *conn, long long run_id, struct run_scope *sc, struct vc_error *err)
{
	PGresult *r = job_exec_id(conn, "SELECT r.hub_id, h.code, coalesce(r.service_date::text, '')"
				  " FROM runs r LEFT JOIN hubs h ON h.id = r.hub_id WHERE r.id = $1", run_id,
				  err);
	if (!r)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return vc_fail(err, EX_DATAERR, "run %lld does not exist", run_id);
	}
	if (PQgetisnull(r, 0, 0)) {
		PQclear(r);
		return vc_fail(err, EX_DATAERR, "run %lld belongs to no hub: use vcourier deliver",
			       run_id);
	}
	sc->hub_id = atoll(PQgetvalue(r, 0, 0));
	snprintf(sc->hub_code, sizeof(sc->hub_code), "%s", PQgetvalue(r, 0, 1));
	snprintf(sc->service_date, sizeof(sc->service_date), "%s", PQgetvalue(r, 0, 2));
	PQclear(r);
	return 0;
}

int nightly_rerun(PGconn *conn, const struct vc_config *cfg, long long run_id, json_t **summary,
		  struct vc_error *err)
{
	struct run_scope sc;
	struct outbox_stats st = { 0 };
	long long rerun_id = -1;
	const char *status;
	json_t *manifests;
	int rc = -1;

	*summary = NULL;
	if (load_scope(conn, run_id, &sc, err) < 0 || run_lock_hub(conn, sc.hub_id, 1, err) < 0)
		return -1;
	rerun_id = runrec_insert(conn, "rerun", sc.hub_id, sc.service_date[0] ? sc.service_date : NULL,
			      err);
	if (rerun_id < 0)
		goto unlock;
	FAULT_POINT("after_rerun_record");
	if (run_deliver(conn, cfg, 0, run_id, NULL, rerun_id, &st, err) < 0 ||
	    !(manifests = run_manifests_json(conn, run_id, err)))
		goto failed;
	rc = run_outcome(&st, &status);
	*summary = json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:s, s:s}", "run_id",
			     (json_int_t)rerun_id, "kind", "rerun", "rerun_of", (json_int_t)run_id,
			     "hub", sc.hub_code, "service_date", sc.service_date, "manifests",
			     manifests, "delivery", job_delivery_json(&st), "status", status,
			     "vcourier_version", vc_version());
	if (run_finish(conn, rerun_id, status, *summary, err) < 0) {
		json_decref(*summary);
		*summary = NULL;
		rc = -1;
		goto failed;
	}
	goto unlock;
failed:
	runrec_fail(conn, rerun_id, err->msg);
unlock:
	db_hub_unlock(conn, sc.hub_id, NULL);
	return rc;
}
