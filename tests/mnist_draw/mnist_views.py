#!/usr/bin/env python3
"""mnist_views.py: issue 21's MNIST views, each as a teacher would make it.
Prints TAP; run by tests/mnist_draw/mnist-views.sh (GRADVIZ, GDV_SRCDIR).

  slides     each view (the default, --weights trained, --expand layer,
             --activation relu --cost cross-entropy, --focus-unit 1:3,
             --expand units,scalar,units, --sum-terms all, --show-units
             8,6,10) as PNG, SVG and PDF on the default page: a 1920x1080
             PNG, a 960x540 pt SVG and one-page PDF, passing the slide
             checks render figures pass (tests/render/plan/legible.py: text at
             18 px/em, no text over text, no edge through a foreign box, at
             most 5% short label sides, a legend of at most 20%), every
             written-out sum adding up as printed, in under MAX_SECONDS;
  focus      --focus-unit 1:3 is the unit alone: its 784 terms as 28x28
             pictures, its largest terms and the exact sum of the rest;
  softmax    every softmax output shown as a lies in [0, 1], and with all
             ten shown they add up to 1 (as printed, within rounding);
  document   --show-units all -o x.pdf is one page of the figure's own size,
             not blank, holding every input's value (pdftotext);
  poster     --page a1 -o p.pdf: A1 pages, none blank, each with its page
             line, the figure's text at 9 pt or more (pdftotext -bbox).
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

SRC = os.environ.get("GDV_SRCDIR", ".")
GRADVIZ = os.environ.get("GRADVIZ", "./gradviz")
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(SRC, "tests", "render", "plan"))
sys.path.insert(0, os.path.join(SRC, "tests", "data", "mnist"))
import legible  # noqa: E402
import figure_check  # noqa: E402

MAX_SECONDS = 10.0
VIEWS = [
    ("default", []),
    ("trained", ["--weights", "trained"]),
    ("layer", ["--expand", "layer"]),
    ("softmax", ["--activation", "relu", "--cost", "cross-entropy"]),
    ("focus", ["--focus-unit", "1:3"]),
    ("scalar", ["--expand", "units,scalar,units"]),
    ("all-terms", ["--sum-terms", "all"]),
    ("units-8-6-10", ["--show-units", "8,6,10"]),
]
SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tap as taplib  # noqa: E402 - every test's TAP lines (tests/tap.py)


def tap(ok, name, detail=()):
    """A case with its reasons as a list (one # line each after a failure)."""
    taplib.ok(ok, name, "\n".join(str(x) for x in list(detail)[:6]))


def mnist(args, out, dump=None):
    """gradviz mnist ARGS -o OUT [--dump-layout DUMP]: (status, stderr, seconds)."""
    cmd = [GRADVIZ, "mnist"] + args + ["-o", out] + (["--dump-layout", dump] if dump else [])
    t0 = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return r.returncode, r.stderr.decode(), time.monotonic() - t0


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    return struct.unpack(">II", head[16:24])


def pdf_boxes(path):
    with open(path, "rb") as f:
        data = f.read()
    return re.findall(rb"/MediaBox \[ *([0-9.]+) +([0-9.]+) +([0-9.]+) +([0-9.]+) *\]", data)


def svg_size(path):
    with open(path, encoding="utf-8") as f:
        head = f.read(4000)
    m = re.search(r'<svg[^>]*\swidth="([0-9.]+)pt"[^>]*\sheight="([0-9.]+)pt"', head)
    return (float(m.group(1)), float(m.group(2))) if m else None


def slides(T):
    for name, args in VIEWS:
        for fmt in ("png", "svg", "pdf"):
            out = os.path.join(T, "%s.%s" % (name, fmt))
            dump = out + ".json"
            rc, err, secs = mnist(args, out, dump)
            what = "%s (%s) as %s" % (name, " ".join(args) or "no options", fmt.upper())
            if rc != 0:
                tap(False, "%s: renders" % what, [err])
                continue
            if fmt == "png":
                page = png_size(out) == (1920, 1080)
            elif fmt == "svg":
                page = svg_size(out) == (960.0, 540.0)
            else:
                boxes = pdf_boxes(out)
                page = len(boxes) == 1 and [float(x) for x in boxes[0]] == [0, 0, 960, 540]
            m = legible.measure(dump)
            bad = ["%s: %s" % (t, "; ".join(o[:2])) for t, ok, o in m["tests"] if not ok]
            d = json.load(open(dump, encoding="utf-8"))
            wrong, sums = figure_check.sums(d)
            bad += ["sum: %s" % s for s in wrong]
            if not page:
                bad.append("not on the 960x540 pt slide page")
            if secs > MAX_SECONDS:
                bad.append("took %.1f s" % secs)
            print("# %-13s %s: %.2f s, %.1f px/em, %d sums" % (name, fmt, secs, m["px_per_em"], sums))
            tap(not bad and not err, "%s: on the slide page and legible there (%.1f px/em), "
                "sums add up" % (what, m["px_per_em"]), bad + ([err] if err else []))


def focus(T):
    d = json.load(open(os.path.join(T, "focus.png.json"), encoding="utf-8"))
    grids = [it for it in d.get("items", []) if "px_w" in it and it["px_w"] == 28] \
        if d.get("items") and "px_w" in d["items"][0] else None
    texts = [t["text"] for t in d["texts"] if t["owner"] == "node"]
    terms = [t for t in texts if re.match(r"w¹₃,[₀-₉]+ · x[₀-₉]+$", t)]
    rest = [t for t in texts if re.match(r"⋯ [0-9]+ more terms$", t)]
    ids = [nd.get("id") for nd in d["nodes"]]
    n_more = int(rest[0].split()[1]) if rest else -1
    ok = ("a1_3" in ids and len(terms) >= 3 and n_more == 784 - len(terms) and
          (grids is None or len(grids) == 4))
    tap(ok, "--focus-unit 1:3: the unit alone, its %d largest terms written out, "
        "the other %d as one exact sum" % (len(terms), n_more), [ids[:5], terms[:3], rest])
    items = [t["text"] for t in d["texts"] if t["owner"] == "item"]
    want = ["x: the digit (1)", "w: its 784 weights", "w·x: its 784 terms", "∂C/∂w = x · ∂C/∂z"]
    tap(all(w in items for w in want), "--focus-unit 1:3: the 784 inputs, weights, terms "
        "and gradients as pictures", items)


def softmax(T):
    for args in ([], ["--show-units", "6,5,10"]):
        name = "softmax%s" % ("-all" if args else "")
        out = os.path.join(T, name + ".png")
        rc, err, _ = mnist(["--activation", "relu", "--cost", "cross-entropy"] + args, out,
                           out + ".json")
        d = json.load(open(out + ".json", encoding="utf-8")) if rc == 0 else {"texts": [], "nodes": []}
        outputs = {nd["index"] for nd in d["nodes"] if re.match(r"a2_[0-9]+$", nd.get("id", ""))}
        shown = []
        for t in d["texts"]:
            m = re.match(r"a = (?:softmax\(z\) = )?(.*)$", t["text"])
            if m and t["owner"] == "node" and t["index"] in outputs:
                shown.append(figure_check.number(m.group(1)))
        out_of = [str(a) for a in shown if not 0 <= a <= 1]
        tap(rc == 0 and len(shown) >= 5 and not out_of,
            "relu, cross-entropy%s: every softmax output shown as a is in [0, 1] (%d shown)"
            % (" " + " ".join(args) if args else "", len(shown)), out_of or [err])
        if args:
            total = sum(shown)
            tap(len(shown) == 10 and abs(total - 1) <= 10 * 0.0005,
                "relu, cross-entropy, all ten outputs: a adds up to 1 (%s)" % total)


def digit_values():
    """Pixel k of the first installed test digit, as the inputs hold it."""
    with open(os.path.join(SRC, "examples", "mnist", "test100-images-idx3-ubyte"), "rb") as f:
        data = f.read()
    rows, cols = struct.unpack(">II", data[8:16])
    return [b / 255 for b in data[16:16 + rows * cols]]


def page_words(pdf, first, last, inset):
    """Per page (first..last), whether a word of text lies inside its part
    (the page less inset points each side, less the band below)."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(first), "-l", str(last), pdf, "-"],
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    found = []
    for page in re.finditer(r'<page width="([0-9.]+)" height="([0-9.]+)">(.*?)</page>', xml, re.S):
        w, h = float(page.group(1)), float(page.group(2))
        found.append(any(inset[0] <= float(m.group(1)) and float(m.group(3)) <= w - inset[0] and
                         inset[0] <= float(m.group(2)) and float(m.group(4)) <= h - inset[1]
                         for m in re.finditer(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" '
                                              r'xMax="([0-9.]+)" yMax="([0-9.]+)">', page.group(3))))
    return found


def page_ink(pdf, T, first, last, inset):
    """Per page (first..last), whether its part (the page less inset
    points each side, less the band below) holds a word or, rasterized, a
    pixel that is not white. Only pages without a word are rasterized:
    pdftoppm took 13 s of CPU for a seven-page A1 poster."""
    words = page_words(pdf, first, last, inset)
    return [words[p - first] or page_pixels(pdf, T, p, inset) if p - first < len(words) else False
            for p in range(first, last + 1)]


def page_pixels(pdf, T, page, inset):
    """Whether page's part (see page_ink) has a pixel that is not white."""
    base = os.path.join(T, "ink")
    subprocess.run(["pdftoppm", "-r", "18", "-gray", "-f", str(page), "-l", str(page), pdf, base],
                   check=True)
    inks = []
    for name in sorted(f for f in os.listdir(T) if f.startswith("ink")):
        with open(os.path.join(T, name), "rb") as f:
            data = f.read()
        m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
        w, h = int(m.group(1)), int(m.group(2))
        px = data[m.end():]
        k = int(round(inset[0] * 18 / 72)) + 1
        band = int(round(inset[1] * 18 / 72)) + 1
        # a row's darkest pixel through bytes' min (in C): a pixel loop took seconds
        inks.append(any(min(px[y * w + k:y * w + w - k]) < 245 for y in range(k, h - band)))
        os.remove(os.path.join(T, name))
    return bool(inks) and inks[0]


def document(T):
    out = os.path.join(T, "whole.pdf")
    rc, err, secs = mnist(["--show-units", "all"], out)
    boxes = pdf_boxes(out) if rc == 0 else []
    tap(rc == 0 and len(boxes) == 1 and float(boxes[0][3]) > 540,
        "--show-units all -o x.pdf: one page of the figure's own size (%s, %.1f s)"
        % (boxes and b"x".join(boxes[0][2:]).decode(), secs), [err])
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        tap(True, "# SKIP pdftotext or pdftoppm is not installed")
        return
    inks = page_ink(out, T, 1, len(boxes), (0, 0)) if rc == 0 and boxes else [False]
    tap(all(inks), "--show-units all -o x.pdf: no blank page")
    text = subprocess.run(["pdftotext", out, "-"], stdout=subprocess.PIPE).stdout.decode()
    got = {}
    for m in re.finditer(r"x([₀-₉]+) = (−?[0-9.]+)", text):
        got[int(m.group(1).translate(SUB))] = float(m.group(2).replace("−", "-"))
    want = digit_values()
    missing = [k for k in range(784) if k not in got]
    wrong = ["x%d = %s, not %.4f" % (k, got[k], want[k]) for k in got
             if abs(got[k] - want[k]) > 0.005 * max(abs(want[k]), 0.001)]
    tap(not missing and not wrong and len(got) == 784,
        "--show-units all -o x.pdf: every input's value is in the document (%d of 784)" % len(got),
        ["missing x%s" % k for k in missing[:5]] + wrong[:5])


def poster(T):
    out = os.path.join(T, "poster.pdf")
    rc, err, secs = mnist(["--show-units", "all", "--page", "a1"], out)
    boxes = pdf_boxes(out) if rc == 0 else []
    a1 = all(abs(float(b[2]) - 1683.8) < 1 and abs(float(b[3]) - 2383.9) < 1 for b in boxes)
    tap(rc == 0 and len(boxes) > 1 and a1, "--page a1: a poster of %d A1 pages (%.1f s)"
        % (len(boxes), secs), [err, boxes[:2]])
    if rc or not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        return
    inks = page_ink(out, T, 1, len(boxes), (28, 44))
    tap(inks and all(inks), "--page a1: no page without a part of the figure",
        ["page %d is blank" % (i + 1) for i, ink in enumerate(inks) if not ink])
    lines = []
    for p in range(1, len(boxes) + 1):
        t = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), out, "-"],
                           stdout=subprocess.PIPE).stdout.decode()
        lines.append(bool(re.search(r"page %d of %d: row \d+ of \d+, column \d+ of \d+" %
                                    (p, len(boxes)), t)))
    tap(all(lines), "--page a1: every page says which it is")
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", out, "-"],
                          stdout=subprocess.PIPE).stdout.decode()
    heights = [float(m.group(2)) - float(m.group(1)) for m in re.finditer(
        r'<word xMin="[0-9.]+" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">x[₀-₉]+</word>', html)]
    # DejaVu Sans: a word's box is 1.164 em high
    least = min(heights) / 1.164 if heights else 0
    tap(least >= 9 - 0.05, "--page a1: the inputs' text is %.2f pt (9 pt or more)" % least)


def main():
    T = tempfile.mkdtemp(prefix="gdv-mnist-views.")
    try:
        for part in (slides, focus, softmax, document, poster):
            try:
                part(T)
            except Exception as e:  # a failed part is a failed test, not a stop
                tap(False, "%s: %s: %s" % (part.__name__, type(e).__name__, e))
    finally:
        shutil.rmtree(T, ignore_errors=True)
    return taplib.done()


if __name__ == "__main__":
    sys.exit(main())
