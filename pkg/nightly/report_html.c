/*
 * report html: the operator's report of one run (`run show ID --format
 * html`, SPEC section 11) as one self-contained page: what the run did,
 * a map with every route of the hub in its own colour, the load of each
 * vehicle against its capacity (kg and m3), distance and duration, the
 * delivery state of each manifest, the orders rejected or left unassigned
 * with their reasons, and every delivery attempt. Built from the JSON of
 * `run show --json` plus the manifests' stored bodies (report.c reads
 * them); no SQL here. Every string from the data is escaped.
 */
#include "nightly/job.h"
#include "html/html.h"
#include "manifest/manifest.h"
#include "roads/roads.h"
#include "util/json.h"

#include <math.h>
#include <string.h>

#define MAP_W_MM 186.0
#define MAP_H_MM 140.0

static const char report_css[] =
	".status { display: inline-block; padding: 0.5mm 2mm; border-radius: 1mm; color: #fff;"
	" background: #555; font-size: 11pt; vertical-align: middle; }\n"
	".status.completed { background: #1a7f37; } .status.partial { background: #b54708; }\n"
	".status.failed, .status.abandoned { background: #b42318; }\n"
	".facts { display: grid; grid-template-columns: 30mm auto; gap: 0.5mm 2mm; }\n"
	"table.vehicles, table.orders, table.attempts { font-size: 9pt; }\n"
	".swatch { display: inline-block; width: 4mm; height: 4mm; border-radius: 50%;"
	" vertical-align: middle; }\n"
	".bar { width: 24mm; height: 3mm; border: 0.2mm solid #666; background: #fff; }\n"
	".bar span { display: block; height: 100%; background: #1f77b4; }\n"
	".bar.over span { background: #b42318; }\n"
	".delivery.delivered { color: #1a7f37; } .delivery.pending { color: #b54708; }\n"
	".delivery.failed, .delivery.gone { color: #b42318; }\n"
	".err { color: #b42318; overflow-wrap: anywhere; font-size: 8pt; }\n"
	"table.vehicles .mono { white-space: nowrap; font-size: 8pt; }\n"
	"table.vehicles td.num { white-space: nowrap; }\n";

static const char *s_of(const json_t *o, const char *key)
{
	return vc_json_str(o, key, "");
}

static void text(struct strbuf *out, const char *s)
{
	html_escape(out, s);
}

static void add_facts(struct strbuf *out, const json_t *run)
{
	strbuf_addf(out, "<h1>Run %lld &middot; ", vc_json_int(run, "run_id"));
	text(out, s_of(run, "kind"));
	strbuf_addstr(out, " &middot; hub ");
	text(out, s_of(run, "hub"));
	strbuf_addstr(out, " &middot; ");
	text(out, s_of(run, "service_date"));
	strbuf_addstr(out, " <span class=\"status ");
	text(out, s_of(run, "status"));
	strbuf_addstr(out, "\">");
	text(out, s_of(run, "status"));
	strbuf_addstr(out, "</span></h1>\n<div class=\"facts\">\n");
	html_factf(out, "started", "%s, finished %s", s_of(run, "started_at"),
		   *s_of(run, "finished_at") ? s_of(run, "finished_at") : "-");
	html_factf(out, "process", "pid %lld on %s", vc_json_int(run, "pid"), s_of(run, "host"));
	html_factf(out, "orders", "%lld claimed, %lld routed, %lld rejected, %lld unassigned",
		   vc_json_int(run, "orders_claimed"), vc_json_int(run, "orders_routed"),
		   vc_json_int(run, "rejected"), vc_json_int(run, "unassigned"));
	html_factf(out, "manifests", "%lld written", vc_json_int(run, "manifests_written"));
	if (*s_of(run, "error")) {
		strbuf_addstr(out, "<b>error</b><span class=\"err\">");
		text(out, s_of(run, "error"));
		strbuf_addstr(out, "</span>\n");
	}
	strbuf_addstr(out, "</div>\n");
}

static int add_map(struct strbuf *out, const json_t *run, PGconn *conn,
		   const struct vc_config *cfg, struct vc_error *err)
{
	const json_t *hub = json_object_get(run, "hub_place");
	struct html_map *map = html_map_new();
	struct strbuf title = STRBUF_INIT;
	json_t *m;
	size_t i;
	int rc = 0;

	json_array_foreach(json_object_get(run, "manifests"), i, m) {
		const char *body = s_of(m, "body");
		/* Road legs where the manifest was planned on the loaded network. */
		struct roads_legs *legs = conn && *body
			? roads_legs_for_manifest(conn, cfg, body, strlen(body), err) : NULL;
		struct manifest_html_opts opt = { .leg = legs ? roads_leg_polyline : NULL,
						  .leg_ctx = legs };
		char colour[32];
		html_route_colour(i, colour);
		if (err->code ||
		    (*body && manifest_map_route(map, body, strlen(body), colour, &opt, err) < 0)) {
			roads_legs_free(legs);
			rc = -1;
			break;
		}
		roads_legs_free(legs);
	}
	if (rc == 0) {
		if (hub) {
			strbuf_addf(&title, "hub %s %s", s_of(hub, "code"), s_of(hub, "name"));
			html_map_hub(map, (struct html_latlon){
				json_number_value(json_object_get(hub, "lat")),
				json_number_value(json_object_get(hub, "lon")) }, title.buf);
		}
		strbuf_addstr(out, "<h2>Routes</h2>\n<figure class=\"keep\" style=\"margin:0\">");
		html_map_render(map, MAP_W_MM, MAP_H_MM, out);
		strbuf_addstr(out, "</figure>\n");
	}
	strbuf_release(&title);
	html_map_free(map);
	return rc;
}

/* A load bar: value against capacity, red beyond it (a planner bug, shown, not hidden). */
static void load_bar(struct strbuf *out, double value, double capacity, const char *unit,
		     const char *fmt)
{
	double pct = capacity > 0 ? 100.0 * value / capacity : 0;
	strbuf_addf(out, "<td><div class=\"bar%s\" title=\"%.1f%%\"><span style=\"width:%.1f%%\">"
			 "</span></div>", pct > 100.0 ? " over" : "", pct, fmin(pct, 100.0));
	strbuf_addf(out, fmt, value, capacity);
	strbuf_addf(out, " %s (%.0f%%)</td>", unit, pct);
}

static int any_pickups(const json_t *manifests)
{
	size_t i;
	json_t *m;
	json_array_foreach(manifests, i, m)
		if (json_is_object(json_object_get(m, "pickups")))
			return 1;
	return 0;
}

/* Confirmations view-b's pickups attach as {"picked": n, "missing": n, ...}. */
static void pickups_cell(struct strbuf *out, const json_t *m)
{
	const char *key;
	json_t *v;
	int first = 1;
	strbuf_addstr(out, "<td class=\"pickups\">");
	json_object_foreach((json_t *)json_object_get(m, "pickups"), key, v) {
		strbuf_addstr(out, first ? "" : " &middot; ");
		text(out, key);
		strbuf_addf(out, " %lld", (long long)json_integer_value(v));
		first = 0;
	}
	strbuf_addstr(out, first ? "-</td>" : "</td>");
}

static void delivery_cell(struct strbuf *out, const json_t *m)
{
	strbuf_addstr(out, "<td><span class=\"delivery ");
	text(out, s_of(m, "delivery"));
	strbuf_addstr(out, "\">");
	text(out, s_of(m, "delivery"));
	strbuf_addf(out, "</span>, %lld attempt%s", vc_json_int(m, "attempts"),
		    vc_json_int(m, "attempts") == 1 ? "" : "s");
	if (json_is_integer(json_object_get(m, "last_http_status")))
		strbuf_addf(out, ", HTTP %lld", vc_json_int(m, "last_http_status"));
	if (*s_of(m, "delivered_at")) {
		strbuf_addstr(out, "<br>at ");
		text(out, s_of(m, "delivered_at"));
	}
	if (*s_of(m, "superseded_by")) {
		strbuf_addstr(out, "<br>superseded by ");
		text(out, s_of(m, "superseded_by"));
	}
	if (*s_of(m, "last_error") && strcmp(s_of(m, "delivery"), "delivered")) {
		strbuf_addstr(out, "<br><span class=\"err\">");
		text(out, s_of(m, "last_error"));
		strbuf_addstr(out, "</span>");
	}
	strbuf_addstr(out, "</td>");
}

static void vehicle_row(struct strbuf *out, const json_t *m, size_t i, int pickups)
{
	json_t *body = json_loads(s_of(m, "body"), 0, NULL);
	json_t *vehicle = json_object_get(body, "vehicle"), *totals = json_object_get(body, "totals");
	json_t *courier = json_object_get(body, "courier");
	long long min = json_integer_value(json_object_get(totals, "duration_min"));
	char colour[32];

	html_route_colour(i, colour);
	strbuf_addf(out, "<tr class=\"route\" data-manifest=\"");
	text(out, s_of(m, "manifest_id"));
	strbuf_addf(out, "\"><td><span class=\"swatch\" style=\"background:%s\"></span></td><td>", colour);
	text(out, s_of(m, "courier"));
	strbuf_addstr(out, " ");
	text(out, vc_json_str(courier, "name", ""));
	strbuf_addstr(out, "<br><span class=\"mono\">");
	text(out, s_of(m, "manifest_id"));
	strbuf_addstr(out, "</span>");
	if (*vc_json_str(m, "replaces", "")) {
		strbuf_addstr(out, "<br><span class=\"muted\">replaces ");
		text(out, s_of(m, "replaces"));
		strbuf_addstr(out, "</span>");
	}
	strbuf_addf(out, "</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>",
		    vc_json_int(m, "stops"), vc_json_int(m, "parcels"));
	load_bar(out, json_number_value(json_object_get(totals, "weight_kg")),
		 json_number_value(json_object_get(vehicle, "capacity_kg")), "kg", "%.1f / %.0f");
	load_bar(out, json_number_value(json_object_get(totals, "volume_m3")),
		 json_number_value(json_object_get(vehicle, "capacity_m3")), "m3", "%.3f / %.2f");
	strbuf_addf(out, "<td class=\"num\">%.1f km</td><td class=\"num\">%lld h %02lld min</td>",
		    json_number_value(json_object_get(totals, "distance_km")), min / 60, min % 60);
	delivery_cell(out, m);
	if (pickups)
		pickups_cell(out, m);
	strbuf_addstr(out, "</tr>\n");
	json_decref(body);
}

static void add_vehicles(struct strbuf *out, const json_t *run)
{
	const json_t *manifests = json_object_get(run, "manifests");
	int pickups = any_pickups(manifests);
	json_t *m;
	size_t i;

	strbuf_addf(out, "<h2>Vehicles (%zu routes)</h2>\n", json_array_size(manifests));
	if (!json_array_size(manifests)) {
		strbuf_addstr(out, "<p>This run wrote no manifest.</p>\n");
		return;
	}
	strbuf_addf(out, "<table class=\"vehicles\"><thead><tr><th></th><th>courier, manifest</th>"
			 "<th class=\"num\">stops</th><th class=\"num\">parcels</th>"
			 "<th>weight</th><th>volume</th><th class=\"num\">distance</th>"
			 "<th class=\"num\">duration</th><th>delivery</th>%s</tr></thead><tbody>\n",
		    pickups ? "<th>pick-up</th>" : "");
	json_array_foreach(manifests, i, m)
		vehicle_row(out, m, i, pickups);
	strbuf_addstr(out, "</tbody></table>\n");
}

static void add_orders(struct strbuf *out, const json_t *run, const char *key, const char *heading)
{
	const json_t *summary = json_object_get(run, "summary");
	const json_t *list = json_object_get(summary, key);
	json_t *o;
	size_t i;

	strbuf_addf(out, "<h2>%s (%zu)</h2>\n", heading, json_array_size(list));
	if (!summary) {
		strbuf_addstr(out, "<p>No summary was recorded for this run.</p>\n");
		return;
	}
	if (!json_array_size(list)) {
		strbuf_addstr(out, "<p>None.</p>\n");
		return;
	}
	strbuf_addf(out, "<table class=\"orders %s\"><thead><tr><th>order</th><th>reason</th>"
			 "</tr></thead><tbody>\n", key);
	json_array_foreach(list, i, o) {
		strbuf_addstr(out, "<tr><td class=\"mono\">");
		text(out, s_of(o, "order_ref"));
		strbuf_addstr(out, "</td><td>");
		text(out, s_of(o, "reason"));
		strbuf_addstr(out, "</td></tr>\n");
	}
	strbuf_addstr(out, "</tbody></table>\n");
}

static void add_attempts(struct strbuf *out, const json_t *run)
{
	const json_t *list = json_object_get(run, "attempts");
	json_t *a;
	size_t i;

	strbuf_addf(out, "<h2>Delivery attempts (%zu)</h2>\n", json_array_size(list));
	if (!json_array_size(list)) {
		strbuf_addstr(out, "<p>None.</p>\n");
		return;
	}
	strbuf_addstr(out, "<table class=\"attempts\"><thead><tr><th>manifest</th><th>#</th>"
			   "<th>started</th><th>outcome</th><th class=\"num\">HTTP</th>"
			   "<th class=\"num\">ms</th><th>error</th></tr></thead><tbody>\n");
	json_array_foreach(list, i, a) {
		strbuf_addstr(out, "<tr><td class=\"mono\">");
		text(out, s_of(a, "manifest_id"));
		strbuf_addf(out, "</td><td>%lld</td><td>", vc_json_int(a, "attempt"));
		text(out, s_of(a, "started_at"));
		strbuf_addstr(out, "</td><td>");
		text(out, s_of(a, "outcome"));
		if (json_is_integer(json_object_get(a, "http_status")))
			strbuf_addf(out, "</td><td class=\"num\">%lld", vc_json_int(a, "http_status"));
		else
			strbuf_addstr(out, "</td><td class=\"num\">-");
		strbuf_addf(out, "</td><td class=\"num\">%lld</td><td class=\"err\">",
			    vc_json_int(a, "duration_ms"));
		text(out, s_of(a, "error"));
		strbuf_addstr(out, "</td></tr>\n");
	}
	strbuf_addstr(out, "</tbody></table>\n");
}

int nightly_report_html(const json_t *run, PGconn *conn, const struct vc_config *cfg,
			struct strbuf *out, struct vc_error *err)
{
	struct strbuf title = STRBUF_INIT;
	size_t start = out->len;

	strbuf_addf(&title, "Run %lld %s %s %s", vc_json_int(run, "run_id"), s_of(run, "kind"),
		    s_of(run, "hub"), s_of(run, "service_date"));
	html_page_begin(out, title.buf, report_css);
	strbuf_release(&title);
	strbuf_addstr(out, "<section class=\"page report\">\n");
	add_facts(out, run);
	if (add_map(out, run, conn, cfg, err) < 0) {
		strbuf_setlen(out, start);
		return -1;
	}
	add_vehicles(out, run);
	add_orders(out, run, "rejected", "Rejected orders");
	add_orders(out, run, "unassigned", "Unassigned orders");
	add_attempts(out, run);
	strbuf_addstr(out, "</section>\n");
	html_page_end(out);
	return 0;
}
