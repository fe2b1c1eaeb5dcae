# Every example's outputs against tests/expected/ (issue 24): eval's text,
# JSON and CSV, the annotated DOT and the layout dump, byte for byte, so a
# change of any output byte fails `make check` (and CI) until it is meant:
# `make refresh-expected` writes the files again from this build (the diff
# then shows in review). The dumps are compared where the fonts are those
# of tests/expected/FONTS (scripts/install-deps.sh's), skipped elsewhere.
TESTS += tests/cli/expected.sh
EXTRA_DIST += tests/cli/expected.sh tests/cli/expected.py tests/expected
refresh-expected: gradviz$(EXEEXT)
	GRADVIZ='$(abs_top_builddir)/gradviz$(EXEEXT)' GDV_SRCDIR='$(abs_top_srcdir)' \
	  GRADVIZ_STYLE_PATH='$(abs_top_srcdir)/styles' $(PYTHON) '$(srcdir)/tests/cli/expected.py' --refresh
.PHONY: refresh-expected
