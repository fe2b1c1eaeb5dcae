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
	examples/neuron.expr \
	examples/relu-dead.dot \
	examples/residual.dot \
	examples/softmax-xent.expr \
	examples/weight-tying.dot \
	examples/x-squared.dot
EXTRA_DIST += $(GDV_EXAMPLES)
include examples/mnist/local.mk
