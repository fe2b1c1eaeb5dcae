# tests of the workflow layer: the example gallery (eval + check + numbers
# derived by hand), stats, batch and frames.
TESTS += tests/cli/examples.sh
EXTRA_DIST += tests/cli/examples.sh tests/cli/examples.py
TESTS += tests/core/stats.sh
EXTRA_DIST += tests/core/stats.sh tests/core/stats.py
TESTS += tests/batch/batch.sh
EXTRA_DIST += tests/batch/batch.sh
TESTS += tests/teach/frames.sh
EXTRA_DIST += tests/teach/frames.sh tests/teach/frames.py
TESTS += tests/batch/settings.sh
EXTRA_DIST += tests/batch/settings.sh tests/batch/settings.py
TESTS += tests/batch/batch_fixes.sh
EXTRA_DIST += tests/batch/batch_fixes.sh
TESTS += tests/teach/frames_unreached.sh
EXTRA_DIST += tests/teach/frames_unreached.sh tests/teach/frames_unreached.py
TESTS += tests/batch/shard.sh
EXTRA_DIST += tests/batch/shard.sh
TESTS += tests/batch/batch_server.sh
EXTRA_DIST += tests/batch/batch_server.sh
TESTS += tests/batch/one_layout.sh
EXTRA_DIST += tests/batch/one_layout.sh
TESTS += tests/teach/names.sh
EXTRA_DIST += tests/teach/names.sh tests/teach/names.py
TESTS += tests/teach/frames_titles.sh
EXTRA_DIST += tests/teach/frames_titles.sh tests/teach/frames_titles.py
TESTS += tests/teach/one_figure.sh
EXTRA_DIST += tests/teach/one_figure.sh tests/teach/one_figure.py
