#!/bin/sh
# SVG tests (issue 12): every example and the MNIST figure as SVG written
# from the scene. Each is well-formed, holds what the drawing code drew
# (svg_check.py against --dump-layout: a <g> per node and edge with a
# <title> first, the same texts at the same places), is at most twice the
# size of `dot -Tsvg` on the annotated DOT, and rasterised by rsvg-convert
# and by headless Chromium looks like the PNG of the same figure.
#
# The likeness (tests/svg_compare.c): both images at the PNG's size, grey,
# blurred by a 3x3 box; MAD is the mean absolute difference per pixel
# (0..255) and MISSING the share of pixels that differ by more than 64 from
# every pixel of the other image within 2 pixels (so a font's own kerning,
# a pixel or two, does not count, while a word missing or moved does). An
# SVG passes with MAD <= 2 and MISSING <= 0.0005; the examples measure MAD
# 0.4 to 1.0 and MISSING under 0.0001, and the same SVG with one node's
# text removed measures MISSING 0.0015, with its text moved by 3 pt 0.018
# (both checked below to fail). Prints TAP.
set -u
G=${GRADVIZ:?}
SRC=${GDV_SRCDIR:?}
. "$SRC/tests/tap.sh"
CHECK="$GDV_PYTHON $SRC/tests/data/render/svg_check.py"
COMPARE=${GRADVIZ%/*}/tests/svg_compare
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-svg.XXXXXX")
trap 'rm -rf "$T"' EXIT
check() { # check NAME COMMAND...
  name=$1; shift
  if "$@" >"$T/out" 2>&1; then ok "$name ($(tail -n 1 "$T/out"))"; else not_ok "$name"; sed 's/^/# /' "$T/out" | head -20; fi
}
skip() { n=$((n + 1)); printf 'ok %d - # SKIP %s\n' "$n" "$1"; }
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)

# png_size FILE: "W H" from the PNG's header.
png_size() {
  "$GDV_PYTHON" -c 'import struct, sys; d = open(sys.argv[1], "rb").read(24); print(*struct.unpack(">II", d[16:24]))' "$1"
}
# likeness NAME PNG RASTER: the measure above within its bounds.
likeness() {
  r=$("$COMPARE" "$2" "$3" 2>&1)
  if echo "$r" | awk -F'[ =]' '{ exit !($2 <= 2 && $6 <= 0.0005) }'; then ok "$1 ($r)"; else not_ok "$1 ($r)"; fi
}
# unlike NAME PNG RASTER: a broken SVG fails the measure.
unlike() {
  r=$("$COMPARE" "$2" "$3" 2>&1)
  if echo "$r" | awk -F'[ =]' '{ exit !($2 > 2 || $6 > 0.0005) }'; then ok "$1 ($r)"; else not_ok "$1 ($r)"; fi
}
# page SVG HTML: the SVG inlined in a page, at its own size.
page() {
  { printf '<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title>'
    printf '<style>html,body{margin:0;padding:0;overflow:hidden}svg{display:block}</style></head><body>\n'
    sed 1d "$1"
    printf '</body></html>\n'; } >"$2"
}
# chromium_shot HTML PNG W H: a screenshot of W x H pixels at 144 dpi (a
# point is 4/3 CSS pixels, so 1.5 device pixels per CSS pixel).
chromium_shot() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --force-device-scale-factor=1.5 --window-size=$(($3 * 2 / 3)),$(($4 * 2 / 3)) \
    --screenshot="$2" "file://$1" >/dev/null 2>&1
}
# rasters B: B.svg by rsvg-convert and Chromium, compared with B.png.
rasters() {
  if [ ! -s "$1.png" ] || [ ! -s "$1.svg" ]; then
    not_ok "$(basename "$1"): no PNG or SVG to compare"
    return
  fi
  set -- "$1" $(png_size "$1.png")
  rsvg-convert -w "$2" -h "$3" -o "$1.rsvg.png" "$1.svg"
  likeness "$(basename "$1"): rsvg-convert draws the SVG like the PNG" "$1.png" "$1.rsvg.png"
  if [ -n "$CHROMIUM" ]; then
    page "$1.svg" "$1.html"
    chromium_shot "$1.html" "$1.chromium.png" "$2" "$3"
    likeness "$(basename "$1"): Chromium draws the SVG like the PNG" "$1.png" "$1.chromium.png"
  else
    skip "$(basename "$1"): no chromium"
  fi
}

for f in "$SRC"/examples/*.dot "$SRC"/examples/*.expr; do
  b=$(basename "$f")
  B=$T/$b
  "$G" render "$f" -o "$B.svg" -o "$B.png" -o "$B.dot" --dump-layout "$B.json" >/dev/null 2>"$T/err" ||
    sed 's/^/# /' "$T/err"
  check "$b: xmllint reads the SVG" xmllint --noout "$B.svg"
  check "$b: the SVG holds what was drawn" $CHECK structure "$B.svg" "$B.json"
  dot -Tsvg "$B.dot" >"$B.dot.svg" 2>/dev/null
  s=$(wc -c <"$B.svg"); d=$(wc -c <"$B.dot.svg")
  if [ "$d" -gt 0 ] && [ "$s" -le $((2 * d)) ]; then
    ok "$b: SVG $s bytes, at most 2 x dot -Tsvg's $d"
  else
    not_ok "$b: SVG $s bytes, dot -Tsvg $d"
  fi
  rasters "$B"
done

# MNIST: the default figure, and the whole 784-30-10 network a fraction of
# the 7.5 MB Cairo's SVG surface wrote for it
M=$T/mnist
"$G" mnist -o "$M.svg" --dump-layout "$M.json" >/dev/null 2>"$T/err" || sed 's/^/# /' "$T/err"
"$G" mnist -o "$M.png" >/dev/null 2>>"$T/err"
check "mnist: xmllint reads the SVG" xmllint --noout "$M.svg"
check "mnist: the SVG holds what was drawn" $CHECK structure "$M.svg" "$M.json"
rasters "$M"
"$G" mnist --show-units all --page none -o "$T/all.svg" >/dev/null 2>"$T/err" || sed 's/^/# /' "$T/err"
s=$(wc -c <"$T/all.svg")
if xmllint --noout "$T/all.svg" && [ "$s" -le 2000000 ]; then
  ok "mnist --show-units all: well-formed, $s bytes (under 2 MB)"
else
  not_ok "mnist --show-units all: $s bytes"
fi

# The measure fails a wrong SVG: fan-out's node q without its text, and
# every text moved 3 pt right.
B=$T/fan-out.expr
set -- $(png_size "$B.png")
"$GDV_PYTHON" - "$B.svg" "$T/noq.svg" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
i = s.index('class="node role-op op-pow"'); j = s.index("</g>", i)
open(sys.argv[2], "w", encoding="utf-8").write(s[:i] + re.sub(r"<text [^>]*>[^<]*</text>", "", s[i:j]) + s[j:])
PY
sed 's/<text \([^>]*\) x="\([0-9.]*\)"/<text \1 x="\2" dx="3"/' "$B.svg" >"$T/moved.svg"
rsvg-convert -w "$1" -h "$2" -o "$T/noq.png" "$T/noq.svg"
rsvg-convert -w "$1" -h "$2" -o "$T/moved.png" "$T/moved.svg"
unlike "the measure fails an SVG missing one node's text" "$B.png" "$T/noq.png"
unlike "the measure fails an SVG with its text moved 3 pt" "$B.png" "$T/moved.png"

# Titles in words with eval's numbers; a fan-out's sum term by term (every
# statement drawn in full, so that every graph node and edge has its <g>)
"$G" eval "$SRC/examples/fan-out.expr" --format json >"$T/fo.json"
"$G" render "$SRC/examples/fan-out.expr" --expand all -o "$T/fo-all.svg" >/dev/null 2>&1
check "fan-out: node and edge titles say eval's numbers" $CHECK titles "$T/fo-all.svg" "$T/fo.json"
check "fan-out: x's title is its fan-out sum" \
  grep -q '<title>x: value 2; ∂C/∂x = 3 + 12 + (−1) = 14</title>' "$B.svg"
check "fan-out: edge x -> q says local x upstream = gradient" \
  grep -q '<g id="fo-all-edge-2" class="edge" data-edge="2" data-from="x" data-to="q" data-arg="0"><title>x → q: local 12 × upstream 1 = gradient 12</title>' "$T/fo-all.svg"
check "fan-out: the figure's title and description" sh -c \
  "grep -q '<title id=\"fan-out-title\">fan-out: L = p + q + r = 12</title>' '$B.svg' &&
   grep -q 'The output L is 12. Its gradients: input ∂C/∂x = 14.</desc>' '$B.svg'"
"$G" eval "$SRC/examples/x-squared.dot" --format json >"$T/xx.json"
check "x-squared: titles of two parallel edges" $CHECK titles "$T/x-squared.dot.svg" "$T/xx.json"

# Ids: two figures inlined in one page share none; the same figure twice
# does unless --id-prefix tells them apart; the prefix is made safe
check "neuron and fan-out inlined in one page: no id twice" \
  $CHECK inline "$T/two.html" "$T/neuron.expr.svg" "$T/fan-out.expr.svg"
if $CHECK inline "$T/twice.html" "$T/neuron.expr.svg" "$T/neuron.expr.svg" >"$T/out" 2>&1; then
  not_ok "the same SVG twice in one page: its ids clash"
else
  ok "the same SVG twice in one page: its ids clash ($(head -c 60 "$T/out")...)"
fi
"$G" render "$SRC/examples/neuron.expr" --id-prefix "second copy" -o "$T/n2.svg" >/dev/null 2>&1
check "--id-prefix 'second copy' gives ids second-copy-..." grep -q '<svg [^>]*id="second-copy-figure"' "$T/n2.svg"
check "... and the two copies inline together" $CHECK inline "$T/copies.html" "$T/neuron.expr.svg" "$T/n2.svg"
"$G" render "$SRC/examples/neuron.expr" -o "$T/2nd.svg" >/dev/null 2>&1
check "a name starting with a digit: the prefix starts with a letter" grep -q 'id="f2nd-figure"' "$T/2nd.svg"
check "ids escape a graph id: p#1 is node-p_231" grep -q '<g id="fo-all-node-p_231" [^>]*data-id="p#1"' "$T/fo-all.svg"

# Frames: the same writer, every frame's ids its own
"$G" render "$SRC/examples/fan-out.expr" --steps "$T/steps" --format svg >/dev/null 2>&1
check "--steps --format svg: nine frames (the figure's: x, then p, q, r and L as their equations), xmllint reads each" sh -c \
  "[ \$(ls '$T/steps'/frame-*.svg | wc -l) -eq 9 ] && xmllint --noout '$T/steps'/frame-*.svg"
check "frames inlined in one page (a slide deck): no id twice" \
  $CHECK inline "$T/frames.html" "$T/steps"/frame-*.svg
check "a frame's title is its step" \
  grep -q '<title id="fan-out-f001-title">fan-out: step 1 of 9 — forward: p = 6</title>' "$T/steps/frame-001.svg"

# A wrong recorded gradient's mark (a filled square with a cross) is in
# the SVG as in the PNG: a and b of the overwrite bug each hold a filled
# shape in the recorded-wrong colour, d (right) none
"$G" render "$SRC/examples/student-overwrite.dot" -o "$T/so.svg" >/dev/null 2>&1
check "student-overwrite: the recorded-wrong mark on a and b, none on d" "$GDV_PYTHON" -c "
import re, sys, xml.etree.ElementTree as E
NS = '{http://www.w3.org/2000/svg}'
svg = open(sys.argv[1]).read()
fills = set(re.findall(r'\.(c[0-9]+)\{fill:#b4478a\}', svg))
marks = {}
for g in E.fromstring(svg).iter(NS + 'g'):
    if g.get('data-id'):
        marks[g.get('data-id')] = sum(1 for c in g if c.get('class') in fills)
sys.exit(not (fills and marks.get('a') == 1 and marks.get('b') == 1 and marks.get('d') == 0))" "$T/so.svg"

echo "1..$n"
[ "$fails" -eq 0 ]
