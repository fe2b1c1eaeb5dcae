"""What the two worksheet tests share (tests/teach/worksheet.py and
tests/teach/worksheet_page.py): the built gradviz, TAP cases and their count.
Standard library only."""
import os
import subprocess
import sys

SRC = os.environ.get("GDV_SRCDIR", ".")
GRADVIZ = os.environ.get("GRADVIZ", "./gradviz")
state = {"n": 0, "fails": 0}


def ok(cond, name, diag=None):
    """One TAP line; diag lines after a failure."""
    state["n"] += 1
    if not cond:
        state["fails"] += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", state["n"], name))
    if not cond and diag:
        for line in str(diag).splitlines()[:12]:
            print("# " + line[:300])
    sys.stdout.flush()


def run(*args):
    """gradviz's stdout; an exception naming a failure."""
    r = subprocess.run([GRADVIZ] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise RuntimeError("gradviz %s: exit %d: %s" % (" ".join(args), r.returncode,
                                                          r.stderr.decode()))
    return r.stdout.decode()


def finish():
    """The plan, and the exit status."""
    print("1..%d" % state["n"])
    return 1 if state["fails"] else 0
