#!/bin/sh
# tests/run.sh BUILD_DIR...: the whole suite, once per build directory.
#
# Starts one private PostgreSQL (tests/pg.sh), torn down on exit, failure
# or interrupt; runs every cmocka binary $BUILD/tests/test_* and every
# tests/integration/test_*.sh against $BUILD/vcourier (each integration
# test makes its own database), then tests/slow/test_*.sh once. A test that
# exits 77 was skipped (it says why): counted apart, never as passed. Ends
# with "N passed, N failed, N skipped".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 70
. tests/pg.sh

LOGDIR=$(mktemp -d /tmp/vcourier-tests.XXXXXX)
cleanup() { pg_stop; rm -rf "$LOGDIR"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

pg_start || { echo "0 passed, 1 failed (PostgreSQL did not start)"; exit 1; }

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
pass=0
fail=0
skip=0
failed=""
skipped=""
only="${TESTS:-}"

run_one() {
	name=$1
	shift
	case "$name" in *"$only"*) ;; *) return 0 ;; esac
	log="$LOGDIR/$(echo "$name" | tr '/' '_').log"
	start=$(date +%s)
	rc=0
	"$@" >"$log" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok   $name ($(($(date +%s) - start))s)"
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
}

for build in "$@"; do
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		run_one "$t" "$t"
	done
	for t in tests/integration/test_*.sh; do
		[ -f "$t" ] || continue
		run_one "$build:$t" env VCOURIER="$ROOT/$build/vcourier" BUILD="$ROOT/$build" bash "$t"
	done
done

# Slow suites (browser, failover, packaging) run once, against the first
# build only: they test the parts around vcourier, not its memory safety.
first=$1
for t in tests/slow/test_*.sh; do
	[ -f "$t" ] || continue
	run_one "$first:$t" env VCOURIER="$ROOT/$first/vcourier" BUILD="$ROOT/$first" bash "$t"
done

[ -n "$failed" ] && echo "failed:$failed"
[ -n "$skipped" ] && echo "SKIPPED (not passed):$skipped"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
