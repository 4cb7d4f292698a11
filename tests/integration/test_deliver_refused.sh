#!/bin/bash
# Permanent answers: 400 and 422 are recorded as failed and not retried;
# 410 marks the manifest and the courier gone and nothing more is posted
# to it; a redirect is not followed (the other host sees nothing).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
t_newdb
dl_endpoint other
other=$DL_PORT
dl_endpoint ep
dl_config
dl_hub
for c in C400 C422 C410 C302; do
	dl_courier $c "http://127.0.0.1:$DL_PORT/couriers/$c"
	dl_manifest M-$c $c
done
dl_manifest M-C410-b C410 2
dl_faults "$DL_PORT" C400 '[{"status": 400}]'
dl_faults "$DL_PORT" C422 '[{"status": 422}]'
dl_faults "$DL_PORT" C410 '[{"status": 410, "forever": true}]'
dl_faults "$DL_PORT" C302 "[{\"redirect\": \"http://127.0.0.1:$other/couriers/C302\"}]"

assert_exit 69 "$VCOURIER" deliver
assert_eq "$(dl_status M-C400)" "failed 1 400"
assert_eq "$(dl_status M-C422)" "failed 1 422"
assert_eq "$(dl_status M-C410)" "gone 1 410"
assert_eq "$(dl_status M-C410-b)" "gone 0 -"
assert_eq "$(dl_status M-C302)" "failed 1 302"
assert_contains "$(q "SELECT error FROM delivery_attempts WHERE manifest_id = 'M-C302'")" "redirect to http://127.0.0.1:$other/couriers/C302 not followed"
assert_contains "$(q "SELECT response_excerpt FROM delivery_attempts WHERE manifest_id = 'M-C422'")" '"status": 422'
assert_eq "$(q "SELECT count(*) FROM couriers WHERE endpoint_gone_at IS NOT NULL")" 1
assert_eq "$(q "SELECT code FROM couriers WHERE endpoint_gone_at IS NOT NULL")" C410
assert_contains "$T_ERR" "410 Gone"
assert_contains "$T_ERR" "2 manifests not posted"
assert_eq "$(dl_requests ep 'r["courier"]' | sort | uniq -c | tr -s ' ')" \
	" 1 C302
 1 C400
 1 C410
 1 C422"
[ -s "$T_TMP/other/requests.jsonl" ] && fail "the redirect target was contacted"
assert_eq "$(q "SELECT count(*) FROM orders WHERE status = 'manifested'")" 10

# a second sweep posts nothing (failed and gone wait for an operator)
assert_exit 0 "$VCOURIER" deliver
assert_eq "$(dl_requests ep 'r["courier"]' | wc -l)" 4
# the operator fixes the courier and clears the mark: its manifests go out
dl_faults "$DL_PORT" C410 '[]'
q "UPDATE couriers SET endpoint_gone_at = NULL WHERE code = 'C410'"
assert_exit 0 "$VCOURIER" deliver
assert_eq "$(dl_status M-C410)" "delivered 2 201"
assert_eq "$(dl_status M-C410-b)" "delivered 1 201"
