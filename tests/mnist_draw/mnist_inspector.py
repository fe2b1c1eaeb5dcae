#!/usr/bin/env python3
"""mnist_inspector.py: the MNIST page's inspector in headless Chromium at
1920x1080 (tests/html/cdp.py, as tests/teach/html_pages.py drives it). Prints
TAP; run by tests/mnist_draw/mnist-inspector.sh (GRADVIZ, GDV_SRCDIR).

Clicking unit a¹ₖ of `gradviz mnist -o m.html`:
  - lists all 785 terms of its sum (784 w·x and the bias) in one table,
    with no horizontal scroll in the panel or the page, at 16 px or more;
  - names them as the figure does (x₄₃₄, w¹₃,₄₃₄, b¹₃), never by raw id;
  - sorts by |w·x| (largest first), and on a click by input or ascending;
  - links each input to its pixel on the digit (a click on the name marks
    the pixel, a click on the pixel picks the term's row);
the --focus-unit page opens the same table from its unit and names its
term boxes as drawn; and a softmax output of the relu, cross-entropy page
shows a = softmax(z) in [0, 1]. With GDV_SCREENSHOT=FILE.png it saves the page as seen.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.environ.get("GDV_SRCDIR", ".")
GRADVIZ = os.environ.get("GRADVIZ", "./gradviz")
CHROMIUM = os.environ.get("GDV_CHROMIUM", "/usr/bin/chromium")
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(SRC, "tests", "html"))
from cdp import Browser  # noqa: E402

sys.path.insert(0, os.path.join(SRC, "tests"))
import tap as taplib  # noqa: E402 - every test's TAP lines (tests/tap.py)
tap = taplib.ok


OPEN_JS = """(function (re) {
  var g = Array.prototype.filter.call(document.querySelectorAll('#gv-figure g.node'),
    function (g) { return new RegExp(re).test(g.getAttribute('data-id') || ''); })[0];
  if (!g) return null;
  g.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  return g.getAttribute('data-id');
})(%s)"""

STATE_JS = """(function () {
  var p = document.querySelector('.gv-panel');
  var t = document.querySelector('.gv-terms') || document.querySelector('.gv-panel .gv-table');
  if (!t) return null;
  var rows = Array.prototype.filter.call(t.querySelectorAll('tr'), function (tr) {
    return tr.querySelector('td');
  }).map(function (tr) {
    return Array.prototype.map.call(tr.children, function (td) { return td.textContent; });
  });
  var td = t.querySelector('td');
  /* the widest of the panel and every box in it that scrolls */
  var wide = [p.scrollWidth, p.clientWidth];
  Array.prototype.forEach.call(p.querySelectorAll('*'), function (e) {
    var o = getComputedStyle(e).overflowX;
    if ((o === 'auto' || o === 'scroll') && e.scrollWidth - e.clientWidth > wide[0] - wide[1])
      wide = [e.scrollWidth, e.clientWidth];
  });
  return {rows: rows, head: document.querySelector('.gv-panel .gv-head').textContent,
          panel: wide, table: Math.min(t.getBoundingClientRect().right, t.parentNode.getBoundingClientRect().right),
          panelRight: p.getBoundingClientRect().right,
          page: [document.documentElement.scrollWidth, window.innerWidth],
          font: parseFloat(getComputedStyle(td).fontSize),
          picked: Array.prototype.map.call(t.querySelectorAll('tr.gv-picked'),
                                           function (tr) { return tr.children[0].textContent; })};
})()"""


def number(s):
    s = s.replace("−", "-")
    m = re.fullmatch(r"(-?[0-9.]+)(?:×10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+))?", s)
    if not m:
        return None
    e = m.group(2)
    if e:
        e = int(e.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")))
    return float(m.group(1)) * (10 ** e if e else 1)


def unit_page(browser, T):
    html = os.path.join(T, "m.html")
    subprocess.run([GRADVIZ, "mnist", "-o", html], check=True, stdout=subprocess.DEVNULL)
    page = browser.new_page()
    page.navigate("file://" + html)
    unit = page.eval(OPEN_JS % '"^a1_[0-9]+$"')
    st = page.eval(STATE_JS)
    if not st:
        tap(False, "a unit opens its sum in a table", unit)
        return
    rows = st["rows"]
    tap(len(rows) == 785, "%s: all 785 terms of its sum listed (%d)" % (unit, len(rows)))
    tap(st["panel"][0] <= st["panel"][1] and st["page"][0] <= st["page"][1] and
        st["table"] <= st["panelRight"] + 0.5,
        "no horizontal scroll at 1920x1080 (panel %d of %d px, page %d of %d px)"
        % (st["panel"][0], st["panel"][1], st["page"][0], st["page"][1]))
    tap(st["font"] >= 16, "the terms at 16 px or more (%.1f px)" % st["font"])
    names = [r[0] for r in rows]
    raw = [x for x in names + [st["head"]] if re.search(r"[a-z]\d|_\d", x)]
    drawn = all(re.fullmatch(r"w¹[₀-₉]+,[₀-₉]+·x[₀-₉]+|b¹[₀-₉]+", x) for x in names)
    tap(not raw and drawn and st["head"].startswith("a¹"),
        "named as drawn: %s, %s, ... (%s)" % (names[0], names[1], st["head"]), raw[:5] or names[:5])
    sizes = [abs(number(r[3])) for r in rows]
    tap(sizes == sorted(sizes, reverse=True), "sorted by |w·x|, largest first")
    page.eval("document.querySelectorAll('.gv-sort')[0].click()")
    idx = [r[0] for r in page.eval(STATE_JS)["rows"]]
    order = [int(x.split("·x")[1].translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")))
             for x in idx if "·x" in x]
    tap(order == sorted(order) and len(order) == 784, "a click on 'term' sorts by input")
    page.eval("document.querySelectorAll('.gv-sort')[1].click()")
    page.eval("document.querySelectorAll('.gv-sort')[1].click()")
    sizes = [abs(number(r[3])) for r in page.eval(STATE_JS)["rows"]]
    tap(sizes == sorted(sizes), "two clicks on 'w·x' sort it smallest first")
    page.eval("document.querySelector('.gv-terms a.gv-pixel[title*=\"row 14, column 14\"]').click()")
    picked = page.eval(STATE_JS)["picked"]
    tap(len(picked) == 1 and picked[0].endswith("·x₄₀₆"),
        "a click on x₄₀₆ marks its row and pixel (%s)" % picked)
    picked = page.eval("""(function () {
      var c = document.querySelector('.gv-digit'), r = c.getBoundingClientRect();
      c.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: r.left + 5 * 6 + 3,
                                                clientY: r.top + 18 * 6 + 3}));
      return Array.prototype.map.call(document.querySelectorAll('.gv-terms tr.gv-picked'),
                                      function (tr) { return tr.children[0].textContent; });
    })()""")
    tap(len(picked) == 1 and picked[0].endswith("·x₅₀₉"),
        "a click on the digit's pixel (row 18, column 5) picks x₅₀₉'s term (%s)" % picked)
    shot = os.environ.get("GDV_SCREENSHOT")
    if shot:
        page.eval(OPEN_JS % '"^a1_[0-9]+$"')
        page.eval(OPEN_JS % '"^a1_[0-9]+$"')
        with open(shot, "wb") as f:
            f.write(page.screenshot())
    page.close()


def focus_page(browser, T):
    html = os.path.join(T, "f.html")
    subprocess.run([GRADVIZ, "mnist", "--focus-unit", "1:3", "-o", html], check=True,
                   stdout=subprocess.DEVNULL)
    page = browser.new_page()
    page.navigate("file://" + html)
    unit = page.eval(OPEN_JS % '"^a1_3$"')
    st = page.eval(STATE_JS)
    tap(st is not None and len(st["rows"]) == 785 and st["panel"][0] <= st["panel"][1],
        "--focus-unit 1:3 page: %s opens all 785 terms, no sideways scroll" % unit,
        st and (len(st["rows"]), st["panel"]))
    page.eval(OPEN_JS % '"^m1_3_[0-9]+$"')
    head = page.eval("document.querySelector('.gv-panel .gv-head').textContent")
    tap(bool(re.fullmatch(r"w¹₃,[₀-₉]+·x[₀-₉]+", head or "")),
        "--focus-unit 1:3 page: a term box is named as drawn (%s)" % head)
    page.close()


def softmax_page(browser, T):
    html = os.path.join(T, "s.html")
    subprocess.run([GRADVIZ, "mnist", "--activation", "relu", "--cost", "cross-entropy",
                    "-o", html], check=True, stdout=subprocess.DEVNULL)
    page = browser.new_page()
    page.navigate("file://" + html)
    unit = page.eval(OPEN_JS % '"^a2_[0-9]+$"')
    text = page.eval("document.querySelector('.gv-panel').textContent")
    m = re.search(r"a = softmax\(z\) = ([^a-zA-Z∂]+?)(?=[a-zA-Zz∂]|$)", text or "")
    a = number(m.group(1).strip()) if m else None
    tap(a is not None and 0 <= a <= 1, "softmax output %s: a = softmax(z) = %s, in [0, 1]"
        % (unit, m and m.group(1).strip()), text and text[:300])
    page.close()


def main():
    if not os.access(CHROMIUM, os.X_OK):
        print("1..0 # SKIP %s not found" % CHROMIUM)
        return 0
    T = tempfile.mkdtemp(prefix="gdv-mnist-inspector.")
    browser = Browser(CHROMIUM, os.path.join(T, "profile"), 1920, 1080)
    try:
        for part in (unit_page, focus_page, softmax_page):
            try:
                part(browser, T)
            except Exception as e:  # a failed part is a failed test
                tap(False, "%s: %s: %s" % (part.__name__, type(e).__name__, e))
    finally:
        browser.close()
        shutil.rmtree(T, ignore_errors=True)
    return taplib.done()


if __name__ == "__main__":
    sys.exit(main())
