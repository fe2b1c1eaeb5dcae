#!/bin/sh
# Names of formula parts, frame titles, --highlight paths, one wording (TAP).
exec python3 "$GDV_SRCDIR/tests/workflow/names.py"
