#!/bin/sh
# render --steps: chain-rule titles, sums so far, steady colours and sizes, legends (TAP).
exec python3 "$GDV_SRCDIR/tests/workflow/frames_titles.py"
