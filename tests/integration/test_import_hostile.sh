# import of hostile files: a million empty lines, NUL bytes, a 1 MB field,
# rows over 64 KiB, SQL in every text field, invalid UTF-8. Nothing crashes
# or hangs, each bad row gets its reason, every good row is kept as is.
. "$(dirname "$0")/../lib.sh"
t_newdb
cd "$T_TMP"
H=order_ref,point_code,weight_kg,volume_m3,ready_date,seller
sql="x'); DROP TABLE orders; --"
sqlq=${sql//\'/\'\'}

# SQL in every text column that may hold free text (codes only allow
# [A-Za-z0-9_.-], so SQL there is refused by the format check).
printf 'code,name,lat,lon\nCAO,"%s",34.8,115.5\n' "$sql" >hubs.csv
printf 'code,name,hub_code,lat,lon,open,close,service_min\nP1,"%s \\.",CAO,34.9,115.3,08:00,17:00,10\n' "$sql" >points.csv
printf 'code,name,hub_code,capacity_kg,capacity_m3,shift_start,shift_end,endpoint_url\nK1,"%s",CAO,1000,8,07:00,18:00,http://127.0.0.1:18080/couriers/K1?q=%%27;drop\n' "$sql" >couriers.csv
for kind in hubs points couriers; do
	assert_exit 0 "$VCOURIER" import "$kind" "$kind.csv"
done
assert_eq "$(q "SELECT name FROM hubs")" "$sql"
assert_eq "$(q "SELECT name FROM points")" "$sql \\."
assert_eq "$(q "SELECT name FROM couriers")" "$sql"
assert_eq "$(q "SELECT endpoint_url FROM couriers")" "http://127.0.0.1:18080/couriers/K1?q=%27;drop"

{
	echo "$H"
	echo "S1,P1,1,0,2026-11-24,\"$sql\""
	echo "S2,P1,1,0,2026-11-24,\"\\\\N\""
	echo "$sql,P1,1,0,2026-11-24,x"
	echo "S3,$sql,1,0,2026-11-24,x"
} >orders.csv
assert_exit 65 "$VCOURIER" import orders orders.csv
assert_contains "$T_ERR" "orders.csv:4: order_ref: value \"$sql\" must be 1 to 64"
assert_contains "$T_ERR" "orders.csv:5: point_code: value \"$sql\" must be 1 to 64"
assert_eq "$(q "SELECT seller FROM orders WHERE order_ref = 'S1'")" "$sql"
assert_eq "$(q "SELECT seller FROM orders WHERE order_ref = 'S2'")" '\\N'
assert_eq "$(q "SELECT count(*) FROM orders")" "2"

# A million empty lines (LF and CRLF) around two rows: read through, line
# numbers still right.
{
	echo "$H"
	head -c 500000 /dev/zero | tr '\0' '\n'
	printf 'E1,P1,1,0,2026-11-24,a\r\n'
	head -c 1000000 /dev/zero | tr '\0' '\n' | sed 's/$/\r/'
	printf 'E2,P1,0,0,2026-11-24,b\n'
	head -c 500000 /dev/zero | tr '\0' '\n'
} >empty_lines.csv
assert_exit 65 "$VCOURIER" import orders empty_lines.csv
assert_eq "$T_ERR" 'empty_lines.csv:1500003: weight_kg: value "0" must be greater than 0'
assert_eq "$(q "SELECT count(*) FROM orders WHERE order_ref = 'E1'")" "1"

# NUL bytes, a 1 MB field, a 70 KB quoted field spanning lines, invalid
# UTF-8 (overlong, lone continuation, surrogate): each row refused alone.
{
	echo "$H"
	printf 'N1,P1,1,0,2026-11-24,nul\0here\n'
	printf 'N2,P1,1,0,2026-11-24,fine\n'
	printf 'N3,P1,1,0,2026-11-24,'; head -c 1048576 /dev/zero | tr '\0' 'x'; echo
	printf 'N4,P1,1,0,2026-11-24,ok after 1 MB\n'
	printf 'N5,P1,1,0,2026-11-24,"'; for i in $(seq 1 10); do head -c 7000 /dev/zero | tr '\0' 'y'; echo; done; echo '"'
	printf 'N6,P1,1,0,2026-11-24,\xc0\xaf\n'
	printf 'N7,P1,1,0,2026-11-24,\x80abc\n'
	printf 'N8,P1,1,0,2026-11-24,\xed\xa0\x80\n'
	printf 'N9,P1,1,0,2026-11-24,丁楼村\n'
} >hostile.csv
assert_exit 65 "$VCOURIER" import orders hostile.csv --rejects rejects.csv
assert_contains "$T_ERR" "hostile.csv:2: NUL byte in the record"
assert_contains "$T_ERR" "hostile.csv:4: record over 64 KiB"
assert_contains "$T_ERR" "hostile.csv:6: record over 64 KiB"
assert_contains "$T_ERR" "hostile.csv:17: seller: value is not valid UTF-8"
assert_contains "$T_ERR" "hostile.csv:18: seller: value is not valid UTF-8"
assert_contains "$T_ERR" "hostile.csv:19: seller: value is not valid UTF-8"
assert_eq "$(q "SELECT string_agg(order_ref, ',' ORDER BY order_ref) FROM orders WHERE order_ref LIKE 'N%'")" "N2,N4,N9"
assert_eq "$(q "SELECT seller FROM orders WHERE order_ref = 'N9'")" "丁楼村"
# The lines inside the refused 70 KB field were read again as rows: each
# is refused for its column count (the lone closing quote opens a field
# that never closes), none imported, none lost silently.
assert_contains "$T_ERR" "hostile.csv:7: expected 6 columns, got 1"
assert_contains "$T_ERR" "hostile.csv:15: expected 6 columns, got 1"
assert_contains "$T_ERR" "hostile.csv:16: unterminated quoted field"
# The rejects file is CSV with the original bytes; unreadable rows come as empty
# columns with the reason, so no NUL byte is copied into it.
python3 - rejects.csv <<'PY' || fail "rejects file is not clean CSV"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", errors="surrogateescape", newline="")))
assert rows[0][-1] == "reason"
assert all(len(r) in (2, 7) for r in rows[1:]), [len(r) for r in rows]
assert ["", "", "", "", "", "", "NUL byte in the record"] in rows
PY
