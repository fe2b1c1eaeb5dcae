#!/bin/sh
# python/gradviz_export.py on PyTorch graphs, against torch.autograd (TAP).
# One Python process runs every case: the first interpreter that finds torch
# (Debian's python3-torch is seen by /usr/bin/python3 only; the python3
# earlier on PATH may be another build). Skips when none does.
. "${GDV_SRCDIR:?}/tests/tap.sh"  # GDV_PYTHON
for py in "$GDV_PYTHON" /usr/bin/python3 python3; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -c \
      'import importlib.util, sys; sys.exit(importlib.util.find_spec("torch") is None)' \
      2>/dev/null; then
    exec "$py" "$GDV_SRCDIR/tests/python/pyexport_torch.py"
  fi
done
echo "1..1"
echo "ok 1 # SKIP no python3 finds torch (Debian: apt-get install python3-torch)"
