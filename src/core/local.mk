# The core: libc and libm only (no pkg-config flags here on purpose).
noinst_LIBRARIES += libgdvcore.a
libgdvcore_a_SOURCES = \
	src/core/gdv.h \
	src/core/gdv_error.c \
	src/core/gdv_number.c \
	src/core/gdv_number_table.h \
	src/core/gdv_ops.c \
	src/core/gdv_graph.c \
	src/core/gdv_group.c \
	src/core/gdv_eval.c \
	src/core/gdv_check.c \
	src/core/gdv_recorded.c \
	src/core/gdv_random.c \
	src/core/gdv_suggest.c \
	src/core/gdv_exercise.h \
	src/core/gdv_variant.c \
	src/core/gdv_grade.c \
	src/core/gdv_stats.h \
	src/core/gdv_stats.c \
	src/core/gdv_util.h \
	src/core/gdv_util.c
