#!/bin/bash
# Secrets (issue 5 item 6): the whole job runs with courier webhook keys
# and bearer tokens, from the environment (VCOURIER_KEY_/TOKEN_<CODE>) and
# from the 0600 config file. The endpoint verifies every signature (so the
# keys were used) and saw the Authorization headers; yet no key, no token,
# nor the key's base64 or hex bytes appear in stdout, stderr at -vv, the
# database (pg_dump), the server's log, the reports, or the process's
# argv read from /proc while it runs. A malformed key is refused (78)
# without being echoed; a config file others can read is refused.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$ROOT/tests/reliability/crash_lib.sh"

rl_county
# Every courier gets a key and a token: half from the environment, half
# from the config file.
secrets=()
: >"$T_TMP/keys"
conf=()
i=0
for c in $(PGDATABASE=$RL_TEMPLATE q "SELECT code FROM couriers ORDER BY code"); do
	raw=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
	key="whsec_$raw"
	token="tok-$(head -c 18 /dev/urandom | base64 | tr -d '\n/+=')"
	hex=$(printf '%s' "$raw" | base64 -d | od -An -tx1 | tr -d ' \n')
	secrets+=("$key" "$raw" "$token" "$hex")
	echo "$c $key" >>"$T_TMP/keys"
	conf+=("courier.$c.allow_http = true") # the test endpoint is http on loopback
	if [ $((i % 2)) -eq 0 ]; then
		export "VCOURIER_KEY_$c=$key" "VCOURIER_TOKEN_$c=$token"
	else
		conf+=("courier.$c.key = $key" "courier.$c.token = $token")
	fi
	i=$((i + 1))
done
# The endpoint knows the keys; it holds each post 1 s, long enough to
# read the running job's argv.
dl_endpoint ep --keys "$T_TMP/keys"
rl_scenario 1
rl_slow_endpoint 1
rl_config "${conf[@]}"
grep -q "courier\..*\.key = whsec_" "$VCOURIER_CONFIG" || fail "no key in the config file"

"$VCOURIER" -v -v nightly --date "$RL_DATE" --json >"$T_TMP/job.out" 2>"$T_TMP/job.err" &
pid=$!
t_on_exit "kill -9 $pid 2>/dev/null"
: >"$T_TMP/argv"
for i in $(seq 600); do
	tr '\0' ' ' <"/proc/$pid/cmdline" >>"$T_TMP/argv" 2>/dev/null || break
	echo >>"$T_TMP/argv"
	[ -n "$(ss -Htn state established "( dport = :$DL_PORT )")" ] && break
	sleep 0.05
done
tr '\0' ' ' <"/proc/$pid/cmdline" >>"$T_TMP/argv" 2>/dev/null || true
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 0 ] || fail "nightly exited $rc: $(tail -n 5 "$T_TMP/job.err")"
assert_contains "$(cat "$T_TMP/argv")" "nightly --date $RL_DATE"

# The keys were used: every post signed, verified, and carried a token.
assert_eq "$(dl_requests ep '(r["sig_ok"], r["sha_ok"], r["authorization"], r["status"])' | sort -u)" \
	"(True, True, True, 201)" "what the endpoint verified"
assert_eq "$(dl_requests ep 'r["courier"]' | sort -u | wc -l)" \
	"$(q "SELECT count(DISTINCT courier_id) FROM manifests")" "couriers posted to"
grep -q 'deliver_attempt' "$T_TMP/job.err" || fail "no delivery logged at -vv"
python3 "$RL_DIR/check_outcome.py" --date "$RL_DATE" --store "$T_TMP/ep" || fail "outcome"

# Everything the job left behind, in one place.
{
	cat "$T_TMP/job.out" "$T_TMP/job.err" "$T_TMP/argv"
	pg_dump --no-owner "$PGDATABASE"
	"$VCOURIER" runs
	"$VCOURIER" run show 1 --json
	for m in $(q "SELECT manifest_id FROM manifests"); do "$VCOURIER" manifest show "$m"; done
	if [ -r "${PG_TMP:-/nonexistent}/server.log" ]; then cat "$PG_TMP/server.log"; fi
} >"$T_TMP/everything" 2>&1
[ "$(wc -c <"$T_TMP/everything")" -gt 100000 ] || fail "too little output collected to prove anything"
for s in "${secrets[@]}"; do
	! grep -qF -- "$s" "$T_TMP/everything" || fail "a secret leaked: $(grep -nF -- "$s" "$T_TMP/everything" | head -c 300)"
done
note "${#secrets[@]} secret strings absent from $(wc -c <"$T_TMP/everything") bytes"

# A malformed key: refused as a configuration error, its value not echoed.
rl_scenario 2
bad="whsec_not*base64*${RANDOM}secret"
export VCOURIER_KEY_K001=$bad
posted=$(wc -l <"$T_TMP/ep/requests.jsonl")
assert_exit 78 "$VCOURIER" -v -v nightly --date "$RL_DATE"
assert_eq "$(wc -l <"$T_TMP/ep/requests.jsonl")" "$posted" "posts made with a malformed key configured"
grep -qF -- "${bad#whsec_}" <<<"$T_OUT$T_ERR" && fail "the malformed key was echoed: $T_ERR"
assert_contains "$T_ERR" "K001"

# A config file holding secrets that others can read is refused.
chmod 644 "$VCOURIER_CONFIG"
assert_exit 78 "$VCOURIER" runs
grep -qF "courier." <<<"$T_ERR" && fail "the config's content was echoed: $T_ERR"
true
