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

# db_reconnect_s = 0: this test is about the exit and what is left when the
# database goes away; the reconnecting worker is test_failover.sh's.
rl_setup "plan_iterations = 3000" "db_reconnect_s = 0"
V=$VCOURIER

# terminate_job: end the job's backend from the server side.
terminate_job() {
	assert_eq "$(q "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
	                WHERE application_name LIKE 'vcourier%' AND datname = current_database()")" 1 \
		"job backends terminated"
}
# finish ABANDONED FAILED: the next runs complete the work; the faulted run
# ended failed (when its session survived to say so) or abandoned.
finish() {
	rl_release_lock
	rl_finish "$1"
	assert_eq "$(q "SELECT count(*) FROM runs WHERE status = 'failed' AND error IS NOT NULL")" "$2" \
		"failed runs, with their error"
}

# 1. Statement timeout in the claim: a few of the orders are locked by
#    another session; the claim's SELECT ... FOR UPDATE waits and is
#    cancelled.
rl_next
rl_hold_lock "SELECT id FROM orders ORDER BY id LIMIT 5 FOR UPDATE"
rl_background env PGOPTIONS="-c statement_timeout=1500" "$V" nightly --date "$RL_DATE"
rl_exited_unavailable "statement timeout"
assert_eq "$(q "$RL_UNTOUCHED")" t "claim rolled back"
finish 0 1

# 2. Statement timeout in the outbox write: manifests are locked against
#    writes; the claim is done (uncommitted) when the INSERT waits.
rl_next
rl_hold_lock "LOCK TABLE manifests IN SHARE MODE"
rl_background env PGOPTIONS="-c statement_timeout=1500" "$V" nightly --date "$RL_DATE"
rl_exited_unavailable "statement timeout"
assert_eq "$(q "$RL_UNTOUCHED")" t "claim and write rolled back"
finish 0 1

# 3. Connection terminated inside the transaction (waiting on the write).
rl_next
rl_hold_lock "LOCK TABLE manifests IN SHARE MODE"
rl_background "$V" nightly --date "$RL_DATE"
rl_job_waiting
terminate_job
rl_exited_unavailable "database unavailable"
assert_eq "$(q "$RL_UNTOUCHED")" t "transaction rolled back"
finish 1 0

# 4. Connection terminated during delivery (no transaction open; the
#    endpoint holds the posts until the backend is gone, so the job is
#    still there whatever the machine's load). What was posted but not
#    recorded is posted again by the next run under the same key and
#    stored once.
rl_next
rl_hold_endpoint s4
rl_background "$V" nightly --date "$RL_DATE"
dl_hold_wait ep s4
terminate_job
dl_release "$DL_PORT" s4
rl_exited_unavailable "database unavailable"
assert_eq "$(q "SELECT count(*) FROM delivery_attempts")" 0 "attempts recorded after the loss"
assert_eq "$(q "SELECT bool_and(delivery_status = 'pending') FROM manifests")" t "outbox kept"
finish 1 0
