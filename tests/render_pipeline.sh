#!/bin/sh
# render_pipeline.sh: src/render's folders call one way and its files in no
# circle, from the object files (tests/render_pipeline.py). Prints TAP.
exec "${PYTHON:-python3}" "${GDV_SRCDIR:?}/tests/render_pipeline.py" "$GDV_SRCDIR" "${GDV_BUILDDIR:-.}"
