# tests: Check unit tests (one program per layer) and shell tests of the
# command line. All speak TAP, so every test case is counted. Each layer
# keeps its own fragment.
include tests/core.mk
include tests/render.mk
include tests/mnist.mk
include tests/workflow.mk
include tests/layers.mk
include tests/inputs.mk
include tests/text.mk
include tests/scale.mk
include tests/figure.mk

# The main every Check program shares, and the Python scripts' TAP helper.
EXTRA_DIST += tests/check_main.h tests/tap.py
include tests/pkg.mk
include tests/robust.mk
include tests/pyexport.mk
include tests/html.mk
include tests/exercise.mk
include tests/teach.mk
include tests/expected.mk
