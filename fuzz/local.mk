# fuzz: one harness per reader (DOT, .expr, style files, weights files,
# IDX images and labels). Each harness is built two ways:
#   `make fuzz`        with clang and libFuzzer (+ASan+UBSan) into fuzz/bin/,
#   `make check`       with the normal compiler and fuzz/driver.c, replaying
#                      fuzz/regress/NAME (reproducers of fixed crashes and
#                      hangs) and fuzz/corpus/NAME (seeds) as regression tests.
# `make fuzz-smoke` runs each harness for FUZZ_SECONDS on top of those inputs.
GDV_FUZZ_NAMES = dot expr style weights idx
GDV_FUZZ_COMMON = fuzz/fuzz.h fuzz/fuzz_file.c fuzz/driver.c
GDV_FUZZ_CFLAGS = $(AM_CFLAGS) $(CGRAPH_CFLAGS) $(GVC_CFLAGS) $(CAIRO_CFLAGS) $(PANGO_CFLAGS) $(PNG_CFLAGS)
GDV_FUZZ_LIBS = $(GDV_ALL_LIBS) $(GDV_ALL_EXTERNAL)

check_PROGRAMS += fuzz/regress_dot fuzz/regress_expr fuzz/regress_style \
	fuzz/regress_weights fuzz/regress_idx
fuzz_regress_dot_SOURCES = $(GDV_FUZZ_COMMON) fuzz/fuzz_dot.c
fuzz_regress_dot_CFLAGS = $(GDV_FUZZ_CFLAGS)
fuzz_regress_dot_LDADD = $(GDV_FUZZ_LIBS)
fuzz_regress_expr_SOURCES = $(GDV_FUZZ_COMMON) fuzz/fuzz_expr.c
fuzz_regress_expr_CFLAGS = $(GDV_FUZZ_CFLAGS)
fuzz_regress_expr_LDADD = $(GDV_FUZZ_LIBS)
fuzz_regress_style_SOURCES = $(GDV_FUZZ_COMMON) fuzz/fuzz_style.c
fuzz_regress_style_CFLAGS = $(GDV_FUZZ_CFLAGS)
fuzz_regress_style_LDADD = $(GDV_FUZZ_LIBS)
fuzz_regress_weights_SOURCES = $(GDV_FUZZ_COMMON) fuzz/fuzz_weights.c
fuzz_regress_weights_CFLAGS = $(GDV_FUZZ_CFLAGS)
fuzz_regress_weights_LDADD = $(GDV_FUZZ_LIBS)
fuzz_regress_idx_SOURCES = $(GDV_FUZZ_COMMON) fuzz/fuzz_idx.c
fuzz_regress_idx_CFLAGS = $(GDV_FUZZ_CFLAGS)
fuzz_regress_idx_LDADD = $(GDV_FUZZ_LIBS)
EXTRA_DIST += fuzz/corpus fuzz/regress fuzz/README fuzz/run-long.sh

# The libFuzzer build: every library source compiled again with clang's
# coverage instrumentation (the normal objects have none), one object per
# source, rebuilt when its source is newer.
FUZZ_CC = clang
FUZZ_SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer $(FUZZ_SANITIZE)
GDV_FUZZ_LIB_SRC = $(libgdvcore_a_SOURCES) $(libgdvio_a_SOURCES) \
	$(libgdvrender_a_SOURCES) $(libgdvmnist_a_SOURCES) $(libgdvbatch_a_SOURCES) \
	$(libgdvteach_a_SOURCES)
GDV_FUZZ_HARNESS_SRC = fuzz/fuzz_dot.c fuzz/fuzz_expr.c fuzz/fuzz_style.c \
	fuzz/fuzz_weights.c fuzz/fuzz_idx.c
GDV_FUZZ_CC = $(FUZZ_CC) -std=c11 -D_GNU_SOURCE $(DEFS) $(DEFAULT_INCLUDES) \
	$(AM_CPPFLAGS) $(CGRAPH_CFLAGS) $(GVC_CFLAGS) $(CAIRO_CFLAGS) $(PANGO_CFLAGS) $(PNG_CFLAGS) \
	$(FUZZ_FLAGS)
fuzz: fuzz/bin/.built
fuzz/bin/.built: $(GDV_FUZZ_LIB_SRC) $(GDV_FUZZ_COMMON) $(GDV_FUZZ_HARNESS_SRC)
	@$(MKDIR_P) fuzz/obj fuzz/bin
	@objs=; for src in $(GDV_FUZZ_LIB_SRC) fuzz/fuzz_file.c; do \
	  case $$src in *.c) ;; *) continue ;; esac; \
	  obj=fuzz/obj/`echo $$src | sed 's|/|_|g; s|\.c$$|.o|'`; \
	  objs="$$objs $$obj"; \
	  test -f $$src && s=$$src || s=$(srcdir)/$$src; \
	  if test ! -f $$obj || test $$s -nt $$obj; then \
	    echo "  FUZZCC   $$src"; \
	    $(GDV_FUZZ_CC) -fsanitize=fuzzer-no-link -c $$s -o $$obj || exit 1; \
	  fi; \
	done; \
	rm -f fuzz/obj/libgdvfuzz.a; $(AR) cr fuzz/obj/libgdvfuzz.a $$objs
	@for name in $(GDV_FUZZ_NAMES); do \
	  echo "  FUZZLD   fuzz/bin/fuzz_$$name"; \
	  $(GDV_FUZZ_CC) -fsanitize=fuzzer $(srcdir)/fuzz/fuzz_$$name.c \
	    fuzz/obj/libgdvfuzz.a $(GDV_ALL_EXTERNAL) -o fuzz/bin/fuzz_$$name || exit 1; \
	done
	@touch $@

# A short run of every harness (CI): new inputs go to a scratch folder, the
# kept ones are read only (git keeps no empty fuzz/regress/NAME); a crash, leak or hang fails the target and leaves
# its input in fuzz/artifacts/.
FUZZ_SECONDS = 25
fuzz-smoke: fuzz
	@$(MKDIR_P) fuzz/artifacts
	@failed=0; for name in $(GDV_FUZZ_NAMES); do \
	  rm -rf fuzz/scratch/$$name; $(MKDIR_P) fuzz/scratch/$$name; \
	  dirs=; for d in regress corpus; do \
	    test -d $(srcdir)/fuzz/$$d/$$name && dirs="$$dirs $(srcdir)/fuzz/$$d/$$name"; \
	  done; \
	  if fuzz/bin/fuzz_$$name -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	      -rss_limit_mb=2048 -artifact_prefix=fuzz/artifacts/$$name- \
	      fuzz/scratch/$$name $$dirs >fuzz/artifacts/$$name.log 2>&1; then \
	    echo "fuzz $$name: `sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' \
	      fuzz/artifacts/$$name.log`"; \
	  else \
	    echo "fuzz $$name: FAILED, see fuzz/artifacts/$$name.log"; \
	    tail -n 30 fuzz/artifacts/$$name.log; failed=1; \
	  fi; \
	done; test $$failed = 0
clean-local: clean-local-fuzz
clean-local-fuzz:
	rm -rf fuzz/obj fuzz/bin fuzz/scratch fuzz/artifacts
.PHONY: fuzz fuzz-smoke clean-local-fuzz
