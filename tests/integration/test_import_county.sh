# import: the sample county loads; a second import changes nothing (not even
# updated_at); changed rows are updated and only they; Chinese names survive
# byte for byte; SQL text in names is stored as text.
. "$(dirname "$0")/../lib.sh"
t_newdb
F="$ROOT/fixtures/county"

for kind in hubs points couriers orders; do
	assert_exit 0 "$VCOURIER" import "$kind" "$F/$kind.csv"
	assert_eq "$T_ERR" "" "import $kind is quiet on stderr"
	rows=$(($(wc -l <"$F/$kind.csv") - 1))
	assert_eq "$T_OUT" "$kind: $rows rows: $rows new, 0 updated, 0 unchanged, 0 rejected"
	assert_eq "$(q "SELECT count(*) FROM $kind")" "$rows" "$kind rows in the database"
done

# Values as converted: HH:MM -> minutes, empty max_km -> NULL, ids resolved.
assert_eq "$(q "SELECT open_min || ' ' || close_min || ' ' || service_min FROM points WHERE code = 'CX0002'")" \
	"$(awk -F, '$1 == "CX0002" { split($6, o, ":"); split($7, c, ":"); print o[1]*60+o[2], c[1]*60+c[2], $8 }' "$F/points.csv")"
assert_eq "$(q "SELECT coalesce(max_km::text, 'none') FROM couriers WHERE code = 'K001'")" "none"
assert_eq "$(q "SELECT max_km FROM couriers WHERE code = 'K002'")" "40"
assert_eq "$(q "SELECT count(*) FROM orders o JOIN points p ON p.id = o.point_id WHERE o.status = 'pending'")" "300"

# Round trip of Chinese text: the bytes read back equal the bytes in the file.
awk -F, 'NR > 1 { print $1 "," $2 }' "$F/points.csv" >"$T_TMP/names.in"
q "SELECT code || ',' || name FROM points ORDER BY code" >"$T_TMP/names.out"
cmp "$T_TMP/names.in" "$T_TMP/names.out" || fail "point names changed in the round trip"
assert_eq "$(q "SELECT name FROM points WHERE code = 'CX0001'")" "丁楼村"
assert_eq "$(q "SELECT octet_length(name) FROM points WHERE code = 'CX0001'")" "9"

# Same files again: nothing changes, not even updated_at.
before=$(t_snapshot)
for kind in hubs points couriers orders; do
	assert_exit 0 "$VCOURIER" import "$kind" "$F/$kind.csv"
	assert_contains "$T_OUT" "0 new, 0 updated"
done
assert_eq "$(t_snapshot)" "$before" "second import changed the database"

# One changed row is updated, the others keep their updated_at.
sed 's/^CX0003,孙庄村,/CX0003,孙庄新村,/' "$F/points.csv" >"$T_TMP/points.csv"
stamp=$(q "SELECT updated_at FROM points WHERE code = 'CX0004'")
assert_exit 0 "$VCOURIER" import points "$T_TMP/points.csv"
assert_eq "$T_OUT" "points: 40 rows: 0 new, 1 updated, 39 unchanged, 0 rejected"
assert_eq "$(q "SELECT name FROM points WHERE code = 'CX0003'")" "孙庄新村"
assert_eq "$(q "SELECT updated_at FROM points WHERE code = 'CX0004'")" "$stamp" "untouched row's updated_at"

# An order's new weight is applied while it is pending.
awk -F, -v OFS=, 'NR == 2 { $3 = "7.25" } { print }' "$F/orders.csv" >"$T_TMP/orders.csv"
ref=$(awk -F, 'NR == 2 { print $1 }' "$F/orders.csv")
assert_exit 0 "$VCOURIER" import orders "$T_TMP/orders.csv"
assert_contains "$T_OUT" "0 new, 1 updated, 299 unchanged"
assert_eq "$(q "SELECT weight_kg FROM orders WHERE order_ref = :'v1'" "$ref")" "7.250"

# Couriers without the max_km column keep their limit; a new endpoint URL
# clears a 410 mark (it was about the old URL).
q "UPDATE couriers SET endpoint_gone_at = now() WHERE code IN ('K002', 'K003')" >/dev/null
cut -d, -f1-8 "$F/couriers.csv" | sed 's#couriers/K003$#couriers/K003-new#' >"$T_TMP/couriers8.csv"
assert_exit 0 "$VCOURIER" import couriers "$T_TMP/couriers8.csv"
assert_contains "$T_OUT" "0 new, 1 updated, 4 unchanged"
assert_eq "$(q "SELECT max_km FROM couriers WHERE code = 'K002'")" "40"
assert_eq "$(q "SELECT endpoint_gone_at IS NOT NULL FROM couriers WHERE code = 'K002'")" "t"
assert_eq "$(q "SELECT endpoint_gone_at IS NULL FROM couriers WHERE code = 'K003'")" "t"

# Names full of quotes, semicolons and SQL are stored as text, never run.
evil="Robert'); DROP TABLE orders;-- \"x\"; DELETE FROM hubs; \\N \$\$ \\copy"
printf 'code,name,lat,lon\nEVIL,"%s",1,2\n' "${evil//\"/\"\"}" >"$T_TMP/hubs.csv"
assert_exit 0 "$VCOURIER" import hubs "$T_TMP/hubs.csv"
assert_eq "$(q "SELECT name FROM hubs WHERE code = 'EVIL'")" "$evil"
assert_eq "$(q "SELECT count(*) FROM orders")" "300" "orders table intact"
assert_eq "$(q "SELECT count(*) FROM hubs")" "2" "hubs table intact"

# New orders go straight into orders (fast path); a file mixing new and
# existing orders, whose only existing one is last, falls back to the
# staging path and gives the same result as a file read from a pipe.
date2=2026-11-25
"${BUILD:-$ROOT/build}/tools/gen_county" --seed 3 --points 40 --orders 50 --couriers 5 --date $date2 --out "$T_TMP/more"
{ cat "$T_TMP/more/orders.csv"; sed -n 2p "$F/orders.csv"; } >"$T_TMP/mixed.csv"
assert_exit 0 "$VCOURIER" import orders "$T_TMP/mixed.csv"
assert_eq "$T_OUT" "orders: 51 rows: 50 new, 1 updated, 0 unchanged, 0 rejected"
assert_eq "$(q "SELECT weight_kg FROM orders WHERE order_ref = :'v1'" "$ref")" \
	"$(awk -F, 'NR == 2 { printf "%.3f", $3 }' "$F/orders.csv")" "last row updated after the fallback"
assert_eq "$(q "SELECT count(*) FROM orders WHERE ready_date = '$date2'")" "50"
assert_exit 0 "$VCOURIER" import orders /dev/stdin <"$T_TMP/mixed.csv"
assert_eq "$T_OUT" "orders: 51 rows: 0 new, 0 updated, 51 unchanged, 0 rejected"
"${BUILD:-$ROOT/build}/tools/gen_county" --seed 4 --points 40 --orders 20 --couriers 5 --date 2026-11-26 --out "$T_TMP/piped"
assert_exit 0 "$VCOURIER" import orders /dev/stdin <"$T_TMP/piped/orders.csv"
assert_eq "$T_OUT" "orders: 20 rows: 20 new, 0 updated, 0 unchanged, 0 rejected"
