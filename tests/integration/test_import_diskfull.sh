#!/bin/bash
# Fault (issue 9): PostgreSQL's disk fills up (SQLSTATE 53100) during an
# import, both where the rows go (orders on a full tablespace: the direct
# COPY) and where they are staged (temp_tablespaces full: the staging
# COPY of a re-import). The tablespace is a real 2 MB tmpfs, so the server
# really gets ENOSPC. Each time: one error line, exit 69, nothing imported
# (the transaction is rolled back, no rejects file), and once space is back
# the same command imports everything.
#
# The full disk: tests/integration/diskfull_lib.sh (root only; SKIP, 77, otherwise).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/diskfull_lib.sh"
t_newdb
df_tiny_tablespace 2m

cd "$T_TMP"
printf 'code,name,lat,lon\nCAO,曹县电商物流园,34.8256,115.5418\n' >hubs.csv
printf 'code,name,hub_code,lat,lon,open,close,service_min\nP1,丁楼村,CAO,34.97,115.33,08:00,17:00,10\n' >points.csv
assert_exit 0 "$VCOURIER" import hubs hubs.csv
assert_exit 0 "$VCOURIER" import points points.csv
{
	echo "order_ref,point_code,weight_kg,volume_m3,ready_date,seller"
	seq 40000 | awk '{ printf "ORDER-%06d,P1,1.5,0.01,2026-11-24,某某农产品合作社第%d号店铺\n", $1, $1 }'
} >orders.csv

# 1. orders itself lives on the full disk: the direct COPY fails.
q "ALTER TABLE orders SET TABLESPACE $DF_TS"
before=$(t_snapshot)
assert_exit 69 "$VCOURIER" import orders orders.csv --rejects rej.csv
assert_eq "$(wc -l <<<"$T_ERR")" 1 "one error line"
assert_contains "$T_ERR" "vcourier: database out of space: COPY: could not extend file"
assert_eq "$(t_snapshot)" "$before" "a failed import changed a table"
[ ! -e rej.csv ] || fail "rejects file left by a failed import"
q "ALTER TABLE orders SET TABLESPACE pg_default"
head -n 101 orders.csv >first100.csv
assert_exit 0 "$VCOURIER" import orders first100.csv
assert_eq "$(q "SELECT count(*) FROM orders")" 100

# 2. the staging table (a re-import with known orders) on the full disk.
q "ALTER DATABASE $PGDATABASE SET temp_tablespaces = '$DF_TS'"
before=$(t_snapshot)
assert_exit 69 "$VCOURIER" import orders orders.csv
assert_eq "$(wc -l <<<"$T_ERR")" 1 "one error line"
assert_contains "$T_ERR" "vcourier: database out of space: COPY: could not"
assert_eq "$(t_snapshot)" "$before" "a failed import changed a table"
# Space back: everything imported by the same command.
q "ALTER DATABASE $PGDATABASE RESET temp_tablespaces"
assert_exit 0 "$VCOURIER" import orders orders.csv
assert_eq "$T_OUT" "orders: 40000 rows: 39900 new, 0 updated, 100 unchanged, 0 rejected"
