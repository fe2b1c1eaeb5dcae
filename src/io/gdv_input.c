/* gdv_input.c: loading a graph file and picking its parser. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/gdv_io.h"

/* True when path ends with suffix. */
static int ends_with(const char *path, const char *suffix) {
  size_t n = strlen(path), k = strlen(suffix);
  return n >= k && strcmp(path + n - k, suffix) == 0;
}

/* Only a path ending in ".expr" is a formula file; all else, stdin included,
 * is DOT. Messages say "<stdin>" for "-"; on failure *in is freed. */
gdv_status gdv_input_load(const char *path, gdv_input *in, gdv_error *err) {
  memset(in, 0, sizeof *in);
  in->path = strdup(path);
  in->display_path = strdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
  if (in->path == NULL || in->display_path == NULL) {
    gdv_input_free(in);
    return gdv_error_set(err, GDV_ERR_SYSTEM, path, 0, "out of memory");
  }
  gdv_status st = gdv_file_load(path, &in->text, err);
  if (st) {
    gdv_input_free(in);
    return st;
  }
  in->is_dot = !ends_with(path, ".expr");
  if (in->is_dot && (st = gdv_dot_to_utf8(in->display_path, &in->text, err)) == GDV_OK)
    st = gdv_dot_parse(in->display_path, in->text.data, in->text.size,
                       &in->graph, &in->graph_attrs, err);
  else if (!in->is_dot)
    st = gdv_expr_parse(in->display_path, in->text.data, in->text.size,
                        &in->graph, err);
  if (st) gdv_input_free(in);
  return st;
}

/* Safe on a zeroed or half-loaded input, and leaves it zeroed so a second
 * call is harmless. */
void gdv_input_free(gdv_input *in) {
  gdv_graph_free(in->graph);
  gdv_file_text_free(&in->text);
  if (in->graph_attrs)
    for (char **a = in->graph_attrs; *a; a++) free(*a);
  free(in->graph_attrs);
  free(in->path);
  free(in->display_path);
  memset(in, 0, sizeof *in);
}

/* graph_attrs is a NULL-terminated list of name, value pairs; a linear
 * search suffices for a handful of graph attributes. */
const char *gdv_input_graph_attr(const gdv_input *in, const char *name) {
  if (in->graph_attrs == NULL) return NULL;
  for (char **a = in->graph_attrs; a[0]; a += 2)
    if (strcmp(a[0], name) == 0) return a[1];
  return NULL;
}
