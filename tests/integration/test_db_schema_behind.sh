#!/bin/bash
# A database an upgrade left behind (issue 9 review): the schema is what
# the previous vcourier migrated (every migration but the newest, applied
# from schema/ as that release did), the binary is the new one. Every
# command that uses the database stops before touching it with one line
# and 78, naming both versions and the fix; `db status` and `db migrate`
# still work, and after `db migrate` the night runs. Before the check,
# `nightly` failed with the first raw SQL error the old schema met (70).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
T_DB="t_$$_${RANDOM}"
createdb "$T_DB"
export PGDATABASE="$T_DB"

files=("$ROOT"/schema/[0-9][0-9][0-9]_*.sql)
n=${#files[@]}
[ "$n" -ge 2 ] || fail "needs two migrations, found $n"
last=$(basename "${files[n - 1]}" .sql)
prev=$(basename "${files[n - 2]}" .sql)
need=$((10#${last%%_*}))
at=$((10#${prev%%_*}))
# The previous release's database: its migrations applied and recorded.
q "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
   applied_at timestamptz NOT NULL DEFAULT now())"
for f in "${files[@]:0:n-1}"; do
	psql -XAtq -v ON_ERROR_STOP=1 -1 -f "$f" >/dev/null
	base=$(basename "$f" .sql)
	q "INSERT INTO schema_migrations (version, name) VALUES (:'v1', :'v2')" "$((10#${base%%_*}))" "$base"
done
dl_endpoint ep
dl_config "plan_iterations = 500" "plan_seed = 5"
nl_small_county "http://127.0.0.1:$DL_PORT/couriers/C"

printf 'code,name,lat,lon\nH9,Hub Nine,24.9,113.7\n' >"$T_TMP/hubs.csv"
want="vcourier: database schema is at $at, this vcourier needs $need: run vcourier db migrate"
before=$(t_snapshot)
for cmd in "nightly --date $NL_DATE" "nightly --date $NL_DATE --hub H1 --jobs 2" \
	"rerun --date $NL_DATE --replan" "deliver" "runs" "runs --date $NL_DATE" \
	"import hubs $T_TMP/hubs.csv" "manifest check NONE" "roads status"; do
	# shellcheck disable=SC2086 # the words are the command line
	assert_exit 78 "$VCOURIER" $cmd
	assert_eq "$T_ERR" "$want" "$cmd: the one error line"
done
assert_eq "$(t_snapshot)" "$before" "a command touched a database behind its schema"
assert_eq "$(nl_requests)" 0 "posted with the schema behind"

# db status says what is missing; db migrate catches up; the night runs.
assert_exit 0 "$VCOURIER" db status
assert_contains "$T_OUT" "pending  $last"
assert_contains "$T_OUT" "applied  $prev"
assert_exit 0 "$VCOURIER" db migrate
assert_eq "$T_OUT" "1 migration applied"
assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --hub H1 --json
assert_eq "$(nl_json <(printf '%s\n' "$T_OUT") status)" completed

# A database never migrated: at 0.
T_DB2="t_$$_${RANDOM}_empty"
createdb "$T_DB2"
t_on_exit "dropdb --if-exists -f $T_DB2"
assert_exit 78 env PGDATABASE="$T_DB2" "$VCOURIER" runs
assert_eq "$T_ERR" "vcourier: database schema is at 0, this vcourier needs $need: run vcourier db migrate"
