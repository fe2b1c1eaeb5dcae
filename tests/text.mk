# tests of text: labels in any script drawn with real glyphs (Pango's font
# fallback) in PNG, SVG and PDF, line breaks in labels, and the annotated
# DOT read back byte for byte (text.sh, part of `make check`).
TESTS += tests/render/text.sh
EXTRA_DIST += tests/render/text.sh tests/render/text.py tests/data/text/ink.py
