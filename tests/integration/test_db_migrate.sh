# db migrate applies every migration once; a second run is a no-op; db status lists them.
. "$(dirname "$0")/../lib.sh"
T_DB="t_$$_${RANDOM}"
createdb "$T_DB"
export PGDATABASE="$T_DB"

assert_exit 0 "$VCOURIER" db status
assert_contains "$T_OUT" "pending  001_init"

assert_exit 0 "$VCOURIER" db migrate
n=$(ls "$ROOT"/schema/[0-9][0-9][0-9]_*.sql | wc -l)
assert_contains "$T_OUT" "$n migration"
before=$(t_snapshot)
assert_exit 0 "$VCOURIER" db migrate
assert_eq "$T_OUT" "0 migrations applied" "second migrate"
# the server's NOTICE (schema_migrations "already exists, skipping") is a
# debug event, not a raw line on stderr
assert_eq "$T_ERR" "" "second migrate's stderr"
assert_exit 0 "$VCOURIER" -vv db migrate
assert_contains "$T_ERR" 'debug db_notice message="NOTICE:  relation \"schema_migrations\" already exists, skipping"'
assert_eq "$(t_snapshot)" "$before" "second migrate changed tables"

assert_exit 0 "$VCOURIER" db status
assert_contains "$T_OUT" "applied  001_init"
[ -z "$(grep pending <<<"$T_OUT" || true)" ] || fail "pending after migrate: $T_OUT"

# Unreachable database: one line, exit 69.
assert_exit 69 "$VCOURIER" --db "host=$T_TMP/nowhere dbname=x" db status
assert_eq "$(wc -l <<<"$T_ERR")" "1" "one error line"
assert_contains "$T_ERR" "database unavailable"
