# benchmarks of the core layer
