#!/usr/bin/env python3
"""Names (issue 11, item 4) and wording (item 9): the parts of a formula
are drawn with their subexpression (w11·x1, (a − y)²) or their statement
and a subscript; figures, frame titles and --highlight paths speak of each
node by the name it is drawn with, never by an internal id; a constant is
its number; every node's gradient reads ∂C/∂NAME, every edge `local` and
`grad`. Prints TAP."""
import glob
import json
import os
import subprocess
import tempfile

GRADVIZ = os.environ.get("GRADVIZ", "gradviz")
EX = os.path.join(os.environ.get("GDV_SRCDIR", "."), "examples")
NET = os.path.join(EX, "net-2-2-1.expr")
tests = []


def t(ok, what):
    tests.append((bool(ok), what))


def run(*args):
    return subprocess.run([GRADVIZ] + list(args), capture_output=True, text=True)


def page_titles(pdf, n):
    """The first line of each page: the frame's title."""
    out = []
    for k in range(1, n + 1):
        r = subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), "-raw", pdf, "-"],
                           capture_output=True, text=True)
        out.append(r.stdout.splitlines()[0] if r.stdout else "")
    return out


def layout(tmp, name, *args):
    """--dump-layout of a render with these options."""
    j = os.path.join(tmp, name + ".json")
    r = run("render", *args, "-o", os.path.join(tmp, name + ".png"), "--dump-layout", j)
    t(r.returncode == 0, "%s: render exits 0 (%s)" % (name, r.stderr.strip()))
    return json.load(open(j, encoding="utf-8")) if r.returncode == 0 else {"nodes": [], "texts": []}


def node_texts(d, index):
    return [x["text"] for x in d["texts"] if x["owner"] == "node" and x["index"] == index]


with tempfile.TemporaryDirectory() as tmp:
    # eval JSON: the label of every part of net-2-2-1, its id unchanged
    doc = json.loads(run("eval", "--format", "json", NET).stdout)
    parts = [(n["id"], n["label"]) for n in doc["nodes"] if "#" in n["id"]]
    t(parts == [("z1#1", "w11\u00b7x1"), ("z1#2", "w12\u00b7x2"), ("z2#1", "w21\u00b7x1"),
                ("z2#2", "w22\u00b7x2"), ("zo#1", "v1\u00b7h1"), ("zo#2", "v2\u00b7h2"),
                ("C#1", "a \u2212 y"), ("C#2", "(a \u2212 y)\u00b2"), ("C#3", "0.5")],
      "net-2-2-1: eval labels the parts with their subexpressions (%r)" % parts)
    labels = [n["label"] for n in doc["nodes"]]
    t(len(set(labels)) == len(labels), "net-2-2-1: no two nodes share a label")
    t([e["to"] for e in doc["edges"]][:2] == ["z1#1", "z1#1"],
      "net-2-2-1: edges still name the parts by id")

    # a long part: the statement's name and its id's number as a subscript
    long_expr = os.path.join(tmp, "long.expr")
    with open(long_expr, "w") as f:
        f.write("x = 1\nparam w = 2\nh = (x*w + w*w*x + w*x*x) * 2\n")
    doc = json.loads(run("eval", "--format", "json", long_expr).stdout)
    got = [(n["id"], n["label"]) for n in doc["nodes"] if "#" in n["id"]]
    t(got == [("h#1", "x\u00b7w"), ("h#2", "w\u00b7w\u00b7x"), ("h#3", "w\u00b7x\u00b7x"),
              ("h#4", "h\u2084"), ("h#5", "2")],
      "a part of 19 characters is drawn h\u2084 (id h#4) (%r)" % got)
    d = layout(tmp, "long", long_expr, "--highlight", "x")
    hl = [x["text"] for x in d["texts"] if x["owner"] == "item"]
    t(hl == ["Chain rule as a sum over paths from x to C",
             "path x\u2192(x\u00b7w)\u2192h\u2084\u2192h: 2 \u00d7 1 \u00d7 2 = 4",
             "path x\u2192(w\u00b7w\u00b7x)\u2192h\u2084\u2192h: 4 \u00d7 1 \u00d7 2 = 8",
             "path x\u2192(w\u00b7x\u00b7x)\u2192h\u2084\u2192h: 2 \u00d7 1 \u00d7 2 = 4",
             "path x\u2192(w\u00b7x\u00b7x)\u2192h\u2084\u2192h: 2 \u00d7 1 \u00d7 2 = 4",
             "sum = 20 = \u2202C/\u2202x = 20"],
      "long: --highlight paths name the part h\u2084 (%r)" % hl)

    # the figure: parts drawn with their names, constants with their numbers
    d = layout(tmp, "net", NET, "--expand", "all")
    by_id = {n["id"]: n["index"] for n in d["nodes"]}
    t(node_texts(d, by_id["z1#1"]) == ["w11\u00b7x1", "\u00d7", "value 0.5",
                                        "\u2202C/\u2202(w11\u00b7x1) = \u22120.0235"],
      "net-2-2-1: the part z1#1 is drawn w11\u00b7x1 with \u2202C/\u2202(w11\u00b7x1) (%r)"
      % node_texts(d, by_id["z1#1"]))
    t(node_texts(d, by_id["C#2"])[0] == "(a \u2212 y)\u00b2"
      and node_texts(d, by_id["C#2"])[-1] == "\u2202C/\u2202(a \u2212 y)\u00b2 = 0.5",
      "net-2-2-1: (a \u2212 y)\u00b2 and its gradient (%r)" % node_texts(d, by_id["C#2"]))
    t(node_texts(d, by_id["C#3"]) == ["0.5", "value 0.5", "\u2202C/\u2202(0.5) = 0.1284"],
      "net-2-2-1: the literal 0.5 is drawn as its number (%r)" % node_texts(d, by_id["C#3"]))
    drawn = [x["text"] for x in d["texts"]]
    t(not [x for x in drawn if "#" in x], "net-2-2-1: no id with # is drawn")

    # frames of every node (--expand all): the titles that read
    # \u2202C/\u2202(\u00d7) twice, (const 0.5), ...
    r = run("render", NET, "--expand", "all", "--steps", os.path.join(tmp, "net"))
    titles = page_titles(os.path.join(tmp, "net", "frames.pdf"), 43)
    want = {1: "step 1 of 43 \u2014 forward: w11\u00b7x1 = 0.5",
            13: "step 13 of 43 \u2014 forward: a \u2212 y = \u22120.3583",
            14: "step 14 of 43 \u2014 forward: (a \u2212 y)\u00b2 = 0.1284",
            17: "step 17 of 43 \u2014 backward: \u2202C/\u2202(0.5) = \u2202C/\u2202C \u00b7 \u2202C/\u2202(0.5) = 1 \u00d7 0.1284 = 0.1284",
            18: "step 18 of 43 \u2014 backward: \u2202C/\u2202(a \u2212 y)\u00b2 = \u2202C/\u2202C \u00b7 \u2202C/\u2202(a \u2212 y)\u00b2 = 1 \u00d7 0.5 = 0.5",
            19: "step 19 of 43 \u2014 backward: \u2202C/\u2202(a \u2212 y) = \u2202C/\u2202(a \u2212 y)\u00b2 \u00b7 \u2202(a \u2212 y)\u00b2/\u2202(a \u2212 y) = 0.5 \u00d7 (\u22120.7166) = \u22120.3583",
            22: "step 22 of 43 \u2014 backward: \u2202C/\u2202(v2\u00b7h2) = \u2202C/\u2202zo \u00b7 \u2202zo/\u2202(v2\u00b7h2) = \u22120.08238 \u00d7 1 = \u22120.08238",
            23: "step 23 of 43 \u2014 backward: \u2202C/\u2202(v1\u00b7h1) = \u2202C/\u2202zo \u00b7 \u2202zo/\u2202(v1\u00b7h1) = \u22120.08238 \u00d7 1 = \u22120.08238",
            30: "step 30 of 43 \u2014 backward: \u2202C/\u2202(w12\u00b7x2) = \u2202C/\u2202z1 \u00b7 \u2202z1/\u2202(w12\u00b7x2) = \u22120.0235 \u00d7 1 = \u22120.0235",
            31: "step 31 of 43 \u2014 backward: \u2202C/\u2202(w11\u00b7x1) = \u2202C/\u2202z1 \u00b7 \u2202z1/\u2202(w11\u00b7x1) = \u22120.0235 \u00d7 1 = \u22120.0235"}
    for k, title in sorted(want.items()):
        t(titles[k - 1] == title, "net-2-2-1 frame %d: %r (%r)" % (k, title, titles[k - 1]))
    backward = [x.split(": ", 1)[1].split(" = ")[0] for x in titles if "backward" in x]
    t(len(set(backward)) == len(backward) == 28,
      "net-2-2-1: the 28 backward titles name 28 different nodes")

    # DOT: a constant named `one` drawn as 1 is 1 in titles and the figure
    ab = os.path.join(EX, "ab-b1.dot")
    run("render", ab, "--steps", os.path.join(tmp, "ab"))
    titles = page_titles(os.path.join(tmp, "ab", "frames.pdf"), 9)
    t("step 7 of 9 \u2014 backward: \u2202C/\u2202(1) = \u2202C/\u2202d \u00b7 \u2202d/\u2202(1) = 3 \u00d7 1 = 3" in titles,
      "ab-b1: the constant one drawn as 1 is \u2202C/\u2202(1) in its title (%r)" % titles)
    t(not [x for x in titles if "one" in x], "ab-b1: no title says one")
    d = layout(tmp, "ab", ab, "--highlight", "one")
    hl = [x["text"] for x in d["texts"] if x["owner"] == "item"]
    t(hl == ["Chain rule as a sum over paths from 1 to C", "path (1)\u2192d\u2192e: 1 \u00d7 3 = 3",
             "sum = 3 = \u2202C/\u2202(1) = 3"], "ab-b1 --highlight one: paths from 1 (%r)" % hl)
    chain = os.path.join(EX, "chain.dot")
    d = layout(tmp, "chain", chain)
    three = {n["id"]: n["index"] for n in d["nodes"]}["three"]
    t(node_texts(d, three)[0] == "3" and node_texts(d, three)[-1].startswith("\u2202C/\u2202(3) = "),
      "chain: the constant three is drawn 3, \u2202C/\u2202(3) (%r)" % node_texts(d, three))

    # --highlight and --output still take the ids
    d = layout(tmp, "hl", NET, "--highlight", "w11")
    hl = [x["text"] for x in d["texts"] if x["owner"] == "item"]
    t(len(hl) > 1 and hl[1] == "path w11\u2192(w11\u00b7x1)\u2192z1\u2192h1\u2192(v1\u00b7h1)\u2192zo"
      "\u2192a\u2192(a \u2212 y)\u2192(a \u2212 y)\u00b2\u2192C: 1 \u00d7 1 \u00d7 0.2378 \u00d7 1.2 "
      "\u00d7 1 \u00d7 0.2299 \u00d7 1 \u00d7 \u22120.7166 \u00d7 0.5 = \u22120.0235",
      "--highlight w11: the path names every node as drawn (%r)" % hl[1:2])
    d = layout(tmp, "hl2", NET, "--highlight", "C#1")
    hl = [x["text"] for x in d["texts"] if x["owner"] == "item"]
    t(hl[:1] == ["Chain rule as a sum over paths from a \u2212 y to C"],
      "--highlight C#1 (an id) names the node a \u2212 y (%r)" % hl[:1])
    r = run("eval", NET, "--output", "C#2", "--format", "json")
    t(r.returncode == 0 and json.loads(r.stdout)["output"] == "C#2",
      "--output C#2 still picks the part by its id (%s)" % r.stderr.strip())

    # one wording: node gradients \u2202C/\u2202NAME, edges local and grad,
    # the legend keyed by the same words, in every example
    bad = []
    for path in sorted(glob.glob(os.path.join(EX, "*.dot")) + glob.glob(os.path.join(EX, "*.expr"))):
        d = layout(tmp, "w-" + os.path.basename(path), path)
        legend = [x["text"] for x in d["texts"] if x["owner"] == "legend"]
        # a dense figure's edge labels may be bare numbers, the key then
        # saying which comes first
        terse = any(x.endswith("first: local \u2202v/\u2202u") for x in legend)
        for x in d["texts"]:
            # a long sum goes on with "+ " (or "= ") on lines of its own
            more = x["kind"] == "sum" and x["text"].startswith(("+ ", "= "))
            if x["owner"] == "node" and x["kind"] in ("grad", "sum") and not more \
                    and not x["text"].startswith("\u2202C/\u2202"):
                bad.append((path, x["text"]))
            if x["owner"] == "edge" and x["kind"] == "local" and \
                    not x["text"].startswith("" if terse else "local "):
                bad.append((path, x["text"]))
            if x["owner"] == "edge" and x["kind"] == "edge-grad" and \
                    not x["text"].startswith("" if terse else "grad "):
                bad.append((path, x["text"]))
        # the key writes each quantity's sample as nodes and edges write it
        keys = [x for x in legend if x in ("value", "local", "\u2202C/\u2202x", "grad")]
        want = ["value", "\u2202C/\u2202x"] + ([] if terse else ["local", "grad"])
        if sorted(keys) != sorted(want):
            bad.append((path, legend))
    t(bad == [], "every example: one wording for values, gradients, locals and edge grads (%r)" % bad[:3])

for i, (ok, what) in enumerate(tests, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
print("1..%d" % len(tests))
