#!/bin/bash
# bench/bench_roads.sh: road networks, run by bench/run.sh (which started
# PostgreSQL and exported VCOURIER and BUILD). Prints a markdown table:
#   - `vcourier roads load` of the largest extract in fixtures/osm (or
#     $OSM_DIR): wall time and peak RSS of vcourier and the tools it runs
#     (osmium, osm2pgrouting; GNU time, the largest process of the tree;
#     the PostgreSQL server's own memory is not counted);
#   - `vcourier roads matrix` for a hub of 400 points on a generated
#     network (gen_county + gen_roads), two profiles (van, tricycle):
#     wall time, and legs computed (400 points: 401 x 400 per profile).
# Measurements, not pass/fail. Environment: ROADS_BENCH_POINTS.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
: "${VCOURIER:=$ROOT/build/vcourier}" "${BUILD:=$ROOT/build}"
POINTS=${ROADS_BENCH_POINTS:-400}
OSM=${OSM_DIR:-$ROOT/fixtures/osm}
TMP=$(mktemp -d /tmp/roads-bench.XXXXXX)
DB="bench_roads_$$"
cleanup() {
	dropdb --if-exists "$DB" >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT
export PGDATABASE=$DB
createdb "$DB"
"$VCOURIER" db migrate >/dev/null

largest=$(ls -S "$OSM"/*.osm* | head -n 1)
/usr/bin/time -f '%e %M' -o "$TMP/load.time" "$VCOURIER" roads load "$largest" >"$TMP/load.out"
read -r load_s load_kb <"$TMP/load.time"
ways=$(awk '/^roads/ { print $2 }' "$TMP/load.out")

"$BUILD/tools/gen_county" --seed 11 --points "$POINTS" --orders 10 --couriers 3 --out "$TMP/county"
"$BUILD/tools/gen_roads" --county "$TMP/county" --seed 11 --out "$TMP/county/roads.osm"
for kind in hubs points couriers; do
	"$VCOURIER" import "$kind" "$TMP/county/$kind.csv" >/dev/null
done
"$VCOURIER" roads load "$TMP/county/roads.osm" >/dev/null
/usr/bin/time -f '%e %M' -o "$TMP/matrix.time" "$VCOURIER" roads matrix --hub CAO >"$TMP/matrix.out"
read -r matrix_s _ <"$TMP/matrix.time"
legs=$(sed -n 's/.*snapped, \([0-9]*\) legs computed/\1/p' "$TMP/matrix.out")

echo "| roads | |"
echo "|---|---|"
printf '| load %s (%s ways): wall, peak RSS of vcourier + osmium + osm2pgrouting | %s s, %s MiB |\n' \
	"$(basename "$largest")" "$ways" "$load_s" "$((load_kb / 1024))"
printf '| matrix, hub of %s points, van + tricycle (%s legs, metres and seconds, pgr_withPointsCost) | %s s |\n' \
	"$POINTS" "$legs" "$matrix_s"
