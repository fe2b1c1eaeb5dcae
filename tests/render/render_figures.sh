#!/bin/sh
# Render tests through the command line: every example and test graph in
# every format, each file checked for what it holds, determinism across
# processes, what was drawn (the layout dump), styles, PNG chunks, --help
# and bad input. One Python process (tests/render/render_figures.py); prints TAP.
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/render/render_figures.py"
