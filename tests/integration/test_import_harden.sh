#!/bin/bash
# import hardening (issue 9): each part fails on the code before the fix.
#  5  re-importing an unchanged order a run rejected re-queues it;
#  6  the user's conninfo wins: DATABASE_URL's application_name is the one
#     pg_stat_activity shows (the import is held on a FIFO meanwhile);
#  7  client_encoding is UTF8 whatever PGCLIENTENCODING says: a value
#     ending in a backslash arrives intact under GB18030;
#  9  --rejects naming the input (or a hard link to it) is refused and the
#     input left intact; the rejects file is created (or made) 0600;
#  12 past 100000 rejected rows the import stops: one line, 65, nothing
#     imported, no rejects file left.
. "$(dirname "$0")/../lib.sh"
t_newdb
cd "$T_TMP"
umask 022
printf 'code,name,lat,lon\nCAO,曹县电商物流园,34.8256,115.5418\n' >hubs.csv
printf 'code,name,hub_code,lat,lon,open,close,service_min\nP1,丁楼村,CAO,34.97,115.33,08:00,17:00,10\n' >points.csv
assert_exit 0 "$VCOURIER" import hubs hubs.csv
assert_exit 0 "$VCOURIER" import points points.csv
H=order_ref,point_code,weight_kg,volume_m3,ready_date,seller
printf '%s\nO1,P1,1.5,0.01,2026-11-24,王秀英\nO2,P1,2,0.01,2026-11-24,李\n' "$H" >orders.csv
assert_exit 0 "$VCOURIER" import orders orders.csv

# 5: a run rejected O1 (say no courier could take it); the cause is fixed
# elsewhere and the same file imported again: O1 is pending again.
q "UPDATE orders SET status = 'rejected', reason = 'no courier' WHERE order_ref = 'O1'"
assert_exit 0 "$VCOURIER" import orders orders.csv
assert_eq "$(q "SELECT status || ':' || coalesce(reason, '-') FROM orders WHERE order_ref = 'O1'")" "pending:-"
assert_eq "$T_OUT" "orders: 2 rows: 0 new, 1 updated, 1 unchanged, 0 rejected"
# ...and an unchanged pending order is still left alone.
assert_exit 0 "$VCOURIER" import orders orders.csv
assert_eq "$T_OUT" "orders: 2 rows: 0 new, 0 updated, 2 unchanged, 0 rejected"

# 9: the input given as --rejects (directly, through a hard link, through
# a symlink): refused, the input intact.
printf '%s\nO3,P1,1,0.01,2026-11-24,x\nO4,NOPE,1,0.01,2026-11-24,x\n' "$H" >more.csv
sum=$(md5sum <more.csv)
ln more.csv hard.csv
ln -s more.csv soft.csv
for r in more.csv hard.csv soft.csv "$T_TMP/./more.csv"; do
	assert_exit 64 "$VCOURIER" import orders more.csv --rejects "$r"
	assert_contains "$T_ERR" "vcourier: --rejects $r is the input file more.csv"
	assert_eq "$(md5sum <more.csv)" "$sum" "input changed by --rejects $r"
done
assert_eq "$(q "SELECT count(*) FROM orders WHERE order_ref = 'O3'")" 0
# A new rejects file is 0600 (rows carry customers' data), an old one made so.
assert_exit 65 "$VCOURIER" import orders more.csv --rejects rej.csv
assert_eq "$(stat -c %a rej.csv)" 600
assert_contains "$(cat rej.csv)" 'O4,NOPE'
chmod 644 rej.csv
assert_exit 65 "$VCOURIER" import orders more.csv --rejects rej.csv
assert_eq "$(stat -c %a rej.csv)" 600

# 7: GB18030 on the client side; values with backslashes, one at the end.
printf 'code,name,lat,lon\nH7,"仓库\\",30,120\nH8,"a\\b\\\\c",30,120\n' >bs.csv
assert_exit 0 env PGCLIENTENCODING=GB18030 "$VCOURIER" import hubs bs.csv
assert_eq "$(q "SELECT name FROM hubs WHERE code = 'H7'")" '仓库\'
assert_eq "$(q "SELECT name FROM hubs WHERE code = 'H8'")" 'a\b\\c'
assert_eq "$(q "SELECT name FROM hubs WHERE code = 'CAO'")" '曹县电商物流园'

# 6: the import is held on a FIFO (header read, rows not yet written)
# while pg_stat_activity is read; then released.
mkfifo held.csv
DATABASE_URL="postgresql:///$PGDATABASE?application_name=cron-hub-7&connect_timeout=3" \
	"$VCOURIER" import orders held.csv >held.out 2>held.err &
pid=$!
t_on_exit "kill $pid 2>/dev/null"
exec 3>held.csv
printf '%s\n' "$H" >&3
app=""
for _ in $(seq 600); do
	app=$(q "SELECT string_agg(application_name, ',') FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
	[ -n "$app" ] && break
	kill -0 "$pid" 2>/dev/null || break
done
printf 'O9,P1,1,0.01,2026-11-24,x\n' >&3
exec 3>&-
wait "$pid" || fail "held import failed: $(cat held.err)"
assert_eq "$app" "cron-hub-7" "application_name seen while the import ran"
assert_eq "$(q "SELECT count(*) FROM orders WHERE order_ref = 'O9'")" 1

# 12: 100001 rejected rows (unknown point) and one good: stopped, nothing
# imported, one line, 65, no rejects file.
{
	echo "$H"
	echo "G1,P1,1,0.01,2026-11-24,x"
	seq 100001 | awk '{ printf "R%d,NOPE,1,0.01,2026-11-24,x\n", $1 }'
} >many.csv
before=$(t_snapshot)
assert_exit 65 "$VCOURIER" import orders many.csv --rejects many-rej.csv
assert_eq "$(wc -l <<<"$T_ERR")" 1
assert_contains "$T_ERR" "vcourier: many.csv: more than 100000 rejected rows or 64 MB of them (the last at line 100003): stopped, nothing imported"
assert_eq "$(t_snapshot)" "$before" "a stopped import changed a table"
[ ! -e many-rej.csv ] || fail "rejects file left by a stopped import"
