/*
 * html page: the frame both pages share. Everything inline (no fonts,
 * scripts, images or styles fetched), so the file can be mailed, opened
 * offline or printed years later exactly as it was. Print rules: A4, each
 * `.page` section is one printed sheet (break after it), rows and figures
 * are never split across sheets.
 */
#include "html/html.h"

static const char base_css[] =
	"@page { size: A4; margin: 12mm; }\n"
	"* { box-sizing: border-box; }\n"
	/* Names are Chinese: the CJK faces a courier's or operator's machine has. */
	"body { margin: 0; background: #e8e8e8; color: #000; font-size: 10.5pt; line-height: 1.3;"
	" font-family: 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Zen Hei',"
	" 'Microsoft YaHei', 'PingFang SC', 'Droid Sans Fallback', sans-serif; }\n"
	".page { background: #fff; width: 210mm; margin: 6mm auto; padding: 12mm;"
	" box-shadow: 0 0 2mm #999; }\n"
	"h1 { font-size: 18pt; margin: 0 0 2mm; }\n"
	"h2 { font-size: 13pt; margin: 4mm 0 2mm; }\n"
	"table { border-collapse: collapse; width: 100%; }\n"
	"th, td { border-bottom: 0.2mm solid #999; padding: 0.8mm 1.5mm; text-align: left;"
	" vertical-align: top; }\n"
	"th { background: #eee; }\n"
	"td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }\n"
	"tr, figure, .card, .keep { break-inside: avoid; }\n"
	".mono { font-family: 'Noto Sans Mono', 'DejaVu Sans Mono', monospace; }\n"
	".muted { color: #555; }\n"
	"svg.map { display: block; border: 0.3mm solid #666; background: #fbfbf7; }\n"
	"svg.qr { display: block; }\n"
	"@media print {\n"
	"  body { background: none; }\n"
	"  .page { width: auto; margin: 0; padding: 0; box-shadow: none; break-after: page; }\n"
	"  .page:last-child { break-after: auto; }\n"
	"}\n";

void html_page_begin(struct strbuf *out, const char *title, const char *extra_css)
{
	strbuf_addstr(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
			   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			   "<title>");
	html_escape(out, title);
	strbuf_addstr(out, "</title>\n<style>\n");
	strbuf_addstr(out, base_css);
	if (extra_css)
		strbuf_addstr(out, extra_css);
	strbuf_addstr(out, "</style>\n</head>\n<body>\n");
}

void html_page_end(struct strbuf *out)
{
	strbuf_addstr(out, "</body>\n</html>\n");
}
