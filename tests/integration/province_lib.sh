# tests/integration/province_lib.sh: a province of small hubs (sourced after
# lib.sh and deliver_lib.sh), for the several-workers and failover tests.
#
# pv_province HUBS PORT DATE...: hubs PV01.. each with six points, two
# couriers posting to the endpoint on PORT (/couriers/<code>), and five
# orders per point for each DATE (30 orders a hub a date).
pv_province() {
	local hubs=$1 port=$2 d
	shift 2
	q "INSERT INTO hubs (code, name, lat, lon)
	   SELECT 'PV' || lpad(h::text, 2, '0'), 'Hub ' || h, 30 + h * 0.3, 110 + h * 0.3
	   FROM generate_series(1, :'v1'::int) h" "$hubs"
	q "INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min)
	   SELECT h.code || '-P' || g, 'Village ' || g, h.id, h.lat + 0.02 * g, h.lon - 0.015 * g, 480, 1020, 5
	   FROM hubs h, generate_series(1, 6) g"
	q "INSERT INTO couriers (code, name, hub_id, capacity_kg, capacity_m3, shift_start_min, shift_end_min, endpoint_url)
	   SELECT h.code || '-C' || g, 'Van ' || g, h.id, 600, 5, 420, 1080,
	          'http://127.0.0.1:' || :'v1' || '/couriers/' || h.code || '-C' || g
	   FROM hubs h, generate_series(1, 2) g" "$port"
	for d in "$@"; do
		q "INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date, seller)
		   SELECT p.code || '-' || :'v1' || '-' || g, p.id, 2 + g, 0.02, :'v1'::date, 'seller ' || g
		   FROM points p, generate_series(1, 5) g" "$d"
	done
}

# pv_store_check STORE: every manifest the endpoint stored is a live,
# delivered one (stored once, under its own key) and no order is in two
# stored manifests; the orders routed are exactly those stored.
pv_store_check() {
	q "SELECT manifest_id FROM manifests WHERE superseded_by IS NULL AND delivery_status = 'delivered' ORDER BY 1" >"$T_TMP/pv_live"
	q "SELECT order_ref FROM orders WHERE status IN ('manifested', 'delivered') ORDER BY 1" >"$T_TMP/pv_routed"
	python3 - "$1" "$T_TMP/pv_live" "$T_TMP/pv_routed" <<'PY' || fail "endpoint store"
import glob, json, os, sys
store, live, routed = sys.argv[1], open(sys.argv[2]).read().split(), open(sys.argv[3]).read().split()
keys, owner = [], {}
for path in glob.glob(os.path.join(store, "*", "*.json")):
    key = os.path.basename(path)[:-5]
    keys.append(key)
    doc = json.load(open(path))
    assert doc["manifest_id"] == key, path
    for stop in doc["stops"]:
        for p in stop["parcels"]:
            ref = p["order_ref"]
            assert ref not in owner, "%s under two keys: %s and %s" % (ref, owner[ref], key)
            owner[ref] = key
assert sorted(keys) == sorted(live), "stored %s, live %s" % (sorted(keys), sorted(live))
assert sorted(owner) == sorted(routed), "orders posted differ from orders routed"
print("ok: %d manifests, %d orders, each once" % (len(keys), len(owner)))
PY
}

# pv_hold_wait DIR POINT: t_hold_wait (tests/lib.sh) for a process whose
# VCOURIER_HOLD_DIR is DIR (several processes held at one point need one
# folder each).
pv_hold_wait() { t_wait_file "$1/$2.held" "no process reached the hold point $2 in $1"; }
