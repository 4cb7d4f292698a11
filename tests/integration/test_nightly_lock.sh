#!/bin/bash
# The hub lock: a second run for a hub exits 75 at once naming the holder,
# a run for another hub proceeds; a run whose process died is recovered
# (marked abandoned) by the next one; two real concurrent nightly runs for
# one hub: one exits 75, the other does the whole work, once.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
nl_setup "deliver_timeout_s = 60" "deliver_budget_s = 120"
h1=$(q "SELECT id FROM hubs WHERE code = 'H1'")

# 1. Two real runs at once. The endpoint holds the first run's post to C1
# (hold and release, never a sleep), so the first run certainly holds the
# lock, its plan committed, while the second starts.
dl_faults "$DL_PORT" C1 '[{"hold": "first"}]'
"$VCOURIER" nightly --date "$NL_DATE" --hub H1 --json >"$T_TMP/a.json" 2>"$T_TMP/a.err" &
first=$!
t_on_exit "kill $first 2>/dev/null"
dl_hold_wait ep first
assert_eq "$(q "SELECT count(*) FROM runs WHERE status = 'running' AND manifests > 0")" 1 "first run is not delivering"
runs_before=$(q "SELECT count(*) FROM runs")
assert_exit 75 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --json
assert_contains "$T_ERR" "holds the hub's lock"
assert_contains "$T_ERR" "on $(hostname)"
dl_release "$DL_PORT" first
rc=0
wait "$first" || rc=$?
assert_eq "$rc" 0 "first run: $(cat "$T_TMP/a.err")"
assert_eq "$(q "SELECT count(*) FROM runs")" "$runs_before" "the locked-out run recorded a run"
# the sum of their work is one run's: every valid order once, manifests once
assert_eq "$(nl_json "$T_TMP/a.json" orders_claimed)" 32
assert_eq "$(q "SELECT count(*) FROM manifests")" "$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])))' "$(nl_json "$T_TMP/a.json" manifests)")"
nl_check "$NL_DATE" --hub H1 --summary "$T_TMP/a.json" --require-delivered >/dev/null

# 2. Deterministic: a psql session holds H1's lock (the same key as db/lock.c).
mkfifo "$T_TMP/hold"
psql -XAtq -v ON_ERROR_STOP=1 <"$T_TMP/hold" >"$T_TMP/hold.out" 2>&1 &
holder=$!
exec 3>"$T_TMP/hold"
t_on_exit "exec 3>&-; kill $holder 2>/dev/null; wait $holder 2>/dev/null"
echo "SELECT pg_advisory_lock(730518, $h1::int); SELECT 'locked';" >&3
for _ in $(seq 1200); do grep -q locked "$T_TMP/hold.out" && break; sleep 0.05; done
grep -q locked "$T_TMP/hold.out" || fail "psql did not take the lock"
# a dead run of H1 (its process was killed): still 'running'
q "INSERT INTO runs (kind, hub_id, service_date, pid) VALUES ('nightly', :'v1', :'v2', 1)" "$h1" "$NL_DATE"
dead=$(q "SELECT max(id) FROM runs")

before=$(t_snapshot)
n=$(nl_requests)
assert_exit 75 "$VCOURIER" nightly --date "$NL_DATE" --hub H1
assert_eq "$T_ERR" "vcourier: hub H1: run $dead (pid 1, started $(q "SELECT to_char(started_at, 'YYYY-MM-DD HH24:MI:SS TZ') FROM runs WHERE id = :'v1'" "$dead")) holds the hub's lock; try again when it ends"
assert_eq "$T_OUT" ""
assert_exit 75 "$VCOURIER" rerun --date "$NL_DATE" --replan --hub H1
assert_exit 75 "$VCOURIER" rerun --run "$(q "SELECT min(id) FROM runs")"
assert_eq "$(t_snapshot)" "$before" "a locked-out run wrote something"
assert_eq "$(nl_requests)" "$n" "a locked-out run posted"
# another hub proceeds, alone or in a run of every hub (which ends 75)
assert_exit 75 "$VCOURIER" nightly --date "$NL_DATE"
assert_contains "$T_OUT" "hub H2 $NL_DATE: nightly run"
assert_contains "$T_OUT" "1 orders claimed, 1 routed"
assert_contains "$T_ERR" "hub H1: run $dead"
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H2

# 3. The holder ends: the next run takes the lock and recovers the dead run.
echo "SELECT pg_advisory_unlock(730518, $h1::int);" >&3
exec 3>&-
wait "$holder" 2>/dev/null || true
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --dry-run
assert_eq "$(q "SELECT status FROM runs WHERE id = :'v1'" "$dead")" running "dry run recovered a run"
assert_exit 0 "$VCOURIER" -v nightly --date "$NL_DATE" --hub H1 --json
echo "$T_OUT" >"$T_TMP/b.json"
assert_eq "$(nl_json "$T_TMP/b.json" orders_claimed)" 0
assert_eq "$(q "SELECT status FROM runs WHERE id = :'v1'" "$dead")" abandoned
assert_contains "$T_ERR" "run_abandoned run_id=$dead"
nl_check "$NL_DATE" --require-delivered >/dev/null

