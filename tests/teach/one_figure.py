#!/usr/bin/env python3
"""One layout for a figure, its frames and its page (issue 20, point 4):
the --steps frames and the HTML page's steps of a graph draw every node
where the figure draws it, at the figure's size. For each graph given:

  - the frames' layout dump (--steps DIR --dump-layout) against the
    figure's (-o --dump-layout): every frame has the figure's nodes (by
    the graph node each draws), each at the same place relative to the
    first and of the same size (frames may have a taller title: the
    whole drawing moves, nothing in it);
  - the HTML page's steps (the SVG texts it swaps in) against the
    figure's SVG in the same page: the same node boxes (<rect> of each
    node's <g>), relative to the first, the same sizes.

    python3 one_figure.py GRAPH...      (GRADVIZ names the binary; TAP)"""
import json
import os
import re
import subprocess
import sys
import tempfile

G = os.environ.get("GRADVIZ", "gradviz")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tap as taplib  # noqa: E402 - every test's TAP lines (tests/tap.py)
tap = taplib.ok


def boxes_dump(fig):
    """{graph node: (x, y, w, h)} relative to the first node."""
    nodes = [nd for nd in fig["nodes"] if "node" in nd]
    x0, y0 = nodes[0]["x"], nodes[0]["y"]
    return {nd["node"]: (round(nd["x"] - x0, 2), round(nd["y"] - y0, 2), nd["w"], nd["h"])
            for nd in nodes}


RECT = re.compile(r'<g id="[^"]*-node-[^"]*" class="node[^"]*" data-node="\d+" data-id="([^"]*)">'
                  r'<title>[^<]*</title>\s*<rect x="([-0-9.]+)" y="([-0-9.]+)" '
                  r'width="([0-9.]+)" height="([0-9.]+)"')


def boxes_svg(svg):
    """{graph id: (x, y, w, h)} of an SVG's node boxes, relative to the first."""
    found = RECT.findall(svg)
    if not found:
        return {}
    x0, y0 = float(found[0][1]), float(found[0][2])
    return {i: (round(float(x) - x0, 2), round(float(y) - y0, 2), float(w), float(h))
            for i, x, y, w, h in found}


def differ(a, b):
    """The nodes whose boxes differ by more than 0.02 pt (or are missing)."""
    bad = [k for k in a if k not in b or any(abs(p - q) > 0.02 for p, q in zip(a[k], b[k]))]
    return bad + [k for k in b if k not in a]


def page_frames(html):
    """The SVG texts of the page's steps (the "frames" array of its data)."""
    at = html.find('"frames": [')
    if at < 0:
        return []
    return json.JSONDecoder().raw_decode(html, at + len('"frames": '))[0]


def main(graphs):
    with tempfile.TemporaryDirectory() as tmp:
        for g in graphs:
            b = os.path.splitext(os.path.basename(g))[0]
            fig_json, steps, steps_json = (os.path.join(tmp, b + s) for s in (".json", "-steps", "-steps.json"))
            html = os.path.join(tmp, b + ".html")
            r1 = subprocess.run([G, "render", g, "-o", os.path.join(tmp, b + ".png"),
                                 "--dump-layout", fig_json], capture_output=True, text=True)
            r2 = subprocess.run([G, "render", g, "--steps", steps, "--dump-layout", steps_json],
                                capture_output=True, text=True)
            r3 = subprocess.run([G, "render", g, "-o", html], capture_output=True, text=True)
            if r1.returncode or r2.returncode or r3.returncode:
                tap(False, "%s: renders" % b, r1.stderr + r2.stderr + r3.stderr)
                continue
            with open(fig_json, encoding="utf-8") as f:
                fig = boxes_dump(json.load(f))
            with open(steps_json, encoding="utf-8") as f:
                frames = json.load(f)["frames"]
            bad = [(k, differ(fig, boxes_dump(fr))) for k, fr in enumerate(frames, 1)]
            bad = [x for x in bad if x[1]]
            tap(frames and not bad, "%s: its %d frames draw the figure's %d nodes where it does"
                % (b, len(frames), len(fig)), "frame %d: %r" % bad[0] if bad else "")
            with open(html, encoding="utf-8") as f:
                page = f.read()
            figure_svg = page[page.find("<svg"):page.find("</svg>")]
            fig_svg = boxes_svg(figure_svg)
            steps_svg = [boxes_svg(s) for s in page_frames(page)]
            bad = [(k, differ(fig_svg, s)) for k, s in enumerate(steps_svg, 1)]
            bad = [x for x in bad if x[1]]
            tap(fig_svg and len(steps_svg) == len(frames) and not bad,
                "%s: the page's %d steps draw its figure's %d node boxes where it does"
                % (b, len(steps_svg), len(fig_svg)), "step %d: %r" % bad[0] if bad else "")
    return taplib.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
