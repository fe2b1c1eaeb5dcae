#!/bin/sh
# The course graphs of issue 11 (tests/figure/course/*.expr): gradviz check
# passes, and their layout dumps hold what tests/figure/legible.py
# measures. One Python process (tests/figure/course.py); prints TAP.
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/figure/course.py"
