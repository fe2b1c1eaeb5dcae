#!/bin/sh
# Pages (--page) and the layout that meets them (issue 11): sizes of every
# format on each page, the graph attributes that carry a page, the errors,
# and what the fold draws (through --dump-layout). One Python process
# (tests/render/page.py); prints TAP.
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/render/page.py"
