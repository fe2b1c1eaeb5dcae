#!/bin/sh
# One parse and one layout per graph: `gradviz render GRAPH -o A.png -o
# A.svg ...` (what each batch child now runs) writes the same bytes as one
# `render` per format (SVG's Cairo ids included), batch's figures are those
# bytes, and the several-outputs form refuses what it cannot honour.
# Prints TAP.
set -u
G=${GRADVIZ:-gradviz}
SRC=${GDV_SRCDIR:-.}
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-one-layout.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; fi; }

echo "1..6"
mkdir -p "$T/alone" "$T/together"
same=0 total=0
for f in "$SRC"/examples/*.dot "$SRC"/examples/*.expr; do
  s=$(basename "${f%.*}")
  for x in png svg pdf dot; do "$G" render "$f" -o "$T/alone/$s.$x" 2>> "$T/err"; done
  "$G" render "$f" -o "$T/together/$s.png" -o "$T/together/$s.pdf" -o "$T/together/$s.dot" \
    -o "$T/together/$s.svg" 2>> "$T/err"
  for x in png svg pdf dot; do
    total=$((total + 1))
    cmp -s "$T/alone/$s.$x" "$T/together/$s.$x" && same=$((same + 1))
  done
done
check '[ $total -gt 0 ] && [ $same -eq $total ] && ! grep -v "render: note:" "$T/err" | grep -q .' \
  "render with four -o writes what four renders write ($same of $total the same)"
"$G" batch "$SRC/examples" -o "$T/batch" --formats png,svg,pdf,dot -j 2 2> "$T/batch.err"
rm -f "$T"/batch/.gradviz-batch*
check 'diff -r "$T/alone" "$T/batch" > /dev/null' "batch's figures are the bytes of one render per format"

"$G" render "$SRC/examples/chain.dot" -o "$T/a.png" -o "$T/a.txt" 2> "$T/e1"; rc=$?
check '[ $rc -eq 2 ] && grep -q "cannot tell the format of .*a.txt" "$T/e1" && [ ! -e "$T/a.png" ]' \
  "a second -o without a known suffix is a usage error (exit $rc), nothing written"
"$G" render "$SRC/examples/chain.dot" -o "$T/b.png" -o "$T/b.svg" --format png 2> "$T/e2"; rc=$?
check '[ $rc -eq 2 ] && grep -q "several -o take their format from their suffix" "$T/e2"' \
  "several -o with --format is a usage error (exit $rc)"
"$G" render "$SRC/examples/chain.dot" -o "$T/c.png" -o - 2> "$T/e3"; rc=$?
check '[ $rc -eq 2 ]' "a second -o of standard output is a usage error (exit $rc)"
"$G" render "$SRC/examples/chain.dot" -o "$T/1.png" -o "$T/2.svg" -o "$T/3.pdf" -o "$T/4.dot" \
  -o "$T/5.html" -o "$T/6.png" 2> "$T/e4"; rc=$?
check '[ $rc -eq 2 ] && grep -q "at most 5 -o" "$T/e4"' "more than five -o (one per format) is a usage error (exit $rc)"
[ $fails -eq 0 ]
