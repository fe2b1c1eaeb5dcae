/* fuzz_expr.c: the formula reader (.expr), then forward and backward on
 * what it accepts. The parser takes bytes that need not end in NUL. */
#include <stdlib.h>
#include <string.h>

#include "core/gdv.h"
#include "fuzz.h"
#include "io/gdv_io.h"

/* The command line hands the parser a NUL-terminated buffer (gdv_file_load),
 * so the harness does the same. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (text == NULL) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  gdv_graph *g = NULL;
  gdv_error err;
  if (gdv_expr_parse("fuzz.expr", text, size, &g, &err) == GDV_OK) {
    gdv_forward(g);
    gdv_backward(g);
  }
  gdv_graph_free(g);
  free(text);
  return 0;
}
