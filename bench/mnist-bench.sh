#!/bin/sh
# mnist-bench.sh GRADVIZ SRCDIR: prints `bench: NAME VALUE UNIT` lines:
#   seconds per training epoch over 8,000 digits (the real ones when
#   $MNIST_DIR or SRCDIR/data/mnist holds them, as scripts/fetch-mnist.sh
#   writes; otherwise the 100 committed real test digits repeated 80 times),
#   and whole-process seconds for `mnist --show-units all --page none` (its
#   own size: on a slide page it is refused) to PNG and SVG,
#   the unit view (target: 3 s each) and the whole scalar graph
#   (--expand scalar: 48,577 nodes, 71,582 edges).
set -eu
GRADVIZ=$1
SRCDIR=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-mnist-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
now() { date +%s.%N; }
# CPU seconds (user + system) of all children so far, from `times`: the
# machine may be shared, so CPU time is printed beside wall time.
# (`times` must run in this shell, not in a $(...) subshell.)
cpu() { awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); s += a[1] * 60 + a[2] } printf "%.3f", s }' "$1"; }

dir=${MNIST_DIR:-$SRCDIR/data/mnist}
if [ -r "$dir/train-images-idx3-ubyte" ] && [ -r "$dir/train-labels-idx1-ubyte" ]; then
  img=$dir/train-images-idx3-ubyte lab=$dir/train-labels-idx1-ubyte what=real
else
  ex=$SRCDIR/examples/mnist
  printf '\000\000\010\003\000\000\037\100\000\000\000\034\000\000\000\034' >"$T/img"
  printf '\000\000\010\001\000\000\037\100' >"$T/lab"
  tail -c +17 "$ex/test100-images-idx3-ubyte" >"$T/img100"
  tail -c +9 "$ex/test100-labels-idx1-ubyte" >"$T/lab100"
  i=0
  while [ $i -lt 80 ]; do
    cat "$T/img100" >>"$T/img"
    cat "$T/lab100" >>"$T/lab"
    i=$((i + 1))
  done
  img=$T/img lab=$T/lab what=repeated
fi
times >"$T/c0"
"$GRADVIZ" train --epochs 1 --train-images "$img" --train-labels "$lab" \
  -o "$T/w.txt" >/dev/null 2>"$T/err"
times >"$T/c1"
c0=$(cpu "$T/c0") c1=$(cpu "$T/c1")
secs=$(sed -n 's/.*epoch 1\/1: 8000 digits in \([0-9.]*\) s.*/\1/p' "$T/err")
echo "bench: mnist-train-epoch-8000-$what ${secs:-?} s"
echo "bench: mnist-train-epoch-8000-$what-cpu $(awk "BEGIN { printf \"%.2f\", $c1 - $c0 }") s"

for view in units scalar; do
  name=mnist-show-units-all
  [ $view = scalar ] && name=mnist-scalar-all
  for fmt in png svg; do
    t0=$(now)
    times >"$T/c0"
    "$GRADVIZ" mnist --show-units all --expand $view --page none -o "$T/all.$fmt" >/dev/null
    times >"$T/c1"
    c0=$(cpu "$T/c0") c1=$(cpu "$T/c1")
    t1=$(now)
    echo "bench: $name-$fmt $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s"
    echo "bench: $name-$fmt-cpu $(awk "BEGIN { printf \"%.2f\", $c1 - $c0 }") s"
  done
done

# issue 11: the default figure on its slide page (layout to fit, the sums
# and badges placed) against the same figure at its own size, best of 3
for page in none slide; do
  best=
  for k in 1 2 3; do
    t0=$(now)
    "$GRADVIZ" mnist --page $page -o "$T/default-$page.png" >/dev/null
    t1=$(now)
    t=$(awk "BEGIN { printf \"%.3f\", $t1 - $t0 }")
    best=$(awk -v a="$t" -v b="${best:-1e9}" 'BEGIN { print (a < b) ? a : b }')
  done
  echo "bench: mnist-default-page-$page $best s"
done
