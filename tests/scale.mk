# Big graphs: parallel edges merged, PNG refused before layout (scale.sh),
# and valgrind over the commands (valgrind.sh, skipped without valgrind).
TESTS += tests/scale.sh tests/valgrind.sh
EXTRA_DIST += tests/scale.sh tests/valgrind.sh tests/valgrind.supp
