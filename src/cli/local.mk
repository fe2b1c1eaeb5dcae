# The command line: main.c finds a command in its table; one file each.
bin_PROGRAMS += gradviz
gradviz_SOURCES = \
	src/cli/cli.h \
	src/cli/main.c \
	src/cli/cli_util.c \
	src/cli/cli_progress.c \
	src/cli/cli_cost.c \
	src/cli/cli_mnist.c \
	src/cli/cmd_render.c \
	src/cli/cmd_eval.c \
	src/cli/cmd_check.c \
	src/cli/cmd_mnist.c \
	src/cli/cmd_train.c \
	src/cli/cmd_batch.c \
	src/cli/cmd_stats.c \
	src/cli/cmd_grade.c \
	src/cli/cmd_worksheet.c
# Higher layers first: static libraries resolve left to right.
GDV_ALL_LIBS = $(GDV_TEACH_LIBS) $(GDV_BATCH_LIBS) $(GDV_MNIST_DRAW_LIBS) $(GDV_RENDER_LIBS) \
	$(GDV_MNIST_LIBS) libgdvio.a libgdvcore.a
GDV_ALL_EXTERNAL = $(GVC_LIBS) $(CGRAPH_LIBS) $(CAIRO_LIBS) $(PANGO_LIBS) $(PNG_LIBS) $(LIBS)
gradviz_LDADD = $(GDV_ALL_LIBS) $(GDV_ALL_EXTERNAL)
# the progress line's thread (cli_progress.c)
gradviz_LDFLAGS = $(AM_LDFLAGS) -pthread
