#!/bin/sh
# valgrind over the commands people run: eval, check and stats of a few
# examples, render to PNG and SVG, and the default MNIST figure. Any
# invalid read or write, use of an uninitialised value, or definite leak
# fails; the libraries' own start-up caches (fontconfig, Cairo, Pango,
# GLib, Graphviz) are suppressed by tests/cli/valgrind.supp, never our code.
# About 20 s on two cores (two runs at once). Skipped when valgrind is not installed
# and in the sanitizer build.
# Prints TAP. GDV_VALGRIND_GEN=1 prints suppressions for what it finds.
set -u
G=${GRADVIZ:?}
SRC=${GDV_SRCDIR:?}
if ! command -v valgrind >/dev/null 2>&1; then
  echo "1..0 # SKIP valgrind is not installed (scripts/install-deps.sh installs it)"
  exit 0
fi
# AddressSanitizer and valgrind cannot run one process together; the
# sanitizer build checks memory by itself
if grep -q __asan_init "$G" 2>/dev/null; then
  echo "1..0 # SKIP gradviz is built with AddressSanitizer (valgrind cannot run it)"
  exit 0
fi
# vg NAME ARGS...: gradviz ARGS under valgrind, later: each run is a job
# (its name and arguments, one a line, in $T/N.job) and the jobs run
# JOBS at once (valgrind is slow and one-threaded) through xargs -P, each
# writing its TAP line and reasons to $T/N.tap, printed in order at the
# end. Exit 99 is valgrind's (only definite leaks count and show: Pango
# sorts fonts in a thread of its own, whose blocks may still be "possibly
# lost" when the program ends).
JOBS=${GDV_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
vg() {
  n=$((n + 1))
  printf '%s\n' "$@" >"$T/$n.job"
}
# vg_one N: runs job N
vg_one() {
  k=$1
  { IFS= read -r name; set --; while IFS= read -r a; do set -- "$@" "$a"; done; } <"$T/$k.job"
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite \
    --suppressions="$SRC/tests/cli/valgrind.supp" --num-callers=40 $gen \
    "$G" "$@" >"$T/$k.out" 2>"$T/$k.err"
  rc=$?
  if [ $rc = 99 ] || grep -q '^==[0-9]*== ' "$T/$k.err"; then
    { echo "not ok $k - valgrind: $name"; sed 's/^/# /' "$T/$k.err" | head -60; } >"$T/$k.tap"
  elif [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
    { echo "not ok $k - valgrind: $name (exit $rc)"; sed 's/^/# /' "$T/$k.err" | head -20; } >"$T/$k.tap"
  else
    echo "ok $k - valgrind: $name" >"$T/$k.tap"
  fi
  [ -n "$gen" ] && cat "$T/$k.err" >&2
}
# (xargs runs this script again with --job N: T and gen come from here)
if [ "${1:-}" = --job ]; then vg_one "$2"; exit 0; fi
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-valgrind.XXXXXX")
trap 'rm -rf "$T"' EXIT
n=0
gen=
[ "${GDV_VALGRIND_GEN:-}" = 1 ] && gen=--gen-suppressions=all

E=$SRC/examples
for g in neuron.expr x-squared.dot softmax-xent.expr; do
  vg "eval $g" eval "$E/$g"
  vg "check $g" check "$E/$g"
  vg "stats $g" stats "$E/$g" --no-timing
done
vg "eval --format json" eval "$E/fan-out.expr" --format json
# (net-2-2-1 here took 11 s: the planner measures each of its levels of
# detail; the neuron's groups take it through the same code in 3 s)
vg "render --layout columns with --dump-layout" render "$E/neuron.expr" --layout columns \
  -o "$T/cols.png" --dump-layout "$T/cols.json"
for g in neuron.expr ab-b1.dot; do
  vg "render $g to PNG" render "$E/$g" -o "$T/$g.png"
  vg "render $g to SVG" render "$E/$g" -o "$T/$g.svg"
done
vg "render --highlight to PDF" render "$E/ab-b1.dot" --highlight b -o "$T/f.pdf"
vg "render to annotated DOT" render "$E/weight-tying.dot" -o "$T/f.dot"
# a product of 9 factors: the parallel edges merged into one (gdv_parallel.c)
printf 'x = 1\np = x*x*x*x*x*x*x*x*x\nC = p + x\noutput C\n' >"$T/nine.expr"
vg "render merged parallel edges to SVG" render "$T/nine.expr" -o "$T/n.svg"
vg "render merged parallel edges to annotated DOT" render "$T/nine.expr" -o "$T/n.dot"
vg "mnist (default)" mnist -o "$T/m.png"
k=0
while [ "$k" -lt "$n" ]; do k=$((k + 1)); echo "$k"; done |
  T=$T gen=$gen xargs -P "$JOBS" -n 1 sh "$0" --job
k=0
while [ "$k" -lt "$n" ]; do
  k=$((k + 1))
  cat "$T/$k.tap" 2>/dev/null || echo "not ok $k - valgrind: job $k did not run"
done
echo "1..$n"
