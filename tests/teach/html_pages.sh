#!/bin/sh
# The interactive pages (-o FIG.html) in headless Chromium: steps, inspect,
# keyboard, no request, screenshots against the PNG (TAP; see the .py).
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/teach/html_pages.py"
