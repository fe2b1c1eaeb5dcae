#!/bin/sh
# The legend from the layout dump: only what is drawn, at most 20% of the
# height, --legend side|none, gradviz_legend, batch --legend (TAP).
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/render/render_legend.py"
