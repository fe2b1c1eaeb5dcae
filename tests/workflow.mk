# tests of the workflow layer: the example gallery (eval + check + numbers
# derived by hand), stats, batch and frames.
TESTS += tests/workflow/examples.sh
EXTRA_DIST += tests/workflow/examples.sh tests/workflow/examples.py
TESTS += tests/workflow/stats.sh
EXTRA_DIST += tests/workflow/stats.sh tests/workflow/stats.py
TESTS += tests/workflow/batch.sh
EXTRA_DIST += tests/workflow/batch.sh
TESTS += tests/workflow/frames.sh
EXTRA_DIST += tests/workflow/frames.sh tests/workflow/frames.py
TESTS += tests/workflow/settings.sh
EXTRA_DIST += tests/workflow/settings.sh tests/workflow/settings.py
TESTS += tests/workflow/batch_fixes.sh
EXTRA_DIST += tests/workflow/batch_fixes.sh
TESTS += tests/workflow/frames_unreached.sh
EXTRA_DIST += tests/workflow/frames_unreached.sh tests/workflow/frames_unreached.py
TESTS += tests/workflow/shard.sh
EXTRA_DIST += tests/workflow/shard.sh
TESTS += tests/workflow/batch_server.sh
EXTRA_DIST += tests/workflow/batch_server.sh
TESTS += tests/workflow/one_layout.sh
EXTRA_DIST += tests/workflow/one_layout.sh
TESTS += tests/workflow/names.sh
EXTRA_DIST += tests/workflow/names.sh tests/workflow/names.py
TESTS += tests/workflow/frames_titles.sh
EXTRA_DIST += tests/workflow/frames_titles.sh tests/workflow/frames_titles.py
TESTS += tests/workflow/one_figure.sh
EXTRA_DIST += tests/workflow/one_figure.sh tests/workflow/one_figure.py
