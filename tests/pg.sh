# tests/pg.sh: a private, throwaway PostgreSQL for the test suite (sourced).
#
# pg_start: initdb into a temp folder, listen only on a unix socket in that
# folder, fsync off; exports PGHOST/PGUSER/PGDATABASE. pg_stop: immediate
# stop and removal. initdb refuses to run as root, so as root the cluster
# belongs to the `postgres` user (created by the postgresql package).

pg_bindir() {
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
	return 1
}

pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

pg_start() {
	# PG_BIN_FORCE: a server from another bin folder (a test builds one lacking extensions).
	PG_BIN=${PG_BIN_FORCE:-$(pg_bindir)} || { echo "pg.sh: no initdb found (install postgresql)" >&2; return 1; }
	PG_TMP=$(mktemp -d /tmp/vcourier-pg.XXXXXX) || return 1
	[ "$(id -u)" -eq 0 ] && chown postgres "$PG_TMP"
	chmod 755 "$PG_TMP"
	if ! pg_as "$PG_BIN/initdb" -D "$PG_TMP/data" -A trust -U postgres -E UTF8 \
		--locale=C.UTF-8 --no-sync >"$PG_TMP/initdb.log" 2>&1; then
		cat "$PG_TMP/initdb.log" >&2
		return 1
	fi
	if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -w -t 60 -l "$PG_TMP/server.log" \
		-o "-c listen_addresses='' -c unix_socket_directories='$PG_TMP' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
		start >/dev/null; then
		cat "$PG_TMP/server.log" >&2
		return 1
	fi
	export PGHOST="$PG_TMP" PGUSER=postgres PGDATABASE=postgres PGPORT=5432
	export PG_BIN PG_TMP
	unset DATABASE_URL PGPASSWORD PGSERVICE
}

pg_stop() {
	[ -n "${PG_TMP:-}" ] || return 0
	[ -d "$PG_TMP/data" ] && pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$PG_TMP"
	PG_TMP=
}
