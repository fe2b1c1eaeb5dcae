#!/bin/sh
# `gradviz batch`, the bugs of issues 8 and 10: a job slot reused after an
# output folder could not be made (a heap overflow, seen under ASan), exit 3
# for an output folder that cannot be made, figures redrawn when the settings
# they were made with changed (the manifest .gradviz-batch), and
# `render --steps -` refused. Prints TAP.
set -u
G=${GRADVIZ:-gradviz}
SRC=${GDV_SRCDIR:-.}
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-batchfix.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
check() { if eval "$1"; then ok "$2"; else not_ok "$2"; fi; }
mtime() { stat -c %y "$1"; }

echo "1..14"

# One slot (-j 1) runs, in this order (biggest input first): a good graph,
# a graph whose output folder cannot be made (out/sub is a file), then a
# graph whose error message is longer than the first failure's buffer.
mkdir -p "$T/in/sub/deep" "$T/out"
{ cat "$SRC/examples/neuron.expr"
  i=0; while [ $i -lt 60 ]; do echo "# padding: the biggest graph starts first"; i=$((i + 1)); done
} > "$T/in/a.expr"
cp "$SRC/examples/neuron.expr" "$T/in/sub/deep/b.expr"
long=$(printf '%0200d' 0 | tr 0 y)
echo "digraph { a [value=1]; b [op=$long]; a -> b; }" > "$T/in/c.dot"
: > "$T/out/sub"
"$G" batch "$T/in" -o "$T/out" -j 1 > /dev/null 2> "$T/err"; rc=$?
check '[ $rc -eq 1 ]' "a failed folder then a long message: exit 1 (got $rc)"
check 'grep -q "^  gradviz: $T/out/sub/deep: cannot create the folder: Not a directory\$" "$T/err"' \
  "the folder failure is quoted"
check 'grep -q "^  gradviz: $T/in/c.dot:1: node .b.: unknown op .$long.\$" "$T/err"' \
  "the long message after it is quoted whole"
check 'grep -q "3 graphs: 1 drawn, 0 up to date, 2 failed" "$T/err" && ! grep -q AddressSanitizer "$T/err"' \
  "the summary counts right, no memory error"

# The output folder itself cannot be made: exit 3, as --help says.
: > "$T/file"
"$G" batch "$SRC/examples/neuron.expr" -o "$T/file/out" 2> "$T/err"; rc=$?
check '[ $rc -eq 3 ]' "an output folder that cannot be made exits 3 (got $rc)"
check '[ "$(cat "$T/err")" = "gradviz: $T/file/out: cannot create the folder: Not a directory" ]' \
  "one line says why ($(head -c 200 "$T/err"))"

# Settings: figures record what they were drawn with; a changed --dpi
# redraws the PNG figures (and only those: it does not change SVG).
mkdir -p "$T/g"
cp "$SRC/examples/neuron.expr" "$SRC/examples/ab-b1.dot" "$T/g/"
"$G" batch "$T/g" -o "$T/m" --formats png,svg --dpi 50 2> /dev/null
check '[ -s "$T/m/.gradviz-batch" ]' "the manifest is written beside the figures"
width() { "$GDV_PYTHON" -c "import struct,sys; print(struct.unpack('>I', open(sys.argv[1],'rb').read()[16:20])[0])" "$1"; }
png1=$(mtime "$T/m/neuron.png"); svg1=$(mtime "$T/m/neuron.svg"); w1=$(width "$T/m/neuron.png")
manifest1=$(cat "$T/m/.gradviz-batch")
sleep 1
"$G" batch "$T/g" -o "$T/m" --formats png,svg --dpi 50 2> "$T/err"
check 'grep -q "2 graphs: 0 drawn, 2 up to date, 0 failed" "$T/err" && [ "$(mtime "$T/m/neuron.png")" = "$png1" ]' \
  "same settings: nothing redrawn"
check '[ "$(cat "$T/m/.gradviz-batch")" = "$manifest1" ]' "same settings: the same manifest"
"$G" batch "$T/g" -o "$T/m" --formats png,svg --dpi 60 2> "$T/err"
check 'grep -q "2 graphs: 2 drawn, 0 up to date, 0 failed" "$T/err"' "--dpi changed: both graphs redrawn"
check '[ "$(mtime "$T/m/neuron.png")" != "$png1" ] && [ "$(mtime "$T/m/neuron.svg")" = "$svg1" ]' \
  "only the PNG figures were redrawn, the SVG ones are untouched"
w2=$(width "$T/m/neuron.png")
check '[ $w2 -gt $w1 ]' "the redrawn PNG has the new size ($w1 then $w2 pixels wide)"
"$G" batch "$T/g" -o "$T/m" --formats png,svg --dpi 60 --style print 2> "$T/err"
check 'grep -q "2 graphs: 2 drawn, 0 up to date" "$T/err" && [ "$(mtime "$T/m/neuron.svg")" != "$svg1" ]' \
  "--style changed: every figure redrawn"

# --steps - would make a folder named '-'.
cd "$T" && "$G" render "$SRC/examples/neuron.expr" --steps - 2> "$T/err"; rc=$?
want="gradviz: render: --steps needs a folder, not - (see 'gradviz render --help')"
check '[ $rc -eq 2 ] && [ ! -e "$T/-" ] && [ "$(cat "$T/err")" = "$want" ]' \
  "--steps - is refused (exit $rc: $(cat "$T/err"))"
exit 0
