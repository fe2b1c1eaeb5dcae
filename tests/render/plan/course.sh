#!/bin/sh
# The course graphs of issue 11 (tests/render/plan/course/*.expr): gradviz check
# passes, and their layout dumps hold what tests/render/plan/legible.py
# measures. One Python process (tests/render/plan/course.py); prints TAP.
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/render/plan/course.py"
