#!/bin/sh
# valgrind over the commands people run: eval, check and stats of a few
# examples, render to PNG and SVG, and the default MNIST figure. Any
# invalid read or write, use of an uninitialised value, or definite leak
# fails; the libraries' own start-up caches (fontconfig, Cairo, Pango,
# GLib, Graphviz) are suppressed by tests/valgrind.supp, never our code.
# About a minute on two cores. Skipped when valgrind is not installed
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
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-valgrind.XXXXXX")
trap 'rm -rf "$T"' EXIT
n=0
gen=
[ "${GDV_VALGRIND_GEN:-}" = 1 ] && gen=--gen-suppressions=all

# vg NAME ARGS...: gradviz ARGS under valgrind; exit 99 is valgrind's (only
# definite leaks count and show: Pango sorts fonts in a thread of its own,
# whose blocks may still be "possibly lost" when the program ends)
vg() {
  name=$1; shift
  n=$((n + 1))
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite \
    --suppressions="$SRC/tests/valgrind.supp" --num-callers=40 $gen \
    "$G" "$@" >"$T/out" 2>"$T/err"
  rc=$?
  if [ $rc = 99 ] || grep -q '^==[0-9]*== ' "$T/err"; then
    echo "not ok $n - valgrind: $name"
    sed 's/^/# /' "$T/err" | head -60
  elif [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
    echo "not ok $n - valgrind: $name (exit $rc)"
    sed 's/^/# /' "$T/err" | head -20
  else
    echo "ok $n - valgrind: $name"
  fi
  [ -n "$gen" ] && cat "$T/err" >&2
}

E=$SRC/examples
for g in neuron.expr x-squared.dot softmax-xent.expr; do
  vg "eval $g" eval "$E/$g"
  vg "check $g" check "$E/$g"
  vg "stats $g" stats "$E/$g" --no-timing
done
vg "eval --format json" eval "$E/fan-out.expr" --format json
for g in neuron.expr ab-b1.dot; do
  vg "render $g to PNG" render "$E/$g" -o "$T/f.png"
  vg "render $g to SVG" render "$E/$g" -o "$T/f.svg"
done
vg "render --highlight to PDF" render "$E/ab-b1.dot" --highlight b -o "$T/f.pdf"
vg "render to annotated DOT" render "$E/weight-tying.dot" -o "$T/f.dot"
vg "render --layout columns with --dump-layout" render "$E/net-2-2-1.expr" --layout columns \
  -o "$T/f.png" --dump-layout "$T/f.json"
# a product of 9 factors: the parallel edges merged into one (gdv_parallel.c)
printf 'x = 1\np = x*x*x*x*x*x*x*x*x\nC = p + x\noutput C\n' >"$T/nine.expr"
vg "render merged parallel edges to SVG" render "$T/nine.expr" -o "$T/n.svg"
vg "render merged parallel edges to annotated DOT" render "$T/nine.expr" -o "$T/n.dot"
vg "mnist (default)" mnist -o "$T/m.png"
echo "1..$n"
