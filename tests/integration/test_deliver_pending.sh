#!/bin/bash
# 503 forever: retried until the budget is spent, left pending, exit 75 and
# a 'partial' run; once the endpoint recovers, a later deliver posts it
# (same Idempotency-Key) and exits 0. A hub locked by another run: 75.
# Retry-After and backoff outlive the run (issue 9, defect 4): a courier
# that asked for an hour is not posted to by the next cron deliver (75,
# said on stderr) until `deliver --force`.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
dl_setup "deliver_budget_s = 1.5"
dl_courier C1 "http://127.0.0.1:$DL_PORT/couriers/C1"
dl_manifest M-1 C1
dl_faults "$DL_PORT" C1 '[{"status": 503, "forever": true}]'
# asked to come back in an hour: one attempt, then pending (not hammered)
dl_courier C2 "http://127.0.0.1:$DL_PORT/couriers/C2"
dl_manifest M-C2 C2
dl_faults "$DL_PORT" C2 '[{"status": 429, "retry_after": 3600, "forever": true}]'

assert_exit 75 "$VCOURIER" deliver
assert_contains "$T_OUT" "0 delivered, 2 pending"
assert_eq "$(dl_status M-C2)" "pending 1 429"
status=$(dl_status M-1)
case "$status" in "pending "*" 503") ;; *) fail "after 503s: $status" ;; esac
tries=$(q "SELECT attempts FROM manifests WHERE manifest_id = 'M-1'")
[ "$tries" -ge 2 ] || fail "503 was not retried ($tries attempts)"
assert_eq "$(q "SELECT count(*) FROM delivery_attempts WHERE manifest_id = 'M-1' AND outcome = 'retry' AND http_status = 503")" "$tries"
assert_eq "$(q "SELECT status FROM runs WHERE kind = 'deliver'")" partial
assert_eq "$(q "SELECT count(*) FROM orders WHERE status = 'manifested'")" 4

# the waits are persisted: an hour for C2 (minus however long this slow
# machine took since), the last backoff for M-1
assert_eq "$(q "SELECT next_attempt_at > now() + interval '3000 s' FROM manifests WHERE manifest_id = 'M-C2'")" t "M-C2 waits: $(q "SELECT next_attempt_at - now() FROM manifests WHERE manifest_id = 'M-C2'")"
assert_eq "$(q "SELECT next_attempt_at <= now() + interval '0.5 s' FROM manifests WHERE manifest_id = 'M-1'")" t "M-1 waits: $(q "SELECT next_attempt_at - now() FROM manifests WHERE manifest_id = 'M-1'")"

dl_faults "$DL_PORT" C1 '[]'
dl_faults "$DL_PORT" C2 '[]'
# wait (poll, with a deadline) until M-1's backoff is over; C2's hour is not
for _ in $(seq 100); do
	[ "$(q "SELECT next_attempt_at <= now() FROM manifests WHERE manifest_id = 'M-1'")" = t ] && break
	sleep 0.05
done
c2_before=$(dl_requests ep 'r["courier"]' | grep -c C2)
assert_exit 75 "$VCOURIER" deliver
assert_eq "$(dl_status M-1)" "delivered $((tries + 1)) 201"
assert_eq "$(dl_status M-C2)" "pending 1 429"
assert_eq "$(dl_requests ep 'r["courier"]' | grep -c C2)" "$c2_before" "posted inside the courier's Retry-After"
assert_contains "$T_ERR" "hub H1: 1 manifest waits for the next attempt"
assert_contains "$T_ERR" "--force posts now"
# nothing else due: the cron sweep records no run, and still says 75
runs=$(q "SELECT count(*) FROM runs")
assert_exit 75 "$VCOURIER" deliver
assert_eq "$(q "SELECT count(*) FROM runs")" "$runs"
# the operator forces it
assert_exit 0 "$VCOURIER" deliver --force
assert_eq "$(dl_status M-C2)" "delivered 2 201"
assert_eq "$(q "SELECT count(*) FROM orders WHERE status = 'delivered'")" 4
assert_eq "$(dl_requests ep 'r["key"]' | sort -u)" "M-1
M-C2"

# another run holds the hub's lock: nothing is done, 75, said clearly
dl_manifest M-2 C1 2
psql -XAtq -c "SELECT pg_advisory_lock(730518, 1), pg_sleep(30)" >/dev/null 2>&1 &
locker=$!
t_on_exit "kill $locker 2>/dev/null"
for i in $(seq 100); do
	[ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")" = 1 ] && break
	sleep 0.05
done
assert_exit 75 "$VCOURIER" deliver --hub H1
assert_contains "$T_ERR" "hub H1: another run holds the hub's lock"
assert_eq "$(dl_status M-2)" "pending 0 -"
