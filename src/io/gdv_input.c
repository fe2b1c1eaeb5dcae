/* gdv_input.c: loading a graph file and picking its parser. */
#include <ctype.h>
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

/* An identifier of the formula syntax at p: its length, 0 when none. */
static size_t formula_name(const char *p, const char *end) {
  size_t n = 0;
  if (p < end && (isalpha((unsigned char)*p) || *p == '_'))
    while (p + n < end && (isalnum((unsigned char)p[n]) || p[n] == '_')) n++;
  return n;
}

/* Whether the first line that is not blank or a '#' comment is a formula
 * statement: `NAME =`, `ROLE NAME =` or `output NAME`. A DOT file begins
 * with `[strict] digraph` (or a comment), never with these. */
static int starts_with_statement(const char *text, size_t size) {
  const char *p = text, *end = text + size;
  for (;;) {
    while (p < end && isspace((unsigned char)*p)) p++;
    if (p >= end || *p != '#') break;
    while (p < end && *p != '\n') p++;
  }
  size_t n = formula_name(p, end);
  if (n == 0) return 0;
  char word[16];
  snprintf(word, sizeof word, "%.*s", (int)(n < 15 ? n : 15), p);
  const char *q = p + n;
  while (q < end && (*q == ' ' || *q == '\t')) q++;
  if (q < end && *q == '=') return 1;
  gdv_role role;
  size_t m = formula_name(q, end);
  if (m == 0) return 0;
  const char *r = q + m;
  while (r < end && (*r == ' ' || *r == '\t')) r++;
  if (strcmp(word, "output") == 0) return r >= end || *r == '\n' || *r == '\r' || *r == '#';
  return gdv_role_lookup(word, &role) && r < end && *r == '=';
}

/* The names --input-format takes; the index is the gdv_input_format. */
static const char *const format_names[] = {"auto", "dot", "expr"};

int gdv_input_format_lookup(const char *name, gdv_input_format *out) {
  int i = gdv_name_index(format_names, 3, name);
  if (i >= 0) *out = (gdv_input_format)i;
  return i >= 0;
}

/* AUTO: ".expr" is a formula file, ".dot" and ".gv" are DOT; standard
 * input and any other name are a formula when the first statement line
 * says so (`x = 2`), else DOT. Messages say "<stdin>" for "-"; on failure
 * *in is freed. */
gdv_status gdv_input_load_as(const char *path, gdv_input_format format, gdv_input *in,
                             gdv_error *err) {
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
  if (format == GDV_INPUT_AUTO)
    format = ends_with(path, ".expr") ? GDV_INPUT_EXPR
             : ends_with(path, ".dot") || ends_with(path, ".gv") ? GDV_INPUT_DOT
             : starts_with_statement(in->text.data, in->text.size) ? GDV_INPUT_EXPR
                                                                    : GDV_INPUT_DOT;
  in->is_dot = format == GDV_INPUT_DOT;
  if (in->is_dot && (st = gdv_dot_to_utf8(in->display_path, &in->text, err)) == GDV_OK)
    st = gdv_dot_parse(in->display_path, in->text.data, in->text.size,
                       &in->graph, &in->graph_attrs, err);
  else if (!in->is_dot)
    st = gdv_expr_parse(in->display_path, in->text.data, in->text.size,
                        &in->graph, err);
  if (st) gdv_input_free(in);
  return st;
}

/* Every reader but the command line's --input-format: by name and text. */
gdv_status gdv_input_load(const char *path, gdv_input *in, gdv_error *err) {
  return gdv_input_load_as(path, GDV_INPUT_AUTO, in, err);
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
