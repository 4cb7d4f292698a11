#!/bin/bash
# Transport faults, each retried and then delivered: a hang longer than the
# timeout, a dropped connection, a reset, a response trickling 1 byte/s; a
# refused connection (nothing listening) stays pending.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
dl_setup "deliver_budget_s = 3"
for c in CHANG CDROP CRESET CTRICKLE; do
	dl_courier $c "http://127.0.0.1:$DL_PORT/couriers/$c"
	dl_manifest M-$c $c
done
# a port nobody listens on: bind one, note it, close it
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dl_courier CDOWN "http://127.0.0.1:$closed/couriers/CDOWN"
dl_manifest M-CDOWN CDOWN
dl_faults "$DL_PORT" CHANG '[{"delay": 3}]'
dl_faults "$DL_PORT" CDROP '[{"drop": true}]'
dl_faults "$DL_PORT" CRESET '[{"reset": true}]'
dl_faults "$DL_PORT" CTRICKLE '[{"trickle": true}]'

assert_exit 75 "$VCOURIER" deliver
for c in CHANG CDROP CRESET CTRICKLE; do
	assert_eq "$(dl_status M-$c)" "delivered 2 201" "$c"
	err=$(q "SELECT error FROM delivery_attempts WHERE manifest_id = :'v1' AND attempt = 1" M-$c)
	[ -n "$err" ] || fail "$c: first attempt has no error"
	note "$c: $err"
done
assert_contains "$(q "SELECT error FROM delivery_attempts WHERE manifest_id = 'M-CHANG' AND attempt = 1")" "Timeout"
assert_contains "$(q "SELECT error FROM delivery_attempts WHERE manifest_id = 'M-CDOWN' AND attempt = 1")" "Couldn't connect"
case "$(dl_status M-CDOWN)" in "pending "*" -") ;; *) fail "refused: $(dl_status M-CDOWN)" ;; esac
assert_eq "$(q "SELECT count(*) FROM delivery_attempts WHERE outcome = 'retry' AND attempt = 1 AND manifest_id <> 'M-CDOWN'")" 4
