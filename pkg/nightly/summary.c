/*
 * summary: the run summary (SPEC section 4 --json fields, plus delivery
 * counts and stage timings) and its short human rendering.
 */
#include "nightly/job.h"
#include "db/db.h"
#include "outbox/outbox.h"
#include "run/run.h"
#include "util/json.h"

#include <stdlib.h>

#include <string.h>

static json_t *order_list(const struct job *j, enum job_order_state state)
{
	json_t *list = json_array();
	size_t i;
	for (i = 0; i < j->n_orders; i++)
		if (j->orders[i].state == state)
			json_array_append_new(list, json_pack("{s:s, s:s}", "order_ref",
							      j->orders[i].order_ref, "reason",
							      j->orders[i].reason));
	return list;
}

/* The planned manifests, for a dry run (nothing was stored to read back). */
static json_t *planned_manifests(const struct job *j)
{
	json_t *list = json_array();
	size_t m;
	for (m = 0; m < j->n_manifests; m++) {
		const struct job_manifest *jm = &j->manifests[m];
		const struct job_courier *c = &j->couriers[jm->courier];
		json_array_append_new(list, json_pack(
			"{s:s, s:s, s:i, s:i, s:f, s:f, s:s, s:i, s:o}", "manifest_id", jm->id,
			"courier", c->code, "stops", jm->stops, "parcels", jm->parcels,
			"weight_kg", jm->weight_kg, "distance_km", jm->distance_km,
			"delivery", "not posted (dry run)", "version", jm->version, "replaces",
			j->req->mode == NIGHTLY_REPLAN && c->live_manifest
				? json_string(c->live_manifest) : json_null()));
	}
	return list;
}

json_t *job_delivery_json(const struct outbox_stats *st)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "delivered", st->delivered,
			 "pending", st->pending, "failed", st->failed, "gone", st->gone,
			 "waiting", st->waiting, "unsigned", st->unsigned_posts,
			 "no_token", st->tokenless_posts);
}

json_t *job_summary(const struct job *j, const struct outbox_stats *st, json_t *manifests)
{
	json_t *s = json_pack("{s:o, s:s, s:s, s:s, s:b, s:i, s:i, s:o, s:o}",
		"run_id", j->req->dry_run ? json_null() : json_integer(j->run_id),
		"kind", j->req->mode == NIGHTLY_REPLAN ? "replan" : "nightly",
		"hub", j->hub.code, "service_date", j->req->service_date,
		"dry_run", j->req->dry_run,
		"orders_claimed", (int)j->n_orders, "orders_routed", j->routed,
		"rejected", order_list(j, ORDER_REJECTED),
		"unassigned", order_list(j, ORDER_UNASSIGNED));
	json_object_set_new(s, "manifests", manifests ? manifests : planned_manifests(j));
	run_summary_stamp(s);
	json_object_set_new(s, "delivery", job_delivery_json(st));
	json_object_set_new(s, "timings_ms", json_pack("{s:I, s:I, s:I, s:I}",
		"claim", (json_int_t)j->timings_ms[STAGE_CLAIM],
		"plan", (json_int_t)j->timings_ms[STAGE_PLAN],
		"write", (json_int_t)j->timings_ms[STAGE_WRITE],
		"deliver", (json_int_t)j->timings_ms[STAGE_DELIVER]));
	return s;
}

json_t *job_run_manifests(PGconn *conn, long long run_id, struct vc_error *err)
{
	PGresult *r = db_exec_id(conn,
		"SELECT m.manifest_id, c.code, m.stops, m.parcels, m.weight_kg, m.distance_km,"
		" m.delivery_status, m.version, m.replaces, m.attempts, m.last_http_status"
		" FROM manifests m JOIN couriers c ON c.id = m.courier_id"
		" WHERE m.run_id = $1 ORDER BY m.manifest_id", run_id, err);
	json_t *list;
	int i;
	if (!r)
		return NULL;
	list = json_array();
	for (i = 0; i < PQntuples(r); i++) {
		json_t *m = json_pack("{s:s, s:s, s:i, s:i, s:f, s:f, s:s, s:i, s:o, s:i, s:o}",
			"manifest_id", PQgetvalue(r, i, 0), "courier", PQgetvalue(r, i, 1),
			"stops", atoi(PQgetvalue(r, i, 2)), "parcels", atoi(PQgetvalue(r, i, 3)),
			"weight_kg", atof(PQgetvalue(r, i, 4)), "distance_km", atof(PQgetvalue(r, i, 5)),
			"delivery", PQgetvalue(r, i, 6), "version", atoi(PQgetvalue(r, i, 7)),
			"replaces", PQgetisnull(r, i, 8) ? json_null() : json_string(PQgetvalue(r, i, 8)),
			"attempts", atoi(PQgetvalue(r, i, 9)),
			"last_http_status", PQgetisnull(r, i, 10) ? json_null()
								  : json_integer(atoi(PQgetvalue(r, i, 10))));
		json_array_append_new(list, m);
	}
	PQclear(r);
	return list;
}

static const char *str(const json_t *o, const char *key)
{
	return vc_json_str(o, key, "-");
}

void job_print_manifest(FILE *out, const json_t *m)
{
	fprintf(out, "  manifest %-32s %-12s %3lld stops %5lld parcels %10.3f kg %8.1f km  %s",
		str(m, "manifest_id"), str(m, "courier"), vc_json_int(m, "stops"),
		vc_json_int(m, "parcels"), vc_json_num(m, "weight_kg"), vc_json_num(m, "distance_km"),
		str(m, "delivery"));
	if (json_object_get(m, "attempts"))
		fprintf(out, ", %lld attempts", vc_json_int(m, "attempts"));
	fputc('\n', out);
}

static void print_orders(FILE *out, const json_t *s, const char *key)
{
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(s, key), i, o)
		fprintf(out, "  %-10s %s: %s\n", key, str(o, "order_ref"), str(o, "reason"));
}

void nightly_print_summary(FILE *out, const json_t *s)
{
	const json_t *d = json_object_get(s, "delivery");
	size_t i;
	json_t *m;
	if (json_object_get(s, "rerun_of"))
		fprintf(out, "hub %s %s: rerun %lld of run %lld\n", str(s, "hub"),
			str(s, "service_date"), vc_json_int(s, "run_id"), vc_json_int(s, "rerun_of"));
	else if (json_is_null(json_object_get(s, "run_id")))
		fprintf(out, "hub %s %s: %s (dry run, nothing written or posted)\n", str(s, "hub"),
			str(s, "service_date"), str(s, "kind"));
	else
		fprintf(out, "hub %s %s: %s run %lld\n", str(s, "hub"), str(s, "service_date"),
			str(s, "kind"), vc_json_int(s, "run_id"));
	if (!json_object_get(s, "rerun_of"))
		fprintf(out, "  %lld orders claimed, %lld routed in %zu manifests, %zu rejected,"
			" %zu unassigned\n", vc_json_int(s, "orders_claimed"), vc_json_int(s, "orders_routed"),
			json_array_size(json_object_get(s, "manifests")),
			json_array_size(json_object_get(s, "rejected")),
			json_array_size(json_object_get(s, "unassigned")));
	json_array_foreach(json_object_get(s, "manifests"), i, m)
		job_print_manifest(out, m);
	print_orders(out, s, "rejected");
	print_orders(out, s, "unassigned");
	if (!json_is_true(json_object_get(s, "dry_run")))
		fprintf(out, "  delivery: %lld delivered, %lld pending, %lld failed, %lld gone\n",
			vc_json_int(d, "delivered"), vc_json_int(d, "pending"), vc_json_int(d, "failed"), vc_json_int(d, "gone"));
	/* never silent (issue 9 defect 3): the log names the couriers */
	if (vc_json_int(d, "unsigned") || vc_json_int(d, "no_token"))
		fprintf(out, "  delivery: %lld posted without a signature (no key), %lld without a"
			" bearer token\n", vc_json_int(d, "unsigned"), vc_json_int(d, "no_token"));
}

int nightly_delivery_problem(const json_t *s, char *msg, size_t size)
{
	const json_t *d = json_object_get(s, "delivery");
	long long pending = vc_json_int(d, "pending") + vc_json_int(d, "waiting"),
		  failed = vc_json_int(d, "failed"), gone = vc_json_int(d, "gone"),
		  run = vc_json_int(s, "run_id");
	if (!pending && !failed && !gone)
		return 0;
	snprintf(msg, size, "hub %s: run %lld left %lld manifests pending, %lld failed, %lld gone"
		 " (see vcourier run show %lld; pending ones are retried by vcourier rerun --run"
		 " %lld, vcourier deliver or the next night)", str(s, "hub"), run, pending, failed,
		 gone, json_object_get(s, "rerun_of") ? vc_json_int(s, "rerun_of") : run,
		 json_object_get(s, "rerun_of") ? vc_json_int(s, "rerun_of") : run);
	return 1;
}
