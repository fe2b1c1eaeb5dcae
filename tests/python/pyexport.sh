#!/bin/sh
# python/gradviz_export.py on micrograd-style graphs, through the built
# gradviz (TAP; the module needs only the standard library).
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
if ! command -v "$GDV_PYTHON" >/dev/null 2>&1; then
  echo "1..1"; echo "ok 1 # SKIP $GDV_PYTHON not found"; exit 0
fi
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/python/pyexport.py"
