#!/bin/bash
# bench/bench_province.sh: a province night (issue 10), run by bench/run.sh
# (which started PostgreSQL and exported VCOURIER and BUILD).
# PROVINCE_BENCH_HUBS hubs (default 50) of PROVINCE_BENCH_ORDERS orders
# each (default 6,000: 300,000 in all), each hub a generated county under
# its own code prefix, imported once into a template database; then, each
# on a fresh copy: `vcourier nightly --jobs 1`, `--jobs 2`, and two
# `vcourier nightly --jobs 1` started together. Prints a markdown table:
# wall time, speed-up over --jobs 1, peak RSS per worker, runs per hub (1
# everywhere: each hub planned once). PROVINCE_BENCH_ITERATIONS (default
# 5,000) search iterations per hub with plan_threads = 1, or with
# PROVINCE_BENCH_DEFAULTS=1 the nightly defaults (no plan_iterations, no
# plan_threads: what the issue's --jobs 2 against --jobs 1 target is
# judged on). Measurements, not pass/fail; on a shared machine they are
# noisy.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. bench/lib.sh
: "${VCOURIER:=$ROOT/build/vcourier}" "${BUILD:=$ROOT/build}"
HUBS=${PROVINCE_BENCH_HUBS:-50}
ORDERS=${PROVINCE_BENCH_ORDERS:-6000}
DATE=2026-12-01
TMP=$(mktemp -d /tmp/province-bench.XXXXXX)
TPL="bench_province_tpl_$$"
DBS=("$TPL")
ENDPOINT_PID=
trap bench_cleanup EXIT

# The endpoint first: the couriers are generated pointing at it.
bench_endpoint "$TMP"

province_csvs "$TMP" "$HUBS" "$ORDERS" "$PORT" "$DATE"
province_db "$TPL" "$TMP"
province_config "$TMP/bench.conf" "${PROVINCE_BENCH_ITERATIONS:-5000}"

# fresh NAME: a copy of the template as $PGDATABASE.
fresh() {
	createdb -T "$TPL" "$1"
	DBS+=("$1")
	bench_endpoint_forget
	export PGDATABASE="$1"
}
# night NAME ARGS...: one timed `vcourier -v nightly`, GNU time in NAME.time.
night() {
	local name=$1 rc=0
	shift
	/usr/bin/time -v -o "$TMP/$name.time" "$VCOURIER" -v nightly --date "$DATE" --json "$@" \
		>"$TMP/$name.json" 2>"$TMP/$name.log" || rc=$?
	echo "$rc" >"$TMP/$name.rc"
}
runs_per_hub() {
	psql -XAtq -c "SELECT coalesce(min(n), 0) || '..' || coalesce(max(n), 0) FROM
	  (SELECT h.id, count(r.id) n FROM hubs h LEFT JOIN runs r ON r.hub_id = h.id
	   AND r.kind = 'nightly' GROUP BY h.id) x"
}

fresh "bench_province_j1_$$"
night j1 --jobs 1
echo "$(runs_per_hub)" >"$TMP/j1.runs"
fresh "bench_province_j2_$$"
night j2 --jobs 2
echo "$(runs_per_hub)" >"$TMP/j2.runs"
fresh "bench_province_two_$$"
start=$(date +%s.%N)
night wa --jobs 1 &
a=$!
night wb --jobs 1 &
b=$!
wait "$a" "$b"
awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }' >"$TMP/two.wall"
echo "$(runs_per_hub)" >"$TMP/two.runs"

python3 - "$TMP" "$HUBS" "$ORDERS" "$(province_settings)" <<'PY'
import json, re, sys
tmp, hubs, orders, settings = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def wall(name):
    t = re.search(r"Elapsed \(wall clock\) time.*: (.*)", open("%s/%s.time" % (tmp, name)).read()).group(1)
    parts = [float(p) for p in t.split(":")]
    s = 0.0
    for p in parts:
        s = s * 60 + p
    return s
def rss_mib(name):
    """Peak RSS per worker: forked workers log worker_end maxrss_kb; else the process's own."""
    log = open("%s/%s.log" % (tmp, name)).read()
    kb = [int(k) for k in re.findall(r"worker_end .*maxrss_kb=(\d+)", log)]
    if not kb:
        kb = [int(re.search(r"Maximum resident set size \(kbytes\): (\d+)",
                            open("%s/%s.time" % (tmp, name)).read()).group(1))]
    return "/".join("%.0f" % (k / 1024) for k in kb)
def planned(name):
    return sum(1 for l in open("%s/%s.json" % (tmp, name)) if l.strip())
def rc(name):
    return open("%s/%s.rc" % (tmp, name)).read().strip()
runs = {n: open("%s/%s.runs" % (tmp, n)).read().strip() for n in ("j1", "j2", "two")}
j1, j2 = wall("j1"), wall("j2")
two = float(open(tmp + "/two.wall").read())
print("### province night (%d hubs x %d orders = %d orders; local endpoint; %s)" % (hubs, orders, hubs * orders, settings))
print()
print("| run | wall s | speed-up | peak RSS MiB per worker | hubs planned | runs per hub (min..max) | exit |")
print("|---|---|---|---|---|---|---|")
print("| --jobs 1 | %.1f | 1.00 | %s | %d | %s | %s |" % (j1, rss_mib("j1"), planned("j1"), runs["j1"], rc("j1")))
print("| --jobs 2 | %.1f | %.2f | %s | %d | %s | %s |" % (j2, j1 / j2, rss_mib("j2"), planned("j2"), runs["j2"], rc("j2")))
print("| two workers (--jobs 1 each, together) | %.1f | %.2f | %s + %s | %d + %d | %s | %s, %s |" % (
    two, j1 / two, rss_mib("wa"), rss_mib("wb"), planned("wa"), planned("wb"), runs["two"], rc("wa"), rc("wb")))
PY
