# Big graphs: parallel edges merged, sums with counts, frames unmerged, the
# PNG fit check (test_scale, Check); the same through the command line with
# 4,000 and 100,000 factors (scale.sh); valgrind over the commands
# (valgrind.sh, skipped without valgrind).
check_PROGRAMS += tests/render/test_scale
tests_render_test_scale_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CAIRO_CFLAGS) $(PANGO_CFLAGS)
tests_render_test_scale_LDADD = libgdvteach.a libgdvbatch.a libgdvrender.a libgdvio.a libgdvcore.a $(CHECK_LIBS) \
	$(GVC_LIBS) $(CGRAPH_LIBS) $(CAIRO_LIBS) $(PANGO_LIBS) $(PNG_LIBS) $(LIBS)
TESTS += tests/render/test_scale tests/render/scale.sh
SLOW_TESTS += tests/cli/valgrind.sh
EXTRA_DIST += tests/render/scale.sh tests/render/scale.py tests/cli/valgrind.sh tests/cli/valgrind.supp
