# tests of untrusted inputs: NUL bytes, UTF-8, size limits, endless
# inputs, style files named by graph files, the PNG pixel limit; the io
# layer's guards (test_inputs) and the command line (inputs.sh).
check_PROGRAMS += tests/test_inputs
tests_test_inputs_SOURCES = tests/test_inputs.c
tests_test_inputs_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_inputs_LDADD = libgdvio.a libgdvcore.a $(CGRAPH_LIBS) $(CHECK_LIBS) $(LIBS)

TESTS += tests/test_inputs tests/inputs.sh
EXTRA_DIST += tests/inputs.sh
