#!/usr/bin/python3
"""python/gradviz_export.py on PyTorch autograd graphs (Debian's
python3-torch, importable from /usr/bin/python3 only): a computation with
add, mul, sub, div, pow, exp, log, tanh, sigmoid and relu exports to a
graph whose gradients (gradviz eval --format json) are torch.autograd's to
1e-12; constants autograd did not save are solved exactly; under record(),
Python numbers and tensors without grad in every position (c - t, t - c,
c * t, t / c, c / t, t ** c, c ** t, t + c inside each unary op of the
exporter's map, torch.stack(...).sum()) export with their exact doubles
and every node's value and gradient is torch's to 1e-12; unsupported
nodes are a ValueError naming their type once and listing the supported
ones; a 100,000-node chain exports; examples/torch-neuron.dot is what the
module writes today. Prints TAP."""
import math
import os
import re
import sys
import tempfile

from pyexport_tap import SRC, eval_json, report, run, t  # noqa: E402
import gradviz_export  # noqa: E402


def close(a, b, tol=1e-12):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def tensor(torch, v, grad=True):
    return torch.tensor(v, dtype=torch.float64, requires_grad=grad)


def computation(torch):
    """Every mapped op at least once, constants of every kind: tensors
    autograd saves (x1 in w1 * x1), Python numbers it saves (/ 3.0) and
    ones it does not (- 0.5 before a sigmoid, + 1.0, 2.0 - w2, - y)."""
    T = lambda v, g=True: tensor(torch, v, g)  # noqa: E731
    p = {"w1": T(-0.8), "w2": T(0.6), "b": T(0.3), "k": T(1.7)}
    x1, x2, y = T(1.5, False), T(-2.0, False), T(0.25, False)
    h = torch.tanh(p["w1"] * x1 + p["w2"] * x2 + p["b"])
    s = torch.sigmoid(h * p["k"] - 0.5)
    r = torch.relu(s + 1.0) + torch.relu(h)          # the second relu is dead (h < 0)
    e = torch.exp(r / 3.0) + torch.log(p["k"])
    loss = (e - y) ** 2 + (2.0 - p["w2"]) ** p["k"] / (p["k"] * p["k"])
    names = dict(p, x1=x1, x2=x2, y=y)
    return loss, p, names


def check_computation(torch, tmp):
    loss, params, names = computation(torch)
    loss.backward(retain_graph=True)
    path = os.path.join(tmp, "torch.dot")
    gradviz_export.write(loss, path, names=names)
    j = eval_json(path)
    t(j is not None, "gradviz eval reads the exported PyTorch graph")
    if j is None:
        return
    nodes = {n["id"]: n for n in j["nodes"]}
    ops = sorted({n["op"] for n in j["nodes"] if n["op"]})
    t(ops == ["add", "div", "exp", "log", "mul", "pow", "relu", "sigmoid", "sub", "tanh"],
      "the autograd nodes map to add, div, exp, log, mul, pow, relu, sigmoid, sub, tanh (%s)"
      % ops)
    diffs = {k: (nodes[k]["grad"], v.grad.item()) for k, v in params.items()}
    t(all(close(a, b) for a, b in diffs.values()),
      "gradviz's dC/dw1, dC/dw2, dC/db, dC/dk are torch.autograd's to 1e-12 (%s)" % diffs)
    out = nodes[j["output"]]["value"]
    t(close(out, loss.item()), "the output is torch's loss (%r, %r)" % (out, loss.item()))
    consts = sorted(n["value"] for n in j["nodes"] if n["role"] == "const")
    t(consts == [0.25, 0.5, 1.0, 2.0, 3.0], "the constants y = 0.25, 0.5, 1, 2 (never saved, "
      "solved from saved results) and 3 (saved) are exact (%s)" % consts)
    inputs = sorted((n["id"], n["value"]) for n in j["nodes"] if n["role"] == "input")
    t(inputs == [("x1", 1.5), ("x2", -2.0)],
      "saved tensors named by names= are inputs with their values (%s)" % inputs)
    r = run("check", path)
    t(r.returncode == 0 and "recorded numbers:" in r.stdout,
      "gradviz check passes: PyTorch's recorded grads are gradviz's (rc %d)" % r.returncode)


def check_reductions(torch, tmp):
    """mean() and logsumexp() of torch.stack of scalars export as gradviz's
    n-ary mean and logsumexp; torch.clamp with two number bounds as clamp,
    with one as max or min; every gradient torch.autograd's to 1e-12 (with
    a clamp bound active and one not: its derivative 0 and 1)."""
    T = lambda v: tensor(torch, v)  # noqa: E731
    a, b, c = T(0.4), T(-1.3), T(2.2)
    s = torch.stack([a * b, torch.tanh(c), b + c])
    m = s.mean()
    l = torch.logsumexp(torch.stack([a, b * 2.0, c]), 0)
    k1 = torch.clamp(a * 3.0, -1.0, 1.0)          # 1.2: the upper bound is active
    k2 = torch.clamp(b, -2.0, 2.0)                # inside: derivative 1
    k3 = torch.clamp(c - 3.0, min=0.0)            # -0.8: max(x, 0), the bound
    k4 = torch.clamp(a, max=0.5)                  # inside: min(x, 0.5)
    loss = m * l + k1 + k2 * k2 + k3 + k4 * c
    loss.backward(retain_graph=True)
    path = os.path.join(tmp, "reduce.dot")
    gradviz_export.write(loss, path, names={"a": a, "b": b, "c": c})
    j = eval_json(path)
    t(j is not None, "mean, logsumexp and clamp export and gradviz eval reads them")
    if j is None:
        return
    ops = sorted({n["op"] for n in j["nodes"] if n["op"]})
    t(all(o in ops for o in ("mean", "logsumexp", "clamp", "max", "min")),
      "MeanBackward0, LogsumexpBackward0 and ClampBackward1 map to mean, logsumexp, clamp, max "
      "and min (%s)" % ops)
    nodes = {n["id"]: n for n in j["nodes"]}
    diffs = {k: (nodes[k]["grad"], v.grad.item()) for k, v in (("a", a), ("b", b), ("c", c))}
    t(all(close(x, y) for x, y in diffs.values()),
      "through mean, logsumexp and clamp, dC/da, dC/db, dC/dc are torch.autograd's to "
      "1e-12 (%s)" % diffs)
    out = nodes[j["output"]]["value"]
    t(close(out, loss.item()), "the output is torch's (%r, %r)" % (out, loss.item()))
    msg = error_of(lambda: gradviz_export.to_dot(tensor(torch, [1.0, 2.0]).mean()))
    t("MeanBackward0" in msg and "stack" in msg,
      "mean() over a vector leaf is refused, naming MeanBackward0 and torch.stack (%s)" % msg)


def check_before_backward(torch, tmp):
    """Exported before backward(): no recorded grad, the same gradients."""
    loss, params, names = computation(torch)
    text = gradviz_export.to_dot(loss, names=names)
    loss.backward()
    path = os.path.join(tmp, "before.dot")
    with open(path, "w") as f:
        f.write(text)
    j = eval_json(path)
    nodes = {n["id"]: n for n in j["nodes"]} if j else {}
    t(j and " grad=" not in text and
      all(close(nodes[k]["grad"], v.grad.item()) for k, v in params.items()),
      "exported before backward(): no recorded grad, gradients still torch's")


def error_of(fn):
    try:
        fn()
    except ValueError as e:
        return str(e)
    return ""


def check_errors(torch):
    a, v = tensor(torch, 0.4), tensor(torch, [1.0, 2.0])
    known = [k for k in gradviz_export._TORCH_KNOWN if k != "AccumulateGrad"]
    for what, kind, make in (("torch.atan", "AtanBackward0", lambda: torch.atan(a) * 2.0),
                             ("a vector matmul", "DotBackward0", lambda: torch.matmul(v, v))):
        msg = error_of(lambda: gradviz_export.to_dot(make()))
        t(msg.count(kind) == 1 and all(k in msg for k in known),
          "%s is a ValueError naming %s once and listing the %d autograd nodes of the "
          "exporter's op map (%s)" % (what, kind, len(known), msg))
    for what, kind, make in (("sum over a vector", "SumBackward0", lambda: (v * 2.0).sum()),
                             ("mean of a vector", "MeanBackward0", lambda: v.mean())):
        msg = error_of(lambda: gradviz_export.to_dot(make()))
        t(msg.count(kind) == 1, "%s is refused in one line naming %s once (%s)"
          % (what, kind, msg))
    F = torch.nn.functional
    msg = error_of(lambda: gradviz_export.to_dot(F.softplus(a * 60.0)))
    t("SoftplusBackward0 at x = 24.0" in msg and "threshold 20" in msg,
      "softplus above its threshold (PyTorch's is x there) is refused (%s)" % msg)
    msg = error_of(lambda: gradviz_export.to_dot(F.softplus(a, beta=2)))
    t("beta=2" in msg, "softplus with beta 2 is refused (%s)" % msg)
    msg = error_of(lambda: gradviz_export.to_dot(v * 2))
    t("0-dim" in msg, "a result that is not 0-dim is refused (%s)" % msg)
    loss = (a * 3.0) ** 2
    loss.backward()
    msg = error_of(lambda: gradviz_export.to_dot(loss))
    t("retain_graph=True" in msg, "a constant freed by backward() says how to keep it (%s)" % msg)


def unary_ops(torch):
    """The function that makes each one-operand autograd node the exporter
    may map (those it does not map are not used)."""
    F = torch.nn.functional
    return {"ExpBackward0": torch.exp, "LogBackward0": torch.log, "TanhBackward0": torch.tanh,
            "SigmoidBackward0": torch.sigmoid, "ReluBackward0": F.relu,
            "NegBackward0": torch.neg, "SqrtBackward0": torch.sqrt, "AbsBackward0": torch.abs,
            "SinBackward0": torch.sin, "CosBackward0": torch.cos,
            "SoftplusBackward0": F.softplus, "SiluBackward0": F.silu,
            "Log1PBackward0": torch.log1p}


def constant_cases(torch):
    """(name, f(x, c), c) with x = 0.3: c in every position of every
    two-operand op, as a float that no short decimal rounds to (1/3), a
    decimal that no double is (0.1), an int (3) and a 0-dim tensor
    without grad; t + c and t - c inside each unary op of the exporter's
    map, torch.square, the issue's z - 0.5 and 1 / (x ** 2 + 1), and a
    torch.stack(...).sum() holding a constant tensor."""
    third = torch.tensor(1.0 / 3.0, dtype=torch.float64)
    positions = [
        ("c - t", lambda x, c: c - x), ("t - c", lambda x, c: x - c),
        ("c * t", lambda x, c: c * x), ("t * c", lambda x, c: x * c),
        ("t / c", lambda x, c: x / c), ("c / t", lambda x, c: c / x),
        ("t ** c", lambda x, c: x ** c), ("c ** t", lambda x, c: c ** x),
        ("t + c", lambda x, c: x + c), ("c + t", lambda x, c: c + x),
    ]
    cases = [("%s, c = %s" % (name, label), f, c)
             for name, f in positions
             for label, c in (("1/3", 1.0 / 3.0), ("0.1", 0.1), ("3", 3),
                              ("tensor(1/3)", third))]
    for kind, fn in sorted(unary_ops(torch).items()):
        if kind in gradviz_export._TORCH_UNARY:
            cases.append(("%s(t + c), c = 0.1" % kind, lambda x, c, fn=fn: fn(x + c), 0.1))
            if math.isfinite(fn(tensor(torch, -0.2)).item()):       # not log, sqrt
                cases.append(("%s(t - c), c = 0.5" % kind, lambda x, c, fn=fn: fn(x - c), 0.5))
    cases += [
        ("square(t + c), c = 0.1", lambda x, c: torch.square(x + c), 0.1),
        ("(t + c) ** 2, c = 0.1", lambda x, c: (x + c) ** 2, 0.1),
        ("sigmoid(t * t - c), c = 0.5", lambda x, c: torch.sigmoid(x * x - c), 0.5),
        ("c / (t ** 2 + c), c = 1", lambda x, c: c / (x ** 2 + c), 1),
        ("c / (t ** 2 + c), c = tensor(1/3)", lambda x, c: c / (x ** 2 + c), third),
        ("stack([t * t, c, sin(t)]).sum(), c = tensor(1/3)",
         lambda x, c: torch.stack([x * x, c, torch.sin(x)]).sum(), third),
    ]
    return cases


def results_capture(torch):
    """A TorchFunctionMode that keeps every 0-dim result with a grad_fn,
    retaining its grad: the tensors the code saw, to name in the export and
    to read torch's dC/dtensor from."""
    class Capture(torch.overrides.TorchFunctionMode):
        def __init__(self):
            super().__init__()
            self.results = []

        def __torch_function__(self, func, types, args=(), kwargs=None):
            r = func(*args, **(kwargs or {}))
            if isinstance(r, torch.Tensor) and r.grad_fn is not None and r.dim() == 0:
                r.retain_grad()
                self.results.append(r)
            return r
    return Capture()


def constant_case(torch, tmp, i, f, c):
    """One case: the export under record() against torch.autograd. A list
    of what differs (empty when every node is torch's), and the count of
    nodes compared."""
    x = tensor(torch, 0.3)
    capture = results_capture(torch)
    with gradviz_export.record(), capture:
        loss = f(x, c)
    names = {"x": x}
    names.update(("r%d" % k, r) for k, r in enumerate(capture.results))
    text = gradviz_export.to_dot(loss, names=names)
    loss.backward()
    # dC/dc: the same code with c a tensor that requires grad
    xb, cb = tensor(torch, 0.3), tensor(torch, float(c))
    dc = torch.autograd.grad(f(xb, cb), [cb])[0].item()
    path = os.path.join(tmp, "const%d.dot" % i)
    with open(path, "w") as out:
        out.write(text)
    j = eval_json(path)
    if j is None:
        return ["gradviz eval failed: %s" % run("eval", path).stderr.strip()], 0
    bad, compared = [], 0
    expect = {"x": (0.3, x.grad.item())}
    expect.update(("r%d" % k, (r.item(), r.grad.item())) for k, r in enumerate(capture.results))
    consts = [n for n in j["nodes"] if n["role"] == "const"]
    for n in j["nodes"]:
        if n["id"] in expect:
            v, g = expect[n["id"]]
            compared += 1
            if not (close(n["value"], v) and close(n["grad"], g)):
                bad.append("%s: value %r grad %r, torch %r %r" % (n["id"], n["value"], n["grad"],
                                                                   v, g))
        elif n["role"] != "const" and '"%s" [op="pow", exponent="-1"' % n["id"] not in text:
            bad.append("%s (%s) is not a tensor the code saw" % (n["id"], n["op"]))
    # t ** c is x^k with exponent=k (no log of x); every other c is a const leaf
    exponents = [float(k) for k in re.findall(r'exponent="([^"]*)"', text) if k not in ("-1", "2")]
    written = [float(v) for v in re.findall(r'value="([^"]*)", role="const"', text)]
    if exponents:
        if exponents != [float(c)] or consts:
            bad.append("exponents %r and constants %r, the code's %r"
                       % (exponents, written, float(c)))
        return bad, compared
    if not consts or any(n["value"] != float(c) for n in consts) or \
            any(v != float(c) for v in written):
        bad.append("constants %r (in the file %r), the code's %r"
                   % ([n["value"] for n in consts], written, float(c)))
    if hasattr(c, "grad_fn") and len(consts) != 1:
        bad.append("the tensor c is %d nodes" % len(consts))
    g = sum(n["grad"] for n in consts)
    compared += len(consts)
    if not close(g, dc):
        bad.append("dC/dc %r, torch %r" % (g, dc))
    return bad, compared


def check_constants(torch, tmp):
    """Every case of constant_cases exported under record(): torch's value
    and dC/dnode on every node to 1e-12, constants exact."""
    cases = constant_cases(torch)
    unary = [k for k in gradviz_export._TORCH_UNARY if k not in unary_ops(torch)]
    t(not unary, "every one-operand node of the exporter's map has a case (missing: %s)" % unary)
    failed, compared = [], 0
    for i, (name, f, c) in enumerate(cases):
        try:
            bad, n = constant_case(torch, tmp, i, f, c)
        except (ValueError, RuntimeError, AttributeError) as e:
            bad, n = ["%s: %s" % (type(e).__name__, e)], 0
        compared += n
        if bad:
            failed.append("%s: %s" % (name, "; ".join(bad)))
    t(not failed, "%d cases with Python constants and constant tensors in every position, "
      "under record(): %d nodes' values and gradients are torch.autograd's to 1e-12, "
      "constants exact (%s)" % (len(cases), compared, " | ".join(failed[:6])))
    t(len(cases) >= 60 and compared >= 3 * len(cases),
      "the cases are many and each compares several nodes (%d cases, %d nodes)"
      % (len(cases), compared))


def check_record(torch, tmp):
    """Without record() a constant no saved value gives is refused with a
    line that says to use it; with it the export works, after backward()
    too (the constants live in the graph's own nodes)."""
    x = tensor(torch, 0.3)
    msg = error_of(lambda: gradviz_export.to_dot(torch.relu(x - 0.5)))
    t("gradviz_export.record()" in msg and msg.count("\n") == 0,
      "without record(), relu(x - 0.5) (a result of 0 gives no 0.5) is one line that names "
      "record() (%s)" % msg)
    with gradviz_export.record():
        loss = torch.tanh(x * 0.1 - 1.0 / 3.0) * torch.tensor(2.5, dtype=torch.float64)
    loss.backward()
    path = os.path.join(tmp, "after.dot")
    try:
        gradviz_export.write(loss, path, names={"x": x})
        msg = ""
    except ValueError as e:
        msg = str(e)
    j = eval_json(path) if not msg else None
    nodes = {n["id"]: n for n in j["nodes"]} if j else {}
    consts = sorted(n["value"] for n in j["nodes"] if n["role"] == "const") if j else []
    t(j and close(nodes["x"]["grad"], x.grad.item()) and consts == [0.1, 1.0 / 3.0, 2.5],
      "recorded, then backward() without retain_graph: the export works, dC/dx is torch's, "
      "constants %s exact (%s)" % (consts, msg))
    r = run("check", path)
    t(r.returncode == 0, "gradviz check passes on it: every op's recorded data is gradviz's "
      "(rc %d %s)" % (r.returncode, r.stdout.strip().splitlines()[-1:]))


def check_shapes(torch, tmp):
    """a * a is two edges; a tensor constant used twice is one node."""
    a, c = tensor(torch, 3.0), tensor(torch, 2.0, False)
    m = a * a
    text = gradviz_export.to_dot(m, names={"a": a})
    t(text.count('"a" -> "mul1"') == 2, "a * a: two edges a -> mul1")
    z = a * c + c / a
    path = os.path.join(tmp, "shared.dot")
    gradviz_export.write(z, path, names={"a": a, "c": c})
    j = eval_json(path)
    fan = [n["fan_out"] for n in j["nodes"] if n["id"] == "c"] if j else []
    t(fan == [2], "a constant tensor used twice is one node c with fan-out 2 (%s)" % fan)


def check_chain(torch, tmp):
    w = tensor(torch, 0.9)
    v = w
    for _ in range(99999):
        v = torch.tanh(v)
    path = os.path.join(tmp, "chain.dot")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        gradviz_export.write(v, path, names={"w": w})
        err = ""
    except RecursionError as e:
        err = str(e)
    finally:
        sys.setrecursionlimit(limit)
    j = eval_json(path)
    t(not err and j and len(j["nodes"]) == 100000,
      "a 100,000-node autograd chain exports with a recursion limit of 200 (%s)" % err)


def example(torch):
    """examples/torch-neuron.dot: the code in its header."""
    x1 = torch.tensor(2.0, dtype=torch.float64)
    x2 = torch.tensor(0.0, dtype=torch.float64)
    w1 = torch.tensor(-3.0, dtype=torch.float64, requires_grad=True)
    w2 = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(6.8813735870195432, dtype=torch.float64, requires_grad=True)
    n = x1 * w1 + x2 * w2 + b
    o = torch.tanh(n)
    loss = (o - 1.0) ** 2
    loss.backward(retain_graph=True)
    return gradviz_export.to_dot(loss, names={"x1": x1, "x2": x2, "w1": w1, "w2": w2,
                                              "b": b, "n": n, "o": o, "L": loss})


def check_example(torch):
    path = os.path.join(SRC, "examples", "torch-neuron.dot")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    body = text[text.find("// written by gradviz_export"):]
    t(body == example(torch), "examples/torch-neuron.dot is what gradviz_export writes today")


def main():
    try:
        import torch
    except ImportError:
        print("1..1\nok 1 # SKIP python3-torch not installed (Debian: apt-get install python3-torch)")
        return
    with tempfile.TemporaryDirectory(prefix="gdv-pyexport-torch.") as tmp:
        report([("check_computation", lambda: check_computation(torch, tmp)),
                ("check_before_backward", lambda: check_before_backward(torch, tmp)),
                ("check_reductions", lambda: check_reductions(torch, tmp)),
                ("check_errors", lambda: check_errors(torch)),
                ("check_constants", lambda: check_constants(torch, tmp)),
                ("check_record", lambda: check_record(torch, tmp)),
                ("check_shapes", lambda: check_shapes(torch, tmp)),
                ("check_chain", lambda: check_chain(torch, tmp)),
                ("check_example", lambda: check_example(torch))])


if __name__ == "__main__":
    main()
