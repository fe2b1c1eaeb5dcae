# benchmarks of the course workflow: batch rendering (src/batch) in parallel, one layout
# for all the formats of a graph, and what
# stats (src/core) says about backprop against finite differences on 784-30-10.
BENCH_TARGETS += bench-workflow-batch bench-workflow-stats bench-workflow-formats
EXTRA_DIST += bench/batch-speedup.sh bench/stats-summary.py bench/batch-formats.sh
bench-workflow-batch: gradviz$(EXEEXT)
	@$(SHELL) $(srcdir)/bench/batch-speedup.sh $(abs_builddir)/gradviz$(EXEEXT) $(abs_srcdir)
# one layout for every format of a graph, against a layout per format
bench-workflow-formats: gradviz$(EXEEXT)
	@$(SHELL) $(srcdir)/bench/batch-formats.sh $(abs_builddir)/gradviz$(EXEEXT) $(abs_srcdir)
bench-workflow-stats: gradviz$(EXEEXT)
	@./gradviz$(EXEEXT) mnist --emit dot -o bench-mnist.dot
	@./gradviz$(EXEEXT) stats --format json bench-mnist.dot | \
	  $(PYTHON) $(srcdir)/bench/stats-summary.py 784-30-10
	@rm -f bench-mnist.dot
