"""What the two exporter tests share (tests/python/pyexport.py and
tests/python/pyexport_torch.py): the built gradviz, the module on sys.path, TAP
cases and their report. Standard library only."""
import json
import os
import subprocess
import sys

GRADVIZ = os.environ.get("GRADVIZ", "gradviz")
SRC = os.environ.get("GDV_SRCDIR", ".")
sys.path.insert(0, os.path.join(SRC, "python"))

tests = []


def t(ok, what):
    """Records one TAP case."""
    tests.append((bool(ok), what))


def run(*args):
    """Runs the built gradviz, capturing its output."""
    return subprocess.run([GRADVIZ] + list(args), capture_output=True, text=True)


def eval_json(path):
    """gradviz eval's JSON of a file, or None when eval fails."""
    r = run("eval", path, "--format", "json")
    return json.loads(r.stdout) if r.returncode == 0 else None


def report(cases):
    """Runs each case (a crash is a failed case, not a lost plan), then
    prints the plan and every case."""
    for name, case in cases:
        try:
            case()
        except Exception as e:
            t(False, "%s raised %s: %s" % (name, type(e).__name__, e))
    print("1..%d" % len(tests))
    for i, (ok, what) in enumerate(tests, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, " ".join(str(what).split())))
