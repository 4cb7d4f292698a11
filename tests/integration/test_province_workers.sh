#!/bin/bash
# Several workers share a night (SPEC section 10, issue 10 items 1 and 2):
# 1. two `vcourier nightly --jobs 2` released at the same instant on a
#    dozen hubs: each hub planned exactly once (one run), both exit 0,
#    every due order in exactly one live manifest, each posted once;
# 2. deterministic: a worker holds hub PV01 (stopped right after its
#    claim); a second worker skips it as `taken by run R on HOST (pid P)`
#    and plans the rest, exit 0; released, the first finishes PV01 and
#    finds every other hub done: exit 0, still one run per hub;
# 3. `vcourier runs --date D`: every hub's state, run, host and totals.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
. "$(dirname "$0")/province_lib.sh"
D1=2026-12-01
D2=2026-12-02
t_newdb
dl_endpoint ep
dl_config "plan_iterations = 800" "plan_seed = 3" "deliver_budget_s = 20" "deliver_timeout_s = 10"
pv_province 12 "$DL_PORT" "$D1" "$D2"

# 1. Both workers stop after listing the hubs, and are released together.
for w in a b; do
	mkdir -p "$T_TMP/$w"
	VCOURIER_HOLD=province_start VCOURIER_HOLD_DIR="$T_TMP/$w" \
		"$VCOURIER" nightly --date "$D1" --jobs 2 --json >"$T_TMP/$w.json" 2>"$T_TMP/$w.err" &
	eval "pid_$w=$!"
done
pv_hold_wait "$T_TMP/a" province_start
pv_hold_wait "$T_TMP/b" province_start
: >"$T_TMP/a/province_start.release" &
: >"$T_TMP/b/province_start.release"
wait $!
for w in a b; do
	rc=0
	eval "wait \$pid_$w" || rc=$?
	assert_eq "$rc" 0 "worker $w: $(cat "$T_TMP/$w.err")"
done
assert_eq "$(q "SELECT count(*) FROM runs WHERE service_date = :'v1'" "$D1")" 12 "runs of the night"
assert_eq "$(q "SELECT count(DISTINCT hub_id) FROM runs WHERE service_date = :'v1' AND status = 'completed'" "$D1")" 12
assert_eq "$(cat "$T_TMP/a.json" "$T_TMP/b.json" | wc -l)" 12 "summaries printed by the two workers"
assert_eq "$(cat "$T_TMP/a.json" "$T_TMP/b.json" | python3 -c 'import json,sys
print(sum(json.loads(l)["orders_claimed"] for l in sys.stdin))')" 360 "orders claimed by the two"
note "worker a planned $(wc -l <"$T_TMP/a.json") hubs, b $(wc -l <"$T_TMP/b.json"); skipped: $(cat "$T_TMP/a.err" "$T_TMP/b.err" | grep -c 'taken by run' || true) taken"
nl_check "$D1" --require-delivered >/dev/null
pv_store_check "$T_TMP/ep" >/dev/null

# 2. Worker A stops right after PV01's claim (the hubs have the same size:
# PV01 comes first), holding its lock; worker B starts then.
VCOURIER_HOLD=after_claim VCOURIER_HOLD_DIR="$T_TMP" \
	"$VCOURIER" nightly --date "$D2" --jobs 1 --json >"$T_TMP/a2.json" 2>"$T_TMP/a2.err" &
pid_a=$!
t_hold_wait after_claim
read -r run host pid <<<"$(q "SELECT id || ' ' || host || ' ' || pid FROM runs WHERE status = 'running'")"
assert_eq "$pid" "$pid_a" "pid recorded in the run"
assert_eq "$host" "$(hostname)" "host recorded in the run"
assert_exit 0 "$VCOURIER" nightly --date "$D2" --jobs 2 --json
assert_contains "$T_ERR" "vcourier: hub PV01: taken by run $run on $host (pid $pid_a)"
assert_eq "$(wc -l <<<"$T_OUT")" 11 "hubs the second worker planned"
# While A still holds PV01, the board says so.
assert_exit 0 "$VCOURIER" runs --date "$D2"
assert_contains "$T_OUT" "PV01"
assert_eq "$(grep -c ' done ' <<<"$T_OUT")" 11 "hubs done on the board: $T_OUT"
assert_eq "$(grep '^PV01 ' <<<"$T_OUT" | awk '{print $2, $3}')" "running $run"
t_hold_release after_claim
rc=0
wait "$pid_a" || rc=$?
assert_eq "$rc" 0 "worker A: $(cat "$T_TMP/a2.err")"
assert_eq "$(wc -l <"$T_TMP/a2.json")" 1 "hubs the first worker planned"
assert_eq "$(q "SELECT count(*) FROM runs WHERE service_date = :'v1'" "$D2")" 12 "one run per hub"
nl_check "$D2" --require-delivered >/dev/null
pv_store_check "$T_TMP/ep" >/dev/null
# A third worker later finds the whole night done: nothing run, exit 0.
assert_exit 0 "$VCOURIER" -v nightly --date "$D2" --json
assert_eq "$T_OUT" ""
assert_eq "$(grep -c 'done by run' <<<"$T_ERR")" 12
assert_eq "$(q "SELECT count(*) FROM runs WHERE service_date = :'v1'" "$D2")" 12

# 3. The board of the night, and its JSON.
assert_exit 0 "$VCOURIER" runs --date "$D2"
assert_eq "$(grep -c ' done ' <<<"$T_OUT")" 12 "$T_OUT"
assert_contains "$T_OUT" "12 hubs: 12 done, 0 partial, 0 running, 0 failed, 0 not started"
assert_contains "$T_OUT" "360 orders claimed, 360 routed, 0 rejected, 0 unassigned"
assert_exit 0 "$VCOURIER" runs --date 2026-12-09 --json
assert_eq "$(python3 -c 'import json,sys; print(sorted(set(json.loads(l)["state"] for l in sys.stdin)))' <<<"$T_OUT")" "['not started']"
