/* driver.c: replays inputs through a harness without libFuzzer, so the
 * kept reproducers run in `make check` with the normal compiler (and
 * under the sanitizers in the sanitizer build). Each argument is a file;
 * a crash or a sanitizer report fails the test that runs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Reads a whole file into exact-size memory, so ASan sees a read past the
 * end as libFuzzer's own buffers would. */
static unsigned char *slurp(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 4096, n = 0;
  unsigned char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      unsigned char *bigger = realloc(buf, cap *= 2);
      if (bigger == NULL) { free(buf); buf = NULL; }
      else buf = bigger;
    }
  }
  fclose(f);
  if (buf == NULL) return NULL;
  unsigned char *exact = malloc(n ? n : 1);
  if (exact) memcpy(exact, buf, n);
  free(buf);
  *size = n;
  return exact;
}

/* Exit 2 for a file it cannot read: a missing reproducer is a broken
 * test, not a pass. */
int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    size_t size = 0;
    unsigned char *data = slurp(argv[i], &size);
    if (data == NULL) {
      fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[i]);
      return 2;
    }
    LLVMFuzzerTestOneInput(data, size);
    free(data);
  }
  return 0;
}
