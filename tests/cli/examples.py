#!/usr/bin/env python3
"""Runs `gradviz eval --format json` and `gradviz check` on every example and
compares a few numbers per example with values derived by hand (the formulas
below are written independently of gradviz). Prints TAP."""
import glob
import json
import math
import os
import subprocess
import sys

GRADVIZ = os.environ.get("GRADVIZ", "gradviz")
SRC = os.environ.get("GDV_SRCDIR", ".")
EX = os.path.join(SRC, "examples")


def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def expected():
    e = {}
    e["chain.dot"] = {"c": (math.log(36), None), "x": (None, 1.0), "a": (6, 1 / 3)}
    e["fan-in.dot"] = {"p": (24, 1), "a": (2, 12), "b": (3, 8), "c": (4, 6)}
    e["fan-out.expr"] = {"L": (12, 1), "x": (2, 14)}
    e["x-squared.dot"] = {"m": (9, 1), "x": (3, 6)}
    e["neuron.expr"] = {"o": (math.sqrt(0.5), 1), "n": (None, 0.5),
                        "w1": (-3, 1.0), "x1": (2, -1.5), "w2": (1, 0)}
    e["ab-b1.dot"] = {"e": (6, 1), "b": (1, 5), "a": (2, 2)}
    o = math.sqrt(0.5)            # L = (o - 1)^2: dL/dn = 2(o - 1)(1 - o^2) = o - 1
    e["torch-neuron.dot"] = {"L": ((o - 1) ** 2, 1), "o": (o, 2 * (o - 1)), "n": (None, o - 1),
                             "w1": (-3, 2 * (o - 1)), "w2": (1, 0), "b": (None, o - 1),
                             "x1": (2, -3 * (o - 1)), "x2": (0, o - 1)}
    z = [2, 1, 0.1]
    s = sum(math.exp(v) for v in z)
    p = [math.exp(v) / s for v in z]
    e["softmax-xent.expr"] = {"L": (-math.log(p[0]), 1), "z1": (2, p[0] - 1),
                              "z2": (1, p[1]), "z3": (0.1, p[2])}
    x1, x2, y = 1, 0.5, 1
    z1 = 0.5 * x1 - 0.3 * x2 + 0.1
    z2 = -0.4 * x1 + 0.8 * x2
    h1, h2 = sig(z1), sig(z2)
    zo = 1.2 * h1 - 0.7 * h2 + 0.2
    a = sig(zo)
    delta = (a - y) * a * (1 - a)
    d1 = delta * 1.2 * h1 * (1 - h1)
    d2 = delta * -0.7 * h2 * (1 - h2)
    e["net-2-2-1.expr"] = {"C": (0.5 * (a - y) ** 2, 1), "zo": (zo, delta),
                           "v1": (1.2, delta * h1), "v2": (-0.7, delta * h2),
                           "c": (0.2, delta), "z1": (z1, d1),
                           "w11": (0.5, d1 * x1), "w12": (-0.3, d1 * x2),
                           "w22": (0.8, d2 * x2), "b2": (0, d2)}
    e["relu-dead.dot"] = {"y": (2, 1), "w1": (-2, 0), "b1": (0.5, 0),
                          "w2": (1.5, 1), "b2": (0.5, 1), "x": (1, 1.5)}
    f = math.tanh(0.5)
    e["residual.dot"] = {"y": (1 + f, 1), "x": (1, 1 + 0.5 * (1 - f * f)),
                         "w": (0.5, 1 - f * f)}
    xs, g, wts = [1, 2, 6], 2.0, [1, 2, 3]
    mu = sum(xs) / 3
    var = sum((v - mu) ** 2 for v in xs) / 3
    sd = math.sqrt(var)
    xh = [(v - mu) / sd for v in xs]
    # dL/dxhat_i = g*w_i; standard batch-norm backward formula
    dxh = [g * w for w in wts]
    mdxh = sum(dxh) / 3
    mdxhxh = sum(a_ * b_ for a_, b_ in zip(dxh, xh)) / 3
    dx = [(dxh[i] - mdxh - xh[i] * mdxhxh) / sd for i in range(3)]
    e["batchnorm.expr"] = {"mu": (3, None), "var": (14 / 3, None),
                           "L": (sum(w * (g * h + 0.5) for w, h in zip(wts, xh)), 1),
                           "x1": (1, dx[0]), "x2": (2, dx[1]), "x3": (6, dx[2]),
                           "gamma": (2, sum(w * h for w, h in zip(wts, xh))),
                           "beta": (0.5, 6)}
    e["div-pow.expr"] = {"f": (24.5, 1), "a": (2, 0.25 + 12 + 16 * math.log(4)),
                         "b": (4, -2 / 16 + 8)}
    e["maxpool.dot"] = {"L": (1.7 ** 2, 1), "b": (1.7, 3.4), "a": (0.3, 0),
                        "c": (-0.2, 0), "d": (0.9, 0)}
    h = [1.0]
    for _ in range(6):
        h.append(sig(h[-1]))
    # dh6/dw_k = prod_{j>k} sigmoid'(z_j) * sigmoid'(z_k) * h_(k-1), all w = 1
    dw = {}
    for k in range(1, 7):
        gk = h[k] * (1 - h[k]) * h[k - 1]
        for j in range(k + 1, 7):
            gk *= h[j] * (1 - h[j])
        dw["w%d" % k] = (1, gk)
    dw["h6"] = (h[6], 1)
    e["deep-sigmoid.expr"] = dw
    e["l2-reg.expr"] = {"C": (2.1125, 1), "w": (1.5, 4.15)}
    # draw_dot files: the leaves' values are their 4-decimal data (b 6.8814)
    n = -6 + 6.8814
    o = math.tanh(n)
    dn = 1 - o * o
    e["neuron-drawdot.dot"] = {"o": (o, 1), "n": (n, dn), "b": (6.8814, dn),
                               "x1": (2, -3 * dn), "w1": (-3, 2 * dn),
                               "x2": (0, dn), "w2": (1, 0)}
    e["neuron-drawdot-ids.dot"] = {"v1": (o, 1), "v2": (n, dn), "v5": (2, -3 * dn),
                                   "v6": (-3, 2 * dn), "v10": (6.8814, dn)}
    # f = (a*b)*(a+b): the right numbers, whatever the student recorded
    e["student-overwrite.dot"] = {"f": (-6, 1), "d": (-6, 1), "e": (1, -6),
                                  "a": (-2, 3 * 1 - 6), "b": (3, -2 * 1 - 6)}
    h1 = math.tanh(0.5)
    h2 = math.tanh(0.5 * h1)
    e["weight-tying.dot"] = {"h2": (h2, 1), "h1": (h1, None),
                             "w": (0.5, (1 - h2 ** 2) * (h1 + 0.5 * (1 - h1 ** 2)))}
    return e


# Per-edge gradients (the terms of fan-out sums), derived by hand.
_H1 = math.tanh(0.5)
_H2 = math.tanh(0.5 * _H1)
EDGES = {
    "x-squared.dot": {("x", "m"): [3, 3]},
    "fan-out.expr": {("x", "p"): [3], ("x", "q"): [12], ("x", "r"): [-1]},
    "ab-b1.dot": {("b", "c"): [2], ("b", "d"): [3]},
    "weight-tying.dot": {
        ("w", "m2"): [(1 - _H2 ** 2) * _H1],
        ("w", "m1"): [(1 - _H2 ** 2) * 0.5 * (1 - _H1 ** 2) * 1]},
    "residual.dot": {("x", "y"): [1]},
    "student-overwrite.dot": {("a", "d"): [3], ("a", "e"): [-6]},
}

# check's exit status where it is not 0: a recorded gradient is wrong.
CHECK_STATUS = {"student-overwrite.dot": 1}


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def main():
    exp = expected()
    files = sorted(os.path.basename(p) for p in glob.glob(os.path.join(EX, "*.dot"))
                   + glob.glob(os.path.join(EX, "*.expr")))
    tests = []
    tests.append((len(files) >= 16, "at least 16 examples (%d)" % len(files)))
    for name in files:
        tests.append((name in exp, "%s has hand-derived numbers in this test" % name))
    for name in files:
        path = os.path.join(EX, name)
        with open(path) as fh:
            first = fh.readline()
        tests.append((first.startswith("#") or first.startswith("//"),
                      "%s starts with a comment" % name))
        r = subprocess.run([GRADVIZ, "check", path], capture_output=True, text=True)
        want = CHECK_STATUS.get(name, 0)
        tests.append((r.returncode == want, "%s: check exits %d (%d %s)" %
                      (name, want, r.returncode, r.stderr.strip())))
        r = subprocess.run([GRADVIZ, "eval", "--format", "json", path],
                           capture_output=True, text=True)
        ok = r.returncode == 0
        tests.append((ok, "%s: eval exits 0" % name))
        if not ok:
            continue
        doc = json.loads(r.stdout)
        nodes = {n["id"]: n for n in doc["nodes"]}
        for (src, dst), want in sorted(EDGES.get(name, {}).items()):
            got = sorted(e["grad"] for e in doc["edges"]
                         if e["from"] == src and e["to"] == dst)
            tests.append((len(got) == len(want) and
                          all(close(a, b) for a, b in zip(got, sorted(want))),
                          "%s: edge grads %s -> %s = %r (want %r)" %
                          (name, src, dst, got, sorted(want))))
        for node, (val, grad) in sorted(exp.get(name, {}).items()):
            n = nodes.get(node)
            if n is None:
                tests.append((False, "%s: node %s exists" % (name, node)))
                continue
            if val is not None:
                tests.append((close(n["value"], val), "%s: %s = %r (want %r)" %
                              (name, node, n["value"], val)))
            if grad is not None:
                tests.append((close(n["grad"], grad), "%s: dC/d%s = %r (want %r)" %
                              (name, node, n["grad"], grad)))
    print("1..%d" % len(tests))
    for i, (ok, what) in enumerate(tests, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, " ".join(str(what).split())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
