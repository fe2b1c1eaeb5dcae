# The batch layer (`gradviz batch`): finding the graphs under folders,
# the children that draw them, the output folder and its manifest; and the
# settings a graph file carries for its own figure.
noinst_LIBRARIES += libgdvbatch.a
libgdvbatch_a_CFLAGS = $(AM_CFLAGS) $(CGRAPH_CFLAGS) $(CAIRO_CFLAGS)
libgdvbatch_a_SOURCES = \
	src/batch/gdv_batch.h \
	src/batch/gdv_batch.c \
	src/batch/gdv_batch_deps.c \
	src/batch/gdv_batch_out.c \
	src/batch/gdv_batch_manifest.c \
	src/batch/gdv_batch_run.c
GDV_BATCH_LIBS = libgdvbatch.a
