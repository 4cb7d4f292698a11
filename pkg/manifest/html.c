/*
 * manifest html: the pick-up sheet as one self-contained HTML page (SPEC
 * section 11), rendered like the text sheet from the manifest's own JSON,
 * verified first. The page is paginated here, not left to the browser:
 * page 1 is the header (with a QR code of the manifest id and checksum),
 * the route map and the first stops; every stop then starts a fresh sheet
 * with its parcels as cards (a QR code of the order_ref each), so a point
 * keeper gets the pages of her village only and a stop's list is never
 * split at a random row. A multi-trip route's returns to the hub
 * ("kind": "unload") are separator rows of the stops table (end of trip
 * n, unload, trip n + 1 leaves at ...) and get no page or map number of
 * their own. The layout constants in manifest.h give the
 * number of printed pages, which the browser tests check.
 */
#include "manifest/manifest.h"
#include "manifest/manifest_internal.h"
#include "html/html.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MAP_W_MM 186.0
#define MAP_H_MM 105.0
#define TOP_QR_MM 36.0
#define CARD_QR_MM 26.0

static const char sheet_css[] =
	".head { display: flex; justify-content: space-between; gap: 4mm; }\n"
	".head .qrbox { text-align: center; font-size: 6.5pt; width: 40mm; word-break: break-all; }\n"
	".pageno { float: right; font-size: 9pt; color: #555; }\n"
	".meta { display: grid; grid-template-columns: 24mm auto; gap: 0.6mm 2mm; font-size: 10pt; }\n"
	".meta b { font-weight: 600; }\n"
	"tr.trip td { background: #e8e8e8; border-top: 0.5mm solid #000; }\n"
	"table.stops { table-layout: fixed; }\n"
	"table.stops td { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; height: 6.6mm; }\n"
	".stophead { display: flex; align-items: center; gap: 4mm; border-bottom: 0.6mm solid #000;"
	" padding-bottom: 2mm; margin-bottom: 3mm; height: 24mm; overflow: hidden; }\n"
	".stophead .seq { font-size: 26pt; font-weight: bold; width: 16mm; height: 16mm;"
	" border: 0.8mm solid #000; border-radius: 50%; display: flex; align-items: center;"
	" justify-content: center; flex: none; }\n"
	".stophead .name { font-size: 20pt; font-weight: bold; }\n"
	".stophead .facts { font-size: 12pt; }\n"
	".cards { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5mm 3mm; }\n"
	".card { display: flex; gap: 2mm; height: 32mm; overflow: hidden; border: 0.3mm solid #888;"
	" border-radius: 1mm; padding: 1mm; }\n"
	".card .qr { flex: none; }\n"
	".card .txt { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 0.6mm; }\n"
	".card .ref { font-size: 12pt; font-weight: bold; overflow-wrap: anywhere; }\n"
	".card .seller { font-size: 14pt; max-height: 12mm; overflow: hidden; }\n"
	".card .w { font-size: 10pt; }\n"
	".card .box { width: 6mm; height: 6mm; border: 0.5mm solid #000; flex: none; }\n"
	".card .conf { font-size: 10pt; font-weight: bold; }\n"
	".conf.picked { color: #1a7f37; } .conf.missing, .conf.refused { color: #b42318; }\n"
	".conf.none { color: #555; font-weight: normal; }\n";

struct sheet {
	json_t *doc;
	const struct manifest_html_opts *opt;
	char sha256[65];
	size_t page, pages;
};

static size_t div_up(size_t a, size_t b)
{
	return (a + b - 1) / b;
}

static size_t stop_pages(json_t *stop)
{
	size_t n = json_array_size(json_object_get(stop, "parcels"));
	return n ? div_up(n, MANIFEST_HTML_CARDS) : 1;
}

static size_t count_pages(json_t *stops)
{
	size_t n = json_array_size(stops), pages = 1, i;
	json_t *stop;
	if (n > MANIFEST_HTML_FIRST_STOPS)
		pages += div_up(n - MANIFEST_HTML_FIRST_STOPS, MANIFEST_HTML_MORE_STOPS);
	json_array_foreach(stops, i, stop)
		pages += manifest_is_unload(stop) ? 0 : stop_pages(stop);
	return pages;
}

static void page_open(struct sheet *s, struct strbuf *out, const char *cls)
{
	s->page++;
	strbuf_addf(out, "<section class=\"page %s\"><div class=\"pageno\">", cls);
	html_escape(out, manifest_jstr(s->doc, "manifest_id"));
	strbuf_addf(out, " &middot; %zu / %zu</div>\n", s->page, s->pages);
}

static const struct manifest_pickup *pickup_of(const struct sheet *s, const char *ref)
{
	size_t i;
	for (i = 0; s->opt && s->opt->pickups && i < s->opt->n_pickups; i++)
		if (s->opt->pickups[i].order_ref && !strcmp(s->opt->pickups[i].order_ref, ref))
			return &s->opt->pickups[i];
	return NULL;
}

static struct html_latlon place_at(json_t *place)
{
	return (struct html_latlon){ manifest_jnum(place, "lat"), manifest_jnum(place, "lon") };
}

/* One leg: the road geometry when the caller's provider has it, else a straight line. */
static void add_leg(const struct manifest_html_opts *opt, struct html_map *map,
		    struct html_polyline *pl, json_t *from, json_t *to, const char *colour)
{
	struct html_latlon a = place_at(from), b = place_at(to);
	html_polyline_reset(pl);
	if (opt && opt->leg &&
	    opt->leg(opt->leg_ctx, manifest_jstr(from, "code"), manifest_jstr(to, "code"), pl) == 0 &&
	    pl->n >= 2) {
		html_map_road_leg(map, pl->pts, pl->n, colour);
		return;
	}
	html_polyline_reset(pl);
	html_polyline_add(pl, a.lat, a.lon);
	html_polyline_add(pl, b.lat, b.lon);
	html_map_leg(map, pl->pts, pl->n, colour);
}

/* The route of a parsed manifest: legs from the hub through the stops and back, numbered stops. */
static void map_route(struct html_map *map, json_t *doc, const char *colour,
		      const struct manifest_html_opts *opt)
{
	json_t *hub = json_object_get(doc, "hub"), *stops = json_object_get(doc, "stops");
	json_t *stop, *prev = hub;
	struct html_polyline pl = { NULL, 0, 0 };
	struct strbuf title = STRBUF_INIT;
	size_t i;

	json_array_foreach(stops, i, stop) {
		add_leg(opt, map, &pl, prev, json_object_get(stop, "point"), colour);
		prev = json_object_get(stop, "point");
	}
	if (json_array_size(stops))
		add_leg(opt, map, &pl, prev, hub, colour);
	json_array_foreach(stops, i, stop) {
		json_t *point = json_object_get(stop, "point");
		char label[24];
		if (manifest_is_unload(stop))
			continue;
		snprintf(label, sizeof(label), "%zu", i + 1);
		strbuf_reset(&title);
		strbuf_addf(&title, "%s %zu. %s %s, eta %s", manifest_jstr(json_object_get(doc, "courier"), "code"),
			    i + 1, manifest_jstr(point, "code"), manifest_jstr(point, "name"),
			    manifest_jstr(stop, "eta"));
		html_map_stop(map, place_at(point), label, colour, title.buf);
	}
	strbuf_release(&title);
	html_polyline_release(&pl);
}

int manifest_map_route(struct html_map *map, const char *json, size_t len, const char *colour,
		       const struct manifest_html_opts *opt, struct vc_error *err)
{
	json_t *doc;
	if (manifest_verify(json, len, NULL, err) < 0 || !(doc = manifest_parse(json, len, err)))
		return -1;
	map_route(map, doc, colour, opt);
	json_decref(doc);
	return 0;
}

static void add_map(const struct sheet *s, struct strbuf *out)
{
	json_t *hub = json_object_get(s->doc, "hub");
	struct html_map *map = html_map_new();
	struct strbuf title = STRBUF_INIT;

	map_route(map, s->doc, "#1f77b4", s->opt);
	strbuf_addf(&title, "hub %s %s", manifest_jstr(hub, "code"), manifest_jstr(hub, "name"));
	html_map_hub(map, place_at(hub), title.buf);
	html_map_render(map, MAP_W_MM, MAP_H_MM, out);
	strbuf_release(&title);
	html_map_free(map);
}

static int add_header(struct sheet *s, struct strbuf *out, struct vc_error *err)
{
	json_t *d = s->doc, *hub = json_object_get(d, "hub"), *c = json_object_get(d, "courier");
	json_t *v = json_object_get(d, "vehicle"), *t = json_object_get(d, "totals");
	struct strbuf top = STRBUF_INIT;
	int replaces = json_is_string(json_object_get(d, "replaces")), rc;

	strbuf_addstr(out, "<div class=\"head\"><div>\n<h1>取件单 Pick-up sheet</h1>\n<div class=\"meta\">\n");
	html_factf(out, "manifest", "%s", manifest_jstr(d, "manifest_id"));
	html_factf(out, "version", "%lld%s%s", (long long)json_integer_value(json_object_get(d, "version")),
		   replaces ? ", replaces " : "", manifest_jstr(d, "replaces"));
	html_factf(out, "date 日期", "%s (run %lld)", manifest_jstr(d, "service_date"),
		   (long long)json_integer_value(json_object_get(d, "run_id")));
	html_factf(out, "hub 仓库", "%s %s", manifest_jstr(hub, "code"), manifest_jstr(hub, "name"));
	html_factf(out, "courier 快递员", "%s %s", manifest_jstr(c, "code"), manifest_jstr(c, "name"));
	html_factf(out, "vehicle 车辆", "%.3f kg / %.4f m3", manifest_jnum(v, "capacity_kg"),
		   manifest_jnum(v, "capacity_m3"));
	html_factf(out, "totals 合计", "%lld stops, %lld parcels, %.3f kg, %.4f m3, %.1f km, %lld min",
		   (long long)json_integer_value(json_object_get(t, "stops")),
		   (long long)json_integer_value(json_object_get(t, "parcels")),
		   manifest_jnum(t, "weight_kg"), manifest_jnum(t, "volume_m3"),
		   manifest_jnum(t, "distance_km"),
		   (long long)json_integer_value(json_object_get(t, "duration_min")));
	if (json_object_get(t, "trips"))
		html_factf(out, "trips 趟数", "%lld, back to the hub to unload between them",
			   (long long)json_integer_value(json_object_get(t, "trips")));
	strbuf_addstr(out, "</div></div>\n<div class=\"qrbox\">");
	strbuf_addf(&top, "%s %s", manifest_jstr(d, "manifest_id"), s->sha256);
	rc = html_qr_svg(out, top.buf, TOP_QR_MM, err);
	strbuf_addstr(out, "<span class=\"mono sha\">sha256 ");
	strbuf_addstr(out, s->sha256);
	strbuf_addstr(out, "</span></div></div>\n");
	strbuf_release(&top);
	return rc;
}

/* "08:00–12:00", the stop's pickup window. */
static void add_window(struct strbuf *out, json_t *stop)
{
	json_t *w = json_object_get(stop, "window");
	html_escape(out, json_string_value(json_array_get(w, 0)));
	strbuf_addstr(out, "&ndash;");
	html_escape(out, json_string_value(json_array_get(w, 1)));
}

static void stops_table_open(struct strbuf *out)
{
	strbuf_addstr(out, "<table class=\"stops\"><colgroup><col style=\"width:9mm\">"
			   "<col style=\"width:22mm\"><col><col style=\"width:27mm\"><col style=\"width:13mm\">"
			   "<col style=\"width:15mm\"><col style=\"width:20mm\"><col style=\"width:20mm\"></colgroup>\n"
			   "<thead><tr><th>#</th><th>point</th><th>name 站点</th><th>window 时间窗</th>"
			   "<th>eta</th><th class=\"num\">parcels</th><th class=\"num\">kg</th>"
			   "<th class=\"num\">m3</th></tr></thead><tbody>\n");
}

/* The stops table's separator between two trips. */
static void unload_row(struct strbuf *out, json_t *stop, size_t seq)
{
	long long trip = (long long)json_integer_value(json_object_get(stop, "trip"));
	strbuf_addf(out, "<tr class=\"trip\"><td>%zu</td><td colspan=\"6\"><b>end of trip %lld 第%lld趟结束</b>"
			 " &middot; back at the hub 回站 ", seq, trip, trip);
	html_escape(out, manifest_jstr(stop, "eta"));
	strbuf_addf(out, " &middot; unload 卸货 &middot; <b>trip %lld 第%lld趟</b> leaves 出发 ", trip + 1, trip + 1);
	html_escape(out, manifest_jstr(stop, "leaves"));
	strbuf_addstr(out, "</td></tr>\n");
}

static void stop_row(struct strbuf *out, json_t *stop, size_t seq)
{
	json_t *point = json_object_get(stop, "point");
	if (manifest_is_unload(stop)) {
		unload_row(out, stop, seq);
		return;
	}
	strbuf_addf(out, "<tr class=\"stoprow\"><td>%zu</td><td class=\"mono\">", seq);
	html_escape(out, manifest_jstr(point, "code"));
	strbuf_addstr(out, "</td><td>");
	html_escape(out, manifest_jstr(point, "name"));
	strbuf_addstr(out, "</td><td>");
	add_window(out, stop);
	strbuf_addstr(out, "</td><td>");
	html_escape(out, manifest_jstr(stop, "eta"));
	strbuf_addf(out, "</td><td class=\"num\">%zu</td><td class=\"num\">%.3f</td>"
			 "<td class=\"num\">%.4f</td></tr>\n",
		    json_array_size(json_object_get(stop, "parcels")),
		    manifest_jnum(stop, "weight_kg"), manifest_jnum(stop, "volume_m3"));
}

/* Page 1 (header, map, first stops) and the stops table's continuation pages. */
static int add_overview(struct sheet *s, struct strbuf *out, struct vc_error *err)
{
	json_t *stops = json_object_get(s->doc, "stops"), *stop;
	size_t i, n = json_array_size(stops);

	page_open(s, out, "overview");
	if (add_header(s, out, err) < 0)
		return -1;
	add_map(s, out);
	if (!n) {
		strbuf_addstr(out, "<h2>No stops</h2><p>This version has no route: it voids the"
				   " version it replaces.</p>\n</section>\n");
		return 0;
	}
	strbuf_addstr(out, "<h2>Stops 站点</h2>\n");
	stops_table_open(out);
	json_array_foreach(stops, i, stop) {
		if (i >= MANIFEST_HTML_FIRST_STOPS &&
		    (i - MANIFEST_HTML_FIRST_STOPS) % MANIFEST_HTML_MORE_STOPS == 0) {
			strbuf_addstr(out, "</tbody></table>\n</section>\n");
			page_open(s, out, "overview");
			strbuf_addstr(out, "<h2>Stops 站点 (continued)</h2>\n");
			stops_table_open(out);
		}
		stop_row(out, stop, i + 1);
	}
	strbuf_addstr(out, "</tbody></table>\n</section>\n");
	return 0;
}

static void stop_head(struct strbuf *out, json_t *stop, size_t seq, size_t part, size_t parts)
{
	json_t *point = json_object_get(stop, "point");
	strbuf_addf(out, "<div class=\"stophead\"><div class=\"seq\">%zu</div><div>"
			 "<div class=\"name\">", seq);
	html_escape(out, manifest_jstr(point, "name"));
	strbuf_addstr(out, " <span class=\"mono\">");
	html_escape(out, manifest_jstr(point, "code"));
	strbuf_addstr(out, "</span></div><div class=\"facts\">window 时间窗 ");
	add_window(out, stop);
	strbuf_addstr(out, " &middot; eta 预计 ");
	html_escape(out, manifest_jstr(stop, "eta"));
	strbuf_addf(out, " &middot; %zu parcels 包裹 &middot; %.3f kg &middot; %.4f m3",
		    json_array_size(json_object_get(stop, "parcels")), manifest_jnum(stop, "weight_kg"),
		    manifest_jnum(stop, "volume_m3"));
	if (parts > 1)
		strbuf_addf(out, " &middot; part %zu of %zu", part, parts);
	strbuf_addstr(out, "</div></div></div>\n");
}

static void add_confirmation(const struct sheet *s, struct strbuf *out, const char *ref)
{
	const struct manifest_pickup *pk = pickup_of(s, ref);
	const char *status = pk && pk->status ? pk->status : NULL;
	if (!s->opt || !s->opt->pickups)
		return;
	if (!status) {
		strbuf_addstr(out, "<div class=\"conf none\">not confirmed 未确认</div>");
		return;
	}
	strbuf_addstr(out, "<div class=\"conf ");
	html_escape(out, status);
	strbuf_addstr(out, "\">");
	html_escape(out, status);
	if (pk->at && *pk->at) {
		strbuf_addch(out, ' ');
		html_escape(out, pk->at);
	}
	if (pk->reason && *pk->reason) {
		strbuf_addstr(out, ": ");
		html_escape(out, pk->reason);
	}
	strbuf_addstr(out, "</div>");
}

static int add_card(const struct sheet *s, struct strbuf *out, json_t *p, struct vc_error *err)
{
	const char *ref = manifest_jstr(p, "order_ref");
	strbuf_addstr(out, "<div class=\"card parcel\" data-order-ref=\"");
	html_escape(out, ref);
	strbuf_addstr(out, "\">");
	if (html_qr_svg(out, ref, CARD_QR_MM, err) < 0)
		return -1;
	strbuf_addstr(out, "<div class=\"txt\"><div class=\"ref mono\">");
	html_escape(out, ref);
	strbuf_addstr(out, "</div><div class=\"seller\">");
	html_escape(out, manifest_jstr(p, "seller"));
	strbuf_addf(out, "</div><div class=\"w\">%.3f kg &middot; %.4f m3</div>",
		    manifest_jnum(p, "weight_kg"), manifest_jnum(p, "volume_m3"));
	add_confirmation(s, out, ref);
	strbuf_addstr(out, "</div><div class=\"box\" title=\"checked\"></div></div>\n");
	return 0;
}

static int add_stop_pages(struct sheet *s, struct strbuf *out, json_t *stop, size_t seq,
			  struct vc_error *err)
{
	json_t *parcels = json_object_get(stop, "parcels"), *p;
	size_t parts = stop_pages(stop), i;

	if (manifest_is_unload(stop))
		return 0;
	json_array_foreach(parcels, i, p) {
		if (i % MANIFEST_HTML_CARDS == 0) {
			if (i)
				strbuf_addstr(out, "</div>\n</section>\n");
			page_open(s, out, "stop");
			stop_head(out, stop, seq, i / MANIFEST_HTML_CARDS + 1, parts);
			strbuf_addstr(out, "<div class=\"cards\">\n");
		}
		if (add_card(s, out, p, err) < 0)
			return -1;
	}
	if (!json_array_size(parcels)) {
		page_open(s, out, "stop");
		stop_head(out, stop, seq, 1, 1);
		strbuf_addstr(out, "<div class=\"cards\">\n");
	}
	strbuf_addstr(out, "</div>\n</section>\n");
	return 0;
}

int manifest_sheet_html(const char *json, size_t len, const struct manifest_html_opts *opt,
			struct strbuf *out, struct vc_error *err)
{
	struct sheet s = { NULL, opt, "", 0, 0 };
	struct strbuf title = STRBUF_INIT;
	json_t *stops, *stop;
	size_t i;
	int rc = -1;

	if (manifest_verify(json, len, NULL, err) < 0)
		return -1;
	if (!(s.doc = manifest_parse(json, len, err)))
		return -1;
	manifest_sha256_hex(json, len, s.sha256);
	stops = json_object_get(s.doc, "stops");
	s.pages = count_pages(stops);
	strbuf_addf(&title, "Pick-up sheet %s", manifest_jstr(s.doc, "manifest_id"));
	html_page_begin(out, title.buf, sheet_css);
	if (add_overview(&s, out, err) < 0)
		goto cleanup;
	json_array_foreach(stops, i, stop)
		if (add_stop_pages(&s, out, stop, i + 1, err) < 0)
			goto cleanup;
	html_page_end(out);
	rc = 0;
cleanup:
	strbuf_release(&title);
	json_decref(s.doc);
	return rc;
}
