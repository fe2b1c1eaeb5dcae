# The figure layer: the MNIST network of the model layer drawn with the
# render layer (scene, block layout, fast PNG edges) or written as DOT.
noinst_LIBRARIES += libgdvfigure.a
libgdvfigure_a_CFLAGS = $(AM_CFLAGS) $(CAIRO_CFLAGS)
libgdvfigure_a_SOURCES = \
	src/figure/gdv_mnist_draw.h \
	src/figure/mnist_draw.c \
	src/figure/mnist_dot.c \
	src/figure/mnist_png.h \
	src/figure/mnist_png.c \
	src/figure/mnist_route.h \
	src/figure/mnist_route.c \
	src/figure/mnist_sum.h \
	src/figure/mnist_sum.c \
	src/figure/mnist_fit.h \
	src/figure/mnist_fit.c \
	src/figure/mnist_focus.h \
	src/figure/mnist_focus.c \
	src/figure/mnist_poster.h \
	src/figure/mnist_poster.c
GDV_FIGURE_LIBS = libgdvfigure.a
