#!/bin/sh
# One parse and one layout per graph: `gradviz batch --formats png,svg,pdf`
# over the examples (-j 1, --force, so every figure is drawn) against the
# way batch worked before, a child per figure that parsed and laid the
# graph out again for each format, reproduced here as three one-format
# batches (png, then svg, then pdf: three children per graph, each parsing
# and laying out, exactly the old work). Both run here, taking turns, two
# rounds, best time of each kind. Target: a speed-up of at least 1.8.
set -eu
G=$1
SRC=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-bench-formats.XXXXXX")
trap 'rm -rf "$T"' EXIT
now() { date +%s.%N; }
min() { echo "$1 ${2:-$1}" | awk '{print ($1 < $2) ? $1 : $2}'; }
batch() { "$G" batch "$SRC/examples" -o "$T/$1" -j 1 --force --formats "$2" 2>/dev/null; }
told= tnew=
for round in 1 2; do
  s=$(now); batch old png; batch old svg; batch old pdf; e=$(now)
  told=$(min "$(echo "$s $e" | awk '{print $2 - $1}')" "$told")
  s=$(now); batch new png,svg,pdf; e=$(now)
  tnew=$(min "$(echo "$s $e" | awk '{print $2 - $1}')" "$tnew")
done
n=$(ls "$SRC"/examples/*.dot "$SRC"/examples/*.expr | wc -l)
awk -v to="$told" -v tn="$tnew" -v n="$n" 'BEGIN {
  printf "bench: batch-3-formats-per-format-path %.1f ms/graph\n", 1000 * to / n;
  printf "bench: batch-3-formats-one-layout %.1f ms/graph\n", 1000 * tn / n;
  printf "bench: batch-3-formats-speedup %.2f x\n", to / tn }'
