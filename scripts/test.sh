#!/bin/sh
# Runs every test the project has, the way CI does: a normal build with
# `make check-full` (both tiers of tests: Makefile.am), a build with
# AddressSanitizer and UndefinedBehaviorSanitizer with `make check-full`
# (warnings as errors), `make distcheck-quick` (the
# tarball holds every tracked file, builds, installs, and passes a few
# tests from its unpacked tree: Makefile.am says which), two builds that
# must give the same bytes, and (when clang is there) a short run
# of every fuzzer (`make fuzz-smoke`). Builds in build/normal (shared with
# scripts/setup.sh, so after it little is left to compile) and
# build/sanitize, never in the source folder. Prints the counts of each
# suite and ends with `tests: N passed, M failed`. Exit status 0 only if all
# passed. Safe to run again.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
jobs=$(nproc 2>/dev/null || echo 2)
failed_steps=0
log=build/test-logs
mkdir -p build/normal build/sanitize "$log"

# Runs a step quietly into a log; on failure shows the log's tail.
step() {
  name=$1; shift
  echo "== $name"
  t0=$(date +%s)
  if ! "$@" >"$log/$name.log" 2>&1; then
    echo "!! $name failed after $(($(date +%s) - t0)) s; the end of $log/$name.log:"
    tail -n 40 "$log/$name.log"
    failed_steps=$((failed_steps + 1))
    return 1
  fi
  echo "   $name: $(($(date +%s) - t0)) s"
  return 0
}

# A source folder configured in place (an older setup.sh, or by hand)
# makes every VPATH build stop at "source directory already configured".
if [ -f config.status ]; then
  echo "== the source folder is configured in place; cleaning it (make distclean) so builds go to build/"
  make distclean >"$log/distclean-in-place.log" 2>&1 || rm -f config.status Makefile config.h
fi
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
  step autoreconf autoreconf -fi
fi
if [ ! -f build/normal/Makefile ]; then
  step configure sh -c "cd build/normal && ../../configure"
fi
step build sh -c "cd build/normal && make -j$jobs"
step check sh -c "cd build/normal && make -j$jobs check-full"
if [ ! -f build/sanitize/Makefile ]; then
  step configure-sanitize sh -c "cd build/sanitize && ../../configure --enable-sanitizers --enable-werror"
fi
step check-sanitize sh -c "cd build/sanitize && make -j$jobs check-full"
step distcheck sh -c "cd build/normal && make -j$jobs distcheck-quick"
# Two builds in different folders give the same binary; the tool builds
# without Check; -Werror only with --enable-werror.
step check-reproducible sh -c "cd build/normal && make check-reproducible"
if command -v clang >/dev/null 2>&1; then
  step fuzz-smoke sh -c "cd build/normal && make fuzz-smoke FUZZ_SECONDS=8"
  grep '^fuzz [a-z]*:' "$log/fuzz-smoke.log"
fi

# Counts every test case (TAP line) of both builds, suite by suite.
passed=0
failed=0
for build in normal sanitize; do
  for trs in $(find "build/$build/tests" -name '*.trs' 2>/dev/null | sort); do
    p=$(grep -c '^:test-result: \(PASS\|XFAIL\|SKIP\)' "$trs")
    f=$(grep -c '^:test-result: \(FAIL\|XPASS\|ERROR\)' "$trs")
    suite=${trs#build/}
    printf '%-50s %5d passed, %d failed\n' "${suite%.trs}" "$p" "$f"
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -gt 0 ]; then
      grep -E '^(not ok|Bail out)' "${trs%.trs}.log" | head -n 20
    fi
  done
done
if [ "$failed_steps" -gt 0 ]; then
  echo "$failed_steps build or test step(s) failed (see above)"
fi
echo "tests: $passed passed, $((failed + failed_steps)) failed"
[ "$failed" -eq 0 ] && [ "$failed_steps" -eq 0 ]
