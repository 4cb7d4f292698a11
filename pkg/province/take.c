/*
 * take: before a sharing worker runs a hub, it takes the hub's lock and
 * decides: run it, or skip it as taken (a nightly run of the same date
 * holds the lock: it will plan the hub) or done (the last nightly run of
 * the date completed and no order arrived since). The lock's holder is
 * found through pg_locks and runs.backend_pid. A worker that lost the race
 * for the lock by microseconds may find the holder's run not yet recorded:
 * it polls, within a deadline, until the run shows or the lock is free.
 */
#include "province/province_internal.h"
#include "db/db.h"
#include "db/lock.h"
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a holder may take between its lock and its run row (one INSERT). */
#define HOLDER_WAIT_S 5.0

static const char holder_sql[] =
	"SELECT r.id, coalesce(r.host, '?'), coalesce(r.pid, 0),"
	"       r.kind = 'nightly' AND r.service_date = $2::date"
	" FROM pg_locks l JOIN runs r ON r.backend_pid = l.pid"
	" WHERE l.locktype = 'advisory' AND l.classid = " DB_HUB_LOCK_CLASS
	"   AND l.objid::bigint = $1::bigint AND l.objsubid = 2 AND l.granted"
	"   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
	"   AND r.hub_id = $1 AND r.status = 'running'"
	" ORDER BY r.id DESC LIMIT 1";

/* Done: the hub's last planning run of the date (nightly or replan) completed,
 * no order ready by the date is pending that it did not see, and no live
 * manifest of the date waits to be posted (a replan killed after its commit
 * leaves new versions pending: the next nightly posts them). */
static const char done_sql[] =
	"SELECT r.id, coalesce(r.host, '?') FROM runs r"
	" WHERE r.id = (SELECT max(id) FROM runs WHERE hub_id = $1 AND service_date = $2::date"
	"               AND kind IN ('nightly', 'replan'))"
	"   AND r.status = 'completed'"
	"   AND NOT EXISTS (SELECT 1 FROM orders o JOIN points p ON p.id = o.point_id"
	"                   WHERE p.hub_id = $1 AND o.status = 'pending'"
	"                     AND o.ready_date <= $2::date AND o.run_id IS DISTINCT FROM r.id)"
	/* a live manifest still to post (a replan's new version, a crashed run's) is not done */
	"   AND NOT EXISTS (SELECT 1 FROM manifests m WHERE m.hub_id = $1"
	"                     AND m.service_date = $2::date AND m.superseded_by IS NULL"
	"                     AND m.delivery_status = 'pending')";

static PGresult *hub_query(PGconn *conn, const char *sql, const struct province_hub *h,
			   const char *date, struct vc_error *err)
{
	char id[24];
	const char *params[2] = { id, date };
	snprintf(id, sizeof(id), "%lld", h->id);
	return db_exec(conn, sql, 2, params, err);
}

/* 1 and *res set when the holder's run is known, 0 when not (yet), -1 on error. */
static int find_holder(PGconn *conn, const struct province_hub *h, const char *date,
		       enum take_result *res, char *msg, size_t size, struct vc_error *err)
{
	PGresult *r = hub_query(conn, holder_sql, h, date, err);
	int found;
	if (!r)
		return -1;
	found = PQntuples(r) == 1;
	if (found && PQgetvalue(r, 0, 3)[0] == 't') {
		*res = TAKE_TAKEN;
		snprintf(msg, size, "hub %s: taken by run %s on %s (pid %s)", h->code,
			 PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
	} else if (found) {
		*res = TAKE_BUSY;
	}
	PQclear(r);
	return found;
}

static int is_done(PGconn *conn, const struct province_hub *h, const char *date,
		   char *msg, size_t size, struct vc_error *err)
{
	PGresult *r = hub_query(conn, done_sql, h, date, err);
	int done;
	if (!r)
		return -1;
	done = PQntuples(r) == 1;
	if (done)
		snprintf(msg, size, "hub %s: done by run %s on %s; nothing new to plan", h->code,
			 PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
	PQclear(r);
	return done;
}

int take_hub(PGconn *conn, const struct province_hub *h, const char *service_date,
	     enum take_result *res, char *msg, size_t size, struct vc_error *err)
{
	double deadline = vc_mono_s() + HOLDER_WAIT_S;
	struct timespec pause = { 0, 50 * 1000000 };
	int got = 0, found, done;

	*msg = 0;
	for (;;) {
		if (db_hub_lock_try(conn, h->id, &got, err) < 0)
			return -1;
		if (got)
			break;
		if ((found = find_holder(conn, h, service_date, res, msg, size, err)) != 0)
			return found < 0 ? -1 : 0;
		if (vc_mono_s() >= deadline) {
			/* Not a run of ours (a psql session, an old version): the run reports it. */
			*res = TAKE_BUSY;
			return 0;
		}
		nanosleep(&pause, NULL);
	}
	if ((done = is_done(conn, h, service_date, msg, size, err)) != 0) {
		db_hub_unlock(conn, h->id, NULL);
		if (done < 0)
			return -1;
		*res = TAKE_DONE;
		return 0;
	}
	*res = TAKE_GOT;
	return 0;
}
