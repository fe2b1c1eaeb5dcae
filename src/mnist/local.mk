# The model layer (mnist): IDX files, the chapter-1 network as a scalar
# graph, weights files, SGD training, the unit view's numbers. Uses the
# core and io layers only; the figure is src/mnist_draw.
noinst_LIBRARIES += libgdvmnist.a
libgdvmnist_a_SOURCES = \
	src/mnist/gdv_mnist.h \
	src/mnist/mnist_idx.c \
	src/mnist/mnist_net.c \
	src/mnist/mnist_weights.c \
	src/mnist/mnist_train.c \
	src/mnist/mnist_view.c
GDV_MNIST_LIBS = libgdvmnist.a
