/*
 * html escape: every string that reaches a page (names, sellers, reasons:
 * all from CSV or the database) goes through html_escape, so a hostile
 * name is shown as text and never becomes markup.
 */
#include "html/html.h"

#include <stdarg.h>
#include <stdlib.h>

void html_escape(struct strbuf *out, const char *s)
{
	const unsigned char *p;
	for (p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		case '\'': strbuf_addstr(out, "&#39;"); break;
		default:
			if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f)
				strbuf_addstr(out, "\xef\xbf\xbd");
			else
				strbuf_addch(out, *p);
		}
	}
}


void html_factf(struct strbuf *out, const char *key, const char *fmt, ...)
{
	struct strbuf tmp = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&tmp, fmt, ap);
	va_end(ap);
	strbuf_addf(out, "<b>%s</b><span>", key);
	html_escape(out, tmp.buf);
	strbuf_addstr(out, "</span>\n");
	strbuf_release(&tmp);
}
