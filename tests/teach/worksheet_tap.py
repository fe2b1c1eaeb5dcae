"""What the two worksheet tests share (tests/teach/worksheet.py and
tests/teach/worksheet_page.py): the built gradviz and how it is run; TAP from tests/tap.py.
Standard library only."""
import os
import subprocess
import sys

SRC = os.environ.get("GDV_SRCDIR", ".")
GRADVIZ = os.environ.get("GRADVIZ", "./gradviz")
sys.path.insert(0, os.path.join(SRC, "tests"))
from tap import ok  # noqa: E402,F401 - the cases' TAP lines, as every test's
from tap import done as finish  # noqa: E402,F401 - the plan and the exit status


def run(*args):
    """gradviz's stdout; an exception naming a failure."""
    r = subprocess.run([GRADVIZ] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise RuntimeError("gradviz %s: exit %d: %s" % (" ".join(args), r.returncode,
                                                          r.stderr.decode()))
    return r.stdout.decode()

