#!/bin/sh
# `gradviz stats` against hand counts (TAP).
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/core/stats.py"
