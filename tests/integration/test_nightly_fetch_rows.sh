#!/bin/bash
# Streaming loads (issue 10 item 4, docs/scale.md): a hub's orders, points,
# couriers, road legs and imported matrix are read through a cursor,
# db_fetch_rows rows at a time. The same night on two copies of one
# database, once with db_fetch_rows = 2 (every load in several batches,
# checked from the -vv db_batches events) and once with the default (one
# batch each), gives the same plan: the same manifests (bodies, distances,
# durations) and the same outcome and reason for every order. The hub is
# on a real road network (Krems) with an island point (rejected by the
# reachability pass) and an imported matrix for every profile and for one
# profile (both passes of the matrix load).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/roads_lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
t_newdb
dl_endpoint ep
CONF_BASE=("plan_iterations = 3000" "plan_threads = 1" "plan_seed = 5")

rd_krems_hub
python3 "$ROOT/tests/osm_dijkstra.py" "$RD_OSM/krems.osm.gz" "$RD_VAN" island >"$T_TMP/island"
read -r isl_node isl_lat isl_lon <"$T_TMP/island"
q "INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min)
   SELECT 'KISL', 'island', id, :'v1', :'v2', 480, 1080, 5 FROM hubs" "$isl_lat" "$isl_lon"
cat >"$T_TMP/couriers.csv" <<CSV
code,name,hub_code,capacity_kg,capacity_m3,shift_start,shift_end,endpoint_url,profile,max_km
V1,Van one,KR,300,6,07:00,19:00,http://127.0.0.1:$DL_PORT/couriers/V1,van,
V2,Van two,KR,300,6,07:00,19:00,http://127.0.0.1:$DL_PORT/couriers/V2,van,
T1,Tricycle one,KR,200,1.2,07:00,19:00,http://127.0.0.1:$DL_PORT/couriers/T1,tricycle,60
T2,Tricycle two,KR,200,1.2,07:00,19:00,http://127.0.0.1:$DL_PORT/couriers/T2,tricycle,60
CSV
assert_exit 0 "$VCOURIER" import couriers "$T_TMP/couriers.csv"
# An imported matrix over some pairs: rows for every profile, and the
# tricycle's own rows for the hub and two points (they win over the others).
{
	echo "from_code,to_code,distance_km,duration_min,profile"
	for a in KR KP1 KP2 KP3; do
		for b in KR KP1 KP2 KP3; do
			[ "$a" = "$b" ] || echo "$a,$b,2.5,9,"
		done
	done
	for a in KR KP1 KP2; do
		for b in KR KP1 KP2; do
			[ "$a" = "$b" ] || echo "$a,$b,3.5,,tricycle"
		done
	done
} >"$T_TMP/m.csv"
assert_exit 0 "$VCOURIER" import matrix "$T_TMP/m.csv"
dl_config "${CONF_BASE[@]}"
assert_exit 0 "$VCOURIER" roads matrix --hub KR
q "INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date)
   SELECT 'O-' || p.code || '-' || g, p.id, 20, 0.1, :'v1' FROM points p, generate_series(1, 3) g" "$NL_DATE"

# The twin database: same rows, same sequences (so the same run ids in the bodies).
TWIN="${T_DB}_twin"
createdb -T "$T_DB" "$TWIN"
t_on_exit "dropdb --if-exists -f '$TWIN' >/dev/null 2>&1"

# batches CURSOR: "rows batches" of the cursor's db_batches event in $T_ERR (sums if read twice).
batches() {
	awk -v c="cursor=$1" '$0 ~ " db_batches " && index($0, c " ") {
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		r += v["rows"]; b += v["batches"]; n++ }
		END { if (n) print r, b; else print "none" }' <<<"$T_ERR"
}
CURSORS="vc_couriers vc_claim vc_points vc_reach_legs vc_reach_matrix vc_legs vc_matrix_all vc_matrix_own"

# Small batches: every load in several.
dl_config "${CONF_BASE[@]}" "db_fetch_rows = 2"
assert_exit 0 "$VCOURIER" -vv nightly --date "$NL_DATE" --json
echo "$T_OUT" >"$T_TMP/small.json"
for c in $CURSORS; do
	read -r rows nb <<<"$(batches "$c")"
	[ "$rows" != none ] || fail "no db_batches event for $c"
	[ "$nb" -ge 2 ] && [ "$nb" -eq $(((rows + 1) / 2)) ] ||
		fail "$c: $rows rows in $nb batches, expected $(((rows + 1) / 2)) batches of 2"
done
small_legs=$(batches vc_legs)
nl_check "$NL_DATE" --summary "$T_TMP/small.json" --require-delivered

# The default on the twin: one batch each, the same rows.
dl_config "${CONF_BASE[@]}"
assert_exit 0 env PGDATABASE="$TWIN" "$VCOURIER" -vv nightly --date "$NL_DATE" --json
for c in $CURSORS; do
	read -r rows nb <<<"$(batches "$c")"
	assert_eq "$nb" 1 "$c batches with the default db_fetch_rows"
done
assert_eq "$(batches vc_legs | cut -d' ' -f1)" "${small_legs%% *}" "legs rows in both runs"

# The same plan, order by order and manifest by manifest.
plan_of() {
	PGDATABASE=$1 q "SELECT m.manifest_id || ' ' || c.code || ' ' || m.stops || ' ' || m.parcels
	   || ' ' || m.distance_km || ' ' || m.duration_min || ' ' || m.sha256 || ' ' || m.delivery_status
	   FROM manifests m JOIN couriers c ON c.id = m.courier_id ORDER BY 1"
	PGDATABASE=$1 q "SELECT order_ref || ' ' || status || ' ' || coalesce(manifest_id, '-') || ' '
	   || coalesce(stop_seq::text, '-') || ' ' || coalesce(reason, '-') FROM orders ORDER BY 1"
}
plan_of "$T_DB" >"$T_TMP/plan_small"
plan_of "$TWIN" >"$T_TMP/plan_default"
diff "$T_TMP/plan_small" "$T_TMP/plan_default" >&2 || fail "db_fetch_rows = 2 planned differently"
# Not vacuous: routes on road legs and on the imported pairs, the island rejected.
assert_contains "$(cat "$T_TMP/plan_small")" "O-KISL-1 rejected - - point KISL"
assert_eq "$(q "SELECT count(*) > 0 FROM manifests WHERE body LIKE '%\"distance_source\":\"road\"%'")" t
assert_eq "$(q "SELECT count(*) FROM orders WHERE status = 'delivered'")" 21
