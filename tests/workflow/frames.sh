#!/bin/sh
# render --steps: frame counts, PDF pages, what each page shows (TAP).
exec python3 "$GDV_SRCDIR/tests/workflow/frames.py"
