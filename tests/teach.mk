# Into the teacher's materials (issue 22): Beamer pages and --text-size,
# animated GIFs of the steps, TikZ pictures compiled by pdflatex, and the
# Python package's inline figures for notebooks.
TESTS += tests/teach/pages.sh tests/teach/gif.sh
SLOW_TESTS += tests/teach/tikz.sh tests/teach/python.sh
EXTRA_DIST += tests/teach/pages.sh tests/teach/gif.sh tests/teach/gif.py tests/teach/tikz.sh \
	tests/teach/tikz.py tests/teach/python.sh tests/teach/python.py
# Frames of the forward and backward pass (render --steps): counts, PDF
# pages, titles, sums so far; names of formula parts; one layout for a
# figure, its frames and its HTML page.
TESTS += tests/teach/frames.sh
EXTRA_DIST += tests/teach/frames.sh tests/teach/frames.py
TESTS += tests/teach/frames_unreached.sh
EXTRA_DIST += tests/teach/frames_unreached.sh tests/teach/frames_unreached.py
TESTS += tests/teach/names.sh
EXTRA_DIST += tests/teach/names.sh tests/teach/names.py
TESTS += tests/teach/frames_titles.sh
EXTRA_DIST += tests/teach/frames_titles.sh tests/teach/frames_titles.py
TESTS += tests/teach/one_figure.sh
EXTRA_DIST += tests/teach/one_figure.sh tests/teach/one_figure.py
