# benchmarks of the workflow layer: batch rendering in parallel, and what
# stats says about backprop against finite differences on 784-30-10.
BENCH_TARGETS += bench-workflow-batch bench-workflow-stats
EXTRA_DIST += bench/batch-speedup.sh bench/stats-summary.py
bench-workflow-batch: gradviz$(EXEEXT)
	@$(SHELL) $(srcdir)/bench/batch-speedup.sh $(abs_builddir)/gradviz$(EXEEXT) $(abs_srcdir)
bench-workflow-stats: gradviz$(EXEEXT)
	@./gradviz$(EXEEXT) mnist --emit dot -o bench-mnist.dot
	@./gradviz$(EXEEXT) stats --format json bench-mnist.dot | \
	  python3 $(srcdir)/bench/stats-summary.py 784-30-10
	@rm -f bench-mnist.dot
