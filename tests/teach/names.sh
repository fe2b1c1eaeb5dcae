#!/bin/sh
# Names of formula parts, frame titles, --highlight paths, one wording (TAP).
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/teach/names.py"
