#!/bin/bash
# Config (issue 9 defect 10), through the command line: every command
# validates the file once at start: a bad value, an unknown key or an
# out-of-range number exits 78 with one line naming the file, the real line
# number and the key, before touching the database; a FIFO given as the
# config never blocks; `config keys` prints the one key table; an old-style
# secret variable that names no courier code is refused (defect 1).
. "$(dirname "$0")/../lib.sh"
t_newdb
conf="$T_TMP/vcourier.conf"
export VCOURIER_CONFIG="$conf"
printf '# vcourier\n\ndeliver_timeout_s = 5\n\n# planning\nplan_iterations = 1e3\n' >"$conf"
chmod 600 "$conf"
before=$(t_snapshot)
assert_exit 78 "$VCOURIER" runs
assert_eq "$T_ERR" "vcourier: $conf:6: plan_iterations: '1e3' is not an integer (int, 0 to 1000000000)"
printf 'deliver_timeout_s = 5\nspeed_kmh = nan\n' >"$conf"
assert_exit 78 "$VCOURIER" nightly --date 2026-03-02
assert_eq "$T_ERR" "vcourier: $conf:2: speed_kmh: 'nan' is not a finite number (double, 0.1 to 200)"
printf '\n\n\nspeed_kmn = 30\n' >"$conf"
assert_exit 78 "$VCOURIER" config check
assert_eq "$T_ERR" "vcourier: $conf:4: unknown key 'speed_kmn' (vcourier config keys lists them)"
# A profile vcourier does not know (a bus): refused like any bad key, not
# silently never read; a known one loads.
printf 'max_trips.tricycle = 3\n\nmax_trips.bus = 3\n' >"$conf"
assert_exit 78 "$VCOURIER" nightly --date 2026-03-02
assert_eq "$T_ERR" "vcourier: $conf:3: max_trips.bus: 'bus' is not a vehicle profile (van, truck, tricycle, motorbike)"
printf 'max_trips.tricycle = 3\nroad_speed.tricycle.lane = 9\n' >"$conf"
assert_exit 78 "$VCOURIER" config check
assert_eq "$T_ERR" "vcourier: $conf:2: road_speed.tricycle.lane: 'lane' is not a road class (docs/roads.md)"
assert_eq "$(t_snapshot)" "$before" "a refused config changed a table"

# A FIFO (nobody writing): refused at once instead of blocking the cron job.
rm -f "$conf"
mkfifo -m 600 "$conf"
assert_exit 78 timeout 10 "$VCOURIER" runs
assert_eq "$T_ERR" "vcourier: $conf: not a regular file"
rm -f "$conf"

# A good file: check says so; the table lists every key once, tab-separated.
printf 'circuity = 1.4\ncourier.acme-1.token = t0k\n' >"$conf"
chmod 600 "$conf"
assert_exit 0 "$VCOURIER" config check
assert_eq "$T_OUT" "$conf: ok"
assert_exit 0 "$VCOURIER" runs
assert_exit 0 "$VCOURIER" config keys
assert_contains "$T_OUT" "$(printf 'circuity\tdouble\t1.3\t1..10\t')"
assert_contains "$T_OUT" "$(printf 'courier.<CODE>.key\tstring\t-\t-\t')"
assert_eq "$(grep -v '^#' <<<"$T_OUT" | awk -F'\t' 'NF != 5' | wc -l)" 0 "rows without 5 fields"
# docs/config.md's key table is that table, row for row (it had drifted:
# road_speed, db_fetch_rows and others were missing).
want=$(grep -v '^#' <<<"$T_OUT" | awk -F'\t' '{printf "| `%s` | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5}')
have=$(sed -n '/^| key | type | default | range | meaning |$/,/^$/p' "$ROOT/docs/config.md" | grep '^| `')
[ "$have" = "$want" ] || fail "docs/config.md key table differs from vcourier config keys:
$(diff <(echo "$want") <(echo "$have"))"
# keys needs no valid file (it documents the file).
printf 'nonsense\n' >"$conf"
assert_exit 0 "$VCOURIER" config keys

# Secret names: acme-1's variable, and an old folded name refused.
printf 'circuity = 1.4\n' >"$conf"
assert_exit 0 "$VCOURIER" config env-name acme-1
assert_eq "$T_OUT" "$(printf 'VCOURIER_KEY__61_63_6D_65_2D1\nVCOURIER_TOKEN__61_63_6D_65_2D1')"
assert_exit 0 env VCOURIER_KEY__61_63_6D_65_2D1=whsec_x "$VCOURIER" runs
assert_exit 78 env VCOURIER_KEY_ACME_1=whsec_hidden "$VCOURIER" runs
assert_contains "$T_ERR" "VCOURIER_KEY_ACME_1 names no courier code"
grep -qF "whsec_hidden" <<<"$T_ERR" && fail "the secret was echoed"
true
