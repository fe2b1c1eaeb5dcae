# The layers' direction (the order in Makefile.am's comment): a script over
# every #include "..." in src/.
TESTS += tests/layers.sh
EXTRA_DIST += tests/layers.sh
# Generated sources against their generators (scripts/).
TESTS += tests/generated.sh
EXTRA_DIST += tests/generated.sh
TESTS += tests/render_pipeline.sh
EXTRA_DIST += tests/render_pipeline.sh tests/render_pipeline.py src/render/README.md
# The library's messages name no command-line flag (the command line adds
# them): a script over the strings of every library layer.
TESTS += tests/library_words.sh
EXTRA_DIST += tests/library_words.sh
