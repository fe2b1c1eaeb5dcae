# The mnist_draw layer (the MNIST figure): the MNIST network of the model layer drawn with the
# render layer (scene, block layout, fast PNG edges) or written as DOT.
noinst_LIBRARIES += libgdvmnistdraw.a
libgdvmnistdraw_a_CFLAGS = $(AM_CFLAGS) $(CAIRO_CFLAGS)
libgdvmnistdraw_a_SOURCES = \
	src/mnist_draw/gdv_mnist_draw.h \
	src/mnist_draw/mnist_draw.c \
	src/mnist_draw/mnist_dot.c \
	src/mnist_draw/mnist_png.h \
	src/mnist_draw/mnist_png.c \
	src/mnist_draw/mnist_route.h \
	src/mnist_draw/mnist_route.c \
	src/mnist_draw/mnist_sum.h \
	src/mnist_draw/mnist_sum.c \
	src/mnist_draw/mnist_fit.h \
	src/mnist_draw/mnist_fit.c \
	src/mnist_draw/mnist_focus.h \
	src/mnist_draw/mnist_focus.c \
	src/mnist_draw/mnist_poster.h \
	src/mnist_draw/mnist_poster.c
GDV_MNIST_DRAW_LIBS = libgdvmnistdraw.a
