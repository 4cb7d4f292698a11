#!/bin/bash
# Skills end to end (issue 12 item 6, docs/nightly.md "Skills"): the
# optional `skills` columns of points.csv, orders.csv and couriers.csv are
# imported (bad values refused with FILE:LINE: reason and 65, the rest
# kept; a file without the column keeps what is stored); on the small
# county one cold van (C2) among three couriers: every order that needs
# cold (its own skills or its point's) rides on C2, the independent
# checker (tests/check_plan.py) finds nothing wrong, a skill nobody has
# leaves the order pending with "unassigned: no vehicle with skill
# frozen", a parcel only a too-small vehicle has the skill for says so,
# and the manifest and the sheets show the skills.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
nl_setup
cd "$T_TMP"
url="http://127.0.0.1:$DL_PORT/couriers"

# --- import ---------------------------------------------------------------
# Couriers: C2 is the cold van, C3 has a tail lift; C1 nothing (empty value).
cat >couriers.csv <<CSV
code,name,hub_code,capacity_kg,capacity_m3,shift_start,shift_end,endpoint_url,max_km,skills
C1,Van One,H1,800,6,07:00,18:00,$url/C1,,
C2,Van Two,H1,800,6,07:00,18:00,$url/C2,200,cold
C3,Small,H1,300,2,08:00,16:00,$url/C3,,tail-lift
C9,Bad,H1,300,2,08:00,16:00,$url/C9,,cold;;lift
CSV
assert_exit 65 "$VCOURIER" import couriers couriers.csv
assert_eq "$T_ERR" "couriers.csv:5: skills: value \"cold;;lift\" has an empty skill name (names are separated by ';', like cold;bulky)"
assert_eq "$(q "SELECT string_agg(code || '=' || array_to_string(skills, ';'), ' ' ORDER BY code)
                FROM couriers WHERE hub_id = (SELECT id FROM hubs WHERE code = 'H1')")" \
	"C1= C2=cold C3=tail-lift"

# Points: the point P3 (a fruit co-op) needs cold for everything it ships.
cat >points.csv <<'CSV'
code,name,hub_code,lat,lon,open,close,service_min,skills
P3,Hill,H1,24.86,113.55,10:00,14:00,15,cold
P4,Ford,H1,24.75,113.58,08:00,17:00,10,
P6,Orchard,H1,24.79,113.64,08:00,17:00,10,
P8,Bad,H1,24.75,113.58,08:00,17:00,10,Cold
CSV
assert_exit 65 "$VCOURIER" import points points.csv
assert_eq "$T_ERR" "points.csv:5: skills: value \"Cold\" is not a list of skill names (a-z 0-9 _ - separated by ';', like cold;bulky)"
assert_eq "$(q "SELECT count(*) FROM points WHERE code = 'P8'")" 0
# A file without the column leaves the stored skills alone.
printf 'code,name,hub_code,lat,lon,open,close,service_min\nP3,Hill,H1,24.86,113.55,10:00,14:00,15\n' >points2.csv
assert_exit 0 "$VCOURIER" import points points2.csv
assert_eq "$(q "SELECT array_to_string(skills, ';') FROM points WHERE code = 'P3'")" cold

# Orders: navel oranges need cold; one needs a skill nobody has; one needs
# two skills that no single vehicle has together; names are canonical.
{
	echo "order_ref,point_code,weight_kg,volume_m3,ready_date,seller,skills"
	for i in 1 2 3; do echo "ORANGE-P2-$i,P2,12,0.05,$NL_DATE,赣南脐橙 $i,cold"; done
	for i in 1 2; do echo "ORANGE-P4-$i,P4,15,0.06,$NL_DATE,脐橙 $i,cold"; done
	echo "NORMAL-P4,P4,4,0.02,$NL_DATE,茶叶,"
	echo "FROZEN-P4,P4,3,0.01,$NL_DATE,冻肉,frozen"
	echo "BOTH-P2,P2,3,0.01,$NL_DATE,家具,tail-lift;cold;cold"
	echo "SOFA-P4,P4,400,1,$NL_DATE,沙发,tail-lift"
	# an orchard: the oranges weigh most, the one plain parcel rides with them
	for i in 1 2; do echo "ORANGE-P6-$i,P6,20,0.08,$NL_DATE,果园 $i,cold"; done
	echo "TEA-P6,P6,2,0.01,$NL_DATE,茶叶,"
	echo "BAD-1,P2,3,0.01,$NL_DATE,x,cold bulky"
	echo "BAD-2,P2,3,0.01,$NL_DATE,x,a;b;c;d;e;f;g;h;i"
	echo "BAD-3,P2,3,0.01,$NL_DATE,x,$(printf 'x%.0s' $(seq 33))"
} >orders.csv
assert_exit 65 "$VCOURIER" import orders orders.csv
assert_eq "$T_ERR" "orders.csv:14: skills: value \"cold bulky\" is not a list of skill names (a-z 0-9 _ - separated by ';', like cold;bulky)
orders.csv:15: skills: value \"a;b;c;d;e;f;g;h;i\" has more than 8 skills
orders.csv:16: skills: value \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" has a skill name longer than 32 characters"
assert_eq "$T_OUT" "orders: 15 rows: 12 new, 0 updated, 0 unchanged, 3 rejected"
assert_eq "$(q "SELECT array_to_string(skills, ';') FROM orders WHERE order_ref = 'BOTH-P2'")" "cold;tail-lift"
# Importing it again changes nothing.
assert_exit 65 "$VCOURIER" import orders orders.csv
assert_eq "$T_OUT" "orders: 15 rows: 0 new, 0 updated, 12 unchanged, 3 rejected"

# At most 32 distinct skills in one file: the row that would bring the 33rd is refused.
{
	echo "order_ref,point_code,weight_kg,volume_m3,ready_date,seller,skills"
	for i in $(seq 1 33); do echo "MANY-$i,P2,1,0,2026-12-20,x,s$i"; done
} >many.csv
assert_exit 65 "$VCOURIER" import orders many.csv
assert_eq "$T_ERR" "many.csv:34: skills: \"s33\" would make more than 32 distinct skills in one file"
assert_eq "$(q "SELECT count(*) FROM orders WHERE order_ref LIKE 'MANY-%'")" 32

# --- nightly --------------------------------------------------------------
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --json
echo "$T_OUT" >a.json
nl_check "$NL_DATE" --hub H1 --summary a.json --require-delivered >/dev/null

# Every order that needs cold (its own or its point's) is on the cold van C2.
assert_eq "$(q "SELECT count(*) FROM orders o JOIN points p ON p.id = o.point_id
                WHERE ('cold' = ANY(o.skills) OR 'cold' = ANY(p.skills)) AND o.order_ref <> 'BOTH-P2'
                  AND o.ready_date <= :'v1'" "$NL_DATE")" 13
assert_eq "$(q "SELECT string_agg(DISTINCT coalesce(m.courier_id::text, o.status), ',')
                FROM orders o JOIN points p ON p.id = o.point_id LEFT JOIN manifests m USING (manifest_id)
                WHERE ('cold' = ANY(o.skills) OR 'cold' = ANY(p.skills)) AND o.order_ref <> 'BOTH-P2'
                  AND o.ready_date <= :'v1'" "$NL_DATE")" \
	"$(q "SELECT id FROM couriers WHERE code = 'C2'")"
# At the orchard the plain parcel rides in the oranges' stop (one stop, one
# service time); at P4, where plain parcels weigh most, the plain order is
# in a visit of its own (any vehicle).
assert_eq "$(q "SELECT count(DISTINCT (manifest_id, stop_seq)) || ' ' || min(manifest_id)
                FROM orders WHERE order_ref LIKE '%-P6%'")" "1 $(q "SELECT manifest_id FROM manifests m
                JOIN couriers c ON c.id = m.courier_id WHERE c.code = 'C2'")"
assert_eq "$(q "SELECT status FROM orders WHERE order_ref = 'NORMAL-P4'")" delivered
# Skills nobody has, or no single vehicle has together: pending with the reason.
assert_eq "$(q "SELECT status || ' ' || reason FROM orders WHERE order_ref = 'FROZEN-P4'")" \
	"pending unassigned: no vehicle with skill frozen"
assert_eq "$(q "SELECT status || ' ' || reason FROM orders WHERE order_ref = 'BOTH-P2'")" \
	"pending unassigned: no vehicle with all the skills cold, tail-lift"
# 400 kg fits a plain van but not the only vehicle with a tail lift (C3, 300 kg).
assert_eq "$(q "SELECT status || ' ' || reason FROM orders WHERE order_ref = 'SOFA-P4'")" \
	"pending unassigned: heavier or bulkier than every vehicle with skills tail-lift"
assert_contains "$(nl_json a.json unassigned)" '{"order_ref": "FROZEN-P4", "reason": "unassigned: no vehicle with skill frozen"}'

# The manifest: the vehicle's skills, each cold stop's skills.
mid=$(q "SELECT manifest_id FROM manifests m JOIN couriers c ON c.id = m.courier_id WHERE c.code = 'C2'")
body=$(q "SELECT body FROM manifests WHERE manifest_id = :'v1'" "$mid")
assert_eq "$(python3 -c 'import json,sys; d = json.loads(sys.argv[1])
print(d["vehicle"]["skills"], sorted({s["point"]["code"] for s in d["stops"] if s.get("skills") == ["cold"]}))' "$body")" \
	"['cold'] ['P2', 'P3', 'P4', 'P6']"
assert_exit 0 "$VCOURIER" manifest show "$mid"
assert_contains "$T_OUT" "vehicle 800.000 kg / 6.0000 m3  [cold]"
assert_contains "$T_OUT" "P3  Hill  [cold]"
assert_exit 0 "$VCOURIER" manifest show "$mid" --format html
assert_contains "$T_OUT" '<span class="vskills"><span class="skill">cold</span></span>'
assert_contains "$T_OUT" 'Hill<span class="skill">cold</span>'
# A manifest without skills has no skills key at all (SPEC extended, not changed).
body=$(q "SELECT body FROM manifests m JOIN couriers c ON c.id = m.courier_id WHERE c.code = 'C1'")
[ -z "$body" ] || ! grep -q '"skills"' <<<"$body" || fail "C1's manifest has a skills key: $body"
assert_exit 0 "$VCOURIER" manifest verify <(q "SELECT body FROM manifests WHERE manifest_id = :'v1'" "$mid")

# The checker catches a broken plan: C2 loses its cold skill after the fact.
q "UPDATE couriers SET skills = '{}' WHERE code = 'C2'"
out=$(python3 "$ROOT/tests/check_plan.py" --date "$NL_DATE" --hub H1) && fail "checker passed a cold order on a plain van: $out"
assert_contains "$out" "needs skills ['cold'] the vehicle of C2 lacks"

# A generated county with fresh produce (tools/gen_county --cold-pct): 10 %
# of 400 orders need cold, the first of six couriers (K001, a van) is the
# only cold vehicle: every cold order is on K001 or waits with the reason
# (K001 full), none on another vehicle, and the checker passes.
"${BUILD:-$ROOT/build}/tools/gen_county" --seed 9 --points 30 --orders 400 --couriers 6 \
	--date "$NL_DATE" --cold-pct 10 --out gen
for kind in hubs points couriers orders; do
	assert_exit 0 "$VCOURIER" import "$kind" "gen/$kind.csv"
done
q "UPDATE couriers SET endpoint_url = :'v1' || code WHERE hub_id = (SELECT id FROM hubs WHERE code = 'CAO')" "$url/"
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub CAO --json
echo "$T_OUT" >gen.json
nl_check "$NL_DATE" --hub CAO --summary gen.json --require-delivered >/dev/null
# (orders of the generated county: O<date>-<n>)
assert_eq "$(q "SELECT count(*) FROM orders WHERE 'cold' = ANY(skills) AND order_ref LIKE 'O2026%'")" 40
assert_eq "$(q "SELECT count(*) FROM orders o JOIN manifests m USING (manifest_id)
                JOIN couriers c ON c.id = m.courier_id WHERE 'cold' = ANY(o.skills) AND c.code = 'K001'")" \
	"$(q "SELECT count(*) FROM orders WHERE 'cold' = ANY(skills) AND order_ref LIKE 'O2026%'
	      AND manifest_id IS NOT NULL")"
assert_eq "$(q "SELECT count(*) FROM orders WHERE 'cold' = ANY(skills) AND order_ref LIKE 'O2026%'
                AND manifest_id IS NULL AND reason NOT LIKE 'unassigned: %'")" 0
assert_eq "$(q "SELECT count(*) FROM orders WHERE order_ref LIKE 'O2026%' AND manifest_id IS NOT NULL")" \
	"$(nl_json gen.json orders_routed)"
