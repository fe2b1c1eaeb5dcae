#!/bin/sh
# python/gradviz_export.py on micrograd-style graphs, through the built
# gradviz (TAP; the module needs only the standard library).
if ! command -v python3 >/dev/null 2>&1; then
  echo "1..1"; echo "ok 1 # SKIP python3 not found"; exit 0
fi
exec python3 "$GDV_SRCDIR/tests/pyexport.py"
