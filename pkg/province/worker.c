/*
 * worker: one process's share of the night, on its own connection. Takes
 * hubs from the queue until none is left; for each, take.c decides (when
 * sharing), then nightly_run_hub does the run of SPEC section 4. When the
 * database goes away mid-hub (a failover: the session and its locks are
 * gone, the run row stays 'running' on the new primary), the worker
 * reconnects through the same conninfo (a multi-host one with
 * target_session_attrs=read-write finds the new primary) for up to
 * db_reconnect_s seconds, and runs the hub once more: the new run takes
 * the lock and marks the lost one abandoned. Nothing the lost run did is
 * half-done: its transaction died with it, or it had committed and the
 * outbox is posted again under the same Idempotency-Keys.
 */
#include "province/province_internal.h"
#include "db/db.h"
#include "db/lock.h"
#include "log/log.h"
#include "util/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Connect, retrying with backoff until reconnect_s have passed. */
static PGconn *connect_retrying(const struct province_options *o, double reconnect_s,
				struct vc_error *err)
{
	double deadline = vc_mono_s() + reconnect_s, pause = 0.2;
	for (;;) {
		PGconn *conn = db_connect(o->conninfo, o->app, err);
		if (conn || vc_mono_s() + pause > deadline)
			return conn;
		log_event(LOG_INFO, "db_reconnect", "wait_s=%.1f", pause);
		{
			struct timespec ts = { (time_t)pause, (long)((pause - (long)pause) * 1e9) };
			nanosleep(&ts, NULL);
		}
		vc_error_clear(err);
		pause = pause * 2 > 5 ? 5 : pause * 2;
	}
}

/* out->hub set: its error line names the hub (a lock message already does). */
static void failed(struct province_outcome *out, const struct vc_error *err)
{
	const char *msg = err->msg[0] ? err->msg : "unknown error";
	out->kind = PROVINCE_FAILED;
	out->code = err->code ? err->code : EX_SOFTWARE;
	if (!strncmp(msg, "hub ", 4))
		snprintf(out->message, sizeof(out->message), "%.590s", msg);
	else
		snprintf(out->message, sizeof(out->message), "hub %.64s: %.520s", out->hub, msg);
}

/* One hub on conn; out filled (its summary, if any, is the caller's to free). */
static void run_hub(PGconn *conn, const struct vc_config *cfg, const struct province_options *o,
		    const struct province_hub *h, struct province_outcome *out)
{
	struct vc_error err = VC_ERROR_INIT;
	enum take_result take = TAKE_BUSY;
	int share = !o->hub_code && o->req->mode == NIGHTLY_PLAN && !o->req->dry_run;
	int code;

	memset(out, 0, sizeof(*out));
	snprintf(out->hub, sizeof(out->hub), "%s", h->code);
	if (share) {
		if (take_hub(conn, h, o->req->service_date, &take, out->message,
			     sizeof(out->message), &err) < 0) {
			failed(out, &err);
			return;
		}
		if (take == TAKE_TAKEN || take == TAKE_DONE) {
			out->kind = take == TAKE_TAKEN ? PROVINCE_TAKEN : PROVINCE_DONE;
			return;
		}
	}
	code = nightly_run_hub(conn, cfg, h->id, o->req, &out->summary, &err);
	if (take == TAKE_GOT)
		db_hub_unlock(conn, h->id, NULL);
	if (code < 0) {
		failed(out, &err);
		return;
	}
	out->kind = PROVINCE_RAN;
	out->code = code;
}

/* The connection is gone or on a server that is no longer the primary. */
static int lost(PGconn *conn)
{
	PGresult *r;
	int ok;
	if (PQstatus(conn) != CONNECTION_OK)
		return 1;
	r = PQexec(conn, "SELECT pg_is_in_recovery()");
	ok = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQgetvalue(r, 0, 0)[0] == 'f';
	PQclear(r);
	return !ok;
}

void worker_run(const struct vc_config *cfg, const struct province_options *o,
		struct province_queue *q, PGconn *conn, void (*on_start)(const char *hub, void *ctx))
{
	double reconnect_s = config_double(cfg, "db_reconnect_s");
	struct vc_error err = VC_ERROR_INIT;
	const struct province_hub *h;

	while ((h = queue_next(q))) {
		struct province_outcome out;
		int tries = 0;
		if (on_start)
			on_start(h->code, o->emit_ctx);
		for (;;) {
			if (!conn && !(conn = connect_retrying(o, tries ? reconnect_s : 0, &err))) {
				memset(&out, 0, sizeof(out));
				snprintf(out.hub, sizeof(out.hub), "%s", h->code);
				failed(&out, &err);
				vc_error_clear(&err);
				break;
			}
			run_hub(conn, cfg, o, h, &out);
			if (out.kind != PROVINCE_FAILED || out.code != EX_UNAVAILABLE ||
			    tries++ > 0 || reconnect_s <= 0 || !lost(conn))
				break;
			{
				char why[700];
				log_event(LOG_WARN, "db_lost", "hub=%s error=%s action=\"reconnect, run the hub again\"",
					  h->code, log_quote(why, sizeof(why), out.message));
			}
			db_close(conn);
			conn = NULL;
		}
		o->emit(&out, o->emit_ctx);
		json_decref(out.summary);
		/*
		 * Without the database or the config, the other hubs would fail
		 * the same way. A hub that failed on a connection still up (its
		 * write out of disk space, a statement timeout on its rows) says
		 * nothing about the others: they still run (docs/RELIABILITY.md).
		 */
		if (out.kind == PROVINCE_FAILED &&
		    (out.code == EX_CONFIG || (out.code == EX_UNAVAILABLE && (!conn || lost(conn)))))
			break;
	}
	db_close(conn);
}
