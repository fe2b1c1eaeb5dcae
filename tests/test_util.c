/* test_util.c: the helpers of test_util.h, built into each core-layer
 * Check program. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/gdv_io.h"
#include "test_util.h"

/* One place calls the readers, so DOT and formula tests fail alike. */
static gdv_status read_graph(tu_format format, const char *text,
                             gdv_graph **g, char ***attrs, gdv_error *err) {
  gdv_error_clear(err);
  if (format == TU_DOT)
    return gdv_dot_parse("g.dot", text, strlen(text), g, attrs, err);
  return gdv_expr_parse("f.expr", text, strlen(text), g, err);
}

/* The passes run here so that every test sees values and gradients. */
gdv_graph *tu_parse(tu_format format, const char *text, char ***attrs) {
  gdv_graph *g = NULL;
  gdv_error err;
  gdv_status st = read_graph(format, text, &g, attrs, &err);
  ck_assert_msg(st == GDV_OK, "%s:%ld: %s", err.file, err.line, err.message);
  gdv_forward(g);
  gdv_backward(g);
  return g;
}

/* The message, the line and the file are all part of the contract's
 * one-line error, so all three are checked. */
void tu_parse_fails(tu_format format, const char *text, long line,
                    const char *message) {
  gdv_graph *g = NULL;
  gdv_error err;
  gdv_status st = read_graph(format, text, &g, NULL, &err);
  ck_assert_msg(st == GDV_ERR_INPUT, "accepted: %s", text);
  ck_assert_ptr_null(g);
  ck_assert_str_eq(err.message, message);
  ck_assert_int_eq(err.line, line);
  ck_assert_str_eq(err.file, format == TU_DOT ? "g.dot" : "f.expr");
}

/* Stops the test at a missing name rather than indexing with GDV_NONE. */
gdv_id tu_find(const gdv_graph *g, const char *name) {
  gdv_id id = gdv_graph_find(g, name);
  ck_assert_msg(id != GDV_NONE, "no node %s", name);
  return id;
}

/* Checks k against the fan-in so a wrong index fails instead of reading
 * another node's edge. */
size_t tu_in_edge(const gdv_graph *g, gdv_id v, size_t k) {
  ck_assert_uint_lt(k, gdv_fan_in(g, v));
  return g->arg_start[v] + k;
}

/* Through tu_in_edge, for its bound check. */
gdv_id tu_operand(const gdv_graph *g, gdv_id v, size_t k) {
  return g->edge_from[tu_in_edge(g, v, k)];
}

/* Relative above 1, absolute below: gradients near 0 are compared to the
 * scale of the computation, not to themselves. */
int tu_close_to(double a, double b, double tol) {
  return fabs(a - b) <= tol * fmax(1.0, fmax(fabs(a), fabs(b)));
}

int tu_check_full(void) {
  const char *full = getenv("GDV_CHECK_FULL");
  return full != NULL && strcmp(full, "1") == 0;
}
