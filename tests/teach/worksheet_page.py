#!/usr/bin/env python3
"""worksheet_page.py: the worksheet as a page (worksheet -o sheet.html) in
headless Chromium over the DevTools protocol (tests/html/cdp.py). Prints
TAP; skipped when /usr/bin/chromium is missing.

On ab-b1 (dC/db = 2 + 3 = 5) and on student 2's net-2-2-1:
  - a field lies over every box of the figure, inside it;
  - typing a right answer says "right"; a wrong one says what grade says
    (one term of the fan-out sum, missing b->d; the sign; carried from
    the student's own wrong answer); the key's numbers typed in every
    field are all right;
  - the page holds no answer in clear: its data holds hashes, and the only
    numbers in it are ones the sheet shows (values, locals) and the
    tolerance; no console message, no exception, no request.
"""

import json
import os
import re
import sys

SRC = os.environ.get("GDV_SRCDIR", ".")
sys.dont_write_bytecode = True  # no __pycache__ in the (maybe read-only) source tree
sys.path.insert(0, os.path.join(SRC, "tests", "teach"))
from worksheet_tap import finish, ok, run  # noqa: E402
CHROMIUM = os.environ.get("GDV_CHROMIUM", "/usr/bin/chromium")
sys.path.insert(0, os.path.join(SRC, "tests", "html"))
from cdp import Browser  # noqa: E402


def page_data(path):
    """The page's data object."""
    html = open(path, encoding="utf-8").read()
    m = re.search(r'<script type="application/json" id="ws-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def numbers_in(obj, skip=("boxes", "order", "mask", "tol", "i")):
    """Every number in the data outside indices and the tolerance."""
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k not in skip:
                out += numbers_in(v, skip)
    elif isinstance(obj, list):
        for v in obj:
            out += numbers_in(v, skip)
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        out.append(obj)
    return out


def type_into(page, index, text):
    """Clears field `index` and types text into it, as a keyboard would."""
    page.eval("(function(){var f=worksheet.fields[%d]; f.focus(); f.select();})()" % index)
    page.b.send("Input.insertText", {"text": text}, page.session)


def field_of(page, label):
    """The index of the first field asking for label ("grad b")."""
    return page.eval("worksheet.fields.findIndex(function(f){return "
                     "f.getAttribute('data-item')===%s;})" % json.dumps(label))


def main():
    if not os.access(CHROMIUM, os.X_OK):
        print("1..0 # SKIP no chromium at %s" % CHROMIUM)
        return 0
    tmp = os.path.abspath("tests/worksheet-page.tmp")
    os.makedirs(tmp, exist_ok=True)
    ab = os.path.join(SRC, "examples", "ab-b1.dot")
    net = os.path.join(SRC, "examples", "net-2-2-1.expr")
    run("worksheet", ab, "-o", os.path.join(tmp, "ab.html"), "--dump-key-layout",
        os.path.join(tmp, "ab.key.json"))
    run("worksheet", net, "--variant", "2", "-o", os.path.join(tmp, "net.html"))
    truth = json.loads(run("eval", net, "--variant", "2", "--format", "json"))
    browser = Browser(CHROMIUM, os.path.join(tmp, "profile"))
    try:
        page = browser.new_page()
        page.navigate("file://" + os.path.join(tmp, "ab.html"))
        boxes = page.eval("document.querySelectorAll('svg g.blank').length")
        fields = page.eval("worksheet.fields.length")
        ok(boxes == 14 and fields == 14, "ab-b1: a field over each of the 14 boxes",
           "%s boxes, %s fields" % (boxes, fields))
        inside = page.eval("""worksheet.fields.every(function(f, i){
            var b = document.querySelectorAll('svg g.blank')[i].getBoundingClientRect();
            var r = f.getBoundingClientRect();
            return Math.abs(r.left-b.left)<1.5 && Math.abs(r.top-b.top)<1.5 &&
                   Math.abs(r.width-b.width)<1.5 && r.width > 20; })""")
        ok(inside, "each field lies on its box")
        b = field_of(page, "grad b")
        type_into(page, b, "2")
        fb = page.eval("worksheet.feedback('grad', 'b')")
        ok(fb == "wrong: one term of the fan-out sum of 2 terms instead of the sum; missing b->d",
           "a wrong answer (one term of dC/db) is named as such", fb)
        cls = page.eval("worksheet.fields[%d].className" % b)
        ok("ws-wrong" in cls, "its field is marked wrong", cls)
        type_into(page, b, "5")
        fb = page.eval("worksheet.feedback('grad', 'b')")
        ok(fb == "right", "the right answer says right", fb)
        others = page.eval("worksheet.fields.filter(function(f){return "
                           "f.getAttribute('data-item')==='grad b';}).map(function(f){return f.value;})")
        ok(others == ["5"], "the box of dC/db in the sum holds the same answer", others)
        type_into(page, field_of(page, "edge-grad a->c"), "-2")
        fb = page.eval("worksheet.feedback('edge-grad', 'a->c')")
        ok(fb == "wrong: the sign is wrong", "a sign error is named", fb)
        type_into(page, field_of(page, "grad a"), "\u22122")
        fb = page.eval("worksheet.feedback('grad', 'a')")
        ok(fb.startswith("carried: right from your own edge-grad a->c"),
           "an answer right from the student's own wrong one is carried", fb)
        score = page.eval("document.getElementById('ws-score').textContent")
        ok(score.startswith("1 right, 1 wrong, 1 carried"), "the score counts them", score)
        ok(page.console() == [], "no console message or exception", page.console())
        reqs = [u for u in page.requests() if not u.startswith("file://")]
        ok(reqs == [], "no request but the page", reqs)
        page.close()

        # student 2's net: every key number typed is right
        page = browser.new_page()
        page.navigate("file://" + os.path.join(tmp, "net.html"))
        items = page.eval("worksheet.items")
        node = {v["id"]: v for v in truth["nodes"]}
        edges = {}
        for e in truth["edges"]:
            edges.setdefault("%s->%s" % (e["from"], e["to"]), []).append(e)
        wrong = []
        for label in items:
            q, item = label.split(" ", 1)
            x = node[item]["grad"] if q == "grad" else edges[item][0]["grad"]
            type_into(page, field_of(page, label), "%.4g" % x)
            fb = page.eval("worksheet.feedback(%s, %s)" % (json.dumps(q), json.dumps(item)))
            if fb != "right":
                wrong.append("%s = %.4g: %s" % (label, x, fb))
        ok(items and wrong == [], "net-2-2-1 --variant 2: eval's numbers at 4 digits are right "
           "in all %d items" % len(items), "\n".join(wrong))
        page.close()
    finally:
        browser.close()

    # no answer in clear: only numbers the sheet shows
    shown = set()
    key = json.load(open(os.path.join(tmp, "ab.key.json")))
    for t in key["texts"]:
        for m in re.finditer(r"(?:value|local) (\S+)", t["text"]):
            shown.add(float(m.group(1).replace("\u2212", "-")))
    for name, path in (("ab-b1", "ab.html"), ("net-2-2-1", "net.html")):
        data = page_data(os.path.join(tmp, path))
        nums = numbers_in(data)
        if name == "net-2-2-1":
            shown = {v["value"] for v in truth["nodes"]} | {e["local"] for e in truth["edges"]}
        bad = [x for x in nums if not any(abs(x - s) < 1e-12 for s in shown)]
        hexes = all(re.fullmatch(r"[0-9a-f]{8}", h) for it in data["items"] for h in it["ok"])
        ok(bad == [] and hexes, "%s: the page's data holds hashes and shown numbers only" % name,
           "not shown: %s" % bad[:8])
    # and the checker can fail: the key's numbers are in the key's page
    run("worksheet", ab, "-o", os.path.join(tmp, "ab2.html"), "--key", os.path.join(tmp, "key.html"))
    key_html = open(os.path.join(tmp, "key.html"), encoding="utf-8").read()
    ok(">5</text>" in key_html and ">5</text>" not in open(os.path.join(tmp, "ab2.html"),
                                                         encoding="utf-8").read(),
       "the key's page shows dC/db = 5, the sheet's does not")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
