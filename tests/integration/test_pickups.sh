#!/bin/bash
# import pickups (docs/pickups.md): the couriers' confirmations. Picked is
# final and never replanned; missing and refused go back to pending with
# the reason and are planned by the next night (not by a replan of the same
# day); bad rows are refused as FILE:LINE: reason (exit 65, --rejects);
# importing the same file again changes nothing; manifest check shows the
# confirmations; the order states of the C list and the database agree.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
nl_setup
NEXT=2026-12-02
export PGTZ=UTC   # times in reasons and reports are shown in the session's zone

# The one list of order states: pkg/db/order_state.h and the CHECK constraint.
c_states=$(grep -o 'X([a-z]*)' "$ROOT/pkg/db/order_state.h" | grep -v 'X(name)' | sed 's/X(\(.*\))/\1/' | sort | tr '\n' ' ')
db_states=$(q "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'orders_status_check'" |
	grep -o "'[a-z]*'" | tr -d "'" | sort | tr '\n' ' ')
assert_eq "$db_states" "$c_states" "order states in pkg/db/order_state.h and the schema"
assert_contains "$c_states" "picked"

q "UPDATE couriers SET active = false WHERE code = 'C3'"
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --json
M1="$NL_DATE-H1-C1-v1"
M2="$NL_DATE-H1-C2-v1"
# Three parcels of C1's manifest and one of C2's, by order_ref.
read -r A B C D < <(q "SELECT string_agg(order_ref, ' ' ORDER BY order_ref) FROM
	(SELECT order_ref FROM orders WHERE manifest_id = :'v1' ORDER BY order_ref LIMIT 4) x" "$M1")
E=$(q "SELECT min(order_ref) FROM orders WHERE manifest_id = :'v1'" "$M2")
[ -n "$D" ] && [ -n "$E" ] || fail "manifests too small for the test"

cat >"$T_TMP/p1.csv" <<EOF
manifest_id,order_ref,status,at
$M1,$A,picked,2026-12-01T09:40:00+08:00
$M1,$B,missing,2026-12-01T09:41:00+08:00
$M1,$C,refused,2026-12-01T09:42:30.5+0800
$M1,$A,picked,2026-12-01T09:40:00+08:00
NO-SUCH-MANIFEST,$A,picked,2026-12-01T09:40:00Z
$M1,NO-SUCH-ORDER,picked,2026-12-01T09:40:00Z
$M1,$E,picked,2026-12-01T09:40:00Z
$M2,$E,lost,2026-12-01T09:40:00Z
$M2,$E,picked,2026-12-01 09:40
$M2,$E,picked,2026-12-01T09:40:00Z
$M2,$E,missing,2026-12-01T09:50:00Z
$M1,$D,picked
EOF
assert_exit 65 "$VCOURIER" import pickups "$T_TMP/p1.csv" --rejects "$T_TMP/rej.csv"
assert_contains "$T_OUT" "pickups: 12 rows: 3 new, 0 updated, 1 unchanged, 8 rejected"
P="$T_TMP/p1.csv"
assert_contains "$T_ERR" "$P:6: manifest_id: no manifest \"NO-SUCH-MANIFEST\""
assert_contains "$T_ERR" "$P:7: order_ref: no order \"NO-SUCH-ORDER\""
assert_contains "$T_ERR" "$P:8: order $E is not in manifest $M1 (it is delivered in manifest $M2)"
assert_contains "$T_ERR" "$P:9: status: value \"lost\" must be picked, missing or refused"
assert_contains "$T_ERR" "$P:10: at: value \"2026-12-01 09:40\" is not an ISO 8601 time"
assert_contains "$T_ERR" "$P:11: order $E of manifest $M2 is confirmed with different statuses on lines 11, 12; none of them applied"
assert_contains "$T_ERR" "$P:12: order $E of manifest $M2 is confirmed with different statuses on lines 11, 12"
assert_contains "$T_ERR" "$P:13: expected 4 columns, got 3"
assert_eq "$(grep -c "^$P:" <<<"$T_ERR")" 8
assert_eq "$(head -1 "$T_TMP/rej.csv")" "manifest_id,order_ref,status,at,reason"
assert_eq "$(($(wc -l <"$T_TMP/rej.csv") - 1))" 8
assert_contains "$(cat "$T_TMP/rej.csv")" "$M2,$E,missing,2026-12-01T09:50:00Z,\"order $E of manifest $M2 is confirmed with different statuses on lines 11, 12; none of them applied\""

# What the good rows did.
assert_eq "$(q "SELECT status || ' ' || manifest_id FROM orders WHERE order_ref = :'v1'" "$A")" "picked $M1"
assert_eq "$(q "SELECT status || ' ' || coalesce(manifest_id, '-') || ' ' || reason FROM orders WHERE order_ref = :'v1'" "$B")" \
	"pending - missing at pickup (manifest $M1, 2026-12-01 01:41:00+00)"
assert_eq "$(q "SELECT status || ' ' || (reason LIKE 'refused at pickup (manifest ' || :'v2' || ',%') FROM orders WHERE order_ref = :'v1'" "$C" "$M1")" "pending true"
assert_eq "$(q "SELECT status FROM orders WHERE order_ref = :'v1'" "$E")" delivered
assert_eq "$(q "SELECT string_agg(k.status || '@' || k.source, ' ' ORDER BY k.status) FROM pickups k")" \
	"missing@$P:3 picked@$P:2 refused@$P:4"

# The same file again changes nothing and refuses the same rows.
before=$(t_snapshot)
assert_exit 65 "$VCOURIER" import pickups "$T_TMP/p1.csv"
assert_contains "$T_OUT" "pickups: 12 rows: 0 new, 0 updated, 4 unchanged, 8 rejected"
assert_eq "$(t_snapshot)" "$before" "a second import of the same confirmations changed the database"

# A later confirmation with another status is refused; the picked one stays picked.
printf 'manifest_id,order_ref,status,at\n%s,%s,missing,2026-12-01T11:00:00+08:00\n' "$M1" "$A" >"$T_TMP/p2.csv"
assert_exit 65 "$VCOURIER" import pickups "$T_TMP/p2.csv"
assert_contains "$T_ERR" "$T_TMP/p2.csv:2: order $A of manifest $M1 was already confirmed picked"
assert_eq "$(q "SELECT status FROM orders WHERE order_ref = :'v1'" "$A")" picked

# manifest check: the confirmations are shown, and the parcels that left
# the manifest because of them are not differences.
assert_exit 0 "$VCOURIER" manifest check "$M1"
assert_contains "$T_OUT" "manifest $M1: 3 pickup confirmations (1 picked, 2 missing or refused)"
assert_contains "$T_OUT" "$M1: $A: picked at 2026-12-01T01:40:00+00 ($P:2)"
assert_contains "$T_OUT" "$M1: $B: missing at"
assert_contains "$T_OUT" "manifest $M1: matches the database"
# The HTML sheet and the run report show them (the pages are view-a's;
# the confirmations come from audit_manifest_pickups and the run's detail).
assert_exit 0 "$VCOURIER" manifest show "$M1" --format html
assert_contains "$T_OUT" '<div class="conf picked">picked 2026-12-01T01:40:00+00</div>'
assert_contains "$T_OUT" '<div class="conf missing">missing'
assert_contains "$T_OUT" '<div class="conf none">'
assert_exit 0 "$VCOURIER" manifest show "$M2" --format html
[[ "$T_OUT" != *'class="conf'* ]] || fail "a sheet nobody confirmed shows confirmation lines"
run=$(q "SELECT run_id FROM manifests WHERE manifest_id = :'v1'" "$M1")
assert_exit 0 "$VCOURIER" run show "$run" --format html
assert_contains "$T_OUT" '<td class="pickups">missing 1 &middot; picked 1 &middot; refused 1'
assert_exit 0 "$VCOURIER" manifest check "$M2"
assert_eq "$T_OUT" "manifest $M2: matches the database"

# A replan of the same day keeps C1's confirmed route as it is (no new
# version, picked parcel untouched), replans C2's, and does not put the
# missing and refused parcels back on a route of that day.
assert_exit 0 "$VCOURIER" rerun --date "$NL_DATE" --replan --hub H1 --json
assert_eq "$(q "SELECT string_agg(manifest_id || '>' || coalesce(superseded_by, '-'), ' ' ORDER BY manifest_id) FROM manifests")" \
	"$M1>- $M2>$NL_DATE-H1-C2-v2 $NL_DATE-H1-C2-v2>-"
assert_eq "$(q "SELECT status || ' ' || manifest_id FROM orders WHERE order_ref = :'v1'" "$A")" "picked $M1"
assert_eq "$(q "SELECT string_agg(status, ' ' ORDER BY order_ref) FROM orders WHERE order_ref IN (:'v1', :'v2')" "$B" "$C")" "pending pending"
assert_eq "$(q "SELECT count(*) FROM manifests WHERE body LIKE '%\"' || :'v1' || '\"%' AND manifest_id <> :'v2'" "$A" "$M1")" 0

# A confirmation for the replaced version is refused.
printf 'manifest_id,order_ref,status,at\n%s,%s,picked,2026-12-01T12:00:00+08:00\n' "$M2" "$E" >"$T_TMP/p3.csv"
assert_exit 65 "$VCOURIER" import pickups "$T_TMP/p3.csv"
assert_contains "$T_ERR" "$T_TMP/p3.csv:2: manifest $M2 was replaced by $NL_DATE-H1-C2-v2: confirm against the live version"

# The next night plans the missing and refused parcels again; the picked one stays.
assert_exit 0 "$VCOURIER" nightly --date "$NEXT" --hub H1 --json
assert_eq "$(q "SELECT string_agg(status || ' ' || (manifest_id LIKE :'v3' || '-%'), ',' ORDER BY order_ref)
	FROM orders WHERE order_ref IN (:'v1', :'v2')" "$B" "$C" "$NEXT")" "delivered true,delivered true"
assert_eq "$(q "SELECT status || ' ' || manifest_id FROM orders WHERE order_ref = :'v1'" "$A")" "picked $M1"
assert_eq "$(q "SELECT count(*) FROM manifests WHERE service_date = :'v1' AND body LIKE '%\"' || :'v2' || '\"%'" "$NEXT" "$A")" 0
# and their confirmations stay on the manifest they were made on
assert_eq "$(q "SELECT count(*) FROM pickups WHERE manifest_id = :'v1'" "$M1")" 3

# Wrong header, missing file: the same rules as the other imports.
printf 'manifest,order_ref,status,at\n' >"$T_TMP/bad.csv"
assert_exit 65 "$VCOURIER" import pickups "$T_TMP/bad.csv"
assert_contains "$T_ERR" "$T_TMP/bad.csv:1: header of a pickups file must be manifest_id,order_ref,status,at"
assert_exit 66 "$VCOURIER" import pickups "$T_TMP/none.csv"
