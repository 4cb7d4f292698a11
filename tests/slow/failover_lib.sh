# tests/slow/failover_lib.sh: a throwaway pg_auto_failover formation (sourced
# after tests/lib.sh): a monitor, a primary and a secondary on loopback ports
# of this machine, each in a folder under one temp dir, run as the
# unprivileged `postgres` user when root (as tests/pg.sh does).
#
# af_start: creates and runs the three, waits until the formation is
# primary + secondary with synchronous replication; exports AF_URI (the
# libpq multi-host URL with target_session_attrs=read-write) and sets PG*
# so that q/psql reach the primary wherever it is. af_failover: `pg_autoctl
# perform failover` and a wait for the new primary. af_kill_primary: the
# primary's node killed outright (its pg_autoctl and postmaster, SIGKILL),
# af_promoted: polled until the monitor has promoted the other node.
# af_stop: everything stopped and removed (registered with t_on_exit, so
# it runs on failure too).
AF_BIN=""
AF_DIR=""
AF_PIDS=()

af_bindir() {
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/pg_ctl" ] && [ -f "$(dirname "$d")/lib/pgautofailover.so" ] && { echo "$d"; return 0; }
	done
	return 1
}

# Run as the postgres user (root) or as ourselves, with the XDG folders
# (pg_autoctl keeps its config and state there) inside AF_DIR.
af_as() {
	local envs=(PATH="$AF_BIN:/usr/bin:/bin" HOME="$AF_DIR" XDG_CONFIG_HOME="$AF_DIR/xdg/config"
		    XDG_DATA_HOME="$AF_DIR/xdg/data" XDG_RUNTIME_DIR="$AF_DIR/xdg/run" PG_CONFIG="$AF_BIN/pg_config")
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- env -i "${envs[@]}" "$@")
	else
		env -i "${envs[@]}" "$@"
	fi
}

# af_bg LOG CMD...: af_as in the background in a process group of its own
# (pg_autoctl's supervisor forks services and postgres): af_stop ends the
# whole group by its id.
af_bg() {
	local log=$1
	shift
	setsid bash -c "$(declare -f af_as); AF_BIN='$AF_BIN' AF_DIR='$AF_DIR' af_as \"\$@\"" af_bg "$@" >"$log" 2>&1 &
	AF_PIDS+=($!)
}

af_free_ports() {
	python3 -c 'import socket
ss = [socket.socket() for _ in range(3)]
for s in ss:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))'
}

# af_wait SECONDS WHAT CMD...: poll CMD until it succeeds, fail after SECONDS.
af_wait() {
	local secs=$1 what=$2 deadline
	shift 2
	deadline=$(($(date +%s) + secs))
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$deadline" ] || { af_dump; fail "timed out after ${secs}s waiting for $what"; }
		sleep 0.2
	done
}

af_dump() {
	[ -n "$AF_DIR" ] || return 0
	echo "--- pg_autoctl show state"
	af_as pg_autoctl show state --pgdata "$AF_DIR/monitor" 2>&1 | tail -n 20 || true
	local f
	for f in "$AF_DIR"/*.log; do echo "--- $f"; tail -n 15 "$f"; done
}

# The state rows: "name state" for each node, from the monitor.
af_states() {
	af_as psql -XAtq -h 127.0.0.1 -p "$AF_PM" -U autoctl_node -d pg_auto_failover \
		-c "SELECT nodename || ' ' || reportedstate || ' ' || goalstate FROM pgautofailover.node ORDER BY nodeid"
}

# 0 when one node is primary and one secondary, both reported = goal.
af_settled() {
	local s
	s=$(af_states) || return 1
	grep -q '^node[12] primary primary$' <<<"$s" && grep -q '^node[12] secondary secondary$' <<<"$s"
}

af_primary_name() { af_states | awk '$2 == "primary" && $3 == "primary" { print $1 }'; }

# af_failed_over OLD: settled, with another node than OLD as the primary.
af_failed_over() { af_settled && [ "$(af_primary_name)" != "$1" ]; }

af_start() {
	local mon
	AF_BIN=$(af_bindir) || return 1
	AF_DIR=$(mktemp -d /tmp/vcourier-af.XXXXXX)
	t_on_exit af_stop
	mkdir -p "$AF_DIR/xdg/config" "$AF_DIR/xdg/data" "$AF_DIR/xdg/run"
	chmod 700 "$AF_DIR/xdg/run"
	[ "$(id -u)" -eq 0 ] && chown -R postgres "$AF_DIR"
	chmod 755 "$AF_DIR"
	read -r AF_PM AF_P1 AF_P2 <<<"$(af_free_ports)"
	af_as pg_autoctl create monitor --pgdata "$AF_DIR/monitor" --pgport "$AF_PM" \
		--hostname 127.0.0.1 --auth trust --no-ssl --pgctl "$AF_BIN/pg_ctl" \
		>"$AF_DIR/monitor-create.log" 2>&1 || { cat "$AF_DIR/monitor-create.log"; return 1; }
	# Loopback only: the monitor's postgres would listen on every address.
	af_as pg_autoctl config set --pgdata "$AF_DIR/monitor" postgresql.listen_addresses 127.0.0.1 >/dev/null
	af_bg "$AF_DIR/monitor.log" pg_autoctl run --pgdata "$AF_DIR/monitor"
	af_wait 60 "the monitor" af_as psql -XAtq -h 127.0.0.1 -p "$AF_PM" -U autoctl_node -d pg_auto_failover -c "SELECT 1"
	mon="postgres://autoctl_node@127.0.0.1:$AF_PM/pg_auto_failover?sslmode=disable"
	af_node node1 "$AF_P1" "$mon"
	af_wait 90 "node1 to be a single primary" af_node_state node1 single
	# The secondary's pg_basebackup asks for a spread checkpoint: with
	# initdb's pages still dirty that takes minutes. Flush them first. No
	# fsync: the test kills no machine, only processes.
	af_as psql -XAtq -h 127.0.0.1 -p "$AF_P1" -U postgres -d vcourier \
		-c "ALTER SYSTEM SET fsync = off" -c "SELECT pg_reload_conf()" -c "CHECKPOINT" >/dev/null
	af_node node2 "$AF_P2" "$mon"
	af_wait 120 "node2 to be a secondary" af_settled
	export AF_URI="postgresql://postgres@127.0.0.1:$AF_P1,127.0.0.1:$AF_P2/vcourier?target_session_attrs=read-write&connect_timeout=2"
	export PGHOST=127.0.0.1,127.0.0.1 PGPORT="$AF_P1,$AF_P2" PGUSER=postgres PGDATABASE=vcourier
	export PGTARGETSESSIONATTRS=read-write PGCONNECT_TIMEOUT=2
}

af_node_state() { af_states | grep -q "^$1 $2 $2\$"; }

af_node() {
	local name=$1 port=$2 mon=$3
	af_bg "$AF_DIR/$name.log" pg_autoctl create postgres --pgdata "$AF_DIR/$name" --pgport "$port" \
		--listen 127.0.0.1 --hostname 127.0.0.1 --auth trust --no-ssl --pgctl "$AF_BIN/pg_ctl" \
		--monitor "$mon" --dbname vcourier --name "$name" --run
}

# Synchronous replication is on: the primary names a standby that must ack.
af_sync_standby() {
	q "SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')"
}

af_failover() {
	local before
	before=$(af_primary_name)
	# --wait 0: start it and return; the formation is watched here, with a
	# deadline fit for a loaded machine (pg_autoctl's own is 60 s).
	af_as pg_autoctl perform failover --pgdata "$AF_DIR/monitor" --wait 0 >"$AF_DIR/failover.log" 2>&1 ||
		{ af_dump; cat "$AF_DIR/failover.log"; fail "pg_autoctl perform failover failed"; }
	af_wait 240 "the formation to settle after the failover" af_failed_over "$before"
	[ "$(af_primary_name)" != "$before" ] || fail "the primary is still $before after the failover"
}

# Fail over faster when a node dies (af_kill_primary): health checks every
# second, a node unhealthy after 3 s without a report and a failed check,
# and 3 s (not 30) for a dead primary to have shipped its last writes.
# The defaults take about a minute; the path is the same.
af_fast_health_checks() {
	af_as psql -XAtq -h 127.0.0.1 -p "$AF_PM" -U postgres -d pg_auto_failover \
		-c "ALTER SYSTEM SET pgautofailover.health_check_period = 1000" \
		-c "ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000" \
		-c "ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500" \
		-c "ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1" \
		-c "ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 3000" \
		-c "ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 3000" \
		-c "SELECT pg_reload_conf()" >/dev/null
}

# af_kill_primary: the primary's machine dies: its keeper (pg_autoctl, which
# would otherwise restart postgres in place) and its postmaster get SIGKILL;
# the backends die with the postmaster. AF_DEAD: the dead node's name.
af_kill_primary() {
	local pm idx
	AF_DEAD=$(af_primary_name)
	case $AF_DEAD in node1) idx=1 ;; node2) idx=2 ;; *) fail "no primary to kill: $(af_states)" ;; esac
	pm=$(head -n 1 "$AF_DIR/$AF_DEAD/postmaster.pid")
	kill -KILL -- "-${AF_PIDS[$idx]}"
	kill -KILL "$pm" 2>/dev/null || true
}

# af_promoted DEAD: the monitor made the other node the primary (alone:
# wait_primary, synchronous replication off until a standby is back).
af_promoted() {
	af_states | awk -v dead="$1" '$1 != dead && $2 == $3 && ($2 == "primary" || $2 == "wait_primary") { ok = 1 }
		END { exit !ok }'
}

af_stop() {
	local p d alive
	[ -n "$AF_DIR" ] || return 0
	# Each group: TERM, a bounded wait, then KILL whatever is left of it.
	for p in "${AF_PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
	for _ in $(seq 50); do
		alive=0
		for p in "${AF_PIDS[@]}"; do kill -0 -- "-$p" 2>/dev/null && alive=1; done
		[ "$alive" = 0 ] && break
		sleep 0.1
	done
	for p in "${AF_PIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
	for p in "${AF_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	for d in node1 node2 monitor; do
		[ -f "$AF_DIR/$d/postmaster.pid" ] && af_as "$AF_BIN/pg_ctl" -D "$AF_DIR/$d" -m immediate stop >/dev/null 2>&1
	done
	[ -n "${AF_KEEP_LOGS:-}" ] && cp "$AF_DIR"/*.log "$AF_KEEP_LOGS"/ 2>/dev/null
	rm -rf "$AF_DIR"
	AF_DIR=""
}
