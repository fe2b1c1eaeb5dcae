#!/bin/sh
# Big fan-outs: a value used thousands of times by one node is drawn as one
# edge marked with its count, its fan-out sum as "N × t = total"; a figure
# a PNG cannot hold is refused before layout. One Python process
# (tests/render/scale.py); prints TAP.
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/render/scale.py"
