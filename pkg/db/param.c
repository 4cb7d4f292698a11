/*
 * param: ids as text parameters and the small statements built on them,
 * so that no module keeps its own snprintf("%lld") or first-value helper.
 */
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>

const char *db_id(char buf[DB_ID_LEN], long long v)
{
	snprintf(buf, DB_ID_LEN, "%lld", v);
	return buf;
}

PGresult *db_exec_id(PGconn *conn, const char *sql, long long id, struct vc_error *err)
{
	char buf[DB_ID_LEN];
	const char *params[1] = { db_id(buf, id) };
	return db_exec(conn, sql, 1, params, err);
}

long long db_scalar(PGconn *conn, const char *sql, int nparams, const char *const *params,
		    struct vc_error *err)
{
	PGresult *res = db_exec(conn, sql, nparams, params, err);
	long long v;
	if (!res)
		return -1;
	v = PQntuples(res) && !PQgetisnull(res, 0, 0) ? atoll(PQgetvalue(res, 0, 0)) : 0;
	PQclear(res);
	return v;
}
