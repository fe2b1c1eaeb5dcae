# tests of the packaging: licence, install and uninstall, no build path in
# the binary, RGBA PNG, suffixes in any case, exit statuses (packaging.sh,
# part of `make check`); and the slower ones that configure and build the
# tree again in temporary folders (`make check-reproducible`, run by CI):
# two builds in different folders give the same binary, configure without
# Check, -Werror only on request.
TESTS += tests/tree/packaging.sh
EXTRA_DIST += tests/tree/packaging.sh tests/tree/reproducible.sh

check-reproducible: all
	GRADVIZ='$(abs_top_builddir)/gradviz' GDV_SRCDIR='$(abs_top_srcdir)' \
	  $(SHELL) $(srcdir)/tests/tree/reproducible.sh
.PHONY: check-reproducible
