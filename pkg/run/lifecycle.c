/*
 * lifecycle: lock, recovery of dead runs, the runs row from insert to
 * finish or failure, and the exit-code rule (see run.h). The only code
 * that writes the runs table's status.
 */
#include "run/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/lock.h"
#include "log/log.h"
#include "util/fault.h"
#include "version/version.h"

int run_exit_worse(int a, int b)
{
	if (a && a != EX_TEMPFAIL)
		return a;
	if (b && b != EX_TEMPFAIL)
		return b;
	return a ? a : b;
}

int run_delivery_exit(const struct outbox_stats *st, const char **status)
{
	*status = st->pending || st->waiting || st->failed || st->gone ? "partial" : "completed";
	return run_exit_worse(st->failed || st->gone ? EX_UNAVAILABLE : 0,
			      st->pending || st->waiting ? EX_TEMPFAIL : 0);
}

/* The hub's code and the run holding its lock, if that run has a row. */
static int lock_held_error(struct run *r, struct vc_error *err)
{
	PGresult *res = db_exec_id(r->conn,
		"SELECT h.code, r.id, r.pid, coalesce(r.host, ''),"
		" to_char(r.started_at, 'YYYY-MM-DD HH24:MI:SS TZ')"
		" FROM hubs h LEFT JOIN runs r ON r.hub_id = h.id AND r.status = 'running'"
		" WHERE h.id = $1 ORDER BY r.id DESC LIMIT 1", r->hub_id, err);
	struct run_holder *h = &r->holder;
	if (!res)
		return -1;
	r->taken = 1;
	memset(h, 0, sizeof(*h));
	if (PQntuples(res) == 1)
		snprintf(r->hub_code, sizeof(r->hub_code), "%s", PQgetvalue(res, 0, 0));
	else
		snprintf(r->hub_code, sizeof(r->hub_code), "%lld", r->hub_id);
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 1)) {
		h->run_id = atoll(PQgetvalue(res, 0, 1));
		h->pid = atoi(PQgetvalue(res, 0, 2));
		snprintf(h->host, sizeof(h->host), "%s", PQgetvalue(res, 0, 3));
		snprintf(h->started, sizeof(h->started), "%s", PQgetvalue(res, 0, 4));
		vc_fail(err, EX_TEMPFAIL, "hub %s: run %lld%s%s (pid %d, started %s) holds the hub's"
			" lock; try again when it ends", r->hub_code, h->run_id, h->host[0] ? " on " : "",
			h->host, h->pid, h->started);
	} else {
		vc_fail(err, EX_TEMPFAIL, "hub %s: another vcourier run holds the hub's lock;"
			" try again when it ends", r->hub_code);
	}
	PQclear(res);
	return -1;
}

/* With the lock held, a 'running' run of the hub lost its session: its process died. */
static int recover_dead_runs(struct run *r, struct vc_error *err)
{
	PGresult *res = db_exec_id(r->conn,
		"UPDATE runs SET status = 'abandoned', finished_at = now(),"
		" error = coalesce(error, 'process ended without finishing; recovered by a later run')"
		" WHERE hub_id = $1 AND status = 'running' RETURNING id", r->hub_id, err);
	int i;
	if (!res)
		return -1;
	for (i = 0; i < PQntuples(res); i++)
		log_event(LOG_WARN, "run_abandoned", "run_id=%s hub_id=%lld reason=\"process died\"",
			  PQgetvalue(res, i, 0), r->hub_id);
	PQclear(res);
	return 0;
}

int run_lock(struct run *r, PGconn *conn, long long hub_id, unsigned flags, struct vc_error *err)
{
	int got = 0;
	memset(r, 0, sizeof(*r));
	r->conn = conn;
	r->hub_id = hub_id;
	if (db_hub_lock_try(conn, hub_id, &got, err) < 0)
		return -1;
	if (!got)
		return lock_held_error(r, err);
	r->locked = 1;
	FAULT_POINT("after_lock");
	if ((flags & RUN_RECOVER) && recover_dead_runs(r, err) < 0) {
		run_unlock(r);
		return -1;
	}
	return 0;
}

void run_summary_stamp(json_t *summary)
{
	/* every stored and printed summary says which vcourier wrote it */
	json_object_set_new(summary, "vcourier_version", json_string(vc_version()));
}

int run_record(struct run *r, const char *kind, const char *service_date, struct vc_error *err)
{
	char hub[DB_ID_LEN], pid[DB_ID_LEN], host[256] = "";
	const char *params[6] = { kind, db_id(hub, r->hub_id), service_date,
				  db_id(pid, (long long)getpid()), host, vc_version() };
	long long id;

	gethostname(host, sizeof(host) - 1);
	/* backend_pid: pg_locks names the lock's holder by it (province/take.c). */
	id = db_scalar(r->conn, "INSERT INTO runs (kind, hub_id, service_date, pid, host, backend_pid,"
		       " vcourier_version) VALUES ($1, $2, $3, $4, $5, pg_backend_pid(), $6) RETURNING id",
		       6, params, err);
	if (id <= 0)
		return -1;
	r->id = id;
	log_event(LOG_INFO, "run_start", "run_id=%lld kind=%s hub_id=%lld service_date=%s", id,
		  kind, r->hub_id, service_date ? service_date : "-");
	return 0;
}

int run_finish(struct run *r, const struct outbox_stats *st, json_t *summary, struct vc_error *err)
{
	char run[DB_ID_LEN];
	const char *status;
	int code = run_delivery_exit(st, &status);
	char *json;
	const char *params[3] = { db_id(run, r->id), status, NULL };
	int rc;

	json_object_set_new(summary, "status", json_string(status));
	run_summary_stamp(summary);
	json = json_dumps(summary, JSON_COMPACT | JSON_PRESERVE_ORDER);
	params[2] = json;
	rc = db_run(r->conn, "UPDATE runs SET status = $2, finished_at = now(), summary = $3::jsonb"
		    " WHERE id = $1", 3, params, err);
	free(json);
	if (rc < 0)
		return -1;
	log_event(LOG_INFO, "run_end", "run_id=%lld status=%s exit=%d", r->id, status, code);
	return code;
}

void run_fail(struct run *r, const char *msg)
{
	char run[DB_ID_LEN];
	const char *params[2] = { run, msg };

	if (r->id <= 0)
		return;
	db_id(run, r->id);
	db_run(r->conn, "UPDATE runs SET status = 'failed', finished_at = now(), error = $2"
	       " WHERE id = $1 AND status = 'running'", 2, params, NULL);
	log_event(LOG_INFO, "run_end", "run_id=%lld status=failed", r->id);
	/* tests hold here: the failed run as the next hub (or run) will find it */
	FAULT_POINT("after_run_failed");
}

void run_unlock(struct run *r)
{
	if (!r->locked)
		return;
	db_hub_unlock(r->conn, r->hub_id, NULL);
	r->locked = 0;
}
