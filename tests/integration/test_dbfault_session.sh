#!/bin/bash
# Database faults of one session (issue 5 item 2), on the suite's server:
# a statement timeout while the claim waits for a row lock and while the
# outbox write waits for a table lock, and the job's connection terminated
# (pg_terminate_backend, found by application_name) both inside the
# claim-to-outbox transaction and during delivery. Each time: exit 69 with
# one clear line, the transaction rolled back (nothing half-done), and
# the next run completes the work (check_outcome.py, check_plan.py).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$ROOT/tests/reliability/crash_lib.sh"

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
# hold_lock SQL: a psql session runs SQL (which takes a lock) in a
# transaction and keeps it 60 s or until killed; waits until it holds it.
hold_lock() {
	psql -Xq -v ON_ERROR_STOP=1 -c "SET application_name = 'rl_holder'" \
		-c "BEGIN; $1; SELECT pg_sleep(60); COMMIT" >/dev/null 2>&1 &
	RL_HOLDER=$!
	t_on_exit "kill $RL_HOLDER 2>/dev/null"
	rl_wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'rl_holder'
	                           AND query LIKE '%pg_sleep%' AND datname = current_database())"
}
release_lock() {
	kill "$RL_HOLDER" 2>/dev/null || true
	wait "$RL_HOLDER" 2>/dev/null || true
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	   WHERE application_name = 'rl_holder' AND datname = current_database()" >/dev/null
}
# job_waiting: the job's backend waits for a lock.
job_waiting() {
	rl_wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name LIKE 'vcourier%'
	                           AND wait_event_type = 'Lock' AND datname = current_database())"
}
# terminate_job: end the job's backend from the server side.
terminate_job() {
	assert_eq "$(q "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
	                WHERE application_name LIKE 'vcourier%' AND datname = current_database()")" 1 \
		"job backends terminated"
}
# background CMD...: start CMD; its pid in RL_PID.
background() {
	"$@" >"$T_TMP/bg.out" 2>"$T_TMP/bg.err" &
	RL_PID=$!
	t_on_exit "kill -9 $RL_PID 2>/dev/null"
}
# exited_unavailable: the background job exited 69 with one clear line.
exited_unavailable() {
	local rc=0 lines
	wait "$RL_PID" || rc=$?
	[ "$rc" -eq 69 ] || fail "exit $rc, expected 69: $(head -c 600 "$T_TMP/bg.err")"
	lines=$(grep -c '^vcourier: ' "$T_TMP/bg.err" || true)
	assert_eq "$lines" 1 "error lines on stderr"
	assert_contains "$(grep '^vcourier: ' "$T_TMP/bg.err")" "$1"
	# anything else on stderr is a logfmt event line
	if grep -v '^vcourier: ' "$T_TMP/bg.err" | grep -vqE '^[0-9T:.-]+Z (error|warn|info) [a-z_]+( |$)'; then
		fail "stray stderr output: $(cat "$T_TMP/bg.err")"
	fi
	note "exit 69: $(grep '^vcourier: ' "$T_TMP/bg.err")"
}
# finish ABANDONED FAILED: the next runs complete the work; the faulted run
# ended failed (when its session survived to say so) or abandoned.
finish() {
	release_lock
	curl -sf -X POST --data '{"reset": true}' "http://127.0.0.1:$DL_PORT/_control" >/dev/null
	rl_until_done "$V" nightly --date "$RL_DATE"
	rl_check_all
	rl_abandoned "$1"
	assert_eq "$(q "SELECT count(*) FROM runs WHERE status = 'failed' AND error IS NOT NULL")" "$2" \
		"failed runs, with their error"
	note "scenario $n ok"
}

# 1. Statement timeout in the claim: a few of the orders are locked by
#    another session; the claim's UPDATE waits and is cancelled.
scenario
hold_lock "SELECT id FROM orders ORDER BY id LIMIT 5 FOR UPDATE"
background env PGOPTIONS="-c statement_timeout=1500" "$V" nightly --date "$RL_DATE"
exited_unavailable "statement timeout"
assert_eq "$(q "$untouched")" t "claim rolled back"
finish 0 1

# 2. Statement timeout in the outbox write: manifests are locked against
#    writes; the claim is done (uncommitted) when the INSERT waits.
scenario
hold_lock "LOCK TABLE manifests IN SHARE MODE"
background env PGOPTIONS="-c statement_timeout=1500" "$V" nightly --date "$RL_DATE"
exited_unavailable "statement timeout"
assert_eq "$(q "$untouched")" t "claim and write rolled back"
finish 0 1

# 3. Connection terminated inside the transaction (waiting on the write).
scenario
hold_lock "LOCK TABLE manifests IN SHARE MODE"
background "$V" nightly --date "$RL_DATE"
job_waiting
terminate_job
exited_unavailable "database unavailable"
assert_eq "$(q "$untouched")" t "transaction rolled back"
finish 1 0

# 4. Connection terminated during delivery (no transaction open; every
#    endpoint holds its post 2 s). What was posted but not recorded is
#    posted again by the next run under the same key and stored once.
scenario
for c in $(q "SELECT code FROM couriers"); do
	dl_faults "$DL_PORT" "$c" '[{"delay": 2, "forever": true}]'
done
background "$V" nightly --date "$RL_DATE"
rl_wait_for "SELECT EXISTS (SELECT 1 FROM manifests)"
terminate_job
exited_unavailable "database unavailable"
assert_eq "$(q "SELECT count(*) FROM delivery_attempts")" 0 "attempts recorded after the loss"
assert_eq "$(q "SELECT bool_and(delivery_status = 'pending') FROM manifests")" t "outbox kept"
finish 1 0
