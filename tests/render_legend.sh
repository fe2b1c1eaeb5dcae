#!/bin/sh
# The legend from the layout dump: only what is drawn, at most 20% of the
# height, --legend side|none, gradviz_legend, batch --legend (TAP).
exec python3 "$GDV_SRCDIR/tests/render_legend.py"
