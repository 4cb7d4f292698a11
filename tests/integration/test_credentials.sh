#!/bin/bash
# Courier secrets from $CREDENTIALS_DIRECTORY (systemd LoadCredential=,
# issue 13): a file courier.<CODE>.key there signs that courier's posts and
# wins over VCOURIER_KEY_<CODE> and the config file (both set to another,
# valid key here, so a wrong precedence fails the endpoint's signature
# check); a token file gives the Authorization header. Every POST carries
# User-Agent vcourier/<version>, the deliver run records the version (and
# deliver --json prints it). A
# credential file that is world-readable, empty, multi-line or a FIFO is
# refused (78) naming the file, never its content, and nothing is posted.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
t_newdb
other=whsec_$(head -c 32 /dev/urandom | base64 | tr -d '\n')
echo "C1 $DL_KEY" >"$T_TMP/keys"
dl_endpoint ep --keys "$T_TMP/keys"
dl_config "courier.C1.key = $other" "courier.C1.allow_http = true"
export VCOURIER_KEY_C1=$other
dl_hub
dl_courier C1 "http://127.0.0.1:$DL_PORT/couriers/C1"
dl_courier C2 "http://127.0.0.1:$DL_PORT/couriers/C2"
dl_manifest M-C1-1 C1
dl_manifest M-C2-1 C2
version=$("$VCOURIER" --version | sed -n '1s/^vcourier //p')
[ -n "$version" ] || fail "no version in: $("$VCOURIER" --version)"

creds=$T_TMP/creds
mkdir -m 700 "$creds"
# C1's key as LoadCredential=vcourier:DIR names a folder's files
printf '%s\n' "$DL_KEY" >"$creds/vcourier_courier.C1.key"
printf 'cred-token-%s' "$RANDOM" >"$creds/courier.C1.token"
echo "not read: not a courier secret" >"$creds/pgpass"
chmod 400 "$creds"/*

export CREDENTIALS_DIRECTORY=$creds
assert_exit 0 "$VCOURIER" deliver
assert_eq "$(dl_status M-C1-1)" "delivered 1 201"
assert_eq "$(dl_requests ep 'r["courier"], r["status"], r["sig_ok"], r["authorization"]' | sort)" \
	"('C1', 201, True, True)
('C2', 201, None, False)" "the credential's key signed, its token was sent"
assert_eq "$(dl_requests ep 'r["user_agent"]' | sort -u)" "vcourier/$version" "User-Agent"
assert_eq "$(q "SELECT DISTINCT vcourier_version FROM runs WHERE kind = 'deliver'")" "$version"
assert_eq "$(q "SELECT summary->>'vcourier_version' FROM runs WHERE kind = 'deliver' ORDER BY id DESC LIMIT 1")" "$version"
run=$(q "SELECT max(id) FROM runs WHERE kind = 'deliver'")
assert_exit 0 "$VCOURIER" run show "$run" --json
assert_eq "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["vcourier_version"])' <<<"$T_OUT")" "$version"
# deliver --json says it too, hub by hub, like the nightly summaries
assert_exit 0 "$VCOURIER" deliver --json
assert_eq "$(python3 -c 'import json,sys; print(" ".join(h["hub"] + "=" + h["vcourier_version"] for h in json.load(sys.stdin)))' <<<"$T_OUT")" "H1=$version" "deliver --json"

# bad credential files: refused before anything is posted, content never echoed
posted=$(wc -l <"$T_TMP/ep/requests.jsonl")
secret="cred-secret-$RANDOM$RANDOM"
bad() {
	assert_exit 78 "$VCOURIER" deliver
	assert_contains "$T_ERR" "$creds/$1"
	assert_contains "$T_ERR" "$2"
	grep -qF -- "$secret" <<<"$T_OUT$T_ERR" && fail "a credential was echoed: $T_ERR"
	assert_eq "$(wc -l <"$T_TMP/ep/requests.jsonl")" "$posted" "posts with a bad credential"
	rm -f "$creds/$1"
}
printf '%s\n' "$secret" >"$creds/courier.C2.key" && chmod 604 "$creds/courier.C2.key"
bad courier.C2.key "readable by others"
: >"$creds/courier.C2.token" && chmod 400 "$creds/courier.C2.token"
bad courier.C2.token "empty"
printf '%s\n%s\n' "$secret" "$secret" >"$creds/courier.C2.key" && chmod 400 "$creds/courier.C2.key"
bad courier.C2.key "more than one line"
mkfifo -m 600 "$creds/courier.C2.key"
bad courier.C2.key "not a regular file"
export CREDENTIALS_DIRECTORY=$T_TMP/none
assert_exit 78 "$VCOURIER" deliver
assert_contains "$T_ERR" "CREDENTIALS_DIRECTORY $T_TMP/none"
# vcourier --version needs no config and no credentials
assert_exit 0 "$VCOURIER" --version
assert_eq "$T_OUT" "$("$VCOURIER" version)" "--version and version"
for lib in libpq libcurl zlib jansson OpenSSL libqrencode CBC; do assert_contains "$T_OUT" "$lib "; done
