#!/bin/bash
# The nightly job killed (SIGKILL, test-only crash points of FAULT=1
# builds) at each instant of its transaction and after it: nothing is
# half-done, the next run recovers the dead run (abandoned) and finishes
# the work, each manifest posted under one key and stored once.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
nl_setup
orders=$(q "SELECT md5(string_agg(o::text, ',' ORDER BY id)) FROM orders o")

# Killed inside the transaction: the orders are as they were, no manifest,
# the run stays 'running' until the next run takes the lock.
for point in after_claim after_plan before_commit; do
	assert_exit 137 env VCOURIER_FAULT=$point "$VCOURIER" nightly --date "$NL_DATE" --hub H1
	assert_eq "$(q "SELECT md5(string_agg(o::text, ',' ORDER BY id)) FROM orders o")" "$orders" "orders after a kill $point"
	assert_eq "$(q "SELECT count(*) FROM manifests")" 0 "manifests after a kill $point"
	assert_eq "$(q "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" running
done
assert_eq "$(nl_requests)" 0

# Killed right after the commit: the manifests are in the outbox, unposted.
assert_exit 137 env VCOURIER_FAULT=after_commit "$VCOURIER" nightly --date "$NL_DATE" --hub H1
written=$(q "SELECT string_agg(manifest_id, ' ' ORDER BY manifest_id) FROM manifests WHERE delivery_status = 'pending'")
[ -n "$written" ] || fail "nothing in the outbox after a kill after the commit"
assert_eq "$(nl_requests)" 0

# The next run: the last dead run abandoned (each run recovered the one
# before it), nothing new to plan, the outbox of the date delivered.
assert_exit 0 "$VCOURIER" -v nightly --date "$NL_DATE" --hub H1 --json
echo "$T_OUT" >"$T_TMP/s.json"
assert_eq "$(grep -c run_abandoned <<<"$T_ERR")" 1
assert_eq "$(q "SELECT string_agg(status, ' ' ORDER BY id) FROM runs")" "abandoned abandoned abandoned abandoned completed"
assert_eq "$(nl_json "$T_TMP/s.json" orders_claimed)" 0
assert_eq "$(nl_json "$T_TMP/s.json" delivery delivered)" "$(wc -w <<<"$written")"
assert_eq "$(dl_requests ep 'r["key"]' | sort | tr '\n' ' ')" "$written "
nl_check "$NL_DATE" --hub H1 --require-delivered >/dev/null
