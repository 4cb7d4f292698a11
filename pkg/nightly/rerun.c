/*
 * rerun: `vcourier rerun --run ID` posts what is still undelivered of one
 * run, under the hub's lock, with the manifests' own ids as Idempotency-Key
 * (so an endpoint that already has one answers with its first answer).
 * It is recorded as a run of kind 'rerun' whose attempts are its own.
 */
#include "nightly/job.h"
#include "db/db.h"
#include "run/run.h"
#include "outbox/outbox.h"
#include "util/fault.h"

#include <stdlib.h>

struct run_scope {
	long long hub_id;
	char hub_code[80];
	char service_date[16];
};

static int load_scope(PGconn *conn, long long run_id, struct run_scope *sc, struct vc_error *err)
{
	PGresult *r = db_exec_id(conn, "SELECT r.hub_id, h.code, coalesce(r.service_date::text, '')"
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

int nightly_rerun(PGconn *conn, const struct vc_config *cfg, long long run_id, int force,
		  json_t **summary, struct vc_error *err)
{
	struct run_scope sc;
	struct outbox_filter f = { run_id, 0, NULL, force };
	struct outbox_stats st = { 0 };
	struct deliver_options opt;
	struct run run;
	json_t *manifests;
	int rc = -1;

	*summary = NULL;
	if (load_scope(conn, run_id, &sc, err) < 0 || run_lock(&run, conn, sc.hub_id, RUN_RECOVER, err) < 0)
		return -1;
	if (run_record(&run, "rerun", sc.service_date[0] ? sc.service_date : NULL, err) < 0)
		goto unlock;
	FAULT_POINT("after_rerun_record");
	outbox_deliver_options(cfg, &opt);
	if (outbox_deliver(conn, cfg, &f, run.id, &opt, &st, err) < 0 ||
	    !(manifests = job_run_manifests(conn, run_id, err)))
		goto failed;
	*summary = json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:o}", "run_id", (json_int_t)run.id,
			     "kind", "rerun", "rerun_of", (json_int_t)run_id, "hub", sc.hub_code,
			     "service_date", sc.service_date, "manifests", manifests, "delivery",
			     job_delivery_json(&st));
	rc = run_finish(&run, &st, *summary, err);
	if (rc < 0) {
		json_decref(*summary);
		*summary = NULL;
		goto failed;
	}
	goto unlock;
failed:
	run_fail(&run, err->msg);
unlock:
	run_unlock(&run);
	return rc;
}
