# The render layer: scenes, layout (Graphviz dot, our own columns), drawing
# with Cairo, text with Pango, PNG with libpng, annotated DOT, styles.
GDV_RENDER_LIBS = libgdvrender.a
noinst_LIBRARIES += libgdvrender.a
libgdvrender_a_CFLAGS = $(AM_CFLAGS) $(GVC_CFLAGS) $(CGRAPH_CFLAGS) \
	$(CAIRO_CFLAGS) $(PANGO_CFLAGS) $(PNG_CFLAGS)
libgdvrender_a_SOURCES = \
	src/render/gdv_render.h \
	src/render/gdv_render_int.h \
	src/render/gdv_render_util.c \
	src/render/gdv_style.c \
	src/render/gdv_page.c \
	src/render/gdv_scene.c \
	src/render/gdv_text.c \
	src/render/gdv_parallel.c \
	src/render/gdv_estimate.c \
	src/render/gdv_measure.c \
	src/render/gdv_layout_dot.c \
	src/render/gdv_layout_layers.c \
	src/render/gdv_labels.c \
	src/render/gdv_legibility.c \
	src/render/gdv_layout_columns.c \
	src/render/gdv_layout_page.c \
	src/render/gdv_plan.c \
	src/render/gdv_draw.c \
	src/render/gdv_legend.c \
	src/render/gdv_svg.c \
	src/render/gdv_png.c \
	src/render/gdv_deflate.c \
	src/render/gdv_dotout.c \
	src/render/gdv_html.c \
	src/render/gdv_html_assets.h
# The page's script and style sheet: gdv_html_assets.h is generated from
# them (scripts/gen-html-assets.py; tests/generated.sh checks it).
EXTRA_DIST += src/render/html/gradviz.js src/render/html/gradviz.css
