# (filled in by the mnist layer)
GDV_MNIST_LIBS =
