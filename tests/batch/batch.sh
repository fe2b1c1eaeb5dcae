#!/bin/sh
# `gradviz batch`: every example in three formats with a broken file among
# them, mirrored folders, up-to-date skipping, --force, bad usage, and an
# interrupted batch leaving no partial file. Prints TAP.
set -u
G=${GRADVIZ:-gradviz}
SRC=${GDV_SRCDIR:-.}
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-batch.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; fi; }

echo "1..30"
mkdir -p "$T/in/sub"
cp "$SRC"/examples/*.dot "$SRC"/examples/*.expr "$T/in/"
mv "$T/in/chain.dot" "$T/in/sub/chain.dot"
printf 'digraph {\n  a [value=1];\n  b [op=add\n  a -> b;\n}\n' > "$T/in/broken.dot"
echo "not a graph" > "$T/in/notes.txt"
n_good=$(ls "$SRC"/examples/*.dot "$SRC"/examples/*.expr | wc -l)

"$G" batch "$T/in" -o "$T/out" -j 2 --formats png,svg,pdf > "$T/stdout" 2> "$T/err"
rc=$?
check '[ $rc -eq 1 ]' "a batch with a broken file exits 1 (got $rc)"
check 'grep -q "^failed: $T/in/broken.dot (png)\$" "$T/err"' "the summary names the broken file"
check 'grep -q "^  gradviz: $T/in/broken.dot:[0-9][0-9]*: " "$T/err"' "the summary quotes the child's error line"
check 'grep -q "graphs: $n_good drawn, 0 up to date, 1 failed" "$T/err"' "every other graph is drawn ($n_good)"
good=0
for f in "$SRC"/examples/*.dot "$SRC"/examples/*.expr; do
  b=$(basename "$f"); s=${b%.*}
  d="$T/out"; [ "$s" = chain ] && d="$T/out/sub"
  for x in png svg pdf; do [ -s "$d/$s.$x" ] && good=$((good + 1)); done
done
check '[ $good -eq $((3 * n_good)) ]' "all $((3 * n_good)) figures exist ($good)"
check '[ -s "$T/out/sub/chain.png" ] && [ ! -e "$T/out/chain.png" ]' "the output mirrors the folders"
check '[ "$(head -c 8 "$T/out/neuron.png" | od -An -c | tr -d " ")" = "211PNG\r\n032\n" ]' "PNG files are PNG"
check 'head -c 5 "$T/out/neuron.pdf" | grep -q "%PDF-"' "PDF files are PDF"
check 'grep -q "<svg" "$T/out/neuron.svg"' "SVG files are SVG"
check '[ ! -e "$T/out/broken.png" ] && [ ! -e "$T/out/notes.png" ]' "no figure for the broken file or a non-graph"
check '[ -z "$(find "$T/out" -name "*.tmp")" ]' "no temporary left"
lines=$(grep -c '^\[ *[0-9]*/[0-9]*\] ' "$T/err")
check '[ $lines -eq $((n_good + 1)) ]' "one progress line per graph when stderr is not a terminal ($lines)"

# Up to date: nothing redrawn, files untouched.
before=$(stat -c %Y.%y "$T/out/neuron.png")
sleep 1
"$G" batch "$T/in" -o "$T/out" -j 2 --formats png,svg,pdf 2> "$T/err2"
rc=$?
check '[ $rc -eq 1 ] && grep -q "0 drawn, $n_good up to date, 1 failed" "$T/err2"' "a second run skips figures newer than their graph"
check '[ "$(stat -c %Y.%y "$T/out/neuron.png")" = "$before" ]' "skipped figures are untouched"
touch "$T/in/neuron.expr"
"$G" batch "$T/in" -o "$T/out" --formats png,svg,pdf 2> "$T/err3"
check 'grep -q "1 drawn, $((n_good - 1)) up to date" "$T/err3"' "a touched graph is redrawn"
rm "$T/in/broken.dot"
"$G" batch "$T/in" -o "$T/out" -j 1 --force --formats svg 2> "$T/err4"
rc=$?
check '[ $rc -eq 0 ] && grep -q "$n_good drawn, 0 up to date, 0 failed" "$T/err4"' "--force redraws everything, exit 0 without failures"

# An output folder inside the input folder is not read back: DOT figures
# there would otherwise become inputs of the next run.
mkdir -p "$T/self"
cp "$SRC/examples/chain.dot" "$T/self/"
"$G" batch "$T/self" -o "$T/self/out" --formats dot 2> /dev/null
"$G" batch "$T/self" -o "$T/self/out" --formats dot 2> "$T/e"; rc=$?
check '[ $rc -eq 0 ] && grep -q "1 graph: 0 drawn, 1 up to date" "$T/e"' "the output folder is not an input"

# On a terminal: a bar redrawn in place instead of one line per graph.
if command -v script > /dev/null 2>&1; then
  script -qec "'$G' batch '$SRC/examples' -o '$T/tty' -j 2" "$T/typescript" > /dev/null 2>&1
  bars=$(tr '\r' '\n' < "$T/typescript" | grep -c '^.\[K\[[#.]*\] [0-9]*/[0-9]* ')
  check '[ $bars -eq $n_good ] && ! grep -q "^\[ *1/" "$T/typescript"' "a progress bar on a terminal ($bars redraws)"
else
  n=$((n + 1)); echo "ok $n # SKIP no script(1) to make a terminal"
fi

# Bad usage.
"$G" batch "$T/in" 2> "$T/e"; rc=$?
check '[ $rc -eq 2 ] && grep -q "^gradviz: batch: needs an output folder" "$T/e"' "no -o is a usage error"
"$G" batch "$T/nothere" -o "$T/o2" 2> "$T/e"; rc=$?
check '[ $rc -eq 2 ] && grep -q "^gradviz: $T/nothere: No such file" "$T/e"' "a missing path is exit 2"
cp "$SRC/examples/neuron.expr" "$T/in/ab-b1.expr"
"$G" batch "$T/in" -o "$T/o3" 2> "$T/e"; rc=$?
check '[ $rc -eq 2 ] && grep -q "would overwrite" "$T/e" && [ ! -e "$T/o3" ]' "two graphs with one output name are refused before drawing"
rm "$T/in/ab-b1.expr"
"$G" batch "$T/in" -o "$T/o4" --formats png,jpg 2> "$T/e"; rc=$?
check '[ $rc -eq 2 ] && grep -q "^gradviz: batch: unknown format .jpg. in --formats (png, svg, pdf, dot, html, gif, tex)" "$T/e"' \
  "an unknown format is a usage error"

# the steps as a GIF and as a TikZ picture: the bytes render writes, and
# --dpi recorded for the GIF (its frames' pixels) but not for the TikZ
mkdir -p "$T/gin" && cp "$SRC/examples/neuron.expr" "$T/gin/"
"$G" batch "$T/gin" -o "$T/gout" --formats gif,tex --dpi 72 2> "$T/ge"; rc=$?
"$G" render "$T/gin/neuron.expr" -o "$T/n.gif" -o "$T/n.tex" --dpi 72 2> /dev/null
check '[ $rc -eq 0 ] && cmp -s "$T/gout/neuron.gif" "$T/n.gif" && cmp -s "$T/gout/neuron.tex" "$T/n.tex"' \
  "--formats gif,tex: the animated steps and the TikZ picture render draws (exit $rc)"
check 'head -c 6 "$T/gout/neuron.gif" | grep -q GIF89a && grep -q "begin{tikzpicture}" "$T/gout/neuron.tex"' \
  "... a GIF89a and a tikzpicture"
check 'grep -q "^neuron.gif	.*dpi=72" "$T/gout/.gradviz-batch" && grep "^neuron.tex	" "$T/gout/.gradviz-batch" | grep -vq "dpi="' \
  "... the manifest records --dpi for the GIF only"

# --expand reaches every child and the manifest: a change redraws.
mkdir -p "$T/xin" && cp "$SRC/examples/net-2-2-1.expr" "$T/xin/"
"$G" batch "$T/xin" -o "$T/xout" > /dev/null 2>&1
"$G" render "$T/xin/net-2-2-1.expr" --expand none -o "$T/xnone.png" 2> /dev/null
"$G" batch "$T/xin" -o "$T/xout" --expand none > /dev/null 2> "$T/xe"
check 'grep -q "1 drawn, 0 up to date" "$T/xe" && cmp -s "$T/xout/net-2-2-1.png" "$T/xnone.png"' \
  "--expand none redraws with every group collapsed"
check 'grep -q "	style=- show=- expand=none precision=- dpi=-" "$T/xout/.gradviz-batch"' \
  "the manifest records --expand"
"$G" batch "$T/xin" -o "$T/xout" --expand nosuch > /dev/null 2> "$T/xe"
rc=$?
check '[ $rc -eq 1 ] && grep -q "no group named .nosuch." "$T/xe"' "an unknown group fails that graph (exit $rc)"

# Interrupted: many inputs, one at a time, SIGINT half way.
mkdir -p "$T/many"
i=0
while [ $i -lt 200 ]; do cp "$SRC/examples/net-2-2-1.expr" "$T/many/n$i.expr"; i=$((i + 1)); done
"$G" batch "$T/many" -o "$T/mout" -j 2 --formats png,svg,pdf 2> "$T/ierr" &
pid=$!
# interrupt once the first figures are written (not after a fixed time: a
# fast machine would finish first), with most of the 200 still to draw
w=0
while [ $w -lt 200 ] && [ -z "$(ls "$T/mout" 2>/dev/null | grep '\.png$')" ]; do sleep 0.05; w=$((w + 1)); done
kill -INT $pid
wait $pid
rc=$?
check '[ $rc -eq 130 ] && grep -q "interrupted after" "$T/ierr"' "SIGINT stops the batch (exit $rc)"
partial=0
for f in $(find "$T/mout" -type f); do
  case "$f" in
    *.png) tail -c 8 "$f" | od -An -c | tr -d ' ' | grep -q 'IEND' || partial=1 ;;
    *.pdf) tail -c 8 "$f" | grep -q '%%EOF' || partial=1 ;;
    *.svg) tail -c 10 "$f" | grep -q '</svg>' || partial=1 ;;
    */.gradviz-batch) ;;
    *) partial=1 ;;
  esac
done
check '[ $partial -eq 0 ] && [ -z "$(find "$T/mout" -name ".gradviz-batch?*")" ]' \
  "an interrupted batch leaves only whole figures and its manifest: no temporary, lock file or work folder"
exit 0
