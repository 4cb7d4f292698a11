/* runrec: insert, finish and fail rows of the runs table (see runrec.h). */
#include "db/runrec.h"
#include "db/db.h"
#include "log/log.h"
#include "version/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

long long runrec_insert(PGconn *conn, const char *kind, long long hub_id,
			const char *service_date, struct vc_error *err)
{
	char hub[24], pid[24], host[256] = "";
	const char *params[6] = { kind, hub, service_date, pid, host, vc_version() };
	PGresult *r;
	long long id;

	snprintf(hub, sizeof(hub), "%lld", hub_id);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	gethostname(host, sizeof(host) - 1);
	r = db_exec(conn, "INSERT INTO runs (kind, hub_id, service_date, pid, host, vcourier_version)"
		    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", 6, params, err);
	if (!r)
		return -1;
	id = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	log_event(LOG_INFO, "run_start", "run_id=%lld kind=%s hub_id=%lld service_date=%s", id,
		  kind, hub_id, service_date ? service_date : "-");
	return id;
}

int runrec_finish(PGconn *conn, long long run_id, const char *status,
		  const char *summary_json, struct vc_error *err)
{
	char run[24];
	const char *params[3] = { run, status, summary_json };
	int rc;

	snprintf(run, sizeof(run), "%lld", run_id);
	rc = db_run(conn, "UPDATE runs SET status = $2, finished_at = now(), summary = $3::jsonb"
		    " WHERE id = $1", 3, params, err);
	log_event(LOG_INFO, "run_end", "run_id=%lld status=%s", run_id, status);
	return rc;
}

void runrec_fail(PGconn *conn, long long run_id, const char *msg)
{
	char run[24];
	const char *params[2] = { run, msg };

	if (run_id <= 0)
		return;
	snprintf(run, sizeof(run), "%lld", run_id);
	db_run(conn, "UPDATE runs SET status = 'failed', finished_at = now(), error = $2"
	       " WHERE id = $1 AND status = 'running'", 2, params, NULL);
}
