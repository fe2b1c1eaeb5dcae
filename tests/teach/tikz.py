"""-o x.tex for every example (issue 22), printing TAP:

    tikz.py GRADVIZ EXAMPLES_DIR WORK_DIR

Each example is drawn as a TikZ picture (default page) and, with
--steps-by layer on the beamer169 page, as a picture of Beamer overlays.
All the pictures are compiled by pdflatex twice: in the standalone class
(one page each) and as Beamer frames (one frame each, a slide per step).
From the PDFs' text (pdftotext): every number of `eval` that the figure
must show (the output's value, the gradient of every input and parameter)
is on the picture's page, every number the SVG of the same figure draws
is there too, and each Beamer frame's slides say "step 1 of N" to "step N
of N" in order, the last with the same numbers.
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tap as taplib  # noqa: E402 - every test's TAP lines (tests/tap.py)
check = taplib.ok


def numbers(text):
    """The numbers a text shows, with their signs (U+2212 or -)."""
    text = text.replace("\u2212", "-")
    return [float(t) for t in re.findall(r"-?\d+(?:\.\d+)?", text)]


def shown(x, nums):
    """Whether x is among nums to the figure's four significant digits
    (or more, where the figure writes more)."""
    if not isinstance(x, (int, float)) or x != x or abs(x) == float("inf"):
        return True
    if abs(x) >= 1e6 or (0 < abs(x) < 1e-4):
        mant = float("%.3e" % x)
        mant = float(("%.3e" % x).split("e")[0])
        return any(abs(abs(t) - abs(mant)) <= 6e-4 * abs(mant) for t in nums)
    return any(abs(t - x) <= 6e-4 * abs(x) + 1e-12 for t in nums)


def pdf_pages(pdf):
    """The text of each page."""
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], stdout=subprocess.PIPE,
                         check=True).stdout.decode("utf-8", "replace")
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def pdflatex(work, name, body):
    tex = os.path.join(work, name + ".tex")
    with open(tex, "w") as f:
        f.write(body)
    r = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", name + ".tex"],
                       cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    log = r.stdout.decode("utf-8", "replace")
    errors = [l for l in log.splitlines() if l.startswith("!")]
    return r.returncode == 0 and not errors, "\n".join(errors + log.splitlines()[-8:])


def main():
    gradviz, examples, work = sys.argv[1:4]
    names = sorted(f for f in os.listdir(examples) if f.endswith((".expr", ".dot")))
    figures = []
    for f in names:
        base = re.sub(r"[^A-Za-z0-9]", "-", f)
        src = os.path.join(examples, f)
        r1 = subprocess.run([gradviz, "render", src, "-o", os.path.join(work, base + ".tex"),
                             "-o", os.path.join(work, base + ".svg")], stderr=subprocess.PIPE)
        r2 = subprocess.run([gradviz, "render", src, "--page", "beamer169", "--steps-by", "layer",
                             "-o", os.path.join(work, base + "-steps.tex")], stderr=subprocess.PIPE)
        ev = subprocess.run([gradviz, "eval", src, "--format", "json"], stdout=subprocess.PIPE)
        if r1.returncode or r2.returncode or ev.returncode:
            check(False, "%s: render -o x.tex (and its steps) and eval" % f,
                  (r1.stderr + r2.stderr).decode())
            continue
        ranges = re.findall(r"^\\gdvstep\{(\d+)\}\{(\d+)\}",
                            open(os.path.join(work, base + "-steps.tex")).read(), re.M)
        steps = max([int(b) for _, b in ranges] + [0])
        figures.append((f, base, json.loads(ev.stdout), steps))
    check(len(figures) == len(names) and len(names) >= 20,
          "every example (%d) drawn as a TikZ picture and as Beamer overlays" % len(names))

    ok, log = pdflatex(work, "all-standalone", "\\documentclass[tikz]{standalone}\n\\begin{document}\n" +
                       "".join("\\input{%s.tex}\n" % b for _, b, _, _ in figures) + "\\end{document}\n")
    check(ok, "pdflatex compiles every picture in the standalone class (\\input, nothing but tikz)", log)
    pages = pdf_pages(os.path.join(work, "all-standalone.pdf")) if ok else []
    check(len(pages) == len(figures), "one standalone page per picture (%d)" % len(pages))
    missing = []
    for (f, base, ev, _), text in zip(figures, pages):
        nums = numbers(text)
        out = [v for v in ev["nodes"] if v["id"] == ev["output"]][0]
        want = [("value of " + out["id"], out["value"])]
        want += [("dC/d" + v["id"], v["grad"]) for v in ev["nodes"] if v["role"] in ("input", "param")]
        lost = [w for w, x in want if not shown(x, nums)]
        svg = open(os.path.join(work, base + ".svg"), encoding="utf-8").read()
        drawn = numbers(" ".join(re.findall(r"<text [^>]*>([^<]*)</text>", svg)))
        lost += ["%g (drawn in the SVG)" % x for x in drawn if not any(abs(t - x) < 1e-9 for t in nums)]
        if lost:
            missing.append("%s: %s" % (f, ", ".join(lost[:6])))
    check(pages and not missing, "each page's text holds eval's output value and every input's and "
          "parameter's gradient, and every number the SVG of the same figure draws", "\n".join(missing))

    body = "\\documentclass[aspectratio=169]{beamer}\n\\usepackage{tikz}\n\\begin{document}\n"
    body += "".join("\\begin{frame}[plain]\n\\centering\\input{%s-steps.tex}\n\\end{frame}\n" % b
                    for _, b, _, _ in figures) + "\\end{document}\n"
    ok, log = pdflatex(work, "all-beamer", body)
    check(ok, "pdflatex compiles every picture of overlays in a Beamer frame", log)
    slides = pdf_pages(os.path.join(work, "all-beamer.pdf")) if ok else []
    total = sum(s for _, _, _, s in figures)
    check(len(slides) == total, "one slide per step: %d slides for %d steps" % (len(slides), total))
    wrong = []
    k = 0
    for f, base, ev, steps in figures:
        for s in range(1, steps + 1):
            text = slides[k] if k < len(slides) else ""
            k += 1
            if not re.search(r"step\s+%d\s+of\s+%d\b" % (s, steps), text):
                wrong.append("%s: slide %d does not say step %d of %d" % (f, s, s, steps))
        out = [v for v in ev["nodes"] if v["id"] == ev["output"]][0]
        if steps and not shown(out["grad"], numbers(slides[k - 1] if k - 1 < len(slides) else "")):
            wrong.append("%s: the last slide lacks dC/dC" % f)
    check(slides and not wrong, "each frame's slides step through the pass in order (step k of N)",
          "\n".join(wrong))
    return taplib.done()


if __name__ == "__main__":
    sys.exit(main())
