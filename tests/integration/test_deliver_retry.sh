#!/bin/bash
# Transient answers are retried within the run: 500 then success, 429 with
# Retry-After, 409 (key in process); each attempt recorded in order.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
# C500's fault comes from a --faults file, the others through /_control
echo '{"C500": [{"status": 500}]}' >"$T_TMP/faults.json"
t_newdb
dl_endpoint ep --faults "$T_TMP/faults.json"
dl_config
dl_hub
for c in C500 C429 C409; do
	dl_courier $c "http://127.0.0.1:$DL_PORT/couriers/$c"
	dl_manifest M-$c $c
done
dl_faults "$DL_PORT" C429 '[{"status": 429, "retry_after": 1}]'
dl_faults "$DL_PORT" C409 '[{"status": 409}, {"status": 409}]'

assert_exit 0 "$VCOURIER" deliver
assert_eq "$(dl_status M-C500)" "delivered 2 201"
assert_eq "$(dl_status M-C429)" "delivered 2 201"
assert_eq "$(dl_status M-C409)" "delivered 3 201"
assert_eq "$(q "SELECT string_agg(attempt || ':' || outcome || ':' || coalesce(http_status::text, '-'), ' ' ORDER BY attempt)
                FROM delivery_attempts WHERE manifest_id = 'M-C409'")" "1:retry:409 2:retry:409 3:delivered:201"
assert_eq "$(q "SELECT error FROM delivery_attempts WHERE manifest_id = 'M-C500' AND attempt = 1")" "HTTP 500"
assert_contains "$(q "SELECT response_excerpt FROM delivery_attempts WHERE manifest_id = 'M-C429' AND attempt = 1")" "injected"
# Retry-After: 1 was honoured (the backoff alone is capped at 0.5 s)
assert_eq "$(q "SELECT (max(started_at) - min(started_at)) >= interval '1 second' FROM delivery_attempts WHERE manifest_id = 'M-C429'")" t
# the endpoint stored each manifest once
assert_eq "$(dl_requests ep 'r["stored"]' | grep -c True)" 3
