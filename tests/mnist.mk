# tests of the mnist (model) and mnist_draw layers: a Check program for both and a shell
# test of `gradviz mnist` and `gradviz train` (both make their own IDX files;
# the committed 100 real test digits are used where the test says so).
check_PROGRAMS += tests/mnist/test_mnist
tests_mnist_test_mnist_SOURCES = tests/mnist/test_mnist.c
tests_mnist_test_mnist_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CAIRO_CFLAGS)
tests_mnist_test_mnist_LDADD = libgdvmnistdraw.a libgdvrender.a libgdvmnist.a libgdvio.a \
	libgdvcore.a $(CHECK_LIBS) $(GVC_LIBS) $(CGRAPH_LIBS) $(CAIRO_LIBS) $(PANGO_LIBS) $(PNG_LIBS) $(LIBS)
TESTS += tests/mnist/test_mnist tests/mnist/mnist-cli.sh tests/mnist_draw/mnist-figures.sh tests/mnist_draw/mnist-views.sh
SLOW_TESTS += tests/mnist_draw/mnist-inspector.sh
EXTRA_DIST += tests/mnist/mnist-cli.sh tests/mnist_draw/mnist-figures.sh tests/data/mnist/figure_check.py \
	tests/mnist_draw/mnist-views.sh tests/mnist_draw/mnist_views.py tests/mnist_draw/mnist-inspector.sh tests/mnist_draw/mnist_inspector.py
