#!/bin/bash
# A TLS endpoint with a certificate from a private CA: refused (left
# pending, the verification error recorded) until ca_file names the CA;
# then delivered. Verification is never switched off. The timeouts are
# long on purpose: a TLS handshake with the test endpoint took over 2 s
# under ASan on a loaded CI machine, and a timeout must not stand in for
# the certificate error this test looks for. The refused post is backed
# off for an hour, so the first pass ends after one attempt; the second,
# with the CA, is forced (an operator who fixed the cause does the same).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
t_newdb
cd "$T_TMP"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=vcourier test CA" \
	-keyout ca.key -out ca.pem -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout srv.key -out srv.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >san.ext
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
	-extfile san.ext -out srv.pem 2>/dev/null
cd - >/dev/null
dl_endpoint ep --tls "$T_TMP/srv.pem" "$T_TMP/srv.key"
SLOW=("deliver_timeout_s = 60" "deliver_connect_timeout_s = 60" "deliver_budget_s = 120")
dl_config "${SLOW[@]}" "deliver_backoff_base_s = 3600" "deliver_backoff_max_s = 3600"
dl_hub
dl_courier C1 "https://127.0.0.1:$DL_PORT/couriers/C1"
dl_manifest M-1 C1

assert_exit 75 "$VCOURIER" deliver
case "$(dl_status M-1)" in "pending "*" -") ;; *) fail "unknown CA accepted: $(dl_status M-1)" ;; esac
assert_contains "$(q "SELECT error FROM delivery_attempts WHERE manifest_id = 'M-1' AND attempt = 1")" "certificate"
assert_eq "$(q "SELECT count(*) FROM delivery_attempts WHERE manifest_id = 'M-1'")" "1"
[ -d "$T_TMP/ep/C1" ] && fail "the endpoint stored a manifest over an unverified connection"

dl_config "${SLOW[@]}" "ca_file = $T_TMP/ca.pem"
assert_exit 0 "$VCOURIER" deliver --force
case "$(dl_status M-1)" in "delivered "*" 201") ;; *) fail "with ca_file: $(dl_status M-1)" ;; esac
[ -f "$T_TMP/ep/C1/M-1.json" ] || fail "not stored"
