# tests of the batch layer (`gradviz batch`): mirrored folders, up-to-date
# skipping and the manifest, the bugs of issues 8 and 10, shards, a course
# server's inputs, one layout per graph for all its formats, and the
# settings a graph file carries for its own figure.
TESTS += tests/batch/batch.sh
EXTRA_DIST += tests/batch/batch.sh
TESTS += tests/batch/settings.sh
EXTRA_DIST += tests/batch/settings.sh tests/batch/settings.py
TESTS += tests/batch/batch_fixes.sh
EXTRA_DIST += tests/batch/batch_fixes.sh
TESTS += tests/batch/shard.sh
EXTRA_DIST += tests/batch/shard.sh
TESTS += tests/batch/batch_server.sh
EXTRA_DIST += tests/batch/batch_server.sh
TESTS += tests/batch/one_layout.sh
EXTRA_DIST += tests/batch/one_layout.sh
