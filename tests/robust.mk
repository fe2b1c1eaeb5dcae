# tests of robustness (issue 9): inputs that crashed, output files that are
# not plain files, the fuzz reproducers, the README's and the man page's
# commands.
TESTS += tests/io/crashes.sh
EXTRA_DIST += tests/io/crashes.sh
TESTS += tests/io/fuzz-regress.sh
EXTRA_DIST += tests/io/fuzz-regress.sh
TESTS += tests/io/outfile.sh
EXTRA_DIST += tests/io/outfile.sh
SLOW_TESTS += tests/cli/readme-commands.sh
EXTRA_DIST += tests/cli/readme-commands.sh
# hints and progress (issue 25): a formula on stdin, the progress line
TESTS += tests/io/input-format.sh tests/cli/progress.sh
EXTRA_DIST += tests/io/input-format.sh tests/cli/progress.sh
TESTS += tests/cli/messages.sh
EXTRA_DIST += tests/cli/messages.sh
# issue 25: time limits, Graphviz's crashes, invisible figures, size
# bounds, XML-safe text, a graph's style links and output links.
SLOW_TESTS += tests/cli/robust_limits.sh
EXTRA_DIST += tests/cli/robust_limits.sh
