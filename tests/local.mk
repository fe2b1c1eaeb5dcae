# tests: Check unit tests (one program per layer) and shell tests of the
# command line. All speak TAP, so every test case is counted. The folders
# of tests mirror those of src (tests/core tests src/core, tests/render/plan
# src/render/plan, ...; tests/python the exporter, tests/tree the tree as a
# whole: layers, generated sources, packaging); shared helpers stay here
# (tap.sh, tap.py, check_main.h, test_util.*, html/cdp.py, data/, expected/).
# The fragments below list them by concern.
include tests/core.mk
include tests/render.mk
include tests/mnist.mk
include tests/batch.mk
include tests/layers.mk
include tests/inputs.mk
include tests/text.mk
include tests/scale.mk
include tests/plan.mk

# The main every Check program shares, and the Python scripts' TAP helper.
EXTRA_DIST += tests/check_main.h tests/tap.py
# Check's assertions still fail under check_main.h: a program whose tests
# fail on purpose (not a test itself) and the script that reads its report.
check_PROGRAMS += tests/check_selftest
tests_check_selftest_SOURCES = tests/check_selftest.c tests/check_main.h
tests_check_selftest_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_selftest_LDADD = $(CHECK_LIBS) $(LIBS)
TESTS += tests/check_selftest.sh
EXTRA_DIST += tests/check_selftest.sh
include tests/pkg.mk
include tests/robust.mk
include tests/pyexport.mk
include tests/html.mk
include tests/exercise.mk
include tests/teach.mk
include tests/expected.mk
