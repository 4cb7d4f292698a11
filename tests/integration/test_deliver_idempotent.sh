#!/bin/bash
# The Idempotency-Key: a repost after a crash (delivered, but not yet
# recorded) gets the first 2xx again and the endpoint keeps one copy; the
# same key with another body is refused (422) and recorded as failed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
dl_setup
dl_courier C1 "http://127.0.0.1:$DL_PORT/couriers/C1"
dl_manifest M-1 C1
assert_exit 0 "$VCOURIER" deliver
first=$(sha256sum <"$T_TMP/ep/C1/M-1.json")

# as if the process died after the POST and before recording it
q "UPDATE manifests SET delivery_status = 'pending', delivered_at = NULL WHERE manifest_id = 'M-1';
   UPDATE orders SET status = 'manifested' WHERE manifest_id = 'M-1'"
assert_exit 0 "$VCOURIER" deliver
assert_eq "$(dl_status M-1)" "delivered 2 201"
assert_eq "$(dl_requests ep 'r["key"], r["status"], r["stored"]')" "('M-1', 201, True)
('M-1', 201, False)"
assert_eq "$(sha256sum <"$T_TMP/ep/C1/M-1.json")" "$first"
assert_eq "$(ls "$T_TMP/ep/C1")" "M-1.json"

# the same key for another body: the endpoint answers 422, a permanent failure
body=$(dl_manifest_json M-1 C1 | sed 's/"duration_min":60/"duration_min":61/')
q "UPDATE manifests SET delivery_status = 'pending', body = :'v1', sha256 = :'v2' WHERE manifest_id = 'M-1'" \
	"$body" "$(printf '%s' "$body" | sha256sum | cut -d' ' -f1)"
assert_exit 69 "$VCOURIER" deliver
assert_eq "$(dl_status M-1)" "failed 3 422"
assert_contains "$(q "SELECT response_excerpt FROM delivery_attempts WHERE manifest_id = 'M-1' AND attempt = 3")" "reused with another body"
assert_eq "$(sha256sum <"$T_TMP/ep/C1/M-1.json")" "$first"
