# tests of the render layer: the library API (Check) and the command line
# (shell, TAP), which checks what was drawn through --dump-layout.
check_PROGRAMS += tests/render/test_render
tests_render_test_render_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CAIRO_CFLAGS)
tests_render_test_render_LDADD = libgdvrender.a libgdvio.a libgdvcore.a $(CHECK_LIBS) \
	$(GVC_LIBS) $(CGRAPH_LIBS) $(CAIRO_LIBS) $(PANGO_LIBS) $(PNG_LIBS) $(LIBS)
TESTS += tests/render/test_render tests/render/render_figures.sh tests/render/page.sh tests/render/render_legend.sh

# SVG from the scene (issue 12): structure, size, and likeness to the PNG
# in rsvg-convert and headless Chromium, measured by svg_compare.
check_PROGRAMS += tests/render/svg_compare
tests_render_svg_compare_CFLAGS = $(AM_CFLAGS) $(CAIRO_CFLAGS)
tests_render_svg_compare_LDADD = $(CAIRO_LIBS) -lm
SLOW_TESTS += tests/render/svg.sh
EXTRA_DIST += tests/render/svg.sh tests/render/svg.py tests/data/render/svg_check.py
# PNG files (our own zlib stream) read back by libpng, pixel for pixel.
check_PROGRAMS += tests/render/test_png
tests_render_test_png_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CAIRO_CFLAGS) $(PNG_CFLAGS)
tests_render_test_png_LDADD = $(tests_render_test_render_LDADD)
TESTS += tests/render/test_png

# The colour rules of styles/README on every shipped style: contrast and
# colour-blind separation, one TAP line per pair with the measured number.
check_PROGRAMS += tests/render/test_style_colour
tests_render_test_style_colour_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CAIRO_CFLAGS)
tests_render_test_style_colour_LDADD = $(tests_render_test_render_LDADD)
TESTS += tests/render/test_style_colour
EXTRA_DIST += tests/render/render_figures.sh tests/render/render_figures.py tests/render/page.sh tests/render/page.py tests/render/render_legend.sh tests/render/render_legend.py \
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
check_PROGRAMS += tests/render/test_alloc
tests_render_test_alloc_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CAIRO_CFLAGS)
tests_render_test_alloc_LDFLAGS = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
tests_render_test_alloc_LDADD = libgdvrender.a libgdvio.a libgdvcore.a $(CHECK_LIBS) \
	$(GVC_LIBS) $(CGRAPH_LIBS) $(CAIRO_LIBS) $(PANGO_LIBS) $(PNG_LIBS) $(LIBS)
TESTS += tests/render/test_alloc
