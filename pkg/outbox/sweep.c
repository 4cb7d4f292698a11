/*
 * outbox sweep: `vcourier deliver` over one hub or all of them. Each hub
 * is handled under its advisory lock (a hub busy with another run is
 * skipped and reported; runs left 'running' by a dead process are marked
 * abandoned), in a run of kind 'deliver' that is recorded only
 * when there is something to post, so a cron sweep finding nothing leaves
 * no trace.
 */
#include "outbox/outbox.h"
#include "version/version.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/lock.h"
#include "db/runrec.h"
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

static int end_run(PGconn *conn, long long run_id, const struct outbox_stats *st,
		   struct vc_error *err)
{
	json_t *summary = json_pack("{s:s, s:i, s:i, s:i, s:i, s:s}", "kind", "deliver",
				    "delivered", st->delivered, "pending", st->pending,
				    "failed", st->failed, "gone", st->gone,
				    "vcourier_version", vc_version());
	char *text = json_dumps(summary, JSON_COMPACT | JSON_PRESERVE_ORDER);
	const char *status = st->pending || st->failed || st->gone ? "partial" : "completed";
	int rc = runrec_finish(conn, run_id, status, text, err);
	free(text);
	json_decref(summary);
	return rc;
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
	if (db_hub_recover_dead_runs(conn, hub_id, err) < 0)
		return -1;
	todo = first_bigint(conn, todo_sql, 1, params, err);
	if (todo <= 0)
		return (int)todo;
	r->run_id = runrec_insert(conn, "deliver", hub_id, NULL, err);
	if (r->run_id < 0)
		return -1;
	FAULT_POINT("after_deliver_record");
	log_event(LOG_INFO, "deliver_hub", "run_id=%lld hub=%s manifests=%lld",
		  r->run_id, r->hub_code, todo);
	if (outbox_deliver(conn, cfg, &f, r->run_id, opt, &r->st, err) < 0) {
		runrec_fail(conn, r->run_id, err->msg);
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
