#!/bin/bash
# Crash tests at exact instants (issue 5 item 1): `vcourier nightly` on a
# generated county is killed with SIGKILL at a test-only crash point
# (pkg/util/fault.h), the state the kill left is checked (nothing
# half-done), then the job is run again for the same date until it exits
# 0, and check_outcome.py proves nothing was lost or posted twice, no run
# is left running, and check_plan.py that the routes are valid.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$ROOT/tests/reliability/crash_lib.sh"

rl_setup "plan_iterations = 3000"
V=$VCOURIER

# Manifests of RL_DATE the endpoint stored.
stored() { find "$T_TMP/ep" -name "$RL_DATE-*.json" | wc -l; }
delivered() { q "SELECT count(*) FROM manifests WHERE delivery_status = 'delivered'"; }
# Committed, nothing posted yet.
outbox_only="SELECT count(*) > 0 AND bool_and(delivery_status = 'pending' AND attempts = 0)
             AND NOT EXISTS (SELECT 1 FROM delivery_attempts) FROM manifests"
# kill_at POINT STATE_SQL CMD...: CMD killed at POINT, then STATE_SQL must hold.
kill_at() {
	local point=$1 state=$2
	shift 2
	rl_killed env VCOURIER_FAULT="$point" "$@"
	[ "$(q "$state")" = t ] || fail "after a kill at $point: state not as expected: $state"
}

# Before anything is recorded.
rl_next
kill_at after_lock "SELECT count(*) = 0 FROM runs" "$V" nightly --date "$RL_DATE"
rl_finish 0
# Run row committed, its work not begun: the next run marks it abandoned.
rl_next
kill_at after_run_record "SELECT count(*) = 1 AND bool_and(status = 'running') FROM runs
                          WHERE NOT EXISTS (SELECT 1 FROM manifests)" "$V" nightly --date "$RL_DATE"
rl_finish 1
# Inside the claim-to-outbox transaction: everything rolls back.
for point in after_claim plan_iteration@300 after_plan after_manifest_insert after_order_outcomes \
	before_commit; do
	rl_next
	kill_at "$point" "$RL_UNTOUCHED" "$V" nightly --date "$RL_DATE"
	rl_finish 1
done

# Outbox committed, nothing posted: the next nightly posts it ...
rl_next
kill_at after_commit "$outbox_only" "$V" nightly --date "$RL_DATE"
rl_finish 1
# ... or `rerun --run` of the dead run ...
rl_next
kill_at after_commit "$outbox_only" "$V" nightly --date "$RL_DATE"
rl_until_done "$V" rerun --run 1
assert_eq "$(delivered)" "$(q "SELECT count(*) FROM manifests")" "rerun delivered every manifest"
rl_finish 1
# ... or `vcourier deliver`, all the same.
rl_next
kill_at before_post "$outbox_only" "$V" nightly --date "$RL_DATE"
rl_until_done "$V" deliver
rl_finish 1

# The critical instant: the endpoint answered 2xx, the attempt is not yet
# recorded. The rerun posts it again under the same Idempotency-Key, the
# endpoint answers with its first answer and stores it once.
for k in 1 2; do
	rl_next
	kill_at "after_2xx@$k" "SELECT count(*) FILTER (WHERE delivery_status = 'delivered') = $k - 1
	                        FROM manifests" "$V" nightly --date "$RL_DATE"
	[ "$(stored)" -ge "$k" ] || fail "after_2xx@$k: the endpoint has $(stored) manifests"
	rl_finish 1
done
# Between two deliveries: the first one recorded, the rest still pending.
for k in 1 2; do
	rl_next
	kill_at "after_attempt_recorded@$k" "SELECT count(*) FILTER (WHERE delivery_status = 'delivered') = $k
	                                     AND count(*) > $k FROM manifests" "$V" nightly --date "$RL_DATE"
	rl_finish 1
done
# Everything delivered, the run not yet finished.
rl_next
kill_at before_finish "SELECT bool_and(delivery_status = 'delivered') FROM manifests" \
	"$V" nightly --date "$RL_DATE"
assert_eq "$(q "SELECT status FROM runs")" running "the run before its end"
rl_finish 1

# A retry recorded (503 first), then killed before the next attempt.
rl_next
for c in $(q "SELECT code FROM couriers"); do dl_faults "$DL_PORT" "$c" '[{"status": 503}]'; done
kill_at after_attempt_recorded@1 "SELECT count(*) = 1 FROM delivery_attempts WHERE outcome = 'retry'" \
	"$V" nightly --date "$RL_DATE"
rl_finish 1

# Crashes in the recovery itself: the rerun and the deliver sweep killed too.
rl_next
kill_at after_commit "$outbox_only" "$V" nightly --date "$RL_DATE"
rl_killed env VCOURIER_FAULT=after_rerun_record "$V" rerun --run 1
rl_killed env VCOURIER_FAULT=after_2xx@1 "$V" rerun --run 1
rl_until_done "$V" rerun --run 1
rl_finish 3
rl_next
kill_at after_commit "$outbox_only" "$V" nightly --date "$RL_DATE"
rl_killed env VCOURIER_FAULT=after_deliver_record "$V" deliver
rl_killed env VCOURIER_FAULT=after_2xx@1 "$V" deliver
rl_finish 3
# Two nightly runs in a row killed at different instants.
rl_next
kill_at after_claim "$RL_UNTOUCHED" "$V" nightly --date "$RL_DATE"
rl_killed env VCOURIER_FAULT=after_2xx@1 "$V" nightly --date "$RL_DATE"
rl_finish 2

# A replan killed after writing the new versions (the old ones superseded,
# the new ones not posted), and one killed at its first 2xx: the next
# nightly posts the new versions; each order is in one live version.
for point in after_commit after_2xx@1; do
	rl_next
	rl_until_done "$V" nightly --date "$RL_DATE"
	rl_killed env VCOURIER_FAULT="$point" "$V" rerun --date "$RL_DATE" --replan
	assert_eq "$(q "SELECT count(*) > 0 AND bool_and(superseded_by IS NOT NULL) FROM manifests
	                WHERE version = 1")" t "the replan's new versions committed"
	rl_finish 1
done

[ "$RL_N" -ge 20 ] || fail "only $RL_N crash scenarios"
note "$RL_N crash scenarios"
