# The mnist layer: IDX files, the chapter-1 network as a scalar graph,
# weights files, SGD training, the unit view (core API, libc and libm only).
noinst_LIBRARIES += libgdvmnist.a
libgdvmnist_a_CFLAGS = $(AM_CFLAGS) $(CAIRO_CFLAGS)
libgdvmnist_a_SOURCES = \
	src/mnist/gdv_mnist.h \
	src/mnist/mnist_idx.c \
	src/mnist/mnist_net.c \
	src/mnist/mnist_weights.c \
	src/mnist/mnist_train.c \
	src/mnist/mnist_dot.c \
	src/mnist/mnist_view.c \
	src/mnist/gdv_mnist_draw.h \
	src/mnist/mnist_draw.c \
	src/mnist/mnist_png.h \
	src/mnist/mnist_png.c
GDV_MNIST_LIBS = libgdvmnist.a
