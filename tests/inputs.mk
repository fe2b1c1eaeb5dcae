# tests of untrusted inputs: NUL bytes, UTF-8, size limits, endless
# inputs, style files named by graph files, the PNG pixel limit.
TESTS += tests/inputs.sh
EXTRA_DIST += tests/inputs.sh
