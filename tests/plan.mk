# Issue 11's slide test: tests/render/plan/legible.py measures a figure scaled to
# a 1920x1080 slide from its --dump-layout file (text size in px per em,
# texts overlapping, edges through foreign nodes or texts, line beside edge
# labels, legend height). `make check` runs its self-tests and the course
# graphs' checks; `make check-legible` runs it on every example, every
# course graph and the default `gradviz mnist` (once mnist can dump its
# layout). tests/render/plan/slides.sh runs it in `make check`: every figure
# must pass, except the text size of the few listed there.
GDV_COURSE = \
	tests/render/plan/course/gru-cell.expr \
	tests/render/plan/course/mlp-3-3-3-softmax-xent.expr \
	tests/render/plan/course/net-2-3-1.expr \
	tests/render/plan/course/scales-1e-12-3e8.expr
TESTS += tests/render/plan/legible_selftest.sh tests/render/plan/course.sh tests/render/plan/slides.sh
EXTRA_DIST += tests/render/plan/legible.py tests/render/plan/legible_selftest.py \
	tests/render/plan/legible_selftest.sh tests/render/plan/course.sh tests/render/plan/course.py tests/render/plan/slides.sh \
	tests/render/plan/slides.py tests/render/plan/lesson.py tests/render/plan/course-own tests/render/plan/course-shared \
	$(GDV_COURSE)

# LEGIBLE_DIR=DIR keeps the figures and dumps there (to look at them);
# otherwise they go to a temporary folder that is removed. Exit status:
# the checker's (1: some figure fails).
check-legible: gradviz$(EXEEXT)
	@d='$(LEGIBLE_DIR)'; \
	if test -z "$$d"; then d=`mktemp -d "$${TMPDIR:-/tmp}/gdv-legible.XXXXXX"` || exit 3; \
	  trap 'rm -rf "$$d"' EXIT; else mkdir -p "$$d" || exit 3; fi; \
	dumps=; \
	for g in $(GDV_EXAMPLES) $(GDV_COURSE); do \
	  b=`basename "$$g"`; b=$${b%.*}; \
	  ./gradviz$(EXEEXT) render "$(srcdir)/$$g" -o "$$d/$$b.png" \
	    --dump-layout "$$d/$$b.json" || exit 3; \
	  dumps="$$dumps $$d/$$b.json"; \
	done; \
	if ./gradviz$(EXEEXT) mnist --help 2>&1 | grep -q -e '--dump-layout'; then \
	  ./gradviz$(EXEEXT) mnist -o "$$d/mnist.png" --dump-layout "$$d/mnist.json" \
	    >/dev/null || exit 3; \
	  dumps="$$dumps $$d/mnist.json"; \
	else echo "# gradviz mnist has no --dump-layout yet: not measured"; fi; \
	$(PYTHON) "$(srcdir)/tests/render/plan/legible.py" $$dumps
.PHONY: check-legible
