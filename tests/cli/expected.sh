#!/bin/sh
# Every example's outputs against the files committed in tests/expected/,
# byte for byte (eval as text, JSON and CSV, the annotated DOT, the layout
# dump where the fonts are the expected ones); `make refresh-expected`
# writes them again after a change that is meant. One Python process
# (tests/cli/expected.py); prints TAP.
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/cli/expected.py"
