# benchmarks of the mnist layer: one training epoch over 8,000 digits
# (target: at most 3 s) and the whole 784-30-10 graph drawn to PNG and SVG
# (target: at most 3 s each, whole process).
BENCH_TARGETS += bench-mnist
EXTRA_DIST += bench/mnist-bench.sh
bench-mnist: gradviz
	@$(SHELL) $(top_srcdir)/bench/mnist-bench.sh $(abs_top_builddir)/gradviz $(abs_top_srcdir)
