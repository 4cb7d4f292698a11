# bench/lib.sh: helpers of the bench/bench_*.sh scripts (sourced; not a bench).

# bench_endpoint DIR: start tests/courier_endpoint.py storing in DIR/endpoint
# on a free port; sets ENDPOINT_PID and PORT (exit 69 when it does not start).
bench_endpoint() {
	python3 tests/courier_endpoint.py --port 0 --store "$1/endpoint" >"$1/endpoint.out" 2>"$1/endpoint.err" &
	ENDPOINT_PID=$!
	PORT=
	for _ in $(seq 100); do
		PORT=$(sed -n 's/^port //p' "$1/endpoint.out")
		[ -n "$PORT" ] && break
		sleep 0.05
	done
	[ -n "$PORT" ] || { echo "$0: the endpoint did not start: $(cat "$1/endpoint.err")" >&2; exit 69; }
}

# bench_endpoint_forget: the endpoint forgets what it stored, before another
# night on a fresh copy of the same database (same manifest ids, other
# bodies: the endpoint would answer 422 otherwise).
bench_endpoint_forget() {
	curl -fsS -X POST -d '{"forget": true}' "http://127.0.0.1:$PORT/_control" >/dev/null
}

# province_csvs DIR HUBS ORDERS PORT DATE: HUBS generated counties
# (tools/gen_county, seed = hub number, 60 points, 8 couriers) of ORDERS
# orders each, codes prefixed by hub (H07-...), merged into
# DIR/{hubs,points,couriers,orders}.csv, couriers posting to the endpoint
# on PORT. The same hub number gives the same hub in any province.
province_csvs() {
	local dir=$1 hubs=$2 orders=$3 port=$4 date=$5 h
	for h in $(seq 1 "$hubs"); do
		"$BUILD/tools/gen_county" --out "$dir/c$h" --seed "$h" --points 60 --orders "$orders" \
			--couriers 8 --date "$date" --vehicle-kg 3000 --vehicle-m3 20 >/dev/null
	done
	python3 - "$dir" "$hubs" "$port" <<'PY'
import csv, os, shutil, sys
tmp, hubs, port = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cols = {"hubs": [0], "points": [0, 2], "couriers": [0, 2], "orders": [0, 1]}
for kind, idx in cols.items():
    with open(os.path.join(tmp, kind + ".csv"), "w", newline="") as out:
        w = csv.writer(out)
        for h in range(1, hubs + 1):
            rows = list(csv.reader(open(os.path.join(tmp, "c%d" % h, kind + ".csv"))))
            if h == 1:
                w.writerow(rows[0])
            for r in rows[1:]:
                for i in idx:
                    r[i] = "H%02d-%s" % (h, r[i])
                if kind == "couriers":
                    r[7] = "http://127.0.0.1:%s/couriers/%s" % (port, r[0])
                w.writerow(r)
for h in range(1, hubs + 1):
    shutil.rmtree(os.path.join(tmp, "c%d" % h))
PY
}

# province_db NAME DIR: a new database NAME, migrated, with DIR's CSVs imported.
province_db() {
	local kind
	createdb "$1"
	PGDATABASE=$1 "$VCOURIER" db migrate >/dev/null
	for kind in hubs points couriers orders; do
		PGDATABASE=$1 "$VCOURIER" import "$kind" "$2/$kind.csv" >/dev/null
	done
}

# province_config FILE ITERATIONS: the bench's nightly config as
# $VCOURIER_CONFIG: plan_iterations ITERATIONS and plan_threads = 1 (every
# setting searches the same per hub), or with PROVINCE_BENCH_DEFAULTS=1
# nothing at all: the nightly defaults (the planner's own budget, cores / N
# search threads under --jobs N), as an operator runs it.
province_config() {
	export VCOURIER_CONFIG=$1
	if [ "${PROVINCE_BENCH_DEFAULTS:-0}" = 1 ]; then
		echo "# nightly defaults (PROVINCE_BENCH_DEFAULTS=1)" >"$1"
	else
		printf 'plan_iterations = %s\nplan_threads = 1\n' "$2" >"$1"
	fi
	chmod 600 "$1"
}

# province_settings: the config in words, for a table's heading.
province_settings() {
	if [ "${PROVINCE_BENCH_DEFAULTS:-0}" = 1 ]; then
		echo "nightly defaults: no plan_iterations, no plan_threads"
	else
		sed -n 's/^plan_iterations = //p' "$VCOURIER_CONFIG" | sed 's/.*/plan_iterations &, plan_threads 1/'
	fi
}

# bench_cleanup: a province bench's EXIT trap: the endpoint (ENDPOINT_PID)
# stopped, the databases in DBS dropped, TMP removed.
bench_cleanup() {
	local d
	if [ -n "${ENDPOINT_PID:-}" ]; then
		kill "$ENDPOINT_PID" 2>/dev/null || true
		wait "$ENDPOINT_PID" 2>/dev/null || true
	fi
	for d in "${DBS[@]}"; do dropdb --if-exists "$d" >/dev/null 2>&1 || true; done
	rm -rf "$TMP"
}
