#!/bin/sh
# The speed-up of `gradviz batch -j 2` over `-j 1` on the examples (all
# formats, --force so every figure is drawn). The machine may be shared, so
# the two are run in turn, 4 rounds, and the best time of each is kept.
# Prints `bench: batch-speedup-j2 X x` and the time per figure.
set -eu
G=$1
SRC=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
one() {
  s=$(date +%s.%N)
  "$G" batch "$SRC/examples" -o "$T/out" -j "$1" --force --formats png,svg,pdf 2>/dev/null
  e=$(date +%s.%N)
  echo "$s $e" | awk '{print $2 - $1}'
}
t1=
t2=
for round in 1 2 3 4; do
  a=$(one 1)
  b=$(one 2)
  t1=$(echo "$a ${t1:-$a}" | awk '{print ($1 < $2) ? $1 : $2}')
  t2=$(echo "$b ${t2:-$b}" | awk '{print ($1 < $2) ? $1 : $2}')
done
n=$(ls "$SRC"/examples/*.dot "$SRC"/examples/*.expr | wc -l)
awk -v t1="$t1" -v t2="$t2" -v n="$n" 'BEGIN {
  printf "bench: batch-j1-per-figure %.1f ms\n", 1000 * t1 / (3 * n);
  printf "bench: batch-j2-per-figure %.1f ms\n", 1000 * t2 / (3 * n);
  printf "bench: batch-speedup-j2 %.2f x\n", t1 / t2 }'
