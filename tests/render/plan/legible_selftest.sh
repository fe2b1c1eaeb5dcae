#!/bin/sh
# The legibility checker's self-tests: hand-made layout dumps that must fail
# each criterion and one that passes (TAP; tests/render/plan/legible_selftest.py).
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/render/plan/legible_selftest.py"
