#!/usr/bin/env python3
"""`gradviz render --steps`: a fan-out sum whose node also feeds a branch
that does not reach the output. That branch carries no term (its edge's
gradient is 0 and no backward step brings it), so the sum must fill up
without a "?" that never resolves. Pages read back with pdftotext. TAP."""
import os
import subprocess
import tempfile

GRADVIZ = os.environ.get("GRADVIZ", "gradviz")
tests = []


def t(ok, what):
    tests.append((bool(ok), what))


def page_text(pdf, k):
    return subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), "-raw", pdf, "-"],
                          capture_output=True, text=True).stdout


def sum_line(text):
    """a's own sum line, not the title's line of the sum so far"""
    lines = [ln for ln in text.splitlines() if ln.startswith("\u2202C/\u2202a =")
             and "(so far)" not in ln and "(complete)" not in ln]
    return lines[0] if lines else None


with tempfile.TemporaryDirectory() as tmp:
    # a feeds u and v (both reach c) and w (a dead end): forward u, v, w, c;
    # backward c, v, u, a.
    g = os.path.join(tmp, "g.dot")
    with open(g, "w") as f:
        f.write("digraph {\n  a [value=2];\n  u [op=exp]; v [op=square]; w [op=neg];\n"
                "  c [op=add, output=true];\n  a -> u; a -> v; a -> w;\n"
                "  u -> c; v -> c;\n}\n")
    d = os.path.join(tmp, "steps")
    r = subprocess.run([GRADVIZ, "render", g, "--steps", d], capture_output=True, text=True)
    t(r.returncode == 0, "render --steps exits 0 (%s)" % r.stderr.strip())
    pdf = os.path.join(d, "frames.pdf")
    p = [None] + [page_text(pdf, k) for k in range(1, 9)]
    t(p[6].startswith("step 6 of 8 \u2014 backward: \u2202C/\u2202v"), "page 6 is v's step")
    t(sum_line(p[6]) == "\u2202C/\u2202a = ? + 4",
      "page 6: the term from v, one still to come, none for w (%r)" % sum_line(p[6]))
    t(sum_line(p[7]) == "\u2202C/\u2202a = 7.389 + 4",
      "page 7: both terms arrived, no '?' left (%r)" % sum_line(p[7]))
    t("\n\u2202C/\u2202a = 4 (so far)\n" in p[6] and
      "\n\u2202C/\u2202a = 7.389 + 4 = 11.39 (complete)\n" in p[7],
      "the titles of pages 6 and 7 add a's terms so far, none for w")
    t(sum_line(p[8]) == "\u2202C/\u2202a = 7.389 + 4 = 11.39",
      "page 8: a's own step shows the total (%r)" % sum_line(p[8]))

print("1..%d" % len(tests))
for i, (ok, what) in enumerate(tests, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, " ".join(str(what).split())))
