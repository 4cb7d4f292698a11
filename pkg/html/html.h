/*
 * html: what the two HTML pages (the pick-up sheet of `manifest show
 * --format html` and the operator's report of `run show --format html`)
 * share: escaping, the self-contained A4 page frame (inline CSS only, no
 * fetches), SVG route maps and QR codes drawn as SVG with libqrencode.
 * Pure code: no SQL, no JSON.
 */
#ifndef VC_HTML_H
#define VC_HTML_H

#include <stddef.h>

#include "util/error.h"
#include "util/strbuf.h"

/*
 * Append s escaped for HTML text and quoted attribute values (& < > " ').
 * C0 control characters other than tab and newline become U+FFFD: they
 * are parse errors in HTML and never meant.
 */
void html_escape(struct strbuf *out, const char *s);

/* One key/value line of a facts grid: <b>key</b> (trusted markup) then the printf value, escaped. */
void html_factf(struct strbuf *out, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The page frame: doctype, UTF-8, title, the shared CSS (A4 @page, print
 * rules, `.page` sections that each print as one sheet) and extra_css.
 */
void html_page_begin(struct strbuf *out, const char *title, const char *extra_css);
void html_page_end(struct strbuf *out);

/* The smallest QR module printed (mm): below this, phone cameras miss codes on paper. */
#define HTML_QR_MIN_MODULE_MM 0.5

/*
 * A QR code of text (libqrencode, error correction M, 8-bit mode) as an
 * inline SVG of size_mm (grown when a module would be smaller than
 * HTML_QR_MIN_MODULE_MM), the standard four-module quiet zone included:
 * one path of dark modules, shape-rendering crispEdges, and a data-qr
 * attribute holding text. EX_DATAERR when text cannot be encoded.
 */
int html_qr_svg(struct strbuf *out, const char *text, double size_mm, struct vc_error *err);

struct html_latlon {
	double lat, lon;
};

/* A growable list of points: one leg of a route as driven. */
struct html_polyline {
	struct html_latlon *pts;
	size_t n, cap;
};
void html_polyline_add(struct html_polyline *pl, double lat, double lon);
void html_polyline_reset(struct html_polyline *pl);
void html_polyline_release(struct html_polyline *pl);

/*
 * An SVG map of routes: legs (any polyline, so that road geometry can be
 * drawn where a road network gives it; straight legs are two-point
 * polylines), the hub, numbered stops, a scale bar and a north arrow.
 * Items are collected first and drawn by html_map_render, which fits the
 * projection (equirectangular at the map's mean latitude: exact enough
 * for a county) to all of them.
 */
struct html_map;
struct html_map *html_map_new(void);
void html_map_free(struct html_map *m);
void html_map_leg(struct html_map *m, const struct html_latlon *pts, size_t n, const char *colour);
/* A leg along the roads: class "leg road", its points also in data-latlon (degrees). */
void html_map_road_leg(struct html_map *m, const struct html_latlon *pts, size_t n,
		       const char *colour);
void html_map_hub(struct html_map *m, struct html_latlon at, const char *title);
/* A stop marker numbered `label` (short text), with a hover title. */
void html_map_stop(struct html_map *m, struct html_latlon at, const char *label, const char *colour,
		   const char *title);
void html_map_render(const struct html_map *m, double width_mm, double height_mm,
		     struct strbuf *out);

/* The colour of route i (distinct for the first ten, then spread by the golden angle). */
void html_route_colour(size_t i, char out[32]);

#endif
