#!/bin/bash
# vcourier deliver: two couriers posted to concurrently, one with a webhook
# key and a bearer token; what arrives verifies; every attempt recorded;
# orders delivered; a second sweep posts nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
t_newdb
echo "C1 $DL_KEY" >"$T_TMP/keys"
dl_endpoint ep --keys "$T_TMP/keys"
# the endpoint is plain http on loopback: C1's token is allowed there
dl_config "courier.C1.allow_http = true"
export VCOURIER_KEY_C1=$DL_KEY VCOURIER_TOKEN_C1=token-not-logged-42
dl_hub
dl_courier C1 "http://127.0.0.1:$DL_PORT/couriers/C1"
dl_courier C2 "http://127.0.0.1:$DL_PORT/couriers/C2"
dl_manifest M-C1-1 C1
dl_manifest M-C1-2 C1 2
dl_manifest M-C2-1 C2
# C1 comes first in the posting order but answers late: C2's post lands
# first only if couriers are posted to concurrently
dl_faults "$DL_PORT" C1 '[{"delay": 0.5}]'

# a malformed key is a configuration error found before anything is posted
assert_exit 78 env VCOURIER_KEY_C1=whsec_c2hvcnRrZXk= "$VCOURIER" deliver
assert_contains "$T_ERR" "courier C1: webhook key is not whsec_"
grep -q c2hvcnRrZXk <<<"$T_ERR" && fail "the key is in the error"
[ -f "$T_TMP/ep/requests.jsonl" ] && fail "posted with a bad key"
assert_eq "$(q "SELECT status FROM runs WHERE kind = 'deliver'")" failed
assert_exit 0 "$VCOURIER" -v deliver
assert_contains "$T_OUT" "hub H1: run 3: 3 delivered, 0 pending, 0 failed, 0 gone"
for m in M-C1-1 M-C1-2 M-C2-1; do
	assert_eq "$(dl_status $m)" "delivered 1 201"
	[ "$(sha256sum <"$T_TMP/ep/${m:2:2}/$m.json" | cut -d" " -f1)" = "$(q "SELECT sha256 FROM manifests WHERE manifest_id = :'v1'" $m)" ] \
		|| fail "$m stored bytes differ"
done
assert_eq "$(q "SELECT count(*) FROM orders WHERE status = 'delivered'")" 6
assert_eq "$(q "SELECT count(*) || ' ' || min(run_id) || ' ' || min(outcome) FROM delivery_attempts")" "3 3 delivered"
assert_eq "$(q "SELECT kind || ' ' || status || ' ' || (summary->>'delivered') FROM runs WHERE id = 3")" "deliver completed 3"
# signature checked by the endpoint for C1 only, token sent but never logged
assert_eq "$(dl_requests ep 'r["courier"], r["sig_ok"], r["sha_ok"], r["authorization"]' | sort | uniq -c | tr -s ' ')" \
	" 2 ('C1', True, True, True)
 1 ('C2', None, True, False)"
assert_eq "$(dl_requests ep 'r["key"]' | head -n 1)" M-C2-1 "concurrent couriers"
assert_contains "$T_ERR" "deliver_attempt manifest=M-C1-1"
pg_dump --data-only "$PGDATABASE" >"$T_TMP/dump.sql"
grep -q 'M-C1-1' "$T_TMP/dump.sql" || fail "the dump is empty"
grep -q -e MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw -e token-not-logged-42 "$T_TMP/dump.sql" \
	&& fail "a secret is in the database"
grep -q token-not-logged-42 <<<"$T_ERR$T_OUT" && fail "token in the logs"
grep -q MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw <<<"$T_ERR$T_OUT" && fail "key in the logs"

# what the courier received verifies offline with its key and the headers
printf '%s\n' "$DL_KEY" >"$T_TMP/c1.key"
chmod 600 "$T_TMP/c1.key"
ts=$(dl_requests ep 'r["timestamp"] if r["key"] == "M-C1-1" else ""' | grep .)
sig=$(dl_requests ep 'r["signature"] if r["key"] == "M-C1-1" else ""' | grep .)
sha=$(q "SELECT sha256 FROM manifests WHERE manifest_id = 'M-C1-1'")
assert_exit 0 "$VCOURIER" manifest verify "$T_TMP/ep/C1/M-C1-1.json" --sha256 "$sha" \
	--key-file "$T_TMP/c1.key" --signature "$sig" --timestamp "$ts"

# nothing left: no run recorded, nothing posted
before=$(wc -l <"$T_TMP/ep/requests.jsonl")
assert_exit 0 "$VCOURIER" deliver --json
assert_contains "$T_OUT" '"run_id": 0'
assert_eq "$(wc -l <"$T_TMP/ep/requests.jsonl")" "$before"
assert_eq "$(q "SELECT count(*) FROM runs")" 3
assert_exit 65 "$VCOURIER" deliver --hub NOPE
assert_contains "$T_ERR" "no hub with code 'NOPE'"
