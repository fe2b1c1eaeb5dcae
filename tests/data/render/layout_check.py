#!/usr/bin/env python3
"""Checks a `gradviz render --dump-layout` file: no two drawn texts overlap,
no text overlaps a node other than its own, nodes do not overlap, and every
element lies inside the figure. Prints problems; exit 1 if any."""
import json
import sys


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
    for b in bad[:20]:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
