#!/bin/sh
# The speed-up of `gradviz batch -j 2` over `-j 1` on the examples (all
# formats, --force so every figure is drawn). The machine may be shared, so
# the runs take turns, 4 rounds, and the best time of each kind is kept.
# Besides the speed-up it prints the ceiling the machine allowed at that
# moment: two independent `-j 1` batches at once against one after the other
# (the same work, perfectly parallel), so a low speed-up on a busy machine
# can be told from a scheduler that does not keep two workers busy.
set -eu
G=$1
SRC=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
now() { date +%s.%N; }
batch() { "$G" batch "$SRC/examples" -o "$T/$1" -j "$2" --force --formats png,svg,pdf 2>/dev/null; }
min() { echo "$1 ${2:-$1}" | awk '{print ($1 < $2) ? $1 : $2}'; }
t1= t2= tpair= tseq=
for round in 1 2 3 4; do
  s=$(now); batch a 1; e=$(now); t1=$(min "$(echo "$s $e" | awk '{print $2 - $1}')" "$t1")
  s=$(now); batch a 2; e=$(now); t2=$(min "$(echo "$s $e" | awk '{print $2 - $1}')" "$t2")
  s=$(now); batch a 1 & batch b 1; wait; e=$(now)
  tpair=$(min "$(echo "$s $e" | awk '{print $2 - $1}')" "$tpair")
done
n=$(ls "$SRC"/examples/*.dot "$SRC"/examples/*.expr | wc -l)
awk -v t1="$t1" -v t2="$t2" -v tp="$tpair" -v n="$n" 'BEGIN {
  printf "bench: batch-j1-per-figure %.1f ms\n", 1000 * t1 / (3 * n);
  printf "bench: batch-j2-per-figure %.1f ms\n", 1000 * t2 / (3 * n);
  printf "bench: batch-speedup-j2 %.2f x\n", t1 / t2;
  printf "bench: batch-machine-ceiling-j2 %.2f x\n", 2 * t1 / tp }'
