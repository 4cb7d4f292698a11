#!/bin/bash
# Progress on stderr when it is a terminal (SPEC sections 8 and 11): under
# a pseudo-terminal (`script` from bsdutils) the import shows rows, rate,
# share and time left, and the nightly job shows hub, stage and the route
# search; with stderr a file or a pipe (cron) nothing extra is written.
. "$(dirname "$0")/../lib.sh"
command -v script >/dev/null || fail "script missing (Debian bsdutils)"
t_newdb
DATE=2026-12-03
"${BUILD:-$ROOT/build}/tools/gen_county" --out "$T_TMP/county" --seed 7 --points 12 --orders 12000 \
	--couriers 4 --vehicle-kg 5000 --vehicle-m3 30 --date "$DATE" >/dev/null
export VCOURIER_CONFIG="$T_TMP/vcourier.conf"
printf 'plan_iterations = 4000\nplan_seed = 3\ndeliver_budget_s = 1\ndeliver_timeout_s = 1\ndeliver_connect_timeout_s = 1\n' >"$VCOURIER_CONFIG"
chmod 600 "$VCOURIER_CONFIG"

# tty CMD...: run under a pseudo-terminal; what it wrote (stdout and stderr) in $T_TTY.
tty_run() {
	local rc=0 cmd
	printf -v cmd '%q ' "$@"
	script -qec "$cmd" /dev/null >"$T_TMP/tty.out" 2>&1 </dev/null || rc=$?
	T_TTY=$(cat "$T_TMP/tty.out")
	return $rc
}

# Not a terminal: the small files, stderr to a file, must stay silent.
for t in hubs points couriers; do
	assert_exit 0 "$VCOURIER" import "$t" "$T_TMP/county/$t.csv"
	assert_eq "$T_ERR" "" "import $t wrote on stderr without a terminal"
done

# A terminal: the orders import shows its progress, and clears it.
tty_run "$VCOURIER" import orders "$T_TMP/county/orders.csv" || fail "import under a pty failed: $T_TTY"
assert_contains "$T_TTY" "import: 4,096 rows, "
assert_contains "$T_TTY" "rows/s, "
assert_contains "$T_TTY" "s left"
assert_contains "$T_TTY" "import: 12,000 rows read, saving"
assert_contains "$T_TTY" $'\r\033[K'"orders: 12000 rows: 12000 new"
assert_eq "$(q "SELECT count(*) FROM orders")" 12000

# The same import with stderr piped: only the summary on stdout, nothing on stderr.
"$VCOURIER" import orders "$T_TMP/county/orders.csv" 2>&1 >"$T_TMP/out" | cat >"$T_TMP/err"
assert_eq "$(cat "$T_TMP/err")" "" "import wrote on a piped stderr"
assert_contains "$(cat "$T_TMP/out")" "orders: 12000 rows: 0 new, 0 updated, 12000 unchanged"

# A dry nightly run on a terminal: hub, stages, the route search.
hub=$(q "SELECT min(code) FROM hubs")
tty_run "$VCOURIER" nightly --date "$DATE" --dry-run || fail "nightly under a pty failed: $T_TTY"
assert_contains "$T_TTY" "hub $hub: claim, 0 orders"
assert_contains "$T_TTY" "hub $hub: plan, 12,000 orders"
assert_contains "$T_TTY" "search 100% (4,000 it., best "
assert_contains "$T_TTY" "hub $hub: write, 12,000 orders"
[[ "$T_TTY" != *"hub $hub: deliver"* ]] || fail "a dry run showed a delivery stage"
assert_contains "$T_TTY" "nightly (dry run): 1 hub finished, last $hub"
# and cleared before the summary
assert_contains "$T_TTY" $'\r\033['"K"

# The same with stderr not a terminal: nothing on it.
assert_exit 0 "$VCOURIER" nightly --date "$DATE" --dry-run
assert_eq "$T_ERR" "" "nightly wrote on stderr without a terminal"
"$VCOURIER" nightly --date "$DATE" --dry-run 2>&1 >/dev/null | cat >"$T_TMP/err"
assert_eq "$(cat "$T_TMP/err")" "" "nightly wrote on a piped stderr"
