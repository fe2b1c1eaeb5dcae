#!/bin/sh
# mnist-views.sh: issue 21's MNIST views: every view a legible slide in
# PNG, SVG and PDF, the focused unit alone, softmax outputs as
# probabilities, the whole network as one document, posters (TAP; see
# tests/mnist_draw/mnist_views.py).
: "${GRADVIZ:=./gradviz}" "${GDV_SRCDIR:=.}"
export GRADVIZ GDV_SRCDIR
. "$GDV_SRCDIR/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/mnist_draw/mnist_views.py"
