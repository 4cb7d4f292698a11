#!/bin/bash
# Road matrices on a real extract (Krems an der Donau) against an
# independent shortest-path search over the OSM XML (tests/osm_dijkstra.py,
# no osm2pgrouting, no pgRouting): every directed pair of a hub and its
# points, for a van and for an electric tricycle (barred from motorways and
# trunk roads, and here from tracks); one-way streets make some pairs
# asymmetric; bridges decide some distances; a point beyond road_snap_max_m and a point on a road island
# are reported; a matrix run again computes nothing; a moved point is
# recomputed alone; a changed road_speed recomputes that profile's legs.
# Then the whole night on that network: the far and the
# island points rejected with their reasons, the track point served by the
# van only, manifests with road legs, checked by tests/check_plan.py.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/roads_lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
t_newdb
dl_endpoint ep
K=$RD_OSM/krems.osm.gz
VAN=$RD_VAN
TRI=$RD_TRI
dl_config "road_speed.tricycle.track = 0" "plan_iterations = 3000" "plan_threads = 1"

rd_krems_hub
python3 "$ROOT/tests/osm_dijkstra.py" "$K" "$VAN" island >"$T_TMP/island"
python3 "$ROOT/tests/osm_dijkstra.py" "$K" "$VAN" isolated track >"$T_TMP/track"
read -r isl_node isl_lat isl_lon <"$T_TMP/island"
read -r trk_node trk_lat trk_lon <"$T_TMP/track"
q "INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min)
   SELECT v.code, v.name, h.id, v.lat::float8, v.lon::float8, 480, 1080, 5 FROM hubs h,
   (VALUES ('KISL', 'island', :'v1', :'v2'), ('KTRK', 'track', :'v3', :'v4'),
           ('KFAR', 'far', '48.3000', '15.6600')) AS v(code, name, lat, lon)" \
	"$isl_lat" "$isl_lon" "$trk_lat" "$trk_lon"
cat >"$T_TMP/couriers.csv" <<CSV
code,name,hub_code,capacity_kg,capacity_m3,shift_start,shift_end,endpoint_url,profile,max_km
V1,Van,KR,800,6,07:00,19:00,http://127.0.0.1:$DL_PORT/couriers/V1,van,
T1,Tricycle,KR,200,1.2,07:00,19:00,http://127.0.0.1:$DL_PORT/couriers/T1,tricycle,60
CSV
assert_exit 0 "$VCOURIER" import couriers "$T_TMP/couriers.csv"
assert_eq "$(q "SELECT string_agg(code || ':' || profile, ' ' ORDER BY code) FROM couriers")" "T1:tricycle V1:van"

assert_exit 0 "$VCOURIER" roads matrix --hub KR
assert_contains "$T_OUT" "hub KR network 1 profiles van tricycle: 22 places snapped"
# Places at OSM nodes snap onto their road; the far one is reported.
assert_eq "$(q "SELECT count(*) FROM road_snaps WHERE (code LIKE 'KP%' OR code = 'KR') AND snap_m > 0.5")" 0 "snap at a node"
assert_eq "$(q "SELECT count(*) FROM road_snaps WHERE code = 'KISL' AND profile = 'van' AND snap_m > 0.5")" 0 "snap at a node"
assert_exit 0 "$VCOURIER" roads status --hub KR
assert_contains "$T_OUT" "beyond road_snap_max_m"
assert_eq "$(q "SELECT edge_id IS NULL AND snap_m > 5000 FROM road_snaps WHERE code = 'KFAR' AND profile = 'van'")" t
# Tracks barred for the tricycle: the track point snaps to another road (farther) or none.
assert_eq "$(q "SELECT (SELECT coalesce(snap_m, 1e9) FROM road_snaps WHERE code = 'KTRK' AND profile = 'tricycle') > 20 + (SELECT snap_m FROM road_snaps WHERE code = 'KTRK' AND profile = 'van')")" t "tricycle snap of the track point"
# The island point is on a road, but no path leads there from the hub (for either profile).
assert_eq "$(q "SELECT count(*) FROM road_legs WHERE (from_code = 'KISL' OR to_code = 'KISL') AND metres IS NOT NULL")" 0

# Every directed pair between the hub and KP1..KP7, both profiles, against the independent search.
codes=(KR KP1 KP2 KP3 KP4 KP5 KP6 KP7)
mapfile -t nodes < <(cut -d' ' -f1 "$T_TMP/picked")
: >"$T_TMP/pairs"
for a in 0 1 2 3 4 5 6 7; do for b in 0 1 2 3 4 5 6 7; do
	[ "$a" = "$b" ] || echo "${nodes[$a]} ${nodes[$b]}" >>"$T_TMP/pairs"
done; done
for prof in van tricycle; do
	speeds=$VAN
	[ "$prof" = tricycle ] && speeds=$TRI
	python3 "$ROOT/tests/osm_dijkstra.py" "$K" "$speeds" pairs <"$T_TMP/pairs" >"$T_TMP/ref.$prof"
	q "SELECT from_code, to_code, coalesce(metres::text, 'none'), coalesce(seconds::text, 'none')
	   FROM road_legs WHERE profile = :'v1' AND from_code NOT IN ('KISL', 'KTRK', 'KFAR')
	   AND to_code NOT IN ('KISL', 'KTRK', 'KFAR')" "$prof" >"$T_TMP/got.$prof"
	python3 - "$T_TMP/ref.$prof" "$T_TMP/got.$prof" "${codes[*]}" "${nodes[*]}" "$prof" <<'PY' || fail "$prof matrix differs from the independent search"
import sys
ref, got, codes, nodes, prof = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4].split(), sys.argv[5]
code = dict(zip(nodes, codes))
want = {}
for line in open(ref):
    a, b, m, s = line.split()
    want[(code[a], code[b])] = (m, s)
have = {}
for line in open(got):
    a, b, m, s = line.strip().split("|")
    have[(a, b)] = (m, s)
assert len(want) == 56 and set(want) == set(have), (len(want), len(have))
bad, asym = [], 0
for k, (m, s) in want.items():
    hm, hs = have[k]
    if m == "none" or hm == "none":
        if m != hm:
            bad.append("%s: %s vs %s" % (k, hm, m))
        continue
    m, s, hm, hs = float(m), float(s), float(hm), float(hs)
    # osm2pgrouting measures on the ellipsoid, the test on a sphere: 0.5 %.
    if abs(hm - m) > 0.005 * m + 2 or abs(hs - s) > 0.005 * s + 1:
        bad.append("%s: %.1f m %.1f s, independent %.1f m %.1f s" % (k, hm, hs, m, s))
    back = want[(k[1], k[0])][0]
    asym += back != "none" and abs(float(back) - m) > 20
print(prof, "pairs", len(want), "asymmetric", asym)
assert not bad, bad
assert asym > 0, "no one-way effect among the pairs"
PY
done
# Bridges decide distances here: without the ways tagged bridge=* the
# independent search finds some pairs longer or cut off, and the stored
# legs (checked above) are the ones across the bridges.
python3 "$ROOT/tests/osm_dijkstra.py" "$K" "$VAN" pairs --no-bridges <"$T_TMP/pairs" >"$T_TMP/nobridge"
python3 - "$T_TMP/ref.van" "$T_TMP/nobridge" <<'PY' || fail "no pair depends on a bridge"
import sys
w = {tuple(l.split()[:2]): l.split()[2] for l in open(sys.argv[1])}
n = {tuple(l.split()[:2]): l.split()[2] for l in open(sys.argv[2])}
longer = [k for k in w if w[k] != "none" and (n[k] == "none" or float(n[k]) > 1.2 * float(w[k]))]
print("pairs decided by a bridge:", len(longer))
assert longer
PY
# The tricycle is slower everywhere, and never has a shorter path than the van.
assert_eq "$(q "SELECT count(*) FROM road_legs t JOIN road_legs v USING (hub_code, from_code, to_code)
               WHERE t.profile = 'tricycle' AND v.profile = 'van' AND (t.seconds <= v.seconds OR t.metres < v.metres - 0.01)")" 0

# Nothing to do the second time; a moved point is routed again alone.
assert_exit 0 "$VCOURIER" roads matrix --hub KR
assert_contains "$T_OUT" "0 places snapped, 0 legs computed"
before=$(q "SELECT md5(string_agg(from_code || to_code || metres, ',' ORDER BY profile, from_code, to_code)) FROM road_legs WHERE from_code <> 'KP3' AND to_code <> 'KP3'")
q "UPDATE points SET lat = lat + 0.0001 WHERE code = 'KP3'"
assert_exit 0 "$VCOURIER" roads matrix --hub KR
assert_contains "$T_OUT" "2 places snapped"
assert_eq "$(q "SELECT md5(string_agg(from_code || to_code || metres, ',' ORDER BY profile, from_code, to_code)) FROM road_legs WHERE from_code <> 'KP3' AND to_code <> 'KP3'")" "$before" "legs not touching KP3"
# van: 9 other places on its roads (not KFAR), tricycle: 8 (nor KTRK), both ways
assert_eq "$(q "SELECT count(*) FROM road_legs WHERE from_code = 'KP3' OR to_code = 'KP3'")" 34

# A changed speed makes the profile's snaps and legs stale: slower
# residential streets for the van, its 11 places snapped again and its
# legs computed again (slower, no shorter), the tricycle's kept as they were.
legs() { q "SELECT md5(string_agg(from_code || to_code || coalesce(metres::text, '-') || ':' || coalesce(seconds::text, '-'), ',' ORDER BY from_code, to_code)) FROM road_legs WHERE profile = :'v1'" "$1"; }
tri_before=$(legs tricycle)
van_before=$(legs van)
q "CREATE TABLE van_before AS SELECT from_code, to_code, metres, seconds FROM road_legs WHERE profile = 'van'"
dl_config "road_speed.tricycle.track = 0" "road_speed.van.residential = 10" "plan_iterations = 3000" "plan_threads = 1"
assert_exit 0 "$VCOURIER" roads matrix --hub KR
assert_contains "$T_OUT" "11 places snapped"
assert_eq "$(legs tricycle)" "$tri_before" "tricycle legs kept"
[ "$(legs van)" != "$van_before" ] || fail "van legs not computed again after road_speed.van.residential changed"
assert_eq "$(q "SELECT count(*) FILTER (WHERE l.seconds > b.seconds + 1) > 0 AND count(*) FILTER (WHERE l.seconds < b.seconds - 0.001) = 0
               FROM road_legs l JOIN van_before b USING (from_code, to_code) WHERE l.profile = 'van'")" t "van legs slower, none faster"
assert_exit 0 "$VCOURIER" roads matrix --hub KR
assert_contains "$T_OUT" "0 places snapped, 0 legs computed"
# Back to the speeds the independent search was checked with.
dl_config "road_speed.tricycle.track = 0" "plan_iterations = 3000" "plan_threads = 1"
assert_exit 0 "$VCOURIER" roads matrix --hub KR
assert_contains "$T_OUT" "11 places snapped"
assert_eq "$(legs van)" "$van_before" "van legs as before"
q "DROP TABLE van_before"

# The night: 3 parcels at every point.
q "INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date)
   SELECT 'O-' || p.code || '-' || g, p.id, 20, 0.1, :'v1' FROM points p, generate_series(1, 3) g" "$NL_DATE"
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --json
echo "$T_OUT" >"$T_TMP/s.json"
nl_check "$NL_DATE" --summary "$T_TMP/s.json" --require-delivered
assert_eq "$(q "SELECT DISTINCT reason FROM orders o JOIN points p ON p.id = o.point_id WHERE p.code = 'KFAR'")" \
	"point KFAR is $(q "SELECT round(snap_m) FROM road_snaps WHERE code = 'KFAR' AND profile = 'van'") m from the nearest road its couriers may use (road_snap_max_m 1000)"
assert_contains "$(q "SELECT DISTINCT status || ': ' || reason FROM orders o JOIN points p ON p.id = o.point_id WHERE p.code = 'KISL'")" \
	"rejected: point KISL (0 m from the road) cannot be reached by road from hub KR and back by any courier of the hub"
# The track point only the van reaches (the tricycle has no road within 1000 m there).
assert_eq "$(q "SELECT DISTINCT c.code FROM orders o JOIN points p ON p.id = o.point_id JOIN manifests m ON m.manifest_id = o.manifest_id JOIN couriers c ON c.id = m.courier_id WHERE p.code = 'KTRK'")" V1
assert_eq "$(q "SELECT count(*) FROM orders WHERE status = 'delivered'")" 24
# Manifests: road distances, leg_km of each stop from the van's or the tricycle's legs.
for mid in $(q "SELECT manifest_id FROM manifests"); do
	body=$(q "SELECT body FROM manifests WHERE manifest_id = :'v1'" "$mid")
	assert_contains "$body" '"distance_source":"road"'
	assert_contains "$body" '"leg_km":'
done
# The checker is not vacuous: a leg made longer in the database breaks it.
q "UPDATE road_legs SET metres = metres + 500 WHERE profile = 'van' AND from_code = 'KR'"
out=$(python3 "$ROOT/tests/check_plan.py" --date "$NL_DATE") && fail "checker accepted changed legs"
assert_contains "$out" "leg_km"
assert_exit 0 "$VCOURIER" manifest show "$(q "SELECT manifest_id FROM manifests m JOIN couriers c ON c.id = m.courier_id WHERE c.code = 'V1'")"
assert_contains "$T_OUT" "km (road)"
