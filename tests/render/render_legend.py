#!/usr/bin/env python3
"""The legend, from the layout dump: each entry present exactly when the
figure draws what it explains; at most a fifth of the figure's height for
every example and test graph; --legend side|none, the DOT attribute
gradviz_legend, and batch --legend. Prints TAP."""
import glob
import json
import os
import subprocess
import tempfile

GRADVIZ = os.environ.get("GRADVIZ", "gradviz")
SRC = os.environ.get("GDV_SRCDIR", ".")
EX = os.path.join(SRC, "examples")
DATA = os.path.join(SRC, "tests", "data", "render")
tests = []


def t(ok, what):
    tests.append((bool(ok), what))


def run(*args, **kw):
    return subprocess.run([GRADVIZ] + list(args), capture_output=True, text=True, **kw)


def dump(tmp, graph, *opts):
    name = os.path.basename(graph) + "-" + "_".join(o.strip("-") for o in opts)
    out = os.path.join(tmp, name + ".json")
    r = run("render", graph, "-o", os.path.join(tmp, name + ".png"), "--dump-layout", out, *opts)
    if r.returncode:
        t(False, "%s %s renders (%s)" % (graph, opts, r.stderr.strip()))
        return None
    return json.load(open(out, encoding="utf-8"))


def legend(d):
    return [x["text"] for x in d["texts"] if x["owner"] == "legend"]


def drawn_kinds(d, owner):
    return {x["kind"] for x in d["texts"] if x["owner"] == owner}


def expected(d):
    """What the legend must name, from what the dump says is drawn."""
    nodes = [n for n in d["nodes"] if not n["hidden"]]
    node_texts = [x for x in d["texts"] if x["owner"] == "node"]
    kinds = drawn_kinds(d, "node") | drawn_kinds(d, "edge")
    # edge labels as bare numbers (a dense figure): the key says which
    # number comes first instead of naming the words
    terse = any(x["owner"] == "edge" and x["kind"] == "local" and not x["text"].startswith("local ")
                for x in d["texts"])
    return {
        "forward pass": "value" in kinds,
        "backward pass": bool(kinds & {"grad", "sum"}),
        "local": "local" in kinds and not terse,
        "grad": "edge-grad" in kinds and not terse,
        "on u\u2192v, first: local \u2202v/\u2202u": "local" in kinds and terse,
        "fan-out sum": "sum" in kinds,
        "constant": any(n["kind"] == "const" for n in nodes),
        "parameter": any(n["kind"] == "param" for n in nodes),
        "output C": any(n["output"] for n in nodes),
        "no path to C": any(n["greyed"] for n in nodes),
        "NaN/\u221e starts here": any(n["nonfinite"] and n.get("mark", {}).get("kind") == "origin" for n in nodes),
        "NaN/\u221e from a neighbour": any(n["nonfinite"] and n.get("mark", {}).get("kind") == "spread" for n in nodes),
        "path to C": any(n["on_path"] for n in nodes),
        "sigmoid": any(x["kind"] == "op" and x["text"] == "\u03c3" for x in node_texts),
        "this step": False,
        "not yet": False,
    }


def entries_match(d, what, flow=True):
    got = legend(d)
    bad = [k for k, want in expected(d).items() if (k in got) != want]
    if ("|grad|" in got) != flow:
        bad.append("|grad|")
    t(not bad, "%s: the legend names exactly what is drawn (wrong: %r; legend %r)"
      % (what, bad, got))


with tempfile.TemporaryDirectory() as tmp:
    graphs = sorted(glob.glob(os.path.join(EX, "*.dot")) + glob.glob(os.path.join(EX, "*.expr")))
    graphs += [os.path.join(DATA, g) for g in ("fanout3.expr", "xx.dot", "softmax_ce.expr",
                                                "net221.expr", "nonfinite.expr", "unreached.dot",
                                                "tb.dot", "tiny_big.expr")]
    for g in graphs:
        name = os.path.basename(g)
        d = dump(tmp, g)
        if d is None:
            continue
        L = d["legend"]
        t(L.get("place", "bottom") == "bottom" and 0 < L["h"] <= 0.2 * d["height"],
          "%s: the legend is at most 20%% of the height (%.0f of %.0f)" % (name, L["h"], d["height"]))
        t(L["y"] >= max(n["y"] + n["h"] for n in d["nodes"]),
          "%s: the legend is below every node" % name)
        entries_match(d, name)

    # the same figure kinds with other things shown
    ab, neuron = os.path.join(EX, "ab-b1.dot"), os.path.join(EX, "neuron.expr")
    d = dump(tmp, ab)
    t(d and "constant" in legend(d) and "fan-out sum" in legend(d),
      "ab-b1: constant and fan-out sum in the legend")
    d = dump(tmp, neuron)
    t(d and "constant" not in legend(d) and "fan-out sum" not in legend(d)
      and "path to C" not in legend(d) and "parameter" in legend(d),
      "neuron: no constant, fan-out or highlight entry; a parameter one")
    d = dump(tmp, os.path.join(EX, "relu-dead.dot"))
    t(d and "ReLU" not in legend(d) and "relu" not in legend(d) and "mul" in legend(d),
      "relu-dead: no 'ReLU relu' entry (the symbol is its name); \u00d7 mul is there")
    d = dump(tmp, ab, "--highlight", "b")
    if d:
        entries_match(d, "ab-b1 --highlight b")
        t("path to C" in legend(d), "--highlight: 'path to C' in the legend")
    d = dump(tmp, neuron, "--show=-flow")
    if d:
        entries_match(d, "neuron --show=-flow", flow=False)
    d = dump(tmp, neuron, "--show", "values,legend")
    if d:
        entries_match(d, "neuron --show values,legend", flow=False)
        t(legend(d) and "backward pass" not in legend(d) and "local" not in legend(d),
          "--show values,legend: no gradient entries")

    # --legend side and none
    # at the figure's own size: on a page every figure has the page's aspect
    bottom = dump(tmp, neuron, "--page", "none")
    side = dump(tmp, neuron, "--legend", "side", "--page", "none")
    none = dump(tmp, neuron, "--legend", "none", "--page", "none")
    if bottom and side and none:
        L = side["legend"]
        t(L.get("place") == "side" and L["w"] > 0
          and L["x"] >= max(n["x"] + n["w"] for n in side["nodes"])
          and L["y"] < max(n["y"] + n["h"] for n in side["nodes"]),
          "--legend side: a column right of the nodes, beside them (%r)" % L)
        t(side["height"] < bottom["height"] and side["width"] > bottom["width"],
          "--legend side: shorter and wider than bottom (%s x %s, %s x %s)"
          % (side["width"], side["height"], bottom["width"], bottom["height"]))
        t(legend(side) == legend(bottom), "--legend side: the same entries")
        t(none["legend"].get("place") == "none" and none["legend"]["w"] == 0 and not legend(none)
          and none["height"] < bottom["height"], "--legend none: no legend, a shorter figure")
    r = run("render", neuron, "-o", os.path.join(tmp, "x.png"), "--legend", "left")
    t(r.returncode == 2 and "unknown legend place 'left' (bottom, side or none)" in r.stderr,
      "--legend left is refused (%s)" % r.stderr.strip())

    # gradviz_legend in a DOT file; the option wins
    g = os.path.join(tmp, "side.dot")
    with open(g, "w") as f:
        f.write('digraph { gradviz_legend=side; a [value=2]; b [op=exp]; a -> b; }\n')
    d = dump(tmp, g)
    t(d and d["legend"].get("place") == "side", "gradviz_legend=side puts the legend at the side")
    d = dump(tmp, g, "--legend", "bottom")
    t(d and d["legend"].get("place") == "bottom", "--legend bottom wins over gradviz_legend")
    bad = os.path.join(tmp, "bad.dot")
    with open(bad, "w") as f:
        f.write('digraph { gradviz_legend=left; a [value=2]; }\n')
    r = run("render", bad, "-o", os.path.join(tmp, "bad.png"))
    t(r.returncode == 2 and "gradviz_legend must be bottom, side or none, not 'left'" in r.stderr
      and not os.path.exists(os.path.join(tmp, "bad.png")),
      "gradviz_legend=left is bad input (%s)" % r.stderr.strip())

    # batch --legend: passed to every figure and recorded in the manifest
    os.mkdir(os.path.join(tmp, "in"))
    src = os.path.join(tmp, "in", "n.expr")
    with open(neuron) as a, open(src, "w") as b:
        b.write(a.read())
    out = os.path.join(tmp, "out")
    r = run("batch", os.path.join(tmp, "in"), "-o", out, "--legend", "none", "-j", "1")
    run("render", src, "-o", os.path.join(tmp, "n-none.png"), "--legend", "none")
    same = r.returncode == 0 and open(os.path.join(out, "n.png"), "rb").read() == \
        open(os.path.join(tmp, "n-none.png"), "rb").read()
    t(same, "batch --legend none draws what render --legend none draws (%s)" % r.stderr.strip())
    mpath = os.path.join(out, ".gradviz-batch")
    manifest = open(mpath, encoding="utf-8").read() if os.path.exists(mpath) else ""
    t("legend=none" in manifest, "batch records legend=none in its manifest")
    r = run("batch", os.path.join(tmp, "in"), "-o", out, "-j", "1")
    t(r.returncode == 0 and "1 drawn" in r.stderr, "batch without --legend redraws it (%s)"
      % r.stderr.strip())
    r = run("batch", os.path.join(tmp, "in"), "-o", out, "--legend", "top")
    t(r.returncode == 2 and "unknown legend place 'top'" in r.stderr,
      "batch --legend top is refused (%s)" % r.stderr.strip())

print("1..%d" % len(tests))
for i, (ok, what) in enumerate(tests, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, " ".join(str(what).split())))
