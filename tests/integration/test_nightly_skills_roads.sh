#!/bin/bash
# Skills and road reachability together (docs/nightly.md "Skills",
# "Reasons"), end to end on a real network (the Krems extract): a point on
# a farm track (KTRK) that only the van reaches (tracks barred for the
# tricycle), and the only cold vehicle is the tricycle. A cold order there
# has a vehicle with the skill and a vehicle that reaches the point, but no
# vehicle that is both: it stays pending with "unassigned: no vehicle with
# skill cold reaches point KTRK by road" (pkg/nightly/needs.c), in the
# table and in the summary. The plain order at the same point rides the
# van, the cold order at an ordinary point the tricycle, and the
# independent checker (tests/check_plan.py) agrees with the plan.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/roads_lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
t_newdb
dl_endpoint ep
dl_config "road_speed.tricycle.track = 0" "plan_iterations = 3000" "plan_threads = 1"
cd "$T_TMP"

rd_krems_hub
python3 "$ROOT/tests/osm_dijkstra.py" "$RD_OSM/krems.osm.gz" "$RD_VAN" isolated track >track
read -r _ trk_lat trk_lon <track
q "INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min)
   SELECT 'KTRK', 'track', id, :'v1', :'v2', 480, 1080, 5 FROM hubs" "$trk_lat" "$trk_lon"
cat >couriers.csv <<CSV
code,name,hub_code,capacity_kg,capacity_m3,shift_start,shift_end,endpoint_url,profile,max_km,skills
V1,Van,KR,800,6,07:00,19:00,http://127.0.0.1:$DL_PORT/couriers/V1,van,,
T1,Cold tricycle,KR,200,1.2,07:00,19:00,http://127.0.0.1:$DL_PORT/couriers/T1,tricycle,60,cold
CSV
assert_exit 0 "$VCOURIER" import couriers couriers.csv
cat >orders.csv <<CSV
order_ref,point_code,weight_kg,volume_m3,ready_date,seller,skills
COLD-KTRK,KTRK,10,0.05,$NL_DATE,oranges,cold
PLAIN-KTRK,KTRK,10,0.05,$NL_DATE,tea,
COLD-KP1,KP1,10,0.05,$NL_DATE,oranges,cold
PLAIN-KP2,KP2,10,0.05,$NL_DATE,tea,
CSV
assert_exit 0 "$VCOURIER" import orders orders.csv
assert_exit 0 "$VCOURIER" roads matrix --hub KR
# The premise: the van reaches the track point and the tricycle does not.
assert_eq "$(q "SELECT string_agg(DISTINCT profile, ',') FROM road_legs
                WHERE to_code = 'KTRK' AND from_code = 'KR' AND metres IS NOT NULL")" van

assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --json
echo "$T_OUT" >s.json
nl_check "$NL_DATE" --summary s.json --require-delivered >/dev/null
why="unassigned: no vehicle with skill cold reaches point KTRK by road"
assert_eq "$(q "SELECT status || ' ' || reason FROM orders WHERE order_ref = 'COLD-KTRK'")" "pending $why"
assert_contains "$(nl_json s.json unassigned)" "{\"order_ref\": \"COLD-KTRK\", \"reason\": \"$why\"}"
assert_eq "$(q "SELECT string_agg(o.order_ref || '=' || c.code, ' ' ORDER BY o.order_ref)
                FROM orders o JOIN manifests m USING (manifest_id) JOIN couriers c ON c.id = m.courier_id")" \
	"COLD-KP1=T1 PLAIN-KP2=$(q "SELECT c.code FROM orders o JOIN manifests m USING (manifest_id)
	                             JOIN couriers c ON c.id = m.courier_id WHERE o.order_ref = 'PLAIN-KP2'") PLAIN-KTRK=V1"
assert_eq "$(q "SELECT count(*) FROM orders WHERE status = 'delivered'")" 3
