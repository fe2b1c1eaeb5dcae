#!/usr/bin/env python3
"""Settings a graph file carries (gradviz_style, gradviz_show,
gradviz_precision, gradviz_dpi) reach `gradviz render` and so `batch`;
options on the command line win. Read back from --dump-layout. TAP."""
import json
import os
import struct
import subprocess
import tempfile

GRADVIZ = os.environ.get("GRADVIZ", "gradviz")
tests = []


def t(ok, what):
    tests.append((bool(ok), what))


def texts(dump):
    with open(dump) as f:
        return [x["text"] for x in json.load(f)["texts"]]


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    return struct.unpack(">II", head[16:24])


with tempfile.TemporaryDirectory() as tmp:
    g = os.path.join(tmp, "s.dot")
    with open(g, "w") as f:
        f.write('digraph { gradviz_precision=2; gradviz_show="values,grads"; '
                'gradviz_dpi=72; a [value=1.23456]; b [op=tanh]; a -> b; }\n')
    dump = os.path.join(tmp, "d.json")
    r = subprocess.run([GRADVIZ, "render", g, "-o", os.path.join(tmp, "s.png"),
                        "--dump-layout", dump], capture_output=True, text=True)
    t(r.returncode == 0, "render honours the graph's settings (%s)" % r.stderr.strip())
    tx = texts(dump)
    t("value 1.2" in tx, "gradviz_precision=2 gives 'value 1.2' (%r)" % tx)
    t(not any(x.startswith("local") for x in tx), "gradviz_show drops the locals")
    w72, h72 = png_size(os.path.join(tmp, "s.png"))
    r = subprocess.run([GRADVIZ, "render", g, "-o", os.path.join(tmp, "s2.png"),
                        "--precision", "6", "--show", "all", "--dpi", "144",
                        "--dump-layout", dump], capture_output=True, text=True)
    tx = texts(dump)
    t(r.returncode == 0 and "value 1.23456" in tx and any(x.startswith("local") for x in tx),
      "options on the command line win over the graph's settings")
    subprocess.run([GRADVIZ, "render", g, "-o", os.path.join(tmp, "s3.png"), "--dpi", "144"])
    w144, h144 = png_size(os.path.join(tmp, "s3.png"))
    t(abs(w144 - 2 * w72) <= 2, "gradviz_dpi=72 gives half the pixels of --dpi 144 (%d, %d)"
      % (w72, w144))
    # A style file named by the graph is found beside the graph, from any folder.
    with open(os.path.join(tmp, "big.style"), "w") as f:
        f.write("font-size = 30\n")
    with open(os.path.join(tmp, "styled.dot"), "w") as f:
        f.write('digraph { gradviz_style="big.style"; a [value=1]; b [op=neg]; a -> b; }\n')
    with open(os.path.join(tmp, "plain.dot"), "w") as f:
        f.write('digraph { a [value=1]; b [op=neg]; a -> b; }\n')
    sizes = {}
    for name in ("styled", "plain"):
        r = subprocess.run([GRADVIZ, "render", name + ".dot", "-o", os.path.join(tmp, name + ".png")],
                           capture_output=True, text=True, cwd=tmp)
        t(r.returncode == 0, "%s renders (%s)" % (name, r.stderr.strip()))
    # the natural size (no page), where a bigger font makes a bigger figure
    r = subprocess.run([GRADVIZ, "batch", tmp, "-o", os.path.join(tmp, "out"), "-j", "1",
                        "--page", "none"],
                       capture_output=True, text=True, cwd="/")
    t(r.returncode == 0, "batch exits 0 (%s)" % r.stderr.strip())
    for name in ("styled", "plain"):
        p = os.path.join(tmp, "out", name + ".png")
        sizes[name] = png_size(p) if os.path.exists(p) else (0, 0)
    # height, not area: the legend of a two-node figure is one long row
    # (at most a fifth of the height), so the plain figure is the wider
    height = {k: h for k, (w, h) in sizes.items()}
    t(height["styled"] > height["plain"] * 1.3,
      "a graph's style file, beside it, applies in a batch run from elsewhere (%r)" % sizes)
    bad = os.path.join(tmp, "bad.dot")
    with open(bad, "w") as f:
        f.write('digraph { gradviz_precision="many"; a [value=1]; }\n')
    r = subprocess.run([GRADVIZ, "render", bad, "-o", os.path.join(tmp, "bad.png")],
                       capture_output=True, text=True)
    t(r.returncode == 2 and r.stderr == "gradviz: %s: gradviz_precision 'many' is not a "
      "whole number\n" % bad, "a bad setting is exit 2 naming the file (%r)" % r.stderr)
    t(not os.path.exists(os.path.join(tmp, "bad.png")), "and writes nothing")

print("1..%d" % len(tests))
for i, (ok, what) in enumerate(tests, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, " ".join(str(what).split())))
