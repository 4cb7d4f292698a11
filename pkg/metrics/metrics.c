/*
 * metrics: the Prometheus exposition text from the database and its
 * atomic replacement on disk (see metrics.h). Every family is zero-filled
 * over hubs x states so that a series never vanishes when its count drops
 * to zero (a vanished series reads as "no data", not as 0, in alerts).
 */
#include "metrics/metrics.h"
#include "db/db.h"
#include "db/order_state.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_NAME(s) #s,
/* The order states, from the one C list. */
static const char *const order_states[] = { ORDER_STATES(STATE_NAME) };
/* manifests.delivery_status and delivery_attempts.outcome (schema/001_init.sql). */
static const char delivery_states[] = "{pending,delivered,failed,gone,superseded}";
static const char attempt_outcomes[] = "{delivered,retry,failed,gone}";

/*
 * Per (hub, kind): the last finished run (abandoned ones carry the time of
 * their discovery, not of their work, so they are left out of durations)
 * and the last run that completed. Kinds: nightly, rerun, replan, deliver.
 */
static const char runs_sql[] =
	"WITH fin AS (SELECT r.id, r.kind, r.status, r.started_at, r.finished_at,"
	"   coalesce(h.code, '') AS hub FROM runs r LEFT JOIN hubs h ON h.id = r.hub_id"
	"   WHERE r.finished_at IS NOT NULL AND r.status IN ('completed', 'partial', 'failed')),"
	" last AS (SELECT DISTINCT ON (hub, kind) hub, kind, status,"
	"   extract(epoch FROM finished_at - started_at)::numeric(14,3) AS dur FROM fin"
	"   ORDER BY hub, kind, finished_at DESC, id DESC),"
	" ok AS (SELECT hub, kind, extract(epoch FROM max(finished_at))::numeric(16,3) AS ts"
	"   FROM fin WHERE status = 'completed' GROUP BY hub, kind)"
	" SELECT l.hub, l.kind, l.dur, (l.status = 'completed')::int, ok.ts"
	" FROM last l LEFT JOIN ok USING (hub, kind) ORDER BY l.hub COLLATE \"C\", l.kind";

/* $1: the states to report (zero-filled), in order. Columns: hub, state, count, unassigned. */
static const char orders_sql[] =
	"WITH c AS (SELECT p.hub_id, o.status, count(*) AS n,"
	"   count(*) FILTER (WHERE o.reason LIKE 'unassigned:%') AS unassigned"
	"   FROM orders o JOIN points p ON p.id = o.point_id GROUP BY p.hub_id, o.status)"
	" SELECT h.code, s.x, coalesce(c.n, 0), CASE WHEN s.x = 'pending' THEN coalesce(c.unassigned, 0) END"
	" FROM hubs h CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS s(x, ord)"
	" LEFT JOIN c ON c.hub_id = h.id AND c.status = s.x ORDER BY h.code COLLATE \"C\", s.ord";

static const char manifests_sql[] =
	"WITH c AS (SELECT hub_id, delivery_status, count(*) AS n FROM manifests"
	"   GROUP BY hub_id, delivery_status)"
	" SELECT h.code, s.x, coalesce(c.n, 0)"
	" FROM hubs h CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS s(x, ord)"
	" LEFT JOIN c ON c.hub_id = h.id AND c.delivery_status = s.x"
	" ORDER BY h.code COLLATE \"C\", s.ord";

static const char attempts_sql[] =
	"WITH c AS (SELECT m.hub_id, a.outcome, count(*) AS n FROM delivery_attempts a"
	"   JOIN manifests m ON m.manifest_id = a.manifest_id GROUP BY m.hub_id, a.outcome)"
	" SELECT h.code, s.x, coalesce(c.n, 0)"
	" FROM hubs h CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS s(x, ord)"
	" LEFT JOIN c ON c.hub_id = h.id AND c.outcome = s.x"
	" ORDER BY h.code COLLATE \"C\", s.ord";

static void family(struct strbuf *out, const char *name, const char *type, const char *help)
{
	strbuf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value in the exposition format's escaping (backslash, quote, newline). */
static void label(struct strbuf *out, const char *name, const char *value, int first)
{
	strbuf_addf(out, "%s%s=\"", first ? "" : ",", name);
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			strbuf_addch(out, '\\');
		if (*value == '\n')
			strbuf_addstr(out, "\\n");
		else
			strbuf_addch(out, *value);
	}
	strbuf_addch(out, '"');
}

/* name{l1="v1",l2="v2"} value  (l2 may be NULL) */
static void sample(struct strbuf *out, const char *name, const char *l1, const char *v1,
		   const char *l2, const char *v2, const char *value)
{
	strbuf_addf(out, "%s{", name);
	label(out, l1, v1, 1);
	if (l2)
		label(out, l2, v2, 0);
	strbuf_addf(out, "} %s\n", value);
}

static int render_runs(PGconn *conn, struct strbuf *out, struct vc_error *err)
{
	PGresult *r = db_exec(conn, runs_sql, 0, NULL, err);
	struct strbuf dur = STRBUF_INIT, ok = STRBUF_INIT;
	int i, n;
	if (!r)
		return -1;
	n = PQntuples(r);
	family(out, "vcourier_last_success_timestamp_seconds", "gauge",
	       "Unix time the last successful (completed) run of this hub and kind finished.");
	for (i = 0; i < n; i++) {
		if (!PQgetisnull(r, i, 4))
			sample(out, "vcourier_last_success_timestamp_seconds", "hub", PQgetvalue(r, i, 0),
			       "kind", PQgetvalue(r, i, 1), PQgetvalue(r, i, 4));
		sample(&dur, "vcourier_last_run_duration_seconds", "hub", PQgetvalue(r, i, 0), "kind",
		       PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
		sample(&ok, "vcourier_last_run_success", "hub", PQgetvalue(r, i, 0), "kind",
		       PQgetvalue(r, i, 1), PQgetvalue(r, i, 3));
	}
	family(out, "vcourier_last_run_duration_seconds", "gauge",
	       "Wall time of the last finished run of this hub and kind, whatever its outcome.");
	strbuf_addstr(out, dur.buf);
	family(out, "vcourier_last_run_success", "gauge",
	       "1 when the last finished run of this hub and kind completed, 0 when it failed or left deliveries pending.");
	strbuf_addstr(out, ok.buf);
	strbuf_release(&dur);
	strbuf_release(&ok);
	PQclear(r);
	return 0;
}

static int render_orders(PGconn *conn, struct strbuf *out, struct vc_error *err)
{
	struct strbuf unassigned = STRBUF_INIT, states = STRBUF_INIT;
	const char *params[1];
	PGresult *r;
	size_t k;
	int i, n;

	/* as a PostgreSQL array literal */
	for (k = 0; k < sizeof(order_states) / sizeof(order_states[0]); k++)
		strbuf_addf(&states, "%c%s", k ? ',' : '{', order_states[k]);
	strbuf_addch(&states, '}');
	params[0] = states.buf;
	r = db_exec(conn, orders_sql, 1, params, err);
	strbuf_release(&states);
	if (!r)
		return -1;
	n = PQntuples(r);
	family(out, "vcourier_orders", "gauge", "Orders of this hub by state.");
	for (i = 0; i < n; i++) {
		sample(out, "vcourier_orders", "hub", PQgetvalue(r, i, 0), "state", PQgetvalue(r, i, 1),
		       PQgetvalue(r, i, 2));
		if (!PQgetisnull(r, i, 3))
			sample(&unassigned, "vcourier_unassigned_orders", "hub", PQgetvalue(r, i, 0),
			       NULL, NULL, PQgetvalue(r, i, 3));
	}
	family(out, "vcourier_unassigned_orders", "gauge",
	       "Pending orders the last plan could not fit on any route (reason unassigned: ...).");
	strbuf_addstr(out, unassigned.buf);
	strbuf_release(&unassigned);
	PQclear(r);
	return 0;
}

/* One hub x value family from a (hub, value, count) query over the array $1. */
static int render_counts(PGconn *conn, struct strbuf *out, const char *sql, const char *values,
			 const char *name, const char *type, const char *label2, const char *help,
			 struct vc_error *err)
{
	const char *params[1] = { values };
	PGresult *r = db_exec(conn, sql, 1, params, err);
	int i, n;
	if (!r)
		return -1;
	n = PQntuples(r);
	family(out, name, type, help);
	for (i = 0; i < n; i++)
		sample(out, name, "hub", PQgetvalue(r, i, 0), label2, PQgetvalue(r, i, 1),
		       PQgetvalue(r, i, 2));
	PQclear(r);
	return 0;
}

int metrics_render(PGconn *conn, struct strbuf *out, struct vc_error *err)
{
	/* One snapshot, so that the families agree with each other. */
	if (db_run(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, err) < 0)
		return -1;
	if (render_runs(conn, out, err) < 0 || render_orders(conn, out, err) < 0 ||
	    render_counts(conn, out, manifests_sql, delivery_states, "vcourier_manifests", "gauge",
			  "delivery", "Manifest versions of this hub by delivery state.", err) < 0 ||
	    render_counts(conn, out, attempts_sql, attempt_outcomes,
			  "vcourier_delivery_attempts_total", "counter", "outcome",
			  "HTTP delivery attempts of this hub's manifests, by outcome.", err) < 0) {
		db_rollback(conn);
		return -1;
	}
	return db_run(conn, "COMMIT", 0, NULL, err);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* fsync the folder holding path, so that the rename survives a crash. */
static int sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd, rc = -1;
	if (!copy)
		return -1;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(copy);
	return rc;
}

int metrics_write_file(PGconn *conn, const char *path, struct vc_error *err)
{
	struct strbuf text = STRBUF_INIT, tmp = STRBUF_INIT, lock = STRBUF_INIT;
	int lock_fd = -1, fd = -1, rc = -1;

	/* Not *.prom: the textfile collector reads only those, never a half-written file. */
	strbuf_addf(&tmp, "%s.%ld.tmp", path, (long)getpid());
	strbuf_addf(&lock, "%s.lock", path);
	lock_fd = open(lock.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock_fd < 0 || flock(lock_fd, LOCK_EX) < 0) {
		vc_fail(err, EX_CANTCREAT, "metrics_file: %s: %s", lock.buf, strerror(errno));
		goto cleanup;
	}
	if (metrics_render(conn, &text, err) < 0)
		goto cleanup;
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		vc_fail(err, EX_CANTCREAT, "metrics_file: %s: %s", tmp.buf, strerror(errno));
		goto cleanup;
	}
	/* Readable by the exporter's user whatever our umask. */
	if (fchmod(fd, 0644) < 0 || write_all(fd, text.buf, text.len) < 0 || fsync(fd) < 0 ||
	    close(fd) < 0) {
		fd = -1;
		vc_fail(err, EX_IOERR, "metrics_file: %s: %s", tmp.buf, strerror(errno));
		unlink(tmp.buf);
		goto cleanup;
	}
	fd = -1;
	if (rename(tmp.buf, path) < 0) {
		vc_fail(err, EX_CANTCREAT, "metrics_file: %s: %s", path, strerror(errno));
		unlink(tmp.buf);
		goto cleanup;
	}
	if (sync_dir(path) < 0) {
		vc_fail(err, EX_IOERR, "metrics_file: folder of %s: %s", path, strerror(errno));
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (fd >= 0) {
		close(fd);
		unlink(tmp.buf);
	}
	if (lock_fd >= 0)
		close(lock_fd); /* releases the flock */
	strbuf_release(&text);
	strbuf_release(&tmp);
	strbuf_release(&lock);
	return rc;
}
