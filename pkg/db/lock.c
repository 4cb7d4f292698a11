/* lock: per-hub session advisory locks (see lock.h). */
#include "db/lock.h"
#include "db/db.h"
#include "log/log.h"

#include <stdio.h>

#define HUB_LOCK_CLASS DB_HUB_LOCK_CLASS

static int hub_lock_call(PGconn *conn, const char *sql, long long hub_id, int *result,
			 struct vc_error *err)
{
	char id[24];
	const char *params[1] = { id };
	PGresult *res;
	snprintf(id, sizeof(id), "%lld", hub_id);
	res = db_exec(conn, sql, 1, params, err);
	if (!res)
		return -1;
	*result = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}

int db_hub_lock_try(PGconn *conn, long long hub_id, int *got, struct vc_error *err)
{
	return hub_lock_call(conn, "SELECT pg_try_advisory_lock(" HUB_LOCK_CLASS ", $1::int)",
			     hub_id, got, err);
}

int db_hub_unlock(PGconn *conn, long long hub_id, struct vc_error *err)
{
	int released;
	return hub_lock_call(conn, "SELECT pg_advisory_unlock(" HUB_LOCK_CLASS ", $1::int)",
			     hub_id, &released, err);
}

int db_hub_recover_dead_runs(PGconn *conn, long long hub_id, struct vc_error *err)
{
	char id[24];
	const char *params[1] = { id };
	PGresult *r;
	int i;
	snprintf(id, sizeof(id), "%lld", hub_id);
	r = db_exec(conn, "UPDATE runs SET status = 'abandoned', finished_at = now(),"
		    " error = coalesce(error, 'process ended without finishing; recovered by a later run')"
		    " WHERE hub_id = $1 AND status = 'running' RETURNING id", 1, params, err);
	if (!r)
		return -1;
	for (i = 0; i < PQntuples(r); i++)
		log_event(LOG_WARN, "run_abandoned", "run_id=%s hub_id=%lld reason=\"process died\"",
			  PQgetvalue(r, i, 0), hub_id);
	PQclear(r);
	return 0;
}
