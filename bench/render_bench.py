#!/usr/bin/env python3
"""`make bench` figures of the render layer, as `bench: NAME VALUE UNIT`:
whole-process time of `gradviz render -o x.png` for small course graphs
divided by the time of `dot -Tpng` on the annotated DOT of the same graph
(best of several runs each; also as CPU time, steadier on a shared
machine), and the time to draw a 1,500-node graph (dot layout, SVG: at
144 dpi its PNG would pass Cairo's 32,767-pixel limit; and our column
layout)."""
import os
import resource
import subprocess
import sys
import tempfile
import time

gradviz, srcdir = sys.argv[1], sys.argv[2]


def best(cmd, runs=15):
    """Best wall time and best CPU time (user + system) over several runs:
    the machine is shared, the best run is the least disturbed one."""
    t = c = float("inf")
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        t = min(t, time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        c = min(c, r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
    return t, c


with tempfile.TemporaryDirectory() as tmp:
    graphs = [("neuron", os.path.join(srcdir, "examples/neuron.expr")),
              ("net221", os.path.join(srcdir, "tests/data/render/net221.expr"))]
    for name, path in graphs:
        dot = os.path.join(tmp, name + ".dot")
        subprocess.run([gradviz, "render", path, "-o", dot], check=True)
        ours, ours_cpu = best([gradviz, "render", path, "-o", os.path.join(tmp, "x.png")])
        theirs, theirs_cpu = best(["dot", "-Tpng", "-o", os.path.join(tmp, "y.png"), dot])
        print("bench: render-%s-vs-dot %.2f ratio" % (name, ours / theirs))
        print("bench: render-%s-vs-dot-cpu %.2f ratio" % (name, ours_cpu / theirs_cpu))
        print("bench: render-%s %.1f ms" % (name, ours * 1e3))
    wide = os.path.join(tmp, "wide.dot")
    with open(wide, "w") as f:
        subprocess.run([sys.executable, os.path.join(srcdir, "tests/data/render/wide.py"), "34", "16", "8"],
                       check=True, stdout=f)
    print("bench: render-1477-nodes-svg %.2f s" % best([gradviz, "render", wide, "-o", os.path.join(tmp, "w.svg")], 3)[0])
    print("bench: render-1477-nodes-columns-pdf %.2f s" %
          best([gradviz, "render", wide, "-o", os.path.join(tmp, "w.pdf"), "--layout", "columns"], 3)[0])
