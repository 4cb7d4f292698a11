#!/bin/bash
# import matrix: a matrix made elsewhere (from_code,to_code,distance_km,
# duration_min[,profile]) is imported all or nothing (a bad row or a pair
# twice: FILE:LINE: reason, exit 65, nothing stored), a profile's own row
# wins over the row for every profile, and the night plans on it: routes
# whose every leg is imported say distance_source "matrix", their leg_km
# are the imported distances, and the plan checker agrees.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
nl_setup
q "UPDATE couriers SET profile = 'tricycle' WHERE code = 'C3'"

# Every pair among H1 and P1..P4, 2 km per unit of index difference + 1 km, 6 min each.
python3 - >"$T_TMP/m.csv" <<'PY'
codes = ["H1", "P1", "P2", "P3", "P4"]
print("from_code,to_code,distance_km,duration_min")
for i, a in enumerate(codes):
    for j, b in enumerate(codes):
        if a != b:
            print("%s,%s,%.3f,%s" % (a, b, 1 + 2 * abs(i - j), "6" if i != 1 else ""))
PY
printf 'from_code,to_code,distance_km,duration_min,profile\nH1,P2,9.5,20,tricycle\nP2,H1,9.5,20,tricycle\n' >"$T_TMP/tri.csv"

# Bad files: nothing stored.
printf 'from_code,to_code,distance_km,duration_min\nH1,P1,1.5,3\nH1,P2,-2,3\n' >"$T_TMP/neg.csv"
assert_exit 65 "$VCOURIER" import matrix "$T_TMP/neg.csv"
assert_eq "$T_ERR" "vcourier: $T_TMP/neg.csv:3: distance_km must be a number from 0 to 100000"
printf 'from_code,to_code,distance_km,duration_min\nH1,P1,1.5,3\nH1,P1,2,3\n' >"$T_TMP/dup.csv"
assert_exit 65 "$VCOURIER" import matrix "$T_TMP/dup.csv"
assert_eq "$T_ERR" "vcourier: $T_TMP/dup.csv:3: duplicate pair (first at line 2)"
printf 'from,to,km,min\n' >"$T_TMP/hdr.csv"
assert_exit 65 "$VCOURIER" import matrix "$T_TMP/hdr.csv"
assert_contains "$T_ERR" "hdr.csv:1: header must be from_code,to_code,distance_km,duration_min[,profile]"
printf 'from_code,to_code,distance_km,duration_min,profile\nH1,P1,1,1,bus\n' >"$T_TMP/bus.csv"
assert_exit 65 "$VCOURIER" import matrix "$T_TMP/bus.csv"
assert_contains "$T_ERR" "bus.csv:2: profile must be empty, van, truck, tricycle or motorbike"
assert_eq "$(q "SELECT count(*) FROM road_matrix")" 0

assert_exit 0 "$VCOURIER" import matrix "$T_TMP/m.csv"
assert_eq "$T_OUT" "matrix: 20 pairs imported"
assert_exit 0 "$VCOURIER" import matrix "$T_TMP/tri.csv"
# Again: the same pairs replaced, not doubled.
assert_exit 0 "$VCOURIER" import matrix "$T_TMP/m.csv"
assert_eq "$(q "SELECT count(*) FROM road_matrix")" 22
assert_eq "$(q "SELECT duration_min IS NULL FROM road_matrix WHERE from_code = 'P1' AND to_code = 'H1'")" t

assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --json
echo "$T_OUT" >"$T_TMP/s.json"
nl_check "$NL_DATE" --hub H1 --summary "$T_TMP/s.json" --require-delivered
[ "$(q "SELECT count(*) FROM manifests")" -gt 0 ] || fail "no manifest"
python3 - "$(q "SELECT string_agg(body, E'\n') FROM manifests")" <<'PY' || fail "manifests do not follow the imported matrix"
import json, sys
codes = ["H1", "P1", "P2", "P3", "P4"]
for line in sys.argv[1].splitlines():
    m = json.loads(line)
    assert m["distance_source"] == "matrix", m["distance_source"]
    prev = "H1"
    for s in m["stops"]:
        code = s["point"]["code"]
        want = 1 + 2 * abs(codes.index(prev) - codes.index(code))
        if m["courier"]["code"] == "C3" and {prev, code} == {"H1", "P2"}:
            want = 9.5
        assert abs(s["leg_km"] - want) < 1e-9, (m["manifest_id"], prev, code, s["leg_km"], want)
        prev = code
PY
