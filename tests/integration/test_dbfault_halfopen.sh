#!/bin/bash
# A database connection that goes silent (half-open: packets dropped, no
# RST), during the claim and during the recording of a delivery. vcourier
# runs in a network namespace and reaches PostgreSQL over a veth through
# tests/tcp_forward.py; the test black-holes the route at an exact instant
# (hold points, pkg/util/fault.h). The wait is bounded by tcp_user_timeout
# and keepalives (set in the conninfo here; see docs/RELIABILITY.md): exit
# 69 within seconds, not after the kernel's 15-minute retransmission. Once
# the server side drops the dead session (its lock goes with it), the next
# run recovers the dead run and finishes the night, each order once, each
# manifest stored once. Needs root and `ip netns` (CI runs as root);
# without them it exits 77, which tests/run.sh counts as skipped.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"

ns=vcns$$
hv=vch$$
nv=vcn$$
sub=$(($$ % 200 + 20))
HOSTIP=10.213.$sub.1
if [ "$(id -u)" != 0 ] || ! ip netns add "$ns" 2>/dev/null; then
	echo "skipped: needs root and ip netns (network namespaces)"
	exit 77
fi
t_on_exit "ip netns del $ns"
ip link add "$hv" type veth peer name "$nv"
t_on_exit "ip link del $hv 2>/dev/null"
ip link set "$nv" netns "$ns"
ip addr add "$HOSTIP/30" dev "$hv"
ip link set "$hv" up
ip netns exec "$ns" ip addr add "10.213.$sub.2/30" dev "$nv"
ip netns exec "$ns" ip link set "$nv" up
ip netns exec "$ns" ip link set lo up

t_newdb
: >"$T_TMP/fw.out"
python3 "$ROOT/tests/tcp_forward.py" --listen "$HOSTIP" --unix "$PGHOST/.s.PGSQL.${PGPORT:-5432}" \
	>"$T_TMP/fw.out" 2>"$T_TMP/fw.err" &
t_on_exit "kill $! 2>/dev/null"
fwport=$(t_port "$T_TMP/fw.out") || fail "forwarder did not start: $(cat "$T_TMP/fw.err")"
CI="host=$HOSTIP port=$fwport dbname=$T_DB user=postgres connect_timeout=5 keepalives=1"
CI="$CI keepalives_idle=1 keepalives_interval=1 keepalives_count=3 tcp_user_timeout=3000"

dl_endpoint ep --bind 0.0.0.0
dl_config "plan_iterations = 2000" "plan_seed = 5" "deliver_timeout_s = 30" "deliver_budget_s = 60" \
	"db_reconnect_s = 0"
nl_small_county "http://$HOSTIP:$DL_PORT/couriers/"
q "UPDATE couriers SET endpoint_url = endpoint_url || code"
in_ns() { ip netns exec "$ns" "$@"; }
cut_db() { in_ns ip route add blackhole "$HOSTIP/32"; }
heal_db() { in_ns ip route del blackhole "$HOSTIP/32"; }
# PostgreSQL ends the session once the forwarder's keepalives give up on
# the dead peer: poll (deadline 60 s) until no session of that name is left.
wait_session_gone() {
	for _ in $(seq 1200); do
		[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = :'v1' AND datname = current_database()" "$1")" = 0 ] && return 0
		sleep 0.05
	done
	fail "the dead session $1 was never ended"
}

# silent_at POINT HUB NAME: nightly for HUB in the namespace, held at POINT;
# the route is black-holed, then the job released; sets rc and took (s).
silent_at() {
	local pid start
	in_ns env $(t_hold_env "$1") "$VCOURIER" --db "$CI" nightly --date "$NL_DATE" --hub "$2" \
		>"$T_TMP/$3.out" 2>"$T_TMP/$3.err" &
	pid=$!
	t_on_exit "kill $pid 2>/dev/null"
	t_hold_wait "$1"
	cut_db
	start=$(date +%s)
	t_hold_release "$1"
	rc=0
	wait $pid || rc=$?
	took=$(($(date +%s) - start))
}

# 1. Silent during the claim (inside the job's transaction).
silent_at before_claim H1 a
assert_eq "$rc" 69 "nightly on a silent connection: $(cat "$T_TMP/a.err")"
assert_eq "$(grep -c '^vcourier: hub H1: database unavailable' "$T_TMP/a.err")" 1
[ "$took" -le 30 ] || fail "the silent connection held the job $took s (tcp_user_timeout 3 s)"
heal_db
wait_session_gone vcourier/nightly
assert_eq "$(q "SELECT count(*) FROM orders WHERE status <> 'pending'")" 0 "the claim was not rolled back"
assert_eq "$(nl_requests)" 0
dead=$(q "SELECT id FROM runs WHERE status = 'running'")
assert_exit 0 in_ns "$VCOURIER" --db "$CI" nightly --date "$NL_DATE" --hub H1
assert_eq "$(q "SELECT status FROM runs WHERE id = :'v1'" "$dead")" abandoned

# 2. Silent while recording a delivery: the post succeeded (hold at
# after_2xx), the recording cannot reach the database.
silent_at after_2xx H2 b
assert_eq "$rc" 69 "delivery recording on a silent connection: $(cat "$T_TMP/b.err")"
[ "$took" -le 30 ] || fail "the silent connection held the delivery $took s"
heal_db
wait_session_gone vcourier/nightly
m=$(q "SELECT manifest_id FROM manifests WHERE hub_id = (SELECT id FROM hubs WHERE code = 'H2')")
assert_eq "$(dl_status "$m")" "pending 0 -" "an unrecorded post was recorded"
# the next deliver recovers the dead run and posts again under the same key: stored once
assert_exit 0 "$VCOURIER" deliver --hub H2
assert_eq "$(dl_status "$m")" "delivered 1 201"
assert_eq "$(dl_requests ep 'r["key"], r["stored"]' | grep -c "'$m'")" 2
assert_eq "$(dl_requests ep 'r["key"], r["stored"]' | grep -c "'$m', True")" 1
assert_eq "$(q "SELECT string_agg(status, ' ' ORDER BY id) FROM runs WHERE hub_id = (SELECT id FROM hubs WHERE code = 'H2')")" "abandoned completed"
nl_check "$NL_DATE" --require-delivered >/dev/null
