# tests/integration/nightly_lib.sh: a small county for the nightly tests
# (sourced after lib.sh). nl_small_county loads one hub H1 with five
# points, three couriers and 40 orders for 2026-12-01, among them one
# parcel too heavy for any vehicle, one at an inactive point and a point
# whose parcels exceed one vehicle.
NL_DATE=2026-12-01

nl_small_county() {
	local url=${1:-http://127.0.0.1:9/none}
	q "INSERT INTO hubs (code, name, lat, lon) VALUES ('H1', 'Hub One', 24.80, 113.60),
	   ('H2', 'Hub Two', 25.80, 114.60)"
	q "INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min, active)
	   SELECT v.code, v.name, h.id, v.lat, v.lon, v.o, v.c, v.s, v.a
	   FROM hubs h, (VALUES ('P1', '上村', 24.83, 113.62, 480, 720, 10, true),
	                        ('P2', 'Lower Village', 24.78, 113.66, 540, 900, 5, true),
	                        ('P3', 'Hill', 24.86, 113.55, 600, 840, 15, true),
	                        ('P4', 'Ford', 24.75, 113.58, 480, 1020, 10, true),
	                        ('P5', 'Closed', 24.81, 113.70, 480, 1020, 10, false))
	        AS v(code, name, lat, lon, o, c, s, a) WHERE h.code = 'H1'"
	q "INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min)
	   SELECT 'Q1', 'Other hub point', id, 25.82, 114.61, 480, 1020, 10 FROM hubs WHERE code = 'H2'"
	q "INSERT INTO couriers (code, name, hub_id, capacity_kg, capacity_m3, shift_start_min,
	                         shift_end_min, endpoint_url, max_km)
	   SELECT v.code, v.name, h.id, v.kg, v.m3, v.s, v.e, :'v1', v.km
	   FROM hubs h, (VALUES ('C1', 'Van One', 800, 6, 420, 1080, NULL),
	                        ('C2', 'Van Two', 800, 6, 420, 1080, 200.0),
	                        ('C3', 'Small', 300, 2, 480, 960, NULL))
	        AS v(code, name, kg, m3, s, e, km) WHERE h.code = 'H1'" "$url"
	q "INSERT INTO couriers (code, name, hub_id, capacity_kg, capacity_m3, shift_start_min,
	                         shift_end_min, endpoint_url)
	   SELECT 'D1', 'Other hub van', id, 500, 5, 420, 1080, :'v1' FROM hubs WHERE code = 'H2'" "$url"
	# P1: 12 x 90 kg = 1080 kg, more than one van: split into two visits.
	q "INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date, seller)
	   SELECT 'O-P1-' || g, p.id, 90, 0.3, DATE '2026-11-30', '橙农 ' || g FROM points p,
	          generate_series(1, 12) g WHERE p.code = 'P1'"
	q "INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date, seller)
	   SELECT 'O-' || p.code || '-' || g, p.id, 5 + g, 0.05, :'v1'::date, 'seller ' || g
	   FROM points p, generate_series(1, 6) g WHERE p.code IN ('P2', 'P3', 'P4')" "$NL_DATE"
	q "INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date) VALUES
	   ('O-HEAVY', (SELECT id FROM points WHERE code = 'P2'), 950, 1, :'v1'),
	   ('O-CLOSED', (SELECT id FROM points WHERE code = 'P5'), 3, 0.01, :'v1'),
	   ('O-LATER', (SELECT id FROM points WHERE code = 'P2'), 3, 0.01, DATE '2026-12-05'),
	   ('O-H2', (SELECT id FROM points WHERE code = 'Q1'), 3, 0.01, :'v1')" "$NL_DATE"
}

# nl_setup: database, endpoint "ep" (DL_PORT), short-timeout config with a
# small fixed planning budget, the small county with couriers posting there.
nl_setup() {
	t_newdb
	dl_endpoint ep
	dl_config "plan_iterations = 3000" "plan_seed = 5" "$@"
	nl_small_county "http://127.0.0.1:$DL_PORT/couriers/"
	q "UPDATE couriers SET endpoint_url = endpoint_url || code"
}

# nl_json FILE KEY...: a value of the (first) summary in FILE, by python keys.
nl_json() {
	python3 -c 'import json,sys
v = json.JSONDecoder().raw_decode(open(sys.argv[1]).read().lstrip())[0]
for k in sys.argv[2:]:
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v if not isinstance(v, (dict, list)) else json.dumps(v, sort_keys=True))' "$@"
}

# nl_requests: how many requests the endpoint saw so far.
nl_requests() {
	[ -f "$T_TMP/ep/requests.jsonl" ] && wc -l <"$T_TMP/ep/requests.jsonl" || echo 0
}

# nl_check DATE [args]: the independent checker must find nothing.
nl_check() {
	local out
	out=$(python3 "$ROOT/tests/check_plan.py" --date "$@") || fail "check_plan: $out"
	echo "$out"
}
