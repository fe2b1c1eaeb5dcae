# benchmarks of the render layer
