#!/bin/sh
# render --steps: a fan-out sum beside a branch that does not reach C (TAP).
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/teach/frames_unreached.py"
