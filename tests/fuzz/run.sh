#!/bin/sh
# tests/fuzz/run.sh short|long: build every tests/fuzz/fuzz_*.c with clang
# (libFuzzer + ASan + UBSan) against the library sources, compiled by clang
# into build-fuzz/, and run each target:
#   short  about 20 s per target (make test, via test_fuzz_short.sh), after
#          replaying the kept inputs of tests/fuzz/corpus/<target>/;
#   long   FUZZ_SECONDS (default 600) per target (make fuzz); new inputs go
#          to build-fuzz/corpus/<target>/.
# A crash leaves its input in build-fuzz/crashes/ and fails the run: fix the
# bug, then copy the input into tests/fuzz/corpus/<target>/ as a regression.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
MODE=${1:-short}
case "$MODE" in
short) SECONDS_PER=${FUZZ_SECONDS:-20} ;;
long) SECONDS_PER=${FUZZ_SECONDS:-600} ;;
*) echo "usage: tests/fuzz/run.sh short|long" >&2; exit 64 ;;
esac
OUT=build-fuzz
CC=${FUZZ_CC:-clang}
FLAGS="-g -O1 -std=c11 -D_GNU_SOURCE -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -Ipkg -I$OUT $(pkg-config --cflags libpq libcurl zlib jansson libcrypto libqrencode cbc)"
LIBS="$(pkg-config --libs libpq libcurl zlib jansson libcrypto libqrencode cbc) -lm -lpthread"
mkdir -p "$OUT/obj" "$OUT/crashes"
make -s BUILD="$OUT" version-header

# The library, rebuilt only where a source or any header is newer.
newest_h=$(ls -t pkg/*/*.h | head -n 1)
objs=""
for src in pkg/*/*.c; do
	obj="$OUT/obj/$(echo "$src" | tr '/' '_' | sed 's/\.c$/.o/')"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_h" -nt "$obj" ] || [ "$0" -nt "$obj" ]; then
		$CC $FLAGS -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
	fi
	objs="$objs $obj"
done
rm -f "$OUT/libvcourier-fuzz.a"
ar rcs "$OUT/libvcourier-fuzz.a" $objs

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
for src in tests/fuzz/fuzz_*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	bin="$OUT/$name"
	$CC $FLAGS -fsanitize=fuzzer "$src" "$OUT/libvcourier-fuzz.a" $LIBS -o "$bin"
	kept="tests/fuzz/corpus/$name"
	mkdir -p "$kept" "$OUT/corpus/$name"
	if [ "$MODE" = short ]; then
		# New inputs go to a scratch folder; the kept corpus is read only.
		work=$(mktemp -d /tmp/vcourier-fuzz.XXXXXX)
		dirs="$work $kept"
	else
		work=""
		dirs="$OUT/corpus/$name $kept"
	fi
	# Per-target libFuzzer flags (e.g. -max_len=) may be given in
	# tests/fuzz/<target>.options; later flags win.
	extra=""
	[ -f "tests/fuzz/$name.options" ] && extra=$(cat "tests/fuzz/$name.options")
	echo "fuzz: $name for ${SECONDS_PER}s (corpus: $kept, $(ls "$kept" | wc -l) inputs)"
	# -rss_limit_mb: each input is small; anything near the limit is a bug.
	if ! "$bin" -max_total_time="$SECONDS_PER" -timeout=10 -rss_limit_mb=1024 -max_len=200000 \
		-print_final_stats=1 -artifact_prefix="$OUT/crashes/$name-" $extra $dirs >"$OUT/$name.log" 2>&1; then
		echo "fuzz: $name FAILED (input in $OUT/crashes/):"
		grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$OUT/$name.log" | head -n 20
		status=1
	else
		grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$OUT/$name.log" | sed "s/^/fuzz: $name /"
	fi
	[ -n "$work" ] && rm -rf "$work"
done
exit $status
