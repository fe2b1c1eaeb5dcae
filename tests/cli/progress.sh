#!/bin/sh
# progress.sh: the progress line of render and mnist. On a terminal (a
# pseudo-terminal made by Python's pty module), "gradviz: drawing FILE… N s"
# shows once the figure takes GRADVIZ_PROGRESS_DELAY seconds (default 1),
# is rewritten in place each second, and is blanked at the end; a message
# blanks it first; nothing at all when stderr is not a terminal, or when
# the figure goes to a terminal on stdout. One Python process runs every
# case; prints TAP.
: "${GRADVIZ:?set GRADVIZ to the built binary}"
: "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}"
. "$GDV_SRCDIR/tests/tap.sh"  # GDV_PYTHON
py=$(command -v "$GDV_PYTHON") || { echo "1..0 # SKIP no python3"; exit 0; }
work=$(mktemp -d "${TMPDIR:-/tmp}/gdv-progress.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99
printf 'digraph { a [value=1]; b [op=neg]; a -> b }\n' >ok.dot
exec "$py" - <<'EOF'
import os, pty, re, subprocess, time

G = os.environ["GRADVIZ"]
n = 0

def tap(good, name, detail=""):
    global n
    n += 1
    print("%s %d - %s" % ("ok" if good else "not ok", n, name))
    if not good and detail:
        for line in detail.splitlines():
            print("# " + line)

def run(args, delay=None, stdout_tty=False):
    """Runs gradviz with stderr on a fresh pty (stdout too when asked);
    returns (exit status, the bytes the terminal got, seconds taken)."""
    env = dict(os.environ)
    env.pop("GRADVIZ_PROGRESS_DELAY", None)
    if delay is not None:
        env["GRADVIZ_PROGRESS_DELAY"] = delay
    master, slave = pty.openpty()
    out = slave if stdout_tty else open("stdout.txt", "wb")
    start = time.monotonic()
    p = subprocess.Popen([G] + args, stdin=subprocess.DEVNULL, stdout=out, stderr=slave, env=env)
    os.close(slave)
    if not stdout_tty:
        out.close()
    got = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:   # EIO: every writer closed the pty
            break
        if not chunk:
            break
        got += chunk
    rc = p.wait()
    os.close(master)
    return rc, got, time.monotonic() - start

def line(what, seconds):
    return ("\rgradviz: %s\u2026 %d s" % (what, seconds)).encode()

def columns(b):
    return len(b.decode())

def erased(what, seconds):
    shown = line(what, seconds)[1:]
    return b"\r" + b" " * columns(shown) + b"\r"

# 1. Shown at once with a delay of 0, then blanked: exactly these bytes.
rc, got, _ = run(["render", "ok.dot", "-o", "ok.png"], delay="0")
want = line("drawing ok.png", 0) + erased("drawing ok.png", 0)
tap(rc == 0 and got == want, "render on a terminal: the line, then blanks over it",
    "exit %d, got %r\nwant %r" % (rc, got, want))

# 2. A quick figure with the default delay writes nothing.
rc, got, t = run(["render", "ok.dot", "-o", "ok.png"])
tap(rc == 0 and got == b"", "a figure under a second: no line (%.2f s)" % t, repr(got))

# 3. A figure over a second, default delay: "1 s" (and more), rewritten in
# place on one line, blanked at the end. How long drawing takes depends on
# the machine and the build (a sanitizer build is 4x slower), so the test
# makes it long: the figure goes to a pipe of one page that the test does
# not read until 2.6 s after the start, and writing it blocks till then.
def run_held(args, hold):
    """Runs gradviz with stdout on a small pipe read only after `hold`
    seconds and stderr on a pty; returns (exit status, what the terminal
    got, seconds from the start to the terminal's first byte, stdout)."""
    import fcntl, select
    env = dict(os.environ)
    env.pop("GRADVIZ_PROGRESS_DELAY", None)
    master, slave = pty.openpty()
    r, w = os.pipe()
    fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, 4096)
    start = time.monotonic()
    p = subprocess.Popen([G] + args, stdin=subprocess.DEVNULL, stdout=w, stderr=slave, env=env)
    os.close(slave)
    os.close(w)
    got, out, first = b"", b"", None
    open_fds = {master, r}
    while open_fds:
        waiting = [master] if master in open_fds else []
        if r in open_fds and time.monotonic() - start >= hold:
            waiting.append(r)
        ready, _, _ = select.select(waiting, [], [], 0.05)
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:   # EIO: every writer closed the pty
                chunk = b""
            if not chunk:
                open_fds.discard(fd)
            elif fd == master:
                if first is None:
                    first = time.monotonic() - start
                got += chunk
            else:
                out += chunk
    rc = p.wait()
    os.close(master)
    os.close(r)
    return rc, got, first, out

rc, got, first, out = run_held(["render", "ok.dot", "-o", "-", "--format", "png", "--dpi", "300"],
                               hold=2.6)
seconds = [int(s) for s in re.findall(rb"drawing <stdout>\xe2\x80\xa6 (\d+) s", got)]
last = seconds[-1] if seconds else 0
good = (rc == 0 and seconds and seconds[0] == 1 and seconds == list(range(1, last + 1))
        and first is not None and first >= 1.0 and b"\n" not in got
        and got.endswith(erased("drawing <stdout>", last)) and out.startswith(b"\x89PNG")
        and len(out) > 65536)
tap(good, "a figure over a second: 1 s, 2 s, ... in place after the delay, then blanked",
    "exit %d, first byte at %s s, %d bytes of figure, got %r" % (rc, first, len(out), got))

# 4. stderr not a terminal: nothing, even with a delay of 0.
env = dict(os.environ, GRADVIZ_PROGRESS_DELAY="0")
p = subprocess.run([G, "render", "ok.dot", "-o", "ok2.png"], env=env,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
tap(p.returncode == 0 and p.stderr == b"", "stderr not a terminal: no progress line", repr(p.stderr))

# 5. A message during the work blanks the line first and stands on its
# own line; the line is blanked again at the end.
rc, got, _ = run(["render", "ok.dot", "-o", "x.png", "--style", "drak"], delay="0")
msg = b"gradviz: --style: no style named 'drak' (did you mean 'dark'?)\r\n"
want = line("drawing x.png", 0) + erased("drawing x.png", 0) + msg
tap(rc == 2 and got == want, "a message blanks the line and takes its place",
    "exit %d, got %r\nwant %r" % (rc, got, want))

# 6. mnist: the same line; its summary on stdout is untouched.
rc, got, _ = run(["mnist", "--layers", "784,4,10", "--show-units", "2,2,2", "-o", "m.png"],
                 delay="0")
want = line("drawing m.png", 0) + erased("drawing m.png", 0)
summary = open("stdout.txt", "rb").read()
tap(rc == 0 and got == want and summary.startswith(b"digit ") and b"\r" not in summary,
    "mnist on a terminal: the line, then blanks; stdout as before",
    "exit %d, got %r, stdout %r" % (rc, got, summary[:80]))

# 7. mnist --emit dot: "writing".
rc, got, _ = run(["mnist", "--layers", "784,4,10", "--emit", "dot", "-o", "net.dot"], delay="0")
want = line("writing net.dot", 0) + erased("writing net.dot", 0)
tap(rc == 0 and got == want, "mnist --emit dot: writing FILE", repr(got))

# 8. -o - with stdout on the terminal: the figure is the terminal's, no line.
rc, got, _ = run(["render", "ok.dot", "-o", "-", "--format", "dot"], delay="0", stdout_tty=True)
tap(rc == 0 and b"drawing" not in got and b"digraph" in got,
    "-o - on a terminal: no progress line over the figure", repr(got[:200]))

# 9. A long file name is cut to the terminal's width (80 columns on a new
# pty): the line never wraps, and the seconds stay.
long_name = "a" * 120 + ".png"
rc, got, _ = run(["render", "ok.dot", "-o", long_name], delay="0")
parts = got.split(b"\r")
first = parts[1].decode() if len(parts) > 1 else ""
tap(rc == 0 and len(first) <= 79 and first.endswith("\u2026 0 s"),
    "a long name is cut, the count kept (%d columns)" % len(first), repr(got[:200]))
print("1..%d" % n)
EOF
