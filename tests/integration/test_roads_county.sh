#!/bin/bash
# The sample county on its generated road network (fixtures/county/roads.osm,
# exactly the output of tools/gen_roads): village roads, a county road, a
# river with two bridges. The night plans vans and tricycles on road
# distances (longer than straight lines, much longer across the river),
# every manifest says distance_source "road", and the plan checker
# recomputes every route from the stored legs.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
. "$(dirname "$0")/county_lib.sh"
GEN="${BUILD:-$ROOT/build}/tools/gen_roads"
"$GEN" --county "$ROOT/fixtures/county" --seed 1 --out "$T_TMP/roads.osm"
cmp "$T_TMP/roads.osm" "$ROOT/fixtures/county/roads.osm" || fail "fixtures/county/roads.osm differs from gen_roads --seed 1"

county_db "plan_iterations = 3000" "plan_threads = 1"
assert_exit 0 "$VCOURIER" roads load "$ROOT/fixtures/county/roads.osm"
assert_exit 0 "$VCOURIER" nightly --date "$DATE" --json
echo "$T_OUT" >"$T_TMP/s.json"
nl_check "$DATE" --summary "$T_TMP/s.json" --require-delivered
assert_eq "$(q "SELECT count(*) FROM orders WHERE status = 'rejected'")" 0
assert_eq "$(q "SELECT count(DISTINCT profile) FROM road_legs")" 2
# Road over straight line: at least 1.0 everywhere, above 1.3 for the villages across the river.
ratios=$(q "SELECT round(min(l.metres / s.m)::numeric, 3) || ' ' || round(max(l.metres / s.m)::numeric, 3)
            FROM road_legs l JOIN hubs h ON h.code = l.from_code JOIN points p ON p.code = l.to_code,
            LATERAL (SELECT 2 * 6371008.8 * asin(sqrt(sin(radians(p.lat - h.lat) / 2) ^ 2 + cos(radians(h.lat))
                     * cos(radians(p.lat)) * sin(radians(p.lon - h.lon) / 2) ^ 2)) AS m) s
            WHERE l.profile = 'van'")
note "road / straight line from the hub: $ratios"
awk -v r="$ratios" 'BEGIN { split(r, a, " "); exit !(a[1] >= 0.99 && a[2] > 1.3) }' || fail "ratios $ratios"
for mid in $(q "SELECT manifest_id FROM manifests WHERE stops > 0"); do
	assert_contains "$(q "SELECT body FROM manifests WHERE manifest_id = :'v1'" "$mid")" '"distance_source":"road"'
done
