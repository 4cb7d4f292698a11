#!/bin/bash
# bench_import: `vcourier import orders` of 1,000,000 generated orders into
# a fresh database, beside the ceiling: a plain psql \copy of the same rows
# into the same table (fresh database, same hubs and points, point codes
# already turned into ids, no validation). Run by bench/run.sh, which
# starts PostgreSQL and exports VCOURIER, BUILD and PGHOST.
# BENCH_IMPORT_ORDERS overrides the row count.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${VCOURIER:=$ROOT/build/vcourier}" "${BUILD:=$ROOT/build}"
N=${BENCH_IMPORT_ORDERS:-1000000}
TMP=$(mktemp -d /tmp/vcourier-bench.XXXXXX)
DBS=()
cleanup() {
	local d
	for d in "${DBS[@]}"; do dropdb --if-exists -f "$d" >/dev/null 2>&1 || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT

now() { date +%s.%N; }
# fresh_db NAME: a migrated database holding the county's hub and points.
fresh_db() {
	local db="bench_import_$$_$1"
	createdb "$db"
	DBS+=("$db")
	PGDATABASE=$db "$VCOURIER" db migrate >/dev/null
	PGDATABASE=$db "$VCOURIER" import hubs "$TMP/county/hubs.csv" >/dev/null
	PGDATABASE=$db "$VCOURIER" import points "$TMP/county/points.csv" >/dev/null
}

"$BUILD/tools/gen_county" --seed 42 --points 300 --orders "$N" --couriers 40 \
	--vehicle-kg 5000 --vehicle-m3 30 --date 2026-11-24 --out "$TMP/county"

fresh_db vcourier
db=bench_import_$$_vcourier
t0=$(now)
PGDATABASE=$db "$VCOURIER" import orders "$TMP/county/orders.csv" >/dev/null
t1=$(now)
PGDATABASE=$db "$VCOURIER" import orders "$TMP/county/orders.csv" >/dev/null
t2=$(now)
loaded=$(PGDATABASE=$db psql -XAtc "SELECT count(*) FROM orders")

fresh_db ceiling
db=bench_import_$$_ceiling
# The ceiling gets its point ids resolved beforehand (not timed).
PGDATABASE=$db psql -XAt -F, -c "SELECT code, id FROM points" >"$TMP/ids.csv"
awk -F, -v OFS=, 'NR == FNR { id[$1] = $2; next } FNR > 1 { $2 = id[$2]; print }' \
	"$TMP/ids.csv" "$TMP/county/orders.csv" >"$TMP/ceiling.csv"
t3=$(now)
PGDATABASE=$db psql -Xq -v ON_ERROR_STOP=1 -c "\\copy orders (order_ref, point_id, weight_kg, volume_m3, ready_date, seller) FROM '$TMP/ceiling.csv' WITH (FORMAT csv)"
t4=$(now)
ceil_rows=$(PGDATABASE=$db psql -XAtc "SELECT count(*) FROM orders")

awk -v n="$N" -v loaded="$loaded" -v ceil_rows="$ceil_rows" \
	-v imp="$(echo "$t1 - $t0" | awk '{ print $1 - $3 }')" \
	-v again="$(echo "$t2 - $t1" | awk '{ print $1 - $3 }')" \
	-v ceil="$(echo "$t4 - $t3" | awk '{ print $1 - $3 }')" 'BEGIN {
	print "## import: " n " generated orders (300 points), fresh database"
	print ""
	print "| method | rows | seconds | rows/s | % of ceiling |"
	print "|---|---:|---:|---:|---:|"
	cr = ceil_rows / ceil
	printf "| vcourier import orders: new orders (checks, COPY into orders) | %d | %.2f | %.0f | %.0f%% |\n", loaded, imp, n / imp, 100 * (n / imp) / cr
	printf "| same file again: all exist (staging table, upsert, nothing changes) | %d | %.2f | %.0f | %.0f%% |\n", n, again, n / again, 100 * (n / again) / cr
	printf "| ceiling: psql \\copy, ids resolved, no checks | %d | %.2f | %.0f | 100%% |\n", ceil_rows, ceil, cr
}'
