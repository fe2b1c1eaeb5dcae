#!/bin/sh
# one layout for a figure, its --steps frames and its HTML page's steps,
# on a small net, on one the planner collapses, and on one it lays out
# with an operation moved to its consumer's layer (l2-reg) (TAP).
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/teach/one_figure.py" \
  "$GDV_SRCDIR/examples/net-2-2-1.expr" "$GDV_SRCDIR/examples/batchnorm.expr" \
  "$GDV_SRCDIR/tests/render/plan/course-shared/attention-3tok-1query.expr" \
  "$GDV_SRCDIR/examples/l2-reg.expr"
