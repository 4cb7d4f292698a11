# Fuzzing, short run: every tests/fuzz/fuzz_*.c target replays its kept
# regression inputs (tests/fuzz/corpus/<target>/) and then fuzzes for about
# 20 s. The fuzz build has its own ASan+UBSan, so it runs once per suite:
# in the build-san pass it is not repeated (the same binaries would run)
# and says so with exit 77, which tests/run.sh counts as skipped, never as
# passed. A run in which no target executed a single input fails.
. "$(dirname "$0")/../lib.sh"
case "${BUILD:-}" in
*build-san)
	note "fuzz targets already ran in this suite's first build pass; not repeated under $BUILD"
	exit 77
	;;
esac
command -v clang >/dev/null || fail "clang is needed for the fuzz targets (make deps installs it)"
out=$(sh "$ROOT/tests/fuzz/run.sh" short) || fail "a fuzz target failed; see build-fuzz/crashes/: $out"
echo "$out"
targets=$(ls "$ROOT"/tests/fuzz/fuzz_*.c | wc -l)
[ "$targets" -ge 1 ] || fail "no fuzz target found"
ran=$(grep -c "number_of_executed_units: *[1-9]" <<<"$out" || true)
assert_eq "$ran" "$targets" "fuzz targets that executed inputs"
