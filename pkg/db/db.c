/* db: libpq connection, parameterised statements, COPY, error mapping. */
#include "db/db.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <string.h>

PGconn *db_connect(const char *conninfo, const char *app, struct vc_error *err)
{
	/*
	 * The conninfo may be a URL or key=value; expand_dbname lets us add our
	 * own defaults (timeouts, application_name) without rewriting it.
	 */
	const char *keys[] = { "dbname", "application_name", "connect_timeout",
			       "keepalives", "keepalives_idle", NULL };
	const char *vals[] = { conninfo ? conninfo : "", app, "10", "1", "30", NULL };
	PGconn *conn = PQconnectdbParams(keys, vals, 1);

	if (!conn) {
		vc_fail(err, EX_UNAVAILABLE, "database: out of memory connecting");
		return NULL;
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		char *msg = PQerrorMessage(conn);
		size_t n = strcspn(msg, "\n");
		vc_fail(err, EX_UNAVAILABLE, "database unavailable: %.*s", (int)n, msg);
		PQfinish(conn);
		return NULL;
	}
	/* Quiet NOTICEs such as "relation already exists, skipping". */
	PQsetNoticeProcessor(conn, NULL, NULL);
	return conn;
}

void db_close(PGconn *conn)
{
	if (conn)
		PQfinish(conn);
}

static int is_unavailable(PGconn *conn, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (PQstatus(conn) != CONNECTION_OK)
		return 1;
	if (!state)
		return res == NULL;
	/* 08: connection exception; 57: operator intervention (incl. 57014
	 * statement timeout, 57P01 admin shutdown); 53: insufficient resources. */
	return !strncmp(state, "08", 2) || !strncmp(state, "57", 2) || !strncmp(state, "53", 2);
}

int db_fail(PGconn *conn, const PGresult *res, const char *what, struct vc_error *err)
{
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
	size_t n;
	if (!msg || !*msg)
		msg = PQerrorMessage(conn);
	/* libpq messages start with "ERROR:  " and may span lines; keep one. */
	if (!strncmp(msg, "ERROR:  ", 8))
		msg += 8;
	n = strcspn(msg, "\n");
	return vc_fail(err, is_unavailable(conn, res) ? EX_UNAVAILABLE : EX_SOFTWARE,
		       "%s%s%.*s", is_unavailable(conn, res) ? "database unavailable: " : "",
		       what ? what : "", (int)n, msg);
}

PGresult *db_exec(PGconn *conn, const char *sql, int nparams, const char *const *params,
		  struct vc_error *err)
{
	PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	db_fail(conn, res, "", err);
	PQclear(res);
	return NULL;
}

int db_run(PGconn *conn, const char *sql, int nparams, const char *const *params,
	   struct vc_error *err)
{
	PGresult *res = db_exec(conn, sql, nparams, params, err);
	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

int db_begin(PGconn *conn, struct vc_error *err)
{
	return db_run(conn, "BEGIN", 0, NULL, err);
}

int db_commit(PGconn *conn, struct vc_error *err)
{
	return db_run(conn, "COMMIT", 0, NULL, err);
}

void db_rollback(PGconn *conn)
{
	PGresult *res = PQexec(conn, "ROLLBACK");
	PQclear(res);
}
