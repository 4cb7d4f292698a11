/* lock: per-hub session advisory locks (see lock.h). */
#include "db/lock.h"
#include "db/db.h"

#define HUB_LOCK_CLASS DB_HUB_LOCK_CLASS

static int hub_lock_call(PGconn *conn, const char *sql, long long hub_id, int *result,
			 struct vc_error *err)
{
	PGresult *res = db_exec_id(conn, sql, hub_id, err);
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
