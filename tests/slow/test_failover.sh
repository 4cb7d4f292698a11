#!/bin/bash
# Failover with a real HA stack (SPEC section 10): a pg_auto_failover
# formation (monitor, primary, synchronous secondary) on loopback ports;
# vcourier reaches it through the libpq multi-host URL with
# target_session_attrs=read-write. The primary is failed over
#  (a) while a hub is being planned (the job held right after its claim),
#  (b) while manifests are being posted (the endpoint holds a POST),
#  (c) by killing the primary outright (its pg_autoctl and postmaster,
#      SIGKILL: the machine dies) while a hub is being planned, the monitor
#      promoting the secondary on its own;
# then `vcourier nightly` for the same date and `vcourier deliver` finish
# the night: every order in exactly one live manifest (or unassigned or
# rejected with its reason), every manifest stored once under one key and
# no order under two keys, the dead runs marked abandoned.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/integration/deliver_lib.sh"
. "$ROOT/tests/integration/nightly_lib.sh"
. "$ROOT/tests/integration/province_lib.sh"
. "$ROOT/tests/slow/failover_lib.sh"
T0=$(date +%s)
DA=2026-12-01
DB=2026-12-02
DC=2026-12-03
af_bindir >/dev/null || fail "pg_auto_failover is not installed (Debian: postgresql-15-auto-failover; make deps installs it)"

af_start
note "formation up in $(($(date +%s) - T0))s: $(af_states | tr '\n' ';')"
assert_eq "$(af_sync_standby)" 1 "synchronous standbys"
vc() { "$VCOURIER" --db "$AF_URI" "$@"; }
vc db migrate >/dev/null
dl_endpoint ep
dl_config "plan_iterations = 1500" "plan_seed = 3" "deliver_timeout_s = 30" "deliver_budget_s = 60"

# Three hubs of six points, two couriers posting to the endpoint, 30
# orders a hub for each of the two dates.
pv_province 3 "$DL_PORT" "$DA" "$DB" "$DC"
primary0=$(af_primary_name)

# (a) Held right after PV01's claim (its transaction open, the orders locked
# on the primary): fail over, then let it go on. Its transaction dies with
# the old primary's session; the run stays 'running' on the new primary.
# This worker does not reconnect (db_reconnect_s = 0): it exits 69 and the
# next `vcourier nightly` finishes the night.
sed 's/^db_reconnect_s.*//' "$VCOURIER_CONFIG" >"$T_TMP/noreconnect.conf"
echo "db_reconnect_s = 0" >>"$T_TMP/noreconnect.conf"
chmod 600 "$T_TMP/noreconnect.conf"
VCOURIER_CONFIG="$T_TMP/noreconnect.conf" VCOURIER_HOLD=after_claim VCOURIER_HOLD_DIR="$T_TMP" \
	"$VCOURIER" --db "$AF_URI" nightly --date "$DA" --jobs 1 --json >"$T_TMP/a1.json" 2>"$T_TMP/a1.err" &
pid=$!
t_hold_wait after_claim
dead_a=$(q "SELECT id FROM runs WHERE status = 'running'")
assert_eq "$(q "SELECT code FROM hubs h JOIN runs r ON r.hub_id = h.id WHERE r.id = :'v1'" "$dead_a")" PV01
af_failover
note "(a) failed over from $primary0 to $(af_primary_name) at $(($(date +%s) - T0))s"
t_hold_release after_claim
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 69 "the job whose database failed over: $(cat "$T_TMP/a1.err")"
assert_contains "$(cat "$T_TMP/a1.err")" "database unavailable"
assert_eq "$(q "SELECT count(*) FROM manifests")" 0 "manifests written by the failed transaction"
assert_eq "$(q "SELECT status FROM runs WHERE id = :'v1'" "$dead_a")" running
# The night goes on against the new primary: the dead run abandoned.
assert_exit 0 vc nightly --date "$DA" --json
echo "$T_OUT" >"$T_TMP/a2.json"
assert_eq "$(q "SELECT status FROM runs WHERE id = :'v1'" "$dead_a")" abandoned
assert_eq "$(wc -l <"$T_TMP/a2.json")" 3 "summaries of the night's second run"
nl_check "$DA" --require-delivered >/dev/null

# (b) Two workers (--jobs 2, reconnecting: the default); the endpoint
# holds PV02-C1's POST: fail over while it is in flight. The POST lands
# (the endpoint stores the manifest) but its worker cannot record it: it
# reconnects to the new primary and runs PV02 again: the lost run is
# abandoned, the manifest posted again under the same key (the endpoint
# answers with its first answer). The other worker lost its session too.
af_wait 120 "the old primary to come back as the secondary" af_settled
dl_faults "$DL_PORT" PV02-C1 '[{"hold": "b"}]'
"$VCOURIER" -v --db "$AF_URI" nightly --date "$DB" --jobs 2 --json >"$T_TMP/b1.json" 2>"$T_TMP/b1.err" &
pid=$!
dl_hold_wait ep b
dead_b=$(q "SELECT r.id FROM runs r JOIN hubs h ON h.id = r.hub_id WHERE r.status = 'running' AND h.code = 'PV02'")
af_failover
note "(b) failed over back to $(af_primary_name) at $(($(date +%s) - T0))s"
dl_release "$DL_PORT" b
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 0 "the workers whose database failed over while posting: $(cat "$T_TMP/b1.err")"
assert_contains "$(cat "$T_TMP/b1.err")" "db_lost hub=PV02"
assert_eq "$(q "SELECT status FROM runs WHERE id = :'v1'" "$dead_b")" abandoned
assert_eq "$(q "SELECT count(*) FROM runs r JOIN hubs h ON h.id = r.hub_id WHERE h.code = 'PV02'
                  AND r.service_date = :'v1' AND r.id > :'v2' AND r.status = 'completed'" "$DB" "$dead_b")" 1
# The night is finished: a later nightly finds every hub done, deliver has nothing.
assert_exit 0 vc nightly --date "$DB" --json
assert_eq "$T_OUT" ""
assert_exit 0 vc deliver
for d in "$DA" "$DB"; do nl_check "$d" --require-delivered >/dev/null; done

# (c) The primary's machine dies while the first hub of the third night is held
# right after its claim. No `perform failover`: the monitor finds the node
# dead and promotes the secondary (health checks made fast for the test,
# af_fast_health_checks). The worker (reconnecting for up to 120 s) loses
# its session, reconnects to the promoted node once the monitor has made
# it writable, abandons its lost run and plans the hub again, then the
# other hubs.
af_wait 120 "the old primary to come back as the secondary" af_settled
af_fast_health_checks
sed 's/^db_reconnect_s.*//' "$VCOURIER_CONFIG" >"$T_TMP/reconnect.conf"
echo "db_reconnect_s = 120" >>"$T_TMP/reconnect.conf"
chmod 600 "$T_TMP/reconnect.conf"
rm -f "$T_TMP/after_claim.held" "$T_TMP/after_claim.release" # (a)'s
VCOURIER_CONFIG="$T_TMP/reconnect.conf" VCOURIER_HOLD=after_claim VCOURIER_HOLD_DIR="$T_TMP" \
	"$VCOURIER" -v --db "$AF_URI" nightly --date "$DC" --jobs 1 --json >"$T_TMP/c1.json" 2>"$T_TMP/c1.err" &
pid=$!
t_hold_wait after_claim
dead_c=$(q "SELECT id FROM runs WHERE status = 'running'")
hub_c=$(q "SELECT code FROM hubs h JOIN runs r ON r.hub_id = h.id WHERE r.id = :'v1' AND r.service_date = :'v2'" "$dead_c" "$DC")
[ -n "$hub_c" ] || fail "the held run $dead_c is not of $DC"
t_kill=$(date +%s)
af_kill_primary
t_hold_release after_claim
af_wait 180 "the monitor to promote the secondary after $AF_DEAD died" af_promoted "$AF_DEAD"
note "(c) killed $AF_DEAD; the other node promoted $(($(date +%s) - t_kill))s later: $(af_states | tr '\n' ';')"
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 0 "the worker whose primary died: $(cat "$T_TMP/c1.err")"
assert_contains "$(cat "$T_TMP/c1.err")" "db_lost hub=$hub_c"
assert_eq "$(wc -l <"$T_TMP/c1.json")" 3 "summaries of the worker whose primary died"
assert_eq "$(q "SELECT status FROM runs WHERE id = :'v1'" "$dead_c")" abandoned
# Nothing left for a later night or deliver.
assert_exit 0 vc nightly --date "$DC" --json
assert_eq "$T_OUT" ""
assert_exit 0 vc deliver
nl_check "$DC" --require-delivered >/dev/null

# Nothing lost, nothing twice: every stored manifest is a live one, stored
# under one key; no order is in two stored manifests; the orders routed are
# exactly those stored; every hub of each date has one completed run and
# every other run of the three nights was abandoned.
pv_store_check "$T_TMP/ep"
note "keys posted more than once (the same key again, answered with its first answer): $(dl_requests ep 'r["key"]' | sort | uniq -d | wc -l)"
assert_eq "$(q "SELECT count(*) FROM runs WHERE status = 'running'")" 0
assert_eq "$(q "SELECT count(*) FROM runs WHERE status = 'completed' AND kind = 'nightly'")" 9
assert_eq "$(q "SELECT count(*) FROM runs WHERE status NOT IN ('completed', 'abandoned') AND kind = 'nightly'")" 0
assert_eq "$(q "SELECT count(*) FROM runs WHERE id IN (:'v1', :'v2', :'v3') AND status = 'abandoned'" "$dead_a" "$dead_b" "$dead_c")" 3
# No key was posted again with another body (the endpoint answers that 422).
assert_eq "$(dl_requests ep 'r["status"]' | grep -c '^422$' || true)" 0 "Idempotency-Keys reused with another body"
note "failover test took $(($(date +%s) - T0))s"
