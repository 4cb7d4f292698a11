# vcourier route --tsplib: CVRPLIB output, checked by bench/check_cvrp.py;
# same seed and iterations => same bytes; malformed file => FILE:LINE and 65;
# missing file => 66; a fleet too small => solution printed, customers named, 65;
# --max-trips: one vehicle whose one trip cannot carry both customers
# carries them in two (the depot between the trips, every return costed),
# and a count outside 1..32 is one usage line and 64.
. "$(dirname "$0")/../lib.sh"

vrp="$T_TMP/P-n16-k8.vrp"
cat > "$vrp" <<'VRP'
NAME : P-n16-k8
COMMENT : (Augerat et al, No of trucks: 8, Optimal value: 450)
TYPE : CVRP
DIMENSION : 16
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 35
NODE_COORD_SECTION
1 30 40
2 37 52
3 49 49
4 52 64
5 31 62
6 52 33
7 42 41
8 52 41
9 57 58
10 62 42
11 42 57
12 27 68
13 43 67
14 58 48
15 58 27
16 37 69
DEMAND_SECTION
1 0
2 19
3 30
4 16
5 23
6 11
7 31
8 15
9 28
10 8
11 8
12 7
13 14
14 6
15 19
16 11
DEPOT_SECTION
1
-1
EOF
VRP

assert_exit 0 "$VCOURIER" route --tsplib "$vrp" --iterations 3000 --seed 7 --vehicles 8
first=$T_OUT
assert_contains "$first" "Route #1: "
printf '%s\n' "$first" > "$T_TMP/sol"
check=$(python3 "$ROOT/bench/check_cvrp.py" "$vrp" "$T_TMP/sol" --vehicles 8) || fail "checker: $check"
cost=${check% *}
[ "$cost" -ge 450 ] || fail "cost $cost below the optimum 450"
[ "$cost" -le 477 ] || fail "cost $cost more than 6 % above the optimum 450"

assert_exit 0 "$VCOURIER" route --tsplib "$vrp" --iterations 3000 --seed 7 --vehicles 8
assert_eq "$T_OUT" "$first" "same seed and iterations, different plan"

# A time limit gives a valid solution too.
assert_exit 0 "$VCOURIER" route --tsplib "$vrp" --time-limit 0.2
printf '%s\n' "$T_OUT" > "$T_TMP/sol"
python3 "$ROOT/bench/check_cvrp.py" "$vrp" "$T_TMP/sol" >/dev/null || fail "time-limited solution invalid"

# Two vehicles cannot carry 246 units at 35 each.
assert_exit 65 "$VCOURIER" route --tsplib "$vrp" --iterations 200 --vehicles 2
assert_contains "$T_OUT" "Cost "
assert_contains "$T_ERR" "unassigned: fleet full"

sed 's/^5 31 62$/5 31 sixty/' "$vrp" > "$T_TMP/bad.vrp"
assert_exit 65 "$VCOURIER" route --tsplib "$T_TMP/bad.vrp"
assert_eq "$T_ERR" "vcourier: $T_TMP/bad.vrp:12: bad y coordinate" "error line"

assert_exit 66 "$VCOURIER" route --tsplib "$T_TMP/none.vrp"
assert_eq "$(wc -l <<<"$T_ERR")" "1" "one error line"

assert_exit 64 "$VCOURIER" route --iterations 10

# --max-trips: one vehicle of capacity 10, two customers of 6 each (at 5
# and 10 from the depot). One trip cannot take both; two trips can: out to
# one, back, out to the other: 2 x 5 + 2 x 10 = 30.
cat > "$T_TMP/trips.vrp" <<'VRP'
NAME : T-n3-k1
TYPE : CVRP
DIMENSION : 3
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 0 0
2 3 4
3 6 8
DEMAND_SECTION
1 0
2 6
3 6
DEPOT_SECTION
1
-1
EOF
VRP
assert_exit 65 "$VCOURIER" route --tsplib "$T_TMP/trips.vrp" --iterations 200 --vehicles 1
assert_contains "$T_ERR" "unassigned: fleet full"
for n in 2 32; do
	assert_exit 0 "$VCOURIER" route --tsplib "$T_TMP/trips.vrp" --iterations 200 --vehicles 1 --max-trips $n
	case $T_OUT in
	"Route #1: 1 0 2"$'\n'"Cost 30" | "Route #1: 2 0 1"$'\n'"Cost 30") ;;
	*) fail "--max-trips $n: got '$T_OUT', want two trips of one customer each, cost 30" ;;
	esac
	assert_eq "$T_ERR" "" "--max-trips $n: stderr"
done
for bad in 0 33 2x -1 ""; do
	assert_exit 64 "$VCOURIER" route --tsplib "$T_TMP/trips.vrp" --vehicles 1 --max-trips "$bad"
	assert_eq "$(wc -l <<<"$T_ERR")" 1 "--max-trips '$bad': one line"
	assert_contains "$T_ERR" "usage: vcourier route " "--max-trips '$bad'"
done

# --problem: a dumped nightly problem (the round trip and the nightly's own
# plan are checked in tests/unit/test_route_problem_file.c and
# test_nightly_small.sh). Two locations, one job that fits, one that is
# too heavy: routes by vehicle, jobs by number, cost and distance.
cat >"$T_TMP/two.problem" <<'P'
vcourier-problem 1
locations 2
profiles 1 timed 0
jobs 2
vehicles 1
job 1 500 0 0 86400 60 0
job 1 5000 0 0 86400 60 0
vehicle 1000 0 0 86400 2147483647 7 0 0 0 0
dist 0
0 10
12 0
P
assert_exit 0 "$VCOURIER" route --problem "$T_TMP/two.problem" --iterations 100
assert_eq "$T_OUT" "Route #1: 1"$'\n'"Cost 29"$'\n'"Distance 22"
assert_eq "$T_ERR" "vcourier: $T_TMP/two.problem: job 2 unassigned: heavier or bulkier than every vehicle"
sed 's/^0 10$/0 -10/' "$T_TMP/two.problem" >"$T_TMP/bad.problem"
assert_exit 65 "$VCOURIER" route --problem "$T_TMP/bad.problem"
assert_eq "$T_ERR" "vcourier: $T_TMP/bad.problem:10: dist: expected an integer in [0, 2147483647], got '-10'"
assert_exit 66 "$VCOURIER" route --problem "$T_TMP/none.problem"
assert_eq "$(wc -l <<<"$T_ERR")" 1 "--problem missing: one line"
for extra in "--vehicles 2" "--max-trips 2" "--tsplib $vrp"; do
	# shellcheck disable=SC2086
	assert_exit 64 "$VCOURIER" route --problem "$T_TMP/two.problem" $extra
	assert_contains "$T_ERR" "usage: vcourier route " "--problem with $extra"
done
