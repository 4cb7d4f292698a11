# gen_county: seeded and deterministic (the committed sample county is
# exactly its output), skewed like a real county, and what it writes
# imports cleanly.
. "$(dirname "$0")/../lib.sh"
GEN="${BUILD:-$ROOT/build}/tools/gen_county"
[ -x "$GEN" ] || fail "gen_county not built at $GEN"

# The fixtures are reproducible from the documented command.
"$GEN" --seed 1 --points 40 --orders 300 --couriers 5 --date 2026-11-24 --out "$T_TMP/county"
for f in hubs points couriers orders; do
	cmp "$T_TMP/county/$f.csv" "$ROOT/fixtures/county/$f.csv" || fail "fixtures/county/$f.csv differs from gen_county --seed 1"
done

"$GEN" --seed 7 --points 120 --orders 5000 --couriers 12 --date 2026-12-01 --out "$T_TMP/a"
"$GEN" --seed 7 --points 120 --orders 5000 --couriers 12 --date 2026-12-01 --out "$T_TMP/b"
"$GEN" --seed 8 --points 120 --orders 5000 --couriers 12 --date 2026-12-01 --out "$T_TMP/c"
diff -r "$T_TMP/a" "$T_TMP/b" >/dev/null || fail "same seed, different output"
! cmp -s "$T_TMP/a/orders.csv" "$T_TMP/c/orders.csv" || fail "different seeds, same orders"
assert_eq "$(wc -l <"$T_TMP/a/orders.csv")" "5001"
assert_eq "$(wc -l <"$T_TMP/a/points.csv")" "121"
assert_eq "$(cut -d, -f1 "$T_TMP/a/points.csv" | sort | uniq -d)" "" "point codes unique"
assert_eq "$(cut -d, -f2 "$T_TMP/a/points.csv" | sort | uniq -d)" "" "village names unique"

# Skew: the 5 busiest of 120 villages hand in more than 40% of the parcels;
# weights stay within 0.2..30 kg with a median under 2 kg.
top5=$(awk -F, 'NR > 1 { n[$2]++ } END { for (p in n) print n[p] }' "$T_TMP/a/orders.csv" | sort -rn | head -n 5 | awk "{ s += \$1 } END { print s }")
[ "$top5" -gt 2000 ] || fail "no Taobao-village skew: top 5 points have $top5 of 5000 orders"
awk -F, 'NR > 1 && ($3 < 0.2 || $3 > 30) { bad++ } END { exit bad > 0 }' "$T_TMP/a/orders.csv" || fail "weight outside 0.2..30"
median=$(awk -F, 'NR > 1 { print $3 }' "$T_TMP/a/orders.csv" | sort -n | sed -n 2500p)
awk -v m="$median" 'BEGIN { exit !(m < 2) }' || fail "median weight $median kg is not light"

# --vehicle-kg/--vehicle-m3 make a uniform fleet (the nightly bench's trucks).
"$GEN" --seed 1 --points 10 --orders 10 --couriers 3 --vehicle-kg 5000 --vehicle-m3 30 --out "$T_TMP/d"
assert_eq "$(cut -d, -f4,5 "$T_TMP/d/couriers.csv" | sort -u | grep -v capacity)" "5000,30.0"
assert_exit 64 "$GEN" --orders 10

t_newdb
for kind in hubs points couriers orders; do
	assert_exit 0 "$VCOURIER" import "$kind" "$T_TMP/a/$kind.csv"
done
assert_eq "$(q "SELECT count(*) FROM orders WHERE ready_date = '2026-12-01'")" "5000"
