#!/bin/sh
# render_pipeline.sh: src/render's folders call one way and its files in no
# circle, from the object files (tests/render/render_pipeline.py). Prints TAP.
. "${GDV_SRCDIR:?}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/render/render_pipeline.py" "$GDV_SRCDIR" "${GDV_BUILDDIR:-.}"
