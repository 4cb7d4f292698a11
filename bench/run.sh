#!/bin/sh
# bench/run.sh BUILD: `make bench`. Starts a private PostgreSQL, runs every
# bench/bench_*.sh (each prints rows of one markdown table section) and
# tears the server down. Numbers are measurements, never pass/fail.
# BENCH=SUBSTRING runs only the scripts whose name holds it
# (BENCH=bench_province.sh: the province night alone).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 70
BUILD=${1:-build}
. tests/pg.sh
trap 'pg_stop' EXIT
trap 'exit 130' INT TERM HUP
pg_start || exit 69
export VCOURIER="$ROOT/$BUILD/vcourier" BUILD="$ROOT/$BUILD"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}')"
for b in bench/bench_*.sh; do
	[ -f "$b" ] || continue
	case "$b" in *"${BENCH:-}"*) ;; *) continue ;; esac # BENCH=NAME: only those
	bash "$b" || echo "($b failed with exit $?)"
	echo
done
