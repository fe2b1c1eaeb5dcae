#!/bin/sh
# mnist-figures.sh: the MNIST figures measured from their --dump-layout
# (tests/data/mnist/figure_check.py): the default figure reads on a
# 1920x1080 slide (18 px/em, no text over text), no edge passes behind a
# foreign node or label in the views issue 11 names, badges keep clear of
# their outline, every written-out sum adds up as printed, the title and
# the legend say what they must; views too large for a slide become PDF
# slide pages or are refused with the exact line. Prints TAP.
: "${GRADVIZ:=./gradviz}" "${GDV_SRCDIR:=.}"
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-mnist-fig.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
CHECK="$GDV_SRCDIR/tests/data/mnist/figure_check.py"

if ! command -v "$GDV_PYTHON" >/dev/null 2>&1; then
  echo "1..0 # SKIP python3 is needed to read the layout dumps"
  exit 0
fi

# measure NAME DUMP CHECK...: one TAP line, the checker's lines as detail.
measure() {
  name=$1 dump=$2
  shift 2
  if "$GDV_PYTHON" "$CHECK" "$dump" "$@" >"$T/check" 2>&1; then
    ok "$name ($(tr '\n' ' ' <"$T/check" | sed 's/ *$//'))"
  else
    not_ok "$name ($(grep -v '^ok' "$T/check" | tr '\n' ' '))"
  fi
}

# draw NAME OUT [OPTIONS...]: gradviz mnist with a dump in $T/NAME.json.
draw() {
  name=$1 out=$2
  shift 2
  "$GRADVIZ" mnist "$@" -o "$T/$out" --dump-layout "$T/$name.json" >/dev/null 2>"$T/err" ||
    not_ok "$name: gradviz mnist $* failed: $(cat "$T/err")"
}

title="784-30-10 sigmoid network, quadratic cost, random weights: test image #0 (a handwritten 1)"
draw default d.png
measure "default figure: 18 px/em on 1920x1080, no overlap, edges clear, badges clear" \
  "$T/default.json" "pxem>=18" overlap edges badges
measure "default figure: sums add up as printed" "$T/default.json" sums
measure "default figure: title" "$T/default.json" "title=$title"
measure "default figure: the legend reads a fold of the figure's own" "$T/default.json" \
  "legend=+ 29 more: −0.0432" "legend== the sum of the 29 terms not written out"

draw scalar s.pdf --expand scalar
measure "--expand scalar: no edge behind a foreign node or label" "$T/scalar.json" edges overlap badges sums
draw usu u.pdf --expand units,scalar,units
measure "--expand units,scalar,units: no edge behind a foreign node or label" "$T/usu.json" edges overlap badges sums
draw s333 t.png --show-units 3,3,3
measure "--show-units 3,3,3: on one slide, no edge behind a foreign node or label" \
  "$T/s333.json" "pxem>=18" edges overlap badges sums
draw s333l t.pdf --show-units 3,3,3 --sum-terms 2 --precision 4
measure "--show-units 3,3,3 --sum-terms 2: sums add up as printed" "$T/s333l.json" edges overlap sums
draw trained tr.png --weights trained --index 7
measure "trained weights, digit 7: on one slide, sums add up" "$T/trained.json" \
  "pxem>=18" overlap edges badges sums "title=784-30-10 sigmoid network, quadratic cost, trained weights: test image #7 (a handwritten 0)"

draw focus f.pdf --focus-unit 1:5
measure "--focus-unit 1:5: the legend names the marked unit" "$T/focus.json" \
  "legend=layer 1, unit 5: the unit and all 785 terms of its sum" badges

# The digit's label names it: from the labels file when one is given.
printf '\000\000\010\003\000\000\000\002\000\000\000\002\000\000\000\003' >"$T/img"
printf '\310\000\310\000\310\000\000\310\000\310\000\310' >>"$T/img"
printf '\000\000\010\001\000\000\000\002\000\007' >"$T/lab"
draw small sm.png --layers 6,3,8 --images "$T/img" --labels "$T/lab" --index 1
measure "title from the labels file" "$T/small.json" \
  "title=6-3-8 sigmoid network, quadratic cost, random weights: image #1 of img (a handwritten 7)"

# Too large for a slide: refused as PNG with what fits; as PDF or SVG
# drawn at its own size, one page; with --page, a poster of such pages.
want="gradviz: mnist: the view is 3162×1051 pt: on the slide page (960×540 pt) its text would be 3.6 pt, under 9 pt: as PDF or SVG it is drawn at its own size (--page none: the figure at its own size, in any format)"
"$GRADVIZ" mnist --expand scalar -o "$T/big.png" >/dev/null 2>"$T/err"
rc=$?
if [ "$rc" = 2 ] && [ "$(cat "$T/err")" = "$want" ] && [ ! -e "$T/big.png" ]; then
  ok "--expand scalar as PNG: refused with what fits"
else
  not_ok "--expand scalar as PNG: exit $rc, $(cat "$T/err")"
fi
pages=$(grep -a -c '/Type /Page\b' "$T/s.pdf")
if [ "$pages" = 1 ] && grep -a -q 'MediaBox \[ 0 0 3162 1051 \]' "$T/s.pdf"; then
  ok "--expand scalar as PDF: one page of its own size"
else
  not_ok "--expand scalar as PDF: $pages pages, $(grep -a -o 'MediaBox[^]]*' "$T/s.pdf" | head -1)"
fi
"$GRADVIZ" mnist --expand scalar --page slide -o "$T/sp.pdf" >/dev/null 2>"$T/err"
pages=$(grep -a -c '/Type /Page\b' "$T/sp.pdf")
boxes=$(grep -a -c 'MediaBox \[ 0 0 960 540 \]' "$T/sp.pdf")
if [ "$pages" = 6 ] && [ "$boxes" = 6 ]; then
  ok "--expand scalar --page slide as PDF: a poster of 6 slide pages"
else
  not_ok "--expand scalar --page slide as PDF: $pages pages, $boxes of 960x540 pt ($(cat "$T/err"))"
fi
"$GRADVIZ" mnist --show-units all -o "$T/all.svg" >/dev/null 2>"$T/err"
rc=$?
if [ "$rc" = 0 ] && grep -q 'viewBox="0 0 1239 11119"' "$T/all.svg" &&
   [ "$(cat "$T/err")" = "gradviz: mnist: the view does not fit a slide legibly: drawn at its own size (--page P for a poster of pages P)" ]; then
  ok "--show-units all as SVG: at its own size, one line saying so"
else
  not_ok "--show-units all as SVG: exit $rc, $(cat "$T/err"), $(grep -o 'viewBox="[^"]*"' "$T/all.svg" | head -1)"
fi

# --page: none is the figure's own size (the view above drawn whole);
# another page sets the PNG's pixels; a bad one is named.
if "$GRADVIZ" mnist --show-units all --page none -o "$T/all.svg" >/dev/null 2>"$T/err" &&
   grep -q "<svg" "$T/all.svg"; then
  ok "--show-units all --page none as SVG"
else
  not_ok "--show-units all --page none as SVG: $(cat "$T/err")"
fi
"$GRADVIZ" mnist --page 2400x1350px -o "$T/p.png" >/dev/null 2>&1
size=$(od -An -tu1 -j16 -N8 "$T/p.png" | awk '{ print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8 }')
[ "$size" = "2400x1350" ] && ok "--page 2400x1350px: a 2400x1350 PNG" || not_ok "--page 2400x1350px: $size"
size=$(od -An -tu1 -j16 -N8 "$T/d.png" | awk '{ print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8 }')
[ "$size" = "1920x1080" ] && ok "default page: a 1920x1080 slide" || not_ok "default page: $size"
"$GRADVIZ" mnist --page bogus -o "$T/b.png" >/dev/null 2>"$T/err"
rc=$?
if [ "$rc" = 2 ] && [ "$(cat "$T/err")" = "gradviz: --page: unknown page 'bogus' (slide, beamer, beamer169, a4, letter, a4-landscape, letter-landscape, none, or WxH with px, pt, mm, cm or in)" ]; then
  ok "unknown --page"
else
  not_ok "unknown --page: exit $rc, $(cat "$T/err")"
fi

# --style, --show and --dpi as render takes them.
"$GRADVIZ" mnist --show -legend -o "$T/nl.png" --dump-layout "$T/nl.json" >/dev/null 2>&1
if "$GDV_PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(any(t["owner"]=="legend" for t in d["texts"]) or d["legend"]["h"]!=0)' "$T/nl.json"; then
  ok "--show -legend: no legend"
else
  not_ok "--show -legend: a legend is drawn"
fi
"$GRADVIZ" mnist --dpi 72 --page none -o "$T/72.png" --dump-layout "$T/72.json" >/dev/null 2>&1
size=$(od -An -tu1 -j16 -N8 "$T/72.png" | awk '{ print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8 }')
want=$("$GDV_PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%dx%d" % (d["width"], d["height"]))' "$T/72.json")
[ "$size" = "$want" ] && ok "--dpi 72 --page none: a pixel a point ($size)" || not_ok "--dpi 72: $size, not $want"
"$GRADVIZ" mnist --style dark -o "$T/dark.png" >/dev/null 2>&1
if [ -s "$T/dark.png" ] && ! cmp -s "$T/dark.png" "$T/d.png"; then
  ok "--style dark draws another figure"
else
  not_ok "--style dark"
fi
"$GRADVIZ" mnist --style nosuch -o "$T/ns.png" >/dev/null 2>"$T/err"
rc=$?
if [ "$rc" = 2 ] && [ "$(cat "$T/err")" = "gradviz: --style: no style named 'nosuch' (try cs231n, dark, default, print, or a FILE.style)" ]; then
  ok "unknown --style"
else
  not_ok "unknown --style: exit $rc, $(cat "$T/err")"
fi
"$GRADVIZ" mnist --dpi 5 -o "$T/d5.png" >/dev/null 2>"$T/err"
rc=$?
if [ "$rc" = 2 ] && [ "$(cat "$T/err")" = "gradviz: mnist: --dpi 5 is out of range (10 to 2400) (see 'gradviz mnist --help')" ]; then
  ok "--dpi out of range"
else
  not_ok "--dpi out of range: exit $rc, $(cat "$T/err")"
fi

echo "1..$n"
[ "$fails" = 0 ]
