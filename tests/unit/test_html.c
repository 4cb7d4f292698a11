/*
 * Unit tests: pkg/html (escaping, QR codes as SVG, the map) and the HTML
 * pick-up sheet (pagination rule, escaping of hostile names, the
 * confirmation line, road geometry through the leg hook).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html/html.h"
#include "manifest/manifest.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;
	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static void test_escape(void **state)
{
	struct strbuf out = STRBUF_INIT;
	(void)state;
	html_escape(&out, "<a href=\"x\">&'上坪村\x01\t\n");
	assert_string_equal(out.buf, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;上坪村\xef\xbf\xbd\t\n");
	strbuf_reset(&out);
	html_factf(&out, "<i>k</i>", "%s %d", "<b>", 7);
	assert_string_equal(out.buf, "<b><i>k</i></b><span>&lt;b&gt; 7</span>\n");
	strbuf_reset(&out);
	html_escape(&out, NULL);
	assert_string_equal(out.buf, "");
	strbuf_release(&out);
}

/* Every dark module inside the symbol, none in the 4-module quiet zone; same modules as libqrencode. */
static void test_qr_svg(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct vc_error err = VC_ERROR_INIT;
	QRcode *qr = QRcode_encodeString8bit("O20261124-0000001", 0, QR_ECLEVEL_M);
	char view[64];
	const char *p;
	int dark = 0, want = 0, i, w;
	(void)state;

	assert_non_null(qr);
	w = qr->width;
	for (i = 0; i < w * w; i++)
		want += qr->data[i] & 1;
	assert_int_equal(html_qr_svg(&out, "O20261124-0000001", 26, &err), 0);
	snprintf(view, sizeof(view), "viewBox=\"0 0 %d %d\"", w + 8, w + 8);
	assert_non_null(strstr(out.buf, view));
	assert_non_null(strstr(out.buf, "shape-rendering=\"crispEdges\""));
	assert_non_null(strstr(out.buf, "data-qr=\"O20261124-0000001\""));
	assert_non_null(strstr(out.buf, "width=\"26.00mm\""));
	assert_int_equal(count(out.buf, "<path"), 1);
	for (p = strstr(out.buf, " d=\""); (p = strchr(p, 'M'));) {
		int x, y, run;
		assert_int_equal(sscanf(p, "M%d %dh%d", &x, &y, &run), 3);
		assert_true(x >= 4 && y >= 4 && x + run <= w + 4 && y < w + 4);
		dark += run;
		p++;
	}
	assert_int_equal(dark, want);
	QRcode_free(qr);

	/* A long text grows the code so that a module stays >= 0.5 mm. */
	strbuf_reset(&out);
	{
		char text[300];
		memset(text, 'A', sizeof(text) - 1);
		text[sizeof(text) - 1] = 0;
		assert_int_equal(html_qr_svg(&out, text, 10, &err), 0);
		qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
		snprintf(view, sizeof(view), "width=\"%.2fmm\"", (qr->width + 8) * 0.5);
		assert_non_null(strstr(out.buf, view));
		QRcode_free(qr);
	}
	/* Too long for any QR version: an error, not a broken page. */
	{
		char *huge = xmalloc(8000);
		memset(huge, 'x', 7999);
		huge[7999] = 0;
		assert_int_equal(html_qr_svg(&out, huge, 26, &err), -1);
		assert_int_equal(err.code, 65);
		free(huge);
	}
	strbuf_release(&out);
}

static void test_map(void **state)
{
	struct html_map *m = html_map_new();
	struct strbuf out = STRBUF_INIT;
	struct html_latlon leg[3] = { { 34.8, 115.5 }, { 34.85, 115.55 }, { 34.9, 115.5 } };
	char c[32];
	(void)state;

	html_map_hub(m, leg[0], "hub <H>");
	html_map_leg(m, leg, 3, "#123456");
	html_map_stop(m, leg[2], "1", "#123456", "stop \"1\"");
	html_map_render(m, 186, 105, &out);
	assert_non_null(strstr(out.buf, "<svg class=\"map\" viewBox=\"0 0 186.0 105.0\""));
	assert_int_equal(count(out.buf, "class=\"leg\""), 1);
	assert_int_equal(count(out.buf, "class=\"stop\""), 1);
	assert_non_null(strstr(out.buf, "<title>hub &lt;H&gt;</title>"));
	assert_non_null(strstr(out.buf, "<title>stop &quot;1&quot;</title>"));
	/* ~11 km tall at 105 mm: the bar is a round number of km */
	assert_non_null(strstr(out.buf, " km</text>"));
	assert_null(strstr(out.buf, "nan"));
	html_map_free(m);

	/* A lone hub: no division by zero, still a scale. */
	strbuf_reset(&out);
	m = html_map_new();
	html_map_hub(m, leg[0], "");
	html_map_render(m, 100, 100, &out);
	assert_null(strstr(out.buf, "nan"));
	assert_null(strstr(out.buf, "inf"));
	assert_non_null(strstr(out.buf, "class=\"scale\""));
	html_map_free(m);
	strbuf_release(&out);

	html_route_colour(0, c);
	assert_string_equal(c, "#1f77b4");
	html_route_colour(12, c);
	assert_non_null(strstr(c, "hsl("));
}

/* A manifest of `stops` stops with parcels[i] parcels each, hostile names included. */
static void make_manifest(struct strbuf *out, size_t n_stops, const size_t *n_parcels)
{
	struct manifest_stop *stops = xcalloc(n_stops, sizeof(*stops));
	struct manifest_parcel *parcels;
	char (*refs)[32];
	size_t total = 0, i, j, k = 0;
	struct vc_error err = VC_ERROR_INIT;
	struct manifest_input in = {
		"2026-11-24-H1-C1-v1", 1, NULL, 7, "2026-11-24",
		{ "H1", "<script>alert('hub')</script>", 27.4, 119.1 }, "C1", "老王 \"&\"",
		500, 3, NULL, 0, 42.1, 95, "road",
	};
	for (i = 0; i < n_stops; i++)
		total += n_parcels[i];
	parcels = xcalloc(total + 1, sizeof(*parcels));
	refs = xcalloc(total + 1, sizeof(*refs));
	for (i = 0; i < n_stops; i++) {
		stops[i] = (struct manifest_stop){ { "P1", "上坪村 <img src=x onerror=alert(1)>",
						     27.5 + 0.01 * (double)i, 119.2 },
						   480, 720, 500, &parcels[k], n_parcels[i], 1.5, 0, 0, 0 };
		for (j = 0; j < n_parcels[i]; j++, k++) {
			snprintf(refs[k], sizeof(refs[k]), "ORD-%zu", k + 1);
			parcels[k] = (struct manifest_parcel){ refs[k], 1.5, 0.01, "</div>茶叶<b>" };
		}
	}
	in.stops = stops;
	in.n_stops = n_stops;
	assert_int_equal(manifest_render(&in, out, &err), 0);
	free(stops);
	free(parcels);
	free(refs);
}

static size_t div_up(size_t a, size_t b)
{
	return (a + b - 1) / b;
}

static void test_sheet_pages_and_escaping(void **state)
{
	static const size_t sizes[][40] = { { 1 }, { 14 }, { 15, 3 }, { 29, 1, 1 } };
	static const size_t n_sizes[] = { 1, 1, 2, 3 };
	struct strbuf body = STRBUF_INIT, html = STRBUF_INIT;
	struct vc_error err = VC_ERROR_INIT;
	size_t t, i, pages, parcels;
	(void)state;

	for (t = 0; t < 4; t++) {
		strbuf_reset(&body);
		strbuf_reset(&html);
		make_manifest(&body, n_sizes[t], sizes[t]);
		assert_int_equal(manifest_sheet_html(body.buf, body.len, NULL, &html, &err), 0);
		pages = 1;
		parcels = 0;
		for (i = 0; i < n_sizes[t]; i++) {
			pages += div_up(sizes[t][i], MANIFEST_HTML_CARDS);
			parcels += sizes[t][i];
		}
		assert_int_equal(count(html.buf, "<section class=\"page"), pages);
		assert_int_equal(count(html.buf, "<svg class=\"qr\""), parcels + 1);
		assert_int_equal(count(html.buf, "class=\"card parcel\""), parcels);
		assert_null(strstr(html.buf, "<script"));
		assert_null(strstr(html.buf, "<img"));
		assert_null(strstr(html.buf, "</div>茶叶"));
		assert_non_null(strstr(html.buf, "&lt;/div&gt;茶叶&lt;b&gt;"));
		assert_non_null(strstr(html.buf, "&lt;script&gt;alert(&#39;hub&#39;)&lt;/script&gt;"));
		assert_non_null(strstr(html.buf, "老王 &quot;&amp;&quot;"));
		assert_null(strstr(html.buf, "class=\"conf"));
	}
	/* 40 stops: the stops table continues on ceil((40 - 12) / 32) = 1 more page. */
	{
		size_t many[40];
		for (i = 0; i < 40; i++)
			many[i] = 1;
		strbuf_reset(&body);
		strbuf_reset(&html);
		make_manifest(&body, 40, many);
		assert_int_equal(manifest_sheet_html(body.buf, body.len, NULL, &html, &err), 0);
		assert_int_equal(count(html.buf, "<section class=\"page"), 1 + 1 + 40);
		assert_int_equal(count(html.buf, "class=\"stoprow\""), 40);
	}
	/* A version with no route (it voids the one it replaces): one page, the hub on the map. */
	strbuf_reset(&body);
	strbuf_reset(&html);
	make_manifest(&body, 0, NULL);
	assert_int_equal(manifest_sheet_html(body.buf, body.len, NULL, &html, &err), 0);
	assert_int_equal(count(html.buf, "<section class=\"page"), 1);
	assert_int_equal(count(html.buf, "<svg class=\"qr\""), 1);
	assert_int_equal(count(html.buf, "<g class=\"hub\">"), 1);
	assert_non_null(strstr(html.buf, "No stops"));
	/* A malformed manifest gives no sheet. */
	strbuf_reset(&html);
	assert_int_equal(manifest_sheet_html("{\"manifest_id\":1}", 16, NULL, &html, &err), -1);
	assert_int_equal(err.code, 65);
	strbuf_release(&body);
	strbuf_release(&html);
}

static int curvy_leg(void *ctx, const char *from, const char *to, struct html_polyline *out)
{
	int *calls = ctx;
	(*calls)++;
	if (strcmp(from, "H1"))
		return -1;  /* only the first leg has road geometry */
	html_polyline_add(out, 27.4, 119.1);
	html_polyline_add(out, 27.45, 119.3);
	html_polyline_add(out, 27.5, 119.2);
	return 0;
}

static void test_sheet_confirmations_and_legs(void **state)
{
	static const size_t sizes[] = { 2, 1 };
	static const struct manifest_pickup pk[] = {
		{ "ORD-1", "picked", "2026-11-24T09:12:00+08:00", NULL },
		{ "ORD-2", "missing", "2026-11-24T09:13:00+08:00", "<not found>" },
	};
	struct manifest_html_opts opt = { pk, 2, curvy_leg, NULL };
	struct strbuf body = STRBUF_INIT, html = STRBUF_INIT;
	struct vc_error err = VC_ERROR_INIT;
	const char *leg;
	int calls = 0;
	(void)state;

	opt.leg_ctx = &calls;
	make_manifest(&body, 2, sizes);
	assert_int_equal(manifest_sheet_html(body.buf, body.len, &opt, &html, &err), 0);
	assert_int_equal(calls, 3);  /* hub -> 1 -> 2 -> hub */
	assert_non_null(strstr(html.buf, "<div class=\"conf picked\">picked 2026-11-24T09:12:00+08:00</div>"));
	assert_non_null(strstr(html.buf, "<div class=\"conf missing\">missing 2026-11-24T09:13:00+08:00:"
					 " &lt;not found&gt;</div>"));
	assert_int_equal(count(html.buf, "<div class=\"conf none\">"), 1);
	/* the first leg is drawn with its three points as a road leg, the others straight */
	leg = strstr(html.buf, "class=\"leg road\"");
	assert_non_null(leg);
	leg = strstr(leg, "points=\"") + 8;
	assert_int_equal(strchr(leg, '"') - leg > 0, 1);
	{
		char *pts = xstrndup(leg, (size_t)(strchr(leg, '"') - leg));
		assert_int_equal(count(pts, ","), 3);
		free(pts);
		leg = strstr(strstr(leg, "class=\"leg\""), "points=\"") + 8;
		pts = xstrndup(leg, (size_t)(strchr(leg, '"') - leg));
		assert_int_equal(count(pts, ","), 2);
		free(pts);
	}
	assert_int_equal(count(html.buf, "class=\"leg road\""), 1);
	assert_int_equal(count(html.buf, "class=\"leg\""), 2);
	strbuf_release(&body);
	strbuf_release(&html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_qr_svg),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_sheet_pages_and_escaping),
		cmocka_unit_test(test_sheet_confirmations_and_legs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
