# benchmarks of the mnist layer
