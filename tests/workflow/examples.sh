#!/bin/sh
# eval + check on every example, with hand-derived numbers (TAP).
exec python3 "$GDV_SRCDIR/tests/workflow/examples.py"
