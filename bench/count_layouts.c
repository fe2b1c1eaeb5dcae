/* count_layouts.c: an LD_PRELOAD shim for `make bench-plan` that counts
 * the Graphviz layouts a process runs (calls of gvLayout) and appends the
 * count to the file GDV_COUNT_FILE names when the process exits. It works
 * on any gradviz binary linked with libgvc, old or new, so the bench can
 * say how many Graphviz layouts a figure took before and after. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long layouts;

/* gvLayout as libgvc declares it, counted, then passed on. */
int gvLayout(void *gvc, void *graph, const char *engine) {
  static int (*real)(void *, void *, const char *);
  if (real == NULL) real = (int (*)(void *, void *, const char *))dlsym(RTLD_NEXT, "gvLayout");
  __atomic_add_fetch(&layouts, 1, __ATOMIC_RELAXED);
  return real ? real(gvc, graph, engine) : -1;
}

/* At exit: one line, the count. */
__attribute__((destructor)) static void report(void) {
  const char *path = getenv("GDV_COUNT_FILE");
  FILE *f = path ? fopen(path, "a") : NULL;
  if (f == NULL) return;
  fprintf(f, "%lu\n", layouts);
  fclose(f);
}
