# tests of robustness (issue 9): inputs that crashed, output files that are
# not plain files, the fuzz reproducers, the README's and the man page's
# commands.
TESTS += tests/crashes.sh
EXTRA_DIST += tests/crashes.sh
TESTS += tests/fuzz-regress.sh
EXTRA_DIST += tests/fuzz-regress.sh
TESTS += tests/outfile.sh
EXTRA_DIST += tests/outfile.sh
TESTS += tests/readme-commands.sh
EXTRA_DIST += tests/readme-commands.sh
# hints and progress (issue 25): a formula on stdin, the progress line
TESTS += tests/input-format.sh tests/progress.sh
EXTRA_DIST += tests/input-format.sh tests/progress.sh
TESTS += tests/messages.sh
EXTRA_DIST += tests/messages.sh
# issue 25: time limits, Graphviz's crashes, invisible figures, size
# bounds, XML-safe text, a graph's style links and output links.
TESTS += tests/robust_limits.sh
EXTRA_DIST += tests/robust_limits.sh
