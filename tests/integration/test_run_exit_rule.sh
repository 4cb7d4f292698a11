#!/bin/bash
# The one exit-code rule (pkg/run, README "Exit codes"): a hub with one
# manifest refused for good and one still pending exits 69, not 75, from
# deliver and from rerun alike (a retrying wrapper must not loop on a
# night that needs an operator); the run is 'partial' with both counted.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
dl_setup "deliver_budget_s = 1"
dl_courier C1 "http://127.0.0.1:$DL_PORT/couriers/C1"
dl_courier C2 "http://127.0.0.1:$DL_PORT/couriers/C2"
dl_manifest M-BAD C1
dl_manifest M-LATER C2
dl_faults "$DL_PORT" C1 '[{"status": 400, "forever": true}]'
dl_faults "$DL_PORT" C2 '[{"status": 503, "forever": true}]'

assert_exit 69 "$VCOURIER" deliver --json
assert_eq "$(python3 -c 'import json,sys; h=json.load(sys.stdin)[0]; print(h["failed"], h["pending"], h["exit"])' <<<"$T_OUT")" "1 1 69"
assert_contains "$T_ERR" "refused for good"
assert_eq "$(q "SELECT status FROM runs WHERE kind = 'deliver'")" partial

# the same outcome through rerun --run (the manifests are run 1's; M-BAD
# made pending again, as if an operator had asked for another try)
q "UPDATE manifests SET delivery_status = 'pending' WHERE manifest_id = 'M-BAD'" >/dev/null
assert_exit 69 "$VCOURIER" rerun --run 1 --json
assert_eq "$(q "SELECT status FROM runs WHERE kind = 'rerun'")" partial
assert_contains "$T_ERR" "1 failed"

# only pending left: 75; then delivered: 0
dl_faults "$DL_PORT" C1 '[]'
q "UPDATE manifests SET delivery_status = 'delivered' WHERE manifest_id = 'M-BAD'" >/dev/null
assert_exit 75 "$VCOURIER" deliver
dl_faults "$DL_PORT" C2 '[]'
assert_exit 0 "$VCOURIER" deliver --force
assert_eq "$(dl_status M-LATER)" "delivered $(q "SELECT attempts FROM manifests WHERE manifest_id = 'M-LATER'") 201"
