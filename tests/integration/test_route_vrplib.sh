# vcourier route --vrplib: the VRPLIB dialect (VRPTW with the DIMACS
# truncation, HFVRP with fixed and per-distance costs) on two tiny
# fixtures; every solution checked by tests/check_vrplib.py (independent:
# feasibility and cost recomputed) and compared with the optimum that
# tests/vrplib_optimum.py finds by brute force; same seed and iterations
# => same bytes; the file's vehicle numbers on HFVRP routes; bad input;
# --max-trips on a fleet too small for one trip each (cost with the returns).
. "$(dirname "$0")/../lib.sh"

for name in tiny_tw tiny_hf; do
	vrp="$ROOT/fixtures/vrplib/$name.vrp"
	optimum=$(python3 "$ROOT/tests/vrplib_optimum.py" "$vrp") || fail "brute force on $name"
	assert_exit 0 "$VCOURIER" route --vrplib "$vrp" --iterations 3000 --seed 7
	first=$T_OUT
	assert_contains "$first" "Route #"
	printf '%s\n' "$first" > "$T_TMP/sol"
	check=$(python3 "$ROOT/tests/check_vrplib.py" "$vrp" "$T_TMP/sol") || fail "checker on $name: $check"
	assert_eq "${check% *}" "$optimum" "$name: cost against the brute-force optimum"
	assert_exit 0 "$VCOURIER" route --vrplib "$vrp" --iterations 3000 --seed 7
	assert_eq "$T_OUT" "$first" "$name: same seed and iterations, different plan"
	assert_exit 0 "$VCOURIER" route --vrplib "$vrp" --time-limit 0.2
	printf '%s\n' "$T_OUT" > "$T_TMP/sol"
	python3 "$ROOT/tests/check_vrplib.py" "$vrp" "$T_TMP/sol" >/dev/null || fail "$name: time-limited solution invalid"
done

# HFVRP: route numbers are the file's vehicles (the checker holds each
# route to its vehicle's capacity and costs); with only the two small
# vans (capacity 40 each) the 135 units cannot all be carried.
vrp="$ROOT/fixtures/vrplib/tiny_hf.vrp"
awk '/^VEHICLES:/ {print "VEHICLES: 2"; next}
     /_SECTION$/ {sec = $1}
     (sec == "CAPACITY_SECTION" || sec ~ /^VEHICLES_/) && $1 + 0 > 2 {next}
     {print}' "$vrp" > "$T_TMP/two.vrp"
assert_exit 65 "$VCOURIER" route --vrplib "$T_TMP/two.vrp" --iterations 500
assert_contains "$T_ERR" "unassigned: fleet full"
# The same two vans, each back at the depot and out again up to 4 times,
# carry it all; the checker holds every trip to its van's capacity and
# recomputes the cost with every return to the depot.
assert_exit 0 "$VCOURIER" route --vrplib "$T_TMP/two.vrp" --iterations 2000 --seed 7 --max-trips 4
printf '%s\n' "$T_OUT" > "$T_TMP/sol"
grep -qE '^Route #[12]:( [1-7])+ 0 ' "$T_TMP/sol" || fail "no van makes two trips: $T_OUT"
check=$(python3 "$ROOT/tests/check_vrplib.py" "$T_TMP/two.vrp" "$T_TMP/sol" --trips 4 2>&1) ||
	fail "multi-trip HFVRP solution: $check"
python3 "$ROOT/tests/check_vrplib.py" "$T_TMP/two.vrp" "$T_TMP/sol" 2>/dev/null &&
	fail "the checker took the depot inside a route without --trips"

# VRPTW: a window that closes before it opens, a missing time-window section.
sed 's/^4 173 229$/4 229 173/' "$ROOT/fixtures/vrplib/tiny_tw.vrp" > "$T_TMP/bad.vrp"
assert_exit 65 "$VCOURIER" route --vrplib "$T_TMP/bad.vrp"
assert_eq "$T_ERR" "vcourier: $T_TMP/bad.vrp:31: time window closes before it opens" "error line"
sed '/TIME_WINDOW_SECTION/,/^8 /d' "$ROOT/fixtures/vrplib/tiny_tw.vrp" > "$T_TMP/notw.vrp"
assert_exit 65 "$VCOURIER" route --vrplib "$T_TMP/notw.vrp"
assert_contains "$T_ERR" "TYPE VRPTW without TIME_WINDOW_SECTION"
assert_exit 64 "$VCOURIER" route --vrplib "$vrp" --vehicles 3
