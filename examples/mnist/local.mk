# MNIST data and weights (see README)
