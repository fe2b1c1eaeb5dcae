#!/usr/bin/env python3
"""`make bench` figures of the render layer, as `bench: NAME VALUE UNIT`.

Speed target: the whole-process time of `gradviz render -o x.png` for the
course graphs examples/neuron.expr and examples/net-2-2-1.expr divided by
the time of `dot -Tpng` on the annotated DOT of the same graph must be at
most 1.0. The machine is shared (2 cores, several builds at once), so the
two commands run in interleaved pairs, alternating which goes first; each
pair gives a ratio taken under the same load, and the median of many pairs
is reported, for wall time and for CPU time (user + system, steadier),
together with the median milliseconds of each command.

Also the time to draw a 1,500-node graph (dot layout, SVG: at 144 dpi its
PNG would pass Cairo's 32,767-pixel limit; and our column layout)."""
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

gradviz, srcdir = sys.argv[1], sys.argv[2]
PAIRS = int(os.environ.get("GDV_BENCH_PAIRS", "41"))


def run(cmd):
    """Wall and CPU seconds (user + system) of one run of cmd."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime


def paired(ours_cmd, theirs_cmd, pairs):
    """Runs the two commands in interleaved pairs (first one, then the
    other, alternately; one warm-up pair not counted). Returns the median
    per-pair ratios (wall, CPU) and the median wall and CPU seconds of each
    command."""
    run(ours_cmd)
    run(theirs_cmd)
    ours, theirs = [], []
    for i in range(pairs):
        if i % 2:
            b = run(theirs_cmd)
            a = run(ours_cmd)
        else:
            a = run(ours_cmd)
            b = run(theirs_cmd)
        ours.append(a)
        theirs.append(b)
    wall_ratio = statistics.median(a[0] / b[0] for a, b in zip(ours, theirs))
    cpu_ratio = statistics.median(a[1] / b[1] for a, b in zip(ours, theirs) if b[1] > 0)
    med = lambda xs, k: statistics.median(x[k] for x in xs)
    return wall_ratio, cpu_ratio, med(ours, 0), med(theirs, 0), med(ours, 1), med(theirs, 1)


def best(cmd, runs):
    """Best wall time over several runs (for the big graphs: seconds, where
    start-up noise does not matter)."""
    return min(run(cmd)[0] for _ in range(runs))


with tempfile.TemporaryDirectory() as tmp:
    graphs = [("neuron", os.path.join(srcdir, "examples/neuron.expr")),
              ("net221", os.path.join(srcdir, "examples/net-2-2-1.expr"))]
    for name, path in graphs:
        dot = os.path.join(tmp, name + ".dot")
        subprocess.run([gradviz, "render", path, "-o", dot], check=True)
        r = paired([gradviz, "render", path, "-o", os.path.join(tmp, "x.png")],
                   ["dot", "-Tpng", "-o", os.path.join(tmp, "y.png"), dot], PAIRS)
        print("bench: render-%s-vs-dot %.2f ratio" % (name, r[0]))
        print("bench: render-%s-vs-dot-cpu %.2f ratio" % (name, r[1]))
        print("bench: render-%s %.1f ms" % (name, r[2] * 1e3))
        print("bench: render-%s-dot %.1f ms" % (name, r[3] * 1e3))
        print("bench: render-%s-cpu %.1f ms" % (name, r[4] * 1e3))
        print("bench: render-%s-dot-cpu %.1f ms" % (name, r[5] * 1e3))
    wide = os.path.join(tmp, "wide.dot")
    with open(wide, "w") as f:
        subprocess.run([sys.executable, os.path.join(srcdir, "tests/data/render/wide.py"), "34", "16", "8"],
                       check=True, stdout=f)
    # on a 1920x1080 slide the 1,477 nodes' text would be 0.25 px per em,
    # which render refuses (exit 2): the big graph is drawn at its own size,
    # and planned on a page of 7680x4320 px (1 px per em there)
    print("bench: render-1477-nodes-svg %.2f s" %
          best([gradviz, "render", wide, "--page", "none", "-o", os.path.join(tmp, "w.svg")], 3))
    print("bench: render-1477-nodes-columns-pdf %.2f s" %
          best([gradviz, "render", wide, "--page", "none", "-o", os.path.join(tmp, "w.pdf"), "--layout", "columns"], 3))
    # issue 11: the layout that meets the page (direction, folds measured
    # on the page) against the layout without a page, as before pages
    before = best([gradviz, "render", wide, "--page", "none", "-o", os.path.join(tmp, "n.svg")], 3)
    after = best([gradviz, "render", wide, "--page", "7680x4320px", "-o", os.path.join(tmp, "s.svg")], 3)
    print("bench: layout-1477-nodes-no-page %.2f s" % before)
    print("bench: layout-1477-nodes-8k-page %.2f s" % after)
    print("bench: layout-1477-nodes-8k-page-vs-no-page %.2f ratio" % (after / before))
