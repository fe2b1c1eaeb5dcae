#!/usr/bin/env python3
"""worksheet.py: `gradviz worksheet` and `--variant` (TAP).

For every example: the sheet and its key have every node, edge and box at
the same point and the same size (--dump-layout, --dump-key-layout); no
number of a box is anywhere in the sheet's text (the layout dump's texts,
the SVG's texts and titles, the PDF's text) unless the sheet shows it as a
given number; the boxes overlap no text, no other box and no edge but
their own label's, and each lies in its node or its edge's label; the
key's boxes hold eval's numbers (a node's gradient last in its box, the
terms of its fan-out sum before, in out-edge order). The leak check is
shown to fail on the key.

Variants: net-2-2-1 --variant 1 and 2 have eval's structure and other leaf
values, the same every time, of at most two significant digits; a class of
30 is one command (60 files, class.csv, a second run draws nothing); in
relu-dead's first 30 variants the dead unit stays dead.
"""

import glob
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.environ.get("GDV_SRCDIR", ".")
sys.dont_write_bytecode = True  # no __pycache__ in the (maybe read-only) source tree
sys.path.insert(0, os.path.join(SRC, "tests", "teach"))
from worksheet_tap import GRADVIZ, finish, ok, run  # noqa: E402


SUPER = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def fig(x, p=4):
    """A number as figures write it (gdv_figure_number)."""
    if x == 0:
        return "0"
    mant, e = ("%.*e" % (p - 1, x)).split("e")
    expo = int(e)
    if expo >= 6 or expo < -4:
        if "." in mant:
            mant = mant.rstrip("0").rstrip(".")
        t = "%s\u00d710%s" % (mant, str(expo).translate(SUPER))
    else:
        t = "%.*f" % (max(0, p - 1 - expo), x)
        if "." in t:
            t = t.rstrip("0").rstrip(".")
        if t == "-0":
            t = "0"
    return t.replace("-", "\u2212")


NUMBER = re.compile("(?<![\\w#.\u00b7])[\u2212-]?\\d+(?:\\.\\d+)?(?:\u00d710[\u207b\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+)?")


def tokens(text):
    """The numbers written in a text (not the digits of a name like x1)."""
    return NUMBER.findall(text)


def rect(o):
    return (o["x"], o["y"], o["x"] + o["w"], o["y"] + o["h"])


def meets(a, b, eps=0.01):
    return a[0] < b[2] - eps and b[0] < a[2] - eps and a[1] < b[3] - eps and b[1] < a[3] - eps


def inside(a, b, eps=0.01):
    return a[0] >= b[0] - eps and a[1] >= b[1] - eps and a[2] <= b[2] + eps and a[3] <= b[3] + eps


def curve(points):
    """Points along an edge's Bezier control points (3k+1 of them)."""
    out = []
    for k in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[k:k + 4]
        for i in range(21):
            t = i / 20
            out.append(tuple((1 - t) ** 3 * p0[j] + 3 * (1 - t) ** 2 * t * p1[j] +
                             3 * (1 - t) * t * t * p2[j] + t ** 3 * p3[j] for j in range(2)))
    return out or [tuple(p) for p in points]


def blank_texts(dump):
    """Per blank item index: the texts drawn in it."""
    blanks = {it["index"] for it in dump["items"] if it.get("kind") == "blank"}
    out = {i: [] for i in blanks}
    for t in dump["texts"]:
        if t["owner"] == "item" and t["index"] in blanks:
            out[t["index"]].append(t["text"])
    return out


def legend_names(dump):
    """The legend's texts in order."""
    return [t["text"] for t in dump["texts"] if t["owner"] == "legend"]


def leaks(sheet_dump, key_dump, svg_text, pdf_text):
    """Numbers of the sheet's texts that are answers the sheet does not
    give: [] when nothing leaks."""
    answers = set(x for texts in blank_texts(key_dump).values() for x in texts)
    key_blanks = set(blank_texts(key_dump))
    given = set()
    for t in key_dump["texts"]:
        if t["kind"] != "title" and not (t["owner"] == "item" and t["index"] in key_blanks):
            given.update(tokens(t["text"]))
    secret = answers - given
    found = []
    sheet_texts = [t["text"] for t in sheet_dump["texts"] if t["kind"] != "title"]
    for where, texts in (("dump", sheet_texts), ("svg", svg_text), ("pdf", pdf_text)):
        for text in texts:
            for tok in tokens(text):
                if tok in secret:
                    found.append("%s: %s in %r" % (where, tok, text))
    return found


def svg_texts(path):
    """The SVG's <text> contents and its nodes' and edges' <title>s."""
    s = open(path, encoding="utf-8").read()
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", s)
    titles = re.findall(r"<g [^>]*class=\"(?:node|edge)[^>]*><title>([^<]*)</title>", s)
    # a node's title starts with its name: the numbers come after ": "
    return texts + [t.split(": ", 1)[-1] for t in titles]


def pdf_text(path):
    if shutil.which("pdftotext") is None:
        return []
    r = subprocess.run(["pdftotext", path, "-"], stdout=subprocess.PIPE)
    return r.stdout.decode().splitlines()


def geometry_same(a, b):
    """What differs between the sheet's and the key's positions."""
    diff = []
    for k in ("width", "height"):
        if a[k] != b[k]:
            diff.append("%s %s != %s" % (k, a[k], b[k]))
    for part, keys in (("nodes", ("x", "y", "w", "h")), ("items", ("kind", "x", "y", "w", "h")),
                       ("edges", ("points", "label"))):
        if len(a[part]) != len(b[part]):
            diff.append("%s: %d != %d" % (part, len(a[part]), len(b[part])))
            continue
        for p, q in zip(a[part], b[part]):
            for k in keys:
                if p.get(k) != q.get(k):
                    diff.append("%s %s %s: %s != %s" % (part, p.get("index"), k, p.get(k), q.get(k)))
    return diff


def overlaps(dump):
    """Boxes that meet a text not their own, another box, or an edge not
    their own label's, or lie in no node and no label."""
    bad = []
    boxes = [it for it in dump["items"] if it.get("kind") == "blank"]
    nodes = [rect(v) for v in dump["nodes"]]
    labels = [(e["index"], rect(e["label"])) for e in dump["edges"] if "label" in e]
    curves = [(e["index"], curve(e["points"])) for e in dump["edges"]]
    for b in boxes:
        r = rect(b)
        for t in dump["texts"]:
            if not (t["owner"] == "item" and t["index"] == b["index"]) and meets(r, rect(t)):
                bad.append("box %d meets text %r" % (b["index"], t["text"]))
        for c in boxes:
            if c["index"] < b["index"] and meets(r, rect(c)):
                bad.append("boxes %d and %d meet" % (c["index"], b["index"]))
        own = [i for i, lr in labels if inside(r, lr)]
        if not own and not any(inside(r, nr) for nr in nodes):
            bad.append("box %d lies in no node and no label" % b["index"])
        for i, pts in curves:
            if i in own:
                continue
            if any(r[0] < x < r[2] and r[1] < y < r[3] for x, y in pts):
                bad.append("edge %d passes through box %d" % (i, b["index"]))
    return bad


def key_agrees(key, ev):
    """The key's boxes against eval: in a node, the boxes read in order
    are its fan-out sum's terms then dC/dnode; on a label, the edge's
    gradient. Returns what disagrees."""
    nodes = {v["id"]: v for v in ev["nodes"]}
    edges = ev["edges"]
    texts = blank_texts(key)
    boxes = [it for it in key["items"] if it.get("kind") == "blank"]
    bad = []
    for v in key["nodes"]:
        if v.get("node") not in nodes:
            continue
        mine = sorted((b for b in boxes if inside(rect(b), rect(v))), key=lambda b: (round(b["y"]), b["x"]))
        if not mine:
            continue
        node = nodes[v["node"]]
        want = [fig(e["grad"]) for e in edges if e["from"] == v["node"] and nodes[e["to"]]["reaches_output"]] \
            if len(mine) > 1 else []
        want = want[:len(mine) - 1] + [fig(node["grad"])]
        got = [" ".join(texts[b["index"]]) for b in mine]
        if got != want:
            bad.append("%s: %s, eval %s" % (v["node"], got, want))
    for e in key["edges"]:
        if "label" not in e:
            continue
        mine = [b for b in boxes if inside(rect(b), rect(e["label"]))]
        for b in mine:
            got = " ".join(texts[b["index"]])
            if got != fig(edges[e["graph_edge"]]["grad"]):
                bad.append("edge %d: %s, eval %s" % (e["graph_edge"], got, fig(edges[e["graph_edge"]]["grad"])))
    return bad


def examples(tmp):
    for path in sorted(glob.glob(os.path.join(SRC, "examples", "*.dot")) +
                       glob.glob(os.path.join(SRC, "examples", "*.expr"))):
        name = os.path.splitext(os.path.basename(path))[0]
        base = os.path.join(tmp, name)
        try:
            run("worksheet", path, "-o", base + ".svg", "-o", base + ".pdf", "--key",
                base + ".key.svg", "--dump-layout", base + ".json", "--dump-key-layout",
                base + ".key.json")
        except RuntimeError as e:
            ok(False, "%s: worksheet" % name, e)
            continue
        sheet = json.load(open(base + ".json"))
        key = json.load(open(base + ".key.json"))
        ev = json.loads(run("eval", path, "--format", "json"))
        diff = geometry_same(sheet, key)
        n_boxes = sum(1 for it in sheet["items"] if it.get("kind") == "blank")
        ok(not diff and n_boxes > 0, "%s: sheet and key: the same %d nodes, %d edges, %d boxes" %
           (name, len(sheet["nodes"]), len(sheet["edges"]), n_boxes), "\n".join(diff))
        leak = leaks(sheet, key, svg_texts(base + ".svg"), pdf_text(base + ".pdf"))
        ok(not leak, "%s: no box's number in the sheet's text (dump, SVG, PDF)" % name, "\n".join(leak))
        bad = overlaps(sheet)
        ok(not bad, "%s: the boxes overlap nothing" % name, "\n".join(bad))
        bad = key_agrees(key, ev)
        ok(not bad, "%s: the key's boxes hold eval's numbers" % name, "\n".join(bad))
        ok(legend_names(sheet) == legend_names(key) and
           {"backward pass", "forward pass"} <= set(legend_names(sheet)),
           "%s: the sheet's legend is the key's and names the backward pass its boxes ask for"
           % name, legend_names(sheet))
        if name == "ab-b1":
            # the check can fail: the key read as a sheet says its answers
            key_svg = svg_texts(base + ".key.svg")
            found = leaks(key, key, key_svg, [])
            ok(any("5" in f for f in found), "the leak check finds dC/db = 5 in the key", found)
            m = sheet["measures"]
            ok(m["overlaps"] == 0 and m["through"] == 0, "ab-b1: the sheet's measures: no overlap, "
               "no edge through a text", m)


def variants(tmp):
    net = os.path.join(SRC, "examples", "net-2-2-1.expr")
    ev = [json.loads(run("eval", net, "--format", "json", "--variant", str(k))) for k in (0, 1, 2)]
    shape = [([(v["id"], v["op"], v["role"]) for v in e["nodes"]],
              [(x["from"], x["to"], x["arg"]) for x in e["edges"]]) for e in ev]
    ok(shape[0] == shape[1] == shape[2], "net-2-2-1 --variant 1 and 2: the file's nodes and edges")
    leaves = [{v["id"]: v["value"] for v in e["nodes"] if v["op"] is None} for e in ev]
    consts = [{v["id"]: v["value"] for v in e["nodes"] if v["role"] == "const"} for e in ev]
    varied = [k for k in leaves[0] if leaves[0][k] != leaves[1][k] or leaves[1][k] != leaves[2][k]]
    ok(leaves[1] != leaves[2] and leaves[1] != leaves[0] and consts[0] == consts[1] == consts[2],
       "net-2-2-1 --variant 1 and 2: other leaf values, the constants kept (%d leaves vary)" % len(varied),
       "%s\n%s" % (leaves[1], leaves[2]))
    digits = [x for e in leaves[1:] for x in e.values() if x != 0 and
              abs(round(x / 10 ** (math.floor(math.log10(abs(x))) - 1)) -
                  x / 10 ** (math.floor(math.log10(abs(x))) - 1)) > 1e-9]
    ok(not digits, "variant leaves have at most two significant digits", digits)
    again = json.loads(run("eval", net, "--format", "json", "--variant", "2"))
    ok(again == ev[2], "--variant 2 gives the same numbers every time")
    for k in (1, 2):
        base = os.path.join(tmp, "net-v%d" % k)
        run("worksheet", net, "--variant", str(k), "-o", base + ".svg", "--key", base + ".key.svg",
            "--dump-layout", base + ".json", "--dump-key-layout", base + ".key.json")
        key = json.load(open(base + ".key.json"))
        bad = key_agrees(key, ev[k])
        # and its given numbers: each node's value is eval's
        values = {v["id"]: v["value"] for v in ev[k]["nodes"]}
        for t in key["texts"]:
            if t["owner"] == "node" and t["kind"] == "value":
                node = key["nodes"][t["index"]].get("node")
                if t["text"] != "value " + fig(values[node]):
                    bad.append("%s: %r, eval %s" % (node, t["text"], fig(values[node])))
        title = [t["text"] for t in key["texts"] if t["kind"] == "title"]
        ok(not bad and title and title[0].endswith("variant %d" % k),
           "net-2-2-1 --variant %d: the key's values and boxes are eval --variant %d's" % (k, k),
           "\n".join(bad) + "\n%s" % title)
    # a class of 30 in one command
    out = os.path.join(tmp, "class")
    r = subprocess.run([GRADVIZ, "worksheet", net, "--variants", "1-30", "-o", out, "--formats",
                        "svg", "-j", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err = r.stderr.decode()
    files = sorted(os.listdir(out)) if os.path.isdir(out) else []
    sheets = [f for f in files if re.fullmatch(r"student-\d\d\.svg", f)]
    keys = [f for f in files if re.fullmatch(r"student-\d\d\.key\.svg", f)]
    ok(r.returncode == 0 and len(sheets) == 30 and len(keys) == 30 and
       "30 students: 30 drawn, 0 up to date, 0 failed" in err,
       "--variants 1-30: 30 sheets and 30 keys in one command", err[-600:])
    rows = open(os.path.join(out, "class.csv")).read().splitlines() if "class.csv" in files else []
    ok(len(rows) == 31 and rows[7] == '"student-07","",7,student-07.svg,student-07.key.svg',
       "class.csv lists each student's variant and files", rows[:3])
    s7 = open(os.path.join(out, "student-07.svg"), encoding="utf-8").read()
    ok("Worksheet: net-2-2-1 \u00b7 student 7 \u00b7 variant 7" in s7, "a student's sheet names them")
    r = subprocess.run([GRADVIZ, "worksheet", net, "--variants", "1-30", "-o", out, "--formats",
                        "svg", "-j", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    ok(r.returncode == 0 and "0 drawn, 30 up to date" in r.stderr.decode(),
       "a second run draws nothing (resumable as batch)", r.stderr.decode()[-300:])
    # a dead ReLU stays dead
    relu = os.path.join(SRC, "examples", "relu-dead.dot")
    alive = []
    for k in range(1, 31):
        e = json.loads(run("eval", relu, "--format", "json", "--variant", str(k)))
        v = {x["id"]: x for x in e["nodes"]}
        if not (v["z1"]["value"] < 0 and v["h1"]["value"] == 0 and v["w1"]["grad"] == 0 and
                v["z2"]["value"] > 0 and v["w2"]["grad"] != 0):
            alive.append("variant %d: z1 %s, z2 %s" % (k, v["z1"]["value"], v["z2"]["value"]))
    ok(not alive, "relu-dead: h1 stays dead and h2 alive in variants 1 to 30", "\n".join(alive))


def one_line(args, status, want, name):
    """Exactly one line on stderr and that exit status."""
    r = subprocess.run([GRADVIZ] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err = r.stderr.decode()
    ok(r.returncode == status and err == want + "\n", name,
       "exit %d (want %d): %r, want %r" % (r.returncode, status, err, want))


def options(tmp):
    ab = os.path.join(SRC, "examples", "ab-b1.dot")
    base = os.path.join(tmp, "opt")
    for args, want, what in ((["--blank", "b"], 5, "--blank b: dC/db, its sum's terms and its edges"),
                             (["--ask", "a"], 5, "--ask a: the path a->c->e"),
                             (["--ask", "b->d->e", "--blank", "grads"], 3, "--ask b->d->e --blank grads"),
                             (["--given", "values,locals,edge-grads"], 6, "edge-grads given: node boxes only")):
        run("worksheet", ab, "--dump-layout", base + ".json", "--dump-key-layout", base + ".key.json",
            *args)
        sheet = json.load(open(base + ".json"))
        key = json.load(open(base + ".key.json"))
        got = sorted(" ".join(t) for t in blank_texts(key).values())
        boxes = sum(1 for it in sheet["items"] if it.get("kind") == "blank")
        ok(boxes == want and not leaks(sheet, key, [], []), "%s: %d boxes" % (what, want),
           "%d boxes: %s" % (boxes, got))
    out = os.path.join(tmp, "x")
    one_line(["worksheet", ab, "--blank", "foo", "-o", out + ".pdf"], 2,
             "gradviz: worksheet: --blank: 'foo' is no kind and no node (values, grads, locals, "
             "edge-grads, sums, or a node's id) (see 'gradviz worksheet --help')", "an unknown --blank word: one line, exit 2")
    one_line(["worksheet", ab, "--ask", "q", "-o", out + ".pdf"], 2,
             "gradviz: %s: --ask: no node named 'q'" % ab, "an unknown --ask node: one line, exit 2")
    one_line(["worksheet", ab, "-o", out + ".dot"], 2,
             "gradviz: %s.dot: a worksheet is a figure: png, svg, pdf or html, not dot" % out,
             "a DOT sheet is refused")
    one_line(["eval", ab, "--variant", "1000001"], 2,
             "gradviz: eval: --variant 1000001 is out of range (0 to 1e+06) (see 'gradviz eval --help')",
             "--variant past 1000000 is refused")
    ok(not os.path.exists(out + ".dot") and not os.path.exists(out + ".pdf"), "nothing written then")


def main():
    tmp = tempfile.mkdtemp(prefix="gdv-worksheet.")
    try:
        examples(tmp)
        options(tmp)
        variants(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
