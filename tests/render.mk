# tests of the render layer: the library API (Check) and the command line
# (shell, TAP), which checks what was drawn through --dump-layout.
check_PROGRAMS += tests/test_render
tests_test_render_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CAIRO_CFLAGS)
tests_test_render_LDADD = libgdvrender.a libgdvio.a libgdvcore.a $(CHECK_LIBS) \
	$(GVC_LIBS) $(CGRAPH_LIBS) $(CAIRO_LIBS) $(PANGO_LIBS) $(PNG_LIBS) $(LIBS)
TESTS += tests/test_render tests/render_figures.sh tests/page.sh tests/render_legend.sh

# SVG from the scene (issue 12): structure, size, and likeness to the PNG
# in rsvg-convert and headless Chromium, measured by svg_compare.
check_PROGRAMS += tests/svg_compare
tests_svg_compare_CFLAGS = $(AM_CFLAGS) $(CAIRO_CFLAGS)
tests_svg_compare_LDADD = $(CAIRO_LIBS) -lm
TESTS += tests/svg.sh
EXTRA_DIST += tests/svg.sh tests/svg.py tests/data/render/svg_check.py
# PNG files (our own zlib stream) read back by libpng, pixel for pixel.
check_PROGRAMS += tests/test_png
tests_test_png_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CAIRO_CFLAGS) $(PNG_CFLAGS)
tests_test_png_LDADD = $(tests_test_render_LDADD)
TESTS += tests/test_png

# The colour rules of styles/README on every shipped style: contrast and
# colour-blind separation, one TAP line per pair with the measured number.
check_PROGRAMS += tests/test_style_colour
tests_test_style_colour_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CAIRO_CFLAGS)
tests_test_style_colour_LDADD = $(tests_test_render_LDADD)
TESTS += tests/test_style_colour
EXTRA_DIST += tests/render_figures.sh tests/render_figures.py tests/page.sh tests/page.py tests/render_legend.sh tests/render_legend.py \
	examples/neuron.expr \
	examples/ab-b1.dot \
	tests/data/render/layout_check.py \
	tests/data/render/png_chunks.py \
	tests/data/render/fanout3.expr \
	tests/data/render/xx.dot \
	tests/data/render/softmax_ce.expr \
	tests/data/render/net221.expr \
	tests/data/render/nonfinite.expr \
	tests/data/render/nan_spread.expr \
	tests/data/render/unreached.dot \
	tests/data/render/tb.dot \
	tests/data/render/tiny_big.expr \
	tests/data/render/poly.expr \
	tests/data/render/wide.py

# Out of memory in the readers and the style loader: the libraries'
# allocations go through wrappers (ld --wrap) that fail the Kth one.
check_PROGRAMS += tests/test_alloc
tests_test_alloc_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CAIRO_CFLAGS)
tests_test_alloc_LDFLAGS = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
tests_test_alloc_LDADD = libgdvrender.a libgdvio.a libgdvcore.a $(CHECK_LIBS) \
	$(GVC_LIBS) $(CGRAPH_LIBS) $(CAIRO_LIBS) $(PANGO_LIBS) $(PNG_LIBS) $(LIBS)
TESTS += tests/test_alloc
