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
