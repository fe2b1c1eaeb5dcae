#!/bin/sh
# python/gradviz_export.py on PyTorch graphs, against torch.autograd (TAP).
# Debian's python3-torch is importable from /usr/bin/python3 only (a python3
# earlier on PATH may be another build); the script skips without it.
if [ ! -x /usr/bin/python3 ]; then
  echo "1..1"; echo "ok 1 # SKIP /usr/bin/python3 not found (python3-torch needs it)"; exit 0
fi
exec /usr/bin/python3 "$GDV_SRCDIR/tests/pyexport_torch.py"
