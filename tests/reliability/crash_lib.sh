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

# rl_setup [config lines...]: the county, the config and the endpoint 'ep'
# (store $T_TMP/ep, port DL_PORT): what every crash and fault test starts from.
rl_setup() {
	rl_county
	rl_config "$@"
	dl_endpoint ep
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
	rl_reset_endpoint
}

# rl_reset_endpoint: every courier's fault queue emptied.
rl_reset_endpoint() {
	curl -sf -X POST --data '{"reset": true}' "http://127.0.0.1:$DL_PORT/_control" >/dev/null \
		|| fail "cannot reset the endpoint's faults"
}

# A scenario's run died or failed before its commit: no manifest, every
# order untouched.
RL_UNTOUCHED="SELECT NOT EXISTS (SELECT 1 FROM manifests)
              AND NOT EXISTS (SELECT 1 FROM orders WHERE status <> 'pending' OR run_id IS NOT NULL
                              OR reason IS NOT NULL)"
RL_N=0

# rl_next: the next scenario (rl_scenario with a new number, RL_N).
rl_next() {
	RL_N=$((RL_N + 1))
	rl_scenario "$RL_N"
}

# rl_every_post BEHAVIOUR: every courier's fault queue is BEHAVIOUR (an endpoint
# behaviour of tests/courier_endpoint.py; "forever": true keeps it for every post).
rl_every_post() {
	local c
	for c in $(q "SELECT code FROM couriers"); do
		dl_faults "$DL_PORT" "$c" "[$1]"
	done
}
# rl_slow_endpoint SECONDS: every courier's every post is held that long.
rl_slow_endpoint() { rl_every_post "{\"delay\": $1, \"forever\": true}"; }

# rl_hold_endpoint HOLD: every courier's next post is held at HOLD until
# dl_release "$DL_PORT" HOLD (dl_hold_wait ep HOLD: one has arrived).
rl_hold_endpoint() { rl_every_post "{\"hold\": \"$1\"}"; }

# rl_background CMD...: start CMD, output in $T_TMP/bg.{out,err}, pid in RL_PID.
rl_background() {
	"$@" >"$T_TMP/bg.out" 2>"$T_TMP/bg.err" &
	RL_PID=$!
	t_on_exit "kill -9 $RL_PID 2>/dev/null"
}

# rl_exited_unavailable TEXT: the background job exited 69 with exactly
# one error line 'vcourier: ...' holding TEXT; anything else on stderr is
# a logfmt event line.
rl_exited_unavailable() {
	local rc=0
	wait "$RL_PID" || rc=$?
	[ "$rc" -eq 69 ] || fail "exit $rc, expected 69: $(head -c 600 "$T_TMP/bg.err")"
	t_one_error_line "$T_TMP/bg.err" "$1"
	note "exit 69: $(grep '^vcourier: ' "$T_TMP/bg.err")"
}

# rl_hold_lock SQL: a psql session runs SQL (which takes a lock) in a
# transaction and keeps it 60 s or until killed; waits until it holds it.
rl_hold_lock() {
	psql -Xq -v ON_ERROR_STOP=1 -c "SET application_name = 'rl_holder'" \
		-c "BEGIN; $1; SELECT pg_sleep(60); COMMIT" >/dev/null 2>&1 &
	RL_HOLDER=$!
	t_on_exit "kill $RL_HOLDER 2>/dev/null"
	rl_wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'rl_holder'
	                           AND query LIKE '%pg_sleep%' AND datname = current_database())"
}

# rl_release_lock: end the holder (and its backend).
rl_release_lock() {
	kill "$RL_HOLDER" 2>/dev/null || true
	wait "$RL_HOLDER" 2>/dev/null || true
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	   WHERE application_name = 'rl_holder' AND datname = current_database()" >/dev/null
}

# rl_job_waiting: the job's backend waits for a lock.
rl_job_waiting() {
	rl_wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name LIKE 'vcourier%'
	                           AND wait_event_type = 'Lock' AND datname = current_database())"
}

# rl_in_flight: the run has an HTTP connection open to the endpoint.
rl_in_flight() {
	local i
	for i in $(seq 300); do
		[ -n "$(ss -Htn state established "( dport = :$DL_PORT )")" ] && return 0
		sleep 0.05
	done
	fail "no request ever reached the endpoint"
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

# rl_finish ABANDONED: the endpoint well again, nightly until it exits 0,
# every check, and ABANDONED runs recovered.
rl_finish() {
	rl_reset_endpoint
	rl_until_done "$VCOURIER" nightly --date "$RL_DATE"
	rl_check_all
	rl_abandoned "$1"
	note "scenario $RL_N ok"
}

# rl_abandoned N: exactly N runs were recovered as abandoned, none is running.
rl_abandoned() {
	assert_eq "$(q "SELECT count(*) FILTER (WHERE status = 'abandoned') || ' '
	                || count(*) FILTER (WHERE status = 'running') FROM runs")" "$1 0" \
		"abandoned and running runs"
}
