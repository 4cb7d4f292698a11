#!/bin/bash
# nightly on the sample county (fixtures/county) against the real courier
# endpoint: every valid order is in exactly one delivered manifest or in
# the summary's unassigned list, every invalid one rejected with its
# reason, and the independent checker (tests/check_plan.py) finds no route
# breaking capacity, shift, windows or max_km. The checker is shown to
# catch a broken plan, so its OK means something.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
t_newdb
dl_endpoint ep
dl_config "plan_iterations = 5000"
for kind in hubs points couriers orders; do
	assert_exit 0 "$VCOURIER" import "$kind" "$ROOT/fixtures/county/$kind.csv"
done
DATE=$(awk -F, 'NR == 2 { print $5 }' "$ROOT/fixtures/county/orders.csv")
q "UPDATE couriers SET endpoint_url = replace(endpoint_url, '127.0.0.1:18080', '127.0.0.1:' || :'v1')" "$DL_PORT"
# Invalid orders: a point closed since, and a parcel heavier than any vehicle.
closed=$(q "SELECT code FROM points ORDER BY code LIMIT 1")
q "UPDATE points SET active = false WHERE code = :'v1'" "$closed"
q "INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date)
   SELECT 'O-TOO-HEAVY', max(id), 1500, 2, :'v1' FROM points WHERE active" "$DATE"
valid=$(q "SELECT count(*) FROM orders o JOIN points p ON p.id = o.point_id WHERE p.active AND o.weight_kg < 1500")
closed_orders=$(q "SELECT string_agg(order_ref, ' ' ORDER BY order_ref) FROM orders o JOIN points p ON p.id = o.point_id WHERE NOT p.active")

assert_exit 0 "$VCOURIER" nightly --date "$DATE" --json
echo "$T_OUT" >"$T_TMP/s.json"
nl_check "$DATE" --summary "$T_TMP/s.json" --require-delivered
routed=$(nl_json "$T_TMP/s.json" orders_routed)
n_unassigned=$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])))' "$(nl_json "$T_TMP/s.json" unassigned)")
assert_eq "$((routed + n_unassigned))" "$valid" "routed + unassigned"
assert_eq "$(q "SELECT count(*) FROM orders WHERE status = 'delivered'")" "$routed"
# every delivered order in exactly one manifest the endpoint stored, byte for byte
python3 - "$T_TMP/ep" "$routed" <<'PY' || fail "endpoint store does not hold every routed order once"
import json, os, sys
store, routed = sys.argv[1], int(sys.argv[2])
refs = []
for courier in os.listdir(store):
    d = os.path.join(store, courier)
    if os.path.isdir(d):
        for f in os.listdir(d):
            doc = json.load(open(os.path.join(d, f), encoding="utf-8"))
            refs += [p["order_ref"] for s in doc["stops"] for p in s["parcels"]]
sys.exit(0 if len(refs) == routed == len(set(refs)) else 1)
PY
for m in $(q "SELECT manifest_id || '/' || sha256 FROM manifests"); do
	id=${m%/*}
	courier=$(q "SELECT c.code FROM manifests m JOIN couriers c ON c.id = m.courier_id WHERE manifest_id = :'v1'" "$id")
	assert_eq "$(sha256sum <"$T_TMP/ep/$courier/$id.json" | cut -d' ' -f1)" "${m#*/}" "$id stored bytes"
done
# every invalid order rejected with its reason
assert_eq "$(q "SELECT reason FROM orders WHERE order_ref = 'O-TOO-HEAVY'")" \
	"1500.000 kg / 2.0000 m3 fits no vehicle of hub CAO (largest: 1000.000 kg, 8.0000 m3)"
for ref in $closed_orders; do
	assert_eq "$(q "SELECT status || ': ' || reason FROM orders WHERE order_ref = :'v1'" "$ref")" \
		"rejected: collection point $closed is inactive"
done
assert_eq "$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])))' "$(nl_json "$T_TMP/s.json" rejected)")" \
	"$(($(wc -w <<<"$closed_orders") + 1))"

# The checker is not vacuous: a courier whose van shrank, or whose shift
# got shorter, breaks the stored plan, and the checker says so.
big=$(q "SELECT c.code FROM manifests m JOIN couriers c ON c.id = m.courier_id ORDER BY m.weight_kg DESC LIMIT 1")
q "UPDATE couriers SET capacity_kg = 1, shift_end_min = shift_start_min + 1 WHERE code = :'v1'" "$big"
out=$(python3 "$ROOT/tests/check_plan.py" --date "$DATE") && fail "checker accepted a broken plan"
assert_contains "$out" "kg over the capacity 1.000 kg"
assert_contains "$out" "after the shift end"
