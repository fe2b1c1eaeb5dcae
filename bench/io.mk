# benchmarks of the io layer on a 1,000,000-node chain of sin nodes: JSON
# writing against Python's json.dumps of the same document, and the peak
# memory of `eval` against Graphviz's nop reading and writing the file.
EXTRA_PROGRAMS += bench/bench_json
bench_bench_json_SOURCES = bench/bench_json.c
bench_bench_json_CFLAGS = $(AM_CFLAGS) -O2
bench_bench_json_LDADD = libgdvio.a libgdvcore.a $(CGRAPH_LIBS) $(LIBS)
CLEANFILES += bench/bench_json$(EXEEXT)
EXTRA_DIST += bench/json_bench.py

BENCH_TARGETS += bench-io
bench-io: bench/bench_json$(EXEEXT) gradviz$(EXEEXT)
	@$(PYTHON) $(srcdir)/bench/json_bench.py ./bench/bench_json$(EXEEXT) $(abs_builddir)/gradviz$(EXEEXT)
