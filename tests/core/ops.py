"""ops.py, run by tests/core/ops.sh in its work folder (argv[1]), which holds
table.txt (tests/core/op_list's print of the op table), drawdot.err, course.json
and dot.json. Every list of ops is held against the table, so a new op
fails here until README, the man page, draw_dot's message and the Python
exporter's maps have it (or EXPORT_NOT_MAPPED below says why the exporter
cannot); the numbers ops.sh's graphs gave are held against hand-derived
ones; the new ops are exported from micrograd-style Values and PyTorch and
pass gradviz check. Prints "ok<TAB>NAME" or "not ok<TAB>NAME", then
"# why" lines; ops.sh numbers them."""
import json
import math
import os
import re
import subprocess
import sys

WORK = sys.argv[1]
SRC = os.environ["GDV_SRCDIR"]
GRADVIZ = os.environ["GRADVIZ"]
sys.path.insert(0, os.path.join(SRC, "python"))
import gradviz_export as ge  # noqa: E402

OPS, ALIASES, ARITY = [], {}, []
for line in open(os.path.join(WORK, "table.txt")):
    f = line.split()
    if f[0] == "op":
        OPS.append(f[1])
        ARITY.append((f[1], f[2] if f[3] != "-1" else "2"))   # operands to try it on
    else:
        ALIASES[f[1]] = f[2]


def case(name, problems):
    """One TAP case: passed when `problems` is empty, else each is a # line."""
    print("%s\t%s" % ("not ok" if problems else "ok", name))
    for p in problems:
        print("# %s" % p)


def compare(name, listed, want):
    """`listed` holds each of `want` once and nothing else."""
    problems = ["missing: " + o for o in want if o not in listed]
    problems += ["not an op of the table: " + o for o in listed if o not in want]
    problems += ["listed twice: " + o for o in set(listed) if listed.count(o) > 1]
    case(name, problems)


def lists():
    """README, the man page, the exporter's maps and draw_dot's message."""
    readme = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    m = re.search(r"op nodes carry\s+`op` \(`([^`]*)`(.*?)\n\n", readme, re.S)
    compare("README's op list is the op table", m.group(1).split() if m else [], OPS)
    case("README says what each alias reads as",
         ["no `%s`" % a for a in ALIASES if not m or "`%s`" % a not in m.group(2)])

    man = open(os.path.join(SRC, "gradviz.1"), encoding="utf-8").read()
    m = re.search(r"^\.SS Operations\n(.*?)^\.S[SH] ", man, re.S | re.M)
    section = m.group(1) if m else ""
    compare("the man page's Operations section has one entry per op of the table",
            re.findall(r"^\.TP\n\.B (\S+)", section, re.M), OPS)
    case("the man page names each alias in Operations",
         ["no %s" % a for a in ALIASES if not re.search(r"\b%s\b" % a, section)])
    m = re.search(r"micrograd-style Value; ops\n(.*?);", man, re.S)
    compare("the man page lists the exporter's micrograd ops",
            m.group(1).replace("\\-", "-").split() if m else [], list(ge._VALUE_OPS) + ["**k"])

    # the exporter: every gradviz op it names is the table's own name, and
    # every op of the table is mapped or here with the reason it is not
    # _Torch.operands(): the binary ops, and sum/mean/logsumexp of a stack, clamp
    torch_in_code = {"add", "sub", "mul", "div", "pow", "identity", "mean", "logsumexp",
                     "clamp", "max", "min"}
    for name, mapped, not_mapped in (
            ("micrograd _op strings (_VALUE_OPS)", set(ge._VALUE_OPS.values()),
             MICROGRAD_NOT_MAPPED),
            ("PyTorch autograd nodes (_TORCH_UNARY and operands())",
             set(ge._TORCH_UNARY.values()) | torch_in_code, TORCH_NOT_MAPPED)):
        case("the exporter's %s name ops of the table only" % name,
             ["not an op: " + o for o in sorted(mapped - set(OPS))])
        case("the exporter maps every op of the table from %s, or says why not" % name,
             ["not mapped: " + o for o in OPS if o not in mapped and o not in not_mapped] +
             ["mapped or gone, yet excused: " + o for o in not_mapped
              if o in mapped or o not in OPS])

    # the exporter computes values autograd did not save (_forward): every op
    # it maps must be there, or a graph where that op feeds an add fails
    forward = getattr(ge, "_forward", None)
    if forward is not None:
        class Node:
            """What _forward reads of a node."""
        arity = {name: int(n) for name, n in ARITY}
        missing = []
        for op in sorted(set(ge._VALUE_OPS.values()) | set(ge._TORCH_UNARY.values())):
            node, node.op, node.exponent = Node(), op, None
            node.operands = [Node() for _ in range(arity[op])]
            try:
                value = forward(node, {p: 0.5 for p in node.operands})
            except KeyError:
                value = None
            if value is None:      # every op the exporter maps is defined at 0.5
                missing.append("no value for " + op)
        case("the exporter computes the value of every op it maps (_forward)", missing)

    # draw_dot's message: its symbols, then the table (but clamp), aliases
    err = open(os.path.join(WORK, "drawdot.err"), encoding="utf-8").read().strip()
    m = re.search(r"\(known: (.*)\)$", err)
    want = ["+", "*", "-", "/", "**k"] + [o for o in OPS if o != "clamp"] + list(ALIASES)
    got = m.group(1).split(", ") if m else []
    case("draw_dot's unknown-op message lists the table's ops and aliases, in order",
         [] if got == want else ["got:  " + ", ".join(got), "want: " + ", ".join(want)])


# The ops of the table the exporter does not map, and why.
MICROGRAD_NOT_MAPPED = {
    "max": "n-ary: _prev is a set, so a repeated operand is lost",
    "min": "n-ary: _prev is a set, so a repeated operand is lost",
    "mean": "n-ary: _prev is a set, so a repeated operand is lost",
    "logsumexp": "n-ary: _prev is a set, so a repeated operand is lost",
    "clamp": "a Value's clamp keeps its bounds as floats outside _prev",
    "square": "the lecture writes **2",
    "identity": "no Value op is a copy",
}
TORCH_NOT_MAPPED = {
    "square": "x**2 is PowBackward0: pow with exponent 2",
}


def formula_numbers():
    """course.expr's values and dL/dw, derived by hand; pi, -0.5, silu."""
    d = json.load(open(os.path.join(WORK, "course.json")))
    node = {n["id"]: n for n in d["nodes"]}
    sig = lambda t: 1 / (1 + math.exp(-t))  # noqa: E731
    x, y, w = 0.7, -1.3, 0.4
    a = w * x * sig(w * x) + y * sig(y)
    b = math.log1p(x * x) + math.log1p(math.exp(y))
    c = math.log(math.exp(a) + math.exp(b) + math.exp(w))
    dd = (a + b + c + x) / 4
    e = dd + w                  # -0.5 < d < pi/2 and y < w < 1: clamp(y, w, 1) = w
    L = -0.5 * (e - 1) ** 2 + c
    bad = [] if -0.5 < dd < math.pi / 2 and y < w else ["the points moved"]
    # dL/dw: through the second clamp (1) and through d (1/4 of a's and c's);
    # silu'(u) = s(u) (1 + u (1 - s(u))); dc/dt is the softmax share of t
    su = sig(w * x)
    da_dw = su * (1 + w * x * (1 - su)) * x
    dc_dw = math.exp(a - c) * da_dw + math.exp(w - c)
    g = -(e - 1) * ((da_dw + dc_dw) / 4 + 1) + dc_dw
    want = {"a": a, "b": b, "c": c, "d": dd, "e": e, "L": L}
    bad += ["%s = %r, want %r" % (k, node[k]["value"], v) for k, v in want.items()
            if abs(node[k]["value"] - v) > 1e-12]
    if abs(node["w"]["grad"] - g) > 1e-12:
        bad.append("dL/dw = %r, want %r" % (node["w"]["grad"], g))
    case("formula: values and dL/dw are the hand-derived ones (1e-12)", bad)
    pis = [n for n in d["nodes"] if n["label"] == "\u03c0"]
    case("formula: pi is one const leaf drawn \u03c0 holding math.pi",
         [] if [(n["role"], n["value"]) for n in pis] == [("const", math.pi)] else [repr(pis)])
    halves = [n for n in d["nodes"] if n["label"] == "\u22120.5"]
    hyphens = [n["label"] for n in d["nodes"] if "-" in n["label"]]
    case("formula: -0.5 is a const drawn \u22120.5 (twice), no label has a hyphen",
         ([] if [(n["role"], n["value"]) for n in halves] == [("const", -0.5)] * 2
          else [repr(halves)]) + hyphens)
    case("formula: swish is written as silu",
         [] if [n["op"] for n in d["nodes"] if n["op"] in ("silu", "swish")] == ["silu"] * 2
         else ["ops: %r" % sorted(set(n["op"] for n in d["nodes"] if n["op"]))])


def dot_numbers():
    """course.dot's clamp(y = -2, lo = -1, hi = 1): lo active, as PyTorch."""
    d = json.load(open(os.path.join(WORK, "dot.json")))
    n = {v["id"]: v for v in d["nodes"]}
    local = {e["from"]: e["local"] for e in d["edges"] if e["to"] == "c"}
    got = (n["c"]["value"], local["y"], local["lo"], local["hi"], n["lo"]["grad"], n["hi"]["grad"])
    case("DOT: clamp(-2, -1, 1) = -1, locals 0, 1, 0 (y, lo, hi), dC/dlo 1, dC/dhi 0",
         [] if got == (-1, 0, 1, 0, 1, 0) else ["value, locals, grads: %r" % (got,)])


def written_out():
    """Each new op against the same graph written with the old ops (ops.sh's
    hand-K.expr and ops-K.expr): the cost and every param's grad agree."""
    for k, what in ((1, "silu, swish and logsumexp"), (2, "mean and clamp")):
        hand, new = ({n["id"]: n for n in json.load(open(os.path.join(WORK, f % k)))["nodes"]}
                     for f in ("hand-%d.json", "ops-%d.json"))
        bad = []
        if abs(new["L"]["value"] - hand["L"]["value"]) > 1e-12:
            bad.append("L %r, written out %r" % (new["L"]["value"], hand["L"]["value"]))
        params = [i for i, n in hand.items() if n["role"] == "param"]
        bad += ["d/d%s %r, written out %r" % (i, new[i]["grad"], hand[i]["grad"]) for i in params
                if abs(new[i]["grad"] - hand[i]["grad"]) > 1e-12 * max(1, abs(hand[i]["grad"]))]
        bad += [] if len(params) >= 2 and all(hand[i]["grad"] != 0 for i in params) \
            else ["a param with no gradient: the comparison proves little"]
        case("%s give the cost and every param's grad of the graph written out "
             "(1e-12)" % what, bad)


def check_file(path):
    """gradviz check's exit status and output on an exported file."""
    r = subprocess.run([GRADVIZ, "check", path], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


class Value:
    """The smallest micrograd-style Value: data, grad, _prev, _op."""

    def __init__(self, data, prev=(), op="", label=""):
        self.data, self.grad, self._prev, self._op, self.label = data, 0.0, set(prev), op, label


def micrograd():
    """silu, swish, softplus and log1p as a fork's _op strings, with the
    grads the fork would compute: exported, they pass check."""
    x = Value(0.8, label="x")
    sig = 1 / (1 + math.exp(-x.data))
    s = Value(x.data * sig, (x,), "silu", "s")
    w = Value(x.data * sig, (x,), "swish", "w")
    p = Value(math.log1p(math.exp(x.data)), (x,), "softplus", "p")
    lp = Value(math.log1p(x.data), (x,), "log1p", "l")
    t = Value(s.data * w.data, (s, w), "*", "t")
    o = Value(t.data + p.data, (t, p), "+", "o")
    lo = Value(o.data + lp.data, (o, lp), "+", "L")
    lo.grad = o.grad = t.grad = p.grad = lp.grad = 1.0
    s.grad, w.grad = w.data, s.data
    dsilu = sig * (1 + x.data * (1 - sig))
    x.grad = (s.grad + w.grad) * dsilu + sig + 1 / (1 + x.data)
    path = os.path.join(WORK, "mg-export.dot")
    ge.write(lo, path)
    text = open(path, encoding="utf-8").read()
    status, out = check_file(path)
    case("micrograd: silu, swish (written silu), softplus, log1p export and pass check",
         ([] if status == 0 else out.splitlines()[-12:]) +
         (["swish written"] if "swish" in text else []))


def pytorch():
    """The autograd nodes of the new ops: exported, read back, equal to
    torch.autograd to 1e-12; what the exporter cannot represent refused
    in one ValueError."""
    try:
        import torch
    except ImportError:
        print("ok\tPyTorch export of the new ops # SKIP no torch")
        return
    torch.set_default_dtype(torch.float64)
    F = torch.nn.functional
    # each result feeds an add, which saves nothing: the exporter computes
    # it itself (and the constant 0.5 from the input the op saved)
    cases = {
        "SiluBackward0": lambda w, b: F.silu(w * b - 0.5) + b,
        "SoftplusBackward0": lambda w, b: F.softplus(w * b - 0.5) + b,
        "Log1PBackward0": lambda w, b: torch.log1p(w * w - 0.5) + b,
        "MeanBackward0": lambda w, b: torch.stack([w * b, torch.tanh(w), b]).mean() * w,
        "LogsumexpBackward0": lambda w, b: torch.logsumexp(torch.stack([w * b, w, b]), 0) * w,
        "ClampBackward1": lambda w, b: torch.clamp(w * 3.0, -1.0, 1.0) + torch.clamp(b, -1.0, 1.0) * w,
    }
    for name, f in cases.items():
        w = torch.tensor(0.7, requires_grad=True)
        b = torch.tensor(-0.3, requires_grad=True)
        loss = f(w, b)
        loss.backward(retain_graph=True)
        path = os.path.join(WORK, "torch.dot")
        try:
            ge.write(loss, path, names={"w": w, "b": b})
        except Exception as e:        # the case fails; the others still run
            case("PyTorch %s: exported" % name, ["%s: %s" % (type(e).__name__, e)])
            continue
        r = subprocess.run([GRADVIZ, "eval", path, "--format", "json"], capture_output=True,
                           text=True)
        n = {v["id"]: v for v in json.loads(r.stdout)["nodes"]} if r.returncode == 0 else {}
        bad = [] if r.returncode == 0 else [r.stderr.strip()]
        for key, want in (("w", w.grad.item()), ("b", b.grad.item())):
            if key in n and abs(n[key]["grad"] - want) > 1e-12:
                bad.append("d/d%s = %r, torch %r" % (key, n[key]["grad"], want))
        status, out = check_file(path)
        if status != 0:
            bad += out.splitlines()[-8:]
        case("PyTorch %s: exported, gradients equal torch.autograd's, check passes" % name, bad)
    # a mean or logsumexp over a vector leaf is refused, naming its node
    w = torch.tensor(0.7, requires_grad=True)
    v = torch.tensor([0.5, 1.5], requires_grad=True)
    for kind, loss in (("MeanBackward0", v.mean() * w),
                       ("LogsumexpBackward0", torch.logsumexp(v, 0) * w)):
        try:
            ge.to_dot(loss)
            problems = ["exported"]
        except ValueError as e:
            problems = [] if str(e).count(kind) == 1 else [str(e)]
        case("PyTorch %s over a 2-element tensor: one ValueError naming it" % kind, problems)

lists()
formula_numbers()
written_out()
dot_numbers()
micrograd()
pytorch()
