#!/bin/sh
# The interactive pages (-o FIG.html) in headless Chromium: steps, inspect,
# keyboard, no request, screenshots against the PNG (TAP; see the .py).
exec python3 "$GDV_SRCDIR/tests/html_pages.py"
