"""svg_check.py: what gradviz's SVG must hold, checked on the parsed file.

  svg_check.py structure FIG.svg LAYOUT.json   the SVG against what the
      drawing code says it drew (--dump-layout of the same figure): root
      element, <title> and <desc>, every id prefixed, one <g> per drawn node
      and edge with a <title> first, and inside each exactly the dump's
      texts (strings, kinds as t-KIND classes, left ends to 0.01 pt)
  svg_check.py titles FIG.svg EVAL.json        node and edge titles say
      eval --format json's numbers (4 significant digits, as drawn)
  svg_check.py inline OUT.html A.svg B.svg...  the SVGs inlined in one HTML
      page: no id twice in the page

Prints what it counted; exits 1 with the reason on the first failure.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def texts_of(g):
    """The <text> elements of a group, in document order."""
    return [t for t in g.iter(NS + "text")]


def kind_of(t):
    for c in t.get("class", "").split():
        if c.startswith("t-"):
            return c[2:]
    return None


def check_group_texts(g, dumped, what):
    """The group's texts are the dump's: same strings, kinds, left ends."""
    got = [(t.text or "", kind_of(t), float(t.get("x"))) for t in texts_of(g)]
    want = [(d["text"], d["kind"], d["x"]) for d in dumped]
    if [(a, b) for a, b, _ in got] != [(a, b) for a, b, _ in want]:
        fail("%s: texts %r, the figure draws %r" % (what, got, want))
    for (s, _, x), (_, _, wx) in zip(got, want):
        if abs(x - wx) > 0.011:
            fail("%s: %r at x=%.2f, drawn at %.2f" % (what, s, x, wx))
    if any(t.get("textLength") is None for t in texts_of(g)):
        fail("%s: a <text> without textLength" % what)


def structure(svg_path, dump_path):
    root = ET.parse(svg_path).getroot()
    dump = json.load(open(dump_path, encoding="utf-8"))
    if root.tag != NS + "svg":
        fail("root is %s" % root.tag)
    if root.get("role") != "img":
        fail("root role is %r" % root.get("role"))
    for a in ("width", "height"):
        if not re.fullmatch(r"[0-9.]+pt", root.get(a, "")):
            fail("root %s is %r" % (a, root.get(a)))
    if not root.get("viewBox"):
        fail("no viewBox")
    prefix = root.get("id", "")[: -len("figure")]
    if not root.get("id", "").endswith("figure") or not prefix:
        fail("root id %r" % root.get("id"))
    kids = list(root)
    if len(kids) < 2 or kids[0].tag != NS + "title" or kids[1].tag != NS + "desc":
        fail("the root's first children are not <title>, <desc>")
    if not (kids[0].text or "").strip() or not (kids[1].text or "").strip():
        fail("empty figure <title> or <desc>")
    if root.get("aria-labelledby") != "%stitle %sdesc" % (prefix, prefix):
        fail("aria-labelledby %r" % root.get("aria-labelledby"))
    if kids[0].get("id") != prefix + "title" or kids[1].get("id") != prefix + "desc":
        fail("<title>/<desc> ids")
    ids = [e.get("id") for e in root.iter() if e.get("id") is not None]
    bad = [i for i in ids if not i.startswith(prefix)]
    if bad or len(set(ids)) != len(ids):
        fail("ids not prefixed %r or repeated" % bad[:5])
    groups = {}
    for g in root.iter(NS + "g"):
        cls = g.get("class", "").split()
        if cls[:1] in (["node"], ["edge"]):
            groups.setdefault(cls[0], []).append(g)
    drawn = [n for n in dump["nodes"] if not n["hidden"]]
    nodes = groups.get("node", [])
    if len(nodes) != len(drawn):
        fail("%d node groups, %d drawn nodes" % (len(nodes), len(drawn)))
    by_id = {n["id"]: n["index"] for n in dump["nodes"]}
    owned = {}
    for t in dump["texts"]:
        owned.setdefault((t["owner"], t["index"]), []).append(t)
    n_texts = 0
    for g in nodes:
        first = list(g)[0] if len(g) else None
        if first is None or first.tag != NS + "title" or not (first.text or "").strip():
            fail("node %s has no <title> first" % g.get("id"))
        i = by_id.get(g.get("data-id"))
        if i is None:
            fail("node %s: data-id %r is no node" % (g.get("id"), g.get("data-id")))
        check_group_texts(g, owned.get(("node", i), []), g.get("id"))
        n_texts += len(texts_of(g))
    all_texts = len(list(root.iter(NS + "text")))
    if all_texts < len(drawn):
        fail("%d texts for %d drawn nodes" % (all_texts, len(drawn)))
    edges = groups.get("edge", [])
    # data-edge is the graph edge; the dump numbers scene edges, which differ
    # once groups collapse: match them by their ends' ids, in order
    ends = {}
    for e in dump["edges"]:
        key = (dump["nodes"][e["from"]]["id"], dump["nodes"][e["to"]]["id"])
        ends.setdefault(key, []).append(e["index"])
    for g in edges:
        first = list(g)[0] if len(g) else None
        if first is None or first.tag != NS + "title" or not (first.text or "").strip():
            fail("edge %s has no <title> first" % g.get("id"))
        if g.get("data-edge") is not None:
            queue = ends.get((g.get("data-from"), g.get("data-to")), [])
            if not queue:
                fail("edge %s: %s -> %s is no drawn edge" % (g.get("id"), g.get("data-from"), g.get("data-to")))
            check_group_texts(g, owned.get(("edge", queue.pop(0)), []), g.get("id"))
    bulk = sum(1 for g in root.iter(NS + "g") if g.get("class") == "edges")
    if not edges and not bulk and dump["edges"]:
        fail("no edge drawn")
    legend = [g for g in root.iter(NS + "g") if g.get("class") == "legend"]
    if dump["legend"]["entries"] and len(legend) != 1:
        fail("%d legend groups" % len(legend))
    if legend:
        check_group_texts(legend[0], [t for t in dump["texts"] if t["owner"] == "legend"], "legend")
    print("nodes %d, node texts %d, edges %d, ids %d" % (len(nodes), n_texts, len(edges), len(ids)))


def fig(x):
    """A number as the figure prints it: 4 significant digits, U+2212."""
    if x is None:
        return None
    s = "%.4g" % x
    if "e" in s:
        return None  # scientific form: not in the examples checked here
    return s.replace("-", "\u2212")


def titles(svg_path, eval_path):
    root = ET.parse(svg_path).getroot()
    ev = json.load(open(eval_path, encoding="utf-8"))
    nodes = {n["id"]: n for n in ev["nodes"]}
    checked = 0
    for g in root.iter(NS + "g"):
        cls = g.get("class", "").split()
        title = list(g)[0].text if len(g) else ""
        if cls[:1] == ["node"]:
            n = nodes[g.get("data-id")]
            if "value %s" % fig(n["value"]) not in title:
                fail("%s: %r lacks value %s" % (n["id"], title, fig(n["value"])))
            total = re.search(r"∂C/∂\S+ = (.*)$", title.split("; ")[-1])
            if total is None or total.group(1).split(" = ")[-1] != fig(n["grad"]):
                fail("%s: %r lacks the gradient %s" % (n["id"], title, fig(n["grad"])))
            outs = [e for e in ev["edges"] if e["from"] == n["id"]]
            if len(outs) > 1:  # a fan-out: its sum term by term
                terms = " + ".join(fig(e["grad"]) if e["grad"] >= 0 else "(%s)" % fig(e["grad"])
                                   for e in outs)
                if "= %s = %s" % (terms, fig(n["grad"])) not in title:
                    fail("%s: %r, want the sum %s = %s" % (n["id"], title, terms, fig(n["grad"])))
            checked += 1
        elif cls[:1] == ["edge"]:
            k = int(g.get("data-edge"))
            e = ev["edges"][k]
            if (g.get("data-from"), g.get("data-to"), int(g.get("data-arg"))) != (e["from"], e["to"], e["arg"]):
                fail("edge %d: data-from/to/arg %r, eval says %r" % (k, g.attrib, e))
            want = "local %s × upstream %s = gradient %s" % (
                fig(e["local"]), fig(nodes[e["to"]]["grad"]), fig(e["grad"]))
            if not title.endswith(want):
                fail("edge %d: %r, want %r" % (k, title, want))
            checked += 1
    if checked != len(ev["nodes"]) + len(ev["edges"]):
        fail("%d titles checked, the graph has %d nodes and %d edges"
             % (checked, len(ev["nodes"]), len(ev["edges"])))
    print("titles checked: %d" % checked)


def inline(html_path, svgs):
    parts = []
    for p in svgs:
        text = open(p, encoding="utf-8").read()
        parts.append(text[text.index("<svg"):])
    html = ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>t</title></head><body>\n"
            + "\n".join(parts) + "</body></html>\n")
    open(html_path, "w", encoding="utf-8").write(html)
    ids = re.findall(r'\sid="([^"]*)"', html)
    seen, twice = set(), []
    for i in ids:
        if i in seen:
            twice.append(i)
        seen.add(i)
    if twice:
        fail("ids twice in the page: %s" % ", ".join(sorted(set(twice))[:8]))
    print("ids in the page: %d, all distinct" % len(ids))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "structure":
        structure(sys.argv[2], sys.argv[3])
    elif mode == "titles":
        titles(sys.argv[2], sys.argv[3])
    elif mode == "inline":
        inline(sys.argv[2], sys.argv[3:])
    else:
        fail("unknown mode " + mode)
