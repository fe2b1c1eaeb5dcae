#!/bin/sh
# render --steps: a fan-out sum beside a branch that does not reach C (TAP).
exec python3 "$GDV_SRCDIR/tests/workflow/frames_unreached.py"
