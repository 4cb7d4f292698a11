#!/bin/bash
# Manifest ids never collide (issue 9, defect 2): hub N-1 with courier V and
# hub N with courier 1-V (legal codes) gave both the id DATE-N-1-V-v1, so
# the second hub's insert hit the primary key and its night failed every
# night. Now a '-' inside a code is written '~': both hubs are planned and
# posted, each under its own Idempotency-Key; codes without '-' keep the
# old form.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
t_newdb
dl_endpoint ep
dl_config "plan_iterations = 500" "plan_seed = 1"
url="http://127.0.0.1:$DL_PORT/couriers/"
q "INSERT INTO hubs (code, name, lat, lon) VALUES ('N-1', 'Dash hub', 24.8, 113.6), ('N', 'Plain hub', 25.8, 114.6), ('H1', 'Hub', 26.0, 115.0)"
for pair in "N-1 PA V" "N PB 1-V" "H1 PC C1"; do
	set -- $pair
	q "INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min)
	   SELECT :'v2', 'village', id, lat + 0.02, lon + 0.02, 480, 1020, 5 FROM hubs WHERE code = :'v1'" "$1" "$2"
	q "INSERT INTO couriers (code, name, hub_id, capacity_kg, capacity_m3, shift_start_min, shift_end_min, endpoint_url)
	   SELECT :'v2', 'van', id, 500, 5, 420, 1080, :'v3' || :'v2' FROM hubs WHERE code = :'v1'" "$1" "$3" "$url"
	q "INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date)
	   SELECT 'O-' || :'v1' || '-' || g, p.id, 5, 0.01, :'v2' FROM points p, generate_series(1, 3) g
	   WHERE p.code = :'v1'" "$2" "$NL_DATE"
done

assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --json
assert_eq "$(q "SELECT string_agg(manifest_id, ' ' ORDER BY manifest_id) FROM manifests")" \
	"$NL_DATE-H1-C1-v1 $NL_DATE-N-1~V-v1 $NL_DATE-N~1-V-v1"
assert_eq "$(q "SELECT count(*) FROM runs WHERE status = 'completed'")" 3
assert_eq "$(q "SELECT count(*) FROM manifests WHERE delivery_status = 'delivered'")" 3
assert_eq "$(dl_requests ep 'r["key"]' | sort -u | wc -l)" 3
# each id is the receiver's file name and its key: verify one offline
assert_exit 0 "$VCOURIER" manifest verify "$T_TMP/ep/1-V/$NL_DATE-N-1~V-v1.json"
# a replan names the version it replaces, by the id stored
assert_exit 0 "$VCOURIER" rerun --date "$NL_DATE" --replan --hub N-1
assert_eq "$(q "SELECT replaces FROM manifests WHERE manifest_id = :'v1'" "$NL_DATE-N~1-V-v2")" "$NL_DATE-N~1-V-v1"
nl_check "$NL_DATE" >/dev/null
