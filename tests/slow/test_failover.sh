#!/bin/bash
# Failover with a real HA stack (SPEC section 10): a pg_auto_failover
# formation (monitor, primary, synchronous secondary) on loopback ports;
# vcourier reaches it through the libpq multi-host URL with
# target_session_attrs=read-write. The primary is failed over
#  (a) while a hub is being planned (the job held right after its claim),
#  (b) while manifests are being posted (the endpoint holds a POST);
# then `vcourier nightly` for the same date and `vcourier deliver` finish
# the night: every order in exactly one live manifest (or unassigned or
# rejected with its reason), every manifest stored once under one key and
# no order under two keys, the dead runs marked abandoned.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/integration/deliver_lib.sh"
. "$ROOT/tests/integration/nightly_lib.sh"
. "$ROOT/tests/slow/failover_lib.sh"
T0=$(date +%s)
DA=2026-12-01
DB=2026-12-02
HOLD="$T_TMP/hold"
mkdir -p "$HOLD"
af_bindir >/dev/null || fail "pg_auto_failover is not installed (Debian: postgresql-15-auto-failover; make deps installs it)"

af_start
note "formation up in $(($(date +%s) - T0))s: $(af_states | tr '\n' ';')"
assert_eq "$(af_sync_standby)" 1 "synchronous standbys"
vc() { "$VCOURIER" --db "$AF_URI" "$@"; }
vc db migrate >/dev/null
dl_endpoint ep
dl_config "plan_iterations = 1500" "plan_seed = 3" "deliver_timeout_s = 30" "deliver_budget_s = 60"

# Three hubs, each with six points, two couriers posting to the endpoint,
# and 30 orders for each of the two dates.
q "INSERT INTO hubs (code, name, lat, lon)
   SELECT 'FH' || h, 'Hub ' || h, 30 + h * 0.5, 110 + h * 0.5 FROM generate_series(1, 3) h"
q "INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min)
   SELECT h.code || '-P' || g, 'Village ' || g, h.id, h.lat + 0.02 * g, h.lon - 0.015 * g, 480, 1020, 5
   FROM hubs h, generate_series(1, 6) g"
q "INSERT INTO couriers (code, name, hub_id, capacity_kg, capacity_m3, shift_start_min, shift_end_min, endpoint_url)
   SELECT h.code || '-C' || g, 'Van ' || g, h.id, 600, 5, 420, 1080,
          'http://127.0.0.1:' || :'v1' || '/couriers/' || h.code || '-C' || g
   FROM hubs h, generate_series(1, 2) g" "$DL_PORT"
q "INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date, seller)
   SELECT p.code || '-' || d.tag || g, p.id, 2 + g, 0.02, d.day, 'seller ' || g
   FROM points p, generate_series(1, 5) g,
        (VALUES ('a', DATE '2026-12-01'), ('b', DATE '2026-12-02')) AS d(tag, day)"
primary0=$(af_primary_name)

# (a) Held right after FH1's claim (its transaction open, the orders locked
# on the primary): fail over, then let it go on. Its transaction dies with
# the old primary's session; the run stays 'running' on the new primary.
VCOURIER_HOLD=after_claim VCOURIER_HOLD_DIR="$HOLD" \
	"$VCOURIER" --db "$AF_URI" nightly --date "$DA" --json >"$T_TMP/a1.json" 2>"$T_TMP/a1.err" &
pid=$!
af_wait 60 "the nightly job to reach its hold point" test -s "$HOLD/after_claim.held"
dead_a=$(q "SELECT id FROM runs WHERE status = 'running'")
assert_eq "$(q "SELECT code FROM hubs h JOIN runs r ON r.hub_id = h.id WHERE r.id = :'v1'" "$dead_a")" FH1
af_failover
note "(a) failed over from $primary0 to $(af_primary_name) at $(($(date +%s) - T0))s"
: >"$HOLD/after_claim.release"
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 69 "the job whose database failed over: $(cat "$T_TMP/a1.err")"
assert_contains "$(cat "$T_TMP/a1.err")" "database unavailable"
assert_eq "$(q "SELECT count(*) FROM manifests")" 0 "manifests written by the failed transaction"
assert_eq "$(q "SELECT status FROM runs WHERE id = :'v1'" "$dead_a")" running
# The night goes on against the new primary: the dead run abandoned.
assert_exit 0 vc nightly --date "$DA" --json
echo "$T_OUT" >"$T_TMP/a2.json"
assert_eq "$(q "SELECT status FROM runs WHERE id = :'v1'" "$dead_a")" abandoned
assert_eq "$(wc -l <"$T_TMP/a2.json")" 3 "summaries of the night's second run"
nl_check "$DA" --require-delivered >/dev/null

# (b) The endpoint holds FH2-C1's POST: fail over while it is in flight.
af_wait 120 "the old primary to come back as the secondary" af_settled
dl_faults "$DL_PORT" FH2-C1 '[{"hold": "b"}]'
"$VCOURIER" --db "$AF_URI" nightly --date "$DB" --json >"$T_TMP/b1.json" 2>"$T_TMP/b1.err" &
pid=$!
af_wait 60 "a POST to be held" python3 -c 'import json,sys,urllib.request
sys.exit(json.load(urllib.request.urlopen(sys.argv[1])).get("b", 0) < 1)' "http://127.0.0.1:$DL_PORT/_held"
dead_b=$(q "SELECT id FROM runs WHERE status = 'running'")
af_failover
note "(b) failed over back to $(af_primary_name) at $(($(date +%s) - T0))s"
curl -sf -X POST --data '{"release": "b"}' "http://127.0.0.1:$DL_PORT/_control" >/dev/null
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 69 "the job whose database failed over while posting: $(cat "$T_TMP/b1.err")"
assert_eq "$(q "SELECT status FROM runs WHERE id = :'v1'" "$dead_b")" running
assert_exit 0 vc nightly --date "$DB" --json
assert_eq "$(q "SELECT status FROM runs WHERE id = :'v1'" "$dead_b")" abandoned
assert_exit 0 vc deliver
for d in "$DA" "$DB"; do nl_check "$d" --require-delivered >/dev/null; done

# Nothing lost, nothing twice: every stored manifest is a live one, stored
# under one key; no order is in two stored manifests; every order of both
# dates is in exactly one stored manifest or is unassigned / rejected.
q "SELECT manifest_id FROM manifests WHERE superseded_by IS NULL AND delivery_status = 'delivered' ORDER BY 1" >"$T_TMP/live"
q "SELECT order_ref FROM orders WHERE status IN ('manifested', 'delivered') ORDER BY 1" >"$T_TMP/routed"
python3 - "$T_TMP/ep" "$T_TMP/live" "$T_TMP/routed" <<'PY' || fail "endpoint store"
import glob, json, os, sys
store, live, routed = sys.argv[1], open(sys.argv[2]).read().split(), open(sys.argv[3]).read().split()
keys, owner = [], {}
for path in glob.glob(os.path.join(store, "*", "*.json")):
    key = os.path.basename(path)[:-5]
    keys.append(key)
    doc = json.load(open(path))
    assert doc["manifest_id"] == key, path
    for stop in doc["stops"]:
        for p in stop["parcels"]:
            ref = p["order_ref"]
            assert ref not in owner, "%s under two keys: %s and %s" % (ref, owner[ref], key)
            owner[ref] = key
assert sorted(keys) == sorted(live), "stored %s, live %s" % (sorted(keys), sorted(live))
assert sorted(owner) == sorted(routed), "orders posted differ from orders routed"
print("ok: %d manifests, %d orders, each once" % (len(keys), len(owner)))
PY
attempts=$(dl_requests ep 'r["key"]' | sort | uniq -d | wc -l)
note "keys posted more than once (the same key again, answered with its first answer): $attempts"
assert_eq "$(q "SELECT count(*) FROM runs WHERE status = 'running'")" 0
assert_eq "$(q "SELECT string_agg(id::text, ' ' ORDER BY id) FROM runs WHERE status = 'abandoned'")" "$dead_a $dead_b"
note "failover test took $(($(date +%s) - T0))s"
