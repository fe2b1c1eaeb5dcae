# `make bench`: speed and memory figures, printed as `bench: NAME VALUE UNIT`.
# Each layer adds its own targets to BENCH_TARGETS.
BENCH_TARGETS =
# Bench programs go in EXTRA_PROGRAMS (+=): built only for `make bench`.
EXTRA_PROGRAMS =
include bench/core.mk
include bench/io.mk
include bench/render.mk
include bench/mnist.mk
include bench/workflow.mk
bench: $(BENCH_TARGETS)
.PHONY: bench $(BENCH_TARGETS)
