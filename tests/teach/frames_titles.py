#!/usr/bin/env python3
"""`gradviz render --steps --dump-layout F`: every frame's layout. Each
backward title writes the chain rule with the names the figure draws, each
fan-out the sum so far; an edge keeps its colour once its gradient is shown
(no pale/saturated flicker); every frame has one size; each frame's legend
names what that frame shows. Prints TAP."""
import json
import os
import subprocess
import tempfile

GRADVIZ = os.environ.get("GRADVIZ", "gradviz")
EX = os.path.join(os.environ.get("GDV_SRCDIR", "."), "examples")
tests = []


def t(ok, what):
    tests.append((bool(ok), what))


def frames(tmp, name, *extra):
    d = os.path.join(tmp, os.path.basename(name) + "-" + "".join(extra).strip("-"))
    dump = d + ".json"
    r = subprocess.run([GRADVIZ, "render", os.path.join(EX, name), "--steps", d,
                        "--dump-layout", dump] + list(extra), capture_output=True, text=True)
    t(r.returncode == 0, "%s: --steps with --dump-layout exits 0 (%s)" % (name, r.stderr.strip()))
    try:
        return json.load(open(dump, encoding="utf-8"))["frames"]
    except (OSError, ValueError, KeyError):
        return []


def title(fr):
    return "\n".join(x["text"] for x in fr["texts"] if x["owner"] == "title")


def legend(fr):
    return [x["text"] for x in fr["texts"] if x["owner"] == "legend"]


NEURON = [
    "step 1 of 13 \u2014 forward: x1\u00b7w1 = \u22126",
    "step 2 of 13 \u2014 forward: x2\u00b7w2 = 0",
    "step 3 of 13 \u2014 forward: n = 0.8814",
    "step 4 of 13 \u2014 forward: o = 0.7071",
    "step 5 of 13 \u2014 backward: \u2202C/\u2202o = 1",
    "step 6 of 13 \u2014 backward: \u2202C/\u2202n = \u2202C/\u2202o \u00b7 \u2202o/\u2202n = 1 \u00d7 0.5 = 0.5",
    "step 7 of 13 \u2014 backward: \u2202C/\u2202(x2\u00b7w2) = \u2202C/\u2202n \u00b7 \u2202n/\u2202(x2\u00b7w2) = 0.5 \u00d7 1 = 0.5",
    "step 8 of 13 \u2014 backward: \u2202C/\u2202(x1\u00b7w1) = \u2202C/\u2202n \u00b7 \u2202n/\u2202(x1\u00b7w1) = 0.5 \u00d7 1 = 0.5",
    "step 9 of 13 \u2014 backward: \u2202C/\u2202b = \u2202C/\u2202n \u00b7 \u2202n/\u2202b = 0.5 \u00d7 1 = 0.5",
    "step 10 of 13 \u2014 backward: \u2202C/\u2202w2 = \u2202C/\u2202(x2\u00b7w2) \u00b7 \u2202(x2\u00b7w2)/\u2202w2 = 0.5 \u00d7 0 = 0",
    "step 11 of 13 \u2014 backward: \u2202C/\u2202w1 = \u2202C/\u2202(x1\u00b7w1) \u00b7 \u2202(x1\u00b7w1)/\u2202w1 = 0.5 \u00d7 2 = 1",
    "step 12 of 13 \u2014 backward: \u2202C/\u2202x2 = \u2202C/\u2202(x2\u00b7w2) \u00b7 \u2202(x2\u00b7w2)/\u2202x2 = 0.5 \u00d7 1 = 0.5",
    "step 13 of 13 \u2014 backward: \u2202C/\u2202x1 = \u2202C/\u2202(x1\u00b7w1) \u00b7 \u2202(x1\u00b7w1)/\u2202x1 = 0.5 \u00d7 (\u22123) = \u22121.5",
]

FAN_OUT = {
    6: "step 6 of 10 \u2014 backward: \u2202C/\u2202r = \u2202C/\u2202L \u00b7 \u2202L/\u2202r = 1 \u00d7 1 = 1\n"
       "\u2202C/\u2202x = \u22121 (so far)",
    7: "step 7 of 10 \u2014 backward: \u2202C/\u2202q = \u2202C/\u2202L \u00b7 \u2202L/\u2202q = 1 \u00d7 1 = 1\n"
       "\u2202C/\u2202x = 12 + (\u22121) (so far) = 11",
    8: "step 8 of 10 \u2014 backward: \u2202C/\u2202p = \u2202C/\u2202L \u00b7 \u2202L/\u2202p = 1 \u00d7 1 = 1\n"
       "\u2202C/\u2202x = 3 + 12 + (\u22121) = 14 (complete)",
    10: "step 10 of 10 \u2014 backward: \u2202C/\u2202x = 3 + 12 + (\u22121) = 14",
}


def colours_constant(frs, name):
    """Per edge, the colours it is drawn in on the frames where its
    gradient label shows and it is not the current step's in-edge."""
    seen = {}
    for fr in frs:
        shown = {x["index"] for x in fr["texts"]
                 if x["owner"] == "edge" and x["text"].startswith("grad ")}
        for e in fr["edges"]:
            if e["index"] in shown and not e["highlight"]:
                seen.setdefault(e["index"], set()).add(e["colour"])
    bad = {k: v for k, v in seen.items() if len(v) > 1}
    t(seen and not bad, "%s: an edge keeps its flow colour once its gradient is shown %r"
      % (name, bad))


with tempfile.TemporaryDirectory() as tmp:
    frs = frames(tmp, "neuron.expr")
    got = [title(fr) for fr in frs]
    t(len(got) == 13, "neuron: 13 frames dumped (%d)" % len(got))
    for k, want in enumerate(NEURON):
        t(k < len(got) and got[k] == want, "neuron frame %d title %r (got %r)"
          % (k + 1, want, got[k] if k < len(got) else None))
    colours_constant(frs, "neuron")
    t(len({(fr["width"], fr["height"]) for fr in frs}) == 1,
      "neuron: every frame has one size %r" % sorted({(fr["width"], fr["height"]) for fr in frs}))
    t(len({tuple((n["x"], n["y"]) for n in fr["nodes"]) for fr in frs}) == 1,
      "neuron: no node moves from frame to frame")
    fwd, bwd = legend(frs[0]) if frs else [], legend(frs[5]) if len(frs) > 5 else []
    t("forward pass" in fwd and "this step" in fwd and "backward pass" not in fwd
      and "local" not in fwd and "|grad|" not in fwd,
      "neuron frame 1: the legend names values and the current step only (%r)" % fwd)
    t(all(w in bwd for w in ("forward pass", "backward pass", "local", "grad", "|grad|", "this step")),
      "neuron frame 6: the legend names gradients, locals and the flow (%r)" % bwd)
    t(all(fr["legend"]["h"] <= 0.2 * fr["height"] for fr in frs),
      "neuron: every frame's legend takes at most 20% of its height")

    frs = frames(tmp, "fan-out.expr", "--expand", "all")
    got = [title(fr) for fr in frs]
    for k, want in FAN_OUT.items():
        t(len(got) >= k and got[k - 1] == want, "fan-out frame %d title %r (got %r)"
          % (k, want, got[k - 1] if len(got) >= k else None))
    colours_constant(frs, "fan-out")
    t(len(frs) > 6 and "not yet" in legend(frs[5]) and "not yet" not in legend(frs[9]),
      "fan-out: '? not yet' is in the legend while a sum waits for terms, not after")

    frs = frames(tmp, "ab-b1.dot")
    got = [title(fr) for fr in frs]
    t(len(got) > 6 and got[6] == "step 7 of 9 \u2014 backward: \u2202C/\u2202(1) = "
      "\u2202C/\u2202d \u00b7 \u2202d/\u2202(1) = 3 \u00d7 1 = 3",
      "ab-b1: the constant drawn as 1 is named 1, not its id one (%r)" % (got[6:7],))
    colours_constant(frs, "ab-b1")

    # x*...*x, twelve parallel edges drawn as one: a group is "12 × t",
    # a sum of twelve terms, so its total shows
    p12 = os.path.join(tmp, "p12.expr")
    with open(p12, "w") as f:
        f.write("x = 1.1\ny = %s\noutput y\n" % "*".join(["x"] * 12))
    frs = frames(tmp, p12, "--expand", "all")
    got = [title(fr) for fr in frs]
    t(got[1:2] == ["step 2 of 3 \u2014 backward: \u2202C/\u2202y = 1\n"
                   "\u2202C/\u2202x = 12 \u00d7 2.853 = 34.24 (complete)"],
      "x to the 12th: the merged edges' sum so far is 12 \u00d7 t and its total (%r)" % got[1:2])

    frs = frames(tmp, "x-squared.dot", "--legend", "side")
    t(frs and all(fr["legend"]["place"] == "side" for fr in frs)
      and all(fr["legend"]["x"] >= max(n["x"] + n["w"] for n in fr["nodes"]) for fr in frs),
      "--legend side reaches the frames: the legend is right of every node")
    frs = frames(tmp, "x-squared.dot", "--legend", "none")
    t(frs and all(not legend(fr) and fr["legend"]["place"] == "none" for fr in frs),
      "--legend none reaches the frames: no legend text")

print("1..%d" % len(tests))
for i, (ok, what) in enumerate(tests, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, " ".join(str(what).split())))
