#!/bin/bash
# The database connection lost while a post is in flight: the answer cannot
# be recorded, so the delivery stops at once (exit 69, one line) instead of
# posting more unrecorded; the manifest stays pending. The next deliver
# recovers the dead run, posts again under the same Idempotency-Key, and
# the endpoint answers with its first answer: stored once, delivered once.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
dl_setup "deliver_timeout_s = 60" "deliver_budget_s = 120"
dl_courier C1 "http://127.0.0.1:$DL_PORT/couriers/C1"
dl_manifest M-1 C1
dl_manifest M-2 C1 2
# the endpoint holds the first post until the test has cut the session
dl_faults "$DL_PORT" C1 '[{"hold": "first"}]'

"$VCOURIER" deliver >"$T_TMP/d.out" 2>"$T_TMP/d.err" &
pid=$!
t_on_exit "kill $pid 2>/dev/null"
dl_hold_wait ep first
assert_eq "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vcourier/deliver' AND datname = current_database()
                AND query LIKE 'SELECT m.manifest_id, m.body%'")" 1 "deliver reached the posting step"
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'vcourier/deliver' AND datname = current_database()" >/dev/null
dl_release "$DL_PORT" first
rc=0
wait $pid || rc=$?
assert_eq "$rc" 69 "exit status: $(cat "$T_TMP/d.err")"
assert_eq "$(grep -c '^vcourier: ' "$T_TMP/d.err")" 1
assert_eq "$(dl_status M-1)" "pending 0 -"
assert_eq "$(dl_status M-2)" "pending 0 -"
# only the first manifest was posted: the run stopped when it could not record it
assert_eq "$(dl_requests ep 'r["key"], r["stored"]')" "('M-1', True)"
assert_eq "$(q "SELECT status FROM runs WHERE kind = 'deliver'")" running

assert_exit 0 "$VCOURIER" deliver
assert_eq "$(dl_status M-1)" "delivered 1 201"
assert_eq "$(dl_status M-2)" "delivered 1 201"
assert_eq "$(q "SELECT string_agg(status, ' ' ORDER BY id) FROM runs WHERE kind = 'deliver'")" "abandoned completed"
assert_eq "$(dl_requests ep 'r["key"], r["stored"]')" "('M-1', True)
('M-1', False)
('M-2', True)"
