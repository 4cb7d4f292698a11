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

# db_reconnect_s = 0: this test is about the exit and what is left when the
# database goes away; the reconnecting worker is test_failover.sh's.
rl_setup "plan_iterations = 3000" "db_reconnect_s = 0"
V=$VCOURIER

# 1. The server is down when the job starts: nothing recorded anywhere.
rl_next
own_pg_ctl stop -m fast
rl_background "$V" nightly --date "$RL_DATE"
rl_exited_unavailable "database unavailable"
own_pg_ctl restart
assert_eq "$(q "SELECT count(*) FROM runs")" 0 "runs recorded while the server was down"
rl_finish 0

# 2. Stopped while the job is inside its transaction: a psql session
#    holds manifests against writes, so the job has claimed (uncommitted)
#    and waits on its INSERT when the server stops.
rl_next
rl_hold_lock "LOCK TABLE manifests IN SHARE MODE"
rl_background "$V" nightly --date "$RL_DATE"
rl_job_waiting
own_pg_ctl stop -m fast
rl_exited_unavailable "database unavailable"
own_pg_ctl restart
assert_eq "$(q "$RL_UNTOUCHED")" t "the claim rolled back with the server's stop"
rl_release_lock
rl_finish 1

# 3. Restarted while the job delivers (the endpoint holds every post until
#    the restart is done): the posts go on, their outcomes cannot be
#    recorded; the next run posts them again under the same keys, stored
#    once.
rl_next
rl_hold_endpoint restart3
rl_background "$V" nightly --date "$RL_DATE"
dl_hold_wait ep restart3
own_pg_ctl restart -m fast
dl_release "$DL_PORT" restart3
rl_exited_unavailable "database unavailable"
assert_eq "$(q "SELECT count(*) FROM delivery_attempts")" 0 "attempts recorded across the restart"
rl_finish 1
