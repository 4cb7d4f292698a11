#!/bin/bash
# Crash tests by time (issue 5 item 1): `vcourier nightly` killed with
# SIGKILL after delays from a seeded list while the endpoint answers
# slowly (so each kill lands inside a run, wherever that is), and in the
# middle of an HTTP request (the endpoint goes on and stores the manifest
# the dead process never recorded), by SIGKILL and by SIGTERM. Then nightly
# again until it exits 0; check_outcome.py and check_plan.py prove nothing
# lost, nothing twice.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$ROOT/tests/reliability/crash_lib.sh"

rl_setup
V=$VCOURIER

# kill_now [SIGNAL]: kill the background run (default SIGKILL), which must
# still have been running and must die of that signal.
kill_now() {
	local sig=${1:-KILL} rc=0
	kill -s "$sig" "$RL_PID" 2>/dev/null || true
	wait "$RL_PID" || rc=$?
	[ "$rc" -eq $((128 + $(kill -l "$sig"))) ] \
		|| fail "the run ended (exit $rc) before SIG$sig: $(head -c 400 "$T_TMP/bg.err")"
}
# Kills after seeded delays (0.05 to 1.05 s) in runs that last at least
# 2 s: claim, planning, writing and the first posts are all hit.
RANDOM=20261201
for i in 1 2 3 4 5 6; do
	rl_next
	rl_slow_endpoint 2
	ms=$((50 + RANDOM % 1000))
	rl_background "$V" nightly --date "$RL_DATE"
	sleep "$(awk -v ms="$ms" 'BEGIN { print ms / 1000 }')"
	kill_now
	note "killed after $ms ms: $(q "SELECT count(*) || ' runs, ' || (SELECT count(*) FROM manifests)
	                             || ' manifests, ' || (SELECT count(*) FROM delivery_attempts)
	                             || ' attempts recorded' FROM runs")"
	# A kill before the run record was committed (a loaded machine starts
	# slowly) leaves no run to recover; one after it leaves exactly one.
	rl_finish "$(q "SELECT count(*) FROM runs WHERE status = 'running'")"
done

# Mid-request: the endpoint holds every post 3 s; the run is killed while
# one is open. The endpoint then stores what the dead run never recorded;
# the next run posts it again under the same key and it is stored once.
rl_next
rl_slow_endpoint 3
rl_background "$V" nightly --date "$RL_DATE"
rl_in_flight
kill_now
assert_eq "$(q "SELECT count(*) FROM delivery_attempts")" 0 "attempts recorded by the killed run"
for i in $(seq 100); do
	[ -n "$(dl_requests ep "r['key'] if r['stored'] and r['key'].startswith('$RL_DATE') else ''" | grep .)" ] && break
	sleep 0.1
done
[ "$i" -lt 100 ] || fail "the endpoint never finished the request of the killed run"
rl_finish 1

# The same in a rerun: outbox committed by a run killed at a crash point,
# then `rerun --run 1` killed mid-request, then nightly.
rl_next
rl_killed env VCOURIER_FAULT=after_commit "$V" nightly --date "$RL_DATE"
rl_slow_endpoint 3
rl_background "$V" rerun --run 1
rl_in_flight
kill_now
rl_finish 2

# SIGTERM (what systemd or an operator's kill sends) mid-request: the
# process has no handler and dies at once, which is as safe as SIGKILL.
rl_next
rl_slow_endpoint 3
rl_background "$V" nightly --date "$RL_DATE"
rl_in_flight
kill_now TERM
rl_finish 1

note "$RL_N timed crash scenarios"
