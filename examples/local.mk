# examples: the course gallery (each file says what it teaches at the top).
GDV_EXAMPLES = \
	examples/ab-b1.dot \
	examples/batchnorm.expr \
	examples/chain.dot \
	examples/deep-sigmoid.expr \
	examples/div-pow.expr \
	examples/fan-in.dot \
	examples/fan-out.expr \
	examples/l2-reg.expr \
	examples/maxpool.dot \
	examples/net-2-2-1.expr \
	examples/neuron-drawdot-ids.dot \
	examples/neuron-drawdot.dot \
	examples/neuron.expr \
	examples/relu-dead.dot \
	examples/residual.dot \
	examples/softmax-xent.expr \
	examples/student-overwrite.dot \
	examples/torch-neuron.dot \
	examples/weight-tying.dot \
	examples/x-squared.dot
# Installed as documentation, where the man page points:
# $(docdir)/examples (/usr/local/share/doc/gradviz/examples by default).
examplesdir = $(docdir)/examples
dist_examples_DATA = $(GDV_EXAMPLES) examples/GALLERY.md
# `make examples`: every example in every format through `gradviz batch`,
# plus small PNG thumbnails for examples/GALLERY.md, in the build tree's
# examples/gallery (in an in-tree build that is where GALLERY.md looks).
# --force: batch keeps figures newer than their graph, but the figures
# here are this build's (a figure drawn by an older gradviz is stale).
GDV_GALLERY = examples/gallery
examples: gradviz$(EXEEXT)
	./gradviz$(EXEEXT) batch $(srcdir)/examples -o $(GDV_GALLERY) --formats png,svg,pdf --force
	./gradviz$(EXEEXT) batch $(srcdir)/examples -o $(GDV_GALLERY)/thumbs --formats png --dpi 40 --show=-legend --force
clean-local: clean-local-examples
clean-local-examples:
	rm -rf $(GDV_GALLERY)
.PHONY: examples clean-local-examples
include examples/mnist/local.mk

# `make gallery-docs`: refreshes the thumbnails that README.md shows (they
# are committed, so the README is a gallery wherever it is read).
gallery-docs: examples gallery-docs-mnist
	mkdir -p $(srcdir)/docs/gallery
	cp $(GDV_GALLERY)/thumbs/*.png $(srcdir)/docs/gallery/
.PHONY: gallery-docs
EXTRA_DIST += docs/gallery
