#!/usr/bin/python3
"""Rebuilds each course graph of this folder in PyTorch (float64, by hand,
one function per graph, the numbers typed again rather than read from the
file) and compares every named node's value and gradient with
`gradviz eval FILE --format json` (the nodes whose "named" key is true).

Usage: check_torch.py [GRADVIZ] (default: ../../../../gradviz beside this
folder, else $GRADVIZ). Prints TAP, one line per graph, then the largest
relative difference; exits 1 on a mismatch, 2 when a graph cannot be read.
Two numbers a, b agree when |a - b| <= 1e-12 * max(|a|, |b|); numbers that
are zero in exact arithmetic (the bias before batch norm) come out of both
programs as rounding noise, so below 1e-14 in size both are taken as 0.
Run it with /usr/bin/python3 (Debian's torch).
"""
import json
import math
import os
import subprocess
import sys

import torch

torch.set_default_dtype(torch.float64)
RTOL = 1e-12
TINY = 1e-14
HERE = os.path.dirname(os.path.abspath(__file__))


class Graph:
    """Named tensors: leaf() makes a leaf that collects a gradient, node()
    keeps an op node's gradient; both record the name for the comparison."""

    def __init__(self):
        self.t = {}

    def leaf(self, name, value):
        self.t[name] = torch.tensor(float(value), requires_grad=True)
        return self.t[name]

    def leaves(self, **kw):
        return [self.leaf(k, v) for k, v in kw.items()]

    def node(self, name, tensor):
        tensor.retain_grad()
        self.t[name] = tensor
        return tensor


def lstm_cell_step(g):
    x, h0, c0, y = g.leaves(x=0.8, h0=0.3, c0=-0.5, y=0.4)
    wi, ui, bi = g.leaves(wi=0.5, ui=-0.3, bi=0.1)
    wf, uf, bf = g.leaves(wf=0.4, uf=0.6, bf=1.0)
    wo, uo, bo = g.leaves(wo=-0.7, uo=0.2, bo=0.3)
    wg, ug, bg = g.leaves(wg=0.9, ug=-0.8, bg=-0.1)
    i = g.node("i", torch.sigmoid(wi * x + ui * h0 + bi))
    f = g.node("f", torch.sigmoid(wf * x + uf * h0 + bf))
    o = g.node("o", torch.sigmoid(wo * x + uo * h0 + bo))
    gg = g.node("g", torch.tanh(wg * x + ug * h0 + bg))
    c1 = g.node("c1", f * c0 + i * gg)
    tc = g.node("tc", torch.tanh(c1))
    h1 = g.node("h1", o * tc)
    return g.node("L", 0.5 * (h1 - y) ** 2)


def conv1d_3tap(g):
    x = g.leaves(x1=0.5, x2=-1.2, x3=0.8, x4=2.0, x5=-0.3)
    t = g.leaves(t1=0.3, t2=-0.2, t3=0.9)
    k1, k2, k3, b = g.leaves(k1=0.4, k2=-0.6, k3=0.25, b=0.1)
    e = []
    for j in range(3):
        y = g.node("y%d" % (j + 1), k1 * x[j] + k2 * x[j + 1] + k3 * x[j + 2] + b)
        e.append(g.node("e%d" % (j + 1), y - t[j]))
    return g.node("L", 0.5 * (e[0] ** 2 + e[1] ** 2 + e[2] ** 2))


def conv2x2_maxpool(g):
    vals = [[0.2, -0.5, 1.0], [0.7, 1.5, -0.3], [-1.1, 0.4, 0.9]]
    x = [[g.leaf("x%d%d" % (r + 1, c + 1), vals[r][c]) for c in range(3)] for r in range(3)]
    t = g.leaf("t", 1.0)
    k = [[g.leaf("k11", 0.6), g.leaf("k12", -0.4)], [g.leaf("k21", 0.3), g.leaf("k22", 0.8)]]
    b = g.leaf("b", -0.1)
    r = []
    for i in range(2):
        for j in range(2):
            y = g.node("y%d%d" % (i + 1, j + 1),
                       k[0][0] * x[i][j] + k[0][1] * x[i][j + 1] + k[1][0] * x[i + 1][j]
                       + k[1][1] * x[i + 1][j + 1] + b)
            r.append(g.node("r%d%d" % (i + 1, j + 1), torch.relu(y)))
    # gradviz's max hands the gradient to the first operand attaining it,
    # as torch.max over a stacked vector does (no ties here anyway)
    m = g.node("m", torch.stack(r).max())
    return g.node("L", 0.5 * (m - t) ** 2)


def layernorm_3(g):
    x1, x2, x3 = g.leaves(x1=0.4, x2=2.0, x3=-1.1)
    t1, t2, t3, eps = g.leaves(t1=0.5, t2=0.0, t3=-1.0, eps=1e-5)
    g1, g2, g3, b1, b2, b3 = g.leaves(g1=1.2, g2=0.8, g3=1.0, b1=0.1, b2=-0.2, b3=0.0)
    mu = g.node("mu", (x1 + x2 + x3) / 3)
    d1, d2, d3 = (g.node("d%d" % k, xk - mu) for k, xk in ((1, x1), (2, x2), (3, x3)))
    var = g.node("var", (d1 ** 2 + d2 ** 2 + d3 ** 2) / 3)
    sd = g.node("sd", torch.sqrt(var + eps))
    n1, n2, n3 = (g.node("n%d" % k, dk / sd) for k, dk in ((1, d1), (2, d2), (3, d3)))
    y1 = g.node("y1", g1 * n1 + b1)
    y2 = g.node("y2", g2 * n2 + b2)
    y3 = g.node("y3", g3 * n3 + b3)
    # cross-check the hand-written forward against torch's own layer norm
    ref = torch.nn.functional.layer_norm(torch.stack([x1, x2, x3]), (3,),
                                         torch.stack([g1, g2, g3]), torch.stack([b1, b2, b3]), 1e-5)
    assert torch.allclose(ref, torch.stack([y1, y2, y3]), rtol=1e-13, atol=1e-15), ref
    return g.node("L", 0.5 * ((y1 - t1) ** 2 + (y2 - t2) ** 2 + (y3 - t3) ** 2))


def rnn_3step_loss_each(g):
    h0, x1, x2, x3 = g.leaves(h0=0.0, x1=1.0, x2=-0.5, x3=0.8)
    y = g.leaves(y1=0.5, y2=-0.2, y3=0.4)
    w, u = g.leaves(w=0.7, u=0.9)
    h, ls = h0, []
    for k, xk in enumerate((x1, x2, x3)):
        h = g.node("h%d" % (k + 1), torch.tanh(w * xk + u * h))
        ls.append(g.node("l%d" % (k + 1), 0.5 * (h - y[k]) ** 2))
    return g.node("L", ls[0] + ls[1] + ls[2])


def vae_reparam(g):
    x, eps = g.leaves(x=1.2, eps=0.35)
    wm, bm, wv, bv, w, b = g.leaves(wm=0.5, bm=0.1, wv=-0.8, bv=0.2, w=1.1, b=0.05)
    mu = g.node("mu", wm * x + bm)
    logvar = g.node("logvar", wv * x + bv)
    sigma = g.node("sigma", torch.exp(0.5 * logvar))
    z = g.node("z", mu + sigma * eps)
    xhat = g.node("xhat", w * z + b)
    rec = g.node("rec", (xhat - x) ** 2)
    kl = g.node("kl", -0.5 * (1 + logvar - mu ** 2 - torch.exp(logvar)))
    return g.node("L", rec + kl)


def mlp_4_4_1_relu(g):
    x = g.leaves(x1=0.5, x2=-1.0, x3=1.5, x4=0.2)
    t = g.leaf("t", 1.0)
    W = [[0.3, -0.2, 0.5, 0.1], [-0.4, -0.6, 0.2, -0.3],
         [0.7, 0.1, 0.3, 0.4], [-0.2, -0.5, 0.4, 0.6]]
    w = [[g.leaf("w%d%d" % (j + 1, i + 1), W[j][i]) for i in range(4)] for j in range(4)]
    b = g.leaves(b1=0.05, b2=0.1, b3=0.0, b4=-0.1)
    v = g.leaves(v1=0.8, v2=-0.5, v3=0.6, v4=-0.3)
    c = g.leaf("c", 0.1)
    h = []
    for j in range(4):
        z = g.node("z%d" % (j + 1), w[j][0] * x[0] + w[j][1] * x[1] + w[j][2] * x[2]
                   + w[j][3] * x[3] + b[j])
        h.append(g.node("h%d" % (j + 1), torch.relu(z)))
    o = g.node("o", v[0] * h[0] + v[1] * h[1] + v[2] * h[2] + v[3] * h[3] + c)
    return g.node("L", 0.5 * (o - t) ** 2)


def mlp_3_3_softmax_hidden(g):
    x = g.leaves(x1=1.0, x2=-0.5, x3=0.3)
    W = [[0.6, -0.4, 0.2], [-0.3, 0.8, 0.5], [0.9, 0.1, -0.7]]
    w = [[g.leaf("w%d%d" % (j + 1, i + 1), W[j][i]) for i in range(3)] for j in range(3)]
    b = g.leaves(b1=0.1, b2=-0.2, b3=0.05)
    e = []
    for j in range(3):
        h = g.node("h%d" % (j + 1), torch.tanh(w[j][0] * x[0] + w[j][1] * x[1]
                                               + w[j][2] * x[2] + b[j]))
        e.append(g.node("e%d" % (j + 1), torch.exp(h)))
    s = g.node("s", e[0] + e[1] + e[2])
    p3 = g.node("p3", e[2] / s)
    return g.node("L", -torch.log(p3))


def batchnorm_train_2(g):
    xa, xb, ta, tb, eps = g.leaves(xa=0.5, xb=2.0, ta=-0.3, tb=0.8, eps=1e-3)
    w, b0, gamma, beta, v, c = g.leaves(w=0.8, b0=0.3, gamma=1.5, beta=0.2, v=0.9, c=-0.1)
    za = g.node("za", w * xa + b0)
    zb = g.node("zb", w * xb + b0)
    mu = g.node("mu", (za + zb) / 2)
    da = g.node("da", za - mu)
    db = g.node("db", zb - mu)
    var = g.node("var", (da ** 2 + db ** 2) / 2)
    sd = g.node("sd", torch.sqrt(var + eps))
    na = g.node("na", da / sd)
    nb = g.node("nb", db / sd)
    ya = g.node("ya", gamma * na + beta)
    yb = g.node("yb", gamma * nb + beta)
    # cross-check against torch's batch norm in training mode (biased variance)
    ref = torch.nn.functional.batch_norm(torch.stack([za, zb]).reshape(2, 1), None, None,
                                         gamma.reshape(1), beta.reshape(1), True, 0.0, 1e-3)
    assert torch.allclose(ref.reshape(2), torch.stack([ya, yb]), rtol=1e-13, atol=1e-15), ref
    oa = g.node("oa", v * ya + c)
    ob = g.node("ob", v * yb + c)
    return g.node("L", ((oa - ta) ** 2 + (ob - tb) ** 2) / 2)


def cosine_similarity(g):
    a1, a2, a3, b1, b2, b3 = g.leaves(a1=0.6, a2=-0.8, a3=1.2, b1=1.0, b2=0.5, b3=-0.4)
    dot = g.node("dot", a1 * b1 + a2 * b2 + a3 * b3)
    na = g.node("na", torch.sqrt(a1 ** 2 + a2 ** 2 + a3 ** 2))
    nb = g.node("nb", torch.sqrt(b1 ** 2 + b2 ** 2 + b3 ** 2))
    cos = g.node("cos", dot / (na * nb))
    ref = torch.nn.functional.cosine_similarity(torch.stack([a1, a2, a3]),
                                                torch.stack([b1, b2, b3]), dim=0)
    assert abs(ref.item() - cos.item()) <= 1e-15, ref
    return g.node("L", 1 - cos)


def gelu_tanh_approx(g):
    x1, x2, t, k, a = g.leaves(x1=0.9, x2=-0.6, t=0.4, k=0.7978845608028654, a=0.044715)
    assert k.item() == math.sqrt(2 / math.pi)
    w11, w12, b1, w21, w22, b2 = g.leaves(w11=0.8, w12=0.5, b1=0.1, w21=-1.0, w22=0.6, b2=-0.1)
    v1, v2, c = g.leaves(v1=1.2, v2=-0.7, c=0.05)
    h = []
    for j, (wa, wb, bj) in enumerate(((w11, w12, b1), (w21, w22, b2)), 1):
        z = g.node("z%d" % j, wa * x1 + wb * x2 + bj)
        u = g.node("u%d" % j, k * (z + a * z ** 3))
        th = g.node("th%d" % j, torch.tanh(u))
        h.append(g.node("h%d" % j, 0.5 * z * (1 + th)))
        ref = torch.nn.functional.gelu(z, approximate="tanh")
        assert abs(ref.item() - h[-1].item()) <= 1e-15, ref
    o = g.node("o", v1 * h[0] + v2 * h[1] + c)
    return g.node("L", 0.5 * (o - t) ** 2)


def weight_decay(g):
    x1, x2 = g.leaves(x1=0.6, x2=-0.4)
    w11, w12, w21, w22 = g.leaves(w11=0.9, w12=-0.3, w21=0.4, w22=0.8)
    v1, v2 = g.leaves(v1=1.1, v2=-0.6)
    b1, b2, c, t, lam = g.leaves(b1=0.1, b2=-0.2, c=0.05, t=0.5, **{"lambda": 0.1})
    half, half1, half2 = g.leaves(half=0.5, half1=0.5, half2=0.5)
    m11, m12 = g.node("m11", w11 * x1), g.node("m12", w12 * x2)
    n1 = g.node("n1", m11 + m12 + b1)
    h1 = g.node("h1", torch.tanh(n1))
    m21, m22 = g.node("m21", w21 * x1), g.node("m22", w22 * x2)
    n2 = g.node("n2", m21 + m22 + b2)
    h2 = g.node("h2", torch.tanh(n2))
    p1, p2 = g.node("p1", v1 * h1), g.node("p2", v2 * h2)
    o = g.node("o", p1 + p2 + c)
    r = g.node("r", o - t)
    sq = g.node("sq", torch.square(r))
    data = g.node("data", half * sq)
    s = [g.node(n, torch.square(w)) for n, w in
         (("s11", w11), ("s12", w12), ("s21", w21), ("s22", w22), ("sv1", v1), ("sv2", v2))]
    ss1 = g.node("ss1", s[0] + s[1] + s[2] + s[3])
    pen1 = g.node("pen1", half1 * lam * ss1)
    ss2 = g.node("ss2", s[4] + s[5])
    pen2 = g.node("pen2", half2 * lam * ss2)
    return g.node("C", data + pen1 + pen2)


def autoencoder_3_2_3(g):
    x = g.leaves(x1=0.5, x2=-1.0, x3=0.8)
    e = [g.leaves(**{"e1%d" % (j + 1): v for j, v in enumerate((0.3, -0.2, 0.5))}),
         g.leaves(**{"e2%d" % (j + 1): v for j, v in enumerate((0.1, 0.4, -0.3))})]
    d = [g.leaves(d11=0.6, d12=-0.1), g.leaves(d21=0.2, d22=0.5), g.leaves(d31=-0.4, d32=0.3)]
    h = [g.node("h%d" % (i + 1), e[i][0] * x[0] + e[i][1] * x[1] + e[i][2] * x[2]) for i in range(2)]
    y = [g.node("y%d" % (i + 1), d[i][0] * h[0] + d[i][1] * h[1]) for i in range(3)]
    return g.node("L", 0.5 * ((y[0] - x[0]) ** 2 + (y[1] - x[1]) ** 2 + (y[2] - x[2]) ** 2))


def highway_gate(g):
    x, wh, bh, wg, bg = g.leaves(x=0.7, wh=1.2, bh=-0.3, wg=-0.8, bg=0.5)
    h = g.node("h", torch.tanh(wh * x + bh))
    gate = g.node("g", torch.sigmoid(wg * x + bg))
    y = g.node("y", gate * h + (1 - gate) * x)
    (t,) = g.leaves(t=0.2)
    return g.node("L", 0.5 * (y - t) ** 2)


def logreg_l1(g):
    x1, x2, w1, w2, b = g.leaves(x1=1.5, x2=-0.5, w1=0.4, w2=-0.7, b=0.1)
    lam, y = g.leaves(**{"lambda": 0.05, "y": 1.0})
    z = g.node("z", w1 * x1 + w2 * x2 + b)
    p = g.node("p", torch.sigmoid(z))
    bce = g.node("bce", -(y * torch.log(p) + (1 - y) * torch.log(1 - p)))
    pen = g.node("pen", lam * (torch.abs(w1) + torch.abs(w2)))
    return g.node("L", bce + pen)


GRAPHS = [
    ("lstm-cell-step.expr", lstm_cell_step),
    ("conv1d-3tap.expr", conv1d_3tap),
    ("conv2x2-maxpool.expr", conv2x2_maxpool),
    ("layernorm-3.expr", layernorm_3),
    ("rnn-3step-loss-each.expr", rnn_3step_loss_each),
    ("vae-reparam.expr", vae_reparam),
    ("mlp-4-4-1-relu.expr", mlp_4_4_1_relu),
    ("mlp-3-3-softmax-hidden.expr", mlp_3_3_softmax_hidden),
    ("batchnorm-train-2.expr", batchnorm_train_2),
    ("cosine-similarity.expr", cosine_similarity),
    ("gelu-tanh-approx.expr", gelu_tanh_approx),
    ("weight-decay-momentum-free.dot", weight_decay),
    ("autoencoder-3-2-3.expr", autoencoder_3_2_3),
    ("highway-gate.expr", highway_gate),
    ("logreg-l1.expr", logreg_l1),
]


def rel(a, b):
    """The relative difference of a and b, 0 when both are rounding noise."""
    if max(abs(a), abs(b)) < TINY:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


def compare(gradviz, fname, build):
    """Problems found (a list of strings), the largest relative difference
    and its place, and how many numbers were compared."""
    out = subprocess.run([gradviz, "eval", os.path.join(HERE, fname), "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    d = json.loads(out)
    g = Graph()
    loss = build(g)
    loss.backward()
    named = [n for n in d["nodes"] if n["named"]]
    problems, worst, where, count = [], 0.0, "", 0
    if {n["id"] for n in named} != set(g.t):
        problems.append("named nodes differ: only in gradviz %s, only in torch %s" % (
            sorted({n["id"] for n in named} - set(g.t)), sorted(set(g.t) - {n["id"] for n in named})))
    if d["output"] != [k for k, v in g.t.items() if v is loss][0]:
        problems.append("output %s" % d["output"])
    for n in named:
        if n["id"] not in g.t:
            continue
        t = g.t[n["id"]]
        tg = t.grad.item() if t.grad is not None else 0.0
        for what, mine, theirs in (("value", n["value"], t.item()), ("grad", n["grad"], tg)):
            count += 1
            if mine is None:
                problems.append("%s %s is not finite" % (n["id"], what))
                continue
            r = rel(mine, theirs)
            if r > worst:
                worst, where = r, "%s %s" % (n["id"], what)
            if r > RTOL:
                problems.append("%s %s: gradviz %r, torch %r (rel %.3g)" % (
                    n["id"], what, mine, theirs, r))
    return problems, worst, where, count


def main():
    gradviz = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "GRADVIZ", os.path.join(HERE, "..", "..", "..", "..", "gradviz"))
    failed, worst, where = 0, 0.0, ""
    for k, (fname, build) in enumerate(GRAPHS, 1):
        try:
            problems, w, at, count = compare(gradviz, fname, build)
        except (subprocess.CalledProcessError, OSError, ValueError) as e:
            print("not ok %d - %s: cannot evaluate: %s" % (k, fname, e))
            print("1..%d" % len(GRAPHS))
            return 2
        if w >= worst:
            worst, where = w, "%s: %s" % (fname, at)
        if problems:
            failed += 1
            print("not ok %d - %s: %d numbers, %d differ" % (k, fname, count, len(problems)))
            for p in problems[:10]:
                print("# " + p)
        else:
            print("ok %d - %s: %d named values and gradients agree with torch (max rel %.2g)"
                  % (k, fname, count, w))
    print("1..%d" % len(GRAPHS))
    print("# largest relative difference %.3g (%s)" % (worst, where))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
