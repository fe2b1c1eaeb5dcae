#!/usr/bin/python3
"""python/gradviz_export.py on PyTorch autograd graphs (Debian's
python3-torch, importable from /usr/bin/python3 only): a computation with
add, mul, sub, div, pow, exp, log, tanh, sigmoid and relu exports to a
graph whose gradients (gradviz eval --format json) are torch.autograd's to
1e-12; constants autograd did not save are solved exactly; unsupported
nodes are a ValueError naming their type; a 100,000-node chain exports;
examples/torch-neuron.dot is what the module writes today. Prints TAP."""
import os
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
    msg = error_of(lambda: gradviz_export.to_dot(torch.atan(a) * 2.0))
    t("AtanBackward0" in msg, "torch.atan is a ValueError naming AtanBackward0 (%s)" % msg)
    msg = error_of(lambda: gradviz_export.to_dot(torch.matmul(v, v)))
    t("DotBackward0" in msg, "a vector matmul is a ValueError naming DotBackward0 (%s)" % msg)
    msg = error_of(lambda: gradviz_export.to_dot(v * 2))
    t("0-dim" in msg, "a result that is not 0-dim is refused (%s)" % msg)
    loss = (a * 3.0) ** 2
    loss.backward()
    msg = error_of(lambda: gradviz_export.to_dot(loss))
    t("retain_graph=True" in msg, "a constant freed by backward() says how to keep it (%s)" % msg)


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
                ("check_errors", lambda: check_errors(torch)),
                ("check_shapes", lambda: check_shapes(torch, tmp)),
                ("check_chain", lambda: check_chain(torch, tmp)),
                ("check_example", lambda: check_example(torch))])


if __name__ == "__main__":
    main()
