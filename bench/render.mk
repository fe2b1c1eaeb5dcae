# benchmarks of the render layer: whole-process figure time against plain
# `dot -Tpng` on the same graph's annotated DOT, and a 1,500-node graph.
BENCH_TARGETS += bench-render
EXTRA_DIST += bench/render_bench.py
bench-render: gradviz
	@$(PYTHON) $(top_srcdir)/bench/render_bench.py $(abs_top_builddir)/gradviz $(abs_top_srcdir)
# The figure planner on every example and course graph: time, candidates
# laid out and measured, Graphviz layouts (counted by an LD_PRELOAD shim
# around gvLayout; GDV_BENCH_BASELINE=OLD-GRADVIZ measures an older binary
# beside it).
BENCH_TARGETS += bench-plan
EXTRA_DIST += bench/plan_bench.py bench/count_layouts.c
CLEANFILES += bench/count_layouts.so
bench/count_layouts.so: bench/count_layouts.c
	$(AM_V_CC)$(MKDIR_P) bench && $(CC) -shared -fPIC -O2 -o $@ $(srcdir)/bench/count_layouts.c -ldl
bench-plan: gradviz$(EXEEXT) bench/count_layouts.so
	@$(PYTHON) $(top_srcdir)/bench/plan_bench.py $(abs_top_builddir)/gradviz$(EXEEXT) \
	  $(abs_top_srcdir) $(abs_top_builddir)/bench/count_layouts.so
