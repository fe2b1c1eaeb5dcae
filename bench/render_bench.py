#!/usr/bin/env python3
"""`make bench` figures of the render layer, as `bench: NAME VALUE UNIT`:
whole-process time of `gradviz render -o x.png` for small course graphs
divided by the time of `dot -Tpng` on the annotated DOT of the same graph
(best of several runs each), and the time to draw a 1,500-node graph."""
import os
import subprocess
import sys
import tempfile
import time

gradviz, srcdir = sys.argv[1], sys.argv[2]


def best(cmd, runs=15):
    t = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        t = min(t, time.perf_counter() - t0)
    return t


with tempfile.TemporaryDirectory() as tmp:
    graphs = [("neuron", os.path.join(srcdir, "examples/neuron.expr")),
              ("net221", os.path.join(srcdir, "tests/data/render/net221.expr"))]
    for name, path in graphs:
        dot = os.path.join(tmp, name + ".dot")
        subprocess.run([gradviz, "render", path, "-o", dot], check=True)
        ours = best([gradviz, "render", path, "-o", os.path.join(tmp, "x.png")])
        theirs = best(["dot", "-Tpng", "-o", os.path.join(tmp, "y.png"), dot])
        print("bench: render-%s-vs-dot %.2f ratio" % (name, ours / theirs))
        print("bench: render-%s %.1f ms" % (name, ours * 1e3))
    wide = os.path.join(tmp, "wide.dot")
    with open(wide, "w") as f:
        subprocess.run([sys.executable, os.path.join(srcdir, "tests/data/render/wide.py"), "34", "16", "8"],
                       check=True, stdout=f)
    print("bench: render-1477-nodes-svg %.2f s" % best([gradviz, "render", wide, "-o", os.path.join(tmp, "w.svg")], 3))
    print("bench: render-1477-nodes-columns-pdf %.2f s" %
          best([gradviz, "render", wide, "-o", os.path.join(tmp, "w.pdf"), "--layout", "columns"], 3))
