#!/usr/bin/env python3
"""expected.py: every example's outputs against the files committed in
tests/expected/, byte for byte: eval as text, JSON and CSV, the annotated
DOT and the layout dump (render --dump-layout). Any change of any byte
fails its case with the first lines of the difference; after a change
that is meant, `make refresh-expected` writes the files again (the diff
then shows in review).

The dumps hold text widths measured with the installed fonts, so they are
compared only where the fonts are the ones the expected files were made
with, the ones scripts/install-deps.sh installs (fonts-dejavu-core):
tests/expected/FONTS records what fontconfig picks for the figures' font,
regular and bold (file and version); elsewhere the dumps' cases are
skipped, saying so. Everything else is compared everywhere.

    expected.py            compare (TAP)
    expected.py --refresh  write tests/expected/ (GDV_SRCDIR's)

One Python process (tests/tap.py); gradviz runs a few at a time.
"""
import difflib
import os
import sys
import tempfile
import shutil

sys.dont_write_bytecode = True  # no __pycache__ in the (maybe read-only) source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/
import tap  # noqa: E402
from tap import GRADVIZ, SRC, ok  # noqa: E402

EXPECTED = os.path.join(SRC, "tests", "expected")
EXAMPLES = os.path.join(SRC, "examples")
# what each example gives: the file's suffix and how it is made
KINDS = [(".txt", ["eval"]), (".json", ["eval", "--format", "json"]),
         (".csv", ["eval", "--format", "csv"])]
FONT = "DejaVu Sans"   # styles/default.style's font


def fonts():
    """What fontconfig picks for the figures' font, regular and bold."""
    lines = []
    for style in ("", ":bold"):
        r = tap.run(["fc-match", "-f", "%{file} %{fontversion}\\n", FONT + style])
        lines.append("%s%s: %s" % (FONT, style, r.stdout.strip() or "(fc-match: %s)" % r.stderr.strip()))
    return "\n".join(lines) + "\n"


def outputs(tmp):
    """{name: bytes} of every example's outputs (NAME.txt, NAME.json,
    NAME.csv, NAME.dot, NAME.layout.json); errors as {name: text}."""
    graphs = sorted(f for f in os.listdir(EXAMPLES) if f.endswith((".dot", ".gv", ".expr")))
    jobs = {}
    for f in graphs:
        path = os.path.join(EXAMPLES, f)
        for suffix, args in KINDS:
            jobs[f + suffix] = [GRADVIZ] + args[:1] + [path] + args[1:]
        jobs[f + ".dot"] = [GRADVIZ, "render", path, "-o", os.path.join(tmp, f + ".dot"),
                            "--dump-layout", os.path.join(tmp, f + ".layout.json")]
    ran = tap.run_all(jobs)
    got, errors = {}, {}
    for f in graphs:
        for suffix, _ in KINDS:
            r = ran[f + suffix]
            if r.returncode:
                errors[f + suffix] = r.stderr
            got[f + suffix] = r.stdout.encode("utf-8")
        r = ran[f + ".dot"]
        for suffix in (".dot", ".layout.json"):
            try:
                with open(os.path.join(tmp, f + suffix), "rb") as fh:
                    got[f + suffix] = fh.read()
            except OSError as e:
                got[f + suffix] = b""
                errors[f + suffix] = "%s\n%s" % (e, r.stderr)
    return got, errors


def refresh(got, errors):
    """Writes tests/expected/ anew (files of examples gone are removed)."""
    if errors:
        for k, v in sorted(errors.items()):
            print("expected.py: %s: %s" % (k, v.strip()), file=sys.stderr)
        return 1
    os.makedirs(EXPECTED, exist_ok=True)
    for f in os.listdir(EXPECTED):
        if f != "FONTS" and f not in got:
            os.remove(os.path.join(EXPECTED, f))
    for name, data in got.items():
        with open(os.path.join(EXPECTED, name), "wb") as fh:
            fh.write(data)
    with open(os.path.join(EXPECTED, "FONTS"), "w") as fh:
        fh.write(fonts())
    print("expected.py: %d files written in %s" % (len(got) + 1, EXPECTED))
    return 0


def compare(got, errors):
    """One case a file; dumps skipped under other fonts."""
    try:
        want_fonts = open(os.path.join(EXPECTED, "FONTS"), encoding="utf-8").read()
    except OSError:
        want_fonts = "(tests/expected/FONTS is missing)"
    have_fonts = fonts()
    expected = set(f for f in os.listdir(EXPECTED) if f != "FONTS") if os.path.isdir(EXPECTED) else set()
    for name in sorted(got):
        if name.endswith(".layout.json") and have_fonts != want_fonts:
            tap.skip("%s is as expected" % name, "the dump measures text with other fonts here: "
                     + have_fonts.replace("\n", "; ").strip("; "))
            continue
        try:
            with open(os.path.join(EXPECTED, name), "rb") as fh:
                want = fh.read()
        except OSError:
            ok(False, "%s is as expected" % name,
               "tests/expected/%s is missing: `make refresh-expected` writes it" % name)
            continue
        same = got[name] == want and name not in errors
        diff = None
        if not same:
            diff = errors.get(name, "") + "".join(difflib.unified_diff(
                want.decode("utf-8", "replace").splitlines(True),
                got[name].decode("utf-8", "replace").splitlines(True),
                "tests/expected/" + name, "now", n=1))
        ok(same, "%s is as expected (%d bytes)" % (name, len(want)), diff)
    # an example removed or renamed leaves its expected files behind
    stale = sorted(expected - set(got))
    ok(not stale, "tests/expected/ holds no file of an example that is gone",
       "left: %s (`make refresh-expected` removes them)" % ", ".join(stale))
    return tap.done()


def main():
    tmp = tempfile.mkdtemp(prefix="gdv-expected.")
    try:
        got, errors = outputs(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return refresh(got, errors) if sys.argv[1:] == ["--refresh"] else compare(got, errors)


if __name__ == "__main__":
    sys.exit(main())
