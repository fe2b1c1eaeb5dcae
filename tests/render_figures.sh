#!/bin/sh
# Render tests through the command line: every example and test graph in
# every format, then what was drawn (the layout dump), the files' insides
# (SVG parses and renders, PDF fonts embedded, PNG chunks), determinism
# across processes, and the annotated DOT read back. Prints TAP.
set -u
G=${GRADVIZ:?}
SRC=${GDV_SRCDIR:?}
D=$SRC/tests/data/render
T=$(mktemp -d "${TMPDIR:-/tmp}/gdv-render.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"
check() { # check NAME COMMAND...
  name=$1; shift
  if "$@" >"$T/out" 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/# /' "$T/out" | head -20; fi
}

# every example (the gallery grows) and the render tests' own graphs
graphs=$(ls "$SRC"/examples/*.dot "$SRC"/examples/*.gv "$SRC"/examples/*.expr 2>/dev/null)
graphs="$graphs $D/fanout3.expr $D/xx.dot $D/softmax_ce.expr $D/net221.expr
  $D/nonfinite.expr $D/nan_spread.expr $D/unreached.dot $D/tb.dot $D/tiny_big.expr"
for g in $graphs; do
  b=$(basename "$g"); b=${b%.*}
  for f in png svg pdf dot; do
    check "$b renders as $f" "$G" render "$g" -o "$T/$b.$f"
  done
  check "$b layout dump" "$G" render "$g" -o "$T/$b.png" --dump-layout "$T/$b.json"
  check "$b: no text overlaps a text or another node" python3 "$D/layout_check.py" "$T/$b.json"
  check "$b: SVG is well-formed XML" python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" "$T/$b.svg"
  check "$b: rsvg-convert renders the SVG" rsvg-convert -o "$T/$b.svg.png" "$T/$b.svg"
  check "$b: PDF fonts all embedded" sh -c "pdffonts '$T/$b.pdf' | awk 'NR > 2 { n++; if (\$(NF-4) != \"yes\") bad = 1 } END { exit bad || !n }'"
  check "$b: annotated DOT reads back to the same numbers" sh -c \
    "'$G' eval '$g' --format json > '$T/a.json' && '$G' eval '$T/$b.dot' --format json > '$T/b.json' &&
     python3 - '$T/a.json' '$T/b.json' <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
key = lambda n: n['id']
assert [(n['id'], n['value'], n['grad']) for n in a['nodes']] == [(n['id'], n['value'], n['grad']) for n in b['nodes']], 'nodes differ'
assert [(e['from'], e['to'], e['local'], e['grad']) for e in a['edges']] == [(e['from'], e['to'], e['local'], e['grad']) for e in b['edges']], 'edges differ'
PY"
  check "$b: dot -Tpng draws the annotated DOT" dot -Tpng -o "$T/$b.dot.png" "$T/$b.dot"
done

# the same input gives the same bytes, in separate processes (the same
# file name: an SVG's ids start with it)
mkdir -p "$T/again"
for f in png svg pdf dot; do
  "$G" render "$SRC/examples/neuron.expr" -o "$T/again/neuron.$f" >/dev/null 2>&1
  check "byte-identical $f in two processes" cmp "$T/neuron.$f" "$T/again/neuron.$f"
done

# what was drawn: the known numbers of (a+b)*(b+1) and the tanh neuron
has() { # has JSON TEXT...: every TEXT is a drawn string
  f=$1; shift
  python3 - "$f" "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
drawn = [t["text"] for t in d["texts"]]
missing = [s for s in sys.argv[2:] if s not in drawn]
if missing:
    print("missing:", missing, "drawn:", drawn)
    sys.exit(1)
PY
}
lacks() { # lacks JSON PREFIX: no drawn string starts with PREFIX
  python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
bad = [t["text"] for t in d["texts"] if t["text"].startswith(sys.argv[2]) and t["owner"] != "legend"]
if bad:
    print("drawn:", bad)
    sys.exit(1)
PY
}
check "ab-b1: fan-out sum, edge grads and values drawn" has "$T/ab-b1.json" \
  "∂C/∂b = 2 + 3 = 5" "grad 2" "grad 3" "local 3" "value 6" "e = c*d = C" "∂C/∂e = 1" \
  "(a+b)*(b+1): b fans out, dC/db = 2 + 3"
check "ab-b1: the constant drawn as 1 (named one) says ∂C/∂(1) = 3, not dC/d(one)" has "$T/ab-b1.json" "∂C/∂(1) = 3"
check "ab-b1: no gradient named after an id the figure does not show" lacks "$T/ab-b1.json" "∂C/∂one"
check "neuron: values, grads and locals drawn" has "$T/neuron.json" \
  "value 0.7071" "∂C/∂o = 1" "∂C/∂n = 0.5" "∂C/∂w1 = 1" "∂C/∂x1 = −1.5" "local −3" "grad −1.5" "o = tanh(n)" "value 6.881"
"$G" render "$D/net221.expr" --expand all -o "$T/net221-all.png" --dump-layout "$T/net221-all.json" >/dev/null 2>&1
check "net221 in full: the legend explains op symbols" has "$T/net221-all.json" "×" "mul" "−" "sub / neg" "σ" "sigmoid"
check "xx: x*x is two edges, each local 3, sum 3 + 3" has "$T/xx.json" "∂C/∂x = 3 + 3 = 6" "local 3" "grad 3"
check "fanout3: three terms with a negative one" has "$T/fanout3.json" "∂C/∂x = 2 + 1 + (−0.99) = 2.01"
check "tiny_big: scientific notation (k listed in y's box)" has "$T/tiny_big.json" "value 1.234×10⁻⁵" "k = 2×10⁶"
check "nonfinite: NaN drawn" has "$T/nonfinite.json" "value NaN"
check "unreached: z greyed, L not" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
g = {n['id']: n['greyed'] for n in d['nodes']}
sys.exit(not (g['z'] and not g['L']))" "$T/unreached.json"
check "nonfinite: flagged" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(not any(n['nonfinite'] for n in d['nodes']))" "$T/nonfinite.json"
# log(0) arises at l: a filled mark and a note there, hollow marks where
# it spread (forward to y, backward to x, w and the constant), each mark on
# its box's top-right corner; the legend names both marks, and a finite
# graph has neither
"$G" render "$D/nan_spread.expr" --expand all -o "$T/nan_all.png" --dump-layout "$T/nan_all.json" >/dev/null 2>&1
check "nan_spread (every node drawn): marks where NaN/inf arises and where it spread" python3 - "$T/nan_all.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
nodes = {('3' if n['kind'] == 'const' else n['id']): n for n in d['nodes']}
marks = {k: n['mark']['kind'] for k, n in nodes.items() if 'mark' in n}
assert marks == {'l': 'origin', 'x': 'spread', 'w': 'spread', '3': 'spread', 'y': 'spread'}, marks
for k, n in nodes.items():
    m = n['mark']
    assert abs(m['x'] + m['w'] / 2 - (n['x'] + n['w'])) < 0.01 and abs(m['y'] + m['h'] / 2 - n['y']) < 0.01, (k, m, n)
notes = [t for t in d['texts'] if t['owner'] == 'node' and t['text'] == 'NaN/\u221e starts here']
assert [t['index'] for t in notes] == [nodes['l']['index']], notes
l, t = nodes['l'], notes[0]
assert l['x'] <= t['x'] and t['x'] + t['w'] <= l['x'] + l['w'] and l['y'] <= t['y'] and t['y'] + t['h'] <= l['y'] + l['h'], (l, t)
legend = [t['text'] for t in d['texts'] if t['owner'] == 'legend']
assert 'NaN/\u221e starts here' in legend and 'NaN/\u221e from a neighbour' in legend, legend
PY
check "neuron: no NaN/inf marks on a finite graph" python3 - "$T/neuron.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert not any('mark' in n or n['nonfinite'] for n in d['nodes'])
assert not any('NaN' in t['text'] for t in d['texts'])
PY
check "tb: rankdir=TB puts the output below its operands" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
y = {n['id']: n['y'] for n in d['nodes']}
sys.exit(not (y['u'] < y['p'] < y['q']))" "$T/tb.json"
"$G" render "$D/tb.dot" --page none -o "$T/tb-natural.png" --dump-layout "$T/tb-natural.json"
check "tb: the legend of a narrow graph wraps (at most 300 pt of text a row)" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(not d['legend']['w'] <= 300 + 2 * 6 + 1)" "$T/tb-natural.json"
check "neuron: LR puts the output right of the inputs" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
x = {n['id']: n['x'] for n in d['nodes']}
sys.exit(not (x['x1'] < x['n'] < x['o']))" "$T/neuron.json"
check "flow: the widest edge carries the largest |grad|" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
w = {(e['from'], e['to']): e['width'] for e in d['edges']}
ids = {n['id']: n['index'] for n in d['nodes']}
sys.exit(not (w[(ids['x1'], ids['n#1'])] >= max(w.values()) - 1e-9 > min(w.values())))" "$T/neuron.json"

# --highlight: the chain rule as a sum over paths
"$G" render "$SRC/examples/ab-b1.dot" -o "$T/hl.png" --highlight b --dump-layout "$T/hl.json" >/dev/null 2>&1
check "highlight b: paths, products and their sum" has "$T/hl.json" \
  "path b→c→e: 1 × 2 = 2" "path b→d→e: 1 × 3 = 3" "sum = 5 = ∂C/∂b = 5"
check "highlight b: no overlaps" python3 "$D/layout_check.py" "$T/hl.json"
check "highlight b: path nodes marked, a not" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
p = {n['id']: n['on_path'] for n in d['nodes']}
sys.exit(not (p['b'] and p['c'] and p['d'] and p['e'] and not p['a']))" "$T/hl.json"

# --show, --precision, --output
"$G" render "$SRC/examples/neuron.expr" -o "$T/s.png" --show values,legend --dump-layout "$T/s.json" >/dev/null 2>&1
check "--show values,legend: values drawn" has "$T/s.json" "value 0.7071"
check "--show values,legend: no gradients drawn" lacks "$T/s.json" "∂C/"
check "--show values,legend: no locals drawn" lacks "$T/s.json" "local"
"$G" render "$SRC/examples/neuron.expr" -o "$T/s2.png" --show=-locals --dump-layout "$T/s2.json" >/dev/null 2>&1
check "--show=-locals: grads kept" has "$T/s2.json" "grad −1.5" "∂C/∂o = 1"
check "--show=-locals: locals gone" lacks "$T/s2.json" "local "
"$G" render "$SRC/examples/neuron.expr" -o "$T/p.png" --precision 2 --dump-layout "$T/p.json" >/dev/null 2>&1
check "--precision 2" has "$T/p.json" "value 0.71" "value 6.9"
"$G" render "$SRC/examples/ab-b1.dot" -o "$T/o.png" --output c --dump-layout "$T/o.json" >/dev/null 2>&1
check "--output c: c is C, e does not reach it" has "$T/o.json" "c = a+b = C" "∂C/∂c = 1" "∂C/∂b = 1"

# --expand: a collapsed group is one node with its equation and exact sums
"$G" render "$SRC/examples/net-2-2-1.expr" -o "$T/xn.png" --expand none --dump-layout "$T/xn.json" >/dev/null 2>&1
check "--expand none: net-2-2-1 draws 9 nodes, 10 edges (the literal 0.5, y and the weights are in equations)" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
names = [t['text'] for t in d['texts'] if t['kind'] == 'name']
sys.exit(not (len(d['nodes']) == 9 and len(d['edges']) == 10 and '0.5' not in names and 'y' not in names))" "$T/xn.json"
check "--expand none: the leaves inside a group's node, values then gradients" has "$T/xn.json" \
  "w11 = 0.5, w12 = −0.3" "b1 = 0.1" "∂C/∂w11 = −0.0235" "∂C/∂w12 = −0.01175" "∂C/∂b1 = −0.0235" \
  "y = 1" "∂C/∂y = 0.3583" "∂C/∂v1 = −0.0503"
check "--expand none: equations, values and sums" has "$T/xn.json" \
  "z1 = w11·x1 + w12·x2 + b1" "h1 = sigmoid(z1)" "C = 0.5 · (a − y)²" "value 0.45" \
  "∂C/∂z1 = −0.0235" "∂C/∂x1 = −0.01175 + (−0.005767) = −0.01752" "local 0.2378"
check "--expand none: no op symbols in collapsed nodes" lacks "$T/xn.json" "σ"
check "--expand none: no overlaps" python3 "$D/layout_check.py" "$T/xn.json"
check "--expand none: every node's shown terms add to its gradient" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
num = lambda t: float(t.replace('\u2212', '-').replace('(', '').replace(')', ''))
for t in d['texts']:
    if t['kind'] != 'sum' or t['owner'] != 'node': continue
    terms, total = t['text'].split(' = ')[1:3]
    if abs(sum(num(x) for x in terms.split(' + ')) - num(total)) > 1e-4 * max(1, abs(num(total))):
        sys.exit(t['text'])" "$T/xn.json"
"$G" render "$SRC/examples/net-2-2-1.expr" -o "$T/xz.png" --expand z1,C --dump-layout "$T/xz.json" >/dev/null 2>&1
check "--expand z1,C: their nodes are back, with their leaves and the literal 0.5 (18 nodes)" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
names = [t['text'] for t in d['texts'] if t['kind'] == 'name']
sys.exit(len(d['nodes']) != 18 or '0.5' not in names or 'w11' not in names or 'y' not in names)" "$T/xz.json"
# The planner (issue 20): every example and course graph keeps its lesson
# and reads on a slide (tests/figure/slides.sh); here, the choices it makes.
# Units of one layer are drawn alike: net-2-2-1's z1 and z2 both collapsed
# or both not, h1 and h2 too
"$G" render "$SRC/examples/net-2-2-1.expr" -o "$T/x0.png" --dump-layout "$T/x0.json" >/dev/null 2>&1
check "net-2-2-1: the units of one layer get one level of detail (z1, z2; h1, h2)" python3 -c "
import json, sys
ids = {n['id'] for n in json.load(open(sys.argv[1]))['nodes']}
sys.exit(('z1' in ids) != ('z2' in ids) or ('h1' in ids) != ('h2' in ids))" "$T/x0.json"
# a small graph that reads unfolded is never folded
for f in x-squared.dot weight-tying.dot neuron.expr; do
  "$G" render "$SRC/examples/$f" -o "$T/u.png" --dump-layout "$T/u.json" >/dev/null 2>&1
  check "$f: drawn unfolded, in one row" python3 -c "
import json, sys
sys.exit(json.load(open(sys.argv[1]))['page']['bands'] != 1)" "$T/u.json"
done
# a long sum wrapped in the figure is one line in the annotated DOT
"$G" render "$SRC/examples/batchnorm.expr" --expand all -o "$T/bn.png" --dump-layout "$T/bn.json" >/dev/null 2>&1
"$G" render "$SRC/examples/batchnorm.expr" -o "$T/bn.dot" >/dev/null 2>&1
check "batchnorm: the figure wraps dC/dmu's sum" python3 -c "
import json, sys
t = [x['text'] for x in json.load(open(sys.argv[1]))['texts'] if x['kind'] == 'sum']
i = t.index('\u2202C/\u2202mu = \u22121.587')
sys.exit(t[i + 1:i + 4] != ['+ (\u22122.182)', '+ (\u22121.786)', '= \u22125.555'])" "$T/bn.json"
check "batchnorm: the annotated DOT keeps it one line" grep -q \
  "<FONT COLOR=\"#B34F04\">∂C/∂mu = −1.587 + (−2.182) + (−1.786) = −5.555</FONT>" "$T/bn.dot"
# nothing is merged that would hide a value or a term: batchnorm's default
# draws every statement with its value and gradient, mu's sum term by term
"$G" render "$SRC/examples/batchnorm.expr" -o "$T/d-batchnorm.png" --dump-layout "$T/d-batchnorm.json" >/dev/null 2>&1
check "batchnorm: every statement drawn with its value and gradient, dC/dmu and dC/dx1 term by term" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
by = {}
for t in d['texts']:
    if t['owner'] == 'node': by.setdefault(t['index'], []).append(t['text'])
ids = {n['index']: n['id'] for n in d['nodes']}
box = {ids[i]: ' '.join(v) for i, v in by.items()}
for s in ('mu', 'd1', 'd2', 'd3', 'var', 'sd', 'y1', 'y2', 'y3', 'L'):
    assert s in box and 'value' in box[s], (s, box.get(s))
assert '\u2202C/\u2202mu = \u22121.587 + (\u22122.182) + (\u22121.786) = \u22125.555' in box['mu'], box['mu']
assert '\u2202C/\u2202x1 = \u22121.852 + 1.587 = \u22120.2645' in box['x1'], box['x1']" "$T/d-batchnorm.json"
"$G" render "$SRC/examples/batchnorm.expr" --page a4 -o "$T/bn-a4.png" --dump-layout "$T/bn-a4.json" >/dev/null 2>&1
check "batchnorm on a portrait A4: x1..x3 and mu stay nodes" python3 -c "
import json, sys
ids = {n['id'] for n in json.load(open(sys.argv[1]))['nodes']}
sys.exit(not {'x1', 'x2', 'x3', 'mu'} <= ids)" "$T/bn-a4.json"
# gru-cell's equations wrap to fit the slide, never inside (1 − z)
"$G" render "$SRC/tests/figure/course/gru-cell.expr" -o "$T/d-gru-cell.png" --dump-layout "$T/d-gru-cell.json" >/dev/null 2>&1
check "gru-cell: no line cut inside (1 − z), every equation drawn" python3 -c "
import json, sys
t = [x['text'] for x in json.load(open(sys.argv[1]))['texts'] if x['kind'] == 'name']
assert not any(x.endswith('(1') or x.startswith('\u2212 z)') for x in t), t
assert any(x.startswith('hnew = ') for x in t) and any(x.startswith('z = sigmoid(') for x in t), t" "$T/d-gru-cell.json"
check "gru-cell: --page none keeps every equation on one line" sh -c '
  "$1" render "$2" -o "$3/gn.png" --page none --expand none --dump-layout "$3/gn.json" >/dev/null 2>&1 &&
  grep -qF "\"z = sigmoid(wz·x + uz·h + bz)\"" "$3/gn.json"' sh "$G" "$SRC/tests/figure/course/gru-cell.expr" "$T"
# the 3-3-3 network: each hidden unit's gradient is the sum over the three
# outputs it feeds, never merged into one term
"$G" render "$SRC/tests/figure/course/mlp-3-3-3-softmax-xent.expr" --expand none -o "$T/so-m.png" --dump-layout "$T/so-m.json" >/dev/null 2>&1
"$G" render "$SRC/tests/figure/course/mlp-3-3-3-softmax-xent.expr" -o "$T/mh.png" --dump-layout "$T/mh.json" >/dev/null 2>&1
check "the 3-3-3 network: dC/dh1 a sum of its three terms" python3 -c "
import json, sys
t = ' '.join(x['text'] for x in json.load(open(sys.argv[1]))['texts'] if x['owner'] == 'node')
sys.exit('\u2202C/\u2202h1 = 0.2716 + 0.3807' not in t or '0.03734 = 0.6896' not in t)" "$T/mh.json"
# source order: each layer reads top to bottom as the file was written
above() { # above JSON A B C...: each named node is drawn above the next
  python3 - "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
y = {n["id"]: n["y"] for n in d["nodes"]}
names = sys.argv[2:]
sys.exit(any(y[a] >= y[b] for a, b in zip(names, names[1:])))
PY
}
"$G" render "$SRC/examples/neuron.expr" --expand all -o "$T/so-n.png" --dump-layout "$T/so-n.json" >/dev/null 2>&1
check "neuron: inputs top to bottom as declared, each beside its weight (x1, w1, x2, w2)" \
  above "$T/so-n.json" x1 w1 x2 w2
check "neuron: and still no crossing" python3 -c "
import json, sys; sys.exit(json.load(open(sys.argv[1]))['crossings'] != 0)" "$T/so-n.json"
for layer in "x1 x2 x3" "h1 h2 h3" "z1 z2 z3" "e1 e2 e3" "p1 p2 p3"; do
  # shellcheck disable=SC2086 # the layer's names are separate arguments
  check "the 3-3-3 network: $layer top to bottom" above "$T/so-m.json" $layer
done
cat > "$T/clusters.dot" <<'DOT'
digraph G {
  gradviz_expand=none;
  x [value=1]; w [value=2, role=param]; b [value=0.5, role=param];
  subgraph cluster_h { label="h = tanh(w·x + b)"; m [op=mul]; s [op=add]; h [op=tanh]; }
  subgraph cluster_two { p [op=square]; q [op=neg]; }
  C [op=add];
  x -> m; w -> m; m -> s; b -> s; s -> h; h -> p; h -> q; p -> C; q -> C; x -> C;
}
DOT
"$G" render "$T/clusters.dot" -o "$T/cl.png" --dump-layout "$T/cl.json" >/dev/null 2>"$T/cl.err"
# a cluster's members are named nodes: its box lists each one's value and
# gradient
check "gradviz_expand=none: cluster_h is one node listing w, b, m and s; cluster_two (two exits) stays whole" has "$T/cl.json" \
  "h = tanh(w·x + b)" "value 0.9866" "local 0.05318" "p" "q" "∂C/∂x = 0.05176 + 1 = 1.052" \
  "w = 2, b = 0.5, m = 2" "s = 2.5" "∂C/∂m = 0.02588" "∂C/∂s = 0.02588"
check "a cluster with two exits: a note names them" grep -qF \
  "group 'cluster_two' is drawn in full: more than one of its nodes is used outside it or is a result (p, q)" "$T/cl.err"
"$G" render "$T/clusters.dot" -o "$T/cl2.png" --expand all --dump-layout "$T/cl2.json" >/dev/null 2>&1
check "--expand all wins over gradviz_expand" python3 -c "
import json, sys
sys.exit(len(json.load(open(sys.argv[1]))['nodes']) != 9)" "$T/cl2.json"
check "--steps with --expand none: frames of the figure's nodes (n and o, x1..b inside n)" sh -c \
  "'$G' render '$SRC/examples/neuron.expr' --expand none --steps '$T/xsteps' | grep -q ': 4 frames'"
check "--steps-by layer: the neuron in 7 frames" sh -c \
  "'$G' render '$SRC/examples/neuron.expr' --steps '$T/lsteps' --steps-by layer | grep -q ': 7 frames'"

# styles
for s in default print dark cs231n; do
  check "style $s" "$G" render "$SRC/examples/ab-b1.dot" -o "$T/st-$s.png" --style $s
done
printf 'forward = #000000\nfont-size = 12 # bigger\n' > "$T/mine.style"
check "style from a FILE" "$G" render "$SRC/examples/ab-b1.dot" -o "$T/st-file.png" --style "$T/mine.style"
check "GRADVIZ_STYLE_PATH finds a style" env GRADVIZ_STYLE_PATH="$T" "$G" render "$SRC/examples/ab-b1.dot" -o "$T/st-env.png" --style mine

# PNG insides: pHYs from --dpi, Software, the source as compressed iTXt
python3 "$D/png_chunks.py" "$T/neuron.png" > "$T/chunks" 2>&1
check "PNG pHYs is 144 dpi (5669 per metre)" grep -qx "pHYs 5669 5669 1" "$T/chunks"
check "PNG tEXt Software names gradviz and its version" grep -q "^tEXt Software gradviz [0-9]" "$T/chunks"
check "PNG iTXt Source holds the graph, compressed" grep -q "^iTXt Source 1 # The tanh neuron" "$T/chunks"
"$G" render "$SRC/examples/neuron.expr" -o "$T/d300.png" --dpi 300 >/dev/null 2>&1
python3 "$D/png_chunks.py" "$T/d300.png" > "$T/chunks300" 2>&1
check "PNG --dpi 300: pHYs 11811" grep -qx "pHYs 11811 11811 1" "$T/chunks300"
check "PNG --dpi 300: pixels scale with dpi" python3 -c "
import sys
a = [l.split() for l in open(sys.argv[1]) if l.startswith('IHDR')][0]
b = [l.split() for l in open(sys.argv[2]) if l.startswith('IHDR')][0]
sys.exit(not abs(int(b[1]) / int(a[1]) - 300 / 144) < 0.01)" "$T/chunks" "$T/chunks300"

# standard output
"$G" render "$SRC/examples/neuron.expr" -o - --format svg > "$T/stdout.svg" 2>/dev/null
check "-o - --format svg writes the SVG to stdout" cmp "$T/stdout.svg" "$T/neuron.svg"
check "--format overrides the suffix" sh -c "'$G' render '$SRC/examples/neuron.expr' -o '$T/fig.out' --format pdf && head -c 5 '$T/fig.out' | grep -q '%PDF-'"
check "DOT on stdin" sh -c "'$G' render - -o '$T/stdin.png' < '$SRC/examples/ab-b1.dot'"

# big graphs: the column layout
check "columns layout" "$G" render "$D/net221.expr" -o "$T/cols.png" --layout columns --dump-layout "$T/cols.json"
check "columns layout: no text overlaps" python3 "$D/layout_check.py" "$T/cols.json"
check "columns layout, TB" "$G" render "$D/tb.dot" -o "$T/colstb.svg" --layout columns --dump-layout "$T/colstb.json"
check "columns layout, TB: no text overlaps" python3 "$D/layout_check.py" "$T/colstb.json"
check "columns layout, TB: output below its operands" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
y = {n['id']: n['y'] for n in d['nodes']}
sys.exit(not (y['u'] < y['p'] < y['q']))" "$T/colstb.json"
check "columns layout: nodes do not overlap" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
n = d['nodes']
bad = [(a['id'], b['id']) for i, a in enumerate(n) for b in n[i+1:]
       if a['x'] < b['x'] + b['w'] and b['x'] < a['x'] + a['w'] and a['y'] < b['y'] + b['h'] and b['y'] < a['y'] + a['h']]
print(bad); sys.exit(bool(bad))" "$T/cols.json"

# a legend swatch says something: cs231n draws inputs and operations alike,
# so one swatch names both; the default style keeps them apart
"$G" render "$SRC/examples/neuron.expr" --style cs231n -o "$T/cs.png" --dump-layout "$T/cs.json" >/dev/null 2>&1
check "cs231n legend: one swatch for inputs and operations drawn alike" has "$T/cs.json" "input, operation"
check "default legend: input and operation apart" has "$T/neuron.json" "input" "operation"

# the annotated DOT keeps the names a formula's parts are drawn with:
# read back, they show those names, never their id n#1
"$G" render "$T/neuron.dot" -o "$T/neuron-back.png" --dump-layout "$T/neuron-back.json" >/dev/null 2>&1
check "annotated DOT read back: parts keep their names" python3 -c "
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
drawn = [t['text'] for t in d['texts'] if t['owner'] == 'node']
sys.exit(any('n#' in t for t in drawn) or drawn.count('\u00d7') != 2
         or 'x1\u00b7w1' not in drawn or '\u2202C/\u2202(x2\u00b7w2) = 0.5' not in drawn)" "$T/neuron-back.json"
check "annotated DOT read back: eval gives the parts their names" sh -c \
  "'$G' eval '$T/neuron.dot' --format json | python3 -c \"import json, sys; d = json.load(sys.stdin); sys.exit([n['label'] for n in d['nodes'] if n['id'].startswith('n#')] != ['x1\u00b7w1', 'x2\u00b7w2'])\""

# --help: one line per option, every option the command takes, and where
# the style format is; the style README describes every key of the default
"$G" render --help > "$T/help.txt" 2>&1
for o in "-o OUT" --format --style --show --precision --dpi --highlight --output \
         --layout --dump-layout --steps --expand --help --version; do
  check "render --help lists $o on its own line" grep -qE "^  (-h, )?$o " "$T/help.txt"
done
check "render --help says where the style format is described" grep -q "styles/README" "$T/help.txt"
check "render --help fits 80 columns (but the installed path)" awk 'length($0) > 80 && !/styles\/README$/ { exit 1 }' "$T/help.txt"
for k in $(sed -n 's/^\([a-z-]*\) *=.*/\1/p' "$SRC/styles/default.style"); do
  check "styles/README describes the key $k" grep -qE "^    $k +[a-z]+ " "$SRC/styles/README"
done

# bad input: a clear message, the right status, and no file
fails() { # fails STATUS MESSAGE-PART OUTFILE ARGS...
  want=$1 msg=$2 out=$3; shift 3
  "$G" render "$@" > "$T/fo" 2> "$T/fe"
  got=$?
  if [ "$got" -eq "$want" ] && grep -qF -- "$msg" "$T/fe" && [ ! -e "$out" ] &&
     [ -z "$(ls "$T/errs" 2>/dev/null)" ]; then return 0; fi
  echo "status $got, stderr: $(cat "$T/fe")"
  return 1
}
mkdir -p "$T/errs"
check "unknown suffix: exit 2" fails 2 "cannot tell the format of" "$T/errs/x.jpg" "$SRC/examples/ab-b1.dot" -o "$T/errs/x.jpg"
check "unknown --format: exit 2" fails 2 "unknown format 'gif'" "$T/errs/x.png" "$SRC/examples/ab-b1.dot" -o "$T/errs/x.png" --format gif
check "unwritable path: exit 3" fails 3 "cannot write" "$T/errs/no/x.png" "$SRC/examples/ab-b1.dot" -o "$T/errs/no/x.png"
check "missing style: exit 2" fails 2 "no style named 'nosuch'" "$T/errs/x.png" "$SRC/examples/ab-b1.dot" -o "$T/errs/x.png" --style nosuch
printf 'font-size = 11\n\nbackward = orange\n' > "$T/broken.style"
check "broken style names FILE:LINE" fails 2 "broken.style:3: backward: 'orange' is not a colour" "$T/errs/x.png" "$SRC/examples/ab-b1.dot" -o "$T/errs/x.png" --style "$T/broken.style"
printf 'fnot-size = 11\n' > "$T/broken2.style"
check "unknown style key names FILE:LINE" fails 2 "broken2.style:1: unknown style key 'fnot-size'" "$T/errs/x.png" "$SRC/examples/ab-b1.dot" -o "$T/errs/x.png" --style "$T/broken2.style"
check "--highlight of an unknown node: exit 2" fails 2 "--highlight: no node named 'zz'" "$T/errs/x.png" "$SRC/examples/ab-b1.dot" -o "$T/errs/x.png" --highlight zz
check "--output of an unknown node: exit 2" fails 2 "--output: no node named 'zz'" "$T/errs/x.svg" "$SRC/examples/ab-b1.dot" -o "$T/errs/x.svg" --output zz
check "unknown --show item: exit 2" fails 2 "unknown item 'colours'" "$T/errs/x.png" "$SRC/examples/ab-b1.dot" -o "$T/errs/x.png" --show colours
check "--expand of an unknown group: exit 2, the groups named" fails 2 \
  "--expand: no group named 'zz' (groups: z1, z2, h1, h2, zo, a, C)" "$T/errs/x.png" "$SRC/examples/net-2-2-1.expr" -o "$T/errs/x.png" --expand zz
check "--highlight with collapsed groups: exit 2" fails 2 \
  "--highlight: paths are listed through every node: it needs every group drawn in full, and 7 are collapsed (--expand all)" "$T/errs/x.png" "$SRC/examples/net-2-2-1.expr" -o "$T/errs/x.png" --expand none --highlight x1
check "--steps-by unknown: exit 2, the three named" fails 2 "unknown --steps-by 'row' (node, statement or layer)" \
  "$T/errs/x.png" "$SRC/examples/neuron.expr" -o "$T/errs/x.png" --steps "$T/errs/s" --steps-by row
check "missing graph: exit 2" fails 2 "cannot open" "$T/errs/x.png" "$T/nothere.dot" -o "$T/errs/x.png"
check "-o - without --format: exit 2" fails 2 "needs --format" "$T/errs/x.png" "$SRC/examples/ab-b1.dot" -o -
cp "$SRC/examples/ab-b1.dot" "$T/self.dot"
check "refuses to overwrite the input" fails 2 "is the input file" "$T/errs/none" "$T/self.dot" -o "$T/self.dot"
check "the input is untouched" cmp "$T/self.dot" "$SRC/examples/ab-b1.dot"

echo "1..$n"
