#!/bin/bash
# No window between loading points and claiming orders (issue 9, defect 8):
# the job is held (hold point before_claim, pkg/util/fault.h) after it has
# read the hub and its couriers; meanwhile a new point with an order is
# added to H1 and H2's point Q1 (with its order) is moved into H1. Points
# were read before the claim, so the run failed "point not loaded"; now
# they are read with the claimed orders' points and the run routes both.
# Checked against the code before the fix (11d2273, d82bc83's parent, with
# only the hold point added): it fails there with "order O-H2: point not
# loaded", exit 70 (docs/RELIABILITY.md, section 2).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
nl_setup

env $(t_hold_env before_claim) "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --json \
	>"$T_TMP/a.json" 2>"$T_TMP/a.err" &
pid=$!
t_on_exit "kill $pid 2>/dev/null"
t_hold_wait before_claim
q "INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min)
   SELECT 'P9', 'New village', id, 24.82, 113.64, 480, 1020, 5 FROM hubs WHERE code = 'H1';
   INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date)
   SELECT 'O-P9', id, 4, 0.02, :'v1' FROM points WHERE code = 'P9';
   UPDATE points SET hub_id = (SELECT id FROM hubs WHERE code = 'H1') WHERE code = 'Q1'" "$NL_DATE"
t_hold_release before_claim
rc=0
wait $pid || rc=$?
assert_eq "$rc" 0 "nightly: $(cat "$T_TMP/a.err")"
assert_eq "$(nl_json "$T_TMP/a.json" orders_claimed)" 34
assert_eq "$(q "SELECT status FROM orders WHERE order_ref = 'O-P9'")" delivered
# Q1 is far from H1: its order is claimed by H1's run, routed or unassigned with a reason
assert_eq "$(q "SELECT run_id = :'v1' AND (status = 'delivered' OR reason LIKE 'unassigned:%')
                FROM orders WHERE order_ref = 'O-H2'" "$(nl_json "$T_TMP/a.json" run_id)")" t
nl_check "$NL_DATE" --hub H1 --summary "$T_TMP/a.json" --require-delivered >/dev/null
