noinst_LIBRARIES += libgdvio.a
libgdvio_a_CFLAGS = $(AM_CFLAGS) $(CGRAPH_CFLAGS)
libgdvio_a_SOURCES = \
	src/io/gdv_io.h \
	src/io/gdv_input.c \
	src/io/gdv_file.c \
	src/io/gdv_dot.c \
	src/io/gdv_dot_int.h \
	src/io/gdv_dot_drawdot.c \
	src/io/gdv_expr.c \
	src/io/gdv_report.c \
	src/io/gdv_outfile.c \
	src/io/gdv_answers.h \
	src/io/gdv_answers.c
