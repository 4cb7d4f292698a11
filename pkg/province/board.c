/*
 * board: `vcourier runs --date D`, the night at a glance for the operator
 * at 06:00: every hub with the state of its last nightly (or replan) run
 * for the date: done, partial (deliveries pending), running (its session
 * still holds the hub's lock), failed (failed, abandoned, or 'running'
 * with its session gone: the next run marks it abandoned), or not started;
 * with the run, host, pid, duration and counts, then totals.
 */
#include "province/province.h"
#include "db/db.h"
#include "db/lock.h"

#include <stdlib.h>
#include <string.h>

static const char board_sql[] =
	"SELECT h.code, r.id, r.kind, r.status, r.host, r.pid,"
	"  to_char(r.started_at, 'YYYY-MM-DD HH24:MI:SS TZ'),"
	"  extract(epoch FROM coalesce(r.finished_at, now()) - r.started_at)::numeric(12,1),"
	"  r.orders_claimed, r.orders_routed, r.rejected, r.unassigned, r.manifests, r.error,"
	"  EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory'"
	"          AND l.classid = " DB_HUB_LOCK_CLASS " AND l.objid::bigint = h.id"
	"          AND l.objsubid = 2 AND l.granted AND l.pid = r.backend_pid"
	"          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
	" FROM hubs h LEFT JOIN LATERAL ("
	"   SELECT * FROM runs r WHERE r.hub_id = h.id AND r.service_date = $1::date"
	"     AND r.kind IN ('nightly', 'replan') ORDER BY r.id DESC LIMIT 1) r ON true"
	" ORDER BY h.code";

enum { ST_DONE, ST_PARTIAL, ST_RUNNING, ST_FAILED, ST_NOT_STARTED, ST_N };
static const char *const state_names[ST_N] = { "done", "partial", "running", "failed", "not started" };

static int state_of(PGresult *r, int row, const char **note)
{
	const char *status = PQgetvalue(r, row, 3);
	*note = PQgetisnull(r, row, 13) ? "" : PQgetvalue(r, row, 13);
	if (PQgetisnull(r, row, 1))
		return ST_NOT_STARTED;
	if (!strcmp(status, "completed"))
		return ST_DONE;
	if (!strcmp(status, "partial"))
		return ST_PARTIAL;
	if (!strcmp(status, "running")) {
		if (PQgetvalue(r, row, 14)[0] == 't')
			return ST_RUNNING;
		*note = "its session is gone (process or database died): the next run marks it abandoned";
		return ST_FAILED;
	}
	if (!strcmp(status, "abandoned") && !**note)
		*note = "abandoned";
	return ST_FAILED;
}

static json_t *hub_json(PGresult *r, int row, int state, const char *note)
{
	json_t *o = json_pack("{s:s, s:s}", "hub", PQgetvalue(r, row, 0), "state", state_names[state]);
	static const char *const ints[] = { "orders_claimed", "orders_routed", "rejected",
					    "unassigned", "manifests" };
	int i;
	if (state == ST_NOT_STARTED)
		return o;
	json_object_set_new(o, "run_id", json_integer(atoll(PQgetvalue(r, row, 1))));
	json_object_set_new(o, "kind", json_string(PQgetvalue(r, row, 2)));
	json_object_set_new(o, "status", json_string(PQgetvalue(r, row, 3)));
	json_object_set_new(o, "host", PQgetisnull(r, row, 4) ? json_null() : json_string(PQgetvalue(r, row, 4)));
	json_object_set_new(o, "pid", PQgetisnull(r, row, 5) ? json_null() : json_integer(atoll(PQgetvalue(r, row, 5))));
	json_object_set_new(o, "started_at", json_string(PQgetvalue(r, row, 6)));
	json_object_set_new(o, "duration_s", json_real(atof(PQgetvalue(r, row, 7))));
	for (i = 0; i < 5; i++)
		json_object_set_new(o, ints[i], json_integer(atoll(PQgetvalue(r, row, 8 + i))));
	json_object_set_new(o, "note", *note ? json_string(note) : json_null());
	return o;
}

static void print_row(FILE *out, PGresult *r, int row, int state, const char *note)
{
	if (state == ST_NOT_STARTED) {
		fprintf(out, "%-12s %-11s\n", PQgetvalue(r, row, 0), state_names[state]);
		return;
	}
	fprintf(out, "%-12s %-11s %7s %-20s %7s %9ss %7s %7s %8s %10s %9s  %s\n",
		PQgetvalue(r, row, 0), state_names[state], PQgetvalue(r, row, 1),
		PQgetisnull(r, row, 4) ? "-" : PQgetvalue(r, row, 4),
		PQgetisnull(r, row, 5) ? "-" : PQgetvalue(r, row, 5), PQgetvalue(r, row, 7),
		PQgetvalue(r, row, 8), PQgetvalue(r, row, 9), PQgetvalue(r, row, 10),
		PQgetvalue(r, row, 11), PQgetvalue(r, row, 12), note);
}

int province_board(PGconn *conn, const char *service_date, int as_json, FILE *out,
		   struct vc_error *err)
{
	const char *params[1] = { service_date };
	PGresult *r = db_exec(conn, board_sql, 1, params, err);
	long long sums[5] = { 0 };
	int counts[ST_N] = { 0 }, i, k;

	if (!r)
		return -1;
	if (!as_json)
		fprintf(out, "%-12s %-11s %7s %-20s %7s %10s %7s %7s %8s %10s %9s  %s\n", "hub", "state",
			"run", "host", "pid", "duration", "claimed", "routed", "rejected", "unassigned",
			"manifests", "note");
	for (i = 0; i < PQntuples(r); i++) {
		const char *note;
		int state = state_of(r, i, &note);
		counts[state]++;
		if (state != ST_NOT_STARTED)
			for (k = 0; k < 5; k++)
				sums[k] += atoll(PQgetvalue(r, i, 8 + k));
		if (as_json) {
			json_t *o = hub_json(r, i, state, note);
			json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
			fputc('\n', out);
			json_decref(o);
		} else {
			print_row(out, r, i, state, note);
		}
	}
	if (!as_json) {
		fprintf(out, "%s: %d hubs: %d done, %d partial, %d running, %d failed, %d not started\n",
			service_date, PQntuples(r), counts[ST_DONE], counts[ST_PARTIAL],
			counts[ST_RUNNING], counts[ST_FAILED], counts[ST_NOT_STARTED]);
		fprintf(out, "%s: %lld orders claimed, %lld routed, %lld rejected, %lld unassigned,"
			" %lld manifests (each hub's last run)\n", service_date, sums[0], sums[1],
			sums[2], sums[3], sums[4]);
	}
	PQclear(r);
	return 0;
}
