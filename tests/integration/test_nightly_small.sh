#!/bin/bash
# nightly on a small hand-made county: validation reasons, a point split
# across visits, unassigned orders kept pending for the next night (which
# plans them on the couriers still free), --hub, --dry-run changing no
# table, a configuration error refused at start, usage errors, the runs
# reports.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
nl_setup

# Usage and lookup errors: one line each, nothing written.
before=$(t_snapshot)
assert_exit 64 "$VCOURIER" nightly --date 2026-02-30
assert_eq "$T_ERR" "vcourier: bad date '2026-02-30': expected a date as YYYY-MM-DD"
assert_exit 65 "$VCOURIER" nightly --date "$NL_DATE" --hub NOPE
assert_eq "$T_ERR" "vcourier: no hub with code 'NOPE'"

assert_exit 69 "$VCOURIER" --db "host=$T_TMP/nowhere dbname=x" nightly --date "$NL_DATE"
assert_eq "$(wc -l <<<"$T_ERR")" 1
assert_contains "$T_ERR" "vcourier: database unavailable"

# Without --date: tomorrow, local time.
assert_exit 0 "$VCOURIER" nightly --hub H1 --dry-run
assert_contains "$T_OUT" "hub H1 $(date -d tomorrow +%Y-%m-%d): nightly (dry run"

# Dry run: the same plan printed, no table changed, nothing posted.
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --dry-run --json
echo "$T_OUT" >"$T_TMP/dry.json"
assert_eq "$(nl_json "$T_TMP/dry.json" run_id)" "None"
assert_eq "$(nl_json "$T_TMP/dry.json" orders_claimed)" 32
assert_eq "$(t_snapshot)" "$before" "dry run changed a table"
assert_eq "$(nl_requests)" 0 "dry run posted"

# A configuration error is found at start, before anything is locked or
# recorded: one line naming the file, the line and the key, 78, no run
# recorded, no table changed.
before=$(t_snapshot)
dl_config "plan_iterations = 3000" "circuity = 0.5"
assert_exit 78 "$VCOURIER" nightly --date "$NL_DATE" --hub H1
assert_eq "$T_ERR" "vcourier: $VCOURIER_CONFIG:8: circuity: '0.5' is out of range (double, 1 to 10)"
assert_eq "$(q "SELECT count(*) FROM runs")" 0
assert_eq "$(t_snapshot)" "$before" "a refused config changed a table"
dl_config "plan_iterations = 3000" "plan_seed = 5"

# --dump-problem: the hub's route problem as the planner got it. Planned
# again by `vcourier route --problem` with the run's seed, budget and
# threads, it gives the run's plan; an unwritable folder is a warning and
# the night goes on.
mkdir "$T_TMP/dump"
assert_exit 0 "$VCOURIER" -v nightly --date "$NL_DATE" --hub H1 --dry-run --dump-problem "$T_TMP/dump"
dump="$T_TMP/dump/H1-$NL_DATE.problem"
assert_contains "$T_ERR" "dump_problem hub=H1 path=$dump"
plan_line=$(grep ' plan hub=H1 ' <<<"$T_ERR")
dist=$(sed -n 's/.* distance_m=\([0-9]*\).*/\1/p' <<<"$plan_line")
threads=$(sed -n 's/.* threads=\([0-9]*\).*/\1/p' <<<"$plan_line")
[ -n "$dist" ] && [ -n "$threads" ] || fail "no plan line: $T_ERR"
assert_exit 0 "$VCOURIER" route --problem "$dump" --iterations 3000 --seed 5 --threads "$threads"
assert_contains "$T_OUT" "Distance $dist"
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --dry-run --dump-problem "$T_TMP/none"
assert_contains "$T_ERR" "dump_problem hub=H1 error="

# Only the small courier: P1's 1080 kg cannot all go, and not everything fits.
q "UPDATE couriers SET active = false WHERE code IN ('C1', 'C2')"
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --json
echo "$T_OUT" >"$T_TMP/n1.json"
nl_check "$NL_DATE" --hub H1 --summary "$T_TMP/n1.json" --require-delivered
assert_eq "$(nl_json "$T_TMP/n1.json" rejected)" \
	'[{"order_ref": "O-CLOSED", "reason": "collection point P5 is inactive"}, {"order_ref": "O-HEAVY", "reason": "950.000 kg / 1.0000 m3 fits no vehicle of hub H1 (largest: 300.000 kg, 2.0000 m3)"}]'
unassigned=$(q "SELECT count(*) FROM orders WHERE status = 'pending' AND reason LIKE 'unassigned: %'")
[ "$unassigned" -gt 0 ] || fail "expected unassigned orders with one 300 kg van"
assert_eq "$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])))' "$(nl_json "$T_TMP/n1.json" unassigned)")" "$unassigned"
assert_eq "$(q "SELECT count(*) FROM manifests")" 1
assert_eq "$(q "SELECT count(*) FROM orders o JOIN points p ON p.id = o.point_id WHERE p.code = 'Q1' AND o.status = 'pending' AND o.reason IS NULL")" 1 "H2 untouched"
# rejected orders are business output: exit 0, and they stay rejected
assert_eq "$(q "SELECT string_agg(order_ref, ',' ORDER BY order_ref) FROM orders WHERE status = 'rejected'")" "O-CLOSED,O-HEAVY"

# The next night, the vans are back: only they are free, they take the rest.
q "UPDATE couriers SET active = true"
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --json
echo "$T_OUT" >"$T_TMP/n2.json"
assert_eq "$(nl_json "$T_TMP/n2.json" orders_claimed)" "$unassigned"
assert_eq "$(nl_json "$T_TMP/n2.json" unassigned)" "[]"
assert_eq "$(q "SELECT count(*) FROM manifests m JOIN couriers c ON c.id = m.courier_id
	WHERE m.run_id = :'v1' AND c.code NOT IN ('C1', 'C2')" "$(nl_json "$T_TMP/n2.json" run_id)")" 0 "a busy courier got a route"
assert_eq "$(q "SELECT count(*) FROM manifests m JOIN couriers c ON c.id = m.courier_id WHERE c.code = 'C3'")" 1 "C3 got a second manifest"
nl_check "$NL_DATE" --hub H1 --require-delivered
# every valid order of H1 ready by the date is now in exactly one delivered manifest
assert_eq "$(q "SELECT count(*) FROM orders o JOIN points p ON p.id = o.point_id JOIN hubs h ON h.id = p.hub_id
	WHERE h.code = 'H1' AND o.ready_date <= :'v1' AND o.status = 'delivered'" "$NL_DATE")" 30
# P1 (1080 kg) was split across visits, never a parcel
assert_eq "$(q "SELECT count(DISTINCT (manifest_id, stop_seq)) > 1 FROM orders o JOIN points p ON p.id = o.point_id WHERE p.code = 'P1'")" t
# each manifest reached the endpoint exactly once under its own key
assert_eq "$(dl_requests ep 'r["key"]' | sort | uniq -d)" ""
assert_eq "$(dl_requests ep 'r["key"]' | sort | tr '\n' ' ')" "$(q "SELECT string_agg(manifest_id, ' ' ORDER BY manifest_id) || ' ' FROM manifests")"

# A third run finds nothing: no manifest, no request.
n=$(nl_requests)
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --json
echo "$T_OUT" >"$T_TMP/n3.json"
assert_eq "$(nl_json "$T_TMP/n3.json" orders_claimed)" 0
assert_eq "$(nl_requests)" "$n"

# A late order when every usable courier already has its manifest: it
# stays pending, unassigned, with the reason; the sent manifests are untouched.
q "UPDATE couriers SET active = false WHERE id NOT IN (SELECT courier_id FROM manifests)"
q "INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date)
   SELECT 'O-LATE', id, 2, 0.01, :'v1' FROM points WHERE code = 'P3'" "$NL_DATE"
manifests_before=$(q "SELECT md5(string_agg(m::text, ',' ORDER BY manifest_id)) FROM manifests m")
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --json
echo "$T_OUT" >"$T_TMP/n4.json"
assert_eq "$(nl_json "$T_TMP/n4.json" unassigned)" \
	'[{"order_ref": "O-LATE", "reason": "unassigned: no courier of hub H1 is free on 2026-12-01"}]'
assert_eq "$(q "SELECT status FROM orders WHERE order_ref = 'O-LATE'")" pending
assert_eq "$(q "SELECT md5(string_agg(m::text, ',' ORDER BY manifest_id)) FROM manifests m")" "$manifests_before"
q "UPDATE couriers SET active = true"

# A loaded road matrix wins over great-circle x circuity (directed pairs; a
# missing duration comes from the distance at the speed), and the checker
# measures with it too. Human summary and the runs reports.
q "INSERT INTO road_matrix (from_code, to_code, distance_km, duration_min) VALUES
   ('H2', 'Q1', 50, 70), ('Q1', 'H2', 40, NULL)"
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H2
assert_contains "$T_OUT" "hub H2 $NL_DATE: nightly run"
assert_contains "$T_OUT" "1 orders claimed, 1 routed in 1 manifests, 0 rejected, 0 unassigned"
assert_contains "$T_OUT" "90.0 km"
# 70 min out, 10 min at the stop, 40 km back at 30 km/h = 80 min
assert_eq "$(q "SELECT distance_km || ' ' || duration_min FROM manifests m JOIN hubs h ON h.id = m.hub_id WHERE h.code = 'H2'")" "90 160"
nl_check "$NL_DATE" --hub H2 --require-delivered >/dev/null
assert_contains "$T_OUT" "delivery: 1 delivered, 0 pending, 0 failed, 0 gone"
# no key nor token for this courier: posted, and said (issue 9 defect 3)
assert_contains "$T_OUT" "delivery: 1 posted without a signature (no key), 1 without a bearer token"
assert_exit 0 "$VCOURIER" runs --hub H1 --limit 2
assert_eq "$(wc -l <<<"$T_OUT")" 3
assert_contains "$T_OUT" "nightly  H1         $NL_DATE completed"
run1=$(nl_json "$T_TMP/n1.json" run_id)
assert_exit 0 "$VCOURIER" run show "$run1" --json
echo "$T_OUT" >"$T_TMP/show.json"
assert_eq "$(nl_json "$T_TMP/show.json" status)" completed
assert_eq "$(nl_json "$T_TMP/show.json" manifests 0 delivery)" delivered
assert_eq "$(nl_json "$T_TMP/show.json" attempts 0 outcome)" delivered
assert_eq "$(nl_json "$T_TMP/show.json" summary rejected 0 order_ref)" O-CLOSED
assert_exit 0 "$VCOURIER" run show "$run1"
assert_contains "$T_OUT" "run $run1 (nightly) hub H1 date $NL_DATE: completed"
assert_exit 65 "$VCOURIER" run show 999
assert_eq "$T_ERR" "vcourier: run 999 does not exist"
