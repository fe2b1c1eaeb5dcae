#!/usr/bin/env python3
"""render_figures.py: render tests through the command line. Every example
and test graph drawn once into every format (PNG, SVG, PDF, annotated DOT)
with its layout dump, and each file checked for what it holds: the PNG's
pixels and the PDF's page are the page's size at the dpi, the SVG parses
and holds the dump's texts, rsvg-convert and dot draw what was written,
the PDF embeds its fonts, the annotated DOT reads back to the same numbers.
Then determinism across processes (each format drawn alone, byte for
byte), what was drawn (the layout dump: known numbers, options, the
planner's choices), styles, PNG chunks, standard output, the column
layout, --help, and bad input (one message, the status, no file).

One Python process (tests/tap.py); gradviz and the other programs run as
its children, a few at a time. Prints TAP.
"""
import contextlib
import io
import json
import os
import re
import shutil
import struct
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # no __pycache__ in the (maybe read-only) source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/
import tap  # noqa: E402
from tap import GRADVIZ, SRC, check, ok  # noqa: E402

D = os.path.join(SRC, "tests", "data", "render")
EX = os.path.join(SRC, "examples")
sys.path.insert(0, D)
import layout_check  # noqa: E402
import png_chunks  # noqa: E402

T = tempfile.mkdtemp(prefix="gdv-render.")


def p(*parts):
    """A path in the test's folder."""
    return os.path.join(T, *parts)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def png_size(path):
    """(width, height) from a PNG's header, or None when it is not one."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def quiet(fn, *args):
    """(status, printed) of a checker's main that prints its problems."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = fn(*args)
    return status, out.getvalue()


def page_size(d):
    """The figure's page in points (the page it took, or its own size)."""
    page = d.get("page")
    return (page["width"], page["height"]) if page else (d["width"], d["height"])


def drawn(d):
    return [t["text"] for t in d["texts"]]


def has(d, *texts):
    """Every text is a drawn string: (ok, diag)."""
    missing = [s for s in texts if s not in drawn(d)]
    return not missing, "missing: %r\ndrawn: %r" % (missing, drawn(d))


def lacks(d, prefix):
    """No drawn string (but the legend's) starts with prefix."""
    bad = [t["text"] for t in d["texts"] if t["text"].startswith(prefix) and t["owner"] != "legend"]
    return not bad, "drawn: %r" % bad


def same_numbers(a, b):
    """Two eval JSONs agree on every node's and edge's numbers."""
    na = [(n["id"], n["value"], n["grad"]) for n in a["nodes"]]
    nb = [(n["id"], n["value"], n["grad"]) for n in b["nodes"]]
    ea = [(e["from"], e["to"], e["local"], e["grad"]) for e in a["edges"]]
    eb = [(e["from"], e["to"], e["local"], e["grad"]) for e in b["edges"]]
    return na == nb and ea == eb


# ---- every graph in every format ----------------------------------------

GRAPHS = sorted(os.path.join(EX, f) for f in os.listdir(EX)
                if f.endswith((".dot", ".gv", ".expr")))
GRAPHS += [os.path.join(D, f) for f in (
    "fanout3.expr", "xx.dot", "softmax_ce.expr", "net221.expr", "nonfinite.expr",
    "nan_spread.expr", "unreached.dot", "tb.dot", "tiny_big.expr")]


def base(g):
    return os.path.splitext(os.path.basename(g))[0]


jobs = {}
for g in GRAPHS:
    b = base(g)
    jobs["all " + b] = [GRADVIZ, "render", g] + [a for f in ("png", "svg", "pdf", "dot")
                                                 for a in ("-o", p(b + "." + f))] + \
        ["--dump-layout", p(b + ".json")]
    jobs["eval " + b] = [GRADVIZ, "eval", g, "--format", "json"]
out = tap.run_all(jobs)
jobs = {}
for g in GRAPHS:
    b = base(g)
    jobs["rsvg " + b] = ["rsvg-convert", "-o", p(b + ".svg.png"), p(b + ".svg")]
    jobs["pdffonts " + b] = ["pdffonts", p(b + ".pdf")]
    jobs["back " + b] = [GRADVIZ, "eval", p(b + ".dot"), "--format", "json"]
    jobs["dot " + b] = ["dot", "-Tpng", "-o", p(b + ".dot.png"), p(b + ".dot")]
# each format alone in another process: the same bytes (the same file
# name, as an SVG's ids start with it)
os.makedirs(p("again"))
for f in ("png", "svg", "pdf", "dot"):
    jobs["again " + f] = [GRADVIZ, "render", os.path.join(EX, "neuron.expr"), "-o",
                          p("again", "neuron." + f)]
out.update(tap.run_all(jobs))

for g in GRAPHS:
    b = base(g)
    r = out["all " + b]
    try:
        d = load(p(b + ".json"))
    except (OSError, ValueError) as e:
        d = None
        why = e
    w, h = page_size(d) if d else (0, 0)
    size = png_size(p(b + ".png")) if r.returncode == 0 else None
    ok(size is not None and abs(size[0] - w * 2) <= 1 and abs(size[1] - h * 2) <= 1,
       "%s renders as png: %s pixels, the page's %gx%g pt at 144 dpi" % (b, size, w, h), r.stderr)
    try:
        root = ET.parse(p(b + ".svg")).getroot()
        svg_wh = (float(root.get("width").rstrip("pt")), float(root.get("height").rstrip("pt")))
    except (OSError, ET.ParseError, AttributeError, ValueError) as e:
        root, svg_wh = None, e
    ok(root is not None and abs(svg_wh[0] - w) < 0.01 and abs(svg_wh[1] - h) < 0.01,
       "%s renders as svg: %s pt, the page's size" % (b, svg_wh), r.stderr)
    pdf = open(p(b + ".pdf"), "rb").read() if os.path.exists(p(b + ".pdf")) else b""
    box = re.search(rb"/MediaBox \[ ?0 0 ([0-9.]+) ([0-9.]+) ?\]", pdf)
    ok(pdf.startswith(b"%PDF-") and box and abs(float(box.group(1)) - w) < 0.5
       and abs(float(box.group(2)) - h) < 0.5,
       "%s renders as pdf: a page of %s pt" % (b, box.groups() if box else None), r.stderr)
    dot_text = open(p(b + ".dot"), encoding="utf-8").read() if os.path.exists(p(b + ".dot")) else ""
    try:
        ids = [n["id"] for n in json.loads(out["eval " + b].stdout)["nodes"]]
    except ValueError:
        ids = None
    ok(dot_text.startswith("digraph") and ids and all(i in dot_text for i in ids),
       "%s renders as dot: a digraph naming every node of eval" % b, r.stderr)
    ok(d is not None and d["nodes"] and all(0 <= n["x"] and n["x"] + n["w"] <= d["width"] + 0.5
                                            for n in d["nodes"]),
       "%s layout dump: %d nodes inside the figure" % (b, len(d["nodes"]) if d else 0),
       d is None and why)
    status, problems = quiet(layout_check.main, p(b + ".json")) if d else (1, "no dump")
    ok(status == 0, "%s: no text overlaps a text or another node" % b, problems)
    svg_texts = ["".join(e.itertext()) for e in root.iter() if e.tag.endswith("}text")] \
        if root is not None else None
    ok(d is not None and svg_texts is not None and sorted(svg_texts) == sorted(drawn(d)),
       "%s: SVG is well-formed XML holding the dump's %d texts" % (b, len(svg_texts or [])),
       "svg: %r\ndump: %r" % (svg_texts, d and drawn(d)))
    size = png_size(p(b + ".svg.png")) if out["rsvg " + b].returncode == 0 else None
    ok(size is not None and abs(size[0] - w * 4 / 3) <= 1 and abs(size[1] - h * 4 / 3) <= 1,
       "%s: rsvg-convert renders the SVG (%s pixels at 96 dpi)" % (b, size),
       out["rsvg " + b].stderr)
    fonts = [line.split() for line in out["pdffonts " + b].stdout.splitlines()[2:]]
    ok(fonts and all(f[-5] == "yes" for f in fonts),
       "%s: PDF fonts all embedded (%d)" % (b, len(fonts)), out["pdffonts " + b].stdout)
    try:
        back = same_numbers(json.loads(out["eval " + b].stdout), json.loads(out["back " + b].stdout))
    except ValueError:
        back = False
    ok(back, "%s: annotated DOT reads back to the same numbers" % b, out["back " + b].stderr)
    size = png_size(p(b + ".dot.png")) if out["dot " + b].returncode == 0 else None
    ok(size is not None and size[0] > 20 and size[1] > 20,
       "%s: dot -Tpng draws the annotated DOT (%s pixels)" % (b, size), out["dot " + b].stderr)

for f in ("png", "svg", "pdf", "dot"):
    a, b = p("neuron." + f), p("again", "neuron." + f)
    ok(open(a, "rb").read() == open(b, "rb").read() if os.path.exists(b) else False,
       "byte-identical %s in two processes (drawn alone, and with the other formats)" % f,
       out["again " + f].stderr)

# ---- what was drawn: the layout dumps of more options -------------------

NEURON, AB, NET = (os.path.join(EX, x) for x in ("neuron.expr", "ab-b1.dot", "net-2-2-1.expr"))
BN = os.path.join(EX, "batchnorm.expr")
GRU = os.path.join(SRC, "tests", "render", "plan", "course", "gru-cell.expr")
MLP = os.path.join(SRC, "tests", "render", "plan", "course", "mlp-3-3-3-softmax-xent.expr")
CLUSTERS = p("clusters.dot")
with open(CLUSTERS, "w") as f:
    f.write("""digraph G {
  gradviz_expand=none;
  x [value=1]; w [value=2, role=param]; b [value=0.5, role=param];
  subgraph cluster_h { label="h = tanh(w·x + b)"; m [op=mul]; s [op=add]; h [op=tanh]; }
  subgraph cluster_two { p [op=square]; q [op=neg]; }
  C [op=add];
  x -> m; w -> m; m -> s; b -> s; s -> h; h -> p; h -> q; p -> C; q -> C; x -> C;
}
""")
DUMPS = {  # name: graph and options; each drawn as NAME.png with NAME.json
    "net221-all": (os.path.join(D, "net221.expr"), "--expand", "all"),
    "nan_all": (os.path.join(D, "nan_spread.expr"), "--expand", "all"),
    "tb-natural": (os.path.join(D, "tb.dot"), "--page", "none"),
    "hl": (AB, "--highlight", "b"),
    "s": (NEURON, "--show", "values,legend"),
    "s2": (NEURON, "--show=-locals"),
    "p": (NEURON, "--precision", "2"),
    "o": (AB, "--output", "c"),
    "xn": (NET, "--expand", "none"),
    "xz": (NET, "--expand", "z1,C"),
    "x0": (NET,),
    "u-x-squared": (os.path.join(EX, "x-squared.dot"),),
    "u-weight-tying": (os.path.join(EX, "weight-tying.dot"),),
    "u-neuron": (NEURON,),
    "bn": (BN, "--expand", "all"),
    "d-batchnorm": (BN,),
    "bn-a4": (BN, "--page", "a4"),
    "d-gru-cell": (GRU,),
    "gn": (GRU, "--page", "none", "--expand", "none"),
    "so-m": (MLP, "--expand", "none"),
    "mh": (MLP,),
    "so-n": (NEURON, "--expand", "all"),
    "cl": (CLUSTERS,),
    "cl2": (CLUSTERS, "--expand", "all"),
    "cols": (os.path.join(D, "net221.expr"), "--layout", "columns"),
    "cs": (NEURON, "--style", "cs231n"),
    "neuron-back": (p("neuron.dot"),),
}
jobs = {k: [GRADVIZ, "render", v[0], "-o", p(k + (".svg" if k == "colstb" else ".png")),
            "--dump-layout", p(k + ".json")] + list(v[1:]) for k, v in DUMPS.items()}
jobs["colstb"] = [GRADVIZ, "render", os.path.join(D, "tb.dot"), "-o", p("colstb.svg"),
                  "--layout", "columns", "--dump-layout", p("colstb.json")]
jobs["bn.dot"] = [GRADVIZ, "render", BN, "-o", p("bn.dot")]
jobs["xsteps"] = [GRADVIZ, "render", NEURON, "--expand", "none", "--steps", p("xsteps")]
jobs["lsteps"] = [GRADVIZ, "render", NEURON, "--steps", p("lsteps"), "--steps-by", "layer"]
jobs["d300"] = [GRADVIZ, "render", NEURON, "-o", p("d300.png"), "--dpi", "300"]
jobs["stdout"] = [GRADVIZ, "render", NEURON, "-o", "-", "--format", "svg"]
jobs["fig.out"] = [GRADVIZ, "render", NEURON, "-o", p("fig.out"), "--format", "pdf"]
jobs["neuron-back eval"] = [GRADVIZ, "eval", p("neuron.dot"), "--format", "json"]
jobs["help"] = [GRADVIZ, "render", "--help"]
out = tap.run_all(jobs)
dumps = {}
for k in list(DUMPS) + ["colstb"]:
    try:
        dumps[k] = load(p(k + ".json"))
    except (OSError, ValueError):
        dumps[k] = {"nodes": [], "edges": [], "texts": [], "page": {}, "legend": {}}
J = dict((b, load(p(b + ".json"))) for b in map(base, GRAPHS) if os.path.exists(p(b + ".json")))
J.update(dumps)



def ids_of(d):
    return {n["id"]: n for n in d["nodes"]}


check("ab-b1: fan-out sum, edge grads and values drawn", lambda: has(
    J["ab-b1"], "∂C/∂b = 2 + 3 = 5", "grad 2", "grad 3", "local 3", "value 6", "e = c*d = C",
    "∂C/∂e = 1", "(a+b)*(b+1): b fans out, dC/db = 2 + 3"))
check("ab-b1: the constant drawn as 1 (named one) says ∂C/∂(1) = 3, not dC/d(one)",
      lambda: has(J["ab-b1"], "∂C/∂(1) = 3"))
check("ab-b1: no gradient named after an id the figure does not show",
      lambda: lacks(J["ab-b1"], "∂C/∂one"))
check("neuron: values, grads and locals drawn", lambda: has(
    J["neuron"], "value 0.7071", "∂C/∂o = 1", "∂C/∂n = 0.5", "∂C/∂w1 = 1", "∂C/∂x1 = −1.5",
    "local −3", "grad −1.5", "o = tanh(n)", "value 6.881"))
check("net221 in full: the legend explains op symbols",
      lambda: has(J["net221-all"], "×", "mul", "−", "sub / neg", "σ", "sigmoid"))
check("xx: x*x is two edges, each local 3, sum 3 + 3",
      lambda: has(J["xx"], "∂C/∂x = 3 + 3 = 6", "local 3", "grad 3"))
check("fanout3: three terms with a negative one",
      lambda: has(J["fanout3"], "∂C/∂x = 2 + 1 + (−0.99) = 2.01"))
check("tiny_big: scientific notation (k listed in y's box)",
      lambda: has(J["tiny_big"], "value 1.234×10⁻⁵", "k = 2×10⁶"))
check("nonfinite: NaN drawn", lambda: has(J["nonfinite"], "value NaN"))
check("unreached: z greyed, L not",
      lambda: ids_of(J["unreached"])["z"]["greyed"] and not ids_of(J["unreached"])["L"]["greyed"])
check("nonfinite: flagged", lambda: any(n["nonfinite"] for n in J["nonfinite"]["nodes"]))


def nan_marks():
    """log(0) arises at l: a filled mark and a note there, hollow marks
    where it spread (forward to y, backward to x, w and the constant), each
    on its box's top-right corner; the legend names both marks."""
    d = J["nan_all"]
    nodes = {("3" if n["kind"] == "const" else n["id"]): n for n in d["nodes"]}
    marks = {k: n["mark"]["kind"] for k, n in nodes.items() if "mark" in n}
    assert marks == {"l": "origin", "x": "spread", "w": "spread", "3": "spread", "y": "spread"}, marks
    for k, n in nodes.items():
        m = n["mark"]
        assert abs(m["x"] + m["w"] / 2 - (n["x"] + n["w"])) < 0.01 and \
            abs(m["y"] + m["h"] / 2 - n["y"]) < 0.01, (k, m, n)
    notes = [t for t in d["texts"] if t["owner"] == "node" and t["text"] == "NaN/\u221e starts here"]
    assert [t["index"] for t in notes] == [nodes["l"]["index"]], notes
    l, t = nodes["l"], notes[0]
    assert l["x"] <= t["x"] and t["x"] + t["w"] <= l["x"] + l["w"] and \
        l["y"] <= t["y"] and t["y"] + t["h"] <= l["y"] + l["h"], (l, t)
    legend = [t["text"] for t in d["texts"] if t["owner"] == "legend"]
    assert "NaN/\u221e starts here" in legend and "NaN/\u221e from a neighbour" in legend, legend
    return True


check("nan_spread (every node drawn): marks where NaN/inf arises and where it spread", nan_marks)
check("neuron: no NaN/inf marks on a finite graph", lambda: not any(
    "mark" in n or n["nonfinite"] for n in J["neuron"]["nodes"]) and not any(
    "NaN" in t["text"] for t in J["neuron"]["texts"]))
check("tb: rankdir=TB puts the output below its operands",
      lambda: ids_of(J["tb"])["u"]["y"] < ids_of(J["tb"])["p"]["y"] < ids_of(J["tb"])["q"]["y"])
check("tb: the legend of a narrow graph wraps (at most 300 pt of text a row)",
      lambda: (J["tb-natural"]["legend"]["w"] <= 300 + 2 * 6 + 1, J["tb-natural"]["legend"]))
check("neuron: LR puts the output right of the inputs", lambda: ids_of(J["neuron"])["x1"]["x"] <
      ids_of(J["neuron"])["n"]["x"] < ids_of(J["neuron"])["o"]["x"])


def widest_edge():
    d = J["neuron"]
    w = {(e["from"], e["to"]): e["width"] for e in d["edges"]}
    ix = {n["id"]: n["index"] for n in d["nodes"]}
    return w[(ix["x1"], ix["n#1"])] >= max(w.values()) - 1e-9 > min(w.values())


check("flow: the widest edge carries the largest |grad|", widest_edge)
# --highlight: the chain rule as a sum over paths
check("highlight b: paths, products and their sum", lambda: has(
    J["hl"], "path b→c→e: 1 × 2 = 2", "path b→d→e: 1 × 3 = 3", "sum = 5 = ∂C/∂b = 5"))
check("highlight b: no overlaps", lambda: (lambda r: (r[0] == 0, r[1]))(
    quiet(layout_check.main, p("hl.json"))))
check("highlight b: path nodes marked, a not", lambda: all(
    ids_of(J["hl"])[k]["on_path"] for k in "bcde") and not ids_of(J["hl"])["a"]["on_path"])
# --show, --precision, --output
check("--show values,legend: values drawn", lambda: has(J["s"], "value 0.7071"))
check("--show values,legend: no gradients drawn", lambda: lacks(J["s"], "∂C/"))
check("--show values,legend: no locals drawn", lambda: lacks(J["s"], "local"))
check("--show=-locals: grads kept", lambda: has(J["s2"], "grad −1.5", "∂C/∂o = 1"))
check("--show=-locals: locals gone", lambda: lacks(J["s2"], "local "))
check("--precision 2", lambda: has(J["p"], "value 0.71", "value 6.9"))
check("--output c: c is C, e does not reach it",
      lambda: has(J["o"], "c = a+b = C", "∂C/∂c = 1", "∂C/∂b = 1"))


# --expand: a collapsed group is one node with its equation and exact sums
def names(d):
    return [t["text"] for t in d["texts"] if t["kind"] == "name"]


check("--expand none: net-2-2-1 draws 9 nodes, 10 edges (the literal 0.5, y and the weights "
      "are in equations)", lambda: len(J["xn"]["nodes"]) == 9 and len(J["xn"]["edges"]) == 10
      and "0.5" not in names(J["xn"]) and "y" not in names(J["xn"]))
check("--expand none: the leaves inside a group's node, values then gradients", lambda: has(
    J["xn"], "w11 = 0.5, w12 = −0.3", "b1 = 0.1", "∂C/∂w11 = −0.0235", "∂C/∂w12 = −0.01175",
    "∂C/∂b1 = −0.0235", "y = 1", "∂C/∂y = 0.3583", "∂C/∂v1 = −0.0503"))
check("--expand none: equations, values and sums", lambda: has(
    J["xn"], "z1 = w11·x1 + w12·x2 + b1", "h1 = sigmoid(z1)", "C = 0.5 · (a − y)²", "value 0.45",
    "∂C/∂z1 = −0.0235", "∂C/∂x1 = −0.01175 + (−0.005767) = −0.01752", "local 0.2378"))
check("--expand none: no op symbols in collapsed nodes", lambda: lacks(J["xn"], "σ"))
check("--expand none: no overlaps", lambda: (lambda r: (r[0] == 0, r[1]))(
    quiet(layout_check.main, p("xn.json"))))


def sums_add_up():
    def num(t):
        return float(t.replace("\u2212", "-").replace("(", "").replace(")", ""))
    for t in J["xn"]["texts"]:
        if t["kind"] != "sum" or t["owner"] != "node":
            continue
        terms, total = t["text"].split(" = ")[1:3]
        if abs(sum(num(x) for x in terms.split(" + ")) - num(total)) > 1e-4 * max(1, abs(num(total))):
            return False, t["text"]
    return True


check("--expand none: every node's shown terms add to its gradient", sums_add_up)
check("--expand z1,C: their nodes are back, with their leaves and the literal 0.5 (18 nodes)",
      lambda: len(J["xz"]["nodes"]) == 18 and all(x in names(J["xz"]) for x in ("0.5", "w11", "y")))
# The planner (issue 20): the choices it makes. Units of one layer are
# drawn alike: net-2-2-1's z1 and z2 both collapsed or both not, h1 and h2
check("net-2-2-1: the units of one layer get one level of detail (z1, z2; h1, h2)",
      lambda: ("z1" in ids_of(J["x0"])) == ("z2" in ids_of(J["x0"])) and
      ("h1" in ids_of(J["x0"])) == ("h2" in ids_of(J["x0"])))
for f in ("x-squared.dot", "weight-tying.dot", "neuron.expr"):  # never folded
    check("%s: drawn unfolded, in one row" % f,
          lambda f=f: J["u-" + base(f)]["page"]["bands"] == 1)


# a long sum wrapped in the figure is one line in the annotated DOT
def bn_wraps():
    t = [x["text"] for x in J["bn"]["texts"] if x["kind"] == "sum"]
    i = [k for k, x in enumerate(t) if x.startswith("\u2202C/\u2202mu = ")][0]
    j = i + 1
    while j < len(t) and t[j][:2] in ("+ ", "= "):
        j += 1
    whole = " ".join(t[i:j])
    return j - i >= 2 and whole == ("\u2202C/\u2202mu = \u22121.587 + (\u22122.182) + (\u22121.786)"
                                    " = \u22125.555"), t


check("batchnorm: the figure wraps dC/dmu's sum over lines that join to the whole sum", bn_wraps)
check("batchnorm: the annotated DOT keeps it one line", lambda: "<FONT COLOR=\"#B34F04\">∂C/∂mu = "
      "−1.587 + (−2.182) + (−1.786) = −5.555</FONT>" in open(p("bn.dot"), encoding="utf-8").read())


def bn_every_statement():
    d = J["d-batchnorm"]
    by = {}
    for t in d["texts"]:
        if t["owner"] == "node":
            by.setdefault(t["index"], []).append(t["text"])
    ix = {n["index"]: n["id"] for n in d["nodes"]}
    box = {ix[i]: " ".join(v) for i, v in by.items()}
    for s in ("mu", "d1", "d2", "d3", "var", "sd", "y1", "y2", "y3", "L"):
        assert s in box and "value" in box[s], (s, box.get(s))
    assert "∂C/∂mu = −1.587 + (−2.182) + (−1.786) = −5.555" in box["mu"], box["mu"]
    assert "∂C/∂x1 = −1.852 + 1.587 = −0.2645" in box["x1"], box["x1"]
    return True


check("batchnorm: every statement drawn with its value and gradient, dC/dmu and dC/dx1 term "
      "by term", bn_every_statement)
check("batchnorm on a portrait A4: x1..x3 and mu stay nodes",
      lambda: {"x1", "x2", "x3", "mu"} <= set(ids_of(J["bn-a4"])))


def gru_wraps():
    t = names(J["d-gru-cell"])
    assert not any(x.endswith("(1") or x.startswith("\u2212 z)") for x in t), t
    assert any(x.startswith("hnew = ") for x in t) and any(x.startswith("z = sigmoid(") for x in t), t
    return True


check("gru-cell: no line cut inside (1 − z), every equation drawn", gru_wraps)
check("gru-cell: --page none keeps every equation on one line",
      lambda: "z = sigmoid(wz·x + uz·h + bz)" in drawn(J["gn"]))
# the 3-3-3 network: each hidden unit's gradient is the sum over the
# three outputs it feeds, never merged into one term
check("the 3-3-3 network: dC/dh1 a sum of its three terms", lambda: (lambda t: (
    "∂C/∂h1 = 0.2716 + 0.3807" in t and "0.03734 = 0.6896" in t, t))(
    " ".join(x["text"] for x in J["mh"]["texts"] if x["owner"] == "node")))


# source order: each layer reads top to bottom as the file was written
def above(d, *order):
    y = {n["id"]: n["y"] for n in d["nodes"]}
    return all(y[a] < y[b] for a, b in zip(order, order[1:])), y


check("neuron: inputs top to bottom as declared, each beside its weight (x1, w1, x2, w2)",
      lambda: above(J["so-n"], "x1", "w1", "x2", "w2"))
check("neuron: and still no crossing", lambda: J["so-n"]["crossings"] == 0)
for layer in ("x1 x2 x3", "h1 h2 h3", "z1 z2 z3", "e1 e2 e3", "p1 p2 p3"):
    check("the 3-3-3 network: %s top to bottom" % layer,
          lambda layer=layer: above(J["so-m"], *layer.split()))
# a cluster's members are named nodes: its box lists each one's value and
# gradient
check("gradviz_expand=none: cluster_h is one node listing w, b, m and s; cluster_two (two exits) "
      "stays whole", lambda: has(
          J["cl"], "h = tanh(w·x + b)", "value 0.9866", "local 0.05318", "p", "q",
          "∂C/∂x = 0.05176 + 1 = 1.052", "w = 2, b = 0.5, m = 2", "s = 2.5", "∂C/∂m = 0.02588",
          "∂C/∂s = 0.02588"))
check("a cluster with two exits: a note names them", lambda: (
    "group 'cluster_two' is drawn in full: more than one of its nodes is used outside it or is "
    "a result (p, q)" in out["cl"].stderr, out["cl"].stderr))
check("--expand all wins over gradviz_expand", lambda: len(J["cl2"]["nodes"]) == 9)
check("--steps with --expand none: frames of the figure's nodes (n and o, x1..b inside n)",
      lambda: (": 4 frames" in out["xsteps"].stdout, out["xsteps"].stdout + out["xsteps"].stderr))
check("--steps-by layer: the neuron in 7 frames",
      lambda: (": 7 frames" in out["lsteps"].stdout, out["lsteps"].stdout + out["lsteps"].stderr))

# ---- styles --------------------------------------------------------------
with open(p("mine.style"), "w") as f:
    f.write("forward = #000000\nfont-size = 12 # bigger\n")
STYLES = {s: ["--style", s] for s in ("default", "print", "dark", "cs231n")}
STYLES["file"] = ["--style", p("mine.style")]
STYLES["env"] = ["--style", "mine"]
env = dict(os.environ, GRADVIZ_STYLE_PATH=T)
jobs = {s: [GRADVIZ, "render", AB, "-o", p("st-%s.svg" % s)] + a for s, a in STYLES.items()}
styled = tap.run_all({k: v for k, v in jobs.items() if k != "env"})
styled["env"] = tap.run(jobs["env"], env=env)


def style_colours(s):
    """The colours of a style's SVG."""
    return set(re.findall(r"#[0-9a-f]{6}", open(p("st-%s.svg" % s), encoding="utf-8").read()))


base_colours = style_colours("default")
for s in ("default", "print", "dark", "cs231n"):
    check("style %s: drawn, in colours of its own" % s, lambda s=s: (
        styled[s].returncode == 0 and (s == "default" or style_colours(s) != base_colours),
        styled[s].stderr))
check("style from a FILE: its forward colour (#000000) in place of the default's #0072b2",
      lambda: ("#0072b2" in base_colours and "#0072b2" not in style_colours("file"),
               styled["file"].stderr))
def svg_without_ids(name):
    """An SVG's text with its id prefix (base name and hash) made neutral."""
    return re.sub(rb"st-(env|file)-[0-9a-f]{8}-", b"ID-", open(p(name), "rb").read())


check("GRADVIZ_STYLE_PATH finds a style: the same figure as the FILE", lambda: (
    svg_without_ids("st-env.svg") == svg_without_ids("st-file.svg"), styled["env"].stderr))

# ---- PNG insides: pHYs from --dpi, Software, the source as compressed iTXt
chunks = quiet(png_chunks.main, p("neuron.png"))[1].splitlines()
chunks300 = quiet(png_chunks.main, p("d300.png"))[1].splitlines() if os.path.exists(p("d300.png")) else []
check("PNG pHYs is 144 dpi (5669 per metre)", lambda: ("pHYs 5669 5669 1" in chunks, chunks))
check("PNG tEXt Software names gradviz and its version", lambda: any(
    re.match(r"tEXt Software gradviz [0-9]", c) for c in chunks))
check("PNG iTXt Source holds the graph, compressed", lambda: any(
    c.startswith("iTXt Source 1 # The tanh neuron") for c in chunks))
check("PNG --dpi 300: pHYs 11811", lambda: ("pHYs 11811 11811 1" in chunks300, chunks300))
check("PNG --dpi 300: pixels scale with dpi", lambda: abs(
    int([c for c in chunks300 if c.startswith("IHDR")][0].split()[1]) /
    int([c for c in chunks if c.startswith("IHDR")][0].split()[1]) - 300 / 144) < 0.01)

# ---- standard output ---------------------------------------------------
check("-o - --format svg writes the SVG to stdout",
      lambda: out["stdout"].stdout == open(p("neuron.svg"), encoding="utf-8").read())
check("--format overrides the suffix", lambda: open(p("fig.out"), "rb").read(5) == b"%PDF-")
stdin_run = tap.run([GRADVIZ, "render", "-", "-o", p("stdin.png")],
                    stdin=open(AB, encoding="utf-8").read())
check("DOT on stdin: the same PNG as from the file", lambda: (
    stdin_run.returncode == 0 and png_size(p("stdin.png")) == png_size(p("ab-b1.png")),
    stdin_run.stderr))

# ---- big graphs: the column layout ----------------------------------------
check("columns layout", lambda: (out["cols"].returncode == 0 and len(J["cols"]["nodes"]) > 0,
                                 out["cols"].stderr))
check("columns layout: no text overlaps", lambda: (lambda r: (r[0] == 0, r[1]))(
    quiet(layout_check.main, p("cols.json"))))
check("columns layout, TB", lambda: (out["colstb"].returncode == 0 and
                                     ET.parse(p("colstb.svg")) is not None, out["colstb"].stderr))
check("columns layout, TB: no text overlaps", lambda: (lambda r: (r[0] == 0, r[1]))(
    quiet(layout_check.main, p("colstb.json"))))
check("columns layout, TB: output below its operands", lambda: ids_of(J["colstb"])["u"]["y"] <
      ids_of(J["colstb"])["p"]["y"] < ids_of(J["colstb"])["q"]["y"])


def no_node_overlap():
    n = J["cols"]["nodes"]
    bad = [(a["id"], b["id"]) for i, a in enumerate(n) for b in n[i + 1:]
           if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and
           a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]]
    return not bad, bad


check("columns layout: nodes do not overlap", no_node_overlap)
# a legend swatch says something: cs231n draws inputs and operations
# alike, so one swatch names both; the default style keeps them apart
check("cs231n legend: one swatch for inputs and operations drawn alike",
      lambda: has(J["cs"], "input, operation"))
check("default legend: input and operation apart", lambda: has(J["neuron"], "input", "operation"))


# the annotated DOT keeps the names a formula's parts are drawn with: read
# back, they show those names, never their id n#1
def parts_named():
    t = [x["text"] for x in J["neuron-back"]["texts"] if x["owner"] == "node"]
    return not (any("n#" in x for x in t) or t.count("\u00d7") != 2 or "x1\u00b7w1" not in t or
                "\u2202C/\u2202(x2\u00b7w2) = 0.5" not in t), t


check("annotated DOT read back: parts keep their names", parts_named)
check("annotated DOT read back: eval gives the parts their names", lambda: [
    n["label"] for n in json.loads(out["neuron-back eval"].stdout)["nodes"]
    if n["id"].startswith("n#")] == ["x1\u00b7w1", "x2\u00b7w2"])

# ---- --help: one line per option, and where the style format is ----------
help_lines = out["help"].stdout.splitlines()
for o in ("-o OUT", "--format", "--style", "--show", "--precision", "--dpi", "--highlight",
          "--output", "--layout", "--dump-layout", "--steps", "--expand", "--help", "--version"):
    check("render --help lists %s on its own line" % o, lambda o=o: any(
        re.match(r"  (-h, )?%s " % re.escape(o), line) for line in help_lines))
check("render --help says where the style format is described",
      lambda: "styles/README" in out["help"].stdout)
check("render --help fits 80 columns (but the installed path)", lambda: (lambda long: (
    not long, long))([line for line in help_lines if len(line) > 80 and
                      not line.endswith("styles/README")]))
readme = open(os.path.join(SRC, "styles", "README"), encoding="utf-8").read()
for line in open(os.path.join(SRC, "styles", "default.style"), encoding="utf-8"):
    m = re.match(r"([a-z-]*) *=", line)
    if m:
        check("styles/README describes the key %s" % m.group(1), lambda k=m.group(1): re.search(
            r"^    %s +[a-z]+ " % re.escape(k), readme, re.M) is not None)

# ---- bad input: a clear message, the right status, and no file -----------
os.makedirs(p("errs"))
with open(p("broken.style"), "w") as f:
    f.write("font-size = 11\n\nbackward = orange\n")
with open(p("broken2.style"), "w") as f:
    f.write("fnot-size = 11\n")
shutil.copy(AB, p("self.dot"))
FAILS = [  # name, status, part of the message, the file that must not be, arguments
    ("unknown suffix: exit 2", 2, "cannot tell the format of", "x.jpg", [AB, "-o", p("errs", "x.jpg")]),
    ("unknown --format: exit 2", 2, "unknown format 'jpg'", "x.png",
     [AB, "-o", p("errs", "x.png"), "--format", "jpg"]),
    ("unwritable path: exit 3", 3, "cannot write", "no/x.png", [AB, "-o", p("errs", "no", "x.png")]),
    ("missing style: exit 2", 2, "no style named 'nosuch'", "x.png",
     [AB, "-o", p("errs", "x.png"), "--style", "nosuch"]),
    ("broken style names FILE:LINE", 2, "broken.style:3: backward: 'orange' is not a colour",
     "x.png", [AB, "-o", p("errs", "x.png"), "--style", p("broken.style")]),
    ("unknown style key names FILE:LINE", 2, "broken2.style:1: unknown style key 'fnot-size'",
     "x.png", [AB, "-o", p("errs", "x.png"), "--style", p("broken2.style")]),
    ("--highlight of an unknown node: exit 2", 2, "--highlight: no node named 'zz'", "x.png",
     [AB, "-o", p("errs", "x.png"), "--highlight", "zz"]),
    ("--output of an unknown node: exit 2", 2, "--output: no node named 'zz'", "x.svg",
     [AB, "-o", p("errs", "x.svg"), "--output", "zz"]),
    ("unknown --show item: exit 2", 2, "--show: unknown item 'colours'", "x.png",
     [AB, "-o", p("errs", "x.png"), "--show", "colours"]),
    ("--expand of an unknown group: exit 2, the groups named", 2,
     "--expand: no group named 'zz' (groups: z1, z2, h1, h2, zo, a, C)", "x.png",
     [NET, "-o", p("errs", "x.png"), "--expand", "zz"]),
    ("--highlight with collapsed groups: exit 2", 2,
     "--highlight: paths are listed through every node: it needs every group drawn in full, and "
     "7 are collapsed (--expand all)", "x.png",
     [NET, "-o", p("errs", "x.png"), "--expand", "none", "--highlight", "x1"]),
    ("--steps-by unknown: exit 2, the three named", 2,
     "unknown --steps-by 'row' (node, statement or layer)", "x.png",
     [NEURON, "-o", p("errs", "x.png"), "--steps", p("errs", "s"), "--steps-by", "row"]),
    ("missing graph: exit 2", 2, "cannot open", "x.png", [p("nothere.dot"), "-o", p("errs", "x.png")]),
    ("-o - without --format: exit 2", 2, "needs --format", "x.png", [AB, "-o", "-"]),
    ("refuses to overwrite the input", 2, "is the input file", "none", [p("self.dot"), "-o", p("self.dot")]),
]
failed = tap.run_all({f[0]: [GRADVIZ, "render"] + f[4] for f in FAILS})
for name, status, msg, outfile, _ in FAILS:
    r = failed[name]
    left = os.listdir(p("errs"))
    check(name, lambda r=r, status=status, msg=msg, left=left: (
        r.returncode == status and msg in r.stderr and len(r.stderr.splitlines()) == 1 and not left,
        "status %d, stderr: %s, left: %r" % (r.returncode, r.stderr, left)))
check("the input is untouched", lambda: open(p("self.dot"), "rb").read() == open(AB, "rb").read())

status = tap.done()
if status == 0:
    shutil.rmtree(T, ignore_errors=True)
else:
    print("# files kept in " + T)
sys.exit(status)
