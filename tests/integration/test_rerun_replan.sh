#!/bin/bash
# rerun --date D --replan: the orders of the date's live manifests (minus
# the cancelled ones) plus the pending ones are planned again; every
# courier with a live manifest gets version n+1 naming the one it replaces
# (an empty one when it has no route any more); the old versions are
# superseded; the endpoint receives the new versions. --dry-run changes nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
nl_setup
# Vans only (the small one sits out), so that both vans get a route tonight.
q "UPDATE couriers SET active = false WHERE code = 'C3'"
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --json
assert_eq "$(q "SELECT string_agg(manifest_id, ' ' ORDER BY manifest_id) FROM manifests")" "$NL_DATE-H1-C1-v1 $NL_DATE-H1-C2-v1"

# During the evening: one order cancelled, a new one ready.
q "UPDATE orders SET status = 'cancelled' WHERE order_ref = 'O-P2-1'"
q "INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date)
   SELECT 'O-NEW', id, 4, 0.02, :'v1' FROM points WHERE code = 'P4'" "$NL_DATE"

before=$(t_snapshot)
n=$(nl_requests)
assert_exit 0 "$VCOURIER" rerun --date "$NL_DATE" --replan --hub H1 --dry-run --json --dump-problem "$T_TMP"
assert_eq "$(t_snapshot)" "$before" "dry-run replan changed a table"
assert_eq "$(nl_requests)" "$n"
# --dump-problem: the replan's problem, under its own name, plans again
assert_exit 0 "$VCOURIER" route --problem "$T_TMP/H1-$NL_DATE-replan.problem" --iterations 500
assert_contains "$T_OUT" "Distance "
assert_exit 64 "$VCOURIER" rerun --run 1 --dump-problem "$T_TMP"

# C1 got a bigger truck and each vehicle used costs much: the replan puts
# everything in C1's, and C2 gets an empty version that voids its manifest.
q "UPDATE couriers SET capacity_kg = 2000 WHERE code = 'C1'"
dl_config "plan_iterations = 3000" "plan_seed = 5" "vehicle_fixed_cost_km = 1000"
assert_exit 0 "$VCOURIER" rerun --date "$NL_DATE" --replan --hub H1 --json
echo "$T_OUT" >"$T_TMP/r.json"
assert_eq "$(nl_json "$T_TMP/r.json" kind)" replan
assert_eq "$(nl_json "$T_TMP/r.json" orders_claimed)" 30   # 30 manifested - 1 cancelled + 1 new
assert_eq "$(q "SELECT string_agg(manifest_id || '>' || coalesce(superseded_by, '-') || ':' || delivery_status, ' ' ORDER BY manifest_id) FROM manifests")" \
	"$NL_DATE-H1-C1-v1>$NL_DATE-H1-C1-v2:delivered $NL_DATE-H1-C1-v2>-:delivered $NL_DATE-H1-C2-v1>$NL_DATE-H1-C2-v2:delivered $NL_DATE-H1-C2-v2>-:delivered"
assert_eq "$(q "SELECT string_agg(manifest_id || '<' || replaces, ' ' ORDER BY manifest_id) FROM manifests WHERE version = 2")" \
	"$NL_DATE-H1-C1-v2<$NL_DATE-H1-C1-v1 $NL_DATE-H1-C2-v2<$NL_DATE-H1-C2-v1"
assert_eq "$(q "SELECT string_agg(manifest_id || '=' || parcels, ' ' ORDER BY manifest_id) FROM manifests WHERE version = 2")" \
	"$NL_DATE-H1-C1-v2=30 $NL_DATE-H1-C2-v2=0"
# what the couriers received names the version it replaces
for c in C1 C2; do
	assert_eq "$(python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); print(d["version"], d["replaces"])' \
		"$T_TMP/ep/$c/$NL_DATE-H1-$c-v2.json")" "2 $NL_DATE-H1-$c-v1"
done
# the cancelled order stays as it was, in no live manifest
assert_eq "$(q "SELECT status || ' ' || (manifest_id LIKE '%-v1') FROM orders WHERE order_ref = 'O-P2-1'")" "cancelled true"
assert_eq "$(q "SELECT count(*) FROM manifests WHERE version = 2 AND body LIKE '%\"O-P2-1\"%'")" 0
assert_eq "$(q "SELECT status FROM orders WHERE order_ref = 'O-NEW'")" delivered
assert_eq "$(q "SELECT count(*) FROM orders WHERE status = 'delivered' AND manifest_id NOT LIKE '%-v2'")" 0
nl_check "$NL_DATE" --hub H1 --summary "$T_TMP/r.json" --require-delivered

# A replan of a date with nothing planned for it does nothing.
assert_exit 0 "$VCOURIER" rerun --date 2026-11-15 --replan --hub H1 --json
echo "$T_OUT" >"$T_TMP/e.json"
assert_eq "$(nl_json "$T_TMP/e.json" manifests)" "[]"
