#!/bin/sh
# eval + check on every example, with hand-derived numbers (TAP).
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/cli/examples.py"
