#!/bin/sh
# crashes.sh: inputs that crashed or ran away before, through the real
# binary. Each must end with one line on stderr and the contract's status.
# Prints TAP.
: "${GRADVIZ:?set GRADVIZ to the built binary}"
: "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}"

work=$(mktemp -d "${TMPDIR:-/tmp}/gdv-crashes.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99

. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
diag() { head -n 20 "$@" | sed 's/^/# /'; }

# fails NAME STATUS 'STDERR' ARGS...: gradviz ARGS exits STATUS and prints
# exactly the one line STDERR.
fails() {
  name=$1 status=$2 want=$3
  shift 3
  "$GRADVIZ" "$@" >out.txt 2>err.txt
  got=$?
  if [ "$got" -eq "$status" ] && [ "$(cat err.txt)" = "$want" ] &&
     [ "$(wc -l <err.txt)" -eq 1 ]; then
    ok "$name"
  else
    not_ok "$name"
    echo "# exit $got (want $status); stderr:"
    diag err.txt
    echo "# want: $want"
  fi
}

# ---- DOT: a quoted string where the graph should start (was SIGSEGV) ------
printf '""' >empty-quotes
fails "eval of the two bytes \"\"" 2 \
  "gradviz: empty-quotes:1: expected 'digraph', found a quoted string" eval empty-quotes
printf '"' >lone-quote
fails "eval of the single byte \"" 2 \
  "gradviz: lone-quote:1: expected 'digraph', found a quoted string" eval lone-quote
printf 'digraph { "" [value=1] }\n' >empty-name.dot
"$GRADVIZ" eval empty-name.dot >out.txt 2>err.txt
got=$?
if [ "$got" -le 2 ] && [ "$(wc -l <err.txt)" -le 1 ]; then
  ok "a node named \"\" is no crash (exit $got)"
else
  not_ok "a node named \"\" is no crash"; echo "# exit $got"; diag err.txt
fi

# ---- train: a run that overflows stops, and writes no non-finite weight ---
# Tiny 2x2 images and a 4-2 relu network from huge starting weights: the
# first mini-batch overflows (the chapter's eta, 3, with relu units did the
# same on real digits). Training prints a summary line first, so the error
# is the last line.
# last_line_fails NAME STATUS 'LAST STDERR LINE' ARGS...
last_line_fails() {
  name=$1 status=$2 want=$3
  shift 3
  "$GRADVIZ" "$@" >out.txt 2>err.txt
  got=$?
  if [ "$got" -eq "$status" ] && [ "$(tail -n 1 err.txt)" = "$want" ]; then
    ok "$name"
  else
    not_ok "$name"; echo "# exit $got (want $status); stderr:"; diag err.txt
    echo "# want: $want"
  fi
}
# weights FILE BIAS WEIGHT: a 4-2 relu network with every bias and weight set.
weights() {
  {
    echo "gradviz-weights 1 layers 4,2 activation relu cost quadratic"
    echo "layer 1 biases"; echo "$2 $2"
    echo "layer 1 weights"; echo "$3 $3 $3 $3"; echo "$3 $3 $3 $3"
  } >"$1"
}
# Two 2x2 images (the first blank, the second white), labels 1 and 0.
printf '\000\000\010\003\000\000\000\002\000\000\000\002\000\000\000\002\000\000\000\000\377\377\377\377' >img
printf '\000\000\010\001\000\000\000\002\001\000' >lab
weights huge.txt 1e300 1e300
last_line_fails "a cost that overflows stops training, naming epoch and batch" 2 \
  "gradviz: train: epoch 1, batch 1 of 1: the cost became inf or nan (training diverged); try a smaller --eta than 3" \
  train --layers 4,2 --activation relu --weights huge.txt --train-images img --train-labels lab \
  --batch 2 --epochs 2 -o w.txt
if [ ! -e w.txt ]; then ok "no weights file after divergence"
else not_ok "no weights file after divergence"; grep -c -i 'nan\|inf' w.txt | sed 's/^/# lines with inf or nan: /'; fi
weights ones.txt 1 1
last_line_fails "a weight that overflows stops training" 2 \
  "gradviz: train: epoch 1, batch 1 of 1: a weight became inf or nan (training diverged); try a smaller --eta than 1e+308" \
  train --layers 4,2 --activation relu --weights ones.txt --train-images img --train-labels lab \
  --batch 2 --epochs 1 --eta 1e308 -o w.txt
[ ! -e w.txt ] && ok "no weights file after a weight overflowed" || not_ok "no weights file after a weight overflowed"
# Seed 4 shuffles the blank image first: only the second batch overflows.
weights big.txt 0 1e160
last_line_fails "the mini-batch that overflows is the one named" 2 \
  "gradviz: train: epoch 1, batch 2 of 2: the cost became inf or nan (training diverged); try a smaller --eta than 3" \
  train --layers 4,2 --activation relu --weights big.txt --train-images img --train-labels lab \
  --batch 1 --epochs 1 --seed 4 -o w.txt
# A run that stays finite still saves its weights.
"$GRADVIZ" train --layers 4,2 --activation relu --weights ones.txt --train-images img \
  --train-labels lab --batch 2 --epochs 1 --eta 0.1 -o w.txt >out.txt 2>err.txt
if [ $? -eq 0 ] && [ -s w.txt ] && ! grep -q -i 'nan\|inf' w.txt; then
  ok "a run that stays finite saves finite weights"
else
  not_ok "a run that stays finite saves finite weights"; diag err.txt
fi

echo "1..$n"
