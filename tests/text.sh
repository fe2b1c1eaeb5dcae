#!/bin/sh
# Text tests through the command line: a Chinese label draws with real
# glyphs in PNG, SVG and PDF (font fallback), `\n` in a label (a node's, or
# the graph's: the title) breaks the line (Graphviz's escString, `\l` and
# `\r` too), and the annotated DOT round-trips byte for byte (backslashes
# are not doubled). Prints TAP.
set -u
G=${GRADVIZ:?}
SRC=${GDV_SRCDIR:?}
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
INK="$GDV_PYTHON $SRC/tests/data/text/ink.py"
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-text.XXXXXX")
trap 'rm -rf "$T"' EXIT
check() { # check NAME COMMAND...
  name=$1; shift
  if "$@" >"$T/out" 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/# /' "$T/out" | head -20; fi
}
# one node whose only text is its label
one_label() { # one_label FILE LABEL
  printf 'digraph t {\n  x [value=1, label="%s"];\n}\n' "$2" >"$1"
}

# A missing glyph is one box whatever the character, so 梯 and 度 would
# give the same image, inking as much as the one stroke of 一. Real glyphs:
# the images of 梯 and 度 differ, and 梯 (many strokes) inks far more than
# 一. (Their ink counts alone may tie: the box's outline dominates them, and
# which CJK font fontconfig picks depends on the machine.)
for c in ti:梯 du:度 yi:一; do
  one_label "$T/${c%%:*}.dot" "${c#*:}"
done
for f in png svg pdf; do
  for c in ti du yi; do
    "$G" render "$T/$c.dot" --show none -o "$T/$c.$f" >"$T/out" 2>&1 || sed 's/^/# /' "$T/out"
    case $f in
    png) cp "$T/$c.png" "$T/$c.$f.png" ;;
    svg) rsvg-convert -z 2 -o "$T/$c.$f.png" "$T/$c.svg" ;;
    pdf) pdftoppm -r 144 -png -singlefile "$T/$c.pdf" "$T/$c.$f" ;;
    esac
    $INK "$T/$c.$f.png" >"$T/$c.$f.ink" 2>&1 || echo 0 >"$T/$c.$f.ink"
  done
  ti=$(cat "$T/ti.$f.ink"); du=$(cat "$T/du.$f.ink"); yi=$(cat "$T/yi.$f.ink")
  if [ "$ti" -gt $((yi + 40)) ] && ! cmp -s "$T/ti.$f.png" "$T/du.$f.png"; then
    ok "$f: a Chinese label draws real glyphs (dark pixels 梯 $ti, 度 $du, 一 $yi)"
  else
    not_ok "$f: a Chinese label draws real glyphs (dark pixels 梯 $ti, 度 $du, 一 $yi)"
  fi
done
check "pdf: a CJK font is embedded beside DejaVu" sh -c \
  "pdffonts '$T/ti.pdf' | awk 'NR > 2 && \$1 !~ /DejaVu/ && \$(NF-4) == \"yes\" { found = 1 } END { exit !found }'"
check "svg: 梯 and 度 are real <text> (searchable, editable)" sh -c \
  "grep -q 't-name[^>]*>梯 = C</text>' '$T/ti.svg' && grep -q 't-name[^>]*>度 = C</text>' '$T/du.svg'"

# `\n` ends a centred line; \l and \r are line breaks too; the box grows by
# one line per break; `\\n` is a backslash and an n.
printf 'digraph t {\n  label="t1\\nt2";\n  x [value=1, label="a\\nb"];\n  y [value=2, label="ab"];\n  z [value=3, label="p\\lq\\rr"];\n  w [value=4, label="u\\\\nv"];\n  s [op=add];\n  x -> s; y -> s; z -> s; w -> s;\n}\n' >"$T/lines.dot"
"$G" render "$T/lines.dot" --show title -o "$T/lines.png" --dump-layout "$T/lines.json" >"$T/out" 2>&1 ||
  sed 's/^/# /' "$T/out"
check "a\\nb draws two lines, one below the other" "$GDV_PYTHON" - "$T/lines.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
texts = [t for t in d["texts"] if t["owner"] == "node"]
lines = lambda i: [(t["text"], t["y"]) for t in texts if t["index"] == i]
a = lines(0)
assert [t for t, _ in a] == ["a", "b"], a
step = a[1][1] - a[0][1]
assert step >= 11, a
assert [t for t, _ in lines(2)] == ["p", "q", "r"], lines(2)
assert [t for t, _ in lines(3)] == ["u\\nv"], lines(3)
h = [n["h"] for n in d["nodes"]]
assert abs(h[0] - h[1] - step) < 0.01 and abs(h[2] - h[1] - 2 * step) < 0.01, (h, step)
PY
check "a graph label with \\n draws a two-line title" "$GDV_PYTHON" - "$T/lines.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
titles = [(t["text"], t["y"]) for t in d["texts"] if t["owner"] == "title"]
assert [t for t, _ in titles] == ["t1", "t2"] and titles[1][1] > titles[0][1], titles
PY

# the annotated DOT: X -> Y -> Z, Y and Z the same bytes, labels kept as
# written (no doubled backslash), and the line break survives
printf 'digraph "rt\\\\n" {\n  x [value=1, label="a\\nb"];\n  z [value=2, label="z\\\\n"];\n  q [value=3, label="q\\"r"];\n  c [value=4, label="梯度"];\n  s [op=add];\n  x -> s; z -> s; q -> s; c -> s;\n}\n' >"$T/x.dot"
"$G" render "$T/x.dot" -o "$T/y.dot" >"$T/out" 2>&1 || sed 's/^/# /' "$T/out"
"$G" render "$T/y.dot" -o "$T/z.dot" >"$T/out" 2>&1 || sed 's/^/# /' "$T/out"
check "annotated DOT round-trips byte for byte" cmp "$T/y.dot" "$T/z.dot"
"$G" render "$SRC/examples/x-squared.dot" -o "$T/y2.dot" >"$T/out" 2>&1 || sed 's/^/# /' "$T/out"
"$G" render "$T/y2.dot" -o "$T/z2.dot" >"$T/out" 2>&1 || sed 's/^/# /' "$T/out"
check "annotated DOT with a graph label round-trips byte for byte" cmp "$T/y2.dot" "$T/z2.dot"
check "annotated DOT keeps z\\\\n as written" grep -F 'gradviz_label="z\\n"' "$T/y.dot"
check "annotated DOT keeps a\\nb and a quote" sh -c \
  "grep -F 'gradviz_label=\"a\\nb\"' '$T/y.dot' && grep -F 'gradviz_label=\"q\\\"r\"' '$T/y.dot'"
"$G" render "$T/y.dot" --show none -o "$T/y.png" --dump-layout "$T/y.json" >"$T/out" 2>&1 ||
  sed 's/^/# /' "$T/out"
check "a\\nb read back from the annotated DOT still draws two lines" "$GDV_PYTHON" - "$T/y.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
names = [t["text"] for t in d["texts"] if t["owner"] == "node" and t["index"] == 0]
assert names == ["a", "b"], names
PY
# a label ending in an escaped backslash: \\ is a pair (as in cgraph), so
# the quote after it ends the string; drawn as one backslash
printf 'digraph t {\n  x [value=1, label="end\\\\"];\n}\n' >"$T/bs.dot"
"$G" render "$T/bs.dot" --show none -o "$T/bs.png" --dump-layout "$T/bs.json" >"$T/out" 2>&1 ||
  sed 's/^/# /' "$T/out"
check "a label ending in \\\\ reads and draws as one backslash" "$GDV_PYTHON" - "$T/bs.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
names = [t["text"] for t in d["texts"] if t["owner"] == "node"]
assert names == ["end\\ = C"], names
PY
printf 'digraph t {\n  x [value=1, label="end\\\\"];\n  z [op=bogus];\n  x -> z;\n}\n' >"$T/bs2.dot"
"$G" eval "$T/bs2.dot" >/dev/null 2>"$T/bs2.err"
check "after a label ending in \\\\ errors still name their line" \
  test "$(cat "$T/bs2.err")" = "gradviz: $T/bs2.dot:3: node 'z': unknown op 'bogus'"
check "eval reads the annotated DOT to the same numbers" sh -c \
  "'$G' eval '$T/x.dot' --format csv >'$T/x.csv' && '$G' eval '$T/y.dot' --format csv >'$T/y.csv' && cmp '$T/x.csv' '$T/y.csv'"

echo "1..$n"
