#!/usr/bin/env python3
"""Self-tests of tests/render/plan/legible.py (TAP): small hand-made layout dumps,
one that passes and, for every criterion, one just past its limit that
must fail it (and only it) next to one just inside that must pass, with
the measures the checker prints compared to the numbers worked out here.

The base figure is 960x540 pt, so s = 2 px per point on a 1920x1080 slide:
node A is the box 100..200 x 100..140, node B 400..500 x 100..140, and
edge 0 runs straight along y = 120 from A's border (200) to its arrowhead's
base (392) as one cubic, its label box 270..330 x 110..130: 70 pt of line
before the label, 62 after. Texts are 10 pt (20 px/em); the legend is 54
pt high (10%)."""
import contextlib
import io
import json
import os
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the (maybe read-only) source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import legible  # noqa: E402 - the checker runs in this process (main: its exit status)

TMP = tempfile.mkdtemp(prefix="gdv-legible.")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../.."))
import tap as taplib  # noqa: E402 - every test's TAP lines (tests/tap.py)
tap = taplib.ok


def text(owner, index, x, y, w, s="t", size=10.0):
    return {"text": s, "kind": "note", "owner": owner, "index": index,
            "x": x, "y": y, "w": w, "h": 13.0, "size": size}


def base():
    return {
        "width": 960.0, "height": 540.0,
        "nodes": [{"index": 0, "id": "A", "hidden": False, "x": 100.0, "y": 100.0, "w": 100.0, "h": 40.0},
                  {"index": 1, "id": "B", "hidden": False, "x": 400.0, "y": 100.0, "w": 100.0, "h": 40.0}],
        "edges": [{"index": 0, "from": 0, "to": 1,
                   "points": [[200.0, 120.0], [266.0, 120.0], [333.0, 120.0], [392.0, 120.0]],
                   "label": {"x": 270.0, "y": 110.0, "w": 60.0, "h": 20.0}}],
        "items": [],
        "legend": {"x": 100.0, "y": 480.0, "w": 400.0, "h": 54.0},
        "texts": [text("node", 0, 130.0, 113.5, 40.0, "A"),
                  text("node", 1, 430.0, 113.5, 40.0, "B"),
                  text("edge", 0, 275.0, 113.5, 50.0, "grad 1"),
                  text("legend", 0, 110.0, 490.0, 300.0, "legend", size=5.0)],
    }


def run(name, *dumps, flags=()):
    """Writes the dumps as NAME-k.json and runs the checker on them."""
    paths = []
    for k, d in enumerate(dumps):
        p = os.path.join(TMP, "%s%s.json" % (name, "" if len(dumps) == 1 else "-%d" % k))
        with open(p, "w", encoding="utf-8") as f:
            json.dump(d, f)
        paths.append(p)
    return checker(*flags, *paths)


def checker(*argv):
    """legible.py's exit status, stdout and stderr for these arguments."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = legible.main(list(argv))
    return rc, out.getvalue(), err.getvalue()


def verdicts(out):
    """The five ok/not ok words of each figure, in order."""
    return ["not ok" if l.startswith("not ok") else "ok"
            for l in out.split("\n") if l.startswith("ok ") or l.startswith("not ok ")]


def row(out, name):
    """The measures line of figure NAME, split in columns."""
    for l in out.split("\n"):
        cols = l[2:].split()
        if l.startswith("# ") and cols and cols[0] == name:
            return cols
    return []


def expect(name, d, failing, detail=None, columns=None):
    """The checker fails exactly the tests numbered in failing (1..5), exits
    1 or 0 accordingly, prints the offender line detail, and its measures
    line has the given columns {index: text}."""
    rc, out, err = run(name, d)
    want = ["not ok" if k in failing else "ok" for k in range(1, 6)]
    got = verdicts(out)
    tap(got == want and rc == (1 if failing else 0) and not err,
        "%s: fails %s, exit %d" % (name, sorted(failing) or "nothing", 1 if failing else 0),
        "rc %d, verdicts %s\n%s%s" % (rc, got, out, err))
    if detail is not None:
        tap(("#   " + detail) in out.split("\n"), "%s: says '%s'" % (name, detail), out)
    for col, value in (columns or {}).items():
        cols = row(out, name)
        tap(len(cols) > col and cols[col] == value,
            "%s: measure column %d is %s" % (name, col, value), out)


def cases_text():
    """Smallest node or edge text, 18 px/em at 2 px/pt is 9 pt."""
    expect("pass", base(), set(), columns={1: "960x540", 2: "2.000", 3: "20.0", 4: "0", 5: "0",
                                           6: "0/1", 7: "0.0%", 8: "10.0%"})
    d = base()
    d["texts"][2]["size"] = 9.0
    expect("edge-text-9pt", d, set(), columns={3: "18.0"})
    d["texts"][2]["size"] = 8.9
    expect("edge-text-8.9pt", d, {1}, "text 'grad 1' (edge 0): 8.90 pt x 2.0000 px/pt = 17.8 px/em",
           columns={3: "17.8"})
    d = base()
    d["texts"][0]["size"] = 8.0
    expect("node-text-8pt", d, {1}, columns={3: "16.0"})
    d = base()
    d["height"] = 1080.0   # the height now limits: 1 px per point
    d["legend"]["h"] = 108.0
    expect("tall-figure", d, {1}, columns={2: "1.000", 3: "10.0"})


def cases_overlap():
    """Text boxes sharing more than 0.5 pt both ways; any owner counts."""
    d = base()
    d["texts"].append(text("title", 0, 169.5, 113.5, 30.0, "title"))   # shares 0.5 x 13 with 'A'
    expect("overlap-0.5pt", d, set(), columns={4: "0"})
    d["texts"][-1]["x"] = 169.0                                         # 1.0 x 13
    expect("overlap-1pt", d, {2}, "texts 'A' (node 0) and 'title' (title 0) share 1.0 x 13.0 pt",
           columns={4: "1"})
    d = base()
    d["texts"].append(text("legend", 1, 140.0, 125.9, 20.0, "key"))    # 20 x 0.6 below 'A'
    expect("overlap-below", d, {2}, columns={4: "1"})


def cases_through():
    """Edges entering a foreign node or text by more than the 1 pt margin."""
    d = base()
    d["nodes"].append({"index": 2, "id": "C", "hidden": False, "x": 220.0, "y": 119.5, "w": 30.0, "h": 40.0})
    expect("node-within-margin", d, set(), columns={5: "0"})
    d["nodes"][2]["y"] = 118.5
    expect("node-on-line", d, {3}, "edge 0 (A -> B) passes through node 'C'", columns={5: "1"})
    d["nodes"][2]["hidden"] = True
    expect("hidden-node-on-line", d, set())
    d = base()
    d["texts"].append(text("title", 0, 220.0, 113.5, 30.0, "title"))
    expect("text-on-line", d, {3}, "edge 0 (A -> B) passes through text 'title' (title 0)")
    d = base()
    d["texts"][2]["index"] = 1   # its label's text, now another edge's
    expect("other-label-text", d, {3}, "edge 0 (A -> B) passes through text 'grad 1' (edge 1)")
    # a bent edge: the curve bulges up to y = 60, its control points to y = 40
    d = base()
    d["edges"][0]["points"] = [[200.0, 120.0], [266.0, 40.0], [333.0, 40.0], [392.0, 120.0]]
    del d["edges"][0]["label"]
    d["texts"].pop(2)
    d["nodes"].append({"index": 2, "id": "C", "hidden": False, "x": 280.0, "y": 30.0, "w": 40.0, "h": 20.0})
    expect("curve-misses-hull-node", d, set())
    d["nodes"][2]["y"] = 55.0
    expect("curve-hits-node", d, {3}, "edge 0 (A -> B) passes through node 'C'")


def cases_sides():
    """Visible line each side of the label: outside the label and the end
    nodes; more than 5% of labelled edges short fails."""
    d = base()
    d["edges"][0]["label"].update(x=340.0, w=40.0)    # after: 392 - 380 = 12
    expect("after-12pt", d, set(), columns={6: "0/1"})
    d["edges"][0]["label"]["x"] = 341.0
    expect("after-11pt", d, {4}, "edge 0 (A -> B): 141.0 pt before its label, 11.0 pt after",
           columns={6: "1/1", 7: "100.0%"})
    d = base()
    d["edges"][0]["points"] = [[150.0, 120.0], [230.0, 120.0], [310.0, 120.0], [392.0, 120.0]]
    d["edges"][0]["label"]["x"] = 211.0    # 11 pt of line outside A, though the curve starts inside it
    expect("inside-end-node", d, {4}, "edge 0 (A -> B): 11.0 pt before its label, 121.0 pt after")
    expect("share-1-of-20", many(1), set(), columns={6: "1/20", 7: "5.0%"})
    expect("share-2-of-20", many(2), {4}, columns={6: "2/20", 7: "10.0%"})


def many(short):
    """Twenty labelled edges far from any node, `short` of them with the
    label 4 pt from the end."""
    d = base()
    d["edges"], d["texts"] = [], d["texts"][:2]
    for k in range(20):
        y = 160.0 + 15 * k
        x = 316.0 if k < short else 270.0
        d["edges"].append({"index": k, "from": 0, "to": 1,
                           "points": [[200.0, y], [250.0, y], [300.0, y], [350.0, y]],
                           "label": {"x": x, "y": y - 5, "w": 30.0, "h": 10.0}})
    return d


def cases_legend():
    d = base()
    d["legend"]["h"] = 108.0
    expect("legend-20pc", d, set(), columns={8: "20.0%"})
    d["legend"]["h"] = 109.0
    expect("legend-20.2pc", d, {5}, columns={8: "20.2%"})


def cases_input():
    """Several figures in one run; dumps it cannot measure."""
    d = base()
    d["legend"]["h"] = 200.0
    rc, out, err = run("two", base(), d)
    tap(rc == 1 and out.startswith("1..10\n") and verdicts(out) == ["ok"] * 9 + ["not ok"],
        "two figures: plan 1..10, the second's legend fails, exit 1", out)
    d = base()
    del d["texts"][1]["size"]
    rc, out, err = run("no-size", d)
    tap(rc == 2 and "texts[1] has no 'size'" in err and out == "",
        "a dump without the text size: exit 2, says which", err)
    with open(os.path.join(TMP, "bad.json"), "w") as f:
        f.write("{")
    rc, out, err = checker(os.path.join(TMP, "bad.json"))
    tap(rc == 2 and "bad.json" in err, "not JSON: exit 2", err)
    rc, out, err = run("md", base(), flags=("--markdown",))
    tap(rc == 0 and "| md | 960x540 | 20.0 | 0 | 0 | 0/1 (0.0%) | 10.0% |" in out,
        "--markdown: one table row per figure", out)


def main():
    for cases in (cases_text, cases_overlap, cases_through, cases_sides, cases_legend, cases_input):
        cases()
    for name in os.listdir(TMP):
        os.unlink(os.path.join(TMP, name))
    os.rmdir(TMP)
    return taplib.done()


if __name__ == "__main__":
    sys.exit(main())
