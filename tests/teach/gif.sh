#!/bin/sh
# -o x.gif (issue 22): the steps as an animated GIF, read back frame by
# frame with the standard library (tests/teach/gif.py) against the PNG
# frames of --steps drawn with the same options; sizes said in the note;
# errors. Prints TAP.
set -u
G=${GRADVIZ:?}
SRC=${GDV_SRCDIR:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-teach-gif.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "$SRC/tests/tap.sh"
cd "$T" || exit 1
E=$SRC/examples

# small frames keep the pure-Python decoding quick; the writer is the same
"$G" render "$E/neuron.expr" --steps-by node --dpi 48 --frame-ms 700 -o n.gif --steps steps >/dev/null
python3 "$SRC/tests/teach/gif.py" n.gif steps 700 >gif.tap
while IFS= read -r line; do
  case $line in
    ok*) ok "neuron: ${line#ok * - }" ;;
    "not ok"*) not_ok "neuron: ${line#not ok * - }" ;;
  esac
done <gif.tap
grep -q '^1\.\.5$' gif.tap || not_ok "gif.py ran to its end"

"$G" render "$E/net-2-2-1.expr" --steps-by layer --dpi 36 -o net.gif --steps netsteps >/dev/null
python3 "$SRC/tests/teach/gif.py" net.gif netsteps 1200 >net.tap
check_case "the 2-2-1 network by layer at the default --frame-ms: all of gif.py's checks" \
  sh -c '! grep -q "^not ok" net.tap && grep -q "^1\.\.5$" net.tap'

# a file to paste into a slide: the neuron at the default 1920x1080
"$G" render "$E/neuron.expr" --steps-by node -o big.gif
size=$(wc -c <big.gif)
dims=$(python3 -c "import struct,sys; print(*struct.unpack('<HH', open(sys.argv[1],'rb').read()[6:10]))" big.gif)
check_case "the neuron's GIF at the default dpi is 1920x1080 (got $dims) and well under 1 MB ($size bytes)" \
  sh -c "[ '$dims' = '1920 1080' ] && [ $size -lt 600000 ]"
"$G" render "$E/neuron.expr" -o again.gif
check_case "the same figure gives the same bytes" cmp big.gif again.gif

one_line "--frame-ms out of range" 2 \
  "gradviz: render: --frame-ms 5 is out of range (20 to 60000) (see 'gradviz render --help')" \
  render "$E/neuron.expr" --frame-ms 5 -o x.gif
one_line "an unknown format lists gif and tex" 2 \
  "gradviz: render: unknown format 'jpg' (png, svg, pdf, dot, html, gif or tex) (see 'gradviz render --help')" \
  render "$E/neuron.expr" --format jpg -o x.jpg
"$G" render "$E/neuron.expr" --format gif -o - >stdout.gif
check_case "-o - --format gif writes the GIF to standard output" cmp stdout.gif big.gif
echo "1..$n"
[ "$fails" -eq 0 ]
