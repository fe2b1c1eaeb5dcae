#!/bin/sh
# `gradviz stats` against hand counts (TAP).
exec python3 "$GDV_SRCDIR/tests/workflow/stats.py"
