#!/bin/bash
# Crash tests by time (issue 5 item 1): `vcourier nightly` killed with
# SIGKILL after delays from a seeded list while the endpoint answers
# slowly (so each kill lands inside a run, wherever that is), and in the
# middle of an HTTP request (the endpoint goes on and stores the manifest
# the dead process never recorded). Then nightly again until it exits 0;
# check_outcome.py and check_plan.py prove nothing lost, nothing twice.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$ROOT/tests/reliability/crash_lib.sh"

rl_county
rl_config
dl_endpoint ep
V=$VCOURIER
n=0

# slow_endpoint SECONDS: every courier's every request waits that long first.
slow_endpoint() {
	local c
	for c in $(q "SELECT code FROM couriers"); do
		dl_faults "$DL_PORT" "$c" "[{\"delay\": $1, \"forever\": true}]"
	done
}
# background CMD...: start CMD, its pid in RL_PID.
background() {
	"$@" >"$T_TMP/bg.out" 2>"$T_TMP/bg.err" &
	RL_PID=$!
	t_on_exit "kill -9 $RL_PID 2>/dev/null"
}
# kill_now: SIGKILL the background run, which must still have been running.
kill_now() {
	local rc=0
	kill -9 "$RL_PID" 2>/dev/null || true
	wait "$RL_PID" || rc=$?
	[ "$rc" -eq 137 ] || fail "the run ended (exit $rc) before it was killed: $(head -c 400 "$T_TMP/bg.err")"
}
# finish: the endpoint fast again, nightly until 0, every check.
finish() {
	curl -sf -X POST --data '{"reset": true}' "http://127.0.0.1:$DL_PORT/_control" >/dev/null
	rl_until_done "$V" nightly --date "$RL_DATE"
	rl_check_all
	rl_abandoned "$1"
	note "scenario $n ok"
}
# in_flight: the run has an HTTP connection open to the endpoint.
in_flight() {
	local i
	for i in $(seq 300); do
		[ -n "$(ss -Htn state established "( dport = :$DL_PORT )")" ] && return 0
		sleep 0.05
	done
	fail "no request ever reached the endpoint"
}

# Kills after seeded delays (0.05 to 1.05 s) in runs that last at least
# 2 s: claim, planning, writing and the first posts are all hit.
RANDOM=20261201
for i in 1 2 3 4 5 6; do
	n=$((n + 1))
	rl_scenario "$n"
	slow_endpoint 2
	ms=$((50 + RANDOM % 1000))
	background "$V" nightly --date "$RL_DATE"
	sleep "$(awk -v ms="$ms" 'BEGIN { print ms / 1000 }')"
	kill_now
	note "killed after $ms ms: $(q "SELECT count(*) || ' runs, ' || (SELECT count(*) FROM manifests)
	                             || ' manifests, ' || (SELECT count(*) FROM delivery_attempts)
	                             || ' attempts recorded' FROM runs")"
	finish 1
done

# Mid-request: the endpoint holds every post 3 s; the run is killed while
# one is open. The endpoint then stores what the dead run never recorded;
# the next run posts it again under the same key and it is stored once.
n=$((n + 1))
rl_scenario "$n"
slow_endpoint 3
background "$V" nightly --date "$RL_DATE"
in_flight
kill_now
assert_eq "$(q "SELECT count(*) FROM delivery_attempts")" 0 "attempts recorded by the killed run"
for i in $(seq 100); do
	[ -n "$(dl_requests ep "r['key'] if r['stored'] and r['key'].startswith('$RL_DATE') else ''" | grep .)" ] && break
	sleep 0.1
done
[ "$i" -lt 100 ] || fail "the endpoint never finished the request of the killed run"
finish 1

# The same in a rerun: outbox committed by a run killed at a crash point,
# then `rerun --run 1` killed mid-request, then nightly.
n=$((n + 1))
rl_scenario "$n"
rl_killed env VCOURIER_FAULT=after_commit "$V" nightly --date "$RL_DATE"
slow_endpoint 3
background "$V" rerun --run 1
in_flight
kill_now
finish 2

note "$n timed crash scenarios"
