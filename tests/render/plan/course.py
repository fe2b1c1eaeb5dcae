#!/usr/bin/env python3
"""course.py: the course graphs of issue 11 (tests/render/plan/course/*.expr):
their gradients agree with finite differences, and their layout dumps are
what tests/render/plan/legible.py measures: every text has a font size, every
node text's centre lies in its node's box (the dump's x, y are top-left
corners), and the checker reads the dump (exit 0 or 1, not 2). Whether
they pass is `make check-legible`, not this test. One Python process
(legible.py runs in it); prints TAP.
"""
import contextlib
import glob
import io
import json
import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the (maybe read-only) source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(os.path.dirname(HERE)), HERE]  # tests/ (tap), here
import tap  # noqa: E402
from tap import GRADVIZ, ok  # noqa: E402
import legible  # noqa: E402

T = tempfile.mkdtemp(prefix="gdv-course.")
graphs = sorted(glob.glob(os.path.join(HERE, "course", "*.expr")))
jobs = {}
for g in graphs:
    b = os.path.basename(g)[:-len(".expr")]
    jobs["check " + b] = [GRADVIZ, "check", g]
    jobs["render " + b] = [GRADVIZ, "render", g, "-o", os.path.join(T, b + ".png"),
                           "--dump-layout", os.path.join(T, b + ".json")]
ran = tap.run_all(jobs)


def texts_in_boxes(path):
    """Every text has a size; a node's texts are centred inside it."""
    d = json.load(open(path, encoding="utf-8"))
    nodes = {n["index"]: n for n in d["nodes"]}
    assert d["texts"], "no texts"
    for t in d["texts"]:
        assert t["size"] > 0, "text %r has size %r" % (t["text"], t["size"])
        if t["owner"] == "node":
            n = nodes[t["index"]]
            cx, cy = t["x"] + t["w"] / 2, t["y"] + t["h"] / 2
            assert n["x"] <= cx <= n["x"] + n["w"] and n["y"] <= cy <= n["y"] + n["h"], \
                "text %r centred at (%.1f, %.1f), outside its node %r" % (t["text"], cx, cy, n)


for g in graphs:
    b = os.path.basename(g)[:-len(".expr")]
    r = ran["check " + b]
    ok(r.returncode == 0, "%s: gradviz check passes" % b, (r.stdout + r.stderr)[-800:])
    dump = os.path.join(T, b + ".json")
    try:
        if ran["render " + b].returncode:
            raise AssertionError(ran["render " + b].stderr)
        texts_in_boxes(dump)
        good, why = True, None
    except (AssertionError, OSError, ValueError, KeyError) as e:
        good, why = False, e
    ok(good, "%s: dump has text sizes and top-left boxes" % b, why)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            rc = legible.main([dump])
        except SystemExit as e:
            rc = e.code
    ok(rc in (0, 1) and "1..5" in out.getvalue().splitlines(),
       "%s: legible.py measures the dump (exit %s)" % (b, rc), out.getvalue()[-600:])

status = tap.done()
shutil.rmtree(T, ignore_errors=True)
sys.exit(status)
