#!/bin/bash
# Multi-trip tricycles (issue 12 item 5): three 250 kg tricycles and about
# 1.4 t of parcels at six villages. With one trip each (the default) the
# fleet carries at most 750 kg and the rest stays pending; with max_trips 3
# (couriers.csv column, imported) every order is in exactly one manifest,
# each courier comes back to the hub to unload between trips (unload stops
# in the signed manifest, ETAs running on through hub_unload_min), the
# independent checker passes trip by trip, `manifest verify` accepts the
# bodies and the text and HTML sheets show the trips. A bad max_trips is a
# rejected row; max_trips.PROFILE gives the default for a profile.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
D=2026-12-02
t_newdb
dl_endpoint ep
dl_config "plan_iterations = 4000" "plan_seed = 3" "hub_unload_min = 15"
url="http://127.0.0.1:$DL_PORT/couriers"

cat >"$T_TMP/hubs.csv" <<EOF
code,name,lat,lon
TH,三轮车站,34.80,115.50
EOF
cat >"$T_TMP/points.csv" <<EOF
code,name,hub_code,lat,lon,open,close,service_min
V1,东村,TH,34.82,115.52,07:00,19:00,10
V2,西村,TH,34.79,115.47,07:00,19:00,10
V3,南村,TH,34.77,115.51,07:00,19:00,10
V4,北村,TH,34.84,115.49,07:00,19:00,10
V5,河村,TH,34.81,115.56,07:00,19:00,10
V6,山村,TH,34.76,115.45,07:00,19:00,10
EOF
cat >"$T_TMP/couriers.csv" <<EOF
code,name,hub_code,capacity_kg,capacity_m3,shift_start,shift_end,endpoint_url,profile
T1,三轮一,TH,250,2,07:00,19:00,$url/T1,tricycle
T2,三轮二,TH,250,2,07:00,19:00,$url/T2,tricycle
T3,三轮三,TH,250,2,07:00,19:00,$url/T3,tricycle
EOF
# 6 villages x 12 parcels of 18..22 kg: about 1.44 t, nearly six tricycle loads
python3 - "$T_TMP/orders.csv" "$D" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("order_ref,point_code,weight_kg,volume_m3,ready_date,seller\n")
    for v in range(1, 7):
        for k in range(12):
            f.write("O-V%d-%02d,V%d,%d.000,0.0200,%s,卖家%d\n" % (v, k, v, 18 + (k + v) % 5, sys.argv[2], k))
EOF
for kind in hubs points couriers orders; do
	assert_exit 0 "$VCOURIER" import "$kind" "$T_TMP/$kind.csv"
done
assert_eq "$(q "SELECT count(*) FROM couriers WHERE max_trips IS NULL")" 3

# One trip each (max_trips defaults to 1): at most 750 kg leave the hub.
assert_exit 0 "$VCOURIER" nightly --date "$D" --hub TH --dry-run --json
echo "$T_OUT" >"$T_TMP/one.json"
python3 - "$T_TMP/one.json" <<'EOF' || fail "one trip each should leave orders out"
import json, sys
s = json.load(open(sys.argv[1]))
assert len(s["unassigned"]) > 30, len(s["unassigned"])
assert all(m["parcels"] <= 14 for m in s["manifests"]), s["manifests"]
EOF

# max_trips.tricycle: the default for the profile, no column needed.
dl_config "plan_iterations = 4000" "plan_seed = 3" "hub_unload_min = 15" "max_trips.tricycle = 3"
assert_exit 0 "$VCOURIER" nightly --date "$D" --hub TH --dry-run --json
echo "$T_OUT" >"$T_TMP/profile.json"
assert_eq "$(nl_json "$T_TMP/profile.json" unassigned)" "[]"
dl_config "plan_iterations = 4000" "plan_seed = 3" "hub_unload_min = 15"

# A bad max_trips is one rejected row, the others imported.
cat >"$T_TMP/bad.csv" <<EOF
code,name,hub_code,capacity_kg,capacity_m3,shift_start,shift_end,endpoint_url,profile,max_trips
T1,三轮一,TH,250,2,07:00,19:00,$url/T1,tricycle,3
T2,三轮二,TH,250,2,07:00,19:00,$url/T2,tricycle,0
EOF
assert_exit 65 "$VCOURIER" import couriers "$T_TMP/bad.csv"
assert_contains "$T_ERR" "bad.csv:3: max_trips: value \"0\" must be a whole number of trips from 1 to 32"
assert_eq "$(q "SELECT string_agg(code || '=' || coalesce(max_trips::text, '-'), ' ' ORDER BY code) FROM couriers")" \
	"T1=3 T2=- T3=-"

# The column, by header name: three trips a day for every tricycle.
sed -e '1s/$/,max_trips/' -e '2,$s/$/,3/' "$T_TMP/couriers.csv" >"$T_TMP/couriers3.csv"
assert_exit 0 "$VCOURIER" import couriers "$T_TMP/couriers3.csv"
assert_eq "$(q "SELECT string_agg(max_trips::text, ' ' ORDER BY code) FROM couriers")" "3 3 3"

assert_exit 0 "$VCOURIER" nightly --date "$D" --hub TH --json
echo "$T_OUT" >"$T_TMP/n.json"
assert_eq "$(nl_json "$T_TMP/n.json" unassigned)" "[]"
assert_eq "$(nl_json "$T_TMP/n.json" orders_routed)" 72
# every order in exactly one live manifest, each trip within 250 kg, at
# most 3 trips, the shift, the windows, the unload stops consistent
nl_check "$D" --hub TH --summary "$T_TMP/n.json" --require-delivered --unload-min 15
assert_eq "$(q "SELECT count(*) FROM orders WHERE status = 'delivered' AND manifest_id IS NOT NULL")" 72

# The bodies: unload stops at the hub between trips, ETAs running on.
q "SELECT manifest_id FROM manifests ORDER BY 1" >"$T_TMP/ids"
n_multi=0
while read -r id; do
	q "SELECT body FROM manifests WHERE manifest_id = :'v1'" "$id" >"$T_TMP/$id.json"
	assert_exit 0 "$VCOURIER" manifest verify "$T_TMP/$id.json"
	trips=$(python3 - "$T_TMP/$id.json" <<'EOF'
import json, sys
b = json.load(open(sys.argv[1]))
stops, trip, last = b["stops"], 1, -1
for s in stops:
    eta = int(s["eta"][:2]) * 60 + int(s["eta"][3:5])
    assert eta >= last, ("ETAs go back", s["seq"])
    if s.get("kind") == "unload":
        assert s["point"]["code"] == b["hub"]["code"] and s["trip"] == trip and "parcels" not in s
        leaves = int(s["leaves"][:2]) * 60 + int(s["leaves"][3:5])
        assert leaves - eta >= 15, ("unload shorter than hub_unload_min", s)
        last, trip = leaves, trip + 1
    else:
        assert s["trip"] == trip if b["totals"].get("trips") else "trip" not in s
        assert sum(p["weight_kg"] for p in s["parcels"]) == s["weight_kg"]
        last = eta
assert b["totals"].get("trips", 1) == trip
print(trip)
EOF
) || fail "$id: bad trips"
	[ "$trips" -ge 2 ] && n_multi=$((n_multi + 1))
	if [ "$trips" -ge 2 ]; then
		assert_exit 0 "$VCOURIER" manifest show "$id"
		assert_contains "$T_OUT" "trips    $trips (back to the hub to unload between them)"
		assert_contains "$T_OUT" "--- end of trip 1: back at the hub"
		assert_exit 0 "$VCOURIER" manifest show "$id" --format html
		printf '%s\n' "$T_OUT" >"$T_TMP/$id.html"
		"$VCOURIER" manifest show "$id" --format json >"$T_TMP/$id.show.json"
		sha=$(q "SELECT sha256 FROM manifests WHERE manifest_id = :'v1'" "$id")
		# the independent sheet checker: rows, trip rows, markers, cards, pages
		pages=$(python3 "$ROOT/tests/html_check.py" sheet "$T_TMP/$id.html" "$T_TMP/$id.show.json" "$sha") ||
			fail "$id: $pages"
		assert_contains "$T_OUT" '<tr class="trip">'
		assert_contains "$T_OUT" "end of trip 1 第1趟结束"
		assert_contains "$T_OUT" "trips 趟数"
	fi
done <"$T_TMP/ids"
# 1.44 t on 250 kg tricycles: six loads, so two couriers at least, and
# every courier sent out makes two or three trips
n_routes=$(wc -l <"$T_TMP/ids")
[ "$n_routes" -ge 2 ] || fail "1.44 t in $n_routes tricycle routes"
assert_eq "$n_multi" "$n_routes" "every tricycle sent out should make several trips"
assert_eq "$(python3 -c 'import json,sys; print(sum(1 for m in json.load(open(sys.argv[1]))["manifests"]))' "$T_TMP/n.json")" "$n_routes"

# The checker catches a trip over the capacity: the same plan read with a
# vehicle of half the size fails.
q "UPDATE couriers SET capacity_kg = 125"
if out=$(python3 "$ROOT/tests/check_plan.py" --date "$D" --hub TH --unload-min 15); then
	fail "check_plan passed trips over a 125 kg vehicle: $out"
fi
assert_contains "$out" "over the capacity 125"
# ... and more trips than the courier may make
q "UPDATE couriers SET capacity_kg = 250, max_trips = 1"
if out=$(python3 "$ROOT/tests/check_plan.py" --date "$D" --hub TH --unload-min 15); then
	fail "check_plan passed several trips for max_trips 1: $out"
fi
assert_contains "$out" "trips, the courier may make 1"
echo "ok"
