# Fuzzing, short run: every tests/fuzz/fuzz_*.c target replays its kept
# regression inputs (tests/fuzz/corpus/<target>/) and then fuzzes for about
# 20 s. The fuzz build has its own ASan+UBSan, so it runs once per suite:
# in the build-san pass it is not repeated (the same binaries would run).
. "$(dirname "$0")/../lib.sh"
case "${BUILD:-}" in
*build-san)
	note "fuzz targets already ran in this suite's first build pass; not repeated under $BUILD"
	exit 0
	;;
esac
command -v clang >/dev/null || fail "clang is needed for the fuzz targets (make deps installs it)"
sh "$ROOT/tests/fuzz/run.sh" short || fail "a fuzz target failed; see build-fuzz/crashes/"
