# benchmarks of the workflow layer: batch rendering in parallel, and what
# stats says about backprop against finite differences.
BENCH_TARGETS += bench-workflow-batch bench-workflow-stats
EXTRA_DIST += bench/batch-speedup.sh
bench-workflow-batch: gradviz$(EXEEXT)
	@$(SHELL) $(srcdir)/bench/batch-speedup.sh $(abs_builddir)/gradviz$(EXEEXT) $(abs_srcdir)
bench-workflow-stats: gradviz$(EXEEXT)
	@./gradviz$(EXEEXT) stats --format json $(srcdir)/examples/net-2-2-1.expr | \
	  python3 -c 'import json,sys; d=json.load(sys.stdin); c=d["cost"]; s=c["seconds"]; \
	  print("bench: stats-net-2-2-1-fd-over-backprop %.1f x" % (s["finite_differences"] / (s["forward"] + s["backward"])))'
