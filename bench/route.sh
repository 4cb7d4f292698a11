#!/bin/sh
# bench/route.sh BUILD: `make bench-route`. Runs `vcourier route` over the
# CVRPLIB instances, checks every solution with bench/check_cvrp.py (an
# independent checker), and prints a markdown table: instance, n, BKS,
# cost, gap %, seconds, plus the mean gap per band. Then the county row.
#
# Bands (defaults): A set at 5 s with the fleet capped at the k of the
# name; X n <= 400 at 1 s and at 30 s; X 400 < n <= 1000 at 60 s; the
# VRPLIB VRPTW and HFVRP instances (vcourier route --vrplib, checked by
# tests/check_vrplib.py) at 10 s.
# Environment:
#   CVRPLIB             instance directory (default ../shared/cvrplib, then /work/shared/cvrplib)
#   VRPLIB              VRPTW/HFVRP directory (default ../shared/vrplib, then /work/shared/vrplib)
#   ROUTE_BENCH_SETS    bands to run, from "A XS1 XS XL TW HF COUNTY" (default all)
#   ROUTE_BENCH_TW_S, ROUTE_BENCH_HF_S  seconds per VRPTW / HFVRP instance (default 10)
#   ROUTE_BENCH_ITERATIONS  when set: this many iterations instead of seconds (deterministic)
#   ROUTE_BENCH_A_S, ROUTE_BENCH_XS1_S, ROUTE_BENCH_XS_S, ROUTE_BENCH_XL_S  seconds per instance
#   ROUTE_BENCH_COUNTY_S  time limit of the county row (default 30)
#   ROUTE_BENCH_XS, ROUTE_BENCH_XL   instance names (space separated)
#   ROUTE_BENCH_A       A instance names (default: every A-*.vrp)
#   ROUTE_BENCH_SEED    seed (default 1)
#   ROUTE_BENCH_SEEDS   several seeds, space separated (overrides ROUTE_BENCH_SEED):
#                       one row per instance and seed, the band's mean over all
#                       of them (a single seed scatters by a point or more on
#                       some VRPTW instances; tune on 8 or more)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 70
BUILD=${1:-build}
VCOURIER="$ROOT/$BUILD/vcourier"
DATA=${CVRPLIB:-$ROOT/../shared/cvrplib}
[ -f "$DATA/bks.tsv" ] || DATA=/work/shared/cvrplib
if [ ! -f "$DATA/bks.tsv" ]; then
	echo "bench/route.sh: no CVRPLIB instances: set CVRPLIB to a directory holding A/, X/ and bks.tsv" >&2
	exit 66
fi
[ -x "$VCOURIER" ] || { echo "bench/route.sh: $VCOURIER not built" >&2; exit 66; }
VRPDATA=${VRPLIB:-$ROOT/../shared/vrplib}
[ -f "$VRPDATA/bks.tsv" ] || VRPDATA=/work/shared/vrplib

SETS=${ROUTE_BENCH_SETS:-A XS1 XS XL TW HF COUNTY}
ITER=${ROUTE_BENCH_ITERATIONS:-}
SEEDS=${ROUTE_BENCH_SEEDS:-${ROUTE_BENCH_SEED:-1}}
XS=${ROUTE_BENCH_XS:-X-n101-k25 X-n110-k13 X-n125-k30 X-n157-k13 X-n200-k36 X-n251-k28 X-n303-k21 X-n351-k40 X-n401-k29}
XL=${ROUTE_BENCH_XL:-X-n420-k130 X-n502-k39 X-n561-k42 X-n627-k43 X-n701-k44 X-n801-k40 X-n1001-k43}
A=${ROUTE_BENCH_A:-$(cd "$DATA/A" && ls A-*.vrp | sed 's/\.vrp$//')}
TMP=$(mktemp -d /tmp/route-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP

now() { date +%s.%N; }

budget() {
	if [ -n "$ITER" ]; then echo "--iterations $ITER"; else echo "--time-limit $1"; fi
}

band_head() { # LABEL SECONDS
	if [ -n "$ITER" ]; then what="$ITER iterations"; else what="$2 s"; fi
	case $SEEDS in *" "*) seeds_text="seeds $SEEDS" ;; *) seeds_text="seed $SEEDS" ;; esac
	echo "### $1 ($what per instance, $seeds_text)"
	echo
	echo "| instance | n | BKS | seed | cost | gap % | seconds | routes | check |"
	echo "|---|---|---|---|---|---|---|---|---|"
	: > "$TMP/gaps"
}

band_tail() { # LABEL
	echo
	awk -v l="$1" -v t="$what" '{s += $1; k++} END {if (k) printf "**%s at %s: mean gap %.2f %% over %d runs**\n\n", l, t, s / k, k}' "$TMP/gaps"
}

# solve_row NAME N BKS VRP FORMAT(tsplib|vrplib) SECONDS CHECKER [EXTRA...]:
# for each seed: solve, check with CHECKER (an independent script printing
# "COST ROUTES"), print the table row and record the gap.
solve_row() {
	for seed in $SEEDS; do
		solve_seed "$seed" "$@"
	done
}

solve_seed() {
	seed=$1 name=$2 n=$3 bks=$4 vrp=$5 format=$6 secs=$7 checker=$8
	shift 8
	t0=$(now)
	# shellcheck disable=SC2046
	"$VCOURIER" route "--$format" "$vrp" $(budget "$secs") --seed "$seed" "$@" > "$TMP/sol" 2> "$TMP/err"
	rc=$?
	t1=$(now)
	if [ $rc -eq 0 ] && check=$(python3 "$checker" "$vrp" "$TMP/sol" "$@" 2>&1); then
		cost=${check% *} routes=${check#* } verdict=ok
	else
		cost=$(awk '/^Cost/ {print $2}' "$TMP/sol") routes="-"
		verdict="FAIL: $(cat "$TMP/err") ${check:-}"
		[ -n "$cost" ] || cost=0
	fi
	gap=$(awk -v c="$cost" -v b="$bks" 'BEGIN {printf "%.2f", (c - b) * 100 / b}')
	echo "$gap" >> "$TMP/gaps"
	secs_used=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
	echo "| $name | $n | $bks | $seed | $cost | $gap | $secs_used | $routes | $verdict |"
}

# run_band LABEL SECONDS CAP(yes|no) INSTANCES...: CVRPLIB instances
run_band() {
	label=$1 secs=$2 cap=$3
	shift 3
	band_head "$label" "$secs"
	for name in "$@"; do
		set_dir=$(echo "$name" | cut -c1)
		row=$(awk -F'\t' -v n="$name" '$1 == n {print $2, $4}' "$DATA/bks.tsv")
		if [ "$cap" = yes ]; then
			solve_row "$name" "${row% *}" "${row#* }" "$DATA/$set_dir/$name.vrp" tsplib "$secs" \
				bench/check_cvrp.py --vehicles "$(echo "$name" | sed 's/.*-k//')"
		else
			solve_row "$name" "${row% *}" "${row#* }" "$DATA/$set_dir/$name.vrp" tsplib "$secs" \
				bench/check_cvrp.py
		fi
	done
	band_tail "$label"
}

# run_vrplib_band LABEL SECONDS FAMILY: every instance of FAMILY in bks.tsv
run_vrplib_band() {
	label=$1 secs=$2 family=$3
	[ -f "$VRPDATA/bks.tsv" ] || { echo "bench/route.sh: no VRPLIB instances (set VRPLIB)" >&2; return; }
	band_head "$label" "$secs"
	awk -F'\t' -v f="$family" '$2 == f {print $1, $3, $4}' "$VRPDATA/bks.tsv" > "$TMP/list"
	while read -r name n bks; do
		solve_row "$name" "$n" "$bks" "$VRPDATA/$family/$name.vrp" vrplib "$secs" tests/check_vrplib.py
	done < "$TMP/list"
	band_tail "$label"
}

county_row() {
	echo "### County: 2,000 stops, 60 couriers, pickup windows"
	echo
	"$ROOT/$BUILD/tools/route_county_bench" 2000 60 "${ROUTE_BENCH_COUNTY_S:-30}"
	echo
}

echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
for set in $SETS; do
	case $set in
	A) run_band "A set, fleet capped at k" "${ROUTE_BENCH_A_S:-5}" yes $A ;;
	XS1) run_band "X n <= 400, short" "${ROUTE_BENCH_XS1_S:-1}" no $XS ;;
	XS) run_band "X n <= 400, long" "${ROUTE_BENCH_XS_S:-30}" no $XS ;;
	XL) run_band "X 400 < n <= 1000" "${ROUTE_BENCH_XL_S:-60}" no $XL ;;
	TW) run_vrplib_band "VRPTW (Gehring-Homberger)" "${ROUTE_BENCH_TW_S:-10}" VRPTW ;;
	HF) run_vrplib_band "Mixed fleet (Pessoa et al.)" "${ROUTE_BENCH_HF_S:-10}" HFVRP ;;
	COUNTY) county_row ;;
	*) echo "bench/route.sh: unknown set $set (A XS1 XS XL TW HF COUNTY)" >&2 ;;
	esac
done
