# import: every kind of bad row is refused with `FILE:LINE: reason` and exit
# 65, the valid rows of the same file are committed, the bad ones are not;
# file-level problems (missing, empty, wrong header) change nothing.
. "$(dirname "$0")/../lib.sh"
t_newdb
cd "$T_TMP"
printf 'code,name,lat,lon\nCAO,曹县电商物流园,34.8256,115.5418\n' >hubs.csv
printf 'code,name,hub_code,lat,lon,open,close,service_min\nP1,丁楼村,CAO,34.97,115.33,08:00,17:00,10\n' >points.csv
assert_exit 0 "$VCOURIER" import hubs hubs.csv
assert_exit 0 "$VCOURIER" import points points.csv
H=order_ref,point_code,weight_kg,volume_m3,ready_date,seller
n=0

# bad_order ROW REASON: a file of one good order then ROW (line 3).
bad_order() {
	n=$((n + 1))
	printf '%s\nGOOD-%d,P1,1.5,0.01,2026-11-24,王秀英\n%s\n' "$H" "$n" "$1" >orders.csv
	local count
	count=$(q "SELECT count(*) FROM orders")
	assert_exit 65 "$VCOURIER" import orders orders.csv
	assert_eq "$(wc -l <<<"$T_ERR")" "1" "one error line for: $1"
	assert_contains "$T_ERR" "orders.csv:3: $2"
	assert_eq "$(q "SELECT count(*) FROM orders WHERE order_ref = :'v1'" "GOOD-$n")" "1" "good row kept ($1)"
	assert_eq "$(q "SELECT count(*) FROM orders")" "$((count + 1))" "only the good row added ($1)"
}

bad_order "B1,NOPE,1,0.01,2026-11-24,x" 'point_code: no collection point "NOPE" (import points first)'
bad_order "B2,P1,abc,0.01,2026-11-24,x" 'weight_kg: value "abc" is not a plain decimal number'
bad_order "B3,P1,-2,0.01,2026-11-24,x" 'weight_kg: value "-2" must be greater than 0'
bad_order "B4,P1,0,0.01,2026-11-24,x" 'weight_kg: value "0" must be greater than 0'
bad_order "B5,P1,1e3,0.01,2026-11-24,x" 'weight_kg: value "1e3" is not a plain decimal number'
bad_order "B6,P1,1,-0.5,2026-11-24,x" 'volume_m3: value "-0.5" must not be negative'
bad_order "B7,P1,1,0.01,2026-02-30,x" 'ready_date: value "2026-02-30" is not a real date YYYY-MM-DD'
bad_order "B8,P1,1,0.01,24.11.2026,x" 'ready_date: value "24.11.2026" is not a real date'
bad_order "B9,P1,1,0.01,2026-11-24" 'expected 6 columns, got 5'
bad_order "B10,P1,1,0.01,2026-11-24,x,extra" 'expected 6 columns, got 7'
bad_order "B11,P1,1,0.01,2026-11-24,\"unterminated" 'unterminated quoted field'
bad_order "$(printf 'B12,P1,1,0.01,2026-11-24,\xff\xfe')" 'seller: value is not valid UTF-8'
bad_order "bad ref!,P1,1,0.01,2026-11-24,x" 'order_ref: value "bad ref!" must be 1 to 64 of A-Z a-z 0-9 _ . -'
bad_order "x';DROP TABLE orders;--,P1,1,0.01,2026-11-24,x" "order_ref: value \"x';DROP TABLE orders;--\" must be 1 to 64"

# A duplicate within one file: the first is kept, the later one refused.
printf '%s\nD1,P1,1,0,2026-11-24,first\nD2,P1,1,0,2026-11-24,x\nD1,P1,2,0,2026-11-24,second\n' "$H" >orders.csv
assert_exit 65 "$VCOURIER" import orders orders.csv
assert_eq "$T_ERR" 'orders.csv:4: duplicate order_ref "D1" (first at line 2)'
assert_eq "$(q "SELECT seller FROM orders WHERE order_ref = 'D1'")" "first"

# Errors come out in file order, C checks and database checks mixed, and
# --rejects writes the original columns plus a reason column.
printf '%s\nR1,NOPE,1,0,2026-11-24,a\nR2,P1,0,0,2026-11-24,b\nR3,P1,1,0,2026-11-24,"c,""d"""\nR4,NOPE2,1,0,2026-11-24,e\nR5\n' "$H" >orders.csv
assert_exit 65 "$VCOURIER" import orders orders.csv --rejects rejects.csv
assert_eq "$T_ERR" 'orders.csv:2: point_code: no collection point "NOPE" (import points first)
orders.csv:3: weight_kg: value "0" must be greater than 0
orders.csv:5: point_code: no collection point "NOPE2" (import points first)
orders.csv:6: expected 6 columns, got 1'
assert_eq "$T_OUT" "orders: 5 rows: 1 new, 0 updated, 0 unchanged, 4 rejected"
assert_eq "$(cat rejects.csv)" "$H,reason
R1,NOPE,1,0,2026-11-24,a,\"point_code: no collection point \"\"NOPE\"\" (import points first)\"
R2,P1,0,0,2026-11-24,b,\"weight_kg: value \"\"0\"\" must be greater than 0\"
R4,NOPE2,1,0,2026-11-24,e,\"point_code: no collection point \"\"NOPE2\"\" (import points first)\"
R5,\"expected 6 columns, got 1\""
assert_eq "$(q "SELECT seller FROM orders WHERE order_ref = 'R3'")" 'c,"d"'

# Points and couriers: unknown hub, bad windows and shifts.
P=code,name,hub_code,lat,lon,open,close,service_min
printf '%s\nP2,张庄村,NOHUB,34.9,115.4,08:00,11:00,5\nP3,孙庄村,CAO,34.9,115.4,11:00,08:00,5\nP4,徐庄村,CAO,34.9,115.4,08:00,25:00,5\nP5,代庄村,CAO,34.9,115.4,08:00,24:00,5\nP6,魏湾村,CAO,NaN,115.4,08:00,11:00,5\nP7,赵楼村,CAO,34.9,Infinity,08:00,11:00,5\nP8,刘楼村,CAO,-91,115.4,08:00,11:00,5\n' "$P" >points.csv
assert_exit 65 "$VCOURIER" import points points.csv
assert_eq "$T_ERR" 'points.csv:2: hub_code: no hub "NOHUB" (import hubs first)
points.csv:3: close 08:00 must be after open 11:00
points.csv:4: close: value "25:00" is not a time of day HH:MM (00:00 to 24:00)
points.csv:6: lat: value "NaN" is not a plain decimal number (like 12.5)
points.csv:7: lon: value "Infinity" is not a plain decimal number (like 12.5)
points.csv:8: lat: value "-91" is out of range (-90..90)'
assert_eq "$(q "SELECT string_agg(code || ':' || close_min, ',' ORDER BY code) FROM points")" "P1:1020,P5:1440"

C=code,name,hub_code,capacity_kg,capacity_m3,shift_start,shift_end,endpoint_url,max_km
printf '%s\nK1,面包车,CAO,1000,8,07:00,18:00,http://127.0.0.1:18080/couriers/K1,\nK2,三轮,CAO,0,1.2,07:00,18:00,http://x/,\nK3,三轮,CAO,200,1.2,18:00,07:00,http://x/,\nK4,三轮,CAO,200,1.2,07:00,18:00,file:///etc/passwd,\nK5,三轮,CAO,200,1.2,07:00,18:00,http://x/,0\nK6,三轮,NOHUB,200,1.2,07:00,18:00,http://x/,40\n' "$C" >couriers.csv
assert_exit 65 "$VCOURIER" import couriers couriers.csv
assert_eq "$T_ERR" 'couriers.csv:3: capacity_kg: value "0" must be greater than 0
couriers.csv:4: shift_end 07:00 must be after shift_start 18:00
couriers.csv:5: endpoint_url: value "file:///etc/passwd" must be an http:// or https:// URL
couriers.csv:6: max_km: value "0" must be greater than 0 (empty: no limit)
couriers.csv:7: hub_code: no hub "NOHUB" (import hubs first)'
assert_eq "$(q "SELECT string_agg(code, ',') FROM couriers")" "K1"

# File-level problems: nothing changes at all.
before=$(t_snapshot)
assert_exit 66 "$VCOURIER" import orders nosuch.csv
assert_eq "$T_ERR" "vcourier: nosuch.csv: No such file or directory"
: >empty.csv
assert_exit 65 "$VCOURIER" import orders empty.csv
assert_eq "$T_ERR" "vcourier: empty.csv:1: empty file: expected the header orders"
printf '\n\n\n' >blank.csv
assert_exit 65 "$VCOURIER" import orders blank.csv
assert_contains "$T_ERR" "blank.csv:1: empty file"
printf 'ref,point,kg,m3,date,seller\nH1,P1,1,0,2026-11-24,x\n' >header.csv
assert_exit 65 "$VCOURIER" import orders header.csv
assert_eq "$T_ERR" "vcourier: header.csv:1: header of a orders file must be $H[,skills], got ref,point,kg,m3,date,seller"
assert_exit 65 "$VCOURIER" import hubs "$ROOT/fixtures/county/points.csv"
assert_contains "$T_ERR" "points.csv:1: header of a hubs file must be code,name,lat,lon"
assert_exit 64 "$VCOURIER" import parcels orders.csv
assert_exit 64 "$VCOURIER" import orders
assert_eq "$(t_snapshot)" "$before" "file-level failures changed the database"

# Database unavailable: exit 69, one line, no rejects file left behind.
printf '%s\nU1,P1,1,0,2026-11-24,x\n' "$H" >orders.csv
assert_exit 69 "$VCOURIER" --db "host=$T_TMP/nowhere dbname=x" import orders orders.csv --rejects out.csv
assert_eq "$(wc -l <<<"$T_ERR")" "1" "one error line"
assert_contains "$T_ERR" "database unavailable"
[ ! -e out.csv ] || fail "rejects file left behind by a failed import"

# The database failing mid-import (here a statement timeout during the
# COPY of 20,000 orders): exit 69, one line, everything rolled back.
"${BUILD:-$ROOT/build}/tools/gen_county" --seed 5 --points 1 --orders 20000 --out gen
sed -i 's/,CX0001,/,P1,/' gen/orders.csv
before=$(t_snapshot)
PGOPTIONS="-c statement_timeout=1ms" assert_exit 69 "$VCOURIER" import orders gen/orders.csv
assert_eq "$(wc -l <<<"$T_ERR")" "1" "one error line"
assert_contains "$T_ERR" "database unavailable"
assert_eq "$(t_snapshot)" "$before" "a failed import left rows behind"
assert_exit 0 "$VCOURIER" import orders gen/orders.csv
assert_contains "$T_OUT" "20000 new"

# A rejects file that cannot be written: exit 73 before anything happens.
before=$(t_snapshot)
assert_exit 73 "$VCOURIER" import orders orders.csv --rejects "$T_TMP/no/such/dir/rejects.csv"
assert_contains "$T_ERR" "cannot write the rejects file"
assert_eq "$(t_snapshot)" "$before" "import ran without its rejects file"

# An order already manifested is not silently changed; identical is fine.
q "INSERT INTO runs (kind, status) VALUES ('nightly', 'completed');
   INSERT INTO manifests (manifest_id, run_id, hub_id, courier_id, service_date, version, body, sha256,
       stops, parcels, weight_kg, volume_m3, distance_km, duration_min)
   SELECT 'M-K1-1', r.id, h.id, c.id, '2026-11-24', 1, '{}', repeat('0', 64), 1, 1, 1.5, 0.01, 1, 1
   FROM runs r, hubs h, couriers c LIMIT 1;
   UPDATE orders SET status = 'manifested', manifest_id = 'M-K1-1' WHERE order_ref = 'GOOD-1'" >/dev/null
printf '%s\nGOOD-1,P1,1.5,0.01,2026-11-24,王秀英\n' "$H" >same.csv
assert_exit 0 "$VCOURIER" import orders same.csv
assert_contains "$T_OUT" "1 unchanged"
printf '%s\nGOOD-1,P1,4,0.01,2026-11-24,王秀英\nGOOD-2,P1,5,0.01,2026-11-24,王秀英\n' "$H" >changed.csv
assert_exit 65 "$VCOURIER" import orders changed.csv
assert_eq "$T_ERR" 'changed.csv:2: order_ref: order "GOOD-1" is already manifested (manifest M-K1-1); not changed'
assert_eq "$(q "SELECT weight_kg || ' ' || status FROM orders WHERE order_ref = 'GOOD-1'")" "1.500 manifested"
assert_eq "$(q "SELECT weight_kg FROM orders WHERE order_ref = 'GOOD-2'")" "5.000"
# A rejected order fixed by a new import is pending again.
q "UPDATE orders SET status = 'rejected', reason = 'too heavy' WHERE order_ref = 'GOOD-3'" >/dev/null
printf '%s\nGOOD-3,P1,2,0.01,2026-11-24,王秀英\n' "$H" >fixed.csv
assert_exit 0 "$VCOURIER" import orders fixed.csv
assert_eq "$(q "SELECT status || ' ' || coalesce(reason, '-') FROM orders WHERE order_ref = 'GOOD-3'")" "pending -"
