# Into the teacher's materials (issue 22): Beamer pages and --text-size,
# animated GIFs of the steps, TikZ pictures compiled by pdflatex, and the
# Python package's inline figures for notebooks.
TESTS += tests/teach/pages.sh tests/teach/gif.sh tests/teach/tikz.sh tests/teach/python.sh
EXTRA_DIST += tests/teach/pages.sh tests/teach/gif.sh tests/teach/gif.py tests/teach/tikz.sh \
	tests/teach/tikz.py tests/teach/python.sh tests/teach/python.py
