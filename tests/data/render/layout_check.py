#!/usr/bin/env python3
"""Checks a `gradviz render --dump-layout` file: no two drawn texts overlap,
no text overlaps a node other than its own, nodes do not overlap, every
element lies inside the figure, and every edge label is plainly its own
edge's: the edge passes through the label, or touches it while no other
edge comes within 8 points. Prints problems; exit 1 if any."""
import json
import math
import sys


def curve(pts):
    """An edge's cubic Bezier control points (3k+1) as a polyline."""
    out = [pts[0]]
    i = 0
    while i + 3 < len(pts):
        p0, p1, p2, p3 = pts[i:i + 4]
        for s in range(1, 9):
            t = s / 8
            u = 1 - t
            out.append([u * u * u * p0[k] + 3 * u * u * t * p1[k] + 3 * u * t * t * p2[k]
                        + t * t * t * p3[k] for k in (0, 1)])
        i += 3
    return out + pts[i + 1:]


def box_distance(line, b, shrink=0.0):
    """Distance from a polyline to box b (made smaller by shrink on every
    side), sampling each segment; 0 when the line enters the box."""
    x0, y0 = b["x"] + shrink, b["y"] + shrink
    x1, y1 = b["x"] + b["w"] - shrink, b["y"] + b["h"] - shrink
    best = math.inf
    for (ax, ay), (bx, by) in zip(line, line[1:]):
        for k in range(21):
            x, y = ax + (bx - ax) * k / 20, ay + (by - ay) * k / 20
            best = min(best, math.hypot(max(x0 - x, 0, x - x1), max(y0 - y, 0, y - y1)))
    return best


def label_problems(d):
    """Edge labels a reader could take for another edge's."""
    lines = {e["index"]: curve(e["points"]) for e in d["edges"] if len(e["points"]) > 1}
    bad = []
    for e in d["edges"]:
        if "label" not in e or e["index"] not in lines:
            continue
        lab = e["label"]
        own = lines[e["index"]]
        if box_distance(own, lab, 2) == 0:
            continue
        near = min((box_distance(l, lab) for i, l in lines.items() if i != e["index"]), default=math.inf)
        # beside its edge (where on the line it would hide the line): within
        # 4 points of its own curve, and no other edge within 8
        if box_distance(own, lab) > 4 or near < 8:
            bad.append("label of edge %d (%d -> %d) is not plainly on its edge" % (e["index"], e["from"], e["to"]))
    return bad


def inter(a, b, slack=0.25):
    return (a["x"] + slack < b["x"] + b["w"] and b["x"] + slack < a["x"] + a["w"]
            and a["y"] + slack < b["y"] + b["h"] and b["y"] + slack < a["y"] + a["h"])


def main(path):
    d = json.load(open(path, encoding="utf-8"))
    bad = []
    texts = d["texts"]
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if inter(texts[i], texts[j]):
                bad.append("texts overlap: %r and %r" % (texts[i]["text"], texts[j]["text"]))
    nodes = [n for n in d["nodes"] if not n["hidden"]]
    for t in texts:
        for n in nodes:
            if t["owner"] == "node" and t["index"] == n["index"]:
                continue
            if inter(t, n):
                bad.append("text %r overlaps node %r" % (t["text"], n["id"]))
    for i in range(len(nodes)):
        for j in range(i + 1, len(nodes)):
            if inter(nodes[i], nodes[j]):
                bad.append("nodes overlap: %r and %r" % (nodes[i]["id"], nodes[j]["id"]))
    W, H = d["width"], d["height"]
    for t in texts + nodes:
        if t["x"] < -0.5 or t["y"] < -0.5 or t["x"] + t["w"] > W + 0.5 or t["y"] + t["h"] > H + 0.5:
            bad.append("outside the figure: %r" % (t.get("text") or t.get("id")))
    bad += label_problems(d)
    for b in bad[:20]:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
