#!/bin/sh
# one layout for a figure, its --steps frames and its HTML page's steps,
# on a small net and on one the planner collapses (TAP).
exec python3 "$GDV_SRCDIR/tests/workflow/one_figure.py" \
  "$GDV_SRCDIR/examples/net-2-2-1.expr" "$GDV_SRCDIR/examples/batchnorm.expr" \
  "$GDV_SRCDIR/tests/figure/course-shared/attention-3tok-1query.expr"
