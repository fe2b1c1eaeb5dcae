#!/bin/sh
# The speed-up of `gradviz batch -j 2` over `-j 1` on the examples (all
# formats, --force so every figure is drawn). Best of 3 runs each, since the
# machine is shared. Prints `bench: batch-speedup-j2 X x` and the times.
set -eu
G=$1
SRC=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
best() {
  b=
  for r in 1 2 3; do
    s=$(date +%s.%N)
    "$G" batch "$SRC/examples" -o "$T/out" -j "$1" --force --formats png,svg,pdf 2>/dev/null
    e=$(date +%s.%N)
    b=$(echo "$s $e ${b:-}" | awk '{t = $2 - $1; if ($3 == "" || t < $3) print t; else print $3}')
  done
  echo "$b"
}
t1=$(best 1)
t2=$(best 2)
n=$(ls "$SRC"/examples/*.dot "$SRC"/examples/*.expr | wc -l)
awk -v t1="$t1" -v t2="$t2" -v n="$n" 'BEGIN {
  printf "bench: batch-j1-per-figure %.1f ms\n", 1000 * t1 / (3 * n);
  printf "bench: batch-j2-per-figure %.1f ms\n", 1000 * t2 / (3 * n);
  printf "bench: batch-speedup-j2 %.2f x\n", t1 / t2 }'
