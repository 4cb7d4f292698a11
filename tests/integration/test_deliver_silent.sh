#!/bin/bash
# An endpoint that accepts the connection and the request and never
# answers (issue 9 fault matrix): each attempt ends at deliver_timeout_s,
# is recorded as a retry with the timeout, the run ends within its budget,
# the manifest stays pending (exit 75), and another courier's manifest is
# delivered meanwhile. Once the endpoint answers, the next deliver posts it
# under the same key.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
dl_setup "deliver_timeout_s = 1" "deliver_budget_s = 3"
dl_courier C1 "http://127.0.0.1:$DL_PORT/couriers/C1"
dl_courier C2 "http://127.0.0.1:$DL_PORT/couriers/C2"
dl_manifest M-SILENT C1
dl_manifest M-OK C2
dl_faults "$DL_PORT" C1 '[{"silent": true, "forever": true}]'

start=$(date +%s)
assert_exit 75 "$VCOURIER" deliver
took=$(($(date +%s) - start))
[ "$took" -le 20 ] || fail "a silent endpoint held deliver for $took s (budget 3 s)"
assert_eq "$(dl_status M-OK)" "delivered 1 201"
status=$(dl_status M-SILENT)
case "$status" in "pending "*" -") ;; *) fail "silent endpoint: $status" ;; esac
assert_eq "$(q "SELECT count(*) FROM delivery_attempts WHERE manifest_id = 'M-SILENT'
                AND (outcome <> 'retry' OR http_status IS NOT NULL OR error NOT ILIKE '%timed out%')")" 0
[ "$(q "SELECT count(*) FROM delivery_attempts WHERE manifest_id = 'M-SILENT'")" -ge 1 ] || fail "no attempt recorded"

dl_faults "$DL_PORT" C1 '[]'
assert_exit 0 "$VCOURIER" deliver --force
assert_eq "$(dl_requests ep 'r["key"], r["stored"]' | grep -c "'M-SILENT', True")" 1
