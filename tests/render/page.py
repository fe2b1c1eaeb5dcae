#!/usr/bin/env python3
"""page.py: pages (--page) and the layout that meets them (issue 11):
sizes of every format on each page, the graph attributes that carry a
page, the errors, and what the fold draws (through --dump-layout). One
Python process (tests/tap.py); prints TAP.
"""
import contextlib
import io
import json
import math
import os
import re
import shutil
import struct
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the (maybe read-only) source tree
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # tests/
sys.path[:0] = [HERE, os.path.join(HERE, "data", "render")]
import tap  # noqa: E402
from tap import GRADVIZ, SRC, check, ok  # noqa: E402
import layout_check  # noqa: E402

T = tempfile.mkdtemp(prefix="gdv-page.")
E = os.path.join(SRC, "examples")
D = os.path.join(SRC, "tests", "data", "render")


def p(name):
    return os.path.join(T, name)


def write(name, text):
    with open(p(name), "w", encoding="utf-8") as f:
        f.write(text)


def is_(name, want, got):
    ok(want == got, name if want == got else "%s (want %r, got %r)" % (name, want, got))


def png_size(name):
    """(W, H) from the IHDR chunk, or None."""
    try:
        with open(p(name), "rb") as f:
            return struct.unpack(">II", f.read(24)[16:24])
    except (OSError, struct.error):
        return None


def pdf_size(name):
    """The first page's MediaBox (W, H) in points, rounded."""
    try:
        m = re.search(rb"/MediaBox \[\s*([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)", open(p(name), "rb").read())
        return (round(float(m.group(3)) - float(m.group(1)), 2),
                round(float(m.group(4)) - float(m.group(2)), 2))
    except (OSError, AttributeError):
        return None


def dump(name):
    try:
        with open(p(name), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {"page": {}, "nodes": [], "edges": [], "texts": []}



def render(*args):
    return [GRADVIZ, "render"] + [str(a) for a in args]


NEURON, DS, POLY = os.path.join(E, "neuron.expr"), os.path.join(E, "deep-sigmoid.expr"), \
    os.path.join(D, "poly.expr")
write("tiny.dot", "digraph { a [value=2]; b [op=neg]; a -> b; }\n")
write("gp.dot", 'digraph { gradviz_page="beamer"; a [value=2]; b [op=square]; a -> b; }\n')
write("sz.dot", 'digraph { size="4,3"; a [value=2]; b [op=square]; a -> b; }\n')
write("sz2.dot", 'digraph { size="8,6!"; a [value=2]; b [op=square]; a -> b; }\n')
write("bad.dot", 'digraph { gradviz_page="postcard"; a [value=2]; }\n')
write("lr.dot", "digraph { rankdir=LR; x [value=2]; a [op=square]; b [op=exp]; c [op=neg]; "
      "x -> a -> b -> c; }\n")
write("tb.dot", "digraph { rankdir=TB; x [value=2]; a [op=square]; b [op=exp]; c [op=neg]; "
      "x -> a -> b -> c; }\n")
r = tap.run_all({
    "n": render(NEURON, "-o", p("n.png"), "-o", p("n.pdf"), "-o", p("n.svg")),
    "n72": render(NEURON, "--dpi", "72", "-o", p("n72.png")),
    "b": render(NEURON, "--page", "beamer", "-o", p("b.pdf")),
    "a4": render(NEURON, "--page", "a4", "-o", p("a4.pdf")),
    "ll": render(NEURON, "--page", "letter-landscape", "-o", p("ll.pdf")),
    "px": render(NEURON, "--page", "800x600px", "-o", p("px.png")),
    "cm": render(NEURON, "--page", "10x5cm", "-o", p("cm.pdf")),
    "none": render(NEURON, "--page", "none", "-o", p("none.png"), "--dump-layout", p("none.json")),
    "tiny": render(p("tiny.dot"), "--show", "values", "-o", p("tiny.png"), "--dump-layout", p("tiny.json")),
    "xs": render(os.path.join(E, "x-squared.dot"), "-o", p("xs.png"), "--dump-layout", p("xs.json")),
    "gp": render(p("gp.dot"), "-o", p("gp.pdf")),
    "gp2": render(p("gp.dot"), "--page", "a4", "-o", p("gp2.pdf")),
    "sz": render(p("sz.dot"), "-o", p("sz.pdf"), "--dump-layout", p("sz.json")),
    "sz2": render(p("sz2.dot"), "-o", p("sz2.pdf"), "--dump-layout", p("sz2.json")),
    "huge": render(NEURON, "--page", "huge", "-o", p("e.png")),
    "zero": render(NEURON, "--page", "0x5in", "-o", p("e0.png")),
    "bad": render(p("bad.dot"), "-o", p("bad.png")),
    "ds": render(DS, "-o", p("ds.png"), "--dump-layout", p("ds.json")),
    "ds0": render(DS, "--page", "none", "-o", p("ds0.png"), "--dump-layout", p("ds0.json")),
    "lr": render(p("lr.dot"), "-o", p("lr.png"), "--dump-layout", p("lr.json")),
    "tb": render(p("tb.dot"), "-o", p("tb.png"), "--dump-layout", p("tb.json")),
    "poly": render(POLY, "-o", p("poly.png"), "--dump-layout", p("poly.json")),
    "polya": render(POLY, "--expand", "all", "-o", p("polya.png"), "--dump-layout", p("polya.json")),
    "nn": render(NEURON, "-o", p("nn.png"), "--dump-layout", p("nn.json")),
    "polyn": render(POLY, "--page", "none", "-o", p("polyn.png"), "--dump-layout", p("polyn.json")),
    "l2": render(os.path.join(E, "l2-reg.expr"), "-o", p("l2.png"), "--dump-layout", p("l2.json")),
})
for k, v in r.items():
    if v.returncode and k not in ("huge", "zero", "bad"):
        print("# %s: exit %d: %s" % (k, v.returncode, v.stderr.strip()[:200]))

# ---- sizes ----------------------------------------------------------------
is_("the default page is a slide: PNG 1920x1080 at 144 dpi", (1920, 1080), png_size("n.png"))
is_("the slide's PDF page is 960x540 pt", (960.0, 540.0), pdf_size("n.pdf"))
svg = open(p("n.svg"), encoding="utf-8").read() if os.path.exists(p("n.svg")) else ""
m = re.search(r'width="[0-9.]*pt" height="[0-9.]*pt"', svg)
is_("the slide's SVG is 960x540 pt", 'width="960pt" height="540pt"', m and m.group(0))
is_("--dpi 72 on a slide: 960x540 pixels", (960, 540), png_size("n72.png"))
is_("beamer: 128x96 mm", (362.83, 272.13), pdf_size("b.pdf"))
is_("a4: 210x297 mm, portrait", (595.28, 841.89), pdf_size("a4.pdf"))
is_("letter-landscape: 11x8.5 in", (792.0, 612.0), pdf_size("ll.pdf"))
is_("800x600px: the PNG's own pixels", (800, 600), png_size("px.png"))
is_("10x5cm", (283.46, 141.73), pdf_size("cm.pdf"))
none = dump("none.json")
is_("--page none: the figure's own size (dump width x 2 at 144 dpi)",
    (math.ceil(none.get("width", 0) * 2), math.ceil(none.get("height", 0) * 2)), png_size("none.png"))
ok("page" not in none and "width" in none, "--page none: the dump has no page")

# ---- the figure fits the page, centred, at most twice its size -----------
is_("a small figure grows at most twofold", 2.0, dump("tiny.json")["page"].get("scale"))


def aspect_and_inside():
    d = dump("xs.json")
    assert abs(d["width"] / d["height"] - 16 / 9) < 1e-3, (d["width"], d["height"])
    for n in d["nodes"]:
        assert 0 <= n["x"] and n["x"] + n["w"] <= d["width"] and 0 <= n["y"] and \
            n["y"] + n["h"] <= d["height"], n
    return True


check("the dump is at the page's aspect and holds every node", aspect_and_inside)

# ---- graph attributes ---------------------------------------------------------
is_("gradviz_page sets the page", (362.83, 272.13), pdf_size("gp.pdf"))
is_("--page wins over gradviz_page", (595.28, 841.89), pdf_size("gp2.pdf"))
is_("Graphviz size=\"4,3\" is a 4x3 in page", (288.0, 216.0), pdf_size("sz.pdf"))
check("size without '!' never enlarges", lambda: dump("sz.json")["page"]["scale"] <= 1)
check("size with '!' lets a small figure grow", lambda: dump("sz2.json")["page"]["scale"] > 1)

# ---- errors ---------------------------------------------------------------
KNOWN = ("(slide, beamer, beamer169, a4, letter, a4-landscape, letter-landscape, none, or WxH with px, pt, "
         "mm, cm or in)")
is_("an unknown page: exit 2", 2, r["huge"].returncode)
is_("an unknown page: one line saying what is known",
    "gradviz: --page: unknown page 'huge' %s\n" % KNOWN, r["huge"].stderr)
ok(not os.path.exists(p("e.png")), "nothing written for a bad page")
is_("a zero side is refused", 2, r["zero"].returncode)
is_("a bad gradviz_page names the file and the attribute",
    "gradviz: %s: gradviz_page: unknown page 'postcard' %s\n" % (p("bad.dot"), KNOWN), r["bad"].stderr)

# ---- the fold -------------------------------------------------------------
ds = dump("ds.json")
is_("deep-sigmoid: left to right", "LR", ds["page"].get("direction"))
check("deep-sigmoid: the long chain is folded into rows", lambda: ds["page"]["bands"] >= 2)
said = io.StringIO()  # the checker runs in this process
with contextlib.redirect_stdout(said):
    lc = layout_check.main(p("ds.json"))
ok(lc == 0, "deep-sigmoid folded: no overlap, labels on their edges", said.getvalue())


def reading_order():
    pos = {n["id"]: (n["y"] + n["h"] / 2, n["x"]) for n in ds["nodes"]}
    order = ["h%d" % i for i in range(1, 7)]
    # in reading order: a later node is in a lower row, or in the same row
    # (centres within half a box) further right
    for a, b in zip(order, order[1:]):
        (ya, xa), (yb, xb) = pos[a], pos[b]
        assert yb > ya + 40 or (abs(yb - ya) <= 40 and xb > xa), (a, b, pos[a], pos[b])
    return True


def through_no_node():
    nodes = {n["index"]: n for n in ds["nodes"]}

    def flat(pts):
        out = [pts[0]]
        for i in range(0, len(pts) - 3, 3):
            a, b, c, e = pts[i:i + 4]
            for k in range(1, 9):
                t = k / 8
                u = 1 - t
                out.append([u ** 3 * a[j] + 3 * u * u * t * b[j] + 3 * u * t * t * c[j] + t ** 3 * e[j]
                            for j in (0, 1)])
        return out
    for e in ds["edges"]:
        for x, y in flat(e["points"]):
            for i, n in nodes.items():
                if i in (e["from"], e["to"]):
                    continue
                assert not (n["x"] + 1 < x < n["x"] + n["w"] - 1 and
                            n["y"] + 1 < y < n["y"] + n["h"] - 1), (e["index"], i)
    return True


def folding_larger():
    b = dump("ds0.json")
    natural = min(960 / b["width"], 540 / b["height"])
    return ds["page"]["scale"] >= 1.5 * natural, (ds["page"]["scale"], natural)


check("the rows read in order: h1 before h2 ... before h6, row by row", reading_order)
check("a folded edge runs through no foreign node", through_no_node)
check("folding draws deep-sigmoid at least 1.5x larger on a slide", folding_larger)
check("deep-sigmoid: no edge crossings", lambda: ds["crossings"] == 0)

# ---- direction ------------------------------------------------------------
is_("a DOT file's rankdir is kept", "LR", dump("lr.json")["page"].get("direction"))
is_("rankdir=TB is kept too", "TB", dump("tb.json")["page"].get("direction"))


# ---- the level of detail ---------------------------------------------------
def poly_collapsed():
    d, full = dump("poly.json"), dump("polya.json")

    def px_em(d):
        s = min(1920 / d["width"], 1080 / d["height"])
        return min(t["size"] * s for t in d["texts"] if t["owner"] in ("node", "edge"))
    assert full["page"]["collapsed"] == 0 and px_em(full) < 18, (full["page"], px_em(full))
    assert d["page"]["collapsed"] == 1 and px_em(d) >= 18, (d["page"], px_em(d))
    texts = [t["text"] for t in d["texts"] if t["owner"] == "node"]
    ids = [n["id"] for n in d["nodes"]]
    assert "p" in ids and any(t.startswith("p = a\u00b7x\u2074") for t in texts), texts
    # the most detail: L's parts stay drawn
    assert "(p \u2212 t)\u00b2" in texts, texts
    return True


check("poly: drawn in full it is not legible, so the statement p is collapsed and the figure "
      "reads at 18 px/em", poly_collapsed)
# a one-node statement (o = tanh(n)) is always drawn as its equation
is_("neuron is legible in full: only its one-node statement o drawn as its equation", 1,
    dump("nn.json")["page"].get("collapsed"))
ok("page" not in dump("polyn.json") and dump("polyn.json")["nodes"],
   "--page none: no level of detail is chosen (every node drawn)")



# ---- layering ---------------------------------------------------------------
def side_term_beside_data():
    """l2-reg: the penalty is used by the cost alone, so its column may be
    the data term's (late layering) rather than the one after w^2; the
    planner takes it there, and the two terms of C stand one above the
    other."""
    d = dump("l2.json")
    assert d["page"].get("layering") == "late", d["page"]
    at = {n["id"]: n for n in d["nodes"]}
    data, pen = at["data"], at["penalty"]
    assert abs(data["x"] - pen["x"]) < 1, (data, pen)  # a column's boxes start level
    assert pen["y"] > data["y"] + data["h"], (data, pen)
    return True


check("l2-reg: the penalty term stands in the data term's column (layering 'late')",
      side_term_beside_data)
is_("x-squared: nothing could stand later, so the layering is the early one", "early",
    dump("xs.json")["page"].get("layering"))

status = tap.done()
if status == 0:
    shutil.rmtree(T, ignore_errors=True)
else:
    print("# files kept in " + T)
sys.exit(status)
