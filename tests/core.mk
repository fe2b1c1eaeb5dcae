# tests of the core layer: the engine (test_core), the readers (test_expr,
# test_dot) and the command line (cli_core.sh), all speaking TAP.
GDV_CORE_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
GDV_CORE_TEST_LIBS = libgdvio.a libgdvcore.a $(CGRAPH_LIBS) $(CHECK_LIBS) $(LIBS)

# Helpers the three Check programs share (reading, finding, comparing).
GDV_TEST_UTIL = tests/test_util.c tests/test_util.h

check_PROGRAMS += tests/core/test_core tests/io/test_expr tests/io/test_dot
tests_core_test_core_SOURCES = tests/core/test_core.c $(GDV_TEST_UTIL)
tests_core_test_core_CFLAGS = $(GDV_CORE_TEST_CFLAGS)
tests_core_test_core_LDADD = $(GDV_CORE_TEST_LIBS)
tests_io_test_expr_SOURCES = tests/io/test_expr.c $(GDV_TEST_UTIL)
tests_io_test_expr_CFLAGS = $(GDV_CORE_TEST_CFLAGS)
tests_io_test_expr_LDADD = $(GDV_CORE_TEST_LIBS)
tests_io_test_dot_SOURCES = tests/io/test_dot.c $(GDV_TEST_UTIL)
tests_io_test_dot_CFLAGS = $(GDV_CORE_TEST_CFLAGS) $(CGRAPH_CFLAGS)
tests_io_test_dot_LDADD = $(GDV_CORE_TEST_LIBS)

TESTS += tests/core/test_core tests/io/test_expr tests/io/test_dot tests/cli/cli_core.sh
EXTRA_DIST += tests/cli/cli_core.sh tests/data/core

# Recorded numbers (issue 13): draw_dot's dialect, check against recorded
# gradients, their marks on the figure.
TESTS += tests/core/recorded.sh
EXTRA_DIST += tests/core/recorded.sh

# The op table is the one list of ops (issue 24): op_list prints it, ops.sh
# fails until README, the man page, draw_dot's message and the Python
# exporter's maps agree with it, and runs every op through the readers.
check_PROGRAMS += tests/core/op_list
tests_core_op_list_SOURCES = tests/core/op_list.c
tests_core_op_list_LDADD = libgdvcore.a $(LIBS)
TESTS += tests/core/ops.sh
EXTRA_DIST += tests/core/ops.sh tests/core/ops.py

# eval + check on every example with numbers derived by hand (through the
# command line), and `gradviz stats` against hand counts.
TESTS += tests/cli/examples.sh
EXTRA_DIST += tests/cli/examples.sh tests/cli/examples.py
TESTS += tests/core/stats.sh
EXTRA_DIST += tests/core/stats.sh tests/core/stats.py
