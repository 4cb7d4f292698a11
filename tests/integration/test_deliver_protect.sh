#!/bin/bash
# Delivery hardening (issue 9):
#  3  a bearer token is never sent over plain http:// unless the courier is
#     allowed (courier.<CODE>.allow_http = true): 78, nothing posted; a
#     courier posted unsigned or without a token is said (stderr summary,
#     JSON, a WARN log line naming it), never silent;
#  13 no core dump while secrets are in memory (RLIMIT_CORE 0, read from
#     /proc while a post is held by the endpoint);
#  fault: clock skew beyond the signature tolerance: the endpoint (its clock
#     an hour ahead) refuses the signature; vcourier sees its Date header,
#     records "clock skew", keeps the manifest pending (75) instead of
#     failing it for good, and delivers once the clocks agree.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
t_newdb
echo "C1 $DL_KEY" >"$T_TMP/keys"
dl_endpoint ep --keys "$T_TMP/keys"
dl_config
dl_hub
dl_courier C1 "http://127.0.0.1:$DL_PORT/couriers/C1"
dl_courier C2 "http://127.0.0.1:$DL_PORT/couriers/C2"
dl_manifest M-C1-1 C1
export VCOURIER_KEY_C1=$DL_KEY VCOURIER_TOKEN_C1=tok-in-clear-77

# 3: C1's token would go over http: refused before anything is posted.
assert_exit 78 "$VCOURIER" deliver
assert_contains "$T_ERR" "vcourier: courier C1: its bearer token would cross the network in clear to an http:// endpoint"
assert_contains "$T_ERR" "courier.C1.allow_http = true"
grep -qF tok-in-clear-77 <<<"$T_ERR" && fail "the token was echoed"
[ -f "$T_TMP/ep/requests.jsonl" ] && fail "posted a token over http"
# Allowed for C1 only: another courier's allowance does not count.
dl_config "courier.C2.allow_http = true"
assert_exit 78 "$VCOURIER" deliver
dl_config "courier.C1.allow_http = true" "deliver_timeout_s = 5" "deliver_budget_s = 8"

# 13: while the endpoint holds the post, the process has no core limit.
dl_faults "$DL_PORT" C1 '[{"delay": 2}]'
"$VCOURIER" deliver >"$T_TMP/d.out" 2>"$T_TMP/d.err" &
pid=$!
t_on_exit "kill -9 $pid 2>/dev/null"
limits=""
for _ in $(seq 400); do
	[ -n "$(ss -Htn state established "( dport = :$DL_PORT )")" ] &&
		limits=$(cat "/proc/$pid/limits" 2>/dev/null) && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.02
done
wait "$pid" || fail "deliver failed: $(cat "$T_TMP/d.err")"
[ -n "$limits" ] || fail "never saw the post in flight"
assert_eq "$(awk '/^Max core file size/ { print $5, $6 }' <<<"$limits")" "0 0" "core file size while posting"
assert_eq "$(dl_status M-C1-1)" "delivered 1 201"
assert_eq "$(dl_requests ep 'r["authorization"], r["sig_ok"]')" "(True, True)"

# 3: C2 has neither key nor token: posted, and said so.
dl_manifest M-C2-1 C2
assert_exit 0 "$VCOURIER" deliver
assert_contains "$T_ERR" "vcourier: hub H1: 1 manifest posted without a signature (no key), 1 without a bearer token"
assert_contains "$T_ERR" "courier_unprotected courier=C2 signed=no token=no"
assert_eq "$(dl_status M-C2-1)" "delivered 1 201"
dl_manifest M-C2-2 C2 2
assert_exit 0 "$VCOURIER" deliver --json
assert_eq "$(python3 -c 'import json,sys; h = json.load(sys.stdin)[0]; print(h["unsigned"], h["no_token"], h["delivered"])' <<<"$T_OUT")" "1 1 1"

# Clock skew: the endpoint's clock runs an hour ahead of ours.
dl_manifest M-C1-2 C1 2
curl -sf -X POST -H 'Content-Type: application/json' --data '{"clock_offset": 3600}' \
	"http://127.0.0.1:$DL_PORT/_control" >/dev/null || fail "cannot move the endpoint's clock"
assert_exit 75 "$VCOURIER" deliver
assert_eq "$(q "SELECT delivery_status FROM manifests WHERE manifest_id = 'M-C1-2'")" pending
assert_contains "$(q "SELECT DISTINCT error FROM delivery_attempts WHERE manifest_id = 'M-C1-2'")" \
	"HTTP 400: clock skew: the endpoint's Date is 3600 s ahead of ours, beyond the 300 s signature tolerance"
assert_eq "$(q "SELECT DISTINCT outcome FROM delivery_attempts WHERE manifest_id = 'M-C1-2'")" retry
# What the endpoint got can be checked offline with the same tolerance.
ts=$(dl_requests ep 'r["timestamp"]' | tail -n 1)
sig=$(dl_requests ep 'r["signature"]' | tail -n 1)
q "SELECT body FROM manifests WHERE manifest_id = 'M-C1-2'" | head -c -1 >"$T_TMP/m.json"
printf '%s\n' "$DL_KEY" >"$T_TMP/key"
chmod 600 "$T_TMP/key"
assert_exit 0 "$VCOURIER" manifest verify "$T_TMP/m.json" --key-file "$T_TMP/key" --signature "$sig" --timestamp "$ts" --max-age 300
# The clocks agree again: delivered on the next run (--force: not waiting
# out the backoff the retries left).
curl -sf -X POST -H 'Content-Type: application/json' --data '{"clock_offset": 0}' \
	"http://127.0.0.1:$DL_PORT/_control" >/dev/null
assert_exit 0 "$VCOURIER" deliver --force
assert_eq "$(q "SELECT delivery_status FROM manifests WHERE manifest_id = 'M-C1-2'")" delivered
