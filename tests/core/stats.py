#!/usr/bin/env python3
"""`gradviz stats` against counts made by hand on small graphs (TAP)."""
import json
import os
import subprocess
import sys
import tempfile

GRADVIZ = os.environ.get("GRADVIZ", "gradviz")
EX = os.path.join(os.environ.get("GDV_SRCDIR", "."), "examples")
tests = []


def stats(path, *extra):
    r = subprocess.run([GRADVIZ, "stats", "--no-timing", "--format", "json", path]
                       + list(extra), capture_output=True, text=True)
    if r.returncode != 0:
        tests.append((False, "%s: stats exits 0 (%s)" % (path, r.stderr.strip())))
        return None
    return json.loads(r.stdout)


def expect(name, got, want):
    for key, w in want.items():
        g = got
        for part in key.split("."):
            g = g[part] if g is not None else None
        tests.append((g == w, "%s: %s = %r (want %r)" % (name, key, g, w)))


# neuron: x1,x2 inputs; w1,w2,b params; two muls, one add (3 operands), tanh.
# Kept: the muls' operands x1,w1,x2,w2 (leaves) and tanh's own result o.
expect("neuron.expr", stats(os.path.join(EX, "neuron.expr")), {
    "nodes": 9, "edges": 8, "ops": 4, "leaves.input": 2, "leaves.param": 3,
    "leaves.const": 0, "depth": 3, "depth_end": "o",
    "max_fan_in.count": 3, "max_fan_in.node": "n", "max_fan_out.count": 1,
    "memory.saved_values": 5, "memory.saved_activations": 1,
    "memory.saved_leaf_values": 4, "memory.saved_by_inputs": 4,
    "memory.saved_by_output": 1, "memory.saved_bytes": 40,
    "memory.all_values_bytes": 72, "memory.all_with_locals_bytes": 136,
    "cost.gradients": 3, "cost.of": "param", "cost.backprop_edge_visits": 16,
    "cost.fd_forward_passes": 6, "cost.fd_edge_visits": 48})

# x*x: one leaf used by two edges; mul keeps x once.
expect("x-squared.dot", stats(os.path.join(EX, "x-squared.dot")), {
    "nodes": 2, "edges": 2, "depth": 1, "max_fan_out.count": 2,
    "max_fan_out.node": "x", "max_fan_in.count": 2, "max_fan_in.node": "m",
    "memory.saved_values": 1, "memory.saved_bytes": 8,
    "cost.gradients": 1, "cost.of": "leaf", "cost.backprop_edge_visits": 4,
    "cost.fd_forward_passes": 2, "cost.fd_edge_visits": 4})

# maxpool: max keeps only its winner's index; square keeps its operand m.
expect("maxpool.dot", stats(os.path.join(EX, "maxpool.dot")), {
    "nodes": 6, "edges": 5, "depth": 2, "max_fan_in.count": 4,
    "max_fan_in.node": "m", "memory.saved_values": 1,
    "memory.saved_activations": 1, "memory.saved_indices": 1,
    "memory.saved_bytes": 16, "cost.gradients": 4, "cost.fd_edge_visits": 40})

# deep sigmoid: x, w1..w6; 6 muls, 6 sigmoids; x->m1->h1->...->m6->h6 is 12
# edges. Muls keep x, w1..w6, h1..h5 (12 values); sigmoids keep h1..h6, of
# which only h6 is new: 13 values, 6 of them activations.
expect("deep-sigmoid.expr", stats(os.path.join(EX, "deep-sigmoid.expr")), {
    "nodes": 19, "edges": 18, "ops": 12, "leaves.param": 6, "leaves.input": 1,
    "depth": 12, "depth_end": "h6", "max_fan_in.count": 2,
    "memory.saved_values": 13, "memory.saved_activations": 6,
    "memory.saved_by_inputs": 12, "memory.saved_by_output": 1,
    "memory.saved_bytes": 104, "memory.all_values_bytes": 152,
    "cost.gradients": 6, "cost.backprop_edge_visits": 36,
    "cost.fd_forward_passes": 12, "cost.fd_edge_visits": 216})

with tempfile.TemporaryDirectory() as tmp:
    # Only adds: nothing to keep at all. An unused leaf is not a sink when the
    # output is marked; it does not reach the output.
    p = os.path.join(tmp, "adds.dot")
    with open(p, "w") as f:
        f.write('digraph { a [value=1]; b [value=2, role=param]; '
                'u [value=3]; s [op=add]; t [op=add, output=true]; '
                'a -> s; b -> s; s -> t; a -> t; u -> v; v [op=neg]; }\n')
    expect("adds.dot", stats(p), {
        "nodes": 6, "edges": 5, "unreached": 2, "depth": 2,
        "max_fan_out.count": 2, "max_fan_out.node": "a",
        "memory.saved_values": 0, "memory.saved_bytes": 0,
        "cost.gradients": 1, "cost.of": "param", "cost.fd_forward_passes": 2,
        "cost.fd_edge_visits": 10, "cost.backprop_edge_visits": 10})
    # A long chain (no recursion): 100,000 sin nodes keep 100,000 operands.
    p = os.path.join(tmp, "chain.expr")
    n = 100000
    with open(p, "w") as f:
        f.write("param x0 = 0.5\n")
        for i in range(1, n + 1):
            f.write("x%d = sin(x%d)\n" % (i, i - 1))
    expect("chain.expr", stats(p), {
        "nodes": n + 1, "edges": n, "depth": n, "memory.saved_values": n,
        "memory.saved_activations": n - 1, "cost.fd_forward_passes": 2})
    # One leaf and nothing else: no edges, depth 0, and the text stays whole.
    p = os.path.join(tmp, "one.dot")
    with open(p, "w") as f:
        f.write("digraph { a [value=1]; }\n")
    expect("one.dot", stats(p), {"nodes": 1, "edges": 0, "depth": 0, "max_fan_in.count": 0,
                                 "cost.backprop_edge_visits": 0, "cost.fd_forward_passes": 2})
    r = subprocess.run([GRADVIZ, "stats", p], capture_output=True, text=True)
    tests.append((r.returncode == 0 and r.stdout.endswith("\n") and "times" not in r.stdout,
                  "a graph without edges prints whole lines and no ratio"))
    # --output changes the cost node; --format text prints the same figures.
    expect("neuron --output n", stats(os.path.join(EX, "neuron.expr"), "--output", "n"),
           {"output": "n", "unreached": 1})
    r = subprocess.run([GRADVIZ, "stats", "--no-timing", os.path.join(EX, "neuron.expr")],
                       capture_output=True, text=True)
    tests.append((r.returncode == 0 and "needed         40 bytes" in r.stdout
                  and "depth          3" in r.stdout,
                  "text output shows the bytes and the depth"))
    r = subprocess.run([GRADVIZ, "stats", os.path.join(EX, "neuron.expr")],
                       capture_output=True, text=True)
    tests.append((r.returncode == 0 and "finite differences" in r.stdout
                  and (" ns" in r.stdout or " us" in r.stdout),
                  "timed output shows times"))
    r = subprocess.run([GRADVIZ, "stats", os.path.join(tmp, "missing.dot")],
                       capture_output=True, text=True)
    tests.append((r.returncode == 2 and r.stderr.startswith("gradviz: ")
                  and "missing.dot" in r.stderr, "a missing file is exit 2"))

print("1..%d" % len(tests))
for i, (ok, what) in enumerate(tests, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, " ".join(str(what).split())))
