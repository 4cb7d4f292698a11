/*
 * runrec: what every run of a hub does around its work: the advisory lock
 * (a second run for the hub gets EX_TEMPFAIL naming the holder), the
 * recovery of runs whose process died, the runs row, the delivery step
 * through pkg/outbox and the final status.
 */
#include "nightly/job.h"
#include "db/db.h"
#include "db/lock.h"
#include "db/runrec.h"
#include "log/log.h"
#include "outbox/outbox.h"
#include "util/fault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int lock_held_error(PGconn *conn, long long hub_id, struct vc_error *err)
{
	char hub[24];
	PGresult *r = job_exec_id(conn,
		"SELECT h.code, r.id, r.pid, to_char(r.started_at, 'YYYY-MM-DD HH24:MI:SS TZ')"
		" FROM hubs h LEFT JOIN runs r ON r.hub_id = h.id AND r.status = 'running'"
		" WHERE h.id = $1 ORDER BY r.id DESC LIMIT 1", hub_id, err);
	if (!r)
		return -1;
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 1))
		vc_fail(err, EX_TEMPFAIL, "hub %s: run %s (pid %s, started %s) holds the hub's lock;"
			" try again when it ends", PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
			PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3));
	else
		vc_fail(err, EX_TEMPFAIL, "hub %s: another vcourier run holds the hub's lock;"
			" try again when it ends", PQntuples(r) ? PQgetvalue(r, 0, 0) : job_lld(hub, hub_id));
	PQclear(r);
	return -1;
}

int run_lock_hub(PGconn *conn, long long hub_id, int recover, struct vc_error *err)
{
	int got = 0;
	if (db_hub_lock_try(conn, hub_id, &got, err) < 0)
		return -1;
	if (!got)
		return lock_held_error(conn, hub_id, err);
	FAULT_POINT("after_lock");
	if (recover && db_hub_recover_dead_runs(conn, hub_id, err) < 0) {
		db_hub_unlock(conn, hub_id, NULL);
		return -1;
	}
	return 0;
}

int run_deliver(PGconn *conn, const struct vc_config *cfg, long long hub_id, long long of_run,
		const char *service_date, long long attempt_run_id, struct outbox_stats *st,
		struct vc_error *err)
{
	struct outbox_filter f = { of_run, hub_id, service_date };
	struct deliver_options opt;
	memset(st, 0, sizeof(*st));
	outbox_deliver_options(cfg, &opt);
	return outbox_deliver(conn, cfg, &f, attempt_run_id, &opt, st, err);
}

int run_outcome(const struct outbox_stats *st, const char **status)
{
	*status = st->pending || st->failed || st->gone ? "partial" : "completed";
	if (st->pending)
		return EX_TEMPFAIL;
	return st->failed || st->gone ? EX_UNAVAILABLE : 0;
}

int run_finish(PGconn *conn, long long run_id, const char *status, const json_t *summary,
	       struct vc_error *err)
{
	char *json = json_dumps(summary, JSON_COMPACT);
	int rc = runrec_finish(conn, run_id, status, json, err);
	free(json);
	return rc;
}

json_t *run_manifests_json(PGconn *conn, long long run_id, struct vc_error *err)
{
	PGresult *r = job_exec_id(conn,
		"SELECT m.manifest_id, c.code, m.stops, m.parcels, m.weight_kg, m.distance_km,"
		" m.delivery_status, m.version, m.replaces, m.attempts, m.last_http_status"
		" FROM manifests m JOIN couriers c ON c.id = m.courier_id"
		" WHERE m.run_id = $1 ORDER BY m.manifest_id", run_id, err);
	json_t *list;
	int i;
	if (!r)
		return NULL;
	list = json_array();
	for (i = 0; i < PQntuples(r); i++) {
		json_t *m = json_pack("{s:s, s:s, s:i, s:i, s:f, s:f, s:s, s:i, s:o, s:i, s:o}",
			"manifest_id", PQgetvalue(r, i, 0), "courier", PQgetvalue(r, i, 1),
			"stops", atoi(PQgetvalue(r, i, 2)), "parcels", atoi(PQgetvalue(r, i, 3)),
			"weight_kg", atof(PQgetvalue(r, i, 4)), "distance_km", atof(PQgetvalue(r, i, 5)),
			"delivery", PQgetvalue(r, i, 6), "version", atoi(PQgetvalue(r, i, 7)),
			"replaces", PQgetisnull(r, i, 8) ? json_null() : json_string(PQgetvalue(r, i, 8)),
			"attempts", atoi(PQgetvalue(r, i, 9)),
			"last_http_status", PQgetisnull(r, i, 10) ? json_null()
								  : json_integer(atoi(PQgetvalue(r, i, 10))));
		json_array_append_new(list, m);
	}
	PQclear(r);
	return list;
}
