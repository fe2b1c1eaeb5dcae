#!/usr/bin/env python3
"""Is a figure slide-ready? Issue 11's first "Done when" point, computed
from `gradviz render --dump-layout` files (Python 3 standard library only).

    python3 tests/render/plan/legible.py [-v] [--markdown] DUMP.json...

Every figure is scaled to fit a 1920x1080 slide, s = min(1920/width,
1080/height) pixels per point, and must have:
  text      every node and edge text at 18 px per em or more (size * s);
  overlap   no two texts (any owner: node, edge, legend, title, item)
            whose boxes intersect by more than 0.5 pt in both directions;
  through   no edge through a node or a text that is not its own: its own
            are its two end nodes, their texts and its label's texts. The
            cubic Beziers are flattened to chords within 0.05 pt of them and
            must not enter a foreign box shrunk by 1 pt on every side (so
            touching a border, or rounding in the dump, is not a crossing);
  sides     at most 5% of labelled edges with under 12 pt of visible line
            on a side of the label: the length of the drawn curve outside
            the label box and outside both end nodes, before the curve
            first enters the label and after it last leaves it (a label
            the curve misses splits it at the curve's point nearest the
            label). The arrowhead is not line: the dump's points end at
            its base;
  legend    the legend at most 20% of the figure's height.

Geometry of the dump (src/render/draw/gdv_draw.c, gdv_render_dump_drawing and
put_text): points (1/72 in), origin at the figure's top-left, y down;
nodes, labels, the legend and texts are boxes whose x, y is the TOP-LEFT
corner (nodes: centre minus half the size; texts: left end of the advance
and top of ascent + descent); an edge's points are a start point then
cubic Bezier control triples (c1, c2, end), any rest drawn as straight
lines, exactly as draw_edge strokes them; each text's `size` is its font
size in points, i.e. its em.

Prints TAP: the plan, then for each figure one comment line with every
measure (the same columns for every figure, so the lines make a table)
and five test lines, the first offenders of a failing test as comments
(-v: all of them). --markdown prints only a markdown table. Exit 0 when
every figure passes, 1 when some test fails, 2 when a dump cannot be read.
"""
import json
import math
import os
import sys

SLIDE_W, SLIDE_H = 1920.0, 1080.0
MIN_PX_PER_EM = 18.0
OVERLAP_SLACK = 0.5      # points two text boxes may share before they overlap
EDGE_MARGIN = 1.0        # points a foreign box is shrunk by before an edge crosses it
MIN_SIDE = 12.0          # points of visible line each side of a label
MAX_SHORT_SHARE = 0.05   # of the labelled edges
MAX_LEGEND_SHARE = 0.20  # of the figure's height
FLATNESS = 0.05          # flattening: largest distance of a chord from the curve, points
GRID = 64.0              # spatial index cell, points
SHOWN = 3                # offenders printed per failing test without -v


class DumpError(Exception):
    """A dump that cannot be measured (missing file, key or bad JSON)."""


def load(path):
    """The dump, with the keys every measure needs checked up front, so a
    dump from an older gradviz says what it lacks instead of a traceback."""
    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        raise DumpError("%s: %s" % (path, e))
    need = {"": ("width", "height", "nodes", "edges", "texts", "legend"),
            "nodes": ("index", "x", "y", "w", "h"),
            "edges": ("index", "from", "to", "points"),
            "texts": ("owner", "index", "text", "x", "y", "w", "h", "size"),
            "legend": ("h",)}
    for key in need[""]:
        if key not in d:
            raise DumpError("%s: no '%s' (not a --dump-layout file?)" % (path, key))
    for part in ("nodes", "edges", "texts"):
        for k, item in enumerate(d[part]):
            for key in need[part]:
                if key not in item:
                    raise DumpError("%s: %s[%d] has no '%s'%s" % (
                        path, part, k, key,
                        " (a gradviz from before the font size was dumped)" if key == "size" else ""))
    for key in need["legend"]:
        if key not in d["legend"]:
            raise DumpError("%s: legend has no '%s'" % (path, key))
    if not (d["width"] > 0 and d["height"] > 0):
        raise DumpError("%s: width and height must be positive" % path)
    return d


def box(b, inset=0.0):
    """(x0, y0, x1, y1) of a dump box, shrunk by inset on every side."""
    return (b["x"] + inset, b["y"] + inset, b["x"] + b["w"] - inset, b["y"] + b["h"] - inset)


def flatten(pts):
    """The stroked curve as a polyline, as draw_edge strokes the points:
    cubics while three points remain, then straight lines. Each cubic gets
    enough chords to stay within FLATNESS of the curve (the chord error of
    n equal steps is at most max|B''| / (8 n^2), and |B''| is at most 6
    times the control polygon's largest second difference), so a long
    straight edge is a few chords and a tight bend many."""
    out = [tuple(pts[0])]
    i = 0
    while i + 3 < len(pts):
        p0, p1, p2, p3 = (tuple(p) for p in pts[i:i + 4])
        bend = max(math.hypot(p0[0] - 2 * p1[0] + p2[0], p0[1] - 2 * p1[1] + p2[1]),
                   math.hypot(p1[0] - 2 * p2[0] + p3[0], p1[1] - 2 * p2[1] + p3[1]))
        n = max(8, int(math.ceil(math.sqrt(6 * bend / (8 * FLATNESS)))))
        for s in range(1, n + 1):
            t = s / n
            u = 1 - t
            a, b, c, e = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
            out.append((a * p0[0] + b * p1[0] + c * p2[0] + e * p3[0],
                        a * p0[1] + b * p1[1] + c * p2[1] + e * p3[1]))
        i += 3
    out.extend(tuple(p) for p in pts[i + 1:])
    return out


def pieces(p, q):
    """Segment p->q cut into parts no longer than a grid cell, so that a
    long segment is looked up cell by cell, not by its bounding box."""
    k = max(1, int(math.ceil(math.dist(p, q) / GRID)))
    for j in range(k):
        a, b = j / k, (j + 1) / k
        yield ((p[0] + (q[0] - p[0]) * a, p[1] + (q[1] - p[1]) * a),
               (p[0] + (q[0] - p[0]) * b, p[1] + (q[1] - p[1]) * b))


def clip(p, q, r):
    """The part of segment p->q inside rectangle r = (x0, y0, x1, y1), as
    parameters (t0, t1) with t0 < t1, or None (Liang-Barsky)."""
    if r[0] >= r[2] or r[1] >= r[3]:
        return None
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for den, num in ((-dx, p[0] - r[0]), (dx, r[2] - p[0]), (-dy, p[1] - r[1]), (dy, r[3] - p[1])):
        if den == 0:
            if num < 0:
                return None
            continue
        t = num / den
        if den < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return None
    return (t0, t1) if t1 - t0 > 1e-12 else None


class Grid:
    """Boxes bucketed by GRID-point cells: a segment is tested against the
    boxes of the cells its bounding box touches, not against all of them
    (MNIST and the 1,477-node graph have thousands of texts)."""

    def __init__(self):
        self.cells = {}

    def _span(self, x0, y0, x1, y1):
        for cx in range(int(math.floor(x0 / GRID)), int(math.floor(x1 / GRID)) + 1):
            for cy in range(int(math.floor(y0 / GRID)), int(math.floor(y1 / GRID)) + 1):
                yield (cx, cy)

    def add(self, key, r):
        for c in self._span(*r):
            self.cells.setdefault(c, []).append((key, r))

    def near(self, p, q):
        found = {}
        for c in self._span(min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])):
            for key, r in self.cells.get(c, ()):
                found[key] = r
        return found.items()


def text_name(t):
    return "%r (%s %d)" % (t["text"], t["owner"], t["index"])


def smallest_text(d, s):
    """(px per em, offender lines): the smallest node or edge text on the
    slide, and every such text under the limit."""
    sized = sorted((t["size"] * s, k, t) for k, t in enumerate(d["texts"])
                   if t["owner"] in ("node", "edge") and t["text"] != "")
    small = ["text %s: %.2f pt x %.4f px/pt = %.1f px/em" % (text_name(t), t["size"], s, px)
             for px, _, t in sized if px < MIN_PX_PER_EM]
    return (sized[0][0] if sized else math.inf), small


def text_overlaps(d):
    """Pairs of texts sharing more than OVERLAP_SLACK points both ways;
    only texts in a common grid cell are compared, so large figures (a
    column of thousands of texts) stay fast."""
    g = Grid()
    for k, t in enumerate(d["texts"]):
        if t["text"] != "" and t["w"] > 0 and t["h"] > 0:
            g.add(k, box(t))
    pairs = set()
    for cell in g.cells.values():
        for x, (j, a) in enumerate(cell):
            for k, r in cell[x + 1:]:
                ox = min(a[2], r[2]) - max(a[0], r[0])
                oy = min(a[3], r[3]) - max(a[1], r[1])
                if ox > OVERLAP_SLACK and oy > OVERLAP_SLACK:
                    pairs.add((min(j, k), max(j, k), ox, oy))
    texts = d["texts"]
    return ["texts %s and %s share %.1f x %.1f pt" % (text_name(texts[j]), text_name(texts[k]), ox, oy)
            for j, k, ox, oy in sorted(pairs)]


def foreign_index(d):
    """Every node and text box an edge may not enter, shrunk by EDGE_MARGIN."""
    g = Grid()
    for n in d["nodes"]:
        if not n.get("hidden", False):
            g.add(("node", n["index"], None), box(n, EDGE_MARGIN))
    for k, t in enumerate(d["texts"]):
        if t["text"] != "":
            g.add(("text", k, (t["owner"], t["index"])), box(t, EDGE_MARGIN))
    return g


def edges_through(d):
    """Edges entering a box that is not theirs: (edge, what) lines."""
    g = foreign_index(d)
    names = {n["index"]: n.get("id", str(n["index"])) for n in d["nodes"]}
    bad = []
    for e in d["edges"]:
        if len(e["points"]) < 2:
            continue
        own_nodes = {e["from"], e["to"]}
        own_texts = {("edge", e["index"])} | {("node", i) for i in own_nodes}
        line = flatten(e["points"])
        hit = {}
        for a, b in zip(line, line[1:]):
            for p, q in pieces(a, b):
                for key, r in g.near(p, q):
                    kind, k, owner = key
                    if key in hit or (kind == "node" and k in own_nodes) or owner in own_texts:
                        continue
                    if clip(p, q, r):
                        hit[key] = True
        for kind, k, owner in sorted(hit, key=lambda x: (x[0], x[1])):
            what = ("node %r" % names.get(k, k)) if kind == "node" else "text " + text_name(d["texts"][k])
            bad.append("edge %d (%s -> %s) passes through %s" % (
                e["index"], names.get(e["from"]), names.get(e["to"]), what))
    return bad


def outside(t0, t1, cuts):
    """Parts of [t0, t1] not covered by any interval in cuts."""
    parts, at = [], t0
    for a, b in sorted(cuts):
        if b <= at:
            continue
        if a > at:
            parts.append((at, min(a, t1)))
        at = max(at, b)
        if at >= t1:
            break
    if at < t1:
        parts.append((at, t1))
    return [(a, b) for a, b in parts if b > a]


def label_sides(d, e):
    """(before, after): points of visible line on each side of e's label."""
    nodes = {n["index"]: n for n in d["nodes"]}
    lab = box(e["label"])
    hide = [box(nodes[i]) for i in (e["from"], e["to"]) if i in nodes]
    line = flatten(e["points"])
    pieces, in_label, arc = [], [], 0.0
    for p, q in zip(line, line[1:]):
        length = math.dist(p, q)
        cut = clip(p, q, lab)
        if cut:
            in_label += [arc + cut[0] * length, arc + cut[1] * length]
        cuts = [c for c in (clip(p, q, r) for r in hide + [lab]) if c]
        pieces += [(arc + a * length, arc + b * length) for a, b in outside(0.0, 1.0, cuts)]
        arc += length
    if in_label:
        first, last = min(in_label), max(in_label)
    else:
        first = last = nearest_arc(line, lab)
    before = sum(max(0.0, min(b, first) - a) for a, b in pieces)
    after = sum(max(0.0, b - max(a, last)) for a, b in pieces)
    return before, after


def nearest_arc(line, r):
    """Arc length at the point of the polyline nearest box r. The distance
    to a box along a segment is convex in the segment's parameter, so a
    ternary search finds each segment's nearest point."""
    def dist(p):
        return math.hypot(max(r[0] - p[0], 0, p[0] - r[2]), max(r[1] - p[1], 0, p[1] - r[3]))
    best, at, arc = math.inf, 0.0, 0.0
    for p, q in zip(line, line[1:]):
        point = lambda t: (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)
        lo, hi = 0.0, 1.0
        for _ in range(60):
            m1, m2 = lo + (hi - lo) / 3, hi - (hi - lo) / 3
            if dist(point(m1)) <= dist(point(m2)):
                hi = m2
            else:
                lo = m1
        t = (lo + hi) / 2
        length = math.dist(p, q)
        if dist(point(t)) < best - 1e-9:
            best, at = dist(point(t)), arc + t * length
        arc += length
    return at


def short_sides(d):
    """(labelled edges, offender lines) for edges with under MIN_SIDE
    points of line on a side of the label."""
    names = {n["index"]: n.get("id", str(n["index"])) for n in d["nodes"]}
    labelled, bad = 0, []
    for e in d["edges"]:
        if "label" not in e or len(e["points"]) < 2:
            continue
        labelled += 1
        before, after = label_sides(d, e)
        if before < MIN_SIDE or after < MIN_SIDE:
            bad.append("edge %d (%s -> %s): %.1f pt before its label, %.1f pt after" % (
                e["index"], names.get(e["from"]), names.get(e["to"]), before, after))
    return labelled, bad


def measure(path):
    """Every measure of one dump, and its five verdicts."""
    d = load(path)
    s = min(SLIDE_W / d["width"], SLIDE_H / d["height"])
    px, small = smallest_text(d, s)
    overlaps = text_overlaps(d)
    through = edges_through(d)
    labelled, short = short_sides(d)
    share = len(short) / labelled if labelled else 0.0
    legend = d["legend"]["h"] / d["height"]
    name = os.path.basename(path)
    name = name[:-5] if name.endswith(".json") else name
    return {
        "name": name, "width": d["width"], "height": d["height"], "scale": s,
        "px_per_em": px, "overlaps": len(overlaps), "through": len(through),
        "labelled": labelled, "short": len(short), "short_share": share,
        "legend_share": legend,
        "tests": [
            ("all node and edge text >= %g px/em (smallest %s)" % (MIN_PX_PER_EM, fmt_px(px)),
             px >= MIN_PX_PER_EM, small),
            ("no text overlaps a text (%d do)" % len(overlaps), not overlaps, overlaps),
            ("no edge through a foreign node or text (%d)" % len(through), not through, through),
            ("at most %g%% of labelled edges under %g pt beside the label (%d of %d, %.1f%%)"
             % (MAX_SHORT_SHARE * 100, MIN_SIDE, len(short), labelled, share * 100),
             share <= MAX_SHORT_SHARE, short),
            ("legend at most %g%% of the height (%.1f%%)" % (MAX_LEGEND_SHARE * 100, legend * 100),
             legend <= MAX_LEGEND_SHARE, []),
        ],
    }


def fmt_px(px):
    return "-" if px == math.inf else "%.1f" % px


HEADER = "%-24s %11s %6s %8s %8s %8s %16s %7s" % (
    "figure", "size (pt)", "px/pt", "px/em", "overlaps", "through", "short sides", "legend")


def row(m):
    return "%-24s %11s %6.3f %8s %8d %8d %16s %6.1f%%" % (
        m["name"], "%gx%g" % (m["width"], m["height"]), m["scale"], fmt_px(m["px_per_em"]),
        m["overlaps"], m["through"],
        "%d/%d %.1f%%" % (m["short"], m["labelled"], m["short_share"] * 100),
        m["legend_share"] * 100)


def markdown(results):
    print("| figure | size (pt) | px/em | overlaps | edges through | labelled edges < 12 pt | legend |")
    print("|---|---|---|---|---|---|---|")
    for m in results:
        print("| %s | %gx%g | %s | %d | %d | %d/%d (%.1f%%) | %.1f%% |" % (
            m["name"], m["width"], m["height"], fmt_px(m["px_per_em"]), m["overlaps"],
            m["through"], m["short"], m["labelled"], m["short_share"] * 100,
            m["legend_share"] * 100))


def main(argv):
    verbose = "-v" in argv
    as_markdown = "--markdown" in argv
    paths = [a for a in argv if a not in ("-v", "--markdown")]
    if not paths or any(p.startswith("-") for p in paths):
        print("usage: legible.py [-v] [--markdown] DUMP.json...", file=sys.stderr)
        return 2
    try:
        results = [measure(p) for p in paths]
    except DumpError as e:
        print("legible.py: %s" % e, file=sys.stderr)
        return 2
    failed = any(not ok for m in results for _, ok, _ in m["tests"])
    if as_markdown:
        markdown(results)
        return 1 if failed else 0
    print("1..%d" % sum(len(m["tests"]) for m in results))
    print("# " + HEADER)
    n = 0
    for m in results:
        print("# " + row(m))
        for what, ok, offenders in m["tests"]:
            n += 1
            print("%s %d - %s: %s" % ("ok" if ok else "not ok", n, m["name"], what))
            if not ok:
                for line in offenders if verbose else offenders[:SHOWN]:
                    print("#   " + line)
                if not verbose and len(offenders) > SHOWN:
                    print("#   ... and %d more (-v lists them)" % (len(offenders) - SHOWN))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
