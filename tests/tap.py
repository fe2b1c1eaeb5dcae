"""tap.py: what the Python test scripts print with (tap.sh's twin): one
TAP line per case, numbered, the reason after a failure as # lines, and
the children a script starts (gradviz, rsvg-convert, dot...) run a few at
a time, so that one Python process drives a whole script.

    import tap
    out = tap.run_all({"a": [tap.GRADVIZ, "eval", "g.dot"], ...})
    tap.ok(out["a"].returncode == 0, "eval g.dot", out["a"].stderr)
    sys.exit(tap.done())
"""
import concurrent.futures
import os
import subprocess
import sys
import time

SRC = os.environ.get("GDV_SRCDIR", ".")
GRADVIZ = os.environ.get("GRADVIZ", "gradviz")
# children at once: the machine's cores (GDV_TEST_JOBS to say otherwise)
JOBS = int(os.environ.get("GDV_TEST_JOBS", "0")) or min(os.cpu_count() or 2, 4)

n = 0
fails = 0


def ok(cond, name, diag=None):
    """One TAP line; after a failure, diag (any text) as # lines."""
    global n, fails
    n += 1
    if not cond:
        fails += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, name))
    if not cond and diag:
        for line in str(diag).splitlines()[:20]:
            print("# " + line[:300])
    sys.stdout.flush()


def check(name, fn):
    """A case whose check may raise: an exception (an assertion, a
    missing key) fails it with its text. fn gives good or (good, diag)."""
    try:
        res = fn()
        good, diag = res if isinstance(res, tuple) else (res, None)
    except Exception as e:  # noqa: BLE001 - any failure of the check is the case's
        good, diag = False, "%s: %s" % (type(e).__name__, e)
    ok(good, name, diag)


def skip(name, why):
    """A case that cannot run here, and why."""
    global n
    n += 1
    print("ok %d - %s # SKIP %s" % (n, name, why))


def done():
    """Prints the plan; the exit status (1 when a case failed)."""
    print("1..%d" % n)
    return 1 if fails else 0


def run(args, stdin=None, env=None, timeout=600):
    """A child to its end: CompletedProcess with text stdout and stderr
    (undecodable bytes replaced) and its wall time in .seconds; a program
    that cannot start gives returncode 127 and the reason in stderr."""
    t0 = time.monotonic()
    try:
        r = subprocess.run(args, input=stdin, capture_output=True, env=env, timeout=timeout,
                           text=True, errors="replace")
    except OSError as e:
        r = subprocess.CompletedProcess(args, 127, "", str(e))
    except subprocess.TimeoutExpired:
        r = subprocess.CompletedProcess(args, 124, "", "timed out after %d s" % timeout)
    r.seconds = time.monotonic() - t0
    return r


def run_all(jobs, timeout=600):
    """Runs {key: argv} JOBS at a time, each stopped past timeout seconds;
    {key: CompletedProcess}. Keys run in the order given, so the slow ones
    should come first."""
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        futures = {k: pool.submit(run, argv, timeout=timeout) for k, argv in jobs.items()}
        return {k: f.result() for k, f in futures.items()}


def gradviz(*args, **kw):
    """gradviz with args (run's keywords)."""
    return run([GRADVIZ] + [str(a) for a in args], **kw)
