#!/bin/bash
# PostgreSQL itself failing (issue 5 item 2), on a private second cluster
# started by this test (tests/pg.sh), never the suite's shared server:
# down when the job starts, stopped while the job is inside its
# claim-to-outbox transaction, restarted while it delivers. Each time:
# exit 69 with one clear line, nothing half-done, and once the server is
# back the next run completes the work (check_outcome.py, check_plan.py).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$ROOT/tests/reliability/crash_lib.sh"
. "$ROOT/tests/pg.sh"

# Our own cluster; every PG* variable now points at it.
pg_start >"$T_TMP/pg_start.log" 2>&1 || fail "second cluster: $(cat "$T_TMP/pg_start.log")"
OWN_PG=$PG_TMP
t_on_exit "PG_TMP=$OWN_PG pg_stop"
own_pg_ctl() {
	pg_as "$PG_BIN/pg_ctl" -D "$OWN_PG/data" -w -t 60 -l "$OWN_PG/server.log" "$@" >>"$T_TMP/pg_ctl.log" 2>&1 \
		|| fail "pg_ctl $*: $(tail -n 5 "$T_TMP/pg_ctl.log" "$OWN_PG/server.log")"
}

rl_county
rl_config "plan_iterations = 3000"
dl_endpoint ep
V=$VCOURIER
n=0
untouched="SELECT NOT EXISTS (SELECT 1 FROM manifests)
           AND NOT EXISTS (SELECT 1 FROM orders WHERE status <> 'pending' OR run_id IS NOT NULL
                           OR reason IS NOT NULL)"

scenario() {
	n=$((n + 1))
	rl_scenario "$n"
}
background() {
	"$@" >"$T_TMP/bg.out" 2>"$T_TMP/bg.err" &
	RL_PID=$!
	t_on_exit "kill -9 $RL_PID 2>/dev/null"
}
# exited_unavailable TEXT: the job exited 69, one 'vcourier:' line holding TEXT.
exited_unavailable() {
	local rc=0
	wait "$RL_PID" || rc=$?
	[ "$rc" -eq 69 ] || fail "exit $rc, expected 69: $(head -c 600 "$T_TMP/bg.err")"
	assert_eq "$(grep -c '^vcourier: ' "$T_TMP/bg.err" || true)" 1 "error lines on stderr"
	assert_contains "$(grep '^vcourier: ' "$T_TMP/bg.err")" "$1"
	note "exit 69: $(grep '^vcourier: ' "$T_TMP/bg.err")"
}
finish() {
	curl -sf -X POST --data '{"reset": true}' "http://127.0.0.1:$DL_PORT/_control" >/dev/null
	rl_until_done "$V" nightly --date "$RL_DATE"
	rl_check_all
	rl_abandoned "$1"
	note "scenario $n ok"
}

# 1. The server is down when the job starts: nothing recorded anywhere.
scenario
own_pg_ctl stop -m fast
background "$V" nightly --date "$RL_DATE"
exited_unavailable "database unavailable"
own_pg_ctl restart
assert_eq "$(q "SELECT count(*) FROM runs")" 0 "runs recorded while the server was down"
finish 0

# 2. Stopped while the job is inside its transaction: a psql session
#    holds manifests against writes, so the job has claimed (uncommitted)
#    and waits on its INSERT when the server stops.
scenario
psql -Xq -c "SET application_name = 'rl_holder'" \
	-c "BEGIN; LOCK TABLE manifests IN SHARE MODE; SELECT pg_sleep(60); COMMIT" >/dev/null 2>&1 &
holder=$!
t_on_exit "kill $holder 2>/dev/null"
rl_wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'rl_holder'
                           AND query LIKE '%pg_sleep%')"
background "$V" nightly --date "$RL_DATE"
rl_wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name LIKE 'vcourier%'
                           AND wait_event_type = 'Lock')"
own_pg_ctl stop -m fast
exited_unavailable "database unavailable"
wait "$holder" 2>/dev/null || true
own_pg_ctl restart
assert_eq "$(q "$untouched")" t "the claim rolled back with the server's stop"
finish 1

# 3. Restarted while the job delivers (every post held 2 s by the
#    endpoint): the posts go on, their outcomes cannot be recorded; the
#    next run posts them again under the same keys, stored once.
scenario
for c in $(q "SELECT code FROM couriers"); do
	dl_faults "$DL_PORT" "$c" '[{"delay": 2, "forever": true}]'
done
background "$V" nightly --date "$RL_DATE"
rl_wait_for "SELECT EXISTS (SELECT 1 FROM manifests)"
own_pg_ctl restart -m fast
exited_unavailable "database unavailable"
assert_eq "$(q "SELECT count(*) FROM delivery_attempts")" 0 "attempts recorded across the restart"
finish 1
