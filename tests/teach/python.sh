#!/bin/sh
# gradviz_export in notebooks and as a package (issue 22):
# tests/teach/python.py under /usr/bin/python3, the interpreter with
# Debian's torch (the python3 on PATH may be another). Prints TAP.
PY=${GDV_PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3
if ! command -v "$PY" >/dev/null 2>&1; then
  echo "1..0 # SKIP no python3"; exit 0
fi
exec "$PY" "${GDV_SRCDIR:?}/tests/teach/python.py"
