#!/usr/bin/env python3
"""The render layer's folders call one way and its files in no circle
(src/render/README.md), checked from the object files the build made:

    python3 render_pipeline.py SRCDIR BUILDDIR

Every global symbol a render object uses and another defines is a call
from one file to the other. Each file must call only files of its own
folder or of a folder before it in the README's order line ("style <
scene < ..."), and the calls between files must have no circle. Prints
TAP: one line per file, then one for circles."""
import os
import re
import subprocess
import sys

src, build = sys.argv[1], sys.argv[2]
with open(os.path.join(src, "src/render/README.md"), encoding="utf-8") as f:
    line = next(l for l in f if re.match(r"\s+\w+ < \w+ < ", l))
order = [w.strip() for w in line.split("<")]
objs = []
for root, _, files in os.walk(os.path.join(build, "src/render")):
    folder = os.path.basename(root)
    for name in files:
        if name.endswith(".o") and folder in order:
            objs.append((folder, name.split("-", 1)[1][:-2], os.path.join(root, name)))
objs.sort()
defined, used = {}, {}
for folder, name, path in objs:
    out = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
    used[name] = set()
    for l in out.splitlines():
        p = l.split()
        if len(p) == 3 and p[1] in "TDRB":
            defined[p[2]] = (folder, name)
        elif len(p) == 2 and p[0] == "U":
            used[name].add(p[1])
folder_of = {name: folder for folder, name, _ in objs}
calls = {name: sorted({defined[u][1] for u in used[name] if u in defined and defined[u][1] != name})
         for name in used}
n = failed = 0
for folder, name, _ in objs:
    up = [c for c in calls[name] if order.index(folder_of[c]) > order.index(folder)]
    n += 1
    failed += bool(up)
    print("%s %d - %s/%s calls only its folder and those before it%s" % (
        "not ok" if up else "ok", n, folder, name,
        "".join("\n#   calls %s/%s" % (folder_of[c], c) for c in up)))
# circles: Tarjan's strongly connected components, iteratively
index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]
for start in sorted(calls):
    if start in index:
        continue
    work = [(start, iter(calls[start]))]
    index[start] = low[start] = counter[0]; counter[0] += 1
    stack.append(start); on.add(start)
    while work:
        v, it = work[-1]
        w = next(it, None)
        if w is not None:
            if w not in index:
                index[w] = low[w] = counter[0]; counter[0] += 1
                stack.append(w); on.add(w)
                work.append((w, iter(calls.get(w, []))))
            elif w in on:
                low[v] = min(low[v], index[w])
            continue
        work.pop()
        if work:
            low[work[-1][0]] = min(low[work[-1][0]], low[v])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))
n += 1
failed += bool(comps)
print("%s %d - no circle of calls between render files (%d files)%s" % (
    "not ok" if comps else "ok", n, len(objs), "".join("\n#   circle: " + " ".join(c) for c in comps)))
if len(objs) < 20:
    n += 1; failed += 1
    print("not ok %d - found the render objects (%d under %s)" % (n, len(objs), build))
print("1..%d" % n)
sys.exit(1 if failed else 0)
