/*
 * outbox sweep: `vcourier deliver` over one hub or all of them. Each hub
 * is handled under its advisory lock (a hub busy with another run is
 * skipped and reported; runs left 'running' by a dead process are marked
 * abandoned), in a run of kind 'deliver' that is recorded only
 * when there is something to post, so a cron sweep finding nothing leaves
 * no trace.
 */
#include "outbox/outbox.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/lock.h"
#include "log/log.h"
#include "util/fault.h"
#include "util/xalloc.h"

static const char hubs_sql[] =
	"SELECT id, code FROM hubs WHERE $1::text IS NULL OR code = $1 ORDER BY code";

/* Same selection as outbox_deliver, counted. */
static const char todo_sql[] =
	"SELECT count(*) FROM manifests m JOIN couriers c ON c.id = m.courier_id"
	" WHERE m.hub_id = $1 AND m.superseded_by IS NULL"
	"   AND (m.delivery_status = 'pending'"
	"        OR (m.delivery_status = 'gone' AND c.endpoint_gone_at IS NULL))";

static long long first_bigint(PGconn *conn, const char *sql, int n, const char *const *params,
			      struct vc_error *err)
{
	PGresult *res = db_exec(conn, sql, n, params, err);
	long long v;
	if (!res)
		return -1;
	v = PQntuples(res) ? atoll(PQgetvalue(res, 0, 0)) : 0;
	PQclear(res);
	return v;
}

static long long begin_run(PGconn *conn, const char *hub_id, struct vc_error *err)
{
	char pid[24], host[256] = "";
	const char *params[] = { hub_id, pid, host };
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	gethostname(host, sizeof(host) - 1);
	return first_bigint(conn,
			    "INSERT INTO runs (kind, hub_id, pid, host) VALUES ('deliver', $1, $2, $3)"
			    " RETURNING id", 3, params, err);
}

static int end_run(PGconn *conn, long long run_id, const struct outbox_stats *st,
		   struct vc_error *err)
{
	char run[24];
	json_t *summary = json_pack("{s:s, s:i, s:i, s:i, s:i}", "kind", "deliver",
				    "delivered", st->delivered, "pending", st->pending,
				    "failed", st->failed, "gone", st->gone);
	char *text = json_dumps(summary, JSON_COMPACT | JSON_PRESERVE_ORDER);
	const char *status = st->pending || st->failed || st->gone ? "partial" : "completed";
	const char *params[] = { run, status, text };
	int rc;
	snprintf(run, sizeof(run), "%lld", run_id);
	rc = db_run(conn, "UPDATE runs SET status = $2, finished_at = now(), summary = $3::jsonb"
		    " WHERE id = $1", 3, params, err);
	free(text);
	json_decref(summary);
	return rc;
}

static void fail_run(PGconn *conn, long long run_id, const char *msg)
{
	char run[24];
	const char *params[] = { run, msg };
	snprintf(run, sizeof(run), "%lld", run_id);
	db_run(conn, "UPDATE runs SET status = 'failed', finished_at = now(), error = $2"
	       " WHERE id = $1", 2, params, NULL);
}

/*
 * With the hub's lock held, a run of the hub still 'running' lost its
 * session: its process died. Same wording as the nightly job's recovery.
 */
static int recover_dead_runs(PGconn *conn, const char *hub_id, struct vc_error *err)
{
	const char *params[] = { hub_id };
	return db_run(conn, "UPDATE runs SET status = 'abandoned', finished_at = now(),"
		      " error = coalesce(error, 'process ended without finishing; recovered by a later run')"
		      " WHERE hub_id = $1 AND status = 'running'", 1, params, err);
}

/* With the hub's lock held. */
static int deliver_hub(PGconn *conn, const struct vc_config *cfg, long long hub_id,
		       const struct deliver_options *opt, struct outbox_hub_result *r,
		       struct vc_error *err)
{
	struct outbox_filter f = { 0, hub_id, NULL };
	char hub[24];
	const char *params[] = { hub };
	long long todo;

	snprintf(hub, sizeof(hub), "%lld", hub_id);
	if (recover_dead_runs(conn, hub, err) < 0)
		return -1;
	todo = first_bigint(conn, todo_sql, 1, params, err);
	if (todo <= 0)
		return (int)todo;
	r->run_id = begin_run(conn, hub, err);
	if (r->run_id < 0)
		return -1;
	FAULT_POINT("after_deliver_record");
	log_event(LOG_INFO, "run_start", "run_id=%lld kind=deliver hub=%s manifests=%lld",
		  r->run_id, r->hub_code, todo);
	if (outbox_deliver(conn, cfg, &f, r->run_id, opt, &r->st, err) < 0) {
		fail_run(conn, r->run_id, err->msg);
		return -1;
	}
	return end_run(conn, r->run_id, &r->st, err);
}

int outbox_deliver_hubs(PGconn *conn, const struct vc_config *cfg, const char *hub_code,
			const struct deliver_options *opt, struct outbox_hub_result **res,
			size_t *n, struct vc_error *err)
{
	const char *params[] = { hub_code };
	PGresult *hubs = db_exec(conn, hubs_sql, 1, params, err);
	struct outbox_hub_result *out;
	int i, rc = 0;

	*res = NULL;
	*n = 0;
	if (!hubs)
		return -1;
	if (hub_code && PQntuples(hubs) == 0) {
		PQclear(hubs);
		return vc_fail(err, EX_DATAERR, "no hub with code '%s'", hub_code);
	}
	out = xcalloc((size_t)PQntuples(hubs) + 1, sizeof(*out));
	for (i = 0; i < PQntuples(hubs) && rc == 0; i++) {
		struct outbox_hub_result *r = &out[i];
		long long hub_id = atoll(PQgetvalue(hubs, i, 0));
		int got = 0;

		snprintf(r->hub_code, sizeof(r->hub_code), "%s", PQgetvalue(hubs, i, 1));
		*n = (size_t)i + 1;
		if (db_hub_lock_try(conn, hub_id, &got, err) < 0) {
			rc = -1;
			break;
		}
		if (!got) {
			r->lock_held = 1;
			log_event(LOG_WARN, "hub_locked", "hub=%s reason=\"another run holds the hub's lock\"",
				  r->hub_code);
			continue;
		}
		rc = deliver_hub(conn, cfg, hub_id, opt, r, err);
		db_hub_unlock(conn, hub_id, NULL);
	}
	PQclear(hubs);
	*res = out;
	return rc;
}
