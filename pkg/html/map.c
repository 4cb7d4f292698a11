/*
 * html map: an SVG map of routes in millimetres of paper. Legs are
 * polylines so that road geometry, where a road network provides it, is
 * drawn as it comes; without one a leg is the straight line between its
 * ends. The projection is equirectangular at the mean latitude, exact
 * enough across a county; the scale bar is a round length (1, 2 or 5 times
 * a power of ten) near a quarter of the map's width.
 */
#include "html/html.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum item_kind { ITEM_LEG, ITEM_ROAD_LEG, ITEM_HUB, ITEM_STOP };

struct item {
	enum item_kind kind;
	struct html_latlon *pts;  /* legs: n points; markers: one */
	size_t n;
	char *label, *colour, *title;
};

struct html_map {
	struct item *items;
	size_t n, cap;
};

struct proj {
	double lat0, lon0, kx, ky;  /* top-left corner and km per degree */
	double mm_per_km, x_off, y_off;
};

#define MARGIN_MM 9.0
#define KM_PER_DEG_LAT 110.574
#define KM_PER_DEG_LON 111.320

void html_polyline_add(struct html_polyline *pl, double lat, double lon)
{
	pl->pts = xgrow(pl->pts, sizeof(*pl->pts), pl->n + 1, &pl->cap);
	pl->pts[pl->n++] = (struct html_latlon){ lat, lon };
}

void html_polyline_reset(struct html_polyline *pl)
{
	pl->n = 0;
}

void html_polyline_release(struct html_polyline *pl)
{
	free(pl->pts);
	memset(pl, 0, sizeof(*pl));
}

struct html_map *html_map_new(void)
{
	return xcalloc(1, sizeof(struct html_map));
}

void html_map_free(struct html_map *m)
{
	size_t i;
	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->items[i].pts);
		free(m->items[i].label);
		free(m->items[i].colour);
		free(m->items[i].title);
	}
	free(m->items);
	free(m);
}

static struct item *add(struct html_map *m, enum item_kind kind, const struct html_latlon *pts,
			size_t n, const char *label, const char *colour, const char *title)
{
	struct item *it;
	m->items = xgrow(m->items, sizeof(*m->items), m->n + 1, &m->cap);
	it = &m->items[m->n++];
	it->kind = kind;
	it->n = n;
	it->pts = xcalloc(n ? n : 1, sizeof(*pts));
	if (n)
		memcpy(it->pts, pts, n * sizeof(*pts));
	it->label = xstrdup(label ? label : "");
	it->colour = xstrdup(colour ? colour : "#000");
	it->title = xstrdup(title ? title : "");
	return it;
}

void html_map_leg(struct html_map *m, const struct html_latlon *pts, size_t n, const char *colour)
{
	if (n >= 2)
		add(m, ITEM_LEG, pts, n, NULL, colour, NULL);
}

void html_map_road_leg(struct html_map *m, const struct html_latlon *pts, size_t n,
		       const char *colour)
{
	if (n >= 2)
		add(m, ITEM_ROAD_LEG, pts, n, NULL, colour, NULL);
}

void html_map_hub(struct html_map *m, struct html_latlon at, const char *title)
{
	add(m, ITEM_HUB, &at, 1, NULL, NULL, title);
}

void html_map_stop(struct html_map *m, struct html_latlon at, const char *label, const char *colour,
		   const char *title)
{
	add(m, ITEM_STOP, &at, 1, label, colour, title);
}

void html_route_colour(size_t i, char out[32])
{
	/* Tableau 10: distinct and legible in print, then hues a golden angle apart. */
	static const char *const palette[] = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
		"#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22" };
	size_t n = sizeof(palette) / sizeof(palette[0]);
	if (i < n)
		snprintf(out, 32, "%s", palette[i]);
	else
		snprintf(out, 32, "hsl(%d, 70%%, 38%%)", (int)fmod((double)(i - n) * 137.508 + 20.0, 360.0));
}

/* Fit every point of the map into width x height mm, margins kept, centred. */
static void fit(const struct html_map *m, double width, double height, struct proj *p)
{
	double min_lat = 90, max_lat = -90, min_lon = 180, max_lon = -180, w_km, h_km, s;
	size_t i, k;

	for (i = 0; i < m->n; i++)
		for (k = 0; k < m->items[i].n; k++) {
			const struct html_latlon *q = &m->items[i].pts[k];
			min_lat = fmin(min_lat, q->lat);
			max_lat = fmax(max_lat, q->lat);
			min_lon = fmin(min_lon, q->lon);
			max_lon = fmax(max_lon, q->lon);
		}
	if (min_lat > max_lat) {  /* nothing to draw */
		min_lat = max_lat = 0;
		min_lon = max_lon = 0;
	}
	p->ky = KM_PER_DEG_LAT;
	p->kx = KM_PER_DEG_LON * cos((min_lat + max_lat) / 2 * M_PI / 180.0);
	if (p->kx < 1e-6)
		p->kx = 1e-6;
	/* At least 2 km across, so that a single place is not a division by zero. */
	w_km = fmax((max_lon - min_lon) * p->kx, 2.0);
	h_km = fmax((max_lat - min_lat) * p->ky, 2.0);
	s = fmin((width - 2 * MARGIN_MM) / w_km, (height - 2 * MARGIN_MM) / h_km);
	p->mm_per_km = s;
	p->lat0 = max_lat;
	p->lon0 = min_lon;
	p->x_off = (width - (max_lon - min_lon) * p->kx * s) / 2;
	p->y_off = (height - (max_lat - min_lat) * p->ky * s) / 2;
}

static double px(const struct proj *p, const struct html_latlon *q)
{
	return p->x_off + (q->lon - p->lon0) * p->kx * p->mm_per_km;
}

static double py(const struct proj *p, const struct html_latlon *q)
{
	return p->y_off + (p->lat0 - q->lat) * p->ky * p->mm_per_km;
}

static void draw_leg(const struct proj *p, const struct item *it, struct strbuf *out)
{
	size_t k;
	strbuf_addstr(out, it->kind == ITEM_ROAD_LEG ? "<polyline class=\"leg road\"" : "<polyline class=\"leg\"");
	strbuf_addstr(out, " fill=\"none\" stroke-width=\"0.7\""
			   " stroke-linejoin=\"round\" stroke-linecap=\"round\" stroke=\"");
	html_escape(out, it->colour);
	/* A road leg also carries its degrees, so that a check can hold it to the network. */
	if (it->kind == ITEM_ROAD_LEG) {
		strbuf_addstr(out, "\" data-latlon=\"");
		for (k = 0; k < it->n; k++)
			strbuf_addf(out, "%s%.6f,%.6f", k ? " " : "", it->pts[k].lat, it->pts[k].lon);
	}
	strbuf_addstr(out, "\" points=\"");
	for (k = 0; k < it->n; k++)
		strbuf_addf(out, "%s%.2f,%.2f", k ? " " : "", px(p, &it->pts[k]), py(p, &it->pts[k]));
	strbuf_addstr(out, "\"/>\n");
}

static void draw_marker(const struct proj *p, const struct item *it, struct strbuf *out)
{
	double x = px(p, it->pts), y = py(p, it->pts);
	if (it->kind == ITEM_HUB) {
		strbuf_addf(out, "<g class=\"hub\"><title>");
		html_escape(out, it->title);
		strbuf_addf(out, "</title><rect x=\"%.2f\" y=\"%.2f\" width=\"5\" height=\"5\" fill=\"#000\"/>"
				 "<text x=\"%.2f\" y=\"%.2f\" font-size=\"3.4\" font-weight=\"bold\""
				 " fill=\"#fff\" text-anchor=\"middle\">H</text></g>\n",
			    x - 2.5, y - 2.5, x, y + 1.2);
		return;
	}
	strbuf_addstr(out, "<g class=\"stop\" data-label=\"");
	html_escape(out, it->label);
	strbuf_addstr(out, "\"><title>");
	html_escape(out, it->title);
	strbuf_addf(out, "</title><circle cx=\"%.2f\" cy=\"%.2f\" r=\"2.7\" fill=\"#fff\""
			 " stroke-width=\"0.6\" stroke=\"", x, y);
	html_escape(out, it->colour);
	strbuf_addf(out, "\"/><text x=\"%.2f\" y=\"%.2f\" font-size=\"%s\" font-weight=\"bold\""
			 " text-anchor=\"middle\">", x, y + 1.0, strlen(it->label) > 2 ? "2.2" : "2.9");
	html_escape(out, it->label);
	strbuf_addstr(out, "</text></g>\n");
}

/* A round length (1, 2 or 5 x 10^k km) no longer than a quarter of the width. */
static double scale_km(double width_km)
{
	double target = width_km / 4, base = pow(10, floor(log10(target)));
	if (5 * base <= target)
		return 5 * base;
	if (2 * base <= target)
		return 2 * base;
	return base;
}

static void draw_scale(const struct proj *p, double width, double height, struct strbuf *out)
{
	double km = scale_km((width - 2 * MARGIN_MM) / p->mm_per_km), len = km * p->mm_per_km;
	double x = 4, y = height - 4;
	strbuf_addf(out, "<g class=\"scale\"><rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"7\""
			 " fill=\"#fff\" fill-opacity=\"0.8\"/>"
			 "<path d=\"M%.2f %.2fv-1.5h%.2fv1.5\" fill=\"none\" stroke=\"#000\" stroke-width=\"0.4\"/>",
		    x - 1.5, y - 6, len + 3, x, y - 0.5, len);
	if (km >= 1)
		strbuf_addf(out, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"2.8\" text-anchor=\"middle\">%g km</text></g>\n",
			    x + len / 2, y - 2.6, km);
	else
		strbuf_addf(out, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"2.8\" text-anchor=\"middle\">%g m</text></g>\n",
			    x + len / 2, y - 2.6, km * 1000);
	strbuf_addf(out, "<g class=\"north\"><path d=\"M%.2f %.2fl2 5h-4z\" fill=\"#000\"/>"
			 "<text x=\"%.2f\" y=\"%.2f\" font-size=\"3\" text-anchor=\"middle\">N</text></g>\n",
		    width - 6, 3.0, width - 6, 11.5);
}

void html_map_render(const struct html_map *m, double width_mm, double height_mm,
		     struct strbuf *out)
{
	struct proj p;
	size_t i;
	int pass;

	fit(m, width_mm, height_mm, &p);
	strbuf_addf(out, "<svg class=\"map\" viewBox=\"0 0 %.1f %.1f\" width=\"%.1fmm\" height=\"%.1fmm\""
			 " role=\"img\" aria-label=\"route map\">\n", width_mm, height_mm, width_mm, height_mm);
	/* Legs under the markers, the hub under the stops: numbers stay readable. */
	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < m->n; i++) {
			const struct item *it = &m->items[i];
			if (pass == 0 && (it->kind == ITEM_LEG || it->kind == ITEM_ROAD_LEG))
				draw_leg(&p, it, out);
			else if ((pass == 1 && it->kind == ITEM_HUB) || (pass == 2 && it->kind == ITEM_STOP))
				draw_marker(&p, it, out);
		}
	draw_scale(&p, width_mm, height_mm, out);
	strbuf_addstr(out, "</svg>\n");
}
