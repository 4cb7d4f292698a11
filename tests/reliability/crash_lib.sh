# tests/reliability/crash_lib.sh: the county, endpoint and checks shared by
# the crash, database-fault and secrets tests (sourced after tests/lib.sh
# and tests/integration/deliver_lib.sh).
#
# One generated county is imported once into a template database; every
# scenario gets its own copy (createdb -T: milliseconds) and its own
# service date, so one courier endpoint serves all scenarios of a test
# without two scenarios ever sharing a manifest_id.

RL_DIR="$ROOT/tests/reliability"
RL_READY=2026-12-01
: "${BUILD:=$(dirname "$VCOURIER")}"

# rl_county [gen_county args...]: generate and import the county into a
# template database (default: 30 points, 1,200 orders, 6 couriers; one point
# closed).
rl_county() {
	local t
	"$BUILD/tools/gen_county" --out "$T_TMP/county" --seed 11 --points 30 --orders 1200 \
		--couriers 6 --date "$RL_READY" "$@" >/dev/null
	RL_TEMPLATE="rl_tpl_$$_${RANDOM}"
	createdb "$RL_TEMPLATE"
	t_on_exit "dropdb --if-exists -f $RL_TEMPLATE >/dev/null 2>&1"
	PGDATABASE=$RL_TEMPLATE "$VCOURIER" db migrate >/dev/null
	for t in hubs points couriers orders; do
		PGDATABASE=$RL_TEMPLATE "$VCOURIER" import "$t" "$T_TMP/county/$t.csv" >/dev/null \
			|| fail "import $t into the template failed"
	done
	# One closed collection point: its orders must end rejected, with their reason.
	PGDATABASE=$RL_TEMPLATE q "UPDATE points SET active = false WHERE code = (SELECT max(code) FROM points)"
}

# rl_config [extra lines...]: a 0600 config with timeouts that fit a test
# (a slow endpoint's delay of a few seconds stays under the request timeout).
rl_config() {
	export VCOURIER_CONFIG="$T_TMP/rl.conf"
	{
		echo "deliver_timeout_s = 8"
		echo "deliver_connect_timeout_s = 2"
		echo "deliver_budget_s = 20"
		echo "deliver_backoff_base_s = 0.05"
		echo "deliver_backoff_max_s = 0.2"
		echo "deliver_jitter_seed = 3"
		for l in "$@"; do echo "$l"; done
	} >"$VCOURIER_CONFIG"
	chmod 600 "$VCOURIER_CONFIG"
}

# rl_scenario N: a fresh copy of the county as $PGDATABASE, its couriers
# pointed at the endpoint on $DL_PORT, service date RL_DATE = ready date + N days.
rl_scenario() {
	local db="rl_$$_$1"
	RL_DATE=$(date -d "$RL_READY + $1 day" +%F)
	createdb -T "$RL_TEMPLATE" "$db"
	t_on_exit "dropdb --if-exists -f $db >/dev/null 2>&1"
	export PGDATABASE=$db
	q "UPDATE couriers SET endpoint_url = 'http://127.0.0.1:' || :'v1' || '/couriers/' || code" \
		"$DL_PORT" >/dev/null
	curl -sf -X POST --data '{"reset": true}' "http://127.0.0.1:$DL_PORT/_control" >/dev/null \
		|| fail "cannot reset the endpoint's faults"
}

# rl_until_done CMD...: run CMD (a vcourier command) until it exits 0; 75
# (deliveries pending, or the dead run's lock not yet released by the
# server) is retried, anything else fails. Prints nothing.
rl_until_done() {
	local i rc
	for i in $(seq 20); do
		rc=0
		"$@" >"$T_TMP/rl.out" 2>"$T_TMP/rl.err" || rc=$?
		[ "$rc" -eq 0 ] && return 0
		[ "$rc" -eq 75 ] || fail "'$*' exited $rc: $(head -c 600 "$T_TMP/rl.err")"
		sleep 0.2
	done
	fail "'$*' still exits 75 after 20 tries: $(head -c 600 "$T_TMP/rl.err")"
}

# rl_killed CMD...: run CMD, which must die of SIGKILL (a crash point or
# rl_kill_when); its pid is in RL_PID while it runs.
rl_killed() {
	local rc=0
	"$@" >"$T_TMP/killed.out" 2>"$T_TMP/killed.err" &
	RL_PID=$!
	wait "$RL_PID" || rc=$?
	[ "$rc" -eq 137 ] || fail "'$*' was not killed (exit $rc): $(head -c 600 "$T_TMP/killed.err")"
}

# rl_wait_for SQL: poll until the query returns 't' (deadline 30 s).
rl_wait_for() {
	local i
	for i in $(seq 300); do
		[ "$(q "$1")" = t ] && return 0
		sleep 0.1
	done
	fail "condition never held: $1"
}

# rl_check_all: the promise, checked on the database and the endpoint's
# store for RL_DATE (see check_outcome.py), plus the planner-independent
# route check when tests/check_plan.py is there.
rl_check_all() {
	python3 "$RL_DIR/check_outcome.py" --date "$RL_DATE" --store "$T_TMP/ep" \
		|| fail "outcome check failed for $RL_DATE"
	python3 "$ROOT/tests/check_plan.py" --date "$RL_DATE" --require-delivered >"$T_TMP/plan.out" \
		|| fail "check_plan: $(head -c 800 "$T_TMP/plan.out")"
}

# rl_abandoned N: exactly N runs were recovered as abandoned, none is running.
rl_abandoned() {
	assert_eq "$(q "SELECT count(*) FILTER (WHERE status = 'abandoned') || ' '
	                || count(*) FILTER (WHERE status = 'running') FROM runs")" "$1 0" \
		"abandoned and running runs"
}
