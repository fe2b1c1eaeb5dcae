#!/usr/bin/env python3
"""Does a figure keep its graph's lesson? Issue 20's first point, checked
from what was drawn (Python 3 standard library only).

    python3 tests/render/plan/lesson.py [-v] EVAL.json DUMP.json [EVAL.json DUMP.json ...]

EVAL.json is `gradviz eval GRAPH --format json`, DUMP.json `gradviz render
GRAPH --dump-layout DUMP.json` (a figure, or the frames of --steps: each
frame is checked as a figure only for what it shows in full; pass
--final to check only the last frame).

The lesson, for every named node of the graph that reaches the output
(eval's "named": a formula file's statements and leaves, every node of a
DOT file):
  shown     its name with its value and its gradient: in its own box (its
            name line, a "value X" line, a "∂C/∂name = ..." line) or listed
            inside a collapsed group's box ("name = X", "∂C/∂name = ...");
  sum       when its value feeds k >= 2 distinct named nodes (an operation
            a formula made inside a statement counts as its statement), its
            gradient written as a sum of at least k terms ending in the
            total (the fan-out sum the tool exists for);
  numbers   every value, gradient and total shown equal to eval's to the
            figure's precision;
  edges     every drawn edge labelled with its local derivative and its
            gradient ("local X", "grad Y", or the bare numbers in those
            kinds of text when the figure needs the room); an edge that draws one graph
            edge with eval's numbers (into a collapsed group: d(exit)/du,
            which eval does not list, so only its presence is checked).

Prints TAP, one test per figure and criterion; offenders as comments.
Exit 0 when all pass, 1 when some fail, 2 when a file cannot be read.
"""
import json
import math
import re
import sys

SHOWN = 4

SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def number(text):
    """A figure's number (U+2212 minus, 1.234×10⁻⁵, NaN, ∞) as a float,
    or None when text is not one."""
    t = text.strip().replace("\u2212", "-")
    if t in ("NaN",):
        return math.nan
    if t in ("∞", "-∞"):
        return -math.inf if t.startswith("-") else math.inf
    m = re.fullmatch(r"(-?[0-9.]+)(?:×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?", t)
    if not m:
        return None
    try:
        x = float(m.group(1))
    except ValueError:
        return None
    if m.group(2):
        x *= 10 ** int(m.group(2).translate(SUPER))
    return x


def same(shown, exact, digits=4):
    """Whether a number shown to `digits` significant digits is exact's."""
    if shown is None or exact is None:
        return False
    if math.isnan(exact) or math.isnan(shown):
        return math.isnan(exact) and math.isnan(shown)
    if math.isinf(exact) or math.isinf(shown):
        return shown == exact
    tol = max(abs(exact), abs(shown)) * 10 ** (1 - digits) * 0.51 + 1e-300
    return abs(shown - exact) <= tol


def terms_of(expr):
    """The terms of a sum as drawn: "a + (−b) + c" -> [a, -b, c] (floats;
    None for a term that is not a number)."""
    out = []
    for t in expr.split(" + "):
        t = t.strip()
        if t.startswith("(") and t.endswith(")"):
            t = t[1:-1]
        m = re.fullmatch(r"(\d+) × (.*)", t)  # c × t: c parallel edges
        if m:
            x = number(m.group(2))
            out.extend([x] * int(m.group(1)))
            continue
        out.append(number(t))
    return out


def node_lines(dump):
    """Per dump node: its texts top to bottom, a wrapped sum's lines joined
    ("+ ..." and "= ..." continue the line before)."""
    by = {}
    for t in dump["texts"]:
        if t["owner"] == "node" and t["text"]:
            by.setdefault(t["index"], []).append(t)
    out = {}
    for i, ts in by.items():
        ts.sort(key=lambda t: (round(t["y"], 1), t["x"]))
        lines = []
        for t in ts:
            s = t["text"]
            if lines and (s.startswith("+ ") or s.startswith("= ") or s.startswith("− ")
                          or s.startswith("· ")) and t["kind"] in ("sum", "grad", "name"):
                lines[-1] = (lines[-1][0] + " " + s, lines[-1][1])
            else:
                lines.append((s, t["kind"]))
        out[i] = lines
    return out


def drawn_names(n):
    """The names a figure may draw node n by: its id, and its label's first
    line (a figure draws the label unless it defines the id)."""
    names = {n["id"]}
    if n.get("label"):
        names.add(n["label"].split("\\n")[0].split("\n")[0])
    return names


def grad_heads(names):
    """The "∂C/∂name = " prefixes a gradient line of these names starts with
    (a name of several terms is bracketed)."""
    out = []
    for nm in names:
        out.append("∂C/∂%s = " % nm)
        out.append("∂C/∂(%s) = " % nm)
    return out


def owner(n):
    """The named node an eval node counts as: itself, or for an operation a
    formula made inside a statement (h1#2), the statement (h1)."""
    if n.get("named", True):
        return n["id"]
    return n["id"].rsplit("#", 1)[0]


def parse_grad(text, heads):
    """(terms, total) of a gradient text starting with one of heads, or
    None: "∂C/∂x = 1 + 2 = 3" -> ([1, 2], 3); "∂C/∂x = 3" -> ([], 3)."""
    for h in heads:
        if text.startswith(h):
            rest = text[len(h):]
            parts = rest.split(" = ")
            total = number(parts[-1])
            terms = terms_of(parts[0]) if len(parts) > 1 else []
            return terms, total, rest
    return None


def check(ev, dump):
    """The four criteria's offender lists for one figure."""
    nodes = {n["id"]: n for n in ev["nodes"]}
    lines = node_lines(dump)
    box_of = {}
    for dn in dump["nodes"]:
        if "node" in dn and not dn.get("hidden"):
            box_of[dn["node"]] = dn["index"]
    consumers = {}
    for e in ev["edges"]:
        consumers.setdefault(e["from"], []).append(e["to"])
    shown, sums, numbers, edges = [], [], [], []
    # every listing item of every box: "name = value" and gradient items
    items, taken = [], set()
    for i, ls in sorted(lines.items()):
        for text, kind in ls:
            for it in text.split(", ") if kind in ("value", "grad", "sum") else [text]:
                items.append((i, it, kind))
    for n in ev["nodes"]:
        if not n.get("named", True) or not n["reaches_output"]:
            continue
        names = drawn_names(n)
        heads = grad_heads(names)
        value = grad = None
        if n["id"] in box_of:
            ls = lines.get(box_of[n["id"]], [])
            for text, kind in ls:
                if kind == "value" and text.startswith("value "):
                    value = number(text[len("value "):])
                g = parse_grad(text, heads)
                if g and grad is None:
                    grad = g
        if value is None or grad is None:
            # listed inside a box: the first listing of this name not taken
            # by an earlier node (two nodes a file labels alike, "0.5", are
            # listed in turn)
            vals, grads = [], []
            for j, (i, it, kind) in enumerate(items):
                if j in taken:
                    continue
                for nm in names:
                    if kind == "value" and it.startswith(nm + " = "):
                        vals.append((j, number(it[len(nm) + 3:])))
                g = parse_grad(it, heads) if kind in ("grad", "sum") else None
                if g:
                    grads.append((j, g))
            # the one whose number is this node's, else the first
            if value is None and vals:
                j, value = next((c for c in vals if same(c[1], n["value"])), vals[0])
                taken.add(j)
            if grad is None and grads:
                j, grad = next((c for c in grads if same(c[1][1], n["grad"])), grads[0])
                taken.add(j)
        label = "%s (%s)" % (n["id"], "/".join(sorted(names)))
        if value is None or grad is None:
            shown.append("%s: %s not shown" % (label, " and ".join(
                w for w, x in (("value", value), ("gradient", grad)) if x is None)))
            continue
        if not same(value, n["value"]):
            numbers.append("%s: value shown %r, eval %r" % (label, value, n["value"]))
        terms, total, text = grad
        if not same(total, n["grad"]):
            numbers.append("%s: gradient shown %r, eval %r" % (label, total, n["grad"]))
        live = {owner(nodes[c]) for c in consumers.get(n["id"], []) if nodes[c]["reaches_output"]}
        k = len(live)
        if k >= 2:
            if "…" in text or len(terms) < k:
                sums.append("%s: feeds %d named nodes (%s) but its gradient reads '%s'" % (
                    label, k, ", ".join(sorted(live)), text))
            elif None not in terms:
                # each term is shown to 4 digits: their sum is good to the
                # sum of their roundings (terms that nearly cancel)
                tol = sum(abs(t) for t in terms) * 10 ** -3 * 0.51 + abs(n["grad"]) * 1e-3
                if abs(sum(terms) - n["grad"]) > tol:
                    numbers.append("%s: terms %s do not add up to %r" % (label, terms, n["grad"]))
    etexts = {}
    for t in dump["texts"]:
        if t["owner"] == "edge" and t["text"]:
            etexts.setdefault(t["index"], []).append((t["text"], t["kind"]))
    dnode = {dn["index"]: dn for dn in dump["nodes"]}
    for e in dump["edges"]:
        if len(e["points"]) < 2 or dnode.get(e["from"], {}).get("hidden") or dnode.get(e["to"], {}).get("hidden"):
            continue
        # a label's lines by their kind: "local 0.5" or a bare 0.5 in the
        # local's colour, "grad 0.25" or 0.25 (bare when the planner needs
        # the room; the legend says which is which)
        ts = etexts.get(e["index"], [])
        local = next((number(t[6:] if t.startswith("local ") else t)
                      for t, k in ts if k == "local"), None)
        grad = next((number(t[5:] if t.startswith("grad ") else t)
                     for t, k in ts if k == "edge-grad"), None)
        what = "edge %d (%s -> %s)" % (e["index"], dnode[e["from"]]["id"], dnode[e["to"]]["id"])
        if local is None or grad is None:
            edges.append("%s: no %s" % (what, " and no ".join(
                w for w, x in (("local", local), ("grad", grad)) if x is None)))
            continue
        ge = e.get("graph_edge")
        if ge is not None and not e.get("summed") and e.get("count", 1) <= 1:
            ee = ev["edges"][ge]
            if not same(local, ee["local"]) or not same(grad, ee["grad"]):
                numbers.append("%s: shows local %r grad %r, eval %r, %r" % (
                    what, local, grad, ee["local"], ee["grad"]))
    return shown, sums, numbers, edges


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(argv):
    verbose = "-v" in argv
    final = "--final" in argv
    paths = [a for a in argv if a not in ("-v", "--final")]
    if len(paths) < 2 or len(paths) % 2:
        print("usage: lesson.py [-v] [--final] EVAL.json DUMP.json [...]", file=sys.stderr)
        return 2
    results = []
    try:
        for ep, dp in zip(paths[::2], paths[1::2]):
            ev, dump = load(ep), load(dp)
            figs = dump["frames"][-1:] if "frames" in dump and final else dump.get("frames", [dump])
            for k, fig in enumerate(figs):
                name = dp + ("#%d" % k if len(figs) > 1 else "")
                results.append((name, check(ev, fig)))
    except (OSError, ValueError, KeyError) as e:
        print("lesson.py: %s" % e, file=sys.stderr)
        return 2
    print("1..%d" % (4 * len(results)))
    n, failed = 0, False
    titles = ("every named node shown with its value and gradient",
              "every fan-out written as a sum of its terms",
              "every number as eval computes it",
              "every drawn edge with its local derivative and gradient")
    for name, lists in results:
        for title, bad in zip(titles, lists):
            n += 1
            print("%s %d - %s: %s" % ("not ok" if bad else "ok", n, name, title))
            failed |= bool(bad)
            for line in bad if verbose else bad[:SHOWN]:
                print("#   " + line)
            if bad and not verbose and len(bad) > SHOWN:
                print("#   ... and %d more (-v lists them)" % (len(bad) - SHOWN))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
