/* db: libpq connection, parameterised statements, COPY, error mapping. */
#include "db/db.h"
#include "log/log.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Our defaults apply only where the user's environment says nothing. */
static int env_set(const char *name)
{
	const char *v = getenv(name);
	return v && *v;
}

static void notice_to_log(void *arg, const char *message)
{
	char q[512];
	size_t n = strcspn(message, "\n");
	char line[480];
	(void)arg;
	snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), message);
	log_event(LOG_DEBUG, "db_notice", "message=%s", log_quote(q, sizeof(q), line));
}

PGconn *db_connect(const char *conninfo, const char *app, struct vc_error *err)
{
	/*
	 * Order matters: with expand_dbname, libpq lets later entries override
	 * earlier ones, and the conninfo (a URL or key=value) expands where
	 * "dbname" stands. So vcourier's defaults (timeouts, keepalives,
	 * application_name) come first and whatever the user wrote wins; an
	 * environment variable (PGAPPNAME, PGCONNECT_TIMEOUT) also beats our
	 * default, as it would in psql. client_encoding comes last and always
	 * wins: every byte vcourier sends or reads (COPY escaping included) is
	 * UTF-8, whatever PGCLIENTENCODING the desktop set.
	 */
	const char *keys[12], *vals[12];
	PGconn *conn;
	int n = 0;

	if (!env_set("PGAPPNAME")) {
		keys[n] = "application_name";
		vals[n++] = app;
	}
	if (!env_set("PGCONNECT_TIMEOUT")) {
		keys[n] = "connect_timeout";
		vals[n++] = "10";
	}
	keys[n] = "keepalives";
	vals[n++] = "1";
	keys[n] = "keepalives_idle";
	vals[n++] = "30";
	/* A half-open connection (packets dropped, no RST) is given up after
	 * about a minute, whether idle (keepalives: 30 + 3 x 10 s) or with
	 * data unacknowledged (tcp_user_timeout), instead of the kernel's
	 * 15 minutes of retransmissions; docs/RELIABILITY.md. */
	keys[n] = "keepalives_interval";
	vals[n++] = "10";
	keys[n] = "keepalives_count";
	vals[n++] = "3";
	keys[n] = "tcp_user_timeout";
	vals[n++] = "60000";
	keys[n] = "dbname";
	vals[n++] = conninfo ? conninfo : "";
	keys[n] = "client_encoding";
	vals[n++] = "UTF8";
	keys[n] = NULL;
	vals[n] = NULL;
	conn = PQconnectdbParams(keys, vals, 1);

	if (!conn) {
		vc_fail(err, EX_UNAVAILABLE, "database: out of memory connecting");
		return NULL;
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		char *msg = PQerrorMessage(conn);
		size_t len = strcspn(msg, "\n");
		vc_fail(err, EX_UNAVAILABLE, "database unavailable: %.*s", (int)len, msg);
		PQfinish(conn);
		return NULL;
	}
	/* NOTICEs ("relation already exists, skipping") and a FATAL read while
	 * idle (a terminated session) are debug events, never raw stderr lines:
	 * PQsetNoticeProcessor(conn, NULL, ...) would keep libpq's printer. */
	PQsetNoticeProcessor(conn, notice_to_log, NULL);
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
	 * statement timeout, 57P01 admin shutdown); 53: insufficient resources;
	 * 25006: read-only transaction (the server was demoted to a standby by
	 * a failover: the primary is elsewhere now). */
	return !strncmp(state, "08", 2) || !strncmp(state, "57", 2) || !strncmp(state, "53", 2) ||
	       !strcmp(state, "25006");
}

static int state_is(const PGresult *res, const char *sqlstate)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	return state && !strcmp(state, sqlstate);
}

/* 53100 disk_full says "out of space": the operator frees disk, then reruns. */
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
		       "%s%s%.*s", !is_unavailable(conn, res) ? "" :
				   state_is(res, "53100") ? "database out of space: " :
				   "database unavailable: ",
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
