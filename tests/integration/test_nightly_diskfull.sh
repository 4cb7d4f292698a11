#!/bin/bash
# Fault (issue 9): PostgreSQL's disk fills up (SQLSTATE 53100) during the
# outbox write. The manifests table lives on a real 2 MB tmpfs tablespace
# that a filler has filled (diskfull_lib.sh), so hub H1's night claims and
# plans, then its first manifest INSERT gets ENOSPC from the server.
#
# One `nightly --jobs 1` over H1 and H2: H1 fails with one error line; it
# leaves nothing half-done (no manifest, every order exactly as before,
# the run 'failed' with the error), checked while the process is held at
# after_run_failed (pkg/run/lifecycle.c); the space comes back there and
# H2, the next hub, runs its whole night in the same process. Exit 69 (the
# README's rule: a failure other than 75 wins over H2's 0). The next
# nightly of the date finishes H1: every due order in exactly one
# manifest, delivered, checked by tests/check_plan.py.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
. "$(dirname "$0")/diskfull_lib.sh"
nl_setup
df_tiny_tablespace 2m
q "ALTER TABLE manifests SET TABLESPACE $DF_TS"
df_fill
orders() { q "SELECT md5(string_agg(o::text, ',' ORDER BY o.id)) FROM orders o"; }
hub_runs() { q "SELECT r.status FROM runs r JOIN hubs h ON h.id = r.hub_id WHERE h.code = :'v1' ORDER BY r.id" "$1"; }
before=$(orders)

env $(t_hold_env after_run_failed) "$VCOURIER" nightly --date "$NL_DATE" --jobs 1 --json \
	>"$T_TMP/a.json" 2>"$T_TMP/a.err" &
pid=$!
t_on_exit "kill $pid 2>/dev/null"
t_hold_wait after_run_failed

# Held after H1's failure, before H2: nothing of H1's night is left.
assert_eq "$(hub_runs H1)" failed "H1's run"
assert_contains "$(q "SELECT error FROM runs")" "database out of space: could not extend file"
assert_contains "$(q "SELECT error FROM runs")" "No space left on device"
assert_eq "$(q "SELECT count(*) FROM manifests")" 0 "manifests after the failed write"
assert_eq "$(orders)" "$before" "orders changed by a failed write"
assert_eq "$(hub_runs H2)" "" "H2 started before H1 ended"
assert_eq "$(nl_requests)" 0 "posted from a failed write"

# The operator frees the disk; H2 runs in the same process.
df_free
t_hold_release after_run_failed
rc=0
wait $pid || rc=$?
assert_eq "$rc" 69 "nightly's exit (stderr: $(cat "$T_TMP/a.err"))"
t_one_error_line "$T_TMP/a.err" "vcourier: hub H1: database out of space: could not extend file"
assert_eq "$(hub_runs H2)" completed "H2's run"
assert_eq "$(nl_json "$T_TMP/a.json" hub)" H2 "the one summary on stdout"
assert_eq "$(q "SELECT status FROM orders WHERE order_ref = 'O-H2'")" delivered
assert_eq "$(q "SELECT count(*) FROM manifests m JOIN hubs h ON h.id = m.hub_id WHERE h.code = 'H1'")" 0

# The next nightly of the date finishes the night: H1 planned and posted,
# H2 left alone (done).
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --jobs 1 --json
printf '%s\n' "$T_OUT" >"$T_TMP/b.json"
assert_eq "$(nl_json "$T_TMP/b.json" hub)" H1
assert_eq "$(hub_runs H1)" "failed
completed" "H1's runs"
assert_eq "$(hub_runs H2)" completed "H2 ran again"
# every order due by the date: in exactly one delivered manifest, or rejected
# or unassigned with its reason; never half-done
assert_eq "$(q "SELECT count(*) FROM orders WHERE ready_date <= :'v1' AND NOT (
	(status = 'delivered' AND manifest_id IS NOT NULL) OR
	(status IN ('rejected', 'pending') AND manifest_id IS NULL AND reason IS NOT NULL))" "$NL_DATE")" 0 \
	"orders not finished"
assert_eq "$(q "SELECT count(*) FROM orders o JOIN manifests m ON m.manifest_id = o.manifest_id
	WHERE m.delivery_status <> 'delivered' OR m.superseded_by IS NOT NULL")" 0 "orders in a manifest not live or not delivered"
assert_eq "$(q "SELECT count(*) FROM orders WHERE ready_date <= :'v1' AND status = 'delivered'" "$NL_DATE")" \
	"$(q "SELECT sum(parcels) FROM manifests")" "parcels in manifests and delivered orders"
nl_check "$NL_DATE" --summary "$T_TMP/b.json" --require-delivered >/dev/null
