#!/bin/sh
# Text tests through the command line: a Chinese label draws with real
# glyphs in PNG, SVG and PDF (font fallback), `\n` in a label breaks the
# line, and the annotated DOT round-trips byte for byte. One Python
# process (tests/render/text.py); prints TAP.
. "${GDV_SRCDIR:?set GDV_SRCDIR to the source tree}/tests/tap.sh"  # GDV_PYTHON
exec "$GDV_PYTHON" "$GDV_SRCDIR/tests/render/text.py"
