# The teach layer: what a teacher makes from one figure: the frames of
# the forward and backward pass (--steps, GIF, TikZ overlays), the
# interactive HTML page, worksheets and their keys.
noinst_LIBRARIES += libgdvteach.a
libgdvteach_a_CFLAGS = $(AM_CFLAGS) $(CGRAPH_CFLAGS) $(CAIRO_CFLAGS)
libgdvteach_a_SOURCES = \
	src/teach/gdv_teach.h \
	src/teach/gdv_frames.c \
	src/teach/gdv_html_page.c \
	src/teach/gdv_worksheet.h \
	src/teach/gdv_worksheet.c
GDV_TEACH_LIBS = libgdvteach.a
