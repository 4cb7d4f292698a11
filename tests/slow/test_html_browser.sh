#!/bin/bash
# The HTML pages in a real browser (headless Chromium, Debian `chromium`):
# the sample county planned, then every pick-up sheet and the run report
# rendered, printed to PDF and screenshotted. Checked: no console error
# and no network request made by the page (Chromium's net log), every
# stop and parcel in the DOM Chromium built and in the PDF's text, the PDF
# is A4 with the page count of the layout rule (docs/sheets.md), every QR
# code on every printed page and in a full-page screenshot decodes
# (zbarimg) to its order_ref (and the top one to "manifest_id sha256"),
# the run report shows every route.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../integration/deliver_lib.sh"
CHECK="$ROOT/tests/html_check.py"
for tool in chromium pdfinfo pdftoppm pdftotext zbarimg; do
	command -v "$tool" >/dev/null || fail "$tool is not installed (make deps installs it)"
done

# chrome NAME FILE [chromium args]: one headless run, its stderr log in
# $T_TMP/NAME.log and its net log in $T_TMP/NAME.net.json. Every host
# resolves to nothing, so that a page fetching anything could not succeed
# even if the check below missed it.
chrome() {
	local name=$1 file=$2
	shift 2
	timeout 300 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--no-pdf-header-footer --hide-scrollbars --enable-logging=stderr --v=0 \
		--host-resolver-rules='MAP * ~NOTFOUND' --log-net-log="$T_TMP/$name.net.json" \
		--user-data-dir="$T_TMP/profile-$name" "$@" "file://$file" 2>"$T_TMP/$name.log" ||
		fail "chromium failed on $file: $(tail -n 5 "$T_TMP/$name.log")"
}

# page_problems NAME: console errors and requests of the page. Chromium's
# own service requests (Google hosts) are not the page's.
page_problems() {
	grep -E 'CONSOLE|Uncaught|Failed to load|Refused to|net::ERR_' "$T_TMP/$1.log"
	grep -o '"url":"[^"]*"' "$T_TMP/$1.net.json" 2>/dev/null | sort -u |
		grep -v -E '"url":"https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)[/:?"]'
	return 0
}

# decode PNG...: every QR code zbarimg finds, one per line.
decode() {
	local f rc
	for f in "$@"; do
		rc=0
		zbarimg -q --raw -Sdisable -Sqrcode.enable "$f" 2>/dev/null || rc=$?
		# 4: no symbol on that image (a page of the stops table only)
		[ "$rc" -eq 0 ] || [ "$rc" -eq 4 ] || fail "zbarimg $f exited $rc"
	done
}

# scan_pdf PDF WANT: the QR codes of every page, sorted. zbarimg misses
# the odd code of a page full of them at one resolution and finds it at
# another (seen with codes that are perfectly sharp), so pages are
# scanned at 150 dpi, then at 200 and 300 dpi while codes are missing;
# what any scan finds counts. Rasterised without anti-aliasing: printers
# do not blur module edges either.
scan_pdf() {
	local pdf=$1 want=$2 r got=""
	: >"$T_TMP/scan.txt"
	for r in 150 200 300; do
		pdftoppm -aa no -aaVector no -r "$r" -png "$pdf" "$T_TMP/scan-$r"
		decode "$T_TMP/scan-$r"-*.png >>"$T_TMP/scan.txt"
		rm -f "$T_TMP/scan-$r"-*.png
		got=$(sort -u "$T_TMP/scan.txt")
		[ "$got" = "$want" ] && break
		echo "# $pdf: $(comm -13 <(echo "$got") <(echo "$want") | wc -l) codes not found at $r dpi, scanning again" >&2
	done
	echo "$got"
}

# The detector itself finds a fetch and a script error (else its silence means nothing).
cat >"$T_TMP/bad.html" <<'EOF'
<!DOCTYPE html><html><body><img src="http://fetch.example/x.png"><script>nosuch()</script></body></html>
EOF
chrome bad "$T_TMP/bad.html" --dump-dom >/dev/null
bad=$(page_problems bad)
assert_contains "$bad" "Uncaught ReferenceError"
assert_contains "$bad" "fetch.example/x.png"

t_newdb
dl_endpoint ep
dl_config "plan_iterations = 20000" "plan_seed = 3"
cd "$ROOT"
for kind in hubs points couriers orders; do
	"$VCOURIER" import "$kind" "fixtures/county/$kind.csv" >/dev/null || fail "import $kind"
done
q "UPDATE couriers SET endpoint_url = replace(endpoint_url, '127.0.0.1:18080', '127.0.0.1:' || :'v1')" "$DL_PORT"
DATE=$(awk -F, 'NR == 2 { print $5 }' fixtures/county/orders.csv)
# A second, small hub whose whole sheet fits one screenshot: 15 + 5 parcels.
q "INSERT INTO hubs (code, name, lat, lon) VALUES ('XS', '小样镇仓库', 34.60, 115.70);
   INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min)
   SELECT v.c, v.n, h.id, v.la, v.lo, 480, 1020, 5 FROM hubs h,
     (VALUES ('XS1', '东村 & <西村>', 34.63, 115.72), ('XS2', '南庄', 34.58, 115.66)) AS v(c, n, la, lo)
   WHERE h.code = 'XS';
   INSERT INTO couriers (code, name, hub_id, capacity_kg, capacity_m3, shift_start_min, shift_end_min, endpoint_url)
   SELECT 'XK1', '王师傅', id, 500, 4, 420, 1080, 'http://127.0.0.1:' || :'v1' || '/couriers/XK1' FROM hubs WHERE code = 'XS';
   INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date, seller)
   SELECT 'XS-' || p.code || '-' || g, p.id, 2, 0.01, :'v2'::date, '卖家' || g FROM points p,
     generate_series(1, 15) g WHERE p.code = 'XS1' OR (p.code = 'XS2' AND g <= 5)" "$DL_PORT" "$DATE"

assert_exit 0 "$VCOURIER" nightly --date "$DATE"
ids=$(q "SELECT manifest_id FROM manifests ORDER BY 1")
[ "$(wc -w <<<"$ids")" -ge 3 ] || fail "expected several manifests, got: $ids"

for id in $ids; do
	html="$T_TMP/$id.html"
	"$VCOURIER" manifest show "$id" --format html >"$html" || fail "manifest show $id"
	"$VCOURIER" manifest show "$id" --format json >"$T_TMP/$id.json"
	sha=$(q "SELECT sha256 FROM manifests WHERE manifest_id = :'v1'" "$id")
	chrome "$id" "$html" --print-to-pdf="$T_TMP/$id.pdf" --dump-dom >"$T_TMP/$id.dom.html"
	problems=$(page_problems "$id")
	[ -z "$problems" ] || fail "$id: the page logged errors or made requests: $problems"
	# The DOM Chromium built: every stop, parcel, QR code, the page sections.
	pages=$(python3 "$CHECK" sheet "$T_TMP/$id.dom.html" "$T_TMP/$id.json" "$sha") || fail "$id DOM: $pages"
	# The PDF: A4, the expected number of pages, every order_ref printed.
	info=$(pdfinfo "$T_TMP/$id.pdf")
	assert_contains "$info" "(A4)" "$id: page size"
	assert_eq "$(sed -n 's/^Pages: *//p' <<<"$info")" "$pages" "$id: printed pages"
	text=$(pdftotext -enc UTF-8 "$T_TMP/$id.pdf" -)
	refs=$(q "SELECT order_ref FROM orders WHERE manifest_id = :'v1' ORDER BY 1" "$id")
	for ref in $refs; do
		assert_contains "$text" "$ref" "$id: order_ref printed"
	done
	# Every QR code of every printed page.
	want=$(printf '%s\n' $refs "$id $sha" | sort -u)
	got=$(scan_pdf "$T_TMP/$id.pdf" "$want")
	assert_eq "$got" "$want" "$id: QR codes decoded from the printed pages"
	note "$id: $pages A4 pages, $(wc -l <<<"$got") QR codes decode"
done

# A screenshot of the small hub's whole sheet: every QR code on screen decodes.
id=$(q "SELECT manifest_id FROM manifests m JOIN hubs h ON h.id = m.hub_id WHERE h.code = 'XS'")
pages=$(python3 "$CHECK" sheet "$T_TMP/$id.html" "$T_TMP/$id.json" "$(q "SELECT sha256 FROM manifests WHERE manifest_id = :'v1'" "$id")")
assert_eq "$pages" 4 "small hub sheet pages"
chrome shot "$T_TMP/$id.html" --window-size=900,$((pages * 1200 + 100)) --screenshot="$T_TMP/shot.png"
[ -z "$(page_problems shot)" ] || fail "screenshot: $(page_problems shot)"
got=$(decode "$T_TMP/shot.png" | sort)
want=$(printf '%s\n' $(q "SELECT order_ref FROM orders WHERE manifest_id = :'v1'" "$id") \
	"$id $(q "SELECT sha256 FROM manifests WHERE manifest_id = :'v1'" "$id")" | sort)
if [ "$got" != "$want" ]; then
	# as for the PDF: one more look, at twice the pixels, before judging
	note "screenshot: $(comm -13 <(echo "$got") <(echo "$want") | wc -l) codes not found, again at scale 2"
	chrome shot2 "$T_TMP/$id.html" --window-size=900,$((pages * 1200 + 100)) \
		--force-device-scale-factor=2 --screenshot="$T_TMP/shot2.png"
	got=$( (echo "$got"; decode "$T_TMP/shot2.png") | sort -u)
fi
assert_eq "$got" "$want" "QR codes decoded from the screenshot"
assert_eq "$(wc -l <<<"$got")" 21 "20 parcels and the top code"

# A long route (44 stops): the stops table goes on to a second page; the
# printed pages still follow the rule, every stop is printed.
body=$(python3 "$ROOT/tests/long_manifest.py" 44 LONG-1)
sha=$(printf '%s' "$body" | sha256sum | cut -d' ' -f1)
q "INSERT INTO manifests (manifest_id, run_id, hub_id, courier_id, service_date, version, body,
     sha256, stops, parcels, weight_kg, volume_m3, distance_km, duration_min)
   SELECT 'LONG-1', r.id, r.hub_id, c.id, '2026-12-31', 1, :'v1', :'v2', 44, 44, 66, 0.44, 80, 600
   FROM runs r, couriers c WHERE c.code = 'XK1' AND r.hub_id = c.hub_id ORDER BY r.id LIMIT 1" "$body" "$sha"
"$VCOURIER" manifest show LONG-1 --format html >"$T_TMP/long.html" || fail "manifest show LONG-1"
printf '%s' "$body" >"$T_TMP/long.json"
chrome long "$T_TMP/long.html" --print-to-pdf="$T_TMP/long.pdf" --dump-dom >"$T_TMP/long.dom.html"
[ -z "$(page_problems long)" ] || fail "long route: $(page_problems long)"
pages=$(python3 "$CHECK" sheet "$T_TMP/long.dom.html" "$T_TMP/long.json" "$sha") || fail "long route DOM: $pages"
assert_eq "$pages" 46 "long route: 1 + 1 stops-table page + 44 stop pages"
assert_eq "$(pdfinfo "$T_TMP/long.pdf" | sed -n 's/^Pages: *//p')" 46 "long route printed pages"
text=$(pdftotext -enc UTF-8 "$T_TMP/long.pdf" -)
for i in $(seq 1 44); do
	assert_contains "$text" "长路村${i}号点" "long route prints stop $i"
done

# The run report of the county: every route, in the DOM and in the PDF.
run=$(q "SELECT r.id FROM runs r JOIN hubs h ON h.id = r.hub_id WHERE h.code = 'CAO'")
"$VCOURIER" run show "$run" --format html >"$T_TMP/run.html" || fail "run show --format html"
"$VCOURIER" run show "$run" --json >"$T_TMP/run.json"
chrome run "$T_TMP/run.html" --print-to-pdf="$T_TMP/run.pdf" --dump-dom >"$T_TMP/run.dom.html"
[ -z "$(page_problems run)" ] || fail "run report: $(page_problems run)"
routes=$(python3 "$CHECK" run "$T_TMP/run.dom.html" "$T_TMP/run.json") || fail "run report DOM: $routes"
assert_eq "$routes" "$(q "SELECT count(*) FROM manifests WHERE run_id = :'v1'" "$run")" "routes in the report"
info=$(pdfinfo "$T_TMP/run.pdf")
assert_contains "$info" "(A4)" "run report page size"
text=$(pdftotext -enc UTF-8 "$T_TMP/run.pdf" -)
for id in $(q "SELECT manifest_id FROM manifests WHERE run_id = :'v1'" "$run"); do
	assert_contains "$text" "$id" "run report prints $id"
done
note "run report: $routes routes, $(sed -n 's/^Pages: *//p' <<<"$info") pages"
