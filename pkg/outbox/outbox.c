/*
 * outbox: the database side of delivery (see outbox.h). Reads the pending
 * manifests (and those of couriers an operator has cleared after a 410),
 * posts them through deliver_run and records, per attempt and in one short
 * transaction each, the delivery_attempts row and the manifest's state,
 * moving its orders to 'delivered' with it. No transaction is open while
 * a request is in flight. Secrets come from the config and go no further
 * than pkg/deliver's headers.
 */
#include "outbox/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "log/log.h"
#include "manifest/manifest.h"
#include "util/fault.h"
#include "util/xalloc.h"

/*
 * What is left to post: pending manifests, and those of a courier an
 * operator cleared after a 410. $1 run (0: any), $2 hub (0: any), $3 date
 * (NULL: any). DUE_SQL: and their next attempt is due ($4: forced).
 */
#define TODO_SQL \
	"  FROM manifests m JOIN couriers c ON c.id = m.courier_id" \
	" WHERE (m.delivery_status = 'pending'" \
	"        OR (m.delivery_status = 'gone' AND c.endpoint_gone_at IS NULL))" \
	"   AND m.superseded_by IS NULL" \
	"   AND ($1::bigint = 0 OR m.run_id = $1::bigint)" \
	"   AND ($2::bigint = 0 OR m.hub_id = $2::bigint)" \
	"   AND ($3::date IS NULL OR m.service_date = $3::date)"
#define DUE_SQL "($4::boolean OR m.next_attempt_at <= now())"

static const char select_sql[] =
	"SELECT m.manifest_id, m.body, m.sha256, m.attempts, c.code, c.endpoint_url,"
	"       c.endpoint_gone_at IS NOT NULL"
	TODO_SQL " AND " DUE_SQL
	" ORDER BY c.code, m.service_date, m.version, m.manifest_id";

static const char count_sql[] =
	"SELECT count(*) FILTER (WHERE " DUE_SQL "), count(*) FILTER (WHERE NOT " DUE_SQL "),"
	"       coalesce(to_char(min(m.next_attempt_at) FILTER (WHERE NOT " DUE_SQL "),"
	"                        'YYYY-MM-DD HH24:MI:SS TZ'), '')"
	TODO_SQL;

static const char attempt_sql[] =
	"INSERT INTO delivery_attempts (manifest_id, run_id, attempt, started_at, duration_ms,"
	"                               http_status, outcome, error, response_excerpt)"
	" VALUES ($1, $2, $3, to_timestamp($4::double precision / 1000), $5, $6, $7, $8, $9)";

/* A retry persists when the next attempt may start ($6 s from now), so that
 * the next run honours a courier's Retry-After and the backoff. */
static const char manifest_sql[] =
	"UPDATE manifests SET attempts = GREATEST(attempts, $2::int), last_http_status = $3,"
	"       last_error = $4,"
	"       next_attempt_at = CASE WHEN $5 = 'retry'"
	"                         THEN now() + make_interval(secs => $6::double precision)"
	"                         ELSE next_attempt_at END,"
	"       delivery_status = CASE WHEN $5 = 'retry' THEN delivery_status ELSE $5 END,"
	"       delivered_at = CASE WHEN $5 = 'delivered' THEN now() ELSE delivered_at END"
	" WHERE manifest_id = $1";

static const char orders_sql[] =
	"UPDATE orders SET status = 'delivered', updated_at = now()"
	" WHERE manifest_id = $1 AND status = 'manifested'";

static const char gone_sql[] =
	"UPDATE couriers SET endpoint_gone_at = now(), updated_at = now()"
	" WHERE code = $1 AND endpoint_gone_at IS NULL";

static const char skipped_gone_sql[] =
	"UPDATE manifests SET delivery_status = 'gone'"
	" WHERE manifest_id = $1 AND delivery_status = 'pending'";

struct recorder {
	PGconn *conn;
	long long run_id;
	struct outbox_stats *st;
	struct vc_error err;   /* the first database error, if any */
};

static const char *outcome_name(enum deliver_outcome o)
{
	switch (o) {
	case DELIVER_DELIVERED: return "delivered";
	case DELIVER_FAILED: return "failed";
	case DELIVER_GONE: return "gone";
	case DELIVER_RETRY: return "retry";
	default: return "pending";
	}
}

void outbox_deliver_options(const struct vc_config *cfg, struct deliver_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->budget_s = config_double(cfg, "deliver_budget_s");
	opt->timeout_s = config_double(cfg, "deliver_timeout_s");
	opt->connect_timeout_s = config_double(cfg, "deliver_connect_timeout_s");
	opt->backoff_base_s = config_double(cfg, "deliver_backoff_base_s");
	opt->backoff_max_s = config_double(cfg, "deliver_backoff_max_s");
	opt->max_concurrent = (int)config_int(cfg, "deliver_max_concurrent");
	opt->ca_file = config_str(cfg, "ca_file");
	opt->jitter_seed = config_is_set(cfg, "deliver_jitter_seed")
				   ? (uint64_t)config_int(cfg, "deliver_jitter_seed")
				   : (uint64_t)(time(NULL) ^ getpid());
}

/* Run statements in one transaction; on failure roll back and keep the first error. */
static int in_transaction(struct recorder *r, const char *const *sql,
			  const char *const *const *params, const int *nparams, int n)
{
	struct vc_error err = VC_ERROR_INIT;
	int i;

	if (r->err.code)
		return -1;
	if (db_begin(r->conn, &err) < 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (db_run(r->conn, sql[i], nparams[i], params[i], &err) < 0)
			goto fail;
	if (db_commit(r->conn, &err) == 0)
		return 0;
fail:
	db_rollback(r->conn);
	r->err = err;
	log_event(LOG_ERROR, "deliver_record_failed", "error=\"%s\"", err.msg);
	return -1;
}

static void log_attempt(const struct deliver_item *item, const struct deliver_attempt *a)
{
	char why[300];
	enum log_level level = a->outcome == DELIVER_DELIVERED ? LOG_INFO :
			       a->outcome == DELIVER_RETRY ? LOG_INFO : LOG_WARN;
	log_event(level, "deliver_attempt",
		  "manifest=%s courier=%s attempt=%d outcome=%s http_status=%d duration_ms=%ld error=%s",
		  item->manifest_id, item->courier_code, a->attempt, outcome_name(a->outcome),
		  a->http_status, a->duration_ms, log_quote(why, sizeof(why), a->error));
}

/* Record one attempt; a database error stops the delivery (nothing more is posted unrecorded). */
static int on_attempt(void *ctx, struct deliver_item *item, const struct deliver_attempt *a)
{
	struct recorder *r = ctx;
	char run[DB_ID_LEN], attempt[16], started[24], duration[24], status[16], wait[32];
	const char *outcome = outcome_name(a->outcome);
	const char *attempt_params[] = { item->manifest_id, r->run_id ? run : NULL, attempt,
					 started, duration, a->http_status ? status : NULL,
					 outcome, a->error[0] ? a->error : NULL,
					 a->excerpt[0] ? a->excerpt : NULL };
	const char *manifest_params[] = { item->manifest_id, attempt,
					  a->http_status ? status : NULL,
					  a->error[0] ? a->error : NULL, outcome, wait };
	const char *code_params[] = { item->courier_code };
	const char *sql[] = { attempt_sql, manifest_sql, orders_sql };
	const char *const *params[] = { attempt_params, manifest_params, manifest_params };
	int nparams[] = { 9, 6, 1 };
	int n = a->outcome == DELIVER_DELIVERED ? 3 : 2;
	int rc;

	db_id(run, r->run_id);
	snprintf(attempt, sizeof(attempt), "%d", a->attempt);
	snprintf(started, sizeof(started), "%lld", a->started_unix_ms);
	snprintf(duration, sizeof(duration), "%ld", a->duration_ms);
	snprintf(status, sizeof(status), "%d", a->http_status);
	snprintf(wait, sizeof(wait), "%.3f", a->retry_in_s > 0 ? a->retry_in_s : 0);
	log_attempt(item, a);
	if (a->outcome == DELIVER_GONE) {
		sql[2] = gone_sql;
		params[2] = code_params;
		n = 3;
		log_event(LOG_WARN, "courier_gone",
			  "courier=%s manifest=%s reason=\"endpoint answered 410 Gone: nothing more is posted to it\"",
			  item->courier_code, item->manifest_id);
	}
	if (a->outcome == DELIVER_DELIVERED) FAULT_POINT("after_2xx");
	rc = in_transaction(r, sql, params, nparams, n);
	FAULT_POINT("after_attempt_recorded");
	return rc;
}

/* Posting unsigned or without a token is allowed but said: counted, and
 * logged once per courier and call. */
static void note_unprotected(struct deliver_item *items, size_t n, struct outbox_stats *st)
{
	const struct deliver_item *it = &items[n];
	size_t j;
	if (it->whsec_key && it->bearer_token)
		return;
	st->unsigned_posts += !it->whsec_key;
	st->tokenless_posts += !it->bearer_token;
	for (j = 0; j < n; j++)
		if (!strcmp(items[j].courier_code, it->courier_code))
			return;
	log_event(LOG_WARN, "courier_unprotected", "courier=%s signed=%s token=%s reason=\"%s\"",
		  it->courier_code, it->whsec_key ? "yes" : "no", it->bearer_token ? "yes" : "no",
		  !it->whsec_key ? "no webhook key configured: posted without a signature"
				 : "no bearer token configured: posted without Authorization");
}

static void count(struct outbox_stats *st, enum deliver_outcome o)
{
	if (o == DELIVER_DELIVERED)
		st->delivered++;
	else if (o == DELIVER_FAILED)
		st->failed++;
	else if (o == DELIVER_GONE)
		st->gone++;
	else
		st->pending++;
}

/* Manifests of a courier already marked gone: not posted, marked gone, counted. */
static void skip_gone(struct recorder *r, const char *manifest_id)
{
	const char *params[] = { manifest_id };
	const char *sql[] = { skipped_gone_sql };
	const char *const *p[] = { params };
	int np[] = { 1 };
	in_transaction(r, sql, p, np, 1);
	r->st->gone++;
}

int outbox_deliver(PGconn *conn, const struct vc_config *cfg, const struct outbox_filter *f,
		   long long attempt_run_id, const struct deliver_options *opt,
		   struct outbox_stats *st, struct vc_error *err)
{
	char run[DB_ID_LEN], hub[DB_ID_LEN];
	const char *params[] = { db_id(run, f->run_id), db_id(hub, f->hub_id), f->service_date,
				 f->force ? "true" : "false" };
	struct recorder r = { conn, attempt_run_id, st, VC_ERROR_INIT };
	struct deliver_item *items = NULL;
	PGresult *res;
	size_t n = 0, i;
	int rows, rc = -1;

	memset(st, 0, sizeof(*st));
	/* What is left out for now, counted before this run's retries move their own dates. */
	if (!f->force) {
		long long due, waiting;
		char next[40];
		if (outbox_count(conn, f, &due, &waiting, next, err) < 0)
			return -1;
		st->waiting = (int)waiting;
	}
	res = db_exec(conn, select_sql, 4, params, err);
	if (!res)
		return -1;
	rows = PQntuples(res);
	items = xcalloc(rows ? (size_t)rows : 1, sizeof(*items));
	for (i = 0; i < (size_t)rows; i++) {
		struct deliver_item *it = &items[n];
		const char *code = PQgetvalue(res, (int)i, 4);
		if (PQgetvalue(res, (int)i, 6)[0] == 't') {
			skip_gone(&r, PQgetvalue(res, (int)i, 0));
			continue;
		}
		it->manifest_id = PQgetvalue(res, (int)i, 0);
		it->body = PQgetvalue(res, (int)i, 1);
		it->body_len = (size_t)PQgetlength(res, (int)i, 1);
		it->sha256_hex = PQgetvalue(res, (int)i, 2);
		it->attempts_before = atoi(PQgetvalue(res, (int)i, 3));
		it->courier_code = code;
		it->url = PQgetvalue(res, (int)i, 5);
		it->whsec_key = config_courier_secret(cfg, code, "key");
		it->bearer_token = config_courier_secret(cfg, code, "token");
		if (deliver_check_secrets(it, config_courier_bool(cfg, code, "allow_http"), err) < 0)
			goto cleanup;
		note_unprotected(items, n, st);
		n++;
	}
	FAULT_POINT("before_post");
	if (n && deliver_run(items, n, opt, on_attempt, &r, err) < 0)
		goto cleanup;
	for (i = 0; i < n; i++) {
		/* items never posted because their courier went gone in this run */
		if (items[i].outcome == DELIVER_GONE && items[i].last_http_status != 410)
			skip_gone(&r, items[i].manifest_id);
		else
			count(st, items[i].outcome);
	}
	if (r.err.code) {
		*err = r.err;
		goto cleanup;
	}
	rc = 0;
cleanup:
	free(items);
	PQclear(res);
	return rc;
}

int outbox_count(PGconn *conn, const struct outbox_filter *f, long long *due, long long *waiting,
		 char next_due[40], struct vc_error *err)
{
	char run[DB_ID_LEN], hub[DB_ID_LEN];
	const char *params[] = { db_id(run, f->run_id), db_id(hub, f->hub_id), f->service_date,
				 f->force ? "true" : "false" };
	PGresult *res = db_exec(conn, count_sql, 4, params, err);
	if (!res)
		return -1;
	*due = atoll(PQgetvalue(res, 0, 0));
	*waiting = atoll(PQgetvalue(res, 0, 1));
	snprintf(next_due, 40, "%s", PQgetvalue(res, 0, 2));
	PQclear(res);
	return 0;
}
