# Big graphs: parallel edges merged, PNG refused before layout (scale.sh),
# and valgrind over the commands (valgrind.sh, skipped without valgrind).
TESTS += tests/scale.sh
EXTRA_DIST += tests/scale.sh
