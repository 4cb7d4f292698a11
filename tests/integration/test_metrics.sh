#!/bin/bash
# metrics_file (docs/metrics.md): after every run the Prometheus text file
# is replaced atomically from the database; `promtool check metrics` (the
# real one) accepts it; the real prometheus-node-exporter serves it through
# its textfile collector over HTTP; runs of other hubs and kinds never
# erase a series; the last-success time moves only on a successful run.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
command -v promtool >/dev/null || fail "promtool missing (Debian prometheus)"
command -v prometheus-node-exporter >/dev/null || fail "prometheus-node-exporter missing"

DIR="$T_TMP/textfile"
mkdir "$DIR"
PROM="$DIR/vcourier.prom"
nl_setup "metrics_file = $PROM"

# value NAME LABELS: the sample's value in the file ('' when absent)
value() { awk -v k="$1{$2}" '$1 == k { print $2 }' "$PROM"; }
promcheck() { promtool check metrics <"$PROM" || fail "promtool check metrics: $(promtool check metrics <"$PROM" 2>&1)"; }

# A dry run writes nothing.
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --dry-run
[ ! -e "$PROM" ] || fail "a dry run wrote the metrics file"

assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1
promcheck
h1_ok=$(value vcourier_last_success_timestamp_seconds 'hub="H1",kind="nightly"')
[ -n "$h1_ok" ] || fail "no last success for H1: $(cat "$PROM")"
now=$(date +%s)
awk -v t="$h1_ok" -v n="$now" 'BEGIN { exit !(t > n - 600 && t <= n + 5) }' || fail "last success $h1_ok is not now ($now)"
assert_eq "$(value vcourier_last_run_success 'hub="H1",kind="nightly"')" 1
[ -n "$(value vcourier_last_run_duration_seconds 'hub="H1",kind="nightly"')" ] || fail "no duration"
assert_eq "$(value vcourier_orders 'hub="H1",state="delivered"')" \
	"$(q "SELECT count(*) FROM orders o JOIN points p ON p.id = o.point_id JOIN hubs h ON h.id = p.hub_id WHERE h.code = 'H1' AND o.status = 'delivered'")"
assert_eq "$(value vcourier_orders 'hub="H1",state="picked"')" 0   # zero-filled, every state
assert_eq "$(value vcourier_orders 'hub="H1",state="rejected"')" 2 # the heavy one and the closed point
assert_eq "$(value vcourier_manifests 'hub="H1",delivery="delivered"')" "$(q "SELECT count(*) FROM manifests")"
assert_eq "$(value vcourier_delivery_attempts_total 'hub="H1",outcome="delivered"')" "$(q "SELECT count(*) FROM delivery_attempts")"
assert_eq "$(value vcourier_unassigned_orders 'hub="H1"')" \
	"$(q "SELECT count(*) FROM orders WHERE status = 'pending' AND reason LIKE 'unassigned:%'")"
grep -q '^# TYPE vcourier_delivery_attempts_total counter$' "$PROM" || fail "attempts is not a counter"
assert_eq "$(stat -c %a "$PROM")" 644
# nothing half-written left beside it
assert_eq "$(ls "$DIR" | grep -v '^vcourier\.prom$' | grep -v '^vcourier\.prom\.lock$' || true)" ""

# Hub H2's run fails to deliver (its courier's endpoint refuses
# connections): H2's nightly gets a duration and success 0 but no
# last-success time; H1's series are all still there, unchanged.
q "UPDATE couriers SET endpoint_url = 'http://127.0.0.1:9/closed' WHERE code = 'D1'"
assert_exit 75 "$VCOURIER" nightly --date "$NL_DATE" --hub H2
promcheck
assert_eq "$(value vcourier_last_success_timestamp_seconds 'hub="H1",kind="nightly"')" "$h1_ok"
assert_eq "$(value vcourier_last_success_timestamp_seconds 'hub="H2",kind="nightly"')" ""
assert_eq "$(value vcourier_last_run_success 'hub="H2",kind="nightly"')" 0
assert_eq "$(value vcourier_manifests 'hub="H2",delivery="pending"')" 1
[ "$(value vcourier_delivery_attempts_total 'hub="H2",outcome="retry"')" -ge 1 ] || fail "no retry attempts for H2"

# `deliver` is a run of its own kind: once the endpoint is back, it
# succeeds; the nightly series of both hubs stay.
q "UPDATE couriers SET endpoint_url = :'v1' WHERE code = 'D1'" "http://127.0.0.1:$DL_PORT/couriers/D1"
dl_wait_due
assert_exit 0 "$VCOURIER" deliver --hub H2
promcheck
[ -n "$(value vcourier_last_success_timestamp_seconds 'hub="H2",kind="deliver"')" ] || fail "no deliver success for H2"
assert_eq "$(value vcourier_last_success_timestamp_seconds 'hub="H1",kind="nightly"')" "$h1_ok"
assert_eq "$(value vcourier_last_run_success 'hub="H2",kind="nightly"')" 0
assert_eq "$(value vcourier_manifests 'hub="H2",delivery="delivered"')" 1

# The real node_exporter reads the folder through its textfile collector.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus-node-exporter --collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$DIR" --web.listen-address="127.0.0.1:$port" \
	>"$T_TMP/ne.log" 2>&1 &
t_on_exit "kill $! 2>/dev/null; wait $! 2>/dev/null"
deadline=$(($(date +%s) + 20))
until curl -sf "http://127.0.0.1:$port/metrics" >"$T_TMP/scrape" 2>/dev/null; do
	[ "$(date +%s)" -lt "$deadline" ] || fail "node_exporter did not answer: $(cat "$T_TMP/ne.log")"
	sleep 0.1
done
scrape=$(cat "$T_TMP/scrape")
assert_contains "$scrape" "vcourier_last_success_timestamp_seconds{hub=\"H1\",kind=\"nightly\"}"
assert_contains "$scrape" "vcourier_last_success_timestamp_seconds{hub=\"H2\",kind=\"deliver\"}"
assert_contains "$scrape" "vcourier_orders{hub=\"H1\",state=\"delivered\"}"
assert_contains "$scrape" "vcourier_delivery_attempts_total{hub=\"H2\",outcome=\"retry\"}"
assert_contains "$scrape" "node_textfile_scrape_error 0"
grep -q '^node_textfile_mtime_seconds{file="[^"]*vcourier.prom"}' "$T_TMP/scrape" || fail "node_exporter did not read vcourier.prom"

# A metrics file that cannot be written: one warning, the run's status unchanged.
dl_config "plan_iterations = 3000" "plan_seed = 5" "metrics_file = $T_TMP/no/such/dir/v.prom"
assert_exit 0 "$VCOURIER" deliver --hub H1
assert_contains "$T_ERR" "metrics_not_written"
