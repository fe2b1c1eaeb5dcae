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

# `make gallery-docs` also refreshes the MNIST views that README.md shows
# (docs/gallery/mnist-*.png): each view as on its slide, small, no legend.
gallery-docs-mnist: gradviz$(EXEEXT)
	mkdir -p $(srcdir)/docs/gallery
	g='./gradviz$(EXEEXT) mnist --dpi 40 --show=-legend'; d='$(srcdir)/docs/gallery'; \
	$$g -o $$d/mnist-default.png >/dev/null && \
	$$g --weights trained -o $$d/mnist-trained.png >/dev/null && \
	$$g --expand layer -o $$d/mnist-layer.png >/dev/null && \
	$$g --activation relu --cost cross-entropy -o $$d/mnist-softmax.png >/dev/null && \
	$$g --focus-unit 1:3 -o $$d/mnist-focus.png >/dev/null && \
	$$g --expand units,scalar,units -o $$d/mnist-scalar.png >/dev/null && \
	$$g --sum-terms all -o $$d/mnist-sum-terms.png >/dev/null && \
	$$g --show-units 8,6,10 -o $$d/mnist-8-6-10.png >/dev/null && \
	./gradviz$(EXEEXT) mnist --show-units all --page none --dpi 10 -o $$d/mnist-all.png >/dev/null
.PHONY: gallery-docs-mnist
