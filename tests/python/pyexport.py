#!/usr/bin/env python3
"""python/gradviz_export.py on micrograd-style graphs, through the real
gradviz: a 2-3-1 tanh network from the lecture's Value class passes
`gradviz check`; the same class with `=` for `+=` in __mul__'s _backward
fails it on exactly the nodes that fan out; a*a is two edges; a
100,000-node chain exports with a recursion limit of 200; the ops of the
forks; roles, names, atomic writes, render(); no torch imported, and
record() without it a clear ImportError. Prints TAP."""
import os
import random
import subprocess
import sys
import tempfile
import time

from pyexport_tap import GRADVIZ, SRC, eval_json, report, run, t  # noqa: E402
import gradviz_export  # noqa: E402
from micrograd import VALUE_SOURCE, value_class  # noqa: E402


OVERWRITE = VALUE_SOURCE.replace(
    "            self.grad += other.data * out.grad\n            other.grad += self.data * out.grad",
    "            self.grad = other.data * out.grad\n            other.grad = self.data * out.grad")
assert OVERWRITE != VALUE_SOURCE


def network(Value, seed=7):
    """The lecture's MLP, 2-3-1 with tanh units, and a squared-error loss
    on one sample whose inputs are Values (so they fan out to 3 units)."""
    rng = random.Random(seed)

    class Neuron:
        def __init__(self, nin):
            self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
            self.b = Value(rng.uniform(-1, 1))

        def __call__(self, x):
            act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
            return act.tanh()

        def parameters(self):
            return self.w + [self.b]

    class Layer:
        def __init__(self, nin, nout):
            self.neurons = [Neuron(nin) for _ in range(nout)]

        def __call__(self, x):
            outs = [n(x) for n in self.neurons]
            return outs[0] if len(outs) == 1 else outs

        def parameters(self):
            return [p for n in self.neurons for p in n.parameters()]

    class MLP:
        def __init__(self, nin, nouts):
            sz = [nin] + nouts
            self.layers = [Layer(sz[i], sz[i + 1]) for i in range(len(nouts))]

        def __call__(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

        def parameters(self):
            return [p for layer in self.layers for p in layer.parameters()]

    net = MLP(2, [3, 1])
    x = [Value(2.0, label="x1"), Value(-1.0, label="x2")]
    loss = (net(x) - 0.5) ** 2
    loss.label = "L"
    loss.backward()
    return net, x, loss


def fan_out_nodes(j):
    return sorted(n["id"] for n in j["nodes"] if n["fan_out"] > 1)


def check_network(tmp):
    """The network passes check; the overwrite bug names the fan-out nodes."""
    Value = value_class(VALUE_SOURCE)
    net, x, loss = network(Value)
    path = os.path.join(tmp, "mlp.dot")
    gradviz_export.write(loss, path, params=net.parameters())
    j = eval_json(path)
    t(j is not None, "the 2-3-1 network's DOT is read by gradviz eval")
    if j is None:
        return
    roles = {}
    for n in j["nodes"]:
        roles[n["role"]] = roles.get(n["role"], 0) + 1
    # 13 weights and biases; x1, x2; the -0.5 of `- 0.5`; 17 op nodes
    t(roles == {"param": 13, "input": 2, "const": 1, None: 24},
      "roles: 13 params, the 2 inputs, the 0.5 of `- 0.5` a const, 24 op nodes (%s)" % roles)
    out = [n for n in j["nodes"] if n["id"] == j["output"]][0]
    t(out["id"] == "L" and abs(out["value"] - loss.data) <= 1e-15 * max(1, loss.data),
      "the output is L = %r (Python %r)" % (out["value"], loss.data))
    text = open(path, encoding="utf-8").read()
    n_grad, n_data = text.count(" grad=\""), text.count(" data=\"")
    t(n_grad == len(j["nodes"]) and n_data == 24,
      "a recorded grad on each of the %d nodes, a recorded data on the 24 op nodes (%d, %d)"
      % (len(j["nodes"]), n_grad, n_data))
    r = run("check", path)
    t(r.returncode == 0 and "recorded numbers: %d of %d match" % (n_grad + n_data, n_grad + n_data)
      in r.stdout, "gradviz check passes on the exported network (rc %d)" % r.returncode)
    fan = fan_out_nodes(j)
    t(fan == ["x1", "x2"], "the nodes that fan out are x1 and x2 (%s)" % fan)

    Bad = value_class(OVERWRITE)
    net, x, loss = network(Bad)
    bad = os.path.join(tmp, "mlp-overwrite.dot")
    gradviz_export.write(loss, bad, params=net.parameters())
    r = run("check", bad)
    named = []
    for line in r.stdout.splitlines():
        if line.startswith("wrong recorded gradients: "):
            named = sorted(line[len("wrong recorded gradients: "):].split(", "))
    t(r.returncode == 1, "check exits 1 when __mul__'s _backward writes = (rc %d)" % r.returncode)
    t(named == fan, "check names exactly the nodes that fan out: %s (fan-out %s)" % (named, fan))
    t(r.stdout.count("overwritten instead of accumulated") == 2,
      "each is 'overwritten instead of accumulated'")


def check_square(tmp):
    """a*a keeps one object in _prev: written as two edges."""
    Value = value_class(VALUE_SOURCE)
    a = Value(3.0, label="a")
    m = a * a
    m.label = "m"
    m.backward()
    t(len(m._prev) == 1, "a*a has one entry in _prev")
    path = os.path.join(tmp, "square.dot")
    gradviz_export.write(m, path)
    j = eval_json(path)
    edges = [(e["from"], e["to"], e["arg"], e["grad"]) for e in j["edges"]] if j else []
    t(edges == [("a", "m", 0, 3.0), ("a", "m", 1, 3.0)],
      "a*a: two edges a -> m, each carrying 3 (%s)" % edges)
    ga = [n["grad"] for n in j["nodes"] if n["id"] == "a"] if j else []
    t(ga == [6.0], "dC/da = 3 + 3 = 6 (%s)" % ga)
    r = run("check", path)
    t(r.returncode == 0 and "recorded numbers: 3 of 3 match" in r.stdout,
      "check: the class's own 6 matches (rc %d)" % r.returncode)


def check_chain(tmp):
    """100,000 nodes in a chain, exported under a recursion limit of 200."""
    Value = value_class(VALUE_SOURCE)
    v = Value(0.5, label="x")
    for i in range(99999):
        v = v.tanh() if i % 2 else v * 1.5
    path = os.path.join(tmp, "chain.dot")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    start = time.perf_counter()
    try:
        gradviz_export.write(v, path)
        err = None
    except RecursionError as e:
        err = e
    finally:
        sys.setrecursionlimit(limit)
    took = time.perf_counter() - start
    t(err is None, "a 100,000-node chain exports with a recursion limit of 200 (%.1f s)" % took)
    j = eval_json(path)
    n_op = sum(1 for n in j["nodes"] if n["op"]) if j else 0
    out = [n["value"] for n in j["nodes"] if n["id"] == j["output"]] if j else []
    t(n_op == 99999 and out and abs(out[0] - v.data) <= 1e-12,
      "gradviz reads its 99,999 op nodes and computes the same output (%s, %r)" % (out, v.data))


FORK_SOURCE = '''
import math
class Value:
    """A fork's Value: '-', '/', 'neg', 'log', 'sigmoid', 'ReLU' and a
    Value exponent '**' as ops of their own, _prev a set."""
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data; self.grad = 0.0; self._backward = lambda: None
        self._prev = set(_children); self._op = _op; self.label = label
    def _wrap(self, o):
        return o if isinstance(o, Value) else Value(o)
    def __add__(self, other):
        other = self._wrap(other); out = Value(self.data + other.data, (self, other), '+')
        def _backward():
            self.grad += out.grad; other.grad += out.grad
        out._backward = _backward; return out
    def __mul__(self, other):
        other = self._wrap(other); out = Value(self.data * other.data, (self, other), '*')
        def _backward():
            self.grad += other.data * out.grad; other.grad += self.data * out.grad
        out._backward = _backward; return out
    def __sub__(self, other):
        other = self._wrap(other); out = Value(self.data - other.data, (self, other), '-')
        def _backward():
            self.grad += out.grad; other.grad += -out.grad
        out._backward = _backward; return out
    def __truediv__(self, other):
        other = self._wrap(other); out = Value(self.data / other.data, (self, other), '/')
        def _backward():
            self.grad += out.grad / other.data
            other.grad += -self.data / other.data**2 * out.grad
        out._backward = _backward; return out
    def __pow__(self, other):
        other = self._wrap(other); out = Value(self.data ** other.data, (self, other), '**')
        def _backward():
            self.grad += other.data * self.data ** (other.data - 1) * out.grad
            other.grad += math.log(self.data) * out.data * out.grad
        out._backward = _backward; return out
    def __neg__(self):
        out = Value(-self.data, (self,), 'neg')
        def _backward():
            self.grad += -out.grad
        out._backward = _backward; return out
    def log(self):
        out = Value(math.log(self.data), (self,), 'log')
        def _backward():
            self.grad += out.grad / self.data
        out._backward = _backward; return out
    def sigmoid(self):
        s = 1 / (1 + math.exp(-self.data)); out = Value(s, (self,), 'sigmoid')
        def _backward():
            self.grad += s * (1 - s) * out.grad
        out._backward = _backward; return out
    def relu(self):
        out = Value(max(self.data, 0.0), (self,), 'ReLU')
        def _backward():
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward; return out
    def backward(self):
        topo, seen, stack = [], set(), [(self, False)]
        while stack:
            v, done = stack.pop()
            if done:
                topo.append(v); continue
            if v in seen:
                continue
            seen.add(v); stack.append((v, True))
            stack.extend((c, False) for c in v._prev)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
'''


def check_fork_ops(tmp):
    """'-', '/', neg, log, sigmoid, ReLU and a**b from a fork: check passes,
    and '-' and '/' keep their operand order though _prev is a set."""
    Value = value_class(FORK_SOURCE)
    a, b, c = Value(0.8, label="a"), Value(2.5, label="b"), Value(1.3, label="c")
    d = b - a
    d.label = "d"
    q = a / b
    q.label = "q"
    e = (-d).sigmoid() + (c ** a).log() * q + (d - 3.0).relu() + (a - 0.1).relu()
    e.label = "e"
    e.backward()
    path = os.path.join(tmp, "fork.dot")
    gradviz_export.write(e, path)
    j = eval_json(path)
    nodes = {n["id"]: n for n in j["nodes"]} if j else {}
    ops = sorted({n["op"] for n in j["nodes"] if n["op"]}) if j else []
    t(ops == ["add", "div", "log", "mul", "neg", "pow", "relu", "sigmoid", "sub"],
      "the fork's ops map to gradviz's (%s)" % ops)
    t(nodes and nodes["d"]["value"] == 2.5 - 0.8 and nodes["q"]["value"] == 0.8 / 2.5,
      "b - a and a / b keep their operand order (d %s, q %s)"
      % (nodes.get("d", {}).get("value"), nodes.get("q", {}).get("value")))
    r = run("check", path)
    t(r.returncode == 0 and "recorded numbers:" in r.stdout and " 0 failed" in r.stdout,
      "check passes on the fork's graph (rc %d)" % r.returncode)
    grads = {k: nodes[k]["grad"] for k in ("a", "b", "c")} if nodes else {}
    t(grads and all(abs(grads[k] - v.grad) <= 1e-12 for k, v in (("a", a), ("b", b), ("c", c))),
      "gradviz's dC/da, dC/db, dC/dc are the fork's (%s)" % grads)


def check_roles_and_names(tmp):
    """Leaves the program holds are params; the 2 of a*2 is a const with
    label 2; names are labels or deterministic ones, the same whatever
    the hash seed (set order differs between runs)."""
    Value = value_class(VALUE_SOURCE)
    w = Value(1.5)
    y = (w * 2).tanh() + w
    text = gradviz_export.to_dot(y)
    t('"p1" [value="1.5", role="param"' in text and
      '"c1" [value="2.0", role="const", label="2"' in text,
      "an unlabelled leaf held by a variable is param p1; the 2 of w*2 is const c1, label 2")
    t('"mul1" [op="mul"' in text and '"tanh1" [op="tanh"' in text and
      '"add1" [op="add", data=' in text and 'output="true"' in text,
      "op nodes are named mul1, tanh1, add1; the root is the output")
    w.role = "input"
    t('"x1" [value="1.5", role="input"' in gradviz_export.to_dot(y),
      "a leaf's own role attribute wins (x1, input)")
    prog = ("import sys; sys.path.insert(0, %r); sys.path.insert(0, %r)\n"
            "import pyexport as T, gradviz_export as g\n"
            "net, x, loss = T.network(T.value_class(T.VALUE_SOURCE))\n"
            "sys.stdout.write(g.to_dot(loss))\n"
            % (os.path.join(SRC, "python"), os.path.join(SRC, "tests", "python")))
    outs = []
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        outs.append(subprocess.run([sys.executable, "-c", prog], capture_output=True,
                                   text=True, env=env).stdout)
    t(outs[0] and outs[0] == outs[1] == outs[2],
      "the same graph gives the same file under three hash seeds (%d bytes)" % len(outs[0]))


def check_errors_and_files(tmp):
    """An unknown op is a ValueError naming it, and the file already there
    stays as it was; write leaves no temporary; render draws with the
    installed binary and raises gradviz's own message."""
    Value = value_class(VALUE_SOURCE)
    a = Value(-2.0, label="a")
    leaky = (a * 3).leaky_relu()
    path = os.path.join(tmp, "keep.dot")
    with open(path, "w") as f:
        f.write("digraph { x [value=1]; }\n")
    try:
        gradviz_export.write(leaky, path)
        msg = ""
    except ValueError as e:
        msg = str(e)
    t("unknown op 'LeakyReLU'" in msg, "an unknown op is a ValueError naming it (%s)" % msg)
    t(open(path).read() == "digraph { x [value=1]; }\n" and os.listdir(tmp).count("keep.dot") == 1
      and not [f for f in os.listdir(tmp) if f.endswith(".tmp")],
      "the file already there is untouched, no temporary left")
    m = a * a
    m.backward()
    png = os.path.join(tmp, "square.png")
    gradviz_export.render(m, png, gradviz=GRADVIZ, dpi=50)
    with open(png, "rb") as f:
        head = f.read(8)
    t(head == b"\x89PNG\r\n\x1a\n", "render() draws a PNG with the installed gradviz")
    try:
        gradviz_export.render(m, os.path.join(tmp, "x.png"), gradviz=GRADVIZ, style="nosuch")
        msg = ""
    except gradviz_export.GradvizError as e:
        msg = str(e)
    t(msg.startswith("gradviz: ") and "nosuch" in msg,
      "a failing render raises GradvizError with gradviz's message (%s)" % msg)
    t("torch" not in sys.modules, "importing gradviz_export and exporting imports no torch")
    saved = {k: sys.modules.get(k) for k in ("torch", "torch.overrides")}
    sys.modules.update(dict.fromkeys(saved))          # None: import torch fails
    try:
        gradviz_export.record()
        msg = ""
    except ImportError as e:
        msg = str(e)
    finally:
        for k, v in saved.items():
            if v is None:
                del sys.modules[k]
            else:
                sys.modules[k] = v
    t("needs PyTorch" in msg and "\n" not in msg,
      "record() without PyTorch is one ImportError line that says it needs it (%s)" % msg)


def main():
    with tempfile.TemporaryDirectory(prefix="gdv-pyexport.") as tmp:
        report([(case.__name__, lambda case=case: case(tmp))
                for case in (check_network, check_square, check_chain, check_fork_ops,
                             check_roles_and_names, check_errors_and_files)])


if __name__ == "__main__":
    main()
