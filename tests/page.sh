#!/bin/sh
# Pages (--page) and the layout that meets them (issue 11): sizes of every
# format on each page, the graph attributes that carry a page, the errors,
# and what the fold draws (through --dump-layout). Prints TAP.
set -u
G=${GRADVIZ:?}
SRC=${GDV_SRCDIR:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-page.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
E=$SRC/examples

# is NAME WANT GOT: the two strings are equal.
is() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (want '$2', got '$3')"; fi; }
# png_size FILE: "W H" from the IHDR chunk.
png_size() { "$GDV_PYTHON" -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); print(*struct.unpack('>II', d[16:24]))" "$1"; }
# pdf_size FILE: the first page's MediaBox "W H" in points, rounded.
pdf_size() { "$GDV_PYTHON" -c "
import re, sys
m = re.search(rb'/MediaBox \[\s*([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)', open(sys.argv[1], 'rb').read())
print(round(float(m.group(3)) - float(m.group(1)), 2), round(float(m.group(4)) - float(m.group(2)), 2))" "$1"; }
# dump KEY FILE: a value of the dump's page object.
page_key() { "$GDV_PYTHON" -c "import json,sys; print(json.load(open(sys.argv[2]))['page'][sys.argv[1]])" "$1" "$2"; }

# ---- sizes ----------------------------------------------------------------
"$G" render "$E/neuron.expr" -o "$T/n.png" -o "$T/n.pdf" -o "$T/n.svg"
is "the default page is a slide: PNG 1920x1080 at 144 dpi" "1920 1080" "$(png_size "$T/n.png")"
is "the slide's PDF page is 960x540 pt" "960.0 540.0" "$(pdf_size "$T/n.pdf")"
is "the slide's SVG is 960x540 pt" 'width="960pt" height="540pt"' \
  "$(grep -o 'width="[0-9.]*pt" height="[0-9.]*pt"' "$T/n.svg" | head -1)"
"$G" render "$E/neuron.expr" --dpi 72 -o "$T/n72.png"
is "--dpi 72 on a slide: 960x540 pixels" "960 540" "$(png_size "$T/n72.png")"
"$G" render "$E/neuron.expr" --page beamer -o "$T/b.pdf"
is "beamer: 128x96 mm" "362.83 272.13" "$(pdf_size "$T/b.pdf")"
"$G" render "$E/neuron.expr" --page a4 -o "$T/a4.pdf"
is "a4: 210x297 mm, portrait" "595.28 841.89" "$(pdf_size "$T/a4.pdf")"
"$G" render "$E/neuron.expr" --page letter-landscape -o "$T/ll.pdf"
is "letter-landscape: 11x8.5 in" "792.0 612.0" "$(pdf_size "$T/ll.pdf")"
"$G" render "$E/neuron.expr" --page 800x600px -o "$T/px.png"
is "800x600px: the PNG's own pixels" "800 600" "$(png_size "$T/px.png")"
"$G" render "$E/neuron.expr" --page 10x5cm -o "$T/cm.pdf"
is "10x5cm" "283.46 141.73" "$(pdf_size "$T/cm.pdf")"
"$G" render "$E/neuron.expr" --page none -o "$T/none.png" --dump-layout "$T/none.json"
w=$("$GDV_PYTHON" -c "import json,sys,math; d=json.load(open(sys.argv[1])); print(math.ceil(d['width']*2), math.ceil(d['height']*2))" "$T/none.json")
is "--page none: the figure's own size (dump width x 2 at 144 dpi)" "$w" "$(png_size "$T/none.png")"
"$GDV_PYTHON" -c "import json,sys; sys.exit('page' in json.load(open(sys.argv[1])))" "$T/none.json" &&
  ok "--page none: the dump has no page" || not_ok "--page none: the dump has no page"

# ---- the figure fits the page, centred, at most twice its size -----------
printf 'digraph { a [value=2]; b [op=neg]; a -> b; }\n' >"$T/tiny.dot"
"$G" render "$T/tiny.dot" --show values -o "$T/tiny.png" --dump-layout "$T/tiny.json"
is "a small figure grows at most twofold" "2.0" "$(page_key scale "$T/tiny.json")"
"$G" render "$E/x-squared.dot" -o "$T/xs.png" --dump-layout "$T/xs.json"
"$GDV_PYTHON" - "$T/xs.json" <<'PY' && ok "the dump is at the page's aspect and holds every node" || not_ok "the dump is at the page's aspect and holds every node"
import json, sys
d = json.load(open(sys.argv[1]))
assert abs(d['width'] / d['height'] - 16 / 9) < 1e-3, (d['width'], d['height'])
for n in d['nodes']:
    assert 0 <= n['x'] and n['x'] + n['w'] <= d['width'] and 0 <= n['y'] and n['y'] + n['h'] <= d['height'], n
PY

# ---- graph attributes ---------------------------------------------------------
printf 'digraph { gradviz_page="beamer"; a [value=2]; b [op=square]; a -> b; }\n' >"$T/gp.dot"
"$G" render "$T/gp.dot" -o "$T/gp.pdf"
is "gradviz_page sets the page" "362.83 272.13" "$(pdf_size "$T/gp.pdf")"
"$G" render "$T/gp.dot" --page a4 -o "$T/gp2.pdf"
is "--page wins over gradviz_page" "595.28 841.89" "$(pdf_size "$T/gp2.pdf")"
printf 'digraph { size="4,3"; a [value=2]; b [op=square]; a -> b; }\n' >"$T/sz.dot"
"$G" render "$T/sz.dot" -o "$T/sz.pdf" --dump-layout "$T/sz.json"
is "Graphviz size=\"4,3\" is a 4x3 in page" "288.0 216.0" "$(pdf_size "$T/sz.pdf")"
"$GDV_PYTHON" -c "import json,sys; sys.exit(not json.load(open(sys.argv[1]))['page']['scale'] <= 1)" "$T/sz.json" &&
  ok "size without '!' never enlarges" || not_ok "size without '!' never enlarges"
printf 'digraph { size="8,6!"; a [value=2]; b [op=square]; a -> b; }\n' >"$T/sz2.dot"
"$G" render "$T/sz2.dot" -o "$T/sz2.pdf" --dump-layout "$T/sz2.json"
"$GDV_PYTHON" -c "import json,sys; sys.exit(not json.load(open(sys.argv[1]))['page']['scale'] > 1)" "$T/sz2.json" &&
  ok "size with '!' lets a small figure grow" || not_ok "size with '!' lets a small figure grow"

# ---- errors ---------------------------------------------------------------
"$G" render "$E/neuron.expr" --page huge -o "$T/e.png" 2>"$T/err"; rc=$?
is "an unknown page: exit 2" 2 "$rc"
is "an unknown page: one line saying what is known" \
  "gradviz: --page: unknown page 'huge' (slide, beamer, a4, letter, a4-landscape, letter-landscape, none, or WxH with px, pt, mm, cm or in)" \
  "$(cat "$T/err")"
[ ! -e "$T/e.png" ] && ok "nothing written for a bad page" || not_ok "nothing written for a bad page"
"$G" render "$E/neuron.expr" --page 0x5in -o "$T/e.png" 2>/dev/null
is "a zero side is refused" 2 "$?"
printf 'digraph { gradviz_page="postcard"; a [value=2]; }\n' >"$T/bad.dot"
"$G" render "$T/bad.dot" -o "$T/bad.png" 2>"$T/err"
is "a bad gradviz_page names the file and the attribute" \
  "gradviz: $T/bad.dot: gradviz_page: unknown page 'postcard' (slide, beamer, a4, letter, a4-landscape, letter-landscape, none, or WxH with px, pt, mm, cm or in)" \
  "$(cat "$T/err")"

# ---- the fold -------------------------------------------------------------
"$G" render "$E/deep-sigmoid.expr" -o "$T/ds.png" --dump-layout "$T/ds.json"
is "deep-sigmoid: left to right" LR "$(page_key direction "$T/ds.json")"
"$GDV_PYTHON" -c "import json,sys; sys.exit(not json.load(open(sys.argv[1]))['page']['bands'] >= 2)" "$T/ds.json" &&
  ok "deep-sigmoid: the long chain is folded into rows" || not_ok "deep-sigmoid: the long chain is folded into rows"
"$GDV_PYTHON" "$SRC/tests/data/render/layout_check.py" "$T/ds.json" >"$T/lc" 2>&1 &&
  ok "deep-sigmoid folded: no overlap, labels on their edges" || { not_ok "deep-sigmoid folded: no overlap, labels on their edges"; sed 's/^/# /' "$T/lc"; }
"$GDV_PYTHON" - "$T/ds.json" <<'PY' && ok "the rows read in order: h1 before h2 ... before h6, row by row" || not_ok "the rows read in order: h1 before h2 ... before h6, row by row"
import json, sys
d = json.load(open(sys.argv[1]))
pos = {n['id']: (n['y'] + n['h'] / 2, n['x']) for n in d['nodes']}
order = ['h%d' % i for i in range(1, 7)]
# in reading order: a later node is in a lower row, or in the same row
# (centres within half a box) further right
for a, b in zip(order, order[1:]):
    (ya, xa), (yb, xb) = pos[a], pos[b]
    assert yb > ya + 40 or (abs(yb - ya) <= 40 and xb > xa), (a, b, pos[a], pos[b])
PY
"$GDV_PYTHON" - "$T/ds.json" <<'PY' && ok "a folded edge runs through no foreign node" || not_ok "a folded edge runs through no foreign node"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n['index']: n for n in d['nodes']}
def flat(p):
    out = [p[0]]
    for i in range(0, len(p) - 3, 3):
        a, b, c, e = p[i:i + 4]
        for k in range(1, 9):
            t = k / 8; u = 1 - t
            out.append([u**3*a[j] + 3*u*u*t*b[j] + 3*u*t*t*c[j] + t**3*e[j] for j in (0, 1)])
    return out
for e in d['edges']:
    for x, y in flat(e['points']):
        for i, n in nodes.items():
            if i in (e['from'], e['to']):
                continue
            assert not (n['x'] + 1 < x < n['x'] + n['w'] - 1 and n['y'] + 1 < y < n['y'] + n['h'] - 1), (e['index'], i)
PY
"$G" render "$E/deep-sigmoid.expr" --page none -o "$T/ds0.png" --dump-layout "$T/ds0.json"
"$GDV_PYTHON" - "$T/ds.json" "$T/ds0.json" <<'PY' && ok "folding draws deep-sigmoid at least 1.5x larger on a slide" || not_ok "folding draws deep-sigmoid at least 1.5x larger on a slide"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
natural = min(960 / b['width'], 540 / b['height'])
assert a['page']['scale'] >= 1.5 * natural, (a['page']['scale'], natural)
PY
"$GDV_PYTHON" -c "import json,sys; sys.exit(json.load(open(sys.argv[1]))['crossings'] != 0)" "$T/ds.json" &&
  ok "deep-sigmoid: no edge crossings" || not_ok "deep-sigmoid: no edge crossings"

# ---- direction ------------------------------------------------------------
printf 'digraph { rankdir=LR; x [value=2]; a [op=square]; b [op=exp]; c [op=neg]; x -> a -> b -> c; }\n' >"$T/lr.dot"
"$G" render "$T/lr.dot" -o "$T/lr.png" --dump-layout "$T/lr.json"
is "a DOT file's rankdir is kept" LR "$(page_key direction "$T/lr.json")"
sed 's/rankdir=LR/rankdir=TB/' "$T/lr.dot" >"$T/tb.dot"
"$G" render "$T/tb.dot" -o "$T/tb.png" --dump-layout "$T/tb.json"
is "rankdir=TB is kept too" TB "$(page_key direction "$T/tb.json")"

# ---- the level of detail ---------------------------------------------------
D=$SRC/tests/data/render
"$G" render "$D/poly.expr" -o "$T/poly.png" --dump-layout "$T/poly.json"
"$G" render "$D/poly.expr" --expand all -o "$T/polya.png" --dump-layout "$T/polya.json"
"$GDV_PYTHON" - "$T/poly.json" "$T/polya.json" <<'PY' && ok "poly: drawn in full it is not legible, so the statement p is collapsed and the figure reads at 18 px/em" || not_ok "poly: drawn in full it is not legible, so the statement p is collapsed and the figure reads at 18 px/em"
import json, sys
d, full = (json.load(open(p)) for p in sys.argv[1:])
def px_em(d):
    s = min(1920 / d['width'], 1080 / d['height'])
    return min(t['size'] * s for t in d['texts'] if t['owner'] in ('node', 'edge'))
assert full['page']['collapsed'] == 0 and px_em(full) < 18, (full['page'], px_em(full))
assert d['page']['collapsed'] == 1 and px_em(d) >= 18, (d['page'], px_em(d))
texts = [t['text'] for t in d['texts'] if t['owner'] == 'node']
ids = [n['id'] for n in d['nodes']]
assert 'p' in ids and any(t.startswith('p = a\u00b7x\u00b3') for t in texts), texts
# the most detail: L's parts stay drawn
assert '(p \u2212 t)\u00b2' in texts, texts
PY
"$G" render "$E/neuron.expr" -o "$T/nn.png" --dump-layout "$T/nn.json"
# a one-node statement (o = tanh(n)) is always drawn as its equation
is "neuron is legible in full: only its one-node statement o drawn as its equation" 1 "$(page_key collapsed "$T/nn.json")"
"$G" render "$D/poly.expr" --page none -o "$T/polyn.png" --dump-layout "$T/polyn.json"
"$GDV_PYTHON" -c "import json,sys; sys.exit('page' in json.load(open(sys.argv[1])))" "$T/polyn.json" &&
  ok "--page none: no level of detail is chosen (every node drawn)" || not_ok "--page none: no level of detail is chosen (every node drawn)"

printf '1..%d\n' "$n"
[ "$fails" -eq 0 ]
