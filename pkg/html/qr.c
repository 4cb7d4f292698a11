/*
 * html qr: QR codes as inline SVG. libqrencode does the encoding (never by
 * hand); this file only draws its modules: one path of unit squares, each
 * row's dark runs merged, on a white square that includes the four-module
 * quiet zone the standard asks for, with crispEdges so that a printer or
 * screen never blurs module edges into grey.
 */
#include "html/html.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

#define QUIET 4

int html_qr_svg(struct strbuf *out, const char *text, double size_mm, struct vc_error *err)
{
	QRcode *qr;
	int x, y, w, total;

	errno = 0;
	qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!qr)
		return vc_fail(err, EX_DATAERR, "QR code for '%.60s': %s", text,
			       errno == ERANGE ? "too long" : strerror(errno ? errno : EINVAL));
	w = qr->width;
	total = w + 2 * QUIET;
	if (size_mm < total * HTML_QR_MIN_MODULE_MM)
		size_mm = total * HTML_QR_MIN_MODULE_MM;
	strbuf_addf(out, "<svg class=\"qr\" viewBox=\"0 0 %d %d\""
			 " width=\"%.2fmm\" height=\"%.2fmm\" shape-rendering=\"crispEdges\""
			 " role=\"img\" data-qr=\"", total, total, size_mm, size_mm);
	html_escape(out, text);
	strbuf_addstr(out, "\" aria-label=\"QR ");
	html_escape(out, text);
	strbuf_addf(out, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		    total, total);
	for (y = 0; y < w; y++) {
		for (x = 0; x < w;) {
			int run = 0;
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			if (run) {
				strbuf_addf(out, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
				x += run;
			} else {
				x++;
			}
		}
	}
	strbuf_addstr(out, "\"/></svg>");
	QRcode_free(qr);
	return 0;
}
