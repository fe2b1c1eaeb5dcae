# benchmarks of the core layer: `make bench-core` (also run by `make bench`)
# builds the 784-30-10 network in memory (with the mnist layer's builder)
# and times forward+backward.
# EXTRA_PROGRAMS: built only when asked for, never by `make` or `make check`.
EXTRA_PROGRAMS += bench/bench_core
bench_bench_core_SOURCES = bench/bench_core.c
bench_bench_core_CFLAGS = $(AM_CFLAGS) -O2
bench_bench_core_LDADD = libgdvmnist.a libgdvcore.a $(LIBS)
CLEANFILES += bench/bench_core$(EXEEXT)

BENCH_TARGETS += bench-core
bench-core: bench/bench_core$(EXEEXT)
	@./bench/bench_core$(EXEEXT)
