#!/bin/bash
# tests/run.sh BUILD_DIR...: the whole suite, once per build directory.
#
# Starts one private PostgreSQL (tests/pg.sh), torn down on exit, failure
# or interrupt; runs every cmocka binary $BUILD/tests/test_* and every
# tests/integration/test_*.sh against $BUILD/vcourier (each integration
# test makes its own database), and tests/slow/test_*.sh once, against the
# first build. A test that exits 77 was skipped (it says why): counted
# apart, never as passed. Ends with "N passed, N failed, N skipped".
#
# Tests run TEST_JOBS at a time (default 4): most of their time is spent
# waiting (on PostgreSQL, on the endpoint's held requests, on a browser),
# and every test owns what it uses (its database, temp folder, ports picked
# by the kernel, namespaces named by its pid), so they do not meet. The
# slow suites start first so that they overlap the rest. TEST_JOBS=1 runs
# them one by one, as before.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 70
. tests/pg.sh

LOGDIR=$(mktemp -d /tmp/vcourier-tests.XXXXXX)
cleanup() {
	local p
	for p in $(jobs -p); do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	pg_stop
	rm -rf "$LOGDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

pg_start || { echo "0 passed, 1 failed (PostgreSQL did not start)"; exit 1; }

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
JOBS=${TEST_JOBS:-4}
pass=0
fail=0
skip=0
failed=""
skipped=""
only="${TESTS:-}"
declare -A NAME_OF START_OF LOG_OF
running=0

# finish_one: wait for any running test and report it.
finish_one() {
	local pid rc=0 name log
	wait -n -p pid || rc=$?
	name=${NAME_OF[$pid]}
	log=${LOG_OF[$pid]}
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok   $name ($(($(date +%s) - START_OF[$pid]))s)"
	elif [ "$rc" -eq 77 ]; then
		skip=$((skip + 1))
		skipped="$skipped $name"
		echo "SKIP $name: $(tail -n 1 "$log")"
	else
		fail=$((fail + 1))
		failed="$failed $name"
		echo "FAIL $name (exit $rc)"
		tail -n 40 "$log" | sed 's/^/    | /'
	fi
	unset "NAME_OF[$pid]" "START_OF[$pid]" "LOG_OF[$pid]"
	running=$((running - 1))
}

# run_one NAME CMD...: start CMD when a slot is free (TESTS filters by name).
run_one() {
	local name=$1 log
	shift
	case "$name" in *"$only"*) ;; *) return 0 ;; esac
	while [ "$running" -ge "$JOBS" ]; do finish_one; done
	log="$LOGDIR/$(echo "$name" | tr '/:' '__').log"
	"$@" >"$log" 2>&1 </dev/null &
	NAME_OF[$!]=$name
	START_OF[$!]=$(date +%s)
	LOG_OF[$!]=$log
	running=$((running + 1))
}

# Slow suites (browser, failover, packaging) run once, against the first
# build only: they test the parts around vcourier, not its memory safety.
first=$1
for t in tests/slow/test_*.sh; do
	[ -f "$t" ] || continue
	run_one "$first:$t" env VCOURIER="$ROOT/$first/vcourier" BUILD="$ROOT/$first" bash "$t"
done
for build in "$@"; do
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		run_one "$t" "$t"
	done
	for t in tests/integration/test_*.sh; do
		[ -f "$t" ] || continue
		run_one "$build:$t" env VCOURIER="$ROOT/$build/vcourier" BUILD="$ROOT/$build" bash "$t"
	done
done
while [ "$running" -gt 0 ]; do finish_one; done

[ -n "$failed" ] && echo "failed:$failed"
[ -n "$skipped" ] && echo "SKIPPED (not passed):$skipped"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
