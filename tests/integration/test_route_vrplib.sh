# vcourier route --vrplib: the VRPLIB dialect (VRPTW with the DIMACS
# truncation, HFVRP with fixed and per-distance costs) on two tiny
# fixtures; every solution checked by tests/check_vrplib.py (independent:
# feasibility and cost recomputed) and compared with the optimum that
# tests/vrplib_optimum.py finds by brute force; same seed and iterations
# => same bytes; a generated VRPTW instance with long routes (checked,
# same bytes); the file's vehicle numbers on HFVRP routes; bad input;
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

# Long routes with time windows (150 customers on 4-6 vehicles, 30-50
# stops a route) take the recreate's other path: positions beside the
# nearest jobs first (ruin_recreate.c). Every plan checked, same bytes
# for the same seed.
awk 'BEGIN {
	n = 150; s = 12345
	print "NAME : long_tw"; print "COMMENT : generated: 150 customers, wide windows, routes of 30-50 stops"
	print "TYPE : VRPTW"; print "DIMENSION : " n + 1; print "VEHICLES : 6"; print "CAPACITY : 200"
	print "SERVICE_TIME : 10"; print "EDGE_WEIGHT_TYPE : EUC_2D"; print "NODE_COORD_SECTION"
	print "1 50 50"
	for (i = 2; i <= n + 1; i++) { s = (s * 1103515245 + 12345) % 2147483648; x = s % 101
		s = (s * 1103515245 + 12345) % 2147483648; y = s % 101; print i, x, y }
	print "DEMAND_SECTION"; print "1 0"
	for (i = 2; i <= n + 1; i++) { s = (s * 1103515245 + 12345) % 2147483648; print i, 1 + s % 5 }
	print "TIME_WINDOW_SECTION"; print "1 0 1500"
	for (i = 2; i <= n + 1; i++) { s = (s * 1103515245 + 12345) % 2147483648; o = s % 600
		s = (s * 1103515245 + 12345) % 2147483648; print i, o, o + 400 + s % 400 }
	print "DEPOT_SECTION"; print "1"; print "-1"; print "EOF"
}' > "$T_TMP/long_tw.vrp"
for seed in 1 2; do
	assert_exit 0 "$VCOURIER" route --vrplib "$T_TMP/long_tw.vrp" --iterations 20000 --seed $seed
	printf '%s\n' "$T_OUT" > "$T_TMP/sol"
	check=$(python3 "$ROOT/tests/check_vrplib.py" "$T_TMP/long_tw.vrp" "$T_TMP/sol") ||
		fail "long routes, seed $seed: $check"
	[ "$(awk '/^Route/ {n++; s += NF - 2} END {print (s / n >= 25)}' "$T_TMP/sol")" = 1 ] ||
		fail "long routes, seed $seed: routes average under 25 stops: $T_OUT"
	assert_exit 0 "$VCOURIER" route --vrplib "$T_TMP/long_tw.vrp" --iterations 20000 --seed $seed
	assert_eq "$(cat "$T_TMP/sol")" "$T_OUT" "long routes, seed $seed: same seed and iterations, different plan"
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
