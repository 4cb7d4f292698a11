#!/usr/bin/env python3
"""tests/html_check.py: checks of the HTML pages, shared by the fast test
(tests/integration/test_html_sheet.sh, on the file vcourier wrote) and the
browser test (tests/slow/test_html_browser.sh, on the DOM Chromium built).
Written from SPEC section 11 and docs/sheets.md, sharing no code with the
renderer.

  html_check.py sheet PAGE.html MANIFEST.json SHA256   -> prints the expected printed pages
  html_check.py run PAGE.html RUN.json                 -> prints the number of routes
  html_check.py selfcontained PAGE.html

Exit 1 with one line per problem.
"""
import html.parser
import json
import math
import re
import sys

# The layout rule of docs/sheets.md.
FIRST_STOPS, MORE_STOPS, CARDS = 12, 32, 14


def pickups(doc):
    """The pickup stops: a multi-trip route's returns to the hub ("kind":
    "unload") are rows of the stops table only, with no page or marker."""
    return [s for s in doc["stops"] if s.get("kind") != "unload"]


def expected_pages(doc):
    stops = doc["stops"]
    pages = 1 + math.ceil(max(0, len(stops) - FIRST_STOPS) / MORE_STOPS)
    for s in pickups(doc):
        pages += max(1, math.ceil(len(s["parcels"]) / CARDS))
    return pages


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []          # (tag, attrs dict)
        self.text = []
        self.style = []         # the text of <style> elements
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        (self.style if self.in_style else self.text).append(data)

    def classes(self, tag, cls):
        return [a for t, a in self.tags if t == tag and cls in (a.get("class") or "").split()]


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    p.close()
    p.alltext = re.sub(r"\s+", " ", "".join(p.text))
    return p


def self_contained(path, problems):
    """No fetch of any kind: no script, no external src/href, no CSS url()/@import."""
    raw = open(path, encoding="utf-8").read()
    p = parse(path)
    for tag, attrs in p.tags:
        if tag in ("script", "link", "iframe", "object", "embed", "img", "video", "audio", "base"):
            problems.append(f"{path}: <{tag}> element")
        for k, v in attrs.items():
            if k in ("src", "href", "srcset", "xlink:href", "action", "poster", "data") and v is not None:
                problems.append(f"{path}: <{tag} {k}={v!r}>")
            if k.startswith("on"):
                problems.append(f"{path}: event handler attribute <{tag} {k}>")
    css = "".join(p.style)
    for pat in (r"url\s*\(", r"@import", r"//"):
        if re.search(pat, css, re.I):
            problems.append(f"{path}: {pat} in the page's CSS")
    if len([t for t, a in p.tags if t == "style"]) != 1:
        problems.append(f"{path}: not exactly one <style> element")
    if re.search(r"<script", raw, re.I):
        problems.append(f"{path}: raw <script in the page")
    return p


def check_sheet(path, doc, sha, problems):
    p = self_contained(path, problems)
    refs = [parcel["order_ref"] for s in pickups(doc) for parcel in s["parcels"]]
    qrs = [a.get("data-qr") for a in p.classes("svg", "qr")]
    top = f'{doc["manifest_id"]} {sha}'
    if sorted(qrs) != sorted(refs + [top]):
        problems.append(f"{path}: QR codes {sorted(qrs)[:5]}... differ from order_refs + top ({len(refs)} + 1)")
    for a in p.classes("svg", "qr"):
        if a.get("shape-rendering") != "crispEdges":
            problems.append(f"{path}: QR without crispEdges")
        mm = float(a["width"].rstrip("m"))
        modules = int(a["viewbox"].split()[2])
        if mm / modules < 0.5 - 1e-9:
            problems.append(f"{path}: QR module {mm / modules:.2f} mm < 0.5 mm")
    cards = [a.get("data-order-ref") for a in p.classes("div", "parcel")]
    if cards != refs:
        problems.append(f"{path}: parcel cards {cards[:5]}... are not the manifest's parcels in order")
    rows = p.classes("tr", "stoprow")
    if len(rows) != len(pickups(doc)):
        problems.append(f"{path}: {len(rows)} stop rows, manifest has {len(pickups(doc))} pickup stops")
    trips = p.classes("tr", "trip")
    if len(trips) != len(doc["stops"]) - len(pickups(doc)):
        problems.append(f"{path}: {len(trips)} trip rows for {len(doc['stops']) - len(pickups(doc))} unload stops")
    marks = [a.get("data-label") for a in p.classes("g", "stop")]
    if marks != [str(s["seq"]) for s in pickups(doc)]:
        problems.append(f"{path}: map stop markers {marks} are not the pickup stops' numbers")
    if len(p.classes("g", "hub")) != 1 or len(p.classes("g", "scale")) != 1:
        problems.append(f"{path}: map without exactly one hub and one scale bar")
    for s in pickups(doc):
        if s["point"]["name"] not in p.alltext:
            problems.append(f"{path}: stop name {s['point']['name']!r} not shown")
        for parcel in s["parcels"]:
            if parcel["seller"] and parcel["seller"] not in p.alltext:
                problems.append(f"{path}: seller {parcel['seller']!r} not shown")
    pages = len([a for t, a in p.tags if t == "section" and "page" in (a.get("class") or "").split()])
    if pages != expected_pages(doc):
        problems.append(f"{path}: {pages} page sections, the layout rule gives {expected_pages(doc)}")
    return expected_pages(doc)


def check_run(path, run, problems):
    p = self_contained(path, problems)
    routes = [a.get("data-manifest") for a in p.classes("tr", "route")]
    want = [m["manifest_id"] for m in run["manifests"]]
    if routes != want:
        problems.append(f"{path}: route rows {routes} != manifests {want}")
    stops = sum(m["stops"] for m in run["manifests"])
    if len(p.classes("g", "stop")) != stops:
        problems.append(f"{path}: {len(p.classes('g', 'stop'))} stop markers, the run's routes have {stops}")
    colours = {a.get("stroke") for a in p.classes("polyline", "leg")}
    if len(colours) != len([m for m in run["manifests"] if m["stops"]]):
        problems.append(f"{path}: {len(colours)} leg colours for {len(want)} routes")
    summary = run.get("summary") or {}
    for key in ("rejected", "unassigned"):
        for o in summary.get(key, []):
            if o["order_ref"] not in p.alltext or o["reason"] not in p.alltext:
                problems.append(f"{path}: {key} {o['order_ref']} ({o['reason']}) not shown")
    for m in run["manifests"]:
        if m["delivery"] not in p.alltext:
            problems.append(f"{path}: delivery state of {m['manifest_id']} not shown")
    return len(want)


def main():
    problems = []
    kind = sys.argv[1]
    if kind == "sheet":
        with open(sys.argv[3], encoding="utf-8") as f:
            result = check_sheet(sys.argv[2], json.load(f), sys.argv[4], problems)
    elif kind == "run":
        with open(sys.argv[3], encoding="utf-8") as f:
            result = check_run(sys.argv[2], json.load(f), problems)
    else:
        self_contained(sys.argv[2], problems)
        result = "ok"
    for line in problems[:40]:
        print(line)
    if problems:
        sys.exit(1)
    print(result)


if __name__ == "__main__":
    main()
