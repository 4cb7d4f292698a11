/*
 * job: one hub's nightly run or replan, in the order of SPEC section 4:
 * lock, run row (committed at once so `vcourier runs` shows it), then ONE
 * transaction from the claim to the outbox write, so that a crash at any
 * instant leaves nothing or everything; then delivery and the summary.
 * A dry run does the same work inside the transaction and rolls it back.
 */
#include "nightly/job.h"
#include "db/db.h"
#include "run/run.h"
#include "log/log.h"
#include "outbox/outbox.h"
#include "util/clock.h"
#include "util/fault.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const stage_names[] = { "claim", "plan", "write", "deliver" };

int job_stream(struct job *j, const char *cursor, const char *sql, int nparams,
	       const char *const *params, db_batch_fn fn, void *ctx, struct vc_error *err)
{
	return db_each_batch(j->conn, cursor, sql, nparams, params,
			     (int)config_int(j->cfg, "db_fetch_rows"), fn, ctx, err);
}

const char *job_keep_text(struct strbuf *sb, const PGresult *r, int row, int col)
{
	/* Offset + 1, so that NULL (an SQL NULL) stays NULL. */
	uintptr_t at = sb->len + 1;
	const char *s = PQgetvalue(r, row, col);
	if (PQgetisnull(r, row, col))
		return NULL;
	strbuf_add(sb, s, strlen(s) + 1);
	return (const char *)at;
}

void job_text_ptr(const struct strbuf *sb, const char **s)
{
	if (*s)
		*s = sb->buf + ((uintptr_t)*s - 1);
}

void *job_grow(void *items, size_t size, size_t len, size_t n, size_t *cap)
{
	char *p = xgrow(items, size, len + n + 1, cap);
	memset(p + len * size, 0, (n + 1) * size);
	return p;
}

const char *job_strdupf(struct job *j, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	j->owned = xgrow(j->owned, sizeof(*j->owned), j->n_owned + 1, &j->owned_cap);
	j->owned[j->n_owned] = strbuf_detach(&sb, NULL);
	return j->owned[j->n_owned++];
}

void job_release(struct job *j)
{
	size_t i;
	for (i = 0; i < j->n_manifests; i++)
		strbuf_release(&j->manifests[i].body);
	for (i = 0; i < j->n_owned; i++)
		free(j->owned[i]);
	free(j->owned);
	free(j->manifests);
	free(j->orders);
	strbuf_release(&j->order_text);
	strbuf_release(&j->point_text);
	strbuf_release(&j->courier_text);
	free(j->couriers);
	free(j->points);
	PQclear(j->hub_res);
	PQclear(j->snaps_res);
	memset(j, 0, sizeof(*j));
}

void job_progress(const struct job *j, int stage, const struct route_progress *search)
{
	struct nightly_progress p;
	if (!j->req->progress)
		return;
	memset(&p, 0, sizeof(p));
	p.hub = j->hub.code ? j->hub.code : "-";
	p.stage = stage_names[stage];
	p.orders = j->n_orders;
	if (search) {
		p.searching = 1;
		p.search_done = search->done;
		p.iterations = search->iterations;
		p.best_cost = search->best_cost;
		p.unassigned = search->best_unassigned;
	}
	j->req->progress(j->req->progress_arg, &p);
}

static void stage_done(struct job *j, int stage, long *since)
{
	long now = (long)vc_mono_ms();
	j->timings_ms[stage] = now - *since;
	*since = now;
	log_event(LOG_INFO, "stage", "run_id=%lld hub=%s stage=%s ms=%ld", j->run_id,
		  j->hub.code ? j->hub.code : "-", stage_names[stage], j->timings_ms[stage]);
	if (stage < STAGE_DELIVER && !(stage == STAGE_WRITE && j->req->dry_run))
		job_progress(j, stage + 1, NULL);
}

/* Claim to outbox write, inside the caller's transaction. */
static int plan_in_transaction(struct job *j, long *t, struct vc_error *err)
{
	if (job_load(j, err) < 0)
		return -1;
	job_progress(j, STAGE_CLAIM, NULL);
	FAULT_POINT("before_claim");
	if (job_claim(j, err) < 0)
		return -1;
	FAULT_POINT("after_claim");
	stage_done(j, STAGE_CLAIM, t);
	if (job_plan(j, err) < 0)
		return -1;
	FAULT_POINT("after_plan");
	stage_done(j, STAGE_PLAN, t);
	return job_write(j, err);
}

static int deliver_and_finish(struct job *j, struct run *run, long *t, json_t **summary,
			      struct vc_error *err)
{
	struct outbox_filter f = { 0, j->hub.id, j->req->service_date, 0 };
	struct outbox_stats st = { 0 };
	struct deliver_options opt;
	json_t *manifests;
	int code;
	outbox_deliver_options(j->cfg, &opt);
	if (outbox_deliver(j->conn, j->cfg, &f, j->run_id, &opt, &st, err) < 0)
		return -1;
	stage_done(j, STAGE_DELIVER, t);
	if (!(manifests = job_run_manifests(j->conn, j->run_id, err)))
		return -1;
	*summary = job_summary(j, &st, manifests);
	FAULT_POINT("before_finish");
	code = run_finish(run, &st, *summary, err);
	if (code < 0) {
		json_decref(*summary);
		*summary = NULL;
	}
	return code;
}

int nightly_run_hub(PGconn *conn, const struct vc_config *cfg, long long hub_id,
		    const struct nightly_request *req, json_t **summary, struct vc_error *err)
{
	const char *kind = req->mode == NIGHTLY_REPLAN ? "replan" : "nightly";
	struct job j;
	struct run run;
	struct outbox_stats none = { 0 };
	long t;
	int rc = -1;

	memset(&j, 0, sizeof(j));
	strbuf_init(&j.order_text, 0);
	strbuf_init(&j.point_text, 0);
	strbuf_init(&j.courier_text, 0);
	j.conn = conn;
	j.cfg = cfg;
	j.req = req;
	j.hub.id = hub_id;
	*summary = NULL;
	if (run_lock(&run, conn, hub_id, req->dry_run ? 0 : RUN_RECOVER, err) < 0)
		return -1;
	/* A real run's row is committed before the work; a dry run's lives in the
	 * transaction (the manifests need it) and is rolled back with the rest. */
	if (!req->dry_run && run_record(&run, kind, req->service_date, err) < 0)
		goto unlock;
	FAULT_POINT("after_run_record");
	t = (long)vc_mono_ms();
	if (db_begin(conn, err) < 0)
		goto failed;
	if (req->dry_run && run_record(&run, kind, req->service_date, err) < 0)
		goto rollback;
	j.run_id = run.id;
	if (plan_in_transaction(&j, &t, err) < 0)
		goto rollback;
	if (req->dry_run) {
		db_rollback(conn);
		stage_done(&j, STAGE_WRITE, &t);
		*summary = job_summary(&j, &none, NULL);
		json_object_set_new(*summary, "status", json_string("dry-run"));
		rc = 0;
		goto unlock;
	}
	FAULT_POINT("before_commit");
	if (db_commit(conn, err) < 0)
		goto failed;
	stage_done(&j, STAGE_WRITE, &t);
	FAULT_POINT("after_commit");
	rc = deliver_and_finish(&j, &run, &t, summary, err);
	if (rc < 0)
		goto failed;
	goto unlock;
rollback:
	db_rollback(conn);
failed:
	if (!req->dry_run)
		run_fail(&run, err->msg);
unlock:
	run_unlock(&run);
	job_release(&j);
	return rc;
}

void nightly_default_date(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	tm.tm_mday += 1;
	tm.tm_isdst = -1;
	mktime(&tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int nightly_check_date(const char *s, struct vc_error *err)
{
	struct tm tm;
	char back[11];
	const char *end;
	memset(&tm, 0, sizeof(tm));
	end = s ? strptime(s, "%Y-%m-%d", &tm) : NULL;
	if (end && !*end && strlen(s) == 10) {
		tm.tm_hour = 12;
		tm.tm_isdst = -1;
		mktime(&tm);
		strftime(back, sizeof(back), "%Y-%m-%d", &tm);
		if (!strcmp(back, s))
			return 0;
	}
	return vc_fail(err, EX_USAGE, "bad date '%s': expected a date as YYYY-MM-DD", s ? s : "");
}

int nightly_hubs(PGconn *conn, const char *code, long long **ids, size_t *n, struct vc_error *err)
{
	const char *params[1] = { code };
	PGresult *r = db_exec(conn, code ? "SELECT id FROM hubs WHERE code = $1"
					 : "SELECT id FROM hubs ORDER BY code",
			      code ? 1 : 0, params, err);
	size_t i;
	if (!r)
		return -1;
	*n = (size_t)PQntuples(r);
	*ids = xcalloc(*n ? *n : 1, sizeof(**ids));
	for (i = 0; i < *n; i++)
		(*ids)[i] = atoll(PQgetvalue(r, (int)i, 0));
	PQclear(r);
	if (code && *n == 0) {
		free(*ids);
		*ids = NULL;
		return vc_fail(err, EX_DATAERR, "no hub with code '%s'", code);
	}
	return 0;
}
