/*
 * report: `vcourier runs` (recent runs, newest first) and `vcourier run
 * show ID` (one run: counts, status, its manifests with their delivery
 * status, and the delivery attempts it made). The HTML report
 * (report_html.c) gets the same JSON plus each manifest's stored body and
 * the hub's place, read here.
 */
#include "nightly/job.h"
#include "db/db.h"
#include "version/version.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

int nightly_list_runs(PGconn *conn, const char *hub_code, int limit, FILE *out,
		      struct vc_error *err)
{
	char lim[DB_ID_LEN];
	const char *params[2] = { hub_code, db_id(lim, limit) };
	PGresult *r = db_exec(conn,
		"SELECT r.id, r.kind, coalesce(h.code, '-'), coalesce(r.service_date::text, '-'),"
		" r.status, to_char(r.started_at, 'YYYY-MM-DD HH24:MI:SS'),"
		" coalesce(to_char(r.finished_at - r.started_at, 'HH24:MI:SS'), '-'),"
		" r.orders_claimed, r.orders_routed, r.rejected, r.unassigned, r.manifests"
		" FROM runs r LEFT JOIN hubs h ON h.id = r.hub_id"
		" WHERE $1::text IS NULL OR h.code = $1 ORDER BY r.id DESC LIMIT $2::int",
		2, params, err);
	int i;
	if (!r)
		return -1;
	fprintf(out, "%6s  %-8s %-10s %-10s %-10s %-19s %-8s %7s %7s %8s %10s %9s\n", "run",
		"kind", "hub", "date", "status", "started", "took", "claimed", "routed",
		"rejected", "unassigned", "manifests");
	for (i = 0; i < PQntuples(r); i++)
		fprintf(out, "%6s  %-8s %-10s %-10s %-10s %-19s %-8s %7s %7s %8s %10s %9s\n",
			PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
			PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5),
			PQgetvalue(r, i, 6), PQgetvalue(r, i, 7), PQgetvalue(r, i, 8),
			PQgetvalue(r, i, 9), PQgetvalue(r, i, 10), PQgetvalue(r, i, 11));
	PQclear(r);
	return 0;
}

static json_t *attempts_json(PGconn *conn, long long run_id, struct vc_error *err)
{
	PGresult *r = db_exec_id(conn,
		"SELECT manifest_id, attempt, to_char(started_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.MSOF'),"
		" duration_ms, http_status, outcome, coalesce(error, '')"
		" FROM delivery_attempts WHERE run_id = $1 ORDER BY id", run_id, err);
	json_t *list;
	int i;
	if (!r)
		return NULL;
	list = json_array();
	for (i = 0; i < PQntuples(r); i++)
		json_array_append_new(list, json_pack("{s:s, s:i, s:s, s:i, s:o, s:s, s:s}",
			"manifest_id", PQgetvalue(r, i, 0), "attempt", atoi(PQgetvalue(r, i, 1)),
			"started_at", PQgetvalue(r, i, 2), "duration_ms", atoi(PQgetvalue(r, i, 3)),
			"http_status", PQgetisnull(r, i, 4) ? json_null()
							    : json_integer(atoi(PQgetvalue(r, i, 4))),
			"outcome", PQgetvalue(r, i, 5), "error", PQgetvalue(r, i, 6)));
	PQclear(r);
	return list;
}

/* The run row, its manifests now and its attempts, as one JSON object. */
static json_t *run_json(PGconn *conn, long long run_id, struct vc_error *err)
{
	PGresult *r = db_exec_id(conn,
		"SELECT r.id, r.kind, coalesce(h.code, ''), coalesce(r.service_date::text, ''),"
		" r.status, r.started_at::text, coalesce(r.finished_at::text, ''), r.pid,"
		" coalesce(r.host, ''), r.orders_claimed, r.orders_routed, r.rejected, r.unassigned,"
		" r.manifests, r.error, r.summary::text, r.vcourier_version"
		" FROM runs r LEFT JOIN hubs h ON h.id = r.hub_id WHERE r.id = $1", run_id, err);
	json_t *o, *manifests, *attempts;
	if (!r)
		return NULL;
	if (PQntuples(r) != 1) {
		PQclear(r);
		vc_fail(err, EX_DATAERR, "run %lld does not exist", run_id);
		return NULL;
	}
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:i, s:i, s:i, s:i, s:o}",
		"run_id", (json_int_t)run_id, "kind", PQgetvalue(r, 0, 1), "hub", PQgetvalue(r, 0, 2),
		"service_date", PQgetvalue(r, 0, 3), "status", PQgetvalue(r, 0, 4),
		"started_at", PQgetvalue(r, 0, 5), "finished_at", PQgetvalue(r, 0, 6),
		"pid", atoi(PQgetvalue(r, 0, 7)), "host", PQgetvalue(r, 0, 8),
		"orders_claimed", atoi(PQgetvalue(r, 0, 9)), "orders_routed", atoi(PQgetvalue(r, 0, 10)),
		"rejected", atoi(PQgetvalue(r, 0, 11)), "unassigned", atoi(PQgetvalue(r, 0, 12)),
		"manifests_written", atoi(PQgetvalue(r, 0, 13)),
		"error", PQgetisnull(r, 0, 14) ? json_null() : json_string(PQgetvalue(r, 0, 14)));
	/* NULL for runs written before migration 009 */
	json_object_set_new(o, "vcourier_version", PQgetisnull(r, 0, 16) ? json_null()
				   : json_string(PQgetvalue(r, 0, 16)));
	if (!PQgetisnull(r, 0, 15))
		json_object_set_new(o, "summary", json_loads(PQgetvalue(r, 0, 15), 0, NULL));
	PQclear(r);
	manifests = job_run_manifests(conn, run_id, err);
	attempts = manifests ? attempts_json(conn, run_id, err) : NULL;
	if (!attempts) {
		json_decref(manifests);
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "manifests", manifests);
	json_object_set_new(o, "attempts", attempts);
	return o;
}

static const char *s_of(const json_t *o, const char *k)
{
	return vc_json_str(o, k, "");
}

static void print_run(FILE *out, const json_t *o)
{
	size_t i;
	json_t *m;
	fprintf(out, "run %lld (%s) hub %s date %s: %s\n", vc_json_int(o, "run_id"), s_of(o, "kind"),
		s_of(o, "hub"), s_of(o, "service_date"), s_of(o, "status"));
	fprintf(out, "  started %s, finished %s, pid %lld on %s, vcourier %s\n", s_of(o, "started_at"),
		*s_of(o, "finished_at") ? s_of(o, "finished_at") : "-", vc_json_int(o, "pid"), s_of(o, "host"),
		vc_json_str(o, "vcourier_version", "-"));
	fprintf(out, "  orders: %lld claimed, %lld routed, %lld rejected, %lld unassigned;"
		" %lld manifests written\n", vc_json_int(o, "orders_claimed"), vc_json_int(o, "orders_routed"),
		vc_json_int(o, "rejected"), vc_json_int(o, "unassigned"), vc_json_int(o, "manifests_written"));
	if (*s_of(o, "error"))
		fprintf(out, "  error: %s\n", s_of(o, "error"));
	json_array_foreach(json_object_get(o, "manifests"), i, m)
		job_print_manifest(out, m);
	json_array_foreach(json_object_get(o, "attempts"), i, m) {
		char http[16] = "-";
		if (!json_is_null(json_object_get(m, "http_status")))
			snprintf(http, sizeof(http), "%lld", vc_json_int(m, "http_status"));
		fprintf(out, "  attempt  %-32s #%lld %s %-9s http %s %lld ms %s\n",
			s_of(m, "manifest_id"), vc_json_int(m, "attempt"), s_of(m, "started_at"),
			s_of(m, "outcome"), http, vc_json_int(m, "duration_ms"), s_of(m, "error"));
	}
}

/*
 * What only the HTML report needs: each manifest's body (its route, what
 * was loaded, the vehicle), its last delivery error and time, and the
 * hub's place for a run that wrote no manifest.
 */
static int add_html_detail(PGconn *conn, long long run_id, json_t *o, struct vc_error *err)
{
	PGresult *r = db_exec_id(conn,
		"SELECT manifest_id, body, coalesce(last_error, ''),"
		" coalesce(to_char(delivered_at, 'YYYY-MM-DD HH24:MI:SS'), ''),"
		" coalesce(superseded_by, ''), volume_m3, duration_min,"
		/* the couriers' confirmations (docs/pickups.md): {"picked": n, ...} or NULL */
		" (SELECT json_object_agg(status, n ORDER BY status) FROM (SELECT k.status, count(*) AS n"
		"   FROM pickups k WHERE k.manifest_id = m.manifest_id GROUP BY k.status) c)"
		" FROM manifests m WHERE run_id = $1", run_id, err);
	const char *params[1] = { vc_json_str(o, "hub", "") };
	size_t i;
	json_t *m;
	int k;

	if (!r)
		return -1;
	json_array_foreach(json_object_get(o, "manifests"), i, m)
		for (k = 0; k < PQntuples(r); k++) {
			if (strcmp(PQgetvalue(r, k, 0), vc_json_str(m, "manifest_id", "")))
				continue;
			json_object_set_new(m, "body", json_string(PQgetvalue(r, k, 1)));
			json_object_set_new(m, "last_error", json_string(PQgetvalue(r, k, 2)));
			json_object_set_new(m, "delivered_at", json_string(PQgetvalue(r, k, 3)));
			json_object_set_new(m, "superseded_by", json_string(PQgetvalue(r, k, 4)));
			json_object_set_new(m, "volume_m3", json_real(atof(PQgetvalue(r, k, 5))));
			json_object_set_new(m, "duration_min", json_integer(atoi(PQgetvalue(r, k, 6))));
			if (!PQgetisnull(r, k, 7))
				json_object_set_new(m, "pickups", json_loads(PQgetvalue(r, k, 7), 0, NULL));
		}
	PQclear(r);
	r = db_exec(conn, "SELECT code, name, lat, lon FROM hubs WHERE code = $1", 1, params, err);
	if (!r)
		return -1;
	if (PQntuples(r) == 1)
		json_object_set_new(o, "hub_place", json_pack("{s:s, s:s, s:f, s:f}",
			"code", PQgetvalue(r, 0, 0), "name", PQgetvalue(r, 0, 1),
			"lat", atof(PQgetvalue(r, 0, 2)), "lon", atof(PQgetvalue(r, 0, 3))));
	PQclear(r);
	return 0;
}

int nightly_show_run(PGconn *conn, const struct vc_config *cfg, long long run_id,
		     enum nightly_format format, FILE *out, struct vc_error *err)
{
	json_t *o = run_json(conn, run_id, err);
	if (!o)
		return -1;
	if (format == NIGHTLY_HTML) {
		struct strbuf html = STRBUF_INIT;
		int rc = add_html_detail(conn, run_id, o, err);
		if (rc == 0)
			rc = nightly_report_html(o, conn, cfg, &html, err);
		if (rc == 0)
			fwrite(html.buf, 1, html.len, out);
		strbuf_release(&html);
		json_decref(o);
		return rc;
	}
	if (format == NIGHTLY_JSON) {
		json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
	} else {
		print_run(out, o);
	}
	json_decref(o);
	return 0;
}
