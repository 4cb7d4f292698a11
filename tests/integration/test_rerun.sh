#!/bin/bash
# rerun --run ID: after an endpoint that answered 503 it posts exactly the
# missing manifests under their first Idempotency-Key; after a full
# delivery it posts nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
nl_setup "deliver_budget_s = 1"

# C2's endpoint is down (503 for every request): the night ends partial, 75.
dl_faults "$DL_PORT" C2 '[{"status": 503, "forever": true}]'
assert_exit 75 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --json
echo "$T_OUT" >"$T_TMP/n1.json"
# stderr: the one vcourier: line (log events such as courier_unprotected may come too)
run=$(nl_json "$T_TMP/n1.json" run_id)
assert_eq "$(nl_json "$T_TMP/n1.json" status)" partial
assert_eq "$(grep "^vcourier:" <<<"$T_ERR")" "vcourier: hub H1: run $run left 1 manifests pending, 0 failed, 0 gone (see vcourier run show $run; pending ones are retried by vcourier rerun --run $run, vcourier deliver or the next night)"
assert_eq "$(q "SELECT status FROM runs WHERE id = :'v1'" "$run")" partial
pending=$(q "SELECT string_agg(manifest_id, ' ' ORDER BY manifest_id) FROM manifests WHERE delivery_status = 'pending'")
delivered=$(q "SELECT string_agg(manifest_id, ' ' ORDER BY manifest_id) FROM manifests WHERE delivery_status = 'delivered'")
assert_eq "$pending" "$NL_DATE-H1-C2-v1"
[ -n "$delivered" ] || fail "nothing delivered to C1"
assert_eq "$(nl_json "$T_TMP/n1.json" delivery pending)" 1
# the orders of the pending manifest are manifested, not delivered
assert_eq "$(q "SELECT DISTINCT status FROM orders WHERE manifest_id = :'v1'" "$pending")" manifested

# While it is still down, a rerun leaves it pending (75) and says so.
assert_exit 75 "$VCOURIER" rerun --run "$run"
assert_contains "$T_OUT" "rerun"
assert_contains "$T_ERR" "left 1 manifests pending"
assert_contains "$T_OUT" "0 delivered, 1 pending"

# The endpoint is back: the rerun posts exactly the missing manifest.
dl_faults "$DL_PORT" C2 '[]'
ok_before=$(dl_requests ep 'r["key"] if r["status"] < 300 else ""' | grep -c . || true)
n=$(nl_requests)
dl_wait_due
assert_exit 0 "$VCOURIER" rerun --run "$run" --json
echo "$T_OUT" >"$T_TMP/r.json"
assert_eq "$(nl_json "$T_TMP/r.json" rerun_of)" "$run"
assert_eq "$(nl_json "$T_TMP/r.json" delivery delivered)" 1
assert_eq "$(tail -n +$((n + 1)) "$T_TMP/ep/requests.jsonl" | python3 -c 'import json,sys
for l in sys.stdin: r = json.loads(l); print(r["key"], r["status"])')" "$pending 201"
assert_eq "$(q "SELECT count(*) FROM manifests WHERE delivery_status <> 'delivered'")" 0
assert_eq "$(q "SELECT DISTINCT status FROM orders WHERE manifest_id = :'v1'" "$pending")" delivered
nl_check "$NL_DATE" --hub H1 --summary "$T_TMP/n1.json" --require-delivered
# every manifest was stored once by the endpoint, under its own id
assert_eq "$(dl_requests ep 'r["key"] if r["status"] < 300 else ""' | grep . | sort | uniq -d)" ""
assert_eq "$(dl_requests ep 'r["key"] if r["status"] < 300 else ""' | grep . | sort | tr '\n' ' ')" "$delivered $pending "

# After a full delivery a rerun posts nothing.
n=$(nl_requests)
assert_exit 0 "$VCOURIER" rerun --run "$run"
assert_eq "$(nl_requests)" "$n" "rerun after full delivery posted"
assert_contains "$T_OUT" "0 delivered, 0 pending"

# run show lists the attempts of the rerun runs, and the runs list their kind.
assert_exit 0 "$VCOURIER" runs
assert_eq "$(grep -c ' rerun ' <<<"$T_OUT")" 3
assert_exit 0 "$VCOURIER" run show "$run"
assert_contains "$T_OUT" "manifest $pending"
assert_contains "$T_OUT" "attempt  $pending"
assert_contains "$T_OUT" "http 503"

# Usage errors.
assert_exit 64 "$VCOURIER" rerun
assert_exit 64 "$VCOURIER" rerun --run "$run" --replan
assert_exit 64 "$VCOURIER" rerun --replan
assert_exit 65 "$VCOURIER" rerun --run 999
assert_eq "$T_ERR" "vcourier: run 999 does not exist"
