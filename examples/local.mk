# examples: see README
include examples/mnist/local.mk
