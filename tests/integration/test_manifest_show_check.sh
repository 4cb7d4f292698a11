#!/bin/bash
# vcourier manifest show (pick-up sheet and raw JSON) and manifest check
# (the manifest against the orders now: cancelled, re-planned, changed,
# extra orders, superseded).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
t_newdb
dl_hub
dl_courier C1 "http://127.0.0.1:9/couriers/C1"
dl_manifest M-1 C1
dl_manifest M-2 C1 2

assert_exit 0 "$VCOURIER" manifest show M-1
assert_contains "$T_OUT" "PICK-UP SHEET  M-1  (version 1)"
assert_contains "$T_OUT" " 1. P1  上坪村"
assert_contains "$T_OUT" "window 08:00-12:00  eta 08:30  parcels 2  1.750 kg"
assert_contains "$T_OUT" "M-1-a"
assert_contains "$T_OUT" "茶叶"
assert_exit 0 "$VCOURIER" manifest show M-1 --format json
assert_eq "$T_OUT" "$(q "SELECT body FROM manifests WHERE manifest_id = 'M-1'")"
assert_exit 66 "$VCOURIER" manifest show NOPE
assert_contains "$T_ERR" "no manifest 'NOPE'"
assert_exit 64 "$VCOURIER" manifest show M-1 --format pdf

assert_exit 0 "$VCOURIER" manifest check M-1
assert_contains "$T_OUT" "manifest M-1: matches the database"

q "UPDATE orders SET status = 'cancelled' WHERE order_ref = 'M-1-a';
   UPDATE orders SET manifest_id = 'M-2' WHERE order_ref = 'M-1-b';
   UPDATE orders SET manifest_id = 'M-1', weight_kg = 2 WHERE order_ref = 'M-2-a';
   UPDATE orders SET weight_kg = 0.75 WHERE order_ref = 'M-2-b';
   UPDATE manifests SET superseded_by = 'M-2' WHERE manifest_id = 'M-1'"
before=$(t_snapshot)
assert_exit 65 "$VCOURIER" manifest check M-1
assert_eq "$T_OUT" "M-1: M-1: superseded by M-2
M-1: M-1-a: cancelled since
M-1: M-1-b: now in manifest M-2 (manifested)
M-1: M-2-a: in this manifest but not listed in it"
assert_contains "$T_ERR" "manifest M-1: 4 differences with the database"
assert_exit 65 "$VCOURIER" manifest check M-2
assert_eq "$T_OUT" "M-2: M-1-b: in this manifest but not listed in it
M-2: M-2-a: now in manifest M-1 (manifested)
M-2: M-2-b: now 0.750 kg 0.0020 m3, listed as 0.5 kg 0.002 m3"
assert_eq "$(t_snapshot)" "$before" "check changed nothing"
q "DELETE FROM orders WHERE order_ref = 'M-2-b'"
assert_exit 65 "$VCOURIER" manifest check M-2
assert_contains "$T_OUT" "M-2: M-2-b: listed, but no such order"
assert_exit 66 "$VCOURIER" manifest check NOPE
