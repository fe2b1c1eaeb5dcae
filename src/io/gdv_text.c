/* gdv_text.c: a file read whole. Its own file so that layers that need no
 * graph parsing (the MNIST readers) link it without pulling in cgraph. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/gdv_io.h"

/* Reads path whole ("-": standard input), NUL-terminated for text readers;
 * binary files work too (size tells the length). */
gdv_status gdv_text_read(const char *path, gdv_text *out, gdv_error *err) {
  int is_stdin = strcmp(path, "-") == 0;
  const char *shown = is_stdin ? "<stdin>" : path;
  FILE *f = is_stdin ? stdin : fopen(path, "rb");
  memset(out, 0, sizeof *out);
  if (f == NULL)
    return gdv_error_set(err, GDV_ERR_INPUT, shown, 0, "cannot open: %s",
                         strerror(errno));
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  while (buf != NULL) {
    size_t got = fread(buf + len, 1, cap - len - 1, f);
    len += got;
    if (got == 0) break;
    if (len + 1 == cap) {
      char *t = realloc(buf, cap * 2);
      if (t == NULL) { free(buf); buf = NULL; break; }
      buf = t;
      cap *= 2;
    }
  }
  int failed = ferror(f);
  int saved = errno;
  if (!is_stdin) fclose(f);
  if (buf == NULL)
    return gdv_error_set(err, GDV_ERR_SYSTEM, shown, 0, "out of memory");
  if (failed) {
    free(buf);
    /* Reading a folder fails here with EISDIR. */
    return gdv_error_set(err, GDV_ERR_INPUT, shown, 0, "cannot read: %s",
                         strerror(saved));
  }
  buf[len] = '\0';
  out->data = buf;
  out->size = len;
  return GDV_OK;
}

/* Leaves the text empty, so a second free is harmless. */
void gdv_text_free(gdv_text *t) {
  free(t->data);
  t->data = NULL;
  t->size = 0;
}
