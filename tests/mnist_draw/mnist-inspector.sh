#!/bin/sh
# mnist-inspector.sh: the MNIST page's inspector in headless Chromium at
# 1920x1080: a unit's 785 terms without sideways scrolling, named as
# drawn, sortable, linked to the digit's pixels (TAP; see the .py).
: "${GRADVIZ:=./gradviz}" "${GDV_SRCDIR:=.}"
export GRADVIZ GDV_SRCDIR
exec "${GDV_PYTHON:-python3}" "$GDV_SRCDIR/tests/mnist_draw/mnist_inspector.py"
