#!/usr/bin/env python3
"""text.py: text through the command line. A Chinese label draws with real
glyphs in PNG, SVG and PDF (font fallback), `\\n` in a label (a node's, or
the graph's: the title) breaks the line (Graphviz's escString, `\\l` and
`\\r` too), and the annotated DOT round-trips byte for byte (backslashes
are not doubled). One Python process (tests/tap.py); prints TAP.
"""
import os
import shutil
import sys
import tempfile
import json

sys.dont_write_bytecode = True  # no __pycache__ in the (maybe read-only) source tree
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # tests/
sys.path[:0] = [HERE, os.path.join(HERE, "data", "text")]
import tap  # noqa: E402
from tap import GRADVIZ, SRC, check, ok  # noqa: E402
import ink  # noqa: E402

T = tempfile.mkdtemp(prefix="gdv-text.")


def p(*parts):
    return os.path.join(T, *parts)


def write(name, text):
    with open(p(name), "w", encoding="utf-8") as f:
        f.write(text)


def read(name, mode="r"):
    try:
        with open(p(name), mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            return f.read()
    except OSError:
        return b"" if "b" in mode else ""


def dump(name):
    try:
        return json.loads(read(name))
    except ValueError:
        return {"texts": [], "nodes": []}



# A missing glyph is one box whatever the character, so 梯 and 度 would give
# the same image, inking as much as the one stroke of 一. Real glyphs: the
# images of 梯 and 度 differ, and 梯 (many strokes) inks far more than 一.
# (Their ink counts alone may tie: the box's outline dominates them, and
# which CJK font fontconfig picks depends on the machine.) Drawn at their
# own size (--page none): a small image, the same glyphs.
CHARS = {"ti": "梯", "du": "度", "yi": "一"}
for c, ch in CHARS.items():
    write(c + ".dot", 'digraph t {\n  x [value=1, label="%s"];\n}\n' % ch)
made = tap.run_all({c: [GRADVIZ, "render", p(c + ".dot"), "--show", "none", "--page", "none",
                        "-o", p(c + ".png"), "-o", p(c + ".svg"), "-o", p(c + ".pdf")]
                    for c in CHARS})
for c, r in made.items():
    if r.returncode:
        print("# %s: %s" % (c, r.stderr.strip()))
rasters = {}
for c in CHARS:
    rasters["svg " + c] = ["rsvg-convert", "-z", "2", "-o", p(c + ".svg.png"), p(c + ".svg")]
    rasters["pdf " + c] = ["pdftoppm", "-r", "144", "-png", "-singlefile", p(c + ".pdf"), p(c + ".pdf")]
rasters["fonts"] = ["pdffonts", p("ti.pdf")]
rasters = tap.run_all(rasters)
for f in ("png", "svg", "pdf"):
    dark = {}
    for c in CHARS:
        try:
            dark[c] = ink.dark_pixels(p(c + (".png" if f == "png" else "." + f + ".png")))
        except Exception:  # noqa: BLE001 - no image: no ink
            dark[c] = 0
    image = {c: read(c + (".png" if f == "png" else "." + f + ".png"), "rb") for c in CHARS}
    ok(dark["ti"] > dark["yi"] + 40 and image["ti"] != image["du"],
       "%s: a Chinese label draws real glyphs (dark pixels 梯 %d, 度 %d, 一 %d)"
       % (f, dark["ti"], dark["du"], dark["yi"]))
fonts = [line.split() for line in rasters["fonts"].stdout.splitlines()[2:]]
check("pdf: a CJK font is embedded beside DejaVu", lambda: (any(
    "DejaVu" not in f[0] and f[-5] == "yes" for f in fonts), rasters["fonts"].stdout))
check("svg: 梯 and 度 are real <text> (searchable, editable)", lambda: (
    "梯 = C</text>" in read("ti.svg") and "度 = C</text>" in read("du.svg")))

# `\n` ends a centred line; \l and \r are line breaks too; the box grows by
# one line per break; `\\n` is a backslash and an n.
write("lines.dot", 'digraph t {\n  label="t1\\nt2";\n  x [value=1, label="a\\nb"];\n'
      '  y [value=2, label="ab"];\n  z [value=3, label="p\\lq\\rr"];\n'
      '  w [value=4, label="u\\\\nv"];\n  s [op=add];\n  x -> s; y -> s; z -> s; w -> s;\n}\n')
# the annotated DOT: X -> Y -> Z, Y and Z the same bytes, labels kept as
# written (no doubled backslash), and the line break survives
write("x.dot", 'digraph "rt\\\\n" {\n  x [value=1, label="a\\nb"];\n  z [value=2, label="z\\\\n"];\n'
      '  q [value=3, label="q\\"r"];\n  c [value=4, label="梯度"];\n  s [op=add];\n'
      '  x -> s; z -> s; q -> s; c -> s;\n}\n')
# a label ending in an escaped backslash: \\ is a pair (as in cgraph), so
# the quote after it ends the string; drawn as one backslash
write("bs.dot", 'digraph t {\n  x [value=1, label="end\\\\"];\n}\n')
write("bs2.dot", 'digraph t {\n  x [value=1, label="end\\\\"];\n  z [op=bogus];\n  x -> z;\n}\n')
X = os.path.join(SRC, "examples", "x-squared.dot")
made = tap.run_all({
    "lines": [GRADVIZ, "render", p("lines.dot"), "--show", "title", "-o", p("lines.png"),
              "--dump-layout", p("lines.json")],
    "y": [GRADVIZ, "render", p("x.dot"), "-o", p("y.dot")],
    "y2": [GRADVIZ, "render", X, "-o", p("y2.dot")],
    "bs": [GRADVIZ, "render", p("bs.dot"), "--show", "none", "-o", p("bs.png"),
           "--dump-layout", p("bs.json")],
    "bs2": [GRADVIZ, "eval", p("bs2.dot")],
    "x csv": [GRADVIZ, "eval", p("x.dot"), "--format", "csv"],
})
made.update(tap.run_all({
    "z": [GRADVIZ, "render", p("y.dot"), "-o", p("z.dot")],
    "z2": [GRADVIZ, "render", p("y2.dot"), "-o", p("z2.dot")],
    "y png": [GRADVIZ, "render", p("y.dot"), "--show", "none", "-o", p("y.png"),
              "--dump-layout", p("y.json")],
    "y csv": [GRADVIZ, "eval", p("y.dot"), "--format", "csv"],
}))
for k, r in made.items():
    if r.returncode and k != "bs2":
        print("# %s: %s" % (k, r.stderr.strip()))


def node_lines(d, i):
    return [(t["text"], t["y"]) for t in d["texts"] if t["owner"] == "node" and t["index"] == i]


def line_breaks():
    d = dump("lines.json")
    a = node_lines(d, 0)
    assert [t for t, _ in a] == ["a", "b"], a
    step = a[1][1] - a[0][1]
    assert step >= 11, a
    assert [t for t, _ in node_lines(d, 2)] == ["p", "q", "r"], node_lines(d, 2)
    assert [t for t, _ in node_lines(d, 3)] == ["u\\nv"], node_lines(d, 3)
    h = [n["h"] for n in d["nodes"]]
    assert abs(h[0] - h[1] - step) < 0.01 and abs(h[2] - h[1] - 2 * step) < 0.01, (h, step)
    return True


def title_lines():
    titles = [(t["text"], t["y"]) for t in dump("lines.json")["texts"] if t["owner"] == "title"]
    return [t for t, _ in titles] == ["t1", "t2"] and titles[1][1] > titles[0][1], titles


check("a\\nb draws two lines, one below the other", line_breaks)
check("a graph label with \\n draws a two-line title", title_lines)
check("annotated DOT round-trips byte for byte", lambda: read("y.dot", "rb") != b"" and
      read("y.dot", "rb") == read("z.dot", "rb"))
check("annotated DOT with a graph label round-trips byte for byte", lambda: read("y2.dot", "rb") != b""
      and read("y2.dot", "rb") == read("z2.dot", "rb"))
check("annotated DOT keeps z\\\\n as written", lambda: 'gradviz_label="z\\\\n"' in read("y.dot"))
check("annotated DOT keeps a\\nb and a quote", lambda: 'gradviz_label="a\\nb"' in read("y.dot") and
      'gradviz_label="q\\"r"' in read("y.dot"))
check("a\\nb read back from the annotated DOT still draws two lines", lambda: (lambda names: (
    names == ["a", "b"], names))([t for t, _ in node_lines(dump("y.json"), 0)]))
check("a label ending in \\\\ reads and draws as one backslash", lambda: (lambda names: (
    names == ["end\\ = C"], names))([t["text"] for t in dump("bs.json")["texts"] if t["owner"] == "node"]))
check("after a label ending in \\\\ errors still name their line", lambda: (
    made["bs2"].stderr == "gradviz: %s:3: node 'z': unknown op 'bogus'\n" % p("bs2.dot"),
    made["bs2"].stderr))
check("eval reads the annotated DOT to the same numbers", lambda: (
    made["x csv"].stdout != "" and made["x csv"].stdout == made["y csv"].stdout,
    made["x csv"].stderr + made["y csv"].stderr))

status = tap.done()
if status == 0:
    shutil.rmtree(T, ignore_errors=True)
else:
    print("# files kept in " + T)
sys.exit(status)
