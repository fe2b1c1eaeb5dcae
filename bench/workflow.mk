# benchmarks of the workflow layer
