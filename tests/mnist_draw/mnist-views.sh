#!/bin/sh
# mnist-views.sh: issue 21's MNIST views: every view a legible slide in
# PNG, SVG and PDF, the focused unit alone, softmax outputs as
# probabilities, the whole network as one document, posters (TAP; see
# tests/mnist_draw/mnist_views.py).
# configure's Python (GDV_PYTHON), never a version manager's shim
python3() { "${GDV_PYTHON:-/usr/bin/python3}" "$@"; }
: "${GRADVIZ:=./gradviz}" "${GDV_SRCDIR:=.}"
export GRADVIZ GDV_SRCDIR
if ! command -v python3 >/dev/null 2>&1; then
  echo "1..0 # SKIP python3 is needed to read the layout dumps"
  exit 0
fi
exec "${GDV_PYTHON:-python3}" "$GDV_SRCDIR/tests/mnist_draw/mnist_views.py"
