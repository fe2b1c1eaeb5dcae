#!/usr/bin/env python3
"""`make bench-plan`: what the figure planner costs, per figure, as
`bench: NAME VALUE UNIT` lines after a table.

For every example and every course graph of the tests (tests/render/plan/course,
course-shared, course-own) and a shared-weight chain of 30, 80 and 150
steps, with default options: the wall time of
`gradviz render -o x.png`, the candidates the planner laid out and the
figures it measured (the dump's page.layouts and page.measured), the
Graphviz layouts the process ran (gvLayout calls, counted by the
LD_PRELOAD shim count_layouts.so) and the text size reached.

GDV_BENCH_BASELINE=/path/to/an/older/gradviz runs the same graphs through
that binary too (time and Graphviz layouts; it may know no planner) and
prints both, so a change's before and after are measured in one sitting.

    python3 plan_bench.py GRADVIZ SRCDIR SHIM.so"""
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

gradviz, srcdir, shim = sys.argv[1], sys.argv[2], sys.argv[3]
baseline = os.environ.get("GDV_BENCH_BASELINE")
graphs = sorted(glob.glob(os.path.join(srcdir, "examples", "*.expr")) +
                glob.glob(os.path.join(srcdir, "examples", "*.dot")))
for d in ("course", "course-shared", "course-own"):
    graphs += sorted(glob.glob(os.path.join(srcdir, "tests/render/plan", d, "*.expr")) +
                     glob.glob(os.path.join(srcdir, "tests/render/plan", d, "*.dot")))


def run(binary, graph, tmp, dump):
    """Wall seconds, Graphviz layouts, and the dump (or None)."""
    count = os.path.join(tmp, "count")
    if os.path.exists(count):
        os.remove(count)
    env = dict(os.environ, LD_PRELOAD=shim, GDV_COUNT_FILE=count)
    cmd = [binary, "render", graph, "-o", os.path.join(tmp, "x.png")]
    if dump:
        cmd += ["--dump-layout", os.path.join(tmp, "x.json")]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    with open(count) if os.path.exists(count) else open(os.devnull) as f:
        gv = sum(int(x) for x in f.read().split())
    d = None
    if dump and r.returncode == 0:
        with open(os.path.join(tmp, "x.json"), encoding="utf-8") as f:
            d = json.load(f)
    return wall, gv, d




def shared_weight_chain(steps, folder):
    """h_i = tanh(w*h_{i-1} + x_i), i = 1..steps, as a formula file: the
    graph that took Graphviz 81 s at 50 steps and crashed it at 150
    (issue 20 asks for 150 steps within 5 s)."""
    path = os.path.join(folder, "shared-weight-chain-%d.expr" % steps)
    with open(path, "w", encoding="utf-8") as f:
        f.write("param w = 0.5\nh0 = 0\n")
        for i in range(1, steps + 1):
            f.write("x%d = 0.%d\nh%d = tanh(w*h%d + x%d)\n" % (i, i % 9 + 1, i, i - 1, i))
        f.write("output h%d\n" % steps)
    return path


rows = []
with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as chains:
    graphs += [shared_weight_chain(k, chains) for k in (30, 80, 150)]
    for g in graphs:
        name = os.path.splitext(os.path.basename(g))[0]
        wall, gv, d = run(gradviz, g, tmp, True)
        page = (d or {}).get("page", {})
        px = (d or {}).get("measures", {}).get("px_per_em", 0)
        row = [name, wall, gv, page.get("layouts", 0), page.get("measured", 0), px]
        if baseline:
            bw, bgv, _ = run(baseline, g, tmp, False)
            row += [bw, bgv]
        rows.append(row)
head = "%-28s %7s %9s %8s %9s %6s" % ("figure", "time s", "graphviz", "layouts", "measured", "px/em")
if baseline:
    head += " | %9s %9s" % ("base time", "base gv")
print(head)
for r in rows:
    line = "%-28s %7.2f %9d %8d %9d %6.1f" % tuple(r[:6])
    if baseline:
        line += " | %9.2f %9d" % (r[6], r[7])
    print(line)


def stat(name, values, unit):
    print("bench: %s_median %.3g %s" % (name, statistics.median(values), unit))
    print("bench: %s_max %.3g %s" % (name, max(values), unit))


stat("plan_time", [r[1] for r in rows], "s")
stat("plan_graphviz_layouts", [r[2] for r in rows], "layouts")
stat("plan_layouts", [r[3] for r in rows], "layouts")
stat("plan_measured", [r[4] for r in rows], "figures")
print("bench: plan_under_18_px %d figures" % sum(r[5] < 18 for r in rows))
chain150 = [r for r in rows if r[0] == "shared-weight-chain-150"]
print("bench: plan_time_chain150 %.3g s" % chain150[0][1])
if baseline:
    stat("baseline_time", [r[6] for r in rows], "s")
    stat("baseline_graphviz_layouts", [r[7] for r in rows], "layouts")
