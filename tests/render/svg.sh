#!/bin/sh
# SVG tests (issue 12): every example and the MNIST figure as SVG written
# from the scene: well-formed, holding what was drawn, at most twice the
# size of dot's, and drawn by rsvg-convert and Chromium like the PNG (the
# measure, and the SVGs it must fail, in tests/render/svg.py). One Python process
# and one Chromium; prints TAP.
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/render/svg.py"
