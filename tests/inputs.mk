# tests of untrusted inputs: NUL bytes, UTF-8, size limits, endless
# inputs, style files named by graph files, the PNG pixel limit; the io
# layer's guards (test_inputs) and the command line (inputs.sh).
check_PROGRAMS += tests/io/test_inputs
tests_io_test_inputs_SOURCES = tests/io/test_inputs.c
tests_io_test_inputs_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_io_test_inputs_LDADD = libgdvio.a libgdvcore.a $(CGRAPH_LIBS) $(CHECK_LIBS) $(LIBS)

TESTS += tests/io/test_inputs tests/io/inputs.sh
EXTRA_DIST += tests/io/inputs.sh
