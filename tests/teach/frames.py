#!/usr/bin/env python3
"""`gradviz render --steps`: the number of frames is forward steps (op nodes)
plus backward steps (nodes reaching the output); the PDF has one page a
frame; the pages show only what is known at each step (read back with
pdftotext). Prints TAP."""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

GRADVIZ = os.environ.get("GRADVIZ", "gradviz")
EX = os.path.join(os.environ.get("GDV_SRCDIR", "."), "examples")
tests = []


def t(ok, what):
    tests.append((bool(ok), what))


def run(*args):
    return subprocess.run([GRADVIZ] + list(args), capture_output=True, text=True)


def pages(pdf):
    r = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return -1


def page_text(pdf, k):
    r = subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), "-raw", pdf, "-"],
                       capture_output=True, text=True)
    return r.stdout


with tempfile.TemporaryDirectory() as tmp:
    # A side branch (u -> v) that does not reach the output: v is a forward
    # step, but neither u nor v is a backward step.
    os.mkdir(os.path.join(tmp, "src"))
    side = os.path.join(tmp, "src", "side.dot")
    with open(side, "w") as f:
        f.write("digraph { a [value=2]; u [value=1]; v [op=exp]; c [op=square, output=true];"
                " a -> c; u -> v; }\n")
    names = ["ab-b1.dot", "neuron.expr", "x-squared.dot", "relu-dead.dot",
             "softmax-xent.expr", side]
    for name in names:
        path = os.path.join(EX, name)
        doc = json.loads(run("eval", "--format", "json", path).stdout)
        fwd = sum(1 for n in doc["nodes"] if n["op"] is not None)
        bwd = sum(1 for n in doc["nodes"] if n["reaches_output"])
        name = os.path.basename(name)
        d = os.path.join(tmp, name)
        # every node drawn (--expand all): a step per operation forward and
        # per node reaching the output backward, as eval counts them
        r = run("render", path, "--expand", "all", "--steps", d)
        t(r.returncode == 0, "%s: render --steps exits 0 (%s)" % (name, r.stderr.strip()))
        frames = sorted(glob.glob(os.path.join(d, "frame-*.png")))
        t(len(frames) == fwd + bwd, "%s: %d PNG frames = %d forward + %d backward"
          % (name, len(frames), fwd, bwd))
        t(frames and os.path.basename(frames[0]) == "frame-001.png",
          "%s: frames are numbered from frame-001" % name)
        t(pages(os.path.join(d, "frames.pdf")) == fwd + bwd,
          "%s: frames.pdf has %d pages" % (name, fwd + bwd))
        t("%d frames" % (fwd + bwd) in r.stdout, "%s: says how many frames" % name)

    t(pages(os.path.join(tmp, "side.dot", "frames.pdf")) == 2 + 2,
      "an unreached branch: 2 forward (v, c) + 2 backward (c, a) steps")

    # the default frames step through the figure as drawn: a step per
    # drawn operation or statement forward, per drawn node reaching the
    # output backward (softmax-xent's statements as their equations)
    sx = os.path.join(EX, "softmax-xent.expr")
    fig = os.path.join(tmp, "sx.json")
    run("render", sx, "-o", os.path.join(tmp, "sx.png"), "--dump-layout", fig)
    with open(fig, encoding="utf-8") as f:
        nodes = json.load(f)["nodes"]
    want = sum(n["kind"] == "op" for n in nodes) + sum(not n["greyed"] for n in nodes)
    r = run("render", sx, "--steps", os.path.join(tmp, "sx"))
    t("%d frames" % want in r.stdout and
      pages(os.path.join(tmp, "sx", "frames.pdf")) == want,
      "softmax-xent: %d frames, the figure's %d nodes stepped through (%s)" % (
          want, len(nodes), r.stdout.strip()))

    # (a+b)*(b+1): topological order a, b, one, c, d, e; 3 forward steps
    # (c, d, e), then backward e, d, c, one, b, a.
    pdf = os.path.join(tmp, "ab-b1.dot", "frames.pdf")
    p = [None] + [page_text(pdf, k) for k in range(1, 10)]
    t(p[1].startswith("step 1 of 9 \u2014 forward: c = 3"), "page 1 computes c = 3")
    t("value 2\n" in p[1] and "value 3" in p[1] and "value 6" not in p[1],
      "page 1 shows the leaves and c, not e")
    grad_lines = [ln for k in (1, 2, 3) for ln in p[k].splitlines()
                  if re.match("^(\u2202C/\u2202\\w+|grad) = |^grad ", ln)]
    t(grad_lines == [], "the forward pages show no gradient (%r)" % grad_lines)
    t("value 6" in p[3] and "forward: e = 6" in p[3], "page 3 computes e")
    t(p[4].startswith("step 4 of 9 \u2014 backward: \u2202C/\u2202e = 1")
      and "\u2202C/\u2202d" not in p[4] and "\u2202C/\u2202b" not in p[4],
      "page 4 seeds dC/de = 1 and nothing below it yet")
    t("local 2\ngrad 2" in p[4] or ("local 2" in p[4] and "grad 2" in p[4]),
      "page 4 shows the locals of e's in-edges")
    t("\u2202C/\u2202b = ? + 3" in p[5], "page 5: b's sum has the term from d only")
    t("\u2202C/\u2202b = 2 + 3\n" in p[6] and "\u2202C/\u2202b = 2 + 3 = 5\n" not in p[6]
      and "\u2202C/\u2202b = 2 + 3 = 5 (complete)" in p[6],
      "page 6: both terms arrived, the title adds them up, b's total waits for its own step")
    b_page = [k for k in range(1, 10) if "backward: \u2202C/\u2202b = 2 + 3 = 5" in p[k]]
    t(b_page == [8], "b's own step is page 8 (%r)" % b_page)
    t(b_page and "\u2202C/\u2202b = 2 + 3 = 5" in p[b_page[0]], "b's step shows the total")
    t("\u2202C/\u2202a = 2" in p[9] and "\u2202C/\u2202a" not in p[8],
      "the last page is a's gradient, not shown before")

    # x*x: both terms come from the one consumer m at once.
    pdf = os.path.join(tmp, "x-squared.dot", "frames.pdf")
    t("\u2202C/\u2202x = 3 + 3\n" in page_text(pdf, 2), "x*x: m's step brings both terms")
    t("\u2202C/\u2202x = 3 + 3 = 6" in page_text(pdf, 3), "x*x: x's step adds them up")

    # SVG frames, PDF only, stale frames removed, both a figure and frames.
    d = os.path.join(tmp, "svg")
    r = run("render", os.path.join(EX, "x-squared.dot"), "--steps", d, "--format", "svg")
    t(r.returncode == 0 and sorted(os.listdir(d)) ==
      ["frame-001.svg", "frame-002.svg", "frame-003.svg", "frames.pdf"],
      "--format svg writes SVG frames and the PDF (%s)" % sorted(os.listdir(d)))
    d = os.path.join(tmp, "pdf")
    r = run("render", os.path.join(EX, "x-squared.dot"), "--steps", d, "--format", "pdf")
    t(r.returncode == 0 and os.listdir(d) == ["frames.pdf"], "--format pdf writes only frames.pdf")
    d = os.path.join(tmp, "stale")
    run("render", os.path.join(EX, "neuron.expr"), "--steps", d)
    r = run("render", os.path.join(EX, "x-squared.dot"), "--steps", d, "-o",
            os.path.join(tmp, "x.png"))
    t(r.returncode == 0 and sorted(os.listdir(d)) ==
      ["frame-001.png", "frame-002.png", "frame-003.png", "frames.pdf"],
      "a shorter run removes the frames of a longer one")
    t(os.path.getsize(os.path.join(tmp, "x.png")) > 0, "-o with --steps also draws the figure")
    t(not [f for f in os.listdir(d) if f.endswith(".tmp")], "no temporaries left")

    # Same input, same bytes (frames and the PDF with its fixed date).
    d2 = os.path.join(tmp, "again")
    run("render", os.path.join(EX, "ab-b1.dot"), "--steps", d2)
    same = all(open(os.path.join(tmp, "ab-b1.dot", f), "rb").read() ==
               open(os.path.join(d2, f), "rb").read()
               for f in ("frames.pdf", "frame-001.png", "frame-005.png", "frame-009.png"))
    t(same, "a second run writes the same bytes")

    # Limits and errors.
    big = os.path.join(tmp, "big.expr")
    with open(big, "w") as f:
        f.write("x0 = 0.5\n")
        for i in range(1, 1002):
            f.write("x%d = sin(x%d)\n" % (i, i - 1))
    r = run("render", big, "--expand", "all", "--steps", os.path.join(tmp, "big"))
    t(r.returncode == 2 and "2003 steps (1001 forward, 1002 backward)" in r.stderr
      and not os.path.exists(os.path.join(tmp, "big", "frames.pdf")),
      "too many steps is refused (%s)" % r.stderr.strip())
    r = run("render", os.path.join(EX, "x-squared.dot"), "--steps",
            os.path.join(tmp, "dot"), "--format", "dot")
    t(r.returncode == 2 and "--steps" in r.stderr, "--steps with --format dot is refused")

print("1..%d" % len(tests))
for i, (ok, what) in enumerate(tests, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, " ".join(str(what).split())))
