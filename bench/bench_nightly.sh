#!/bin/bash
# bench/bench_nightly.sh: the nightly job on a generated county, run by
# bench/run.sh (which started PostgreSQL and exported VCOURIER and BUILD).
# 100,000 orders (about 190 t: median parcel 1.35 kg, 93 % of the fleet) over 300 points, 40 couriers in trucks of 5 t / 30 m3,
# imported, then `vcourier nightly` against the local courier endpoint
# (tests/courier_endpoint.py). Prints a markdown table: time per stage
# (from the summary's timings_ms, the same numbers as the `stage` log
# events), wall time and peak RSS (GNU time). Measurements, not pass/fail.
# Environment: NIGHTLY_BENCH_ORDERS, NIGHTLY_BENCH_POINTS, NIGHTLY_BENCH_COURIERS,
# NIGHTLY_BENCH_MEDIAN_KG (the county peak of issue 12: 300000, 1000, 60, 0.5),
# NIGHTLY_BENCH_SEED (gen_county's seed: another county; default 1),
# NIGHTLY_BENCH_DUMP (a folder: the hub's route problem is written there,
# `nightly --dump-problem`, to plan it again with `vcourier route --problem`).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. bench/lib.sh
: "${VCOURIER:=$ROOT/build/vcourier}" "${BUILD:=$ROOT/build}"
ORDERS=${NIGHTLY_BENCH_ORDERS:-100000}
POINTS=${NIGHTLY_BENCH_POINTS:-300}
COURIERS=${NIGHTLY_BENCH_COURIERS:-40}
MEDIAN_KG=${NIGHTLY_BENCH_MEDIAN_KG:-1.35}
SEED=${NIGHTLY_BENCH_SEED:-1}
DATE=2026-12-01
TMP=$(mktemp -d /tmp/nightly-bench.XXXXXX)
DB="bench_nightly_$$"
ENDPOINT_PID=
cleanup() {
	if [ -n "$ENDPOINT_PID" ]; then
		kill "$ENDPOINT_PID" 2>/dev/null || true
		wait "$ENDPOINT_PID" 2>/dev/null || true
	fi
	dropdb --if-exists "$DB" >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT

"$BUILD/tools/gen_county" --out "$TMP/county" --seed "$SEED" --points "$POINTS" --orders "$ORDERS" \
	--couriers "$COURIERS" --date "$DATE" --vehicle-kg 5000 --vehicle-m3 30 --median-kg "$MEDIAN_KG"
createdb "$DB"
export PGDATABASE="$DB"
"$VCOURIER" db migrate >/dev/null
t0=$(date +%s.%N)
for kind in hubs points couriers orders; do
	"$VCOURIER" import "$kind" "$TMP/county/$kind.csv" >/dev/null
done
import_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" "BEGIN { print b - a }")

# The endpoint on a free port; the generated couriers point at it.
bench_endpoint "$TMP"
echo "UPDATE couriers SET endpoint_url = regexp_replace(endpoint_url, '127.0.0.1:[0-9]+', '127.0.0.1:' || :'port')" |
	psql -XAtq -v ON_ERROR_STOP=1 -v port="$PORT" >/dev/null

rc=0
dump=()
[ -n "${NIGHTLY_BENCH_DUMP:-}" ] && dump=(--dump-problem "$NIGHTLY_BENCH_DUMP")
/usr/bin/time -v -o "$TMP/time" "$VCOURIER" -v nightly --date "$DATE" --json "${dump[@]}" \
	>"$TMP/summary.json" 2>"$TMP/log" || rc=$?
tons=$(psql -XAtq -c "SELECT round(sum(weight_kg) / 1000, 1) FROM orders")
python3 - "$TMP/summary.json" "$TMP/time" "$rc" "$import_s" "$ORDERS" "$POINTS" "$COURIERS" "$tons" "$SEED" "$TMP/log" <<'PY'
import json, re, sys
summary, timefile, rc, import_s, orders, points, couriers, tons, seed, log = sys.argv[1:]
# the plan's distance: the `plan` log events (one a hub)
km = sum(int(d) for d in re.findall(r" plan hub=.* distance_m=(\d+)", open(log).read())) / 1000
s = json.loads(open(summary).readline())
t = open(timefile).read()
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
wall = re.search(r"Elapsed \(wall clock\) time.*: (.*)", t).group(1)
ms = s["timings_ms"]
print("### nightly job (%s orders, %s t, %s points, %s couriers of 5 t / 30 m3; county seed %s; local endpoint)" % (
    orders, tons, points, couriers, seed))
print()
print("| import s | claim ms | plan ms | write ms | deliver ms | wall | peak RSS MiB | plan km | routed | unassigned | manifests | delivered | exit |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
print("| %.1f | %d | %d | %d | %d | %s | %.0f | %.1f | %d | %d | %d | %d | %s |" % (
    float(import_s), ms["claim"], ms["plan"], ms["write"], ms["deliver"], wall, rss_kb / 1024, km,
    s["orders_routed"], len(s["unassigned"]), len(s["manifests"]), s["delivery"]["delivered"], rc))
PY
