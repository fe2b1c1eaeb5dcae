# The workflow layer: statistics, settings carried by graph files, batch
# rendering helpers, frames for slides.
noinst_LIBRARIES += libgdvworkflow.a
libgdvworkflow_a_CFLAGS = $(AM_CFLAGS) $(CGRAPH_CFLAGS) $(CAIRO_CFLAGS)
libgdvworkflow_a_SOURCES = \
	src/workflow/gdv_workflow.h \
	src/workflow/gdv_stats.h \
	src/workflow/gdv_stats.c \
	src/workflow/gdv_batch.c \
	src/workflow/gdv_batch_deps.c \
	src/workflow/gdv_batch_out.c \
	src/workflow/gdv_batch_manifest.c \
	src/workflow/gdv_batch_run.c \
	src/workflow/gdv_frames.c \
	src/workflow/gdv_html_page.c \
	src/workflow/gdv_worksheet.h \
	src/workflow/gdv_worksheet.c
GDV_WORKFLOW_LIBS = libgdvworkflow.a
