# tests/lib.sh: helpers for integration tests (sourced by tests/integration/*.sh).
#
# Each test gets its own database (t_newdb) in the suite's PostgreSQL and
# its own temp folder $T_TMP; both are removed when the test exits.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${VCOURIER:=$ROOT/build/vcourier}"
T_TMP=$(mktemp -d /tmp/vcourier-t.XXXXXX)
T_DB=""
T_CLEANUPS=()

t_cleanup() {
	local c
	for c in "${T_CLEANUPS[@]}"; do eval "$c" || true; done
	[ -n "$T_DB" ] && dropdb --if-exists -f "$T_DB" >/dev/null 2>&1 || true
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT
# Run a command when the test ends (servers to stop, etc.).
t_on_exit() { T_CLEANUPS+=("$1"); }

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "# $*"; }

# A fresh, migrated database; PGDATABASE points at it.
t_newdb() {
	T_DB="t_$$_${RANDOM}"
	createdb "$T_DB"
	export PGDATABASE="$T_DB"
	"$VCOURIER" db migrate >/dev/null
}

# q SQL [args...]: one value or rows, unaligned, tuples only. Arguments are
# bound as psql variables :'v1', :'v2' ... so tests never splice values.
q() {
	local sql=$1 i=1 args=()
	shift
	for a in "$@"; do args+=(-v "v$i=$a"); i=$((i + 1)); done
	printf '%s\n' "$sql" | psql -XAtq -v ON_ERROR_STOP=1 "${args[@]}"
}

assert_eq() { [ "$1" = "$2" ] || fail "${3:-values differ}: expected '$2', got '$1'"; }
assert_contains() {
	grep -qF -- "$2" <<<"$1" || fail "${3:-missing text}: '$2' not in: $(head -c 600 <<<"$1")"
}
# assert_exit CODE cmd...: run cmd, check its exit status; output in $T_OUT / $T_ERR.
assert_exit() {
	local want=$1 rc=0
	shift
	"$@" >"$T_TMP/out" 2>"$T_TMP/err" || rc=$?
	T_OUT=$(cat "$T_TMP/out")
	T_ERR=$(cat "$T_TMP/err")
	[ "$rc" -eq "$want" ] || fail "'$*' exited $rc, expected $want; stderr: $(head -c 800 "$T_TMP/err")"
}
# t_one_error_line FILE TEXT: FILE (a command's stderr) holds exactly one
# error line 'vcourier: ...', and it holds TEXT; every other line is a
# logfmt event (pkg/log).
t_one_error_line() {
	assert_eq "$(grep -c '^vcourier: ' "$1" || true)" 1 "error lines in: $(head -c 600 "$1")"
	assert_contains "$(grep '^vcourier: ' "$1")" "$2"
	if grep -v '^vcourier: ' "$1" | grep -vqE '^[0-9T:.-]+Z (error|warn|info|debug) [a-z_]+( |$)'; then
		fail "stray stderr output: $(cat "$1")"
	fi
}
# A snapshot of every table's content, to prove a command changed nothing.
t_snapshot() {
	local t
	for t in $(q "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY 1"); do
		echo "== $t"
		q "SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM $t x"
	done
}

# t_wait_file PATH WHAT: poll (60 s deadline) until PATH exists and is not
# empty; fails naming WHAT. Tests wait on an explicit signal, never a sleep.
t_wait_file() {
	local i
	for i in $(seq 1200); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	fail "$2 within 60 s"
}
# t_port FILE: the N of the first "port N" line a server writes to FILE (polled).
t_port() {
	local i p
	for i in $(seq 1200); do
		p=$(sed -n 's/^port //p' "$1" 2>/dev/null)
		[ -n "$p" ] && { echo "$p"; return 0; }
		sleep 0.05
	done
	return 1
}

# Hold points (pkg/util/fault.h): t_hold_env NAME prints the environment
# that stops vcourier at FAULT_POINT(NAME); t_hold_wait NAME waits until a
# process is held there; t_hold_release NAME lets it go.
t_hold_env() { echo "VCOURIER_HOLD=$1 VCOURIER_HOLD_DIR=$T_TMP"; }
t_hold_wait() { t_wait_file "$T_TMP/$1.held" "nothing reached hold point $1"; }
t_hold_release() { : >"$T_TMP/$1.release"; }
