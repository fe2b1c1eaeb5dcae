# tests of the workflow layer: the example gallery (eval + check + numbers
# derived by hand), stats, batch and frames.
TESTS += tests/workflow/examples.test
EXTRA_DIST += tests/workflow/examples.test tests/workflow/examples.py
