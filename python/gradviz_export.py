"""gradviz_export: a gradviz DOT file from a micrograd-style Value graph or a
PyTorch scalar computation, with the numbers the code recorded.

    import gradviz_export                       # pip install ./python, or
                                                # sys.path.insert(0, "/usr/local/share/gradviz/python")
    gradviz_export.show(loss)                   # inline in a notebook (SVG, or the page to step through)
    gradviz_export.write(loss, "loss.dot")      # then: gradviz render loss.dot -o loss.png
    gradviz_export.render(loss, "loss.png")     # or let gradviz draw it

The gradviz program is found on PATH, else through $GRADVIZ, else the one
`scripts/setup.sh` built in the source tree this module came from, else
beside an installed share/gradviz/python (its bin/gradviz); render() and
show() take gradviz="/path/to/gradviz" too.

Standard library only; torch is imported by record() alone (a tensor is
otherwise read through its own methods). The file holds gradviz's graph
(contract sections 1-2: op, value, role, output, exponent, arg, label) plus
what the code recorded: `grad` (dC/dnode after its backward) on every node
that has one and `data` (the value it computed) on op nodes, in full
precision, so that `gradviz check loss.dot` compares them with gradviz's
own backprop.

micrograd-style objects are duck-typed on data, grad, _prev and _op. Names
come from `label` where present and unique (or from names={"w1": w1}); the
others get deterministic names (p1, x1, c1 for leaves, mul1, tanh2 for ops).
A leaf's role: its own `role` attribute ("param", "input", "const") if it
has one; else, with params=[...], param for those and input for other
leaves the program holds; else param. A leaf without a label that nothing
but the graph holds (the 2 of `a*2`, made by the operator itself) is const.

PyTorch: a 0-dim result is walked through grad_fn and next_functions.
AccumulateGrad leaves are params (value from .variable, recorded grad from
.grad when present); other operands are constants. Autograd does not keep
every constant: x - 0.5, x + 3 and c - x with c a tensor without grad save
nothing of it. So the forward pass can be recorded:

    with gradviz_export.record():
        loss = f(x)
    gradviz_export.write(loss, "loss.dot")

record() is a torch.overrides.TorchFunctionMode: it sees each PyTorch call
with its arguments as it runs, and keeps in the autograd node of the
result (node.metadata, so it lives and dies with the graph) the call's
constant operands in call order (Python numbers, and tensors without grad
with their value then) and the result's value. Export gives a node's
constant operands the call's constants when their counts agree (a call
that also passed a dim or a beta is left to what autograd saved): every
constant is then its exact double, every op node has `data`, and export
works after backward() too. This was chosen over recovering constants from
the values autograd keeps because those give a constant only through
arithmetic that rounds (y - x for the 1 of x + 1) or not at all (relu(x -
0.5) at 0). Without record(), constants come from the tensors autograd
saved (exact: the 3 of x / 3, the 2 of 2 * x, x ** k) and the others are
solved from a value it did save (a result, or an input of the next op) and
shown as the shortest decimal within rounding; one no saved value gives is
a ValueError that says to use record(). backward() frees the saved tensors:
without record(), export before it, or call backward(retain_graph=True).
Values are doubles (a float32 tensor's values are exact in them).

Vectors: gradviz draws scalars. sum() of a 0-dim tensor is identity and
sum() of torch.stack([...]) of 0-dim tensors an n-ary add of them (each
element is a node of the graph, so this is exact); any other op on a
tensor of several elements (a sum or mean over a vector, matmul) is
refused. An autograd node gradviz_export does not map is a ValueError that
names its type once and lists the types it maps (_TORCH_KNOWN).

Operand order: a micrograd _prev is a set; the order comes from the names
its _backward closure uses (self, then other), else from _prev when it is
a tuple or list, else from the data (x - y against y - x). Two-operand ops
with one object in _prev (a*a, a+a) are written as two edges.
"""
import gc
import html
import math
import os
import shutil
import subprocess
import sys
import tempfile

__all__ = ["write", "to_dot", "render", "show", "Figure", "find_gradviz", "record", "GradvizError"]

# The source tree a wheel was built from (pip install ./python writes it
# here), so that an installed module finds the gradviz scripts/setup.sh
# built there; None in the tree itself, which is found from __file__.
_SOURCE_TREE = None

ROLES = ("param", "input", "const")


class GradvizError(RuntimeError):
    """gradviz failed; the message is the one gradviz printed."""


class _Node:
    """One scalar of the exported graph, whatever the source: the writer
    and the name chooser see only these."""

    __slots__ = ("obj", "op", "exponent", "operands", "role", "value",
                 "data", "grad", "label", "name", "origin")

    def __init__(self, obj, op=None):
        self.obj = obj          # the source object (kept alive: ids stay valid)
        self.op = op            # gradviz op name; None for a leaf
        self.exponent = None    # text of k for pow with one operand
        self.operands = []      # _Node list, in operand order, repeats allowed
        self.role = None
        self.value = None       # a leaf's number
        self.data = None        # an op node's recorded value
        self.grad = None        # recorded dC/dnode
        self.label = None       # the user's name for it
        self.name = None        # the DOT id
        self.origin = ""        # what to call it in an error message


# ----------------------------------------------------------------- numbers

def _finite(x):
    """A Python float from anything float() takes, or None when it is not
    a finite number: gradviz reads no nan or inf."""
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError, OverflowError):
        return None
    return f if math.isfinite(f) else None


def _full(x):
    """repr of a double reads back as the same double: the file's numbers
    are as precise as the program's, so check's tolerance is its rtol."""
    return repr(float(x))


def _short(x):
    """A constant's label: 2 rather than 2.0, as a formula writes it."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def _exponent_text(k):
    """pow's exponent as a short number (x^2, not x^2.0); None when k is
    not a finite number."""
    f = _finite(k)
    return None if f is None else _short(f)


# ----------------------------------------------------- micrograd-style graphs

# The op strings seen in the lecture and its forks, by what gradviz calls them.
_VALUE_OPS = {
    "+": "add", "*": "mul", "-": "sub", "/": "div", "**": "pow",
    "tanh": "tanh", "exp": "exp", "log": "log", "sigmoid": "sigmoid",
    "relu": "relu", "neg": "neg", "sqrt": "sqrt", "abs": "abs",
    "sin": "sin", "cos": "cos", "silu": "silu", "swish": "silu",
    "softplus": "softplus", "log1p": "log1p",
}
_TWO_OPERANDS = ("add", "mul", "sub", "div", "pow")


def _is_value_node(obj):
    """Duck typing: what the lecture's Value and its forks share."""
    return all(hasattr(obj, a) for a in ("data", "grad", "_prev", "_op"))


def _prev_list(obj):
    """_prev as a list of distinct objects (a set, tuple or list in the
    wild); its order is used only where nothing better says it."""
    seen, out = set(), []
    for p in getattr(obj, "_prev", ()) or ():
        if id(p) not in seen:
            seen.add(id(p))
            out.append(p)
    return out


def _describe(obj):
    """A node in an error message, before it has a name."""
    label = getattr(obj, "label", None)
    if isinstance(label, str) and label:
        return "'%s'" % label
    return "a node with data %r" % (getattr(obj, "data", None),)


def _map_value_op(obj, n_prev):
    """gradviz's op (and pow's exponent text) for a node's _op string. An
    op gradviz cannot draw is a ValueError naming it."""
    raw = str(getattr(obj, "_op", "")).strip()
    if raw.startswith("**"):
        k = raw[2:].strip()
        if k and _finite(k) is not None and n_prev == 1:
            return "pow", _exponent_text(k)
        raw = "**"                    # a Value exponent, whatever the label says
    op = _VALUE_OPS.get(raw if not raw.isalpha() else raw.lower())
    if op is None:
        raise ValueError("gradviz_export: unknown op %r on %s (gradviz maps %s, **k)"
                         % (raw, _describe(obj), ", ".join(repr(k) for k in _VALUE_OPS)))
    return op, None


def _closure_operands(obj, prev_ids):
    """The operands in the order the code named them: its _backward is a
    closure over `self` and `other` (the lecture's shape), so a set _prev
    still tells x - y from y - x. None when there is no such closure."""
    fn = getattr(obj, "_backward", None)
    code, cells = getattr(fn, "__code__", None), getattr(fn, "__closure__", None)
    if code is None or not cells:
        return None
    named = {}
    for name, cell in zip(code.co_freevars, cells):
        try:
            v = cell.cell_contents
        except ValueError:
            continue
        if id(v) in prev_ids and v is not obj:
            named[name] = v
    order = sorted(named, key=lambda n: (n != "self", n != "other", n))
    return [named[n] for n in order] if named else None


_BINARY_FN = {
    "sub": lambda x, y: x - y,
    "div": lambda x, y: x / y,
    "pow": lambda x, y: x ** y,
}


def _order_by_data(obj, op, a, b):
    """Last resort for a set _prev without a closure: the order whose result
    is the node's data. When both orders give it, the file would depend on
    a guess: a ValueError says so."""
    out = _finite(obj.data)
    fits = []
    for x, y in ((a, b), (b, a)):
        try:
            r = _BINARY_FN[op](float(x.data), float(y.data))
        except (ArithmeticError, ValueError, TypeError):
            continue
        if out is not None and isinstance(r, float) and abs(r - out) <= 1e-12 * max(1.0, abs(out)):
            fits.append([x, y])
    if len(fits) != 1:
        raise ValueError("gradviz_export: cannot tell the operand order of %r on %s "
                         "(_prev is a set and _backward names no self/other)"
                         % (obj._op, _describe(obj)))
    return fits[0]


def _value_operands(obj, op, prev):
    """The node's operands in order, repeats included: a two-operand op
    whose _prev holds one object used it twice (a*a): two edges."""
    ids = {id(p) for p in prev}
    named = _closure_operands(obj, ids)
    if op in _TWO_OPERANDS and len(prev) == 1:
        if op == "sub" and named is not None and len(named) == 1:
            return "neg", prev            # a '-' closure over self alone is negation
        x, out = float(prev[0].data), _finite(obj.data)
        if op == "sub" and named is None and x != 0 and out == -x:
            return "neg", prev            # -x, not x - x (which is 0)
        return op, [prev[0], prev[0]]
    if named is not None and len(named) == len(prev):
        return op, named
    if isinstance(getattr(obj, "_prev", None), (list, tuple)):
        return op, prev
    if op in _BINARY_FN and len(prev) == 2:
        return op, _order_by_data(obj, op, prev[0], prev[1])
    return op, None                       # commutative: ordered by _structure_keys


def _discover(root):
    """Every object reachable from root, without recursion (a 100,000-node
    chain is fine): a list, and a map from id() (used inside only, never
    written) to the position in it; each object's _prev as a list."""
    objs, index, stack, prevs = [root], {id(root): 0}, [0], [None]
    while stack:
        i = stack.pop()
        prevs[i] = _prev_list(objs[i])
        for p in prevs[i]:
            if id(p) not in index:
                if not _is_value_node(p):
                    raise ValueError("gradviz_export: %r in _prev has no data, grad, _prev, _op"
                                     % (type(p).__name__,))
                index[id(p)] = len(objs)
                stack.append(len(objs))
                objs.append(p)
                prevs.append(None)
    return objs, index, prevs


def _refcounts(items):
    """sys.getrefcount of each item, measured the same way for the leaves
    and for the probe that calibrates them."""
    return [sys.getrefcount(x) for x in items]


def _inside_refs(objs, leaf_ids):
    """How many references to each leaf the graph itself holds: attributes
    of graph nodes, the containers they hold (_prev, _children) and the
    cells of their closures (_backward). Shared containers count once."""
    counts = dict.fromkeys(leaf_ids, 0)
    seen = set()
    for obj in objs:
        attrs = getattr(obj, "__dict__", None)
        values = list(attrs.values()) if attrs is not None else []
        for cls in type(obj).__mro__[:-1]:
            slots = getattr(cls, "__slots__", ())
            for slot in (slots,) if isinstance(slots, str) else slots:
                if slot not in ("__dict__", "__weakref__") and hasattr(obj, slot):
                    values.append(getattr(obj, slot))
        for v in values:
            if id(v) in counts:
                counts[id(v)] += 1
                continue
            if id(v) in seen:
                continue
            inner = ()
            if isinstance(v, (list, tuple, set, frozenset)):
                inner = v
            elif isinstance(v, dict):
                inner = list(v.keys()) + list(v.values())
            elif getattr(v, "__closure__", None):
                cells = [c for c in v.__closure__ if id(c) not in seen and _cell_full(c)]
                seen.update(id(c) for c in cells)     # closures may share a cell
                inner = [c.cell_contents for c in cells]
            seen.add(id(v))
            for x in inner:
                if id(x) in counts:
                    counts[id(x)] += 1
    return counts


def _cell_full(cell):
    """An empty closure cell raises on access."""
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


def _graph_refs(objs, prevs, ids):
    """References to each leaf (by id) from the graph and from this
    module's prevs lists. Only a leaf's consumers are searched: a reference
    from elsewhere in the graph would make a constant a param, never the
    other way round. A function of its own, so that no local variable of
    it still holds a leaf when the counts are taken."""
    consumers, ours = [], dict.fromkeys(ids, 0)
    for obj, prev in zip(objs, prevs):
        used = 0
        for p in prev:
            if id(p) in ids:
                ours[id(p)] += 1
                used = 1
        if used:
            consumers.append(obj)
    inside = _inside_refs(consumers, ids)
    return {k: inside[k] + ours[k] for k in ids}


def _held_outside(objs, leaves, prevs):
    """For each leaf, whether anything outside the graph holds it (a
    variable, a list of parameters): the 2 of `a*2`, made inside the
    operator, is held by the graph alone (and by this module's lists:
    objs once, prevs once per consumer). CPython only: elsewhere every
    leaf counts as held."""
    if not hasattr(sys, "getrefcount") or not leaves:
        return [True] * len(leaves)
    gc.collect()    # cycles left by the program (the lecture's recursive build_topo) hold nodes
    holder = [object()]                       # stands where `objs` holds a leaf
    baseline = _refcounts([holder[0]])[0]
    inside = _graph_refs(objs, prevs, {id(x) for x in leaves})
    counts = _refcounts(leaves)
    return [c - baseline - inside[id(x)] > 0 for c, x in zip(counts, leaves)]


def _leaf_role(obj, labelled, held, params):
    """The role rule of the module docstring."""
    role = getattr(obj, "role", None)
    if role in ROLES:
        return role
    if not labelled and not held:
        return "const"
    if params is not None:
        return "param" if id(obj) in params else "input"
    return "param"


def _label_of(obj, names):
    """The user's name for an object: names= first, then its label."""
    if id(obj) in names:
        return names[id(obj)]
    label = getattr(obj, "label", None)
    return label if isinstance(label, str) and label else None


def _from_values(root, names, params):
    """The neutral graph of a micrograd-style root."""
    objs, index, prevs = _discover(root)
    leaves = [o for o, prev in zip(objs, prevs) if not prev]
    held = dict(zip((id(x) for x in leaves), _held_outside(objs, leaves, prevs)))
    nodes = [_Node(o) for o in objs]
    unordered = []
    for node, obj, prev in zip(nodes, objs, prevs):
        node.label = _label_of(obj, names)
        node.grad = _finite(getattr(obj, "grad", None))
        if not prev:
            node.value = _finite(obj.data)
            if node.value is None:
                raise ValueError("gradviz_export: leaf %s holds %r: gradviz needs a finite number"
                                 % (_describe(obj), obj.data))
            node.role = _leaf_role(obj, node.label is not None, held[id(obj)], params)
            continue
        op, node.exponent = _map_value_op(obj, len(prev))
        node.op, ordered = (op, prev) if node.exponent is not None else _value_operands(obj, op, prev)
        node.data = _finite(obj.data)
        node.operands = [nodes[index[id(p)]] for p in (ordered or prev)]
        if ordered is None:
            unordered.append(node)
    if unordered:
        key = _structure_keys(nodes[0])
        for node in unordered:
            node.operands.sort(key=key.__getitem__)
    return nodes[0]


def _structure_keys(top):
    """A key per node that depends only on what the graph holds (op, data,
    label, the operands' keys), so a commutative op with a set _prev and no
    closure lists its operands in the same order on every run. Children
    first, without recursion; the operands of add and mul as a sorted
    list, since their order is what the key is for."""
    key = {}
    for node in _postorder(top, lambda n: n.operands):
        sub = [key[k] for k in node.operands]
        if node.op in ("add", "mul"):
            sub.sort()
        key[node] = (node.op or "", repr(getattr(node.obj, "data", "")), node.label or "",
                     tuple(sub))
    return key


# ------------------------------------------------------------------ PyTorch

# Autograd nodes with one operand, by gradviz's op.
_TORCH_UNARY = {
    "ExpBackward0": "exp", "LogBackward0": "log", "TanhBackward0": "tanh",
    "SigmoidBackward0": "sigmoid", "ReluBackward0": "relu", "NegBackward0": "neg",
    "SqrtBackward0": "sqrt", "AbsBackward0": "abs", "SinBackward0": "sin",
    "CosBackward0": "cos", "SoftplusBackward0": "softplus", "SiluBackward0": "silu",
    "Log1PBackward0": "log1p",
}
_TORCH_KNOWN = sorted(list(_TORCH_UNARY) + [
    "AddBackward0", "AddBackward1", "SubBackward0", "SubBackward1", "RsubBackward0",
    "RsubBackward1", "MulBackward0", "MulBackward1", "DivBackward0", "DivBackward1",
    "PowBackward0", "PowBackward1", "PowBackward2", "ReciprocalBackward0",
    "SumBackward0", "MeanBackward0", "MeanBackward1", "LogsumexpBackward0", "ClampBackward1",
    "AccumulateGrad"])


def _is_tensor(obj):
    """Duck typing for a torch.Tensor without importing torch."""
    return hasattr(obj, "grad_fn") and hasattr(obj, "item") and hasattr(obj, "numel")


def _scalar(t, what):
    """A tensor's or a saved number's value as a double; a tensor of more
    than one element is not a scalar computation."""
    if _is_tensor(t):
        if t.numel() != 1:
            raise ValueError("gradviz_export: %s has %d elements: gradviz draws scalar "
                             "computations" % (what, t.numel()))
        t = t.item()
    f = _finite(t)
    if f is None:
        raise ValueError("gradviz_export: %s is %r: gradviz needs a finite number" % (what, t))
    return f


_FREED = object()     # a saved tensor backward() has released


_SAVED_ATTRS = {}


def _saved_attrs(fn):
    """The _saved_* attributes of an autograd node's type, looked up once
    per type (dir() on each of 100,000 nodes would be slow)."""
    kind = type(fn)
    if kind not in _SAVED_ATTRS:
        _SAVED_ATTRS[kind] = [a for a in dir(fn) if a.startswith("_saved_")]
    return _SAVED_ATTRS[kind]


def _freed(kind):
    """The error for a constant autograd has already released."""
    return ValueError("gradviz_export: the constant operand of %s was freed by backward(): "
                      "export before it, or call backward(retain_graph=True)" % kind)


# ------------------------------------------------- recording the forward pass

_META_KEY = "gradviz_export"     # the key record() uses in an autograd node's metadata dict
_OPERAND_KWARGS = ("input", "self", "other", "exponent", "tensors")
_recorder = []                   # the TorchFunctionMode subclass, made on the first record()


class _Call:
    """What record() kept of one call: its constant operands in call order
    (a Python number as (None, value); a tensor without grad as (tensor,
    its value then, or None when it has several elements)) and the value
    of its result (None unless it has one element)."""

    __slots__ = ("consts", "value")

    def __init__(self, consts, value):
        self.consts = consts
        self.value = value


def _call_operands(args, kwargs):
    """The operands of a call: the elements of its sequence argument
    (torch.stack's list: its dim is no operand), else its positional
    arguments and the keyword arguments that name operands."""
    items = list(args) + [kwargs[k] for k in _OPERAND_KWARGS if k in kwargs]
    for a in items:
        if isinstance(a, (list, tuple)):
            return list(a)
    return items


def _note_call(args, kwargs, result):
    """Keeps a call's constants in its result's autograd node (the node's
    own metadata dict, so they live and die with the graph). The first
    call that made a node wins: x.contiguous() returns x and its node."""
    fn = getattr(result, "grad_fn", None) if _is_tensor(result) else None
    if fn is None:
        return
    meta = fn.metadata
    if _META_KEY in meta:
        return
    consts = []
    for a in _call_operands(args, kwargs):
        if _is_tensor(a):
            if not a.requires_grad:
                consts.append((a, float(a.item()) if a.numel() == 1 else None))
        elif isinstance(a, (int, float)):
            consts.append((None, float(a)))
    value = float(result.item()) if result.numel() == 1 else None
    meta[_META_KEY] = _Call(consts, value)


def _recorded(fn):
    """The _Call record() kept in fn, or None. Without a record() in this
    process no node's metadata is touched (reading it makes its dict)."""
    if not _recorder:
        return None
    try:
        return fn.metadata.get(_META_KEY)
    except (AttributeError, RuntimeError):
        return None


def record():
    """A context manager that records the forward pass as it runs:

        with gradviz_export.record():
            loss = f(x)
        gradviz_export.write(loss, "loss.dot")

    Every PyTorch call made inside it keeps, in the autograd node of its
    result, the constants it was given (Python numbers and tensors without
    grad, exact) and its result's value. Export reads them: constants
    autograd does not save (the 0.5 of x - 0.5) are exact, and export
    works after backward() too. Needs PyTorch (TorchFunctionMode, 1.13+)."""
    if not _recorder:
        try:
            from torch.overrides import TorchFunctionMode
        except ImportError:
            raise ImportError("gradviz_export.record() needs PyTorch 1.13 or later "
                              "(torch.overrides.TorchFunctionMode)") from None

        class _Recorder(TorchFunctionMode):
            """Runs each call, then notes it (the mode is off inside this
            method: the calls that make up a call are not seen)."""

            def __torch_function__(self, func, types, args=(), kwargs=None):
                kwargs = kwargs or {}
                result = func(*args, **kwargs)
                try:
                    _note_call(args, kwargs, result)
                except (RuntimeError, ValueError, TypeError, AttributeError):
                    pass                # a tensor without values (meta): no record, same result
                return result

        _recorder.append(_Recorder)
    return _recorder[0]()


def _softplus_in_range(node):
    """PyTorch's softplus is x itself above its threshold (20), gradviz's
    is log(1 + e^x) everywhere: they differ there by e^-x, so such an input
    is refused rather than drawn with a gradient that is not torch's."""
    x = node.operands[0]
    x = x.value if x.op is None else x.data
    limit = getattr(node.obj, "_saved_threshold", 20)
    if x is not None and x > limit:
        raise ValueError("gradviz_export: SoftplusBackward0 at x = %r, above its threshold %r: "
                         "PyTorch computes x there, gradviz log(1 + e^x)" % (x, limit))


class _Torch:
    """The walk over one autograd graph: neutral nodes for its functions,
    its AccumulateGrad leaves and the constants its functions saved."""

    def __init__(self, root, names):
        self.names = names
        self.fn_node = {}       # id(grad_fn) -> _Node
        self.const_node = {}    # id(saved tensor) -> _Node, so a tensor used twice fans out
        self.keep = []          # every object whose id() is a key above stays alive
        self.known = {}         # id(grad_fn) -> value autograd saved for its output
        self.saved_grad = {}    # id(grad_fn) -> .grad of a retained saved tensor
        self.calls = {}         # id(grad_fn) -> its _Call from record(), or None
        self.taken = {}         # id(grad_fn) -> recorded constants the current expand took
        self.root = root

    def saved(self, fn, attr):
        """A saved tensor or number of fn (None when autograd kept none,
        _FREED when backward() has freed it), noting the value of the
        function whose output it is."""
        try:
            v = getattr(fn, attr, None)
        except RuntimeError:          # "Trying to backward through the graph a second time"
            return _FREED
        if _is_tensor(v) and v.grad_fn is not None and v.numel() == 1:
            # (a reduction saves its whole operand, the stack: its elements
            # are nodes of their own, their values noted where they are)
            self.keep.append(v.grad_fn)
            self.known[id(v.grad_fn)] = _scalar(v, "a saved tensor")
            if getattr(v, "retains_grad", False) and v.grad is not None:
                self.saved_grad[id(v.grad_fn)] = _finite(v.grad.item())
        return v

    def call(self, fn):
        """fn's _Call when record() saw the call that made it, else None
        (looked up once per node)."""
        if id(fn) not in self.calls:
            self.keep.append(fn)
            self.calls[id(fn)] = _recorded(fn)
        return self.calls[id(fn)]

    def recorded(self, fn):
        """The next constant operand of the call that made fn, in call
        order, as (tensor or None, value); None when there is no record
        or no constant left in it. Requests are counted: expand checks
        that they took the call's constants exactly."""
        call = self.call(fn)
        if call is None:
            return None
        i = self.taken.get(id(fn), 0)
        self.taken[id(fn)] = i + 1
        return call.consts[i] if i < len(call.consts) else None

    def constant(self, fn, attr):
        """A const leaf: the number the code passed when record() saw the
        call, else what fn saved; value None when neither is known
        (solved later from a saved result)."""
        kind = type(fn).__name__
        got = self.recorded(fn)
        if got is not None:
            v, value = got
            if value is None:               # a tensor of several elements: _scalar says so
                value = _scalar(v, "a constant of %s" % kind)
        else:
            v = self.saved(fn, attr) if attr else None
            if v is _FREED:
                raise _freed(kind)
            value = None if v is None else _scalar(v, "a constant saved by %s" % kind)
        key = (id(v), value)            # a tensor used twice is one node (same id, same value)
        if _is_tensor(v) and key in self.const_node:
            return self.const_node[key]
        node = _Node(v)
        node.role = "const"
        node.origin = "a constant of %s" % kind
        node.value = value if value is None else _scalar(value, "a constant of %s" % kind)
        if _is_tensor(v):
            self.keep.append(v)
            self.const_node[key] = node
            if id(v) in self.names:
                node.label, node.role = self.names[id(v)], "input"
        return node

    def operand(self, fn, i, attr):
        """Operand i of fn: the function feeding it, or a saved constant."""
        nxt = fn.next_functions
        if i < len(nxt) and nxt[i][0] is not None:
            return self.function(nxt[i][0])
        return self.constant(fn, attr)

    def function(self, fn):
        """The node for a grad_fn, made once (its operands are filled in by
        expand, from a work list: no recursion)."""
        node = self.fn_node.get(id(fn))
        if node is None:
            node = _Node(fn)
            node.origin = type(fn).__name__
            node.label = self.names.get(id(fn))
            self.fn_node[id(fn)] = node
            self.keep.append(fn)
            self.todo.append(node)
        return node

    def walk(self):
        """Every function reachable from the root's grad_fn, expanded."""
        self.todo = []
        root_node = self.leaf_tensor(self.root) if self.root.grad_fn is None \
            else self.function(self.root.grad_fn)
        if self.root.grad_fn is not None:
            self.known[id(self.root.grad_fn)] = _scalar(self.root, "the result")
            if getattr(self.root, "retains_grad", False) and self.root.grad is not None:
                self.saved_grad[id(self.root.grad_fn)] = _finite(self.root.grad.item())
        while self.todo:
            self.expand(self.todo.pop())
        for node in self.fn_node.values():
            if node.op is not None:
                node.data = self.known.get(id(node.obj))
                node.grad = self.saved_grad.get(id(node.obj), node.grad)
        for node in self.fn_node.values():
            if node.op == "softplus":
                _softplus_in_range(node)
        return root_node

    def leaf_tensor(self, t):
        """The root itself is a leaf tensor: a one-node graph."""
        node = _Node(t)
        node.role = "param" if t.requires_grad else "input"
        node.value = _scalar(t, "the result")
        node.label = self.names.get(id(t))
        node.grad = _finite(t.grad.item()) if t.grad is not None else None
        return node

    def expand(self, node):
        """Fills in a function node: its op and operands (the per-type
        table of what autograd saved where)."""
        fn, kind = node.obj, type(node.obj).__name__
        if kind == "AccumulateGrad":
            t = fn.variable
            node.role, node.value = "param", _scalar(t, "a parameter")
            node.label = self.names.get(id(t))
            node.grad = _finite(t.grad.item()) if t.grad is not None else None
            self.keep.append(t)
            return
        for attr in _saved_attrs(fn):     # every value autograd saved is a known value
            self.saved(fn, attr)
        call = self.call(fn)
        if call is not None and call.value is not None:
            self.known.setdefault(id(fn), call.value)
        alpha = getattr(fn, "_saved_alpha", 1)
        if alpha != 1:
            raise ValueError("gradviz_export: %s with alpha=%r (gradviz has no scaled add)"
                             % (kind, alpha))
        if getattr(fn, "_saved_beta", 1) != 1:
            raise ValueError("gradviz_export: %s with beta=%r (gradviz's softplus has beta 1)"
                             % (kind, fn._saved_beta))
        self.taken = {}
        node.op, node.operands = self.operands(fn, kind)
        if any(n != len(self.calls[k].consts) for k, n in self.taken.items()):
            # The call passed numbers that are not this node's operands (a
            # dim, a beta) besides its constants: which is which is a guess,
            # so only what autograd saved is used.
            for k in self.taken:
                self.calls[k] = None
            self.taken = {}
            node.op, node.operands = self.operands(fn, kind)

    def operands(self, fn, kind):
        """gradviz's op and the operands of one autograd node."""
        o = self.operand
        if kind in _TORCH_UNARY:
            return _TORCH_UNARY[kind], [o(fn, 0, None)]
        if kind in ("AddBackward0", "AddBackward1"):
            return "add", [o(fn, 0, None), o(fn, 1, "_saved_other")]
        if kind in ("SubBackward0", "SubBackward1"):
            return "sub", [o(fn, 0, None), o(fn, 1, "_saved_other")]
        if kind == "RsubBackward0":                # torch.rsub(a, b) = b - a
            return "sub", [o(fn, 1, None), o(fn, 0, None)]
        if kind == "RsubBackward1":                # 2 - a
            return "sub", [o(fn, 1, "_saved_other"), o(fn, 0, None)]
        if kind in ("MulBackward0", "MulBackward1", "DivBackward0", "DivBackward1"):
            op = "mul" if kind.startswith("Mul") else "div"
            return op, [o(fn, 0, "_saved_self"), o(fn, 1, "_saved_other")]
        if kind == "PowBackward1" and fn.next_functions[1][0] is None or kind == "PowBackward0":
            return "pow", self.pow_constant(fn, kind)
        if kind == "PowBackward1":
            return "pow", [o(fn, 0, "_saved_self"), o(fn, 1, "_saved_exponent")]
        if kind == "PowBackward2":                 # 2 ** x
            return "pow", [self.constant(fn, "_saved_self"), o(fn, 0, None)]
        if kind == "ReciprocalBackward0":
            return "pow", self.pow_constant(fn, kind, -1)
        if kind == "SumBackward0":
            return self.sum_operands(fn)
        if kind in ("MeanBackward0", "MeanBackward1", "LogsumexpBackward0"):
            return self.stacked_operands(fn, kind)
        if kind == "ClampBackward1":
            return self.clamp_operands(fn)
        raise ValueError("gradviz_export: %s is not an op gradviz_export exports; it exports %s"
                         % (kind, ", ".join(k for k in _TORCH_KNOWN if k != "AccumulateGrad")))

    def sum_operands(self, fn):
        """sum() of a 0-dim tensor is the tensor; sum() of torch.stack of
        0-dim tensors is an n-ary add of them (each a scalar of the graph).
        Any other sum is over elements the graph does not hold one by one."""
        sizes = tuple(getattr(fn, "_saved_self_sym_sizes", (0, 0)))
        if sizes == ():
            return "identity", [self.operand(fn, 0, None)]
        inner = fn.next_functions[0][0]
        if len(sizes) == 1 and type(inner).__name__ == "StackBackward0":
            return "add", [self.operand(inner, i, None) for i in range(len(inner.next_functions))]
        raise ValueError("gradviz_export: SumBackward0 over a tensor of shape %s is refused: "
                         "gradviz draws scalars, and gradviz_export exports sum() only of a 0-dim "
                         "tensor or of torch.stack([...]) of 0-dim tensors (an add of them)"
                         % (sizes,))

    def stacked_operands(self, fn, kind):
        """mean() and logsumexp() of torch.stack([...]) of 0-dim tensors:
        gradviz's n-ary mean and logsumexp of them; of a 0-dim tensor: the
        tensor itself (one operand). Over anything else the graph does not
        hold the elements one by one."""
        op = "mean" if kind.startswith("Mean") else "logsumexp"
        inner = fn.next_functions[0][0]
        if inner is not None and type(inner).__name__ == "StackBackward0":
            dims = getattr(fn, "_saved_dim", (0,))
            if tuple(dims) in ((0,), (-1,)) and not getattr(fn, "_saved_keepdim", False):
                return op, [self.operand(inner, i, None) for i in range(len(inner.next_functions))]
        sizes = tuple(getattr(fn, "_saved_self_sizes", getattr(fn, "_saved_self_sym_sizes", (0,))))
        if sizes == ():
            return op, [self.operand(fn, 0, None)]
        raise ValueError("gradviz_export: %s over a tensor of shape %s is refused: gradviz draws "
                         "scalars, and gradviz_export exports %s() only of torch.stack([...]) of "
                         "0-dim tensors" % (kind, sizes, op))

    def clamp_operands(self, fn):
        """torch.clamp(x, lo, hi) with number bounds: gradviz's clamp(x, lo,
        hi); with one bound, max(x, lo) or min(x, hi) (the same values and,
        away from the bound, the same derivative)."""
        lo, hi = getattr(fn, "_saved_min", None), getattr(fn, "_saved_max", None)
        bounds = []
        for v in (lo, hi):
            if v is None:
                bounds.append(None)
                continue
            node = _Node(None)
            node.role = "const"
            node.origin = "a bound of ClampBackward1"
            node.value = _scalar(v, "a bound of ClampBackward1")
            bounds.append(node)
        x = self.operand(fn, 0, None)
        if bounds[0] is not None and bounds[1] is not None:
            return "clamp", [x, bounds[0], bounds[1]]
        if bounds[0] is not None:
            return "max", [x, bounds[0]]
        if bounds[1] is not None:
            return "min", [x, bounds[1]]
        return "identity", [x]

    def pow_constant(self, fn, kind, k=None):
        """x ** k with k a constant: gradviz's one-operand pow, whose
        derivative needs no log of x."""
        got = self.recorded(fn) if k is None else None
        if got is not None:
            k = got[1] if got[1] is not None else _scalar(got[0], "the exponent of %s" % kind)
        elif k is None:
            k = self.saved(fn, "_saved_exponent")
            if k is _FREED:
                raise _freed(kind)
            k = _scalar(k, "the exponent of %s" % kind) if _is_tensor(k) else k
        text = _exponent_text(k)
        if text is None:
            raise ValueError("gradviz_export: %s has exponent %r" % (kind, k))
        node = self.fn_node[id(fn)]
        node.exponent = text
        return [self.operand(fn, 0, None)]


def _from_torch(root, names):
    """The neutral graph of a PyTorch 0-dim result, with every constant's
    value known."""
    if root.dim() != 0:
        raise ValueError("gradviz_export: the result has shape %s: export a 0-dim tensor "
                         "(a loss)" % (tuple(root.shape),))
    walk = _Torch(root, names)
    top = walk.walk()
    _solve_constants(top)
    return top, walk


# ------------------------------------------------- values of unsaved constants

def _forward(node, vals):
    """node's value from its operands' (None when one is unknown or the
    op is undefined there): what gradviz will compute, in Python."""
    xs = [vals.get(p) for p in node.operands]
    if any(x is None for x in xs):
        return None
    op = node.op
    try:
        if node.exponent is not None:
            return float(xs[0]) ** float(node.exponent)
        if op == "add":
            return math.fsum(xs) if len(xs) > 2 else xs[0] + xs[1]
        if op == "mul":
            r = 1.0
            for x in xs:
                r *= x
            return r
        simple = {
            "sub": lambda: xs[0] - xs[1], "div": lambda: xs[0] / xs[1],
            "pow": lambda: xs[0] ** xs[1], "exp": lambda: math.exp(xs[0]),
            "log": lambda: math.log(xs[0]), "tanh": lambda: math.tanh(xs[0]),
            "sigmoid": lambda: 1.0 / (1.0 + math.exp(-xs[0])),
            "relu": lambda: max(xs[0], 0.0), "neg": lambda: -xs[0],
            "sqrt": lambda: math.sqrt(xs[0]), "abs": lambda: abs(xs[0]),
            "sin": lambda: math.sin(xs[0]), "cos": lambda: math.cos(xs[0]),
            "identity": lambda: xs[0],
            "softplus": lambda: max(xs[0], 0.0) + math.log1p(math.exp(-abs(xs[0]))),
            "silu": lambda: xs[0] / (1.0 + math.exp(-xs[0])), "log1p": lambda: math.log1p(xs[0]),
            "mean": lambda: math.fsum(xs) / len(xs),
            "logsumexp": lambda: max(xs) + math.log(math.fsum(math.exp(x - max(xs)) for x in xs)),
        }
        if op not in simple:
            return None
        r = simple[op]()
        return r if isinstance(r, float) and math.isfinite(r) else None
    except (ArithmeticError, ValueError):
        return None


def _snap(x, scale):
    """A solved constant carries the rounding of the arithmetic that found
    it: the shortest decimal within 1e-13 of the numbers involved is the
    number the code most likely wrote (2, not 2.0000000000000004)."""
    tol = 1e-13 * scale
    for digits in range(1, 18):
        cand = float("%.*g" % (digits, x))
        if abs(cand - x) <= tol:
            return cand
    return x


# One-operand ops undone: the operand from the result autograd saved (a
# sigmoid saves its output, not its input x - 0.5).
_INVERSE = {
    "neg": lambda y: -y, "identity": lambda y: y, "exp": math.log, "log": math.exp,
    "tanh": math.atanh, "sigmoid": lambda y: math.log(y / (1.0 - y)),
    "sqrt": lambda y: y * y, "relu": lambda y: y if y > 0 else None,
}


def _solve_one(node, vals):
    """For a sum, a difference or an invertible one-operand op whose result
    is known: the one operand that is not. True when it found one."""
    out = vals.get(node)
    unknown = [p for p in node.operands if vals.get(p) is None]
    if out is None or len(unknown) != 1 or node.operands.count(unknown[0]) != 1 \
            or node.exponent is not None:
        return False
    u = unknown[0]
    others = [vals[p] for p in node.operands if p is not u]
    try:
        if node.op == "add":
            x = out - math.fsum(others)
        elif node.op == "sub":
            x = out + others[0] if node.operands[0] is u else others[0] - out
        elif node.op in _INVERSE:
            x = _INVERSE[node.op](out)
        else:
            return False
    except (ArithmeticError, ValueError):
        return False
    if x is None or not math.isfinite(x):
        return False
    vals[u] = _snap(x, max([abs(out), abs(x)] + [abs(v) for v in others])) if u.op is None else x
    return True


def _solve_constants(top):
    """Values of the constants autograd did not save, from the values it
    did (a saved result minus the other operand), repeated until nothing
    more is found. A constant still unknown is a ValueError."""
    order = _postorder(top, lambda n: n.operands)
    vals = {n: (n.value if n.op is None else n.data) for n in order}
    changed = True
    while changed:
        changed = False
        for n in order:
            if n.op is not None and vals[n] is None:
                vals[n] = _forward(n, vals)
                changed |= vals[n] is not None
        for n in reversed(order):
            if n.op is not None and _solve_one(n, vals):
                changed = True
    for n in order:
        if n.op is None and n.value is None:
            if vals.get(n) is None:
                raise ValueError("gradviz_export: %s was not saved by autograd and no saved "
                                 "value gives it: run the computation under record() (with "
                                 "gradviz_export.record(): loss = f(x)), which keeps every "
                                 "constant" % n.origin)
            n.value = vals[n]


# ------------------------------------------------------------- the DOT file

def _postorder(top, children):
    """Children before parents, each node once, in the order children()
    lists them: a deterministic topological order, without recursion."""
    order, done, stack = [], set(), [(top, 0)]
    on_stack = {top}
    while stack:
        node, i = stack.pop()
        kids = children(node) or []
        if i < len(kids):
            stack.append((node, i + 1))
            k = kids[i]
            if k not in done and k not in on_stack:
                on_stack.add(k)
                stack.append((k, 0))
            continue
        done.add(node)
        order.append(node)
    return order


def _assign_names(order):
    """DOT ids: a label used by one node only is its id; the others get a
    name from their kind and rank in topological order (p1, x1, c1, mul1),
    never a pointer, and none taken by a label."""
    counts = {}
    for n in order:
        if n.label is not None:
            counts[n.label] = counts.get(n.label, 0) + 1
    taken = {lab for lab, c in counts.items() if c == 1}
    rank = {}
    prefix = {"param": "p", "input": "x", "const": "c"}
    for n in order:
        if n.label is not None and counts[n.label] == 1:
            n.name = n.label
            continue
        kind = n.op if n.op is not None else prefix[n.role]
        while True:
            rank[kind] = rank.get(kind, 0) + 1
            name = "%s%d" % (kind, rank[kind])
            if name not in taken:
                break
        taken.add(name)
        n.name = name


def _quote(text):
    """A DOT string: quotes and backslashes escaped, line breaks as \\n."""
    return '"%s"' % (str(text).replace("\\", "\\\\").replace('"', '\\"')
                     .replace("\n", "\\n"))


def _node_line(n, is_output):
    """One node statement: gradviz's attributes, then the recorded ones."""
    attrs = []
    if n.op is None:
        attrs.append(("value", _full(n.value)))
        attrs.append(("role", n.role))
    else:
        attrs.append(("op", n.op))
        if n.exponent is not None:
            attrs.append(("exponent", n.exponent))
    if n.label is not None and n.label != n.name:
        attrs.append(("label", n.label))
    elif n.label is None and n.role == "const":
        attrs.append(("label", _short(n.value)))
    if n.op is not None and n.data is not None:
        attrs.append(("data", _full(n.data)))
    if n.grad is not None:
        attrs.append(("grad", _full(n.grad)))
    if is_output:
        attrs.append(("output", "true"))
    return "  %s [%s];" % (_quote(n.name), ", ".join(
        "%s=%s" % (k, _quote(v)) for k, v in attrs))


def _find_output(order, output):
    """The node marked as C: the root unless output= names another (by
    its name in the file, or as the object itself)."""
    if output is None:
        return order[-1]
    for n in order:
        if isinstance(output, str):
            if n.name == output:
                return n
        elif n.obj is output or (_is_tensor(output) and (
                n.obj is output.grad_fn or getattr(n.obj, "variable", None) is output)):
            return n
    raise ValueError("gradviz_export: output %r is not a node of the graph" % (output,))


def _dot_text(top, source, output):
    """The whole file, nodes in topological order, then each node's
    in-edges with their operand index."""
    order = _postorder(top, lambda n: n.operands)
    _assign_names(order)
    out = _find_output(order, output)
    lines = [
        "// written by gradviz_export from %s: values, and in `grad` and `data`" % source,
        "// the numbers the program recorded (gradviz check compares them).",
        'digraph "gradviz_export" {',
    ]
    lines += [_node_line(n, n is out) for n in order]
    for n in order:
        for k, p in enumerate(n.operands):
            lines.append("  %s -> %s [arg=%d];" % (_quote(p.name), _quote(n.name), k))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _name_map(names):
    """names= ({name: object}) as {id(object): name}, and the objects to
    keep alive while those ids are used. A tensor that is an op's result
    names its grad_fn (the node the walk meets)."""
    out, keep = {}, []
    for name, obj in dict(names or {}).items():
        if not isinstance(name, str):
            raise ValueError("gradviz_export: names maps a name (str) to an object")
        out[id(obj)] = name
        if _is_tensor(obj) and obj.grad_fn is not None:
            keep.append(obj.grad_fn)
            out[id(keep[-1])] = name
    return out, keep


def to_dot(root, output=None, names=None, params=None):
    """The gradviz DOT text of the graph that computed root: a 0-dim torch
    tensor or a micrograd-style Value. output: the node that is C when it
    is not root (the object, or its name in the file); names: {name: obj}
    for nodes without a label; params: the leaves that are params (the
    others are inputs), for Value graphs."""
    name_map, keep = _name_map(names)
    if _is_tensor(root):
        top, walk = _from_torch(root, name_map)
        text = _dot_text(top, "a PyTorch autograd graph", output)
        del walk, keep
        return text
    if not _is_value_node(root):
        raise ValueError("gradviz_export: %r is neither a torch tensor nor a Value "
                         "(data, grad, _prev, _op)" % (type(root).__name__,))
    param_ids = None if params is None else {id(p) for p in params}
    top = _from_values(root, name_map, param_ids)
    return _dot_text(top, "a micrograd-style Value graph", output)


def _write_atomic(path, text):
    """The file whole or not at all: a temporary beside it, renamed over
    it (an old file stays until the new one is complete)."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                               dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write(root, path, output=None, names=None, params=None):
    """Writes to_dot(root, ...) to path, atomically."""
    _write_atomic(path, to_dot(root, output=output, names=names, params=params))


def _option_args(options):
    """render's keyword options as gradviz's: show="recorded" is
    --show recorded, dpi=200 is --dpi 200, a True flag stands alone."""
    args = []
    for key in sorted(options):
        value = options[key]
        if value is None or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        if value is True:
            args.append(flag)
        elif isinstance(value, (list, tuple)):
            args += [flag, ",".join(str(v) for v in value)]
        else:
            args += [flag, str(value)]
    return args


def find_gradviz(gradviz=None):
    """The gradviz program to run: the one given, else $GRADVIZ, else
    gradviz on PATH, else the one scripts/setup.sh built in the source
    tree (TREE/gradviz, TREE/build/normal/gradviz), else bin/gradviz of
    the prefix this module is installed under (PREFIX/share/gradviz/python).
    GradvizError when there is none, saying how to get one."""
    if gradviz:
        return os.fspath(gradviz)
    env = os.environ.get("GRADVIZ")
    if env:
        return env
    on_path = shutil.which("gradviz")
    if on_path:
        return on_path
    here = os.path.dirname(os.path.abspath(__file__))
    trees = [t for t in (_SOURCE_TREE, os.path.dirname(here)) if t]
    candidates = [os.path.join(t, *p) for t in trees
                  for p in (("gradviz",), ("build", "normal", "gradviz"))]
    candidates.append(os.path.join(here, os.pardir, os.pardir, os.pardir, "bin", "gradviz"))
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return os.path.normpath(c)
    raise GradvizError("cannot find gradviz: put it on PATH, set GRADVIZ=/path/to/gradviz, "
                       "pass gradviz=..., or build it with scripts/setup.sh")


def _run(gradviz, args, stdin_text=None):
    """Runs gradviz with args; GradvizError with its message on failure."""
    exe = find_gradviz(gradviz)
    try:
        r = subprocess.run([exe] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           input=None if stdin_text is None else stdin_text.encode("utf-8"))
    except OSError as e:
        raise GradvizError("cannot run %s: %s" % (exe, e.strerror or e)) from None
    if r.returncode != 0:
        message = r.stderr.decode("utf-8", "replace").strip()
        raise GradvizError(message or "%s exited with status %d" % (exe, r.returncode))
    return r


def render(root, out_path, gradviz=None, output=None, names=None, params=None,
           **options):
    """Draws root's graph with gradviz (find_gradviz; the DOT on its
    standard input); a failure raises GradvizError with gradviz's message."""
    text = to_dot(root, output=output, names=names, params=params)
    _run(gradviz, ["render", "-", "-o", os.fspath(out_path)] + _option_args(options), text)
    return out_path


class Figure:
    """A figure a notebook shows inline: _repr_svg_ is the figure (SVG with
    real text, its ids unique to what it draws, so figures never clash in
    one page), _repr_html_ the page to step through and question, whole in
    an iframe's srcdoc (no file, no network: Jupyter and VS Code show it
    offline). .svg and .html hold the texts; save() writes one."""

    def __init__(self, svg, page, name="graph", height=600):
        self.svg = svg
        self.html = page
        self.name = name
        self.height = height

    def _repr_svg_(self):
        # a slide's figure (960 pt) is wider than a notebook's column:
        # scaled down to it, keeping its aspect (the viewBox)
        return self.svg.replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1)

    def _repr_html_(self):
        return ('<iframe title="gradviz: %s" srcdoc="%s" style="width:100%%;height:%dpx;'
                'border:1px solid #ddd" loading="lazy"></iframe>'
                % (html.escape(self.name), html.escape(self.html, quote=True), self.height))

    def save(self, path):
        """Writes the SVG (.svg) or the page (.html), atomically."""
        path = os.fspath(path)
        if path.lower().endswith((".html", ".htm")):
            _write_atomic(path, self.html)
        elif path.lower().endswith(".svg"):
            _write_atomic(path, self.svg)
        else:
            raise ValueError("save() writes .svg or .html, not %r" % path)
        return path


def show(x, gradviz=None, output=None, names=None, params=None, height=600, **options):
    """The figure of x for a notebook (a Figure: SVG inline, the stepping
    page as HTML). x is a micrograd-style Value, a 0-dim PyTorch tensor,
    or a graph file (.dot, .gv, .expr: a str or a path). Options are
    render's, as keywords: page="beamer169", expand="none",
    show="values,grads", steps_by="layer", style="print"."""
    if isinstance(x, (str, bytes, os.PathLike)):
        path = os.fsdecode(x)
        name = os.path.basename(path)
        for suffix in (".dot", ".gv", ".expr"):
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[:-len(suffix)]
        source, text = path, None
    else:
        name, source = "graph", "-"
        text = to_dot(x, output=output, names=names, params=params)
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name) or "graph"
    with tempfile.TemporaryDirectory(prefix="gradviz-show.") as tmp:
        svg = os.path.join(tmp, safe + ".svg")
        page = os.path.join(tmp, safe + ".html")
        args = ["render", source, "-o", svg, "-o", page] + _option_args(options)
        if text is None and output is not None:
            args += ["--output", str(output)]
        _run(gradviz, args, text)
        with open(svg, encoding="utf-8") as f:
            svg_text = f.read()
        with open(page, encoding="utf-8") as f:
            page_text = f.read()
    return Figure(svg_text, page_text, name, height)
