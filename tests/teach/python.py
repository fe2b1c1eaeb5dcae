#!/usr/bin/env python3
"""gradviz_export in notebooks (issue 22), run by /usr/bin/python3 (the
interpreter with Debian's torch). Prints TAP.

  - show() on a micrograd-style Value graph, a PyTorch scalar and a graph
    file returns a Figure: _repr_svg_ an SVG with <text>, _repr_html_ an
    iframe whose srcdoc is the whole interactive page (no URL to load);
    page=, expand=, show= reach gradviz;
  - two figures written under one name (two Value graphs, two files
    named neuron.expr) inlined in one HTML document share no id, the same
    figure twice gives the same bytes;
  - in headless Chromium, a notebook-like page of two inline SVGs and the
    iframe: no id twice, the iframe's page steps (window.gradviz), no
    request but the page, no console error;
  - `pip install` of python/ (and `pip install -e`) into a temporary venv,
    without a package index: the module imports from the venv and finds
    the gradviz of its source tree (TREE/gradviz, as scripts/setup.sh
    links it) with no GRADVIZ and no gradviz on PATH; GRADVIZ=... and
    PATH are used first; without any, one error saying what to do.
"""
import html
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.environ["GDV_SRCDIR"]
GRADVIZ = os.path.abspath(os.environ["GRADVIZ"])
CHROMIUM = os.environ.get("GDV_CHROMIUM", "/usr/bin/chromium")
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(SRC, "python"))
sys.path.insert(0, os.path.join(SRC, "tests", "html"))
import gradviz_export as gx  # noqa: E402

sys.path.insert(0, os.path.join(SRC, "tests"))
sys.path.insert(0, os.path.join(SRC, "tests", "python"))
from micrograd import value_class  # noqa: E402 - the lecture's Value, as pyexport.py uses it
import tap  # noqa: E402 - every test's TAP lines (tests/tap.py)
check = tap.ok
Value = value_class()


def ids(svg):
    return re.findall(r'\sid="([^"]+)"', svg)


def page_of(fig):
    """The page inside _repr_html_'s srcdoc."""
    m = re.search(r'srcdoc="([^"]*)"', fig._repr_html_())
    return html.unescape(m.group(1)) if m else ""


def self_contained(page):
    """No resource the page would fetch: no src= or href= but fragments
    and data:, no @import or url() of a file."""
    refs = re.findall(r'\s(?:src|href)\s*=\s*"([^"#][^"]*)"', page)
    refs = [r for r in refs if not r.startswith("data:")]
    return not refs and "@import" not in page and page.lstrip().lower().startswith("<!doctype html")


def main():
    os.environ["GRADVIZ"] = GRADVIZ
    tmp = tempfile.mkdtemp(prefix="gdv-teach-py.")
    try:
        run_all(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


def show_torch():
    """show() of a 0-dim PyTorch tensor (Debian's torch, /usr/bin/python3)."""
    try:
        import torch
    except ImportError:
        check(True, "# SKIP show(PyTorch scalar): no torch in %s" % sys.executable)
        return
    x = torch.tensor(0.8, dtype=torch.float64, requires_grad=True)
    w = torch.tensor(-1.5, dtype=torch.float64, requires_grad=True)
    with gx.record():
        loss = torch.tanh(x * w + 0.5) ** 2
    loss.backward()
    f = gx.show(loss, names={"x": x, "w": w})
    grad_w = "%.4g" % w.grad.item()
    check("<text" in f.svg and self_contained(page_of(f)) and
          grad_w.replace("-", "\u2212") in f.svg,
          "show(PyTorch scalar): SVG and page, with autograd's dL/dw = %s" % grad_w)


def run_all(tmp):
    # ---- show() on the three kinds of input --------------------------------
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a
    c.label = "c"
    c.backward()
    f1 = gx.show(c)
    check(isinstance(f1, gx.Figure) and "<text" in f1._repr_svg_() and "<svg" in f1.svg,
          "show(Value graph): a Figure whose _repr_svg_ is an SVG with <text>")
    p1 = page_of(f1)
    check(f1._repr_html_().startswith("<iframe") and self_contained(p1) and "<script>" in p1,
          "... and whose _repr_html_ is an iframe holding the whole page in srcdoc "
          "(inline script, nothing to fetch: %d bytes)" % len(p1))
    check("value 2" in f1.svg and "value −4" in f1.svg,
          "... with the graph's numbers (a = 2, c = a·b + a = −4)")

    show_torch()

    neuron = os.path.join(SRC, "examples", "neuron.expr")
    f3 = gx.show(neuron)
    f3p = gx.show(pathlib.Path(neuron))
    check("<text" in f3.svg and self_contained(page_of(f3)) and f3.svg == f3p.svg and
          'id="neuron-' in f3.svg,
          "show(graph file) from a str or a Path: SVG and page, ids named after the file")

    f4 = gx.show(neuron, page="beamer169", expand="none", show="values,grads")
    check('width="453.54pt"' in f4.svg and "t-local" not in f4.svg and " collapsed" in f4.svg,
          "page=, expand=, show= reach gradviz (160x90 mm, no local derivatives, groups collapsed)")

    # ---- ids: one page, figures of one name --------------------------------
    d = Value(5.0, label="a") * Value(7.0, label="b")
    d.label = "c"
    d.backward()
    f5 = gx.show(d)
    common = set(ids(f1.svg)) & set(ids(f5.svg))
    check(not common and ids(f1.svg) and ids(f5.svg),
          "two Value graphs (both named 'graph') share no id (%d and %d ids)"
          % (len(ids(f1.svg)), len(ids(f5.svg))), sorted(common)[:5])
    other = os.path.join(tmp, "other")
    os.mkdir(other)
    with open(os.path.join(other, "neuron.expr"), "w") as fh:
        fh.write("x = 3\nparam w = 2\no = tanh(w*x)\n")
    f6 = gx.show(os.path.join(other, "neuron.expr"))
    common = set(ids(f3.svg)) & set(ids(f6.svg))
    check(not common, "two files named neuron.expr: no id in common", sorted(common)[:5])
    check(gx.show(neuron).svg == f3.svg, "the same figure twice: the same SVG, byte for byte")

    # ---- in a browser: a notebook's page -----------------------------------
    if os.path.exists(CHROMIUM):
        from cdp import Browser
        doc = os.path.join(tmp, "notebook.html")
        with open(doc, "w", encoding="utf-8") as fh:
            fh.write("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>\n"
                     "<div class='out'>%s</div>\n<div class='out'>%s</div>\n<div class='out'>%s</div>\n"
                     "</body></html>\n" % (f1._repr_svg_().split("?>", 1)[-1],
                                           f5._repr_svg_().split("?>", 1)[-1], f3._repr_html_()))
        browser = Browser(CHROMIUM, os.path.join(tmp, "profile"))
        try:
            page = browser.new_page()
            page.navigate("file://" + doc)
            dup = page.eval("(function(){var s={},d=[];document.querySelectorAll('[id]')"
                            ".forEach(function(e){if(s[e.id])d.push(e.id);s[e.id]=1});return d})()")
            check(dup == [], "in Chromium, two inline SVGs of one name: no id twice in the document",
                  dup)
            steps = page.eval("new Promise(function(r){var f=document.querySelector('iframe');"
                              "function go(){var g=f.contentWindow.gradviz;if(!g)return setTimeout(go,50);"
                              "g.step(3);r([g.steps,f.contentDocument.querySelector('#gv-frame svg')?1:0])}"
                              "go()})")
            check(steps and steps[0] == 13 and steps[1] == 1,
                  "the iframe's page runs offline: window.gradviz has the neuron's 13 steps and "
                  "step(3) shows a frame", steps)
            reqs = [r for r in page.requests() if not r.startswith(("file://", "about:", "data:"))]
            errs = [c for c in page.console() if "error" in c.lower()]
            check(not reqs and not errs, "no request but the file, no console error", reqs + errs)
            page.close()
        finally:
            browser.close()
    else:
        check(True, "# SKIP no Chromium at %s" % CHROMIUM)

    # ---- pip install into a temporary venv ---------------------------------
    tree = os.path.join(tmp, "tree")
    shutil.copytree(os.path.join(SRC, "python"), os.path.join(tree, "python"),
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "local.mk"))
    os.symlink(GRADVIZ, os.path.join(tree, "gradviz"))   # as scripts/setup.sh links it
    bare = {k: v for k, v in os.environ.items() if k not in ("GRADVIZ", "PYTHONPATH")}
    bare["PATH"] = "/usr/bin:/bin"
    probe = ("import gradviz_export as g, sys; f = g.show(sys.argv[1]); "
             "print(g.__file__); print(g.find_gradviz()); print('<text' in f.svg)")
    for editable in (False, True):
        venv = os.path.join(tmp, "venv-e" if editable else "venv")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        pip = [os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q",
               "--disable-pip-version-check"]
        r = subprocess.run(pip + (["-e"] if editable else []) + [os.path.join(tree, "python")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=bare, cwd=tmp,
                           timeout=300)
        what = "pip install -e ./python" if editable else "pip install ./python"
        check(r.returncode == 0, "%s in a temporary venv, nothing fetched" % what,
              r.stdout.decode("utf-8", "replace"))
        out = subprocess.run([os.path.join(venv, "bin", "python"), "-c", probe, neuron],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=bare, cwd=tmp)
        lines = out.stdout.decode("utf-8", "replace").split("\n")
        where = os.path.join(venv, "lib") if not editable else os.path.join(tree, "python")
        check(out.returncode == 0 and lines[0].startswith(where) and
              lines[1] == os.path.join(tree, "gradviz") and lines[2] == "True",
              "... the module imports from %s and, with no GRADVIZ and no gradviz on PATH, "
              "renders with the gradviz setup.sh links in its tree"
              % ("the venv" if not editable else "the tree"), out.stdout.decode())
    py = os.path.join(tmp, "venv", "bin", "python")
    env = dict(bare, GRADVIZ="/nonexistent/gradviz")
    out = subprocess.run([py, "-c", "import gradviz_export as g\ntry:\n g.show(%r)\n"
                          "except g.GradvizError as e: print(e)" % neuron],
                         stdout=subprocess.PIPE, env=env, cwd=tmp)
    check(out.stdout.decode().startswith("cannot run /nonexistent/gradviz"),
          "GRADVIZ=... is used first", out.stdout.decode())
    bindir = os.path.join(tmp, "bin")
    os.mkdir(bindir)
    os.symlink(GRADVIZ, os.path.join(bindir, "gradviz"))
    out = subprocess.run([py, "-c", "import gradviz_export as g; print(g.find_gradviz())"],
                         stdout=subprocess.PIPE, env=dict(bare, PATH=bindir + ":/usr/bin:/bin"),
                         cwd=tmp)
    check(out.stdout.decode().strip() == os.path.join(bindir, "gradviz"),
          "gradviz on PATH comes before the tree's", out.stdout.decode())
    os.unlink(os.path.join(tree, "gradviz"))
    out = subprocess.run([py, "-c", "import gradviz_export as g\ntry:\n g.find_gradviz()\n"
                          "except g.GradvizError as e: print(e)"],
                         stdout=subprocess.PIPE, env=bare, cwd=tmp)
    check(out.stdout.decode().strip() == "cannot find gradviz: put it on PATH, set "
          "GRADVIZ=/path/to/gradviz, pass gradviz=..., or build it with scripts/setup.sh",
          "with none anywhere: one error saying what to do", out.stdout.decode())


if __name__ == "__main__":
    sys.exit(main())
