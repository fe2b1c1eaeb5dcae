# MNIST data and weights, installed to $(pkgdatadir)/mnist so that
# `gradviz mnist -o mnist.png` works on a fresh install (see README):
#   test100-*: the first 100 of the 2,000 test digits scripts/fetch-mnist.sh makes
#   weights-784-30-10.txt: trained by `gradviz train` (command in README)
mnistdir = $(pkgdatadir)/mnist
dist_mnist_DATA = \
	examples/mnist/test100-images-idx3-ubyte \
	examples/mnist/test100-labels-idx1-ubyte \
	examples/mnist/weights-784-30-10.txt
GDV_TREE_FILES += $(dist_mnist_DATA)
# The data stay in $(pkgdatadir) (the mnist command reads them; a package
# must work without /usr/share/doc); what documents and remakes them goes
# with the examples: the README and the scripts that fetch the real digits.
examples_mnistdir = $(docdir)/examples/mnist
dist_examples_mnist_DATA = \
	examples/mnist/README.md \
	scripts/fetch-mnist.sh \
	scripts/mnist-json-to-idx.py
