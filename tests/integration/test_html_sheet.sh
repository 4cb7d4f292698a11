#!/bin/bash
# manifest show --format html and run show --format html without a browser
# (tests/slow/test_html_browser.sh renders them in Chromium): every page is
# self-contained (no script, no external src/href, no CSS fetch), hostile
# names from the CSVs are shown as text, every parcel has its card and its
# QR code holding its order_ref, the top QR holds "manifest_id sha256",
# the page count follows the layout rule; the run report has every route,
# the rejected and unassigned orders with reasons, the delivery states.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
CHECK="$ROOT/tests/html_check.py"
nl_setup

# Hostile names in every free-text field that reaches a page.
q "UPDATE hubs SET name = :'v1' WHERE code = 'H1';
   UPDATE points SET name = :'v2' WHERE code = 'P2';
   UPDATE points SET name = :'v3' WHERE code = 'P3';
   UPDATE couriers SET name = :'v4' WHERE code = 'C1';
   UPDATE orders SET seller = :'v5' WHERE order_ref = 'O-P2-1'" \
	'<script>alert("hub")</script>' \
	'"><img src=http://evil.example/x.png onerror=alert(1)>' \
	"上坪村 & 'Hill' <b>" \
	'<style>@import url(http://evil.example/x.css)</style>' \
	'</div><script src="https://evil.example/a.js"></script>茶'
# C3 (300 kg) cannot take what is left: some orders stay unassigned.
q "UPDATE couriers SET active = false WHERE code = 'C2'"

assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1
run=$(q "SELECT max(id) FROM runs")
ids=$(q "SELECT manifest_id FROM manifests WHERE run_id = :'v1' ORDER BY 1" "$run")
[ -n "$ids" ] || fail "the nightly run wrote no manifest"

for id in $ids; do
	assert_exit 0 "$VCOURIER" manifest show "$id" --format html
	printf '%s\n' "$T_OUT" >"$T_TMP/$id.html"
	"$VCOURIER" manifest show "$id" --format json >"$T_TMP/$id.json"
	sha=$(q "SELECT sha256 FROM manifests WHERE manifest_id = :'v1'" "$id")
	pages=$(python3 "$CHECK" sheet "$T_TMP/$id.html" "$T_TMP/$id.json" "$sha") || fail "$id: $pages"
	note "$id: $pages pages"
	# every order of the manifest, by the database, is on the sheet with its QR code
	for ref in $(q "SELECT order_ref FROM orders WHERE manifest_id = :'v1'" "$id"); do
		assert_contains "$T_OUT" "data-qr=\"$ref\""
		assert_contains "$T_OUT" "data-order-ref=\"$ref\""
	done
	assert_contains "$T_OUT" "data-qr=\"$id $sha\""
	assert_contains "$T_OUT" '@page { size: A4;'
	assert_contains "$T_OUT" 'break-after: page'
done

# The hostile strings are on the pages, as text.
all=$(cat "$T_TMP"/*.html)
assert_contains "$all" '&lt;script&gt;alert(&quot;hub&quot;)&lt;/script&gt;'
assert_contains "$all" '上坪村 &amp; &#39;Hill&#39; &lt;b&gt;'
grep -q '<img\|<script\|<style>@import\|src="https' <<<"$all" && fail "hostile markup reached a page"
sellers=$(q "SELECT count(*) FROM orders WHERE order_ref = 'O-P2-1' AND manifest_id IS NOT NULL")
if [ "$sellers" = 1 ]; then
	assert_contains "$all" '&lt;/div&gt;&lt;script src=&quot;https://evil.example/a.js&quot;&gt;&lt;/script&gt;茶'
fi

# The run report.
assert_exit 0 "$VCOURIER" run show "$run" --format html
printf '%s\n' "$T_OUT" >"$T_TMP/run.html"
"$VCOURIER" run show "$run" --json >"$T_TMP/run.json"
routes=$(python3 "$CHECK" run "$T_TMP/run.html" "$T_TMP/run.json") || fail "run report: $routes"
assert_eq "$routes" "$(wc -w <<<"$ids")" "routes in the report"
assert_contains "$T_OUT" "O-HEAVY"
assert_contains "$T_OUT" "O-CLOSED"
assert_contains "$T_OUT" "&lt;style&gt;@import url(http://evil.example/x.css)&lt;/style&gt;"
unassigned=$(nl_json "$T_TMP/run.json" summary unassigned | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$unassigned" -gt 0 ] || fail "the fleet was meant to be too small: no unassigned order to show"
assert_exit 0 "$VCOURIER" run show "$run" --format text
assert_contains "$T_OUT" "run $run (nightly)"

# A run that failed before writing anything: no summary, no manifest; the
# report still says what happened and shows the hub.
failed=$(q "INSERT INTO runs (kind, hub_id, service_date, status, finished_at, error)
            SELECT 'nightly', id, :'v1', 'failed', now(), :'v2' FROM hubs WHERE code = 'H1' RETURNING id" \
	"$NL_DATE" 'database lost <b>mid-run</b>')
assert_exit 0 "$VCOURIER" run show "$failed" --format html
printf '%s\n' "$T_OUT" >"$T_TMP/failed.html"
python3 "$CHECK" selfcontained "$T_TMP/failed.html" >/dev/null || fail "failed run report: $(python3 "$CHECK" selfcontained "$T_TMP/failed.html")"
assert_contains "$T_OUT" '<span class="status failed">failed</span>'
assert_contains "$T_OUT" 'database lost &lt;b&gt;mid-run&lt;/b&gt;'
assert_contains "$T_OUT" 'This run wrote no manifest.'
assert_contains "$T_OUT" 'No summary was recorded for this run.'
assert_contains "$T_OUT" '<g class="hub">'

# Errors: unknown manifest or run, unknown format.
assert_exit 66 "$VCOURIER" manifest show NOPE --format html
assert_exit 65 "$VCOURIER" run show 999999 --format html
assert_contains "$T_ERR" "run 999999 does not exist"
assert_exit 64 "$VCOURIER" run show "$run" --format pdf
