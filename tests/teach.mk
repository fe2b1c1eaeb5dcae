# Into the teacher's materials (issue 22): Beamer pages and --text-size,
# animated GIFs of the steps, TikZ pictures compiled by pdflatex, and the
# Python package's inline figures for notebooks.
TESTS += tests/teach/pages.sh
EXTRA_DIST += tests/teach/pages.sh
