/*
 * sweep: `vcourier deliver` over one hub or all of them, each in the life
 * cycle of run.h: under the hub's lock (a hub busy with another run is
 * skipped and reported with its holder), dead runs recovered, and a run of
 * kind 'deliver' recorded only when something is due, so that a cron sweep
 * finding nothing leaves no trace.
 */
#include "run/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "log/log.h"
#include "util/fault.h"
#include "util/xalloc.h"

static json_t *deliver_summary(const struct outbox_stats *st)
{
	return json_pack("{s:s, s:i, s:i, s:i, s:i}", "kind", "deliver", "delivered", st->delivered,
			 "pending", st->pending, "failed", st->failed, "gone", st->gone);
}

json_t *run_deliver_json(const struct run_deliver_result *r)
{
	json_t *o = json_pack("{s:s, s:I, s:b, s:i, s:i, s:i, s:i, s:i, s:o, s:i, s:i, s:i}",
		"hub", r->hub_code, "run_id", (json_int_t)r->run_id,
		"lock_held", r->lock_held, "delivered", r->st.delivered,
		"pending", r->st.pending, "failed", r->st.failed, "gone", r->st.gone,
		"waiting", r->waiting,
		"next_due", r->next_due[0] ? json_string(r->next_due) : json_null(),
		"exit", r->exit_code,
		"unsigned", r->st.unsigned_posts, "no_token", r->st.tokenless_posts);
	run_summary_stamp(o);
	return o;
}

/* With the hub's lock held: post what is due; the hub's exit code, or -1. */
static int deliver_hub(struct run *run, const struct vc_config *cfg, int force,
		       const struct deliver_options *opt, struct run_deliver_result *r,
		       struct vc_error *err)
{
	struct outbox_filter f = { 0, run->hub_id, NULL, force };
	long long due = 0, waiting = 0;
	json_t *summary;
	int code;

	if (outbox_count(run->conn, &f, &due, &waiting, r->next_due, err) < 0)
		return -1;
	r->waiting = (int)waiting;
	/* Not due yet is not done: cron should come back (75). */
	if (due == 0)
		return waiting ? EX_TEMPFAIL : 0;
	if (run_record(run, "deliver", NULL, err) < 0)
		return -1;
	r->run_id = run->id;
	FAULT_POINT("after_deliver_record");
	log_event(LOG_INFO, "deliver_hub", "run_id=%lld hub=%s manifests=%lld", r->run_id,
		  r->hub_code, due);
	if (outbox_deliver(run->conn, cfg, &f, run->id, opt, &r->st, err) < 0) {
		run_fail(run, err->msg);
		return -1;
	}
	summary = deliver_summary(&r->st);
	code = run_finish(run, &r->st, summary, err);
	json_decref(summary);
	return code;
}

int run_deliver_hubs(PGconn *conn, const struct vc_config *cfg, const char *hub_code, int force,
		     const struct deliver_options *opt, struct run_deliver_result **res, size_t *n,
		     int *exit_code, struct vc_error *err)
{
	const char *params[] = { hub_code };
	PGresult *hubs = db_exec(conn, "SELECT id, code FROM hubs"
				 " WHERE $1::text IS NULL OR code = $1 ORDER BY code", 1, params, err);
	struct run_deliver_result *out;
	int i, rc = 0;

	*res = NULL;
	*n = 0;
	*exit_code = 0;
	if (!hubs)
		return -1;
	if (hub_code && PQntuples(hubs) == 0) {
		PQclear(hubs);
		return vc_fail(err, EX_DATAERR, "no hub with code '%s'", hub_code);
	}
	out = xcalloc((size_t)PQntuples(hubs) + 1, sizeof(*out));
	for (i = 0; i < PQntuples(hubs) && rc == 0; i++) {
		struct run_deliver_result *r = &out[i];
		struct vc_error why = VC_ERROR_INIT;
		struct run run;

		snprintf(r->hub_code, sizeof(r->hub_code), "%s", PQgetvalue(hubs, i, 1));
		*n = (size_t)i + 1;
		if (run_lock(&run, conn, atoll(PQgetvalue(hubs, i, 0)), RUN_RECOVER, &why) < 0) {
			if (!run.taken) {
				*err = why;
				rc = -1;
				break;
			}
			r->lock_held = 1;
			r->holder = run.holder;
			r->exit_code = EX_TEMPFAIL;
			log_event(LOG_WARN, "hub_locked", "hub=%s holder_run=%lld", r->hub_code,
				  run.holder.run_id);
		} else {
			r->exit_code = deliver_hub(&run, cfg, force, opt, r, err);
			run_unlock(&run);
			if (r->exit_code < 0)
				rc = -1;
		}
		if (rc == 0)
			*exit_code = run_exit_worse(*exit_code, r->exit_code);
	}
	PQclear(hubs);
	*res = out;
	return rc;
}
