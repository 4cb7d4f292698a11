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

rl_county
rl_config "plan_iterations = 3000"
dl_endpoint ep
V=$VCOURIER
n=0

# Manifests of RL_DATE the endpoint stored.
stored() { find "$T_TMP/ep" -name "$RL_DATE-*.json" | wc -l; }
delivered() { q "SELECT count(*) FROM manifests WHERE delivery_status = 'delivered'"; }
# Rolled back: no manifest, every order untouched.
untouched="SELECT NOT EXISTS (SELECT 1 FROM manifests)
           AND NOT EXISTS (SELECT 1 FROM orders WHERE status <> 'pending' OR run_id IS NOT NULL
                           OR reason IS NOT NULL)"
# Committed, nothing posted yet.
outbox_only="SELECT count(*) > 0 AND bool_and(delivery_status = 'pending' AND attempts = 0)
             AND NOT EXISTS (SELECT 1 FROM delivery_attempts) FROM manifests"

scenario() {
	n=$((n + 1))
	rl_scenario "$n"
}
# kill_at POINT STATE_SQL CMD...: CMD killed at POINT, then STATE_SQL must hold.
kill_at() {
	local point=$1 state=$2
	shift 2
	rl_killed env VCOURIER_FAULT="$point" "$@"
	[ "$(q "$state")" = t ] || fail "after a kill at $point: state not as expected: $state"
}
# finish ABANDONED: nightly until 0, then every check.
finish() {
	rl_until_done "$V" nightly --date "$RL_DATE"
	rl_check_all
	rl_abandoned "$1"
	note "scenario $n ok"
}

# Before anything is recorded.
scenario
kill_at after_lock "SELECT count(*) = 0 FROM runs" "$V" nightly --date "$RL_DATE"
finish 0
# Run row committed, its work not begun: the next run marks it abandoned.
scenario
kill_at after_run_record "SELECT count(*) = 1 AND bool_and(status = 'running') FROM runs
                          WHERE NOT EXISTS (SELECT 1 FROM manifests)" "$V" nightly --date "$RL_DATE"
finish 1
# Inside the claim-to-outbox transaction: everything rolls back.
for point in after_claim plan_iteration@300 after_plan after_manifest_insert after_order_outcomes \
	before_commit; do
	scenario
	kill_at "$point" "$untouched" "$V" nightly --date "$RL_DATE"
	finish 1
done

# Outbox committed, nothing posted: the next nightly posts it ...
scenario
kill_at after_commit "$outbox_only" "$V" nightly --date "$RL_DATE"
finish 1
# ... or `rerun --run` of the dead run ...
scenario
kill_at after_commit "$outbox_only" "$V" nightly --date "$RL_DATE"
rl_until_done "$V" rerun --run 1
assert_eq "$(delivered)" "$(q "SELECT count(*) FROM manifests")" "rerun delivered every manifest"
finish 1
# ... or `vcourier deliver`, all the same.
scenario
kill_at before_post "$outbox_only" "$V" nightly --date "$RL_DATE"
rl_until_done "$V" deliver
finish 1

# The critical instant: the endpoint answered 2xx, the attempt is not yet
# recorded. The rerun posts it again under the same Idempotency-Key, the
# endpoint answers with its first answer and stores it once.
for k in 1 2; do
	scenario
	kill_at "after_2xx@$k" "SELECT count(*) FILTER (WHERE delivery_status = 'delivered') = $k - 1
	                        FROM manifests" "$V" nightly --date "$RL_DATE"
	[ "$(stored)" -ge "$k" ] || fail "after_2xx@$k: the endpoint has $(stored) manifests"
	finish 1
done
# Between two deliveries: the first one recorded, the rest still pending.
for k in 1 2; do
	scenario
	kill_at "after_attempt_recorded@$k" "SELECT count(*) FILTER (WHERE delivery_status = 'delivered') = $k
	                                     AND count(*) > $k FROM manifests" "$V" nightly --date "$RL_DATE"
	finish 1
done
# Everything delivered, the run not yet finished.
scenario
kill_at before_finish "SELECT bool_and(delivery_status = 'delivered') FROM manifests" \
	"$V" nightly --date "$RL_DATE"
assert_eq "$(q "SELECT status FROM runs")" running "the run before its end"
finish 1

# A retry recorded (503 first), then killed before the next attempt.
scenario
for c in $(q "SELECT code FROM couriers"); do dl_faults "$DL_PORT" "$c" '[{"status": 503}]'; done
kill_at after_attempt_recorded@1 "SELECT count(*) = 1 FROM delivery_attempts WHERE outcome = 'retry'" \
	"$V" nightly --date "$RL_DATE"
finish 1

# Crashes in the recovery itself: the rerun and the deliver sweep killed too.
scenario
kill_at after_commit "$outbox_only" "$V" nightly --date "$RL_DATE"
rl_killed env VCOURIER_FAULT=after_rerun_record "$V" rerun --run 1
rl_killed env VCOURIER_FAULT=after_2xx@1 "$V" rerun --run 1
rl_until_done "$V" rerun --run 1
finish 3
scenario
kill_at after_commit "$outbox_only" "$V" nightly --date "$RL_DATE"
rl_killed env VCOURIER_FAULT=after_deliver_record "$V" deliver
rl_killed env VCOURIER_FAULT=after_2xx@1 "$V" deliver
finish 3
# Two nightly runs in a row killed at different instants.
scenario
kill_at after_claim "$untouched" "$V" nightly --date "$RL_DATE"
rl_killed env VCOURIER_FAULT=after_2xx@1 "$V" nightly --date "$RL_DATE"
finish 2

# A replan killed after writing the new versions (the old ones superseded,
# the new ones not posted), and one killed at its first 2xx: the next
# nightly posts the new versions; each order is in one live version.
for point in after_commit after_2xx@1; do
	scenario
	rl_until_done "$V" nightly --date "$RL_DATE"
	rl_killed env VCOURIER_FAULT="$point" "$V" rerun --date "$RL_DATE" --replan
	assert_eq "$(q "SELECT count(*) > 0 AND bool_and(superseded_by IS NOT NULL) FROM manifests
	                WHERE version = 1")" t "the replan's new versions committed"
	finish 1
done

[ "$n" -ge 20 ] || fail "only $n crash scenarios"
note "$n crash scenarios"
