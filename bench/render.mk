# benchmarks of the render layer: whole-process figure time against plain
# `dot -Tpng` on the same graph's annotated DOT, and a 1,500-node graph.
BENCH_TARGETS += bench-render
EXTRA_DIST += bench/render_bench.py
bench-render: gradviz
	@python3 $(top_srcdir)/bench/render_bench.py $(abs_top_builddir)/gradviz $(abs_top_srcdir)
