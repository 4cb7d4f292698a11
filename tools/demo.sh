#!/bin/sh
# tools/demo.sh BUILD: what `make demo` runs after installing and building.
# A private PostgreSQL (tests/pg.sh), the schema, the sample county
# (fixtures/county) and its road network (roads.osm), the local courier endpoint (tests/courier_endpoint.py
# on 127.0.0.1:18080, the fixtures' endpoint_url), one nightly run for the
# fixtures' date, then every manifest printed as a pick-up sheet; it ends by
# writing the HTML pick-up sheets and the run report to $BUILD/demo-html
# (or $DEMO_HTML) and saying how to open them. Everything it started is
# stopped and removed on exit; nothing outside /tmp and that folder is touched.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 70
BUILD=${1:-build}
VC="$ROOT/$BUILD/vcourier"
PORT=18080
[ -x "$VC" ] || { echo "demo: $VC is not built (run make)" >&2; exit 66; }
. tests/pg.sh
DEMO_TMP=$(mktemp -d /tmp/vcourier-demo.XXXXXX)
ENDPOINT_PID=
cleanup() {
	[ -n "$ENDPOINT_PID" ] && kill "$ENDPOINT_PID" 2>/dev/null && wait "$ENDPOINT_PID" 2>/dev/null
	pg_stop
	rm -rf "$DEMO_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

step() { printf '\n==> %s\n' "$*"; }

step "starting a private PostgreSQL"
pg_start || exit 69
createdb vcourier_demo && export PGDATABASE=vcourier_demo
# No config file of the host's: the demo's own, readable by its owner only.
export VCOURIER_CONFIG="$DEMO_TMP/vcourier.conf"
printf 'plan_time_limit_s = 2\ndeliver_budget_s = 20\n' >"$VCOURIER_CONFIG"
chmod 600 "$VCOURIER_CONFIG"
"$VC" db migrate || exit $?

step "importing the sample county (fixtures/county)"
for kind in hubs points couriers orders; do
	"$VC" import "$kind" "fixtures/county/$kind.csv" || exit $?
done
DATE=$(awk -F, 'NR == 2 { print $5 }' fixtures/county/orders.csv)

step "fresh produce: K001 becomes a cold van, three navel orange orders need cold (skills)"
# The optional skills columns (docs/import.md "Skills"): the planner puts
# the oranges on the cold van only; their stops show [cold] on the sheets.
{
	echo "$(head -1 fixtures/county/couriers.csv),skills"
	echo "$(grep '^K001,' fixtures/county/couriers.csv),cold"
} >"$DEMO_TMP/cold-van.csv"
"$VC" import couriers "$DEMO_TMP/cold-van.csv" || exit $?
{
	echo "order_ref,point_code,weight_kg,volume_m3,ready_date,seller,skills"
	for i in 1 2 3; do echo "ORANGE-$i,CX000$((i + 4)),12.5,0.05,$DATE,赣南脐橙 $i,cold"; done
} >"$DEMO_TMP/oranges.csv"
"$VC" import orders "$DEMO_TMP/oranges.csv" || exit $?

step "loading the county's road network (fixtures/county/roads.osm)"
"$VC" roads load fixtures/county/roads.osm || exit $?
"$VC" roads matrix || exit $?
echo "road against straight-line distance from the hub (van), the farthest detours first:"
psql -XAq -v ON_ERROR_STOP=1 -F ' ' <<'SQL' || exit 69
SELECT rpad(l.to_code, 8) || lpad(round((l.metres / 1000)::numeric, 1)::text, 6) || ' km road '
       || lpad(round((s.m / 1000)::numeric, 1)::text, 6) || ' km straight'
FROM road_legs l JOIN hubs h ON h.code = l.from_code JOIN points p ON p.code = l.to_code,
LATERAL (SELECT 2 * 6371008.8 * asin(sqrt(sin(radians(p.lat - h.lat) / 2) ^ 2 + cos(radians(h.lat))
         * cos(radians(p.lat)) * sin(radians(p.lon - h.lon) / 2) ^ 2)) AS m) s
WHERE l.profile = 'van' ORDER BY l.metres / s.m DESC LIMIT 8;
SQL

# start_endpoint PORT: the endpoint in the background; 0 once it listens.
start_endpoint() {
	python3 tests/courier_endpoint.py --port "$1" --store "$DEMO_TMP/endpoint" \
		>"$DEMO_TMP/endpoint.out" 2>"$DEMO_TMP/endpoint.err" &
	ENDPOINT_PID=$!
	i=0
	until grep -q '^port ' "$DEMO_TMP/endpoint.out" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -gt 100 ] || ! kill -0 "$ENDPOINT_PID" 2>/dev/null; then
			wait "$ENDPOINT_PID" 2>/dev/null
			ENDPOINT_PID=
			return 1
		fi
		sleep 0.1
	done
	PORT=$(sed -n 's/^port //p' "$DEMO_TMP/endpoint.out")
}

step "starting the local courier endpoint on 127.0.0.1:$PORT"
if ! start_endpoint "$PORT"; then
	# Port taken (another demo on this machine?): any free port, and the
	# demo's couriers (in its private database) point there instead.
	start_endpoint 0 || {
		echo "demo: the endpoint did not start: $(cat "$DEMO_TMP/endpoint.err")" >&2
		exit 69
	}
	echo "(127.0.0.1:18080 is in use; the endpoint listens on 127.0.0.1:$PORT)"
	echo "UPDATE couriers SET endpoint_url = replace(endpoint_url, '127.0.0.1:18080', '127.0.0.1:' || :'port')" |
		psql -XAtq -v ON_ERROR_STOP=1 -v port="$PORT" >/dev/null || exit 69
fi

step "vcourier nightly --date $DATE"
rc=0
"$VC" nightly --date "$DATE" || rc=$?

step "vcourier runs"
"$VC" runs

for id in $(psql -XAtq -c "SELECT manifest_id FROM manifests ORDER BY manifest_id"); do
	step "vcourier manifest show $id"
	"$VC" manifest show "$id" || rc=$?
done

HTML_DIR=${DEMO_HTML:-$ROOT/$BUILD/demo-html}
step "writing the HTML pick-up sheets and run reports to $HTML_DIR"
rm -rf "$HTML_DIR" && mkdir -p "$HTML_DIR" || exit 73
{
	echo '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>vcourier demo</title></head><body>'
	echo "<h1>vcourier demo, $DATE</h1><ul>"
} >"$HTML_DIR/index.html"
for run in $(psql -XAtq -c "SELECT id FROM runs WHERE kind = 'nightly' ORDER BY id"); do
	"$VC" run show "$run" --format html >"$HTML_DIR/run-$run.html" || rc=$?
	echo "<li><a href=\"run-$run.html\">run $run: the operator's report</a></li>" >>"$HTML_DIR/index.html"
done
for id in $(psql -XAtq -c "SELECT manifest_id FROM manifests ORDER BY manifest_id"); do
	"$VC" manifest show "$id" --format html >"$HTML_DIR/$id.html" || rc=$?
	echo "<li><a href=\"$id.html\">$id: pick-up sheet</a></li>" >>"$HTML_DIR/index.html"
done
echo '</ul></body></html>' >>"$HTML_DIR/index.html"
ls "$HTML_DIR"
cat <<EOF

The pages are self-contained HTML (nothing is fetched): open
    file://$HTML_DIR/index.html
in any browser (chromium $HTML_DIR/index.html, or xdg-open), and print a
sheet on A4 with the browser's Print; without a display:
    chromium --headless --no-sandbox --no-pdf-header-footer --print-to-pdf=sheet.pdf $HTML_DIR/MANIFEST.html
EOF

step "the endpoint received $(wc -l <"$DEMO_TMP/endpoint/requests.jsonl" 2>/dev/null || echo 0) requests; stopping everything"
exit "$rc"
