# The layers' direction (the order in Makefile.am's comment): a script over
# every #include "..." in src/.
TESTS += tests/tree/layers.sh
EXTRA_DIST += tests/tree/layers.sh
# Generated sources against their generators (scripts/).
TESTS += tests/tree/generated.sh
EXTRA_DIST += tests/tree/generated.sh
TESTS += tests/render/render_pipeline.sh
EXTRA_DIST += tests/render/render_pipeline.sh tests/render/render_pipeline.py src/render/README.md
# The library's messages name no command-line flag (the command line adds
# them): a script over the strings of every library layer.
TESTS += tests/tree/library_words.sh
EXTRA_DIST += tests/tree/library_words.sh
