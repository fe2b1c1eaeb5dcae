#!/bin/sh
# render --steps: chain-rule titles, sums so far, steady colours and sizes, legends (TAP).
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/teach/frames_titles.py"
