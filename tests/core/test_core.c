/* test_core.c: the core engine against hand-derived values and central
 * finite differences. Graphs are built with the core API only, so a
 * failure here is the engine's, not a reader's. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_main.h"
#include "core/gdv.h"
#include "../test_util.h"

/* ---- building graphs in a line each --------------------------------- */

/* Adds a leaf; the test stops if the core refuses. */
static gdv_id leaf(gdv_graph *g, const char *name, double value) {
  gdv_id id;
  ck_assert_int_eq(gdv_graph_add_node(g, name, GDV_OP_LEAF, 0, &id, NULL), GDV_OK);
  g->value[id] = value;
  return id;
}

/* Adds an op node; its operands come with edge(). */
static gdv_id node(gdv_graph *g, const char *name, gdv_op op) {
  gdv_id id;
  ck_assert_int_eq(gdv_graph_add_node(g, name, op, 0, &id, NULL), GDV_OK);
  return id;
}

/* Adds from -> to with no `arg`: operand order is the order of calls. */
static void edge(gdv_graph *g, gdv_id from, gdv_id to) {
  ck_assert_int_eq(gdv_graph_add_edge(g, from, to, -1, 0, NULL), GDV_OK);
}

/* An empty graph whose messages name the file "t". */
static gdv_graph *new_graph(void) {
  gdv_graph *g = NULL;
  ck_assert_int_eq(gdv_graph_new(&g, "t", NULL), GDV_OK);
  return g;
}

/* Finalizes, runs both passes; fails the test with the core's message. */
static void finish(gdv_graph *g) {
  gdv_error err;
  gdv_error_clear(&err);
  gdv_status st = gdv_graph_finalize(g, &err);
  ck_assert_msg(st == GDV_OK, "finalize: %s", err.message);
  gdv_forward(g);
  gdv_backward(g);
}

/* Finalize must fail with exactly `message`. */
static void finish_fails(gdv_graph *g, const char *message) {
  gdv_error err;
  gdv_error_clear(&err);
  ck_assert_int_eq(gdv_graph_finalize(g, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, message);
  ck_assert_str_eq(err.file, "t");
}

/* Central difference of the output with respect to leaf `x`, with a step
 * scaled to x so that it is neither lost in rounding nor too coarse. */
static double central_difference(gdv_graph *g, gdv_id x) {
  double x0 = g->value[x], h = 1e-6 * fmax(1.0, fabs(x0));
  double up = x0 + h, down = x0 - h;
  g->value[x] = up;
  gdv_forward(g);
  double c_up = g->value[g->output];
  g->value[x] = down;
  gdv_forward(g);
  double c_down = g->value[g->output];
  g->value[x] = x0;
  gdv_forward(g);
  return (c_up - c_down) / (up - down);
}

/* ---- every op's local derivatives against finite differences --------- */

/* f = op(x0, x1, ...) on fresh leaves x0, x1, ..., finalized and
 * evaluated; the exponent is for GDV_OP_POWK. */
static gdv_graph *op_graph(gdv_op op, double exponent, const double *xs,
                           size_t n) {
  gdv_graph *g = new_graph();
  char name[32];
  gdv_id f = node(g, "f", op);
  g->exponent[f] = exponent;
  for (size_t k = 0; k < n; k++) {
    snprintf(name, sizeof name, "x%zu", k);
    edge(g, leaf(g, name, xs[k]), f);
  }
  finish(g);
  return g;
}

/* Builds out = op(x0, x1, ...) on fresh leaves, checks that each edge's
 * local equals the finite difference, that the leaf's grad equals the
 * local (dC/dout = 1), and returns the graph for more checks. */
static gdv_graph *one_op(gdv_op op, double exponent, const double *xs, size_t n) {
  gdv_graph *g = op_graph(op, exponent, xs, n);
  char name[32];
  gdv_id f = tu_find(g, "f");
  ck_assert_uint_eq(g->output, f);
  for (size_t k = 0; k < n; k++) {
    snprintf(name, sizeof name, "x%zu", k);
    gdv_id x = tu_find(g, name);
    size_t e = tu_in_edge(g, f, k);
    ck_assert_uint_eq(g->edge_from[e], x);
    double local = g->edge_local[e], fd = central_difference(g, x);
    ck_assert_msg(tu_close_to(local, fd, 1e-6),
                  "%s operand %zu at x=%g: local %.17g, finite difference %.17g",
                  gdv_op_get(op)->name, k, xs[k], local, fd);
    ck_assert_msg(g->edge_grad[e] == local, "edge grad is 1 * local");
    ck_assert_msg(g->grad[x] == local, "leaf grad is its one edge's grad");
  }
  ck_assert(g->grad[f] == 1);
  return g;
}

/* The value of op on operands x[0..n-1] (exponent k for the one-operand
 * pow), from libm directly. No default: a new op must be added here. */
static double reference_value(gdv_op op, const double *x, size_t n, double k) {
  double acc = x[0];
  switch (op) {
  case GDV_OP_ADD: for (size_t i = 1; i < n; i++) acc += x[i]; return acc;
  case GDV_OP_MUL: for (size_t i = 1; i < n; i++) acc *= x[i]; return acc;
  case GDV_OP_MAX: for (size_t i = 1; i < n; i++) acc = fmax(acc, x[i]); return acc;
  case GDV_OP_MIN: for (size_t i = 1; i < n; i++) acc = fmin(acc, x[i]); return acc;
  case GDV_OP_SUB: return x[0] - x[1];
  case GDV_OP_DIV: return x[0] / x[1];
  case GDV_OP_POW: return pow(x[0], x[1]);
  case GDV_OP_POWK: return pow(x[0], k);
  case GDV_OP_NEG: return -x[0];
  case GDV_OP_SQUARE: return x[0] * x[0];
  case GDV_OP_SQRT: return sqrt(x[0]);
  case GDV_OP_EXP: return exp(x[0]);
  case GDV_OP_LOG: return log(x[0]);
  case GDV_OP_ABS: return fabs(x[0]);
  case GDV_OP_TANH: return tanh(x[0]);
  case GDV_OP_SIGMOID: return 1 / (1 + exp(-x[0]));
  case GDV_OP_RELU: return x[0] > 0 ? x[0] : 0;
  case GDV_OP_SIN: return sin(x[0]);
  case GDV_OP_COS: return cos(x[0]);
  case GDV_OP_IDENTITY: return x[0];
  case GDV_OP_SOFTPLUS: return log(1 + exp(x[0]));
  case GDV_OP_LOG1P: return log1p(x[0]);
  case GDV_OP_SILU: return x[0] / (1 + exp(-x[0]));
  case GDV_OP_LOGSUMEXP:
    for (size_t i = 1; i < n; i++) acc = log(exp(acc) + exp(x[i]));
    return acc;
  case GDV_OP_MEAN: for (size_t i = 1; i < n; i++) acc += x[i]; return acc / (double)n;
  case GDV_OP_CLAMP: return fmin(fmax(x[0], x[1]), x[2]);
  case GDV_OP_LEAF:
  case GDV_OP_COUNT: break;
  }
  ck_abort_msg("op %d has no reference value", (int)op);
  return 0;
}

/* Where each op is checked against finite differences: operands away from
 * kinks and ties (positive ones for sqrt, log and pow's base). Every op
 * needs a row: every_op_has_points fails the suite otherwise. */
typedef struct op_points {
  size_t n_args;       /* operands at each point */
  size_t n_points;
  double exponent;     /* GDV_OP_POWK only */
  double x[5][4];
} op_points;

#define ANYWHERE 1, 5, 0, {{-2.3}, {-0.7}, {0.35}, {1.2}, {3.1}}
#define POSITIVE 1, 5, 0, {{0.05}, {0.6}, {1.0}, {2.5}, {40.0}}
#define SPREAD {1.5, -2.25, 0.75, 3.0}, {0.1, 0.2, -0.3, 0.4}, {-4, 2, 7, 1.25}
static const op_points points[GDV_OP_COUNT] = {
  [GDV_OP_ADD] = {4, 3, 0, {SPREAD}},
  [GDV_OP_MUL] = {4, 4, 0, {SPREAD, {2, 0, 3, -1}}},
  [GDV_OP_MAX] = {4, 3, 0, {SPREAD}},
  [GDV_OP_MIN] = {4, 3, 0, {SPREAD}},
  [GDV_OP_SUB] = {2, 4, 0, {{1.5, -2}, {-0.25, 3}, {4, 0.5}, {-3, -7}}},
  [GDV_OP_DIV] = {2, 4, 0, {{1.5, -2}, {-0.25, 3}, {4, 0.5}, {-3, -7}}},
  [GDV_OP_POW] = {2, 5, 0, {{2, 3}, {0.5, -1.5}, {3.7, 0.25}, {1.3, 2}, {9, 0.5}}},
  [GDV_OP_POWK] = {1, 4, 2.5, {{0.3}, {1.7}, {4.2}, {9.0}}},
  [GDV_OP_NEG] = {ANYWHERE},
  [GDV_OP_SQUARE] = {ANYWHERE},
  [GDV_OP_SQRT] = {POSITIVE},
  [GDV_OP_EXP] = {ANYWHERE},
  [GDV_OP_LOG] = {POSITIVE},
  [GDV_OP_ABS] = {ANYWHERE},
  [GDV_OP_TANH] = {ANYWHERE},
  [GDV_OP_SIGMOID] = {ANYWHERE},
  [GDV_OP_RELU] = {ANYWHERE},
  [GDV_OP_SIN] = {ANYWHERE},
  [GDV_OP_COS] = {ANYWHERE},
  [GDV_OP_IDENTITY] = {ANYWHERE},
  [GDV_OP_SOFTPLUS] = {ANYWHERE},
  [GDV_OP_LOG1P] = {1, 5, 0, {{-0.9}, {-0.3}, {0.001}, {1.5}, {40.0}}},
  [GDV_OP_SILU] = {ANYWHERE},
  [GDV_OP_LOGSUMEXP] = {4, 4, 0, {SPREAD, {30, 29.5, -3, 31}}},
  [GDV_OP_MEAN] = {4, 3, 0, {SPREAD}},
  /* x inside, below lo, above hi; lo > hi (then hi is the value) */
  [GDV_OP_CLAMP] = {3, 5, 0, {{0.3, -1, 2}, {-3, -1, 2}, {5, -1, 2}, {-0.4, -0.5, -0.25},
                              {0.5, 2, 1}}},
};
#undef ANYWHERE
#undef POSITIVE
#undef SPREAD

/* An op added to the enum without test points fails here. */
START_TEST(every_op_has_points) {
  for (int op = GDV_OP_ADD; op < GDV_OP_COUNT; op++)
    ck_assert_msg(points[op].n_points > 0, "op %s has no test points",
                  gdv_op_get((gdv_op)op)->name);
}
END_TEST

/* Op _i at each of its points: value against libm, each local against a
 * finite difference (in one_op). */
START_TEST(op_locals) {
  gdv_op op = (gdv_op)_i;
  const op_points *p = &points[op];
  for (size_t i = 0; i < p->n_points; i++) {
    const double *x = p->x[i];
    gdv_graph *g = one_op(op, p->exponent, x, p->n_args);
    double want = reference_value(op, x, p->n_args, p->exponent);
    ck_assert_msg(tu_close_to(g->value[g->output], want, 1e-15),
                  "%s at point %zu = %.17g, want %.17g", gdv_op_get(op)->name,
                  i, g->value[g->output], want);
    gdv_graph_free(g);
  }
}
END_TEST

START_TEST(binary_locals) {
  static const double pts[][2] = {{1.5, -2.0}, {-0.25, 3.0}, {4.0, 0.5},
                                  {-3.0, -7.0}};
  for (size_t i = 0; i < 4; i++) {
    const double *p = pts[i];
    gdv_graph *g = one_op(GDV_OP_SUB, 0, p, 2);
    ck_assert(g->value[g->output] == p[0] - p[1]);
    ck_assert(g->edge_local[0] == 1 && g->edge_local[1] == -1);
    gdv_graph_free(g);
    g = one_op(GDV_OP_DIV, 0, p, 2);
    ck_assert(g->value[g->output] == p[0] / p[1]);
    ck_assert(tu_close_to(g->edge_local[0], 1 / p[1], 1e-15));
    ck_assert(tu_close_to(g->edge_local[1], -p[0] / (p[1] * p[1]), 1e-15));
    gdv_graph_free(g);
  }
}
END_TEST

/* pow with two operands: x0 > 0 only (ln x0 in the second local). */
START_TEST(pow_two_operands) {
  static const double pts[][2] = {{2.0, 3.0}, {0.5, -1.5}, {3.7, 0.25},
                                  {1.3, 2.0}, {9.0, 0.5}};
  for (size_t i = 0; i < 5; i++) {
    gdv_graph *g = one_op(GDV_OP_POW, 0, pts[i], 2);
    ck_assert(tu_close_to(g->value[g->output], pow(pts[i][0], pts[i][1]), 1e-15));
    gdv_graph_free(g);
  }
  /* 2^3: locals 3*2^2 = 12 and 8 ln 2, exactly as hand-derived. */
  gdv_graph *g = one_op(GDV_OP_POW, 0, pts[0], 2);
  ck_assert(g->value[g->output] == 8);
  ck_assert(g->edge_local[0] == 12);
  ck_assert(tu_close_to(g->edge_local[1], 8 * log(2.0), 1e-15));
  gdv_graph_free(g);
}
END_TEST

/* The contract: the exponent's local is not finite where x0 <= 0. */
START_TEST(pow_two_operands_nonpositive_base) {
  gdv_graph *g = new_graph();
  gdv_id a = leaf(g, "a", -2), b = leaf(g, "b", 2), p = node(g, "p", GDV_OP_POW);
  edge(g, a, p);
  edge(g, b, p);
  finish(g);
  p = tu_find(g, "p");
  ck_assert(g->value[p] == 4);
  ck_assert(g->edge_local[tu_in_edge(g, p, 0)] == -4);
  ck_assert(!isfinite(g->edge_local[tu_in_edge(g, p, 1)]));
  gdv_graph_free(g);
}
END_TEST

START_TEST(pow_exponent) {
  static const double ks[] = {2, 3, 0.5, -1, -2.5, 1, 0};
  static const double xs[] = {0.3, 1.7, 4.2, -1.4};
  for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
    for (size_t j = 0; j < 4; j++) {
      double x = xs[j], k = ks[i];
      if (x < 0 && k != floor(k)) continue;   /* not real */
      gdv_graph *g = one_op(GDV_OP_POWK, k, &x, 1);
      ck_assert(g->value[g->output] == pow(x, k));
      ck_assert(tu_close_to(g->edge_local[0], k * pow(x, k - 1), 1e-15));
      gdv_graph_free(g);
    }
  }
  /* x^2 at 3: exactly 6, the number a student checks by hand. */
  double x = 3;
  gdv_graph *g = one_op(GDV_OP_POWK, 2, &x, 1);
  ck_assert(g->value[g->output] == 9 && g->edge_local[0] == 6);
  gdv_graph_free(g);
}
END_TEST

START_TEST(nary_locals) {
  static const double xs[] = {1.5, -2.25, 0.75, 3.0};
  for (size_t n = 1; n <= 4; n++) {
    gdv_graph *g = one_op(GDV_OP_ADD, 0, xs, n);
    for (size_t k = 0; k < n; k++) ck_assert(g->edge_local[k] == 1);
    gdv_graph_free(g);
    g = one_op(GDV_OP_MUL, 0, xs, n);
    double prod = 1;
    for (size_t k = 0; k < n; k++) prod *= xs[k];
    ck_assert(g->value[g->output] == prod);
    gdv_graph_free(g);
    g = one_op(GDV_OP_MAX, 0, xs, n);
    gdv_graph_free(g);
    g = one_op(GDV_OP_MIN, 0, xs, n);
    gdv_graph_free(g);
  }
  /* mul(1.5, -2.25, 0.75, 3): local 2 is 1.5 * -2.25 * 3 exactly. */
  gdv_graph *g = one_op(GDV_OP_MUL, 0, xs, 4);
  ck_assert(g->edge_local[2] == 1.5 * -2.25 * 3.0);
  gdv_graph_free(g);
  /* max picks 3 (operand 3), min picks -2.25 (operand 1). */
  g = one_op(GDV_OP_MAX, 0, xs, 4);
  ck_assert(g->value[g->output] == 3.0);
  ck_assert(g->edge_local[0] == 0 && g->edge_local[1] == 0 &&
            g->edge_local[2] == 0 && g->edge_local[3] == 1);
  gdv_graph_free(g);
  g = one_op(GDV_OP_MIN, 0, xs, 4);
  ck_assert(g->value[g->output] == -2.25);
  ck_assert(g->edge_local[1] == 1 && g->edge_local[0] == 0 &&
            g->edge_local[3] == 0);
  gdv_graph_free(g);
}
END_TEST

/* Builds op(xs...) and returns the locals, without finite differences
 * (which disagree at kinks, on purpose). */
static void locals_at(gdv_op op, const double *xs, size_t n, double *local,
                      double *value) {
  gdv_graph *g = op_graph(op, 0, xs, n);
  gdv_id f = tu_find(g, "f");
  for (size_t k = 0; k < n; k++) local[k] = g->edge_local[tu_in_edge(g, f, k)];
  *value = g->value[f];
  gdv_graph_free(g);
}

START_TEST(ties_and_kinks) {
  double l[3], v;
  /* max/min: 1 for the first operand attaining it, 0 for the rest. */
  locals_at(GDV_OP_MAX, (double[]){2, 2, 1}, 3, l, &v);
  ck_assert(v == 2 && l[0] == 1 && l[1] == 0 && l[2] == 0);
  locals_at(GDV_OP_MAX, (double[]){1, 3, 3}, 3, l, &v);
  ck_assert(v == 3 && l[0] == 0 && l[1] == 1 && l[2] == 0);
  locals_at(GDV_OP_MIN, (double[]){-1, 4, -1}, 3, l, &v);
  ck_assert(v == -1 && l[0] == 1 && l[1] == 0 && l[2] == 0);
  locals_at(GDV_OP_MIN, (double[]){5, 5}, 2, l, &v);
  ck_assert(v == 5 && l[0] == 1 && l[1] == 0);
  /* abs has 0 at 0; relu 0 at x <= 0. */
  locals_at(GDV_OP_ABS, (double[]){0}, 1, l, &v);
  ck_assert(v == 0 && l[0] == 0);
  locals_at(GDV_OP_ABS, (double[]){-0.0}, 1, l, &v);
  ck_assert(v == 0 && l[0] == 0);
  locals_at(GDV_OP_RELU, (double[]){0}, 1, l, &v);
  ck_assert(v == 0 && l[0] == 0);
  locals_at(GDV_OP_RELU, (double[]){-3}, 1, l, &v);
  ck_assert(v == 0 && l[0] == 0);
  locals_at(GDV_OP_RELU, (double[]){1e-300}, 1, l, &v);
  ck_assert(v == 1e-300 && l[0] == 1);
  /* mul with a zero operand: exact products of the others, no 0/0. */
  locals_at(GDV_OP_MUL, (double[]){2, 0, 3}, 3, l, &v);
  ck_assert(v == 0 && l[0] == 0 && l[1] == 6 && l[2] == 0);
  locals_at(GDV_OP_MUL, (double[]){0, 0}, 2, l, &v);
  ck_assert(v == 0 && l[0] == 0 && l[1] == 0);
  /* sigmoid far out: no overflow, no NaN. */
  locals_at(GDV_OP_SIGMOID, (double[]){-800}, 1, l, &v);
  ck_assert(v == 0 && l[0] == 0);
  locals_at(GDV_OP_SIGMOID, (double[]){800}, 1, l, &v);
  ck_assert(v == 1 && l[0] == 0);
  locals_at(GDV_OP_SIGMOID, (double[]){0}, 1, l, &v);
  ck_assert(v == 0.5 && l[0] == 0.25);
  /* softplus far out: x itself above, e^x (not 0) below, no overflow */
  locals_at(GDV_OP_SOFTPLUS, (double[]){800}, 1, l, &v);
  ck_assert(v == 800 && l[0] == 1);
  locals_at(GDV_OP_SOFTPLUS, (double[]){-800}, 1, l, &v);
  ck_assert(v == 0 && l[0] == 0);
  locals_at(GDV_OP_SOFTPLUS, (double[]){-40}, 1, l, &v);
  ck_assert(tu_close_to(v / exp(-40), 1, 1e-15));
  ck_assert(tu_close_to(l[0] / exp(-40), 1, 1e-15));
  locals_at(GDV_OP_SOFTPLUS, (double[]){0}, 1, l, &v);
  ck_assert(v == log(2.0) && l[0] == 0.5);
  /* log1p: exact where log(1 + x) loses x (1e-20 + 1 == 1); 1 at 0, 1/2 at 1 */
  locals_at(GDV_OP_LOG1P, (double[]){1e-20}, 1, l, &v);
  ck_assert(v == 1e-20 && l[0] == 1);
  locals_at(GDV_OP_LOG1P, (double[]){1}, 1, l, &v);
  ck_assert(v == log(2.0) && l[0] == 0.5);
  locals_at(GDV_OP_LOG1P, (double[]){-0.5}, 1, l, &v);
  ck_assert(v == -log(2.0) && l[0] == 2);
}
END_TEST

/* The ops courses asked for, at points where the numbers come by hand. */
START_TEST(course_ops_by_hand) {
  double l[4], v;
  const double ln3 = log(3.0);
  /* silu(x) = x σ(x), local σ(x) (1 + x (1 - σ(x))): σ(ln 3) = 3/4 */
  locals_at(GDV_OP_SILU, (double[]){0}, 1, l, &v);
  ck_assert(v == 0 && l[0] == 0.5);
  locals_at(GDV_OP_SILU, (double[]){ln3}, 1, l, &v);
  ck_assert(tu_close_to(v, 0.75 * ln3, 1e-15));
  ck_assert(tu_close_to(l[0], 0.75 + 0.1875 * ln3, 1e-15));
  locals_at(GDV_OP_SILU, (double[]){-ln3}, 1, l, &v);
  ck_assert(tu_close_to(v, -0.25 * ln3, 1e-15));
  ck_assert(tu_close_to(l[0], 0.25 - 0.1875 * ln3, 1e-15));
  locals_at(GDV_OP_SILU, (double[]){800}, 1, l, &v);
  ck_assert(v == 800 && l[0] == 1);
  locals_at(GDV_OP_SILU, (double[]){-800}, 1, l, &v);
  ck_assert(v == 0 && l[0] == 0);
  /* logsumexp: ln(1 + 3) = ln 4, locals the softmax 1/4, 3/4 */
  locals_at(GDV_OP_LOGSUMEXP, (double[]){0, ln3}, 2, l, &v);
  ck_assert(tu_close_to(v, log(4.0), 1e-15));
  ck_assert(tu_close_to(l[0], 0.25, 1e-15) && tu_close_to(l[1], 0.75, 1e-15));
  locals_at(GDV_OP_LOGSUMEXP, (double[]){0, 0}, 2, l, &v);
  ck_assert(v == log(2.0) && l[0] == 0.5 && l[1] == 0.5);
  /* the max subtracted: e^1000 would overflow */
  locals_at(GDV_OP_LOGSUMEXP, (double[]){1000, 1000}, 2, l, &v);
  ck_assert(v == 1000 + log(2.0));
  ck_assert(tu_close_to(l[0], 0.5, 1e-13) && tu_close_to(l[1], 0.5, 1e-13));
  locals_at(GDV_OP_LOGSUMEXP, (double[]){-1000, -1000, -1000, -1000}, 4, l, &v);
  ck_assert(v == -1000 + log(4.0));
  ck_assert(tu_close_to(l[0], 0.25, 1e-13) && tu_close_to(l[3], 0.25, 1e-13));
  locals_at(GDV_OP_LOGSUMEXP, (double[]){-2.5}, 1, l, &v);
  ck_assert(v == -2.5 && l[0] == 1);
  /* a small term is kept (log(1 + 4e-18) is 0), so logsumexp(x, 0) is
   * softplus(x) to the last bit */
  locals_at(GDV_OP_LOGSUMEXP, (double[]){0, -40}, 2, l, &v);
  ck_assert(v == log1p(exp(-40.0)) && v > 0);
  static const double xs[] = {-40, -3.5, -0.1, 0, 0.2, 7, 700};
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
    double s, ls;
    locals_at(GDV_OP_SOFTPLUS, &xs[i], 1, &ls, &s);
    locals_at(GDV_OP_LOGSUMEXP, (double[]){xs[i], 0}, 2, l, &v);
    ck_assert_msg(v == s, "logsumexp(%g, 0) = %.17g, softplus %.17g", xs[i], v, s);
    ck_assert(tu_close_to(l[0], ls, 1e-15));
  }
  /* an infinite result is the largest operand's, as max */
  locals_at(GDV_OP_LOGSUMEXP, (double[]){1, INFINITY, 2}, 3, l, &v);
  ck_assert(v == INFINITY && l[0] == 0 && l[1] == 1 && l[2] == 0);
  locals_at(GDV_OP_LOGSUMEXP, (double[]){-INFINITY, -INFINITY}, 2, l, &v);
  ck_assert(v == -INFINITY && l[0] == 1 && l[1] == 0);
  /* mean: the sum over n, each local 1/n */
  locals_at(GDV_OP_MEAN, (double[]){1, 2, 3, 6}, 4, l, &v);
  ck_assert(v == 3 && l[0] == 0.25 && l[1] == 0.25 && l[2] == 0.25 && l[3] == 0.25);
  locals_at(GDV_OP_MEAN, (double[]){1, 2, 4}, 3, l, &v);
  ck_assert(v == 7.0 / 3 && l[0] == 1.0 / 3 && l[2] == 1.0 / 3);
  locals_at(GDV_OP_MEAN, (double[]){-7.25}, 1, l, &v);
  ck_assert(v == -7.25 && l[0] == 1);
}
END_TEST

/* clamp(x, lo, hi) against PyTorch 1.13's torch.clamp with tensor bounds
 * (measured: value, then x.grad, lo.grad, hi.grad after backward()). x
 * passes at the bounds too; lo gets the gradient only where x < lo < hi,
 * hi where x > hi or hi < lo; with lo == hi > x nothing does. */
START_TEST(clamp_as_pytorch) {
  static const double rows[][7] = {
    {0.5, 0, 1, 0.5, 1, 0, 0}, {-1, 0, 1, 0, 0, 1, 0}, {2, 0, 1, 1, 0, 0, 1},
    {0, 0, 1, 0, 1, 0, 0},     {1, 0, 1, 1, 1, 0, 0},  {0.5, 1, 0, 0, 0, 0, 1},
    {2, 1, 0, 0, 0, 0, 1},     {-1, 1, 0, 0, 0, 0, 1}, {1, 1, 1, 1, 1, 0, 0},
    {0, 1, 1, 1, 0, 0, 0},     {2, 1, 1, 1, 0, 0, 1},  {0.5, 0.5, 0.5, 0.5, 1, 0, 0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const double *r = rows[i];
    double l[3], v;
    locals_at(GDV_OP_CLAMP, r, 3, l, &v);
    ck_assert_msg(v == r[3] && l[0] == r[4] && l[1] == r[5] && l[2] == r[6],
                  "clamp(%g, %g, %g) = %g, locals %g %g %g; PyTorch %g, %g %g %g", r[0],
                  r[1], r[2], v, l[0], l[1], l[2], r[3], r[4], r[5], r[6]);
  }
}
END_TEST

/* ---- fan-out, multi-edges, operand order ----------------------------- */

/* Every node's grad is the sum of its out-edges' grads, the output's 1. */
static void assert_fan_out_sums(const gdv_graph *g) {
  gdv_consumers idx;
  ck_assert_int_eq(gdv_consumers_build(g, &idx, NULL), GDV_OK);
  for (size_t u = 0; u < g->n_nodes; u++) {
    double sum = 0;
    for (size_t k = idx.start[u]; k < idx.start[u + 1]; k++) {
      size_t e = idx.edge[k];
      ck_assert_uint_eq(g->edge_from[e], u);
      ck_assert(g->edge_grad[e] == g->grad[g->edge_to[e]] * g->edge_local[e] ||
                !g->reaches[g->edge_to[e]]);
      sum += g->edge_grad[e];
    }
    ck_assert_uint_eq(idx.start[u + 1] - idx.start[u], g->fan_out[u]);
    if (u == g->output) ck_assert(g->grad[u] == 1);
    else ck_assert_msg(tu_close_to(g->grad[u], sum, 1e-14), "node %s: %g vs %g",
                       g->name[u], g->grad[u], sum);
  }
  gdv_consumers_free(&idx);
}

START_TEST(fan_out_example) {
  /* (a+b)*(b+1) at a=2, b=1: dC/db = (b+1) + (a+b) = 2 + 3 = 5. */
  gdv_graph *g = new_graph();
  gdv_id a = leaf(g, "a", 2), b = leaf(g, "b", 1), one = leaf(g, "one", 1);
  gdv_id c = node(g, "c", GDV_OP_ADD), d = node(g, "d", GDV_OP_ADD);
  gdv_id e = node(g, "e", GDV_OP_MUL);
  edge(g, a, c); edge(g, b, c); edge(g, b, d); edge(g, one, d);
  edge(g, c, e); edge(g, d, e);
  finish(g);
  ck_assert(g->value[tu_find(g, "e")] == 6);
  ck_assert(g->grad[tu_find(g, "a")] == 2);
  ck_assert(g->grad[tu_find(g, "b")] == 5);
  ck_assert(g->grad[tu_find(g, "one")] == 3);
  ck_assert(g->grad[tu_find(g, "c")] == 2);
  ck_assert(g->grad[tu_find(g, "d")] == 3);
  ck_assert_uint_eq(g->fan_out[tu_find(g, "b")], 2);
  /* the two terms, edge by edge */
  b = tu_find(g, "b");
  double terms[2];
  size_t nt = 0;
  for (size_t k = 0; k < g->n_edges; k++)
    if (g->edge_from[k] == b) terms[nt++] = g->edge_grad[k];
  ck_assert_uint_eq(nt, 2);
  ck_assert(terms[0] == 2 && terms[1] == 3);
  assert_fan_out_sums(g);
  gdv_graph_free(g);
}
END_TEST

START_TEST(multi_edge) {
  /* x -> m; x -> m with m = mul is x*x: two edges, each local x. */
  gdv_graph *g = new_graph();
  gdv_id x = leaf(g, "x", 3), m = node(g, "m", GDV_OP_MUL);
  edge(g, x, m);
  edge(g, x, m);
  finish(g);
  x = tu_find(g, "x");
  m = tu_find(g, "m");
  ck_assert_uint_eq(g->n_edges, 2);
  ck_assert_uint_eq(gdv_fan_in(g, m), 2);
  ck_assert_uint_eq(g->fan_out[x], 2);
  ck_assert(g->value[m] == 9);
  ck_assert(g->edge_local[0] == 3 && g->edge_local[1] == 3);
  ck_assert(g->edge_grad[0] == 3 && g->edge_grad[1] == 3);
  ck_assert(g->grad[x] == 6);
  ck_assert(tu_close_to(central_difference(g, x), 6, 1e-7));
  assert_fan_out_sums(g);
  gdv_graph_free(g);
  /* x - x through two edges of a sub: 0, grads 1 and -1, sum 0. */
  g = new_graph();
  x = leaf(g, "x", 3);
  gdv_id s = node(g, "s", GDV_OP_SUB);
  edge(g, x, s);
  edge(g, x, s);
  finish(g);
  ck_assert(g->value[tu_find(g, "s")] == 0);
  ck_assert(g->edge_grad[0] == 1 && g->edge_grad[1] == -1);
  ck_assert(g->grad[tu_find(g, "x")] == 0);
  gdv_graph_free(g);
}
END_TEST

/* s = sub or div with `arg` given on both edges, added in reverse. */
START_TEST(arg_reverses_order) {
  gdv_graph *g = new_graph();
  gdv_id a = leaf(g, "a", 10), b = leaf(g, "b", 4);
  gdv_id s = node(g, "s", GDV_OP_SUB), d = node(g, "d", GDV_OP_DIV);
  gdv_id out = node(g, "out", GDV_OP_ADD);
  ck_assert_int_eq(gdv_graph_add_edge(g, a, s, 1, 0, NULL), GDV_OK);
  ck_assert_int_eq(gdv_graph_add_edge(g, b, s, 0, 0, NULL), GDV_OK);
  ck_assert_int_eq(gdv_graph_add_edge(g, a, d, 1, 0, NULL), GDV_OK);
  ck_assert_int_eq(gdv_graph_add_edge(g, b, d, 0, 0, NULL), GDV_OK);
  edge(g, s, out);
  edge(g, d, out);
  finish(g);
  s = tu_find(g, "s");
  d = tu_find(g, "d");
  ck_assert(g->value[s] == 4 - 10);
  ck_assert(g->value[d] == 0.4);
  ck_assert_uint_eq(g->edge_from[tu_in_edge(g, s, 0)], tu_find(g, "b"));
  ck_assert(g->edge_local[tu_in_edge(g, s, 1)] == -1);
  ck_assert(g->edge_local[tu_in_edge(g, d, 0)] == 0.1);
  ck_assert(tu_close_to(g->edge_local[tu_in_edge(g, d, 1)], -4.0 / 100, 1e-15));
  ck_assert(tu_close_to(g->grad[tu_find(g, "a")], -1 - 0.04, 1e-15));
  ck_assert(tu_close_to(g->grad[tu_find(g, "b")], 1 + 0.1, 1e-15));
  gdv_graph_free(g);
}
END_TEST

/* A sub whose two edges carry `args` (-1: none) must fail with msg. */
static void sub_args_fail(long arg0, long arg1, const char *msg) {
  gdv_graph *g = new_graph();
  gdv_id a = leaf(g, "a", 1), b = leaf(g, "b", 2), s = node(g, "s", GDV_OP_SUB);
  ck_assert_int_eq(gdv_graph_add_edge(g, a, s, arg0, 0, NULL), GDV_OK);
  ck_assert_int_eq(gdv_graph_add_edge(g, b, s, arg1, 0, NULL), GDV_OK);
  finish_fails(g, msg);
  gdv_graph_free(g);
}

START_TEST(arg_errors) {
  sub_args_fail(0, -1, "node 's': 'arg' is on 1 of its 2 in-edges; give it "
                "on all or none");
  sub_args_fail(-1, 1, "node 's': 'arg' is on 1 of its 2 in-edges; give it "
                "on all or none");
  sub_args_fail(1, 1, "node 's': arg 1 is given twice");
  sub_args_fail(0, 2, "edge b -> s: arg 2 is out of range (2 operands: 0 to 1)");
  sub_args_fail(5, 0, "edge a -> s: arg 5 is out of range (2 operands: 0 to 1)");
}
END_TEST

/* ---- graph errors ------------------------------------------------------ */

START_TEST(cycle_messages) {
  /* a -> b -> c -> a, fed by x and feeding d: the cycle alone is named,
   * along the edges, from its node that came first. */
  gdv_graph *g = new_graph();
  gdv_id x = leaf(g, "x", 1);
  gdv_id a = node(g, "a", GDV_OP_ADD), b = node(g, "b", GDV_OP_IDENTITY);
  gdv_id c = node(g, "c", GDV_OP_IDENTITY), d = node(g, "d", GDV_OP_NEG);
  edge(g, x, a); edge(g, a, b); edge(g, b, c); edge(g, c, a); edge(g, c, d);
  finish_fails(g, "cycle: a -> b -> c -> a");
  gdv_graph_free(g);
  /* the same cycle, nodes created in another order */
  g = new_graph();
  c = node(g, "c", GDV_OP_IDENTITY);
  b = node(g, "b", GDV_OP_IDENTITY);
  a = node(g, "a", GDV_OP_IDENTITY);
  edge(g, a, b); edge(g, b, c); edge(g, c, a);
  finish_fails(g, "cycle: c -> a -> b -> c");
  gdv_graph_free(g);
  /* a self-loop, and a two-node cycle */
  g = new_graph();
  a = node(g, "a", GDV_OP_IDENTITY);
  edge(g, a, a);
  finish_fails(g, "cycle: a -> a");
  gdv_graph_free(g);
  g = new_graph();
  x = leaf(g, "x", 1);
  a = node(g, "p", GDV_OP_ADD);
  b = node(g, "q", GDV_OP_IDENTITY);
  edge(g, x, a); edge(g, b, a); edge(g, a, b);
  finish_fails(g, "cycle: p -> q -> p");
  gdv_graph_free(g);
}
END_TEST

START_TEST(structure_errors) {
  gdv_graph *g = new_graph();
  finish_fails(g, "the graph is empty");
  gdv_graph_free(g);

  g = new_graph();
  leaf(g, "a", 1);
  leaf(g, "b", 2);
  finish_fails(g, "2 sinks and no node marked output=true: a, b");
  gdv_graph_free(g);

  g = new_graph();
  char name[16];
  for (int i = 0; i < 12; i++) {
    snprintf(name, sizeof name, "s%d", i);
    leaf(g, name, i);
  }
  finish_fails(g, "12 sinks and no node marked output=true: s0, s1, s2, s3, "
               "s4, s5, s6, s7 and 4 more");
  gdv_graph_free(g);

  g = new_graph();
  gdv_id a = leaf(g, "a", 1), s = node(g, "s", GDV_OP_SUB);
  edge(g, a, s); edge(g, a, s); edge(g, a, s);
  finish_fails(g, "node 's': op 'sub' takes 2 operands, it has 3");
  gdv_graph_free(g);

  g = new_graph();
  a = leaf(g, "a", 1);
  s = node(g, "t", GDV_OP_TANH);
  edge(g, a, s); edge(g, a, s);
  finish_fails(g, "node 't': op 'tanh' takes 1 operand, it has 2");
  gdv_graph_free(g);

  g = new_graph();
  node(g, "n", GDV_OP_ADD);
  finish_fails(g, "node 'n': op 'add' takes at least 1 operand, it has none");
  gdv_graph_free(g);

  g = new_graph();
  a = leaf(g, "a", 1);
  s = node(g, "p", GDV_OP_POW);
  edge(g, a, s);
  finish_fails(g, "node 'p': op 'pow' takes 2 operands, or 1 with 'exponent'; "
               "it has 1");
  gdv_graph_free(g);

  g = new_graph();
  a = leaf(g, "a", 1);
  s = leaf(g, "b", 1);
  edge(g, a, s);
  finish_fails(g, "node 'b' has 1 operand but no op");
  gdv_graph_free(g);

  g = new_graph();
  gdv_error err;
  a = leaf(g, "a", 1);
  ck_assert_int_eq(gdv_graph_add_node(g, "a", GDV_OP_ADD, 7, NULL, &err),
                   GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "node 'a' is defined twice");
  ck_assert_int_eq(err.line, 7);
  s = leaf(g, "b", 2);
  ck_assert_int_eq(gdv_graph_mark_output(g, a, &err), GDV_OK);
  ck_assert_int_eq(gdv_graph_mark_output(g, a, &err), GDV_OK);
  ck_assert_int_eq(gdv_graph_mark_output(g, s, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "two outputs: 'a' and 'b'");
  ck_assert_int_eq(gdv_graph_add_edge(g, a, 5, -1, 9, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message,
                   "edge 0 -> 5 names a node that does not exist (2 nodes)");
  gdv_graph_free(g);
}
END_TEST

/* After finalize the arrays are sized and ordered for the passes: every
 * builder call must be refused, and the graph must still evaluate. */
START_TEST(closed_after_finalize) {
  gdv_graph *g = new_graph();
  gdv_id x = leaf(g, "x", 3), y = node(g, "y", GDV_OP_SQUARE);
  edge(g, x, y);
  finish(g);
  x = tu_find(g, "x");
  y = tu_find(g, "y");
  gdv_error err;
  gdv_id id = 77;
  gdv_error_clear(&err);
  ck_assert_int_eq(gdv_graph_add_node(g, "z", GDV_OP_NEG, 4, &id, &err),
                   GDV_ERR_INPUT);
  ck_assert_str_eq(err.message,
                   "cannot add node 'z': the graph is already finalized");
  ck_assert_int_eq(err.line, 4);
  ck_assert_str_eq(err.file, "t");
  ck_assert_uint_eq(id, 77);
  ck_assert_int_eq(gdv_graph_add_edge(g, x, y, -1, 5, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message,
                   "cannot add the edge x -> y: the graph is already finalized");
  ck_assert_int_eq(gdv_graph_set_label(g, x, "ex", &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message,
                   "cannot label node 'x': the graph is already finalized");
  ck_assert_ptr_null(g->label[x]);
  ck_assert_int_eq(gdv_graph_mark_output(g, x, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "cannot mark node 'x' as the output: the "
                   "graph is already finalized");
  ck_assert_int_eq(gdv_graph_finalize(g, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message,
                   "cannot finalize the graph: it is already finalized");
  /* nothing changed: two nodes, one edge, y = x^2 still evaluates */
  ck_assert_uint_eq(g->n_nodes, 2);
  ck_assert_uint_eq(g->n_edges, 1);
  ck_assert_uint_eq(gdv_graph_find(g, "z"), GDV_NONE);
  ck_assert_uint_eq(g->output, y);
  g->value[x] = 4;
  gdv_forward(g);
  gdv_backward(g);
  ck_assert(g->value[y] == 16 && g->grad[x] == 8);
  gdv_graph_free(g);
}
END_TEST

/* Ids out of range are refused before any array is touched. */
START_TEST(ids_out_of_range) {
  gdv_graph *g = new_graph();
  gdv_error err;
  leaf(g, "a", 1);
  gdv_error_clear(&err);
  ck_assert_int_eq(gdv_graph_set_label(g, 9, "nine", &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "node 9 does not exist (1 node)");
  ck_assert_int_eq(gdv_graph_mark_output(g, 9, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "node 9 does not exist (1 node)");
  finish(g);
  ck_assert_uint_eq(g->output, 0);
  gdv_graph_free(g);
}
END_TEST

/* ---- output marking and switching ------------------------------------- */

START_TEST(reaches_and_switch) {
  /* x feeds y = 2x (the output) and z = log(x) (off the path; at x = 0 its
   * local is infinite, which must not leak NaN into x's grad). */
  gdv_graph *g = new_graph();
  gdv_id x = leaf(g, "x", 0), two = leaf(g, "two", 2);
  gdv_id y = node(g, "y", GDV_OP_MUL), z = node(g, "z", GDV_OP_LOG);
  gdv_id w = node(g, "w", GDV_OP_NEG);
  edge(g, x, y); edge(g, two, y); edge(g, x, z); edge(g, z, w);
  ck_assert_int_eq(gdv_graph_mark_output(g, y, NULL), GDV_OK);
  finish(g);
  x = tu_find(g, "x"); y = tu_find(g, "y");
  z = tu_find(g, "z"); w = tu_find(g, "w");
  ck_assert_uint_eq(g->output, y);
  ck_assert(g->reaches[x] && g->reaches[y] && g->reaches[tu_find(g, "two")]);
  ck_assert(!g->reaches[z] && !g->reaches[w]);
  ck_assert(g->grad[x] == 2);
  ck_assert(g->grad[z] == 0 && g->grad[w] == 0);
  ck_assert(isinf(g->edge_local[tu_in_edge(g, z, 0)]));
  ck_assert(g->edge_grad[tu_in_edge(g, z, 0)] == 0);
  /* switch to w = -log(x) at x = 1 */
  g->value[x] = 1;
  gdv_graph_set_output(g, w);
  gdv_forward(g);
  gdv_backward(g);
  ck_assert_uint_eq(g->output, w);
  ck_assert(g->reaches[x] && g->reaches[z] && g->reaches[w]);
  ck_assert(!g->reaches[y] && !g->reaches[tu_find(g, "two")]);
  ck_assert(g->grad[w] == 1 && g->grad[z] == -1 && g->grad[x] == -1);
  ck_assert(g->grad[y] == 0 && g->grad[tu_find(g, "two")] == 0);
  ck_assert(g->edge_grad[tu_in_edge(g, y, 0)] == 0);
  assert_fan_out_sums(g);
  /* switch to an inner node: only its ancestors reach */
  gdv_graph_set_output(g, z);
  gdv_backward(g);
  ck_assert(!g->reaches[w] && g->reaches[z] && g->reaches[x]);
  ck_assert(g->grad[z] == 1 && g->grad[x] == 1 && g->grad[w] == 0);
  gdv_graph_free(g);
}
END_TEST

/* Nodes off every path to the output pass exactly 0 back, even where
 * their locals are infinite (0 * inf would be NaN and poison the sums). */
START_TEST(off_path_infinities) {
  gdv_graph *g = new_graph();
  gdv_id zero = leaf(g, "zero", 0), one = leaf(g, "one", 1), b = leaf(g, "b", 3);
  gdv_id inv = node(g, "inv", GDV_OP_DIV);          /* 1/0 = inf */
  gdv_id m2 = node(g, "m2", GDV_OP_MUL);            /* inf * b */
  gdv_id m3 = node(g, "m3", GDV_OP_MUL);            /* inf * b * b */
  gdv_id lg = node(g, "lg", GDV_OP_LOG);            /* log 0: local inf */
  gdv_id sq = node(g, "sq", GDV_OP_SQRT);           /* sqrt 0: local inf */
  gdv_id out = node(g, "out", GDV_OP_ADD);
  edge(g, one, inv); edge(g, zero, inv);
  edge(g, inv, m2); edge(g, b, m2);
  edge(g, inv, m3); edge(g, b, m3); edge(g, b, m3);
  edge(g, zero, lg); edge(g, zero, sq);
  edge(g, b, out); edge(g, b, out);
  ck_assert_int_eq(gdv_graph_mark_output(g, out, NULL), GDV_OK);
  finish(g);
  ck_assert(isinf(g->value[tu_find(g, "m2")]));
  ck_assert(g->grad[tu_find(g, "b")] == 2);
  ck_assert(g->grad[tu_find(g, "zero")] == 0 && g->grad[tu_find(g, "one")] == 0);
  ck_assert(g->grad[tu_find(g, "inv")] == 0);
  for (size_t e = 0; e < g->n_edges; e++)
    if (!g->reaches[g->edge_to[e]])
      ck_assert_msg(g->edge_grad[e] == 0, "edge %s -> %s carries %g",
                    g->name[g->edge_from[e]], g->name[g->edge_to[e]],
                    g->edge_grad[e]);
  (void)m2; (void)m3; (void)lg; (void)sq;
  gdv_graph_free(g);
}
END_TEST

/* A node nothing consumes, with a marked output elsewhere, stays unreached;
 * an unused leaf is a sink too. */
START_TEST(single_sink_is_output) {
  gdv_graph *g = new_graph();
  gdv_id x = leaf(g, "x", 2), y = node(g, "y", GDV_OP_SQUARE);
  edge(g, x, y);
  finish(g);
  ck_assert_uint_eq(g->output, tu_find(g, "y"));
  ck_assert(g->grad[tu_find(g, "x")] == 4);
  gdv_graph_free(g);
  g = new_graph();
  leaf(g, "only", 5);
  finish(g);
  ck_assert_uint_eq(g->n_nodes, 1);
  ck_assert(g->grad[0] == 1 && g->value[0] == 5 && g->reaches[0]);
  gdv_graph_free(g);
}
END_TEST

/* Topological order: each node after its operands, the file's order
 * where the dependencies allow. */
START_TEST(topological_order) {
  gdv_graph *g = new_graph();
  gdv_id out = node(g, "out", GDV_OP_ADD);
  gdv_id m = node(g, "m", GDV_OP_NEG);
  gdv_id a = leaf(g, "a", 1), b = leaf(g, "b", 2);
  edge(g, m, out); edge(g, b, out); edge(g, a, m);
  finish(g);
  ck_assert_str_eq(g->name[0], "a");
  ck_assert_str_eq(g->name[1], "m");
  ck_assert_str_eq(g->name[2], "b");
  ck_assert_str_eq(g->name[3], "out");
  for (size_t e = 0; e < g->n_edges; e++)
    ck_assert_uint_lt(g->edge_from[e], g->edge_to[e]);
  ck_assert(g->value[3] == 1.0);
  gdv_graph_free(g);
}
END_TEST

/* ---- sizes: nothing recurses, nothing has a fixed limit --------------- */

START_TEST(million_node_chain) {
  /* x, then 999,999 nodes cycling identity, neg, add(prev, one). */
  const size_t n = 1000000;
  gdv_graph *g = new_graph();
  gdv_id prev = leaf(g, "x", 0.5), one = leaf(g, "one", 1);
  char name[32];
  size_t negs = 0;
  for (size_t i = 2; i < n; i++) {
    static const gdv_op cyc[] = {GDV_OP_IDENTITY, GDV_OP_NEG, GDV_OP_ADD};
    gdv_op op = cyc[i % 3];
    snprintf(name, sizeof name, "n%zu", i);
    gdv_id v = node(g, name, op);
    edge(g, prev, v);
    if (op == GDV_OP_ADD) edge(g, one, v);
    negs += op == GDV_OP_NEG;
    prev = v;
  }
  finish(g);
  ck_assert_uint_eq(g->n_nodes, n);
  /* Walk it once by hand: the value, and d out / d(each add's output). */
  double value = 0.5, sign = 1, one_grad = 0;
  size_t since_start_negs = 0;
  for (size_t i = 2; i < n; i++) {
    if (i % 3 == 1) value = -value;
    else if (i % 3 == 2) value += 1;
  }
  /* Going back from the end, the sign flips at each neg; each add passes
   * the current sign to `one`. */
  for (size_t i = n; i-- > 2;) {
    if (i % 3 == 2) one_grad += sign;
    else if (i % 3 == 1) { sign = -sign; since_start_negs++; }
  }
  ck_assert_uint_eq(since_start_negs, negs);
  ck_assert(g->value[g->output] == value);
  ck_assert(g->grad[tu_find(g, "x")] == sign);
  ck_assert(g->grad[tu_find(g, "one")] == one_grad);
  ck_assert_uint_eq(g->fan_out[tu_find(g, "one")], (n - 2 + 1) / 3);
  gdv_graph_free(g);
}
END_TEST

START_TEST(hundred_thousand_operands) {
  const size_t n = 100000;
  char name[32];
  /* add: x_i = i / 4, all locals 1, all grads 1. */
  gdv_graph *g = new_graph();
  gdv_id s = node(g, "s", GDV_OP_ADD);
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    snprintf(name, sizeof name, "x%zu", i);
    edge(g, leaf(g, name, (double)i / 4), s);
    sum += (double)i / 4;
  }
  finish(g);
  s = tu_find(g, "s");
  ck_assert_uint_eq(gdv_fan_in(g, s), n);
  ck_assert(g->value[s] == sum);
  for (size_t e = 0; e < n; e++)
    ck_assert(g->edge_local[e] == 1 && g->edge_grad[e] == 1);
  ck_assert(g->grad[tu_find(g, "x99999")] == 1);
  gdv_graph_free(g);
  /* mul: ones, a 2, a 0.5, a 3 and one 0. Exact: the zero's local is the
   * product of the others (3), every other local is 0. */
  g = new_graph();
  gdv_id m = node(g, "m", GDV_OP_MUL);
  for (size_t i = 0; i < n; i++) {
    snprintf(name, sizeof name, "x%zu", i);
    double v = i == 10 ? 2 : i == 20 ? 0.5 : i == 30 ? 3 : i == 50000 ? 0 : 1;
    edge(g, leaf(g, name, v), m);
  }
  finish(g);
  m = tu_find(g, "m");
  ck_assert(g->value[m] == 0);
  for (size_t k = 0; k < n; k++) {
    double want = k == 50000 ? 3 : 0;
    ck_assert_msg(g->edge_local[tu_in_edge(g, m, k)] == want, "local %zu = %g", k,
                  g->edge_local[tu_in_edge(g, m, k)]);
  }
  ck_assert(g->grad[tu_find(g, "x50000")] == 3);
  ck_assert(g->grad[tu_find(g, "x10")] == 0);
  gdv_graph_free(g);
}
END_TEST

/* 200 random graphs of bounded ops (values stay in a modest range, no
 * kinks nearby): every leaf's grad against central differences, every
 * node's grad against the sum of its out-edges. Fan-out, multi-edges and
 * nodes off the output's paths all occur. */
START_TEST(random_graphs) {
  static const gdv_op ops[] = {GDV_OP_ADD, GDV_OP_MUL, GDV_OP_SUB, GDV_OP_TANH,
                               GDV_OP_SIGMOID, GDV_OP_SIN, GDV_OP_COS,
                               GDV_OP_NEG, GDV_OP_IDENTITY, GDV_OP_SQUARE};
  uint64_t seed = 2024;
  char name[16];
  for (int round = 0; round < 200; round++) {
    gdv_graph *g = new_graph();
    size_t n_leaves = 2 + gdv_splitmix64(&seed) % 4;
    size_t n = n_leaves + 3 + gdv_splitmix64(&seed) % 25;
    for (size_t i = 0; i < n_leaves; i++) {
      snprintf(name, sizeof name, "v%zu", i);
      leaf(g, name, 0.3 + (double)(gdv_splitmix64(&seed) % 1000) / 700);
    }
    for (size_t i = n_leaves; i < n; i++) {
      gdv_op op = ops[gdv_splitmix64(&seed) % (sizeof ops / sizeof ops[0])];
      const gdv_op_info *info = gdv_op_get(op);
      size_t k = info->max_args < 0 ? 1 + gdv_splitmix64(&seed) % 3
                                    : (size_t)info->min_args;
      if (op == GDV_OP_MUL && k > 2) k = 2;
      snprintf(name, sizeof name, "v%zu", i);
      gdv_id v = node(g, name, op);
      for (size_t a = 0; a < k; a++)
        edge(g, (gdv_id)(gdv_splitmix64(&seed) % i), v);
    }
    /* the last node is the output; others may be sinks off its paths */
    ck_assert_int_eq(gdv_graph_mark_output(g, (gdv_id)(n - 1), NULL), GDV_OK);
    finish(g);
    assert_fan_out_sums(g);
    for (size_t v = 0; v < g->n_nodes; v++) {
      if (g->op[v] != GDV_OP_LEAF) continue;
      double fd = central_difference(g, (gdv_id)v);
      ck_assert_msg(tu_close_to(g->grad[v], fd, 1e-6),
                    "round %d, leaf %s: backprop %.17g, finite difference %.17g",
                    round, g->name[v], g->grad[v], fd);
      if (!g->reaches[v]) ck_assert(g->grad[v] == 0);
    }
    gdv_graph_free(g);
  }
}
END_TEST

/* ---- the finite-difference check -------------------------------------- */

START_TEST(check_run) {
  gdv_check_options opt;
  gdv_check_result res;
  gdv_check_defaults(&opt);
  ck_assert(opt.eps == 1e-6 && opt.rtol == 1e-5 && opt.sample == 0);
  /* tanh neuron: every leaf passes; values untouched afterwards */
  gdv_graph *g = new_graph();
  gdv_id w = leaf(g, "w", -3), x = leaf(g, "x", 2), b = leaf(g, "b", 6.5);
  g->role[w] = GDV_ROLE_PARAM;
  gdv_id m = node(g, "m", GDV_OP_MUL), n = node(g, "n", GDV_OP_ADD);
  gdv_id o = node(g, "o", GDV_OP_TANH);
  edge(g, w, m); edge(g, x, m); edge(g, m, n); edge(g, b, n); edge(g, n, o);
  finish(g);
  ck_assert_int_eq(gdv_check_run(g, &opt, &res, NULL), GDV_OK);
  ck_assert_uint_eq(res.n_rows, 3);
  ck_assert_uint_eq(res.n_leaves, 3);
  ck_assert_uint_eq(res.n_failed, 0);
  ck_assert_uint_eq(res.forward_passes, 6);
  ck_assert_str_eq(g->name[res.rows[0].leaf], "w");   /* params first */
  ck_assert(g->value[tu_find(g, "w")] == -3);
  ck_assert(res.output_value == tanh(0.5));
  ck_assert(tu_close_to(res.rows[0].analytic,
                        2 * (1 - tanh(0.5) * tanh(0.5)), 1e-15));
  gdv_check_result_free(&res);
  /* sample: the same leaves for the same seed */
  opt.sample = 2;
  opt.seed = 7;
  ck_assert_int_eq(gdv_check_run(g, &opt, &res, NULL), GDV_OK);
  ck_assert_uint_eq(res.n_rows, 2);
  gdv_id first = res.rows[0].leaf, second = res.rows[1].leaf;
  gdv_check_result_free(&res);
  ck_assert_int_eq(gdv_check_run(g, &opt, &res, NULL), GDV_OK);
  ck_assert(res.rows[0].leaf == first && res.rows[1].leaf == second);
  gdv_check_result_free(&res);
  gdv_graph_free(g);
  /* relu at exactly 0: backprop says 0, finite differences 0.5 */
  g = new_graph();
  x = leaf(g, "x", 0);
  gdv_id r = node(g, "r", GDV_OP_RELU);
  edge(g, x, r);
  finish(g);
  gdv_check_defaults(&opt);
  ck_assert_int_eq(gdv_check_run(g, &opt, &res, NULL), GDV_OK);
  ck_assert_uint_eq(res.n_failed, 1);
  ck_assert(res.rows[0].analytic == 0);
  ck_assert(tu_close_to(res.rows[0].numeric, 0.5, 1e-9));
  ck_assert(!res.rows[0].ok);
  gdv_check_result_free(&res);
  gdv_graph_free(g);
}
END_TEST

/* The leaves a sampled check picks are part of the output (`check --seed`):
 * these are the ones gradviz has always picked for this graph and seed. */
START_TEST(check_sample_is_fixed) {
  gdv_graph *g = new_graph();
  gdv_id s = node(g, "s", GDV_OP_ADD);
  char name[16];
  for (int i = 0; i < 40; i++) {
    snprintf(name, sizeof name, "x%d", i);
    edge(g, leaf(g, name, i), s);
  }
  finish(g);
  gdv_check_options opt;
  gdv_check_result res;
  gdv_check_defaults(&opt);
  opt.sample = 7;
  opt.seed = 12345;
  ck_assert_int_eq(gdv_check_run(g, &opt, &res, NULL), GDV_OK);
  static const char *const want[] = {"x11", "x24", "x27", "x28", "x31", "x32",
                                     "x38"};
  ck_assert_uint_eq(res.n_rows, 7);
  for (size_t i = 0; i < 7; i++)
    ck_assert_str_eq(g->name[res.rows[i].leaf], want[i]);
  gdv_check_result_free(&res);
  gdv_graph_free(g);
}
END_TEST

/* ---- numbers ---------------------------------------------------------- */

START_TEST(parse_numbers) {
  static const struct { const char *text; double value; } good[] = {
    {"-1.5", -1.5}, {".5", 0.5}, {"4.", 4}, {"2e-3", 2e-3}, {"+3", 3},
    {"1E5", 1e5}, {"0", 0}, {"-0", -0.0}, {"1e-400", 0},
    {"6.8813735870195432", 6.8813735870195432}};
  static const char *const bad[] = {
    "", ".", "-", "e5", "1e", "1e+", "nan", "NaN", "inf", "-inf", "Infinity",
    "0x10", "1e999", "-1e999", " 1", "1 ", "--1", "1.2.3", "1,5", "abc"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    double v = 42;
    ck_assert_msg(gdv_parse_number(good[i].text, &v), "'%s'", good[i].text);
    ck_assert_msg(v == good[i].value, "'%s' -> %g", good[i].text, v);
  }
  ck_assert(signbit(-0.0));
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    double v = 42;
    ck_assert_msg(!gdv_parse_number(bad[i], &v), "'%s' accepted", bad[i]);
  }
}
END_TEST

START_TEST(format_round_trips) {
  char buf[32];
  ck_assert_str_eq(gdv_number_text(0.1, buf, sizeof buf), "0.1");
  ck_assert_str_eq(gdv_number_text(0.1 + 0.2, buf, sizeof buf),
                   "0.30000000000000004");
  ck_assert_str_eq(gdv_number_text(-3, buf, sizeof buf), "-3");
  ck_assert_str_eq(gdv_number_text(0.0, buf, sizeof buf), "0");
  ck_assert_str_eq(gdv_number_text(-0.0, buf, sizeof buf), "-0");
  ck_assert_str_eq(gdv_number_text(1e21, buf, sizeof buf), "1e+21");
  static const double special[] = {DBL_MAX, -DBL_MAX, DBL_MIN, 4.9e-324,
                                   1.0 / 3, 2.0 / 3, 6.8813735870195432};
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
    gdv_number_text(special[i], buf, sizeof buf);
    ck_assert_msg(strtod(buf, NULL) == special[i], "%s", buf);
    double back;
    ck_assert_msg(gdv_parse_number(buf, &back) && back == special[i], "%s", buf);
  }
  uint64_t s = 12345;
  for (int i = 0; i < 30000; i++) {
    uint64_t bits = gdv_splitmix64(&s);
    double x;
    memcpy(&x, &bits, sizeof x);
    if (!isfinite(x)) continue;
    gdv_number_text(x, buf, sizeof buf);
    ck_assert_msg(strtod(buf, NULL) == x, "%a printed as %s", x, buf);
  }
}
END_TEST

/* The published splitmix64 sequence from state 0: `check --seed` and the
 * seeded networks depend on exactly these numbers. */
START_TEST(splitmix64_sequence) {
  uint64_t state = 0;
  ck_assert_uint_eq(gdv_splitmix64(&state), 0xE220A8397B1DCDAFULL);
  ck_assert_uint_eq(gdv_splitmix64(&state), 0x6E789E6AA1B965F4ULL);
  ck_assert_uint_eq(gdv_splitmix64(&state), 0x06C45D188009454FULL);
  ck_assert_uint_eq(state, 3 * 0x9E3779B97F4A7C15ULL);
}
END_TEST

START_TEST(op_table) {
  gdv_op op;
  for (int k = GDV_OP_ADD; k < GDV_OP_COUNT; k++) {
    const gdv_op_info *info = gdv_op_get((gdv_op)k);
    ck_assert_msg(info->name && info->symbol, "op %d has no row", k);
    ck_assert_int_eq(gdv_op_lookup(info->name, &op), 1);
    ck_assert_int_eq(op, k == GDV_OP_POWK ? GDV_OP_POW : k);
  }
  /* what backward reads, as `stats` counts it */
  ck_assert_uint_eq(gdv_op_get(GDV_OP_ADD)->saves, GDV_SAVE_NOTHING);
  ck_assert_uint_eq(gdv_op_get(GDV_OP_MUL)->saves, GDV_SAVE_INPUTS);
  ck_assert_uint_eq(gdv_op_get(GDV_OP_EXP)->saves, GDV_SAVE_OUTPUT);
  ck_assert_uint_eq(gdv_op_get(GDV_OP_POW)->saves,
                    GDV_SAVE_INPUTS | GDV_SAVE_OUTPUT);
  ck_assert_uint_eq(gdv_op_get(GDV_OP_MAX)->saves, GDV_SAVE_INDEX);
  ck_assert_uint_eq(gdv_op_get(GDV_OP_LOGSUMEXP)->saves, GDV_SAVE_INPUTS | GDV_SAVE_OUTPUT);
  ck_assert_uint_eq(gdv_op_get(GDV_OP_MEAN)->saves, GDV_SAVE_NOTHING);
  /* an alias is read as its op, whose own name is the one written */
  ck_assert(gdv_op_lookup("swish", &op) && op == GDV_OP_SILU);
  ck_assert_str_eq(gdv_op_get(op)->name, "silu");
  ck_assert_str_eq(gdv_op_alias(0, &op), "swish");
  ck_assert_int_eq(op, GDV_OP_SILU);
  ck_assert_ptr_null(gdv_op_alias(1, &op));
  ck_assert_int_eq(gdv_op_lookup("Tanh", &op), 0);
  ck_assert_int_eq(gdv_op_lookup("leaf", &op), 0);
  ck_assert_int_eq(gdv_op_lookup("", &op), 0);
  gdv_role r;
  ck_assert(gdv_role_lookup("param", &r) && r == GDV_ROLE_PARAM);
  ck_assert(!gdv_role_lookup("weight", &r));
  ck_assert_str_eq(gdv_role_name(GDV_ROLE_CONST), "const");
  ck_assert_ptr_null(gdv_role_name(GDV_ROLE_NONE));
}
END_TEST

/* ---- the number writer against the search it replaced ------------------ */

/* The writer as it was before Ryu: the first precision whose %g text reads
 * back. gdv_number_text must give these exact bytes for every double.
 * Found by halving, not by counting up: reading back is monotone in the
 * precision (the p-digit text is also a (p+1)-digit decimal, and %.*g
 * picks the nearest one, so it is at least as near x), and 17 digits
 * always read back. A random double needs 16 or 17, so counting up
 * cost 17 conversions where halving costs 5. */
static char *format_double_by_search(double x, char *buf, size_t size) {
  if (x == 0) {
    snprintf(buf, size, signbit(x) ? "-0" : "0");
    return buf;
  }
  int lo = 1, hi = 17;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    snprintf(buf, size, "%.*g", mid, x);
    if (strtod(buf, NULL) == x) hi = mid;
    else lo = mid + 1;
  }
  snprintf(buf, size, "%.*g", lo, x);
  return buf;
}

/* xorshift64: a fixed stream of bit patterns, the same on every run. */
static uint64_t next_bits(uint64_t *state) {
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return *state;
}

/* Fails with the double's bits when the two writers disagree. */
static void assert_same_text(double x) {
  char want[64], got[64];
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  format_double_by_search(x, want, sizeof want);
  gdv_number_text(x, got, sizeof got);
  ck_assert_msg(strcmp(want, got) == 0, "bits %016llx: search \"%s\", writer \"%s\"",
                (unsigned long long)bits, want, got);
}

/* The double whose bits are `bits`, nudged by `ulps` (same sign). */
static double from_bits(uint64_t bits, int ulps) {
  double x;
  bits += (uint64_t)(int64_t)ulps;
  memcpy(&x, &bits, sizeof x);
  return x;
}

/* Every power of ten and of two in range, each +-3 ulps, both signs; the
 * edges of the format (subnormals, DBL_MAX, 1e-5 and 1e17 where %g turns
 * to exponents), integers and halves, and specials. */
START_TEST(format_matches_search_edges) {
  for (int e = -323; e <= 308; e++) {
    char text[16];
    snprintf(text, sizeof text, "1e%d", e);
    double p = strtod(text, NULL);
    uint64_t bits;
    memcpy(&bits, &p, sizeof bits);
    for (int u = -3; u <= 3; u++) {
      assert_same_text(from_bits(bits, u));
      assert_same_text(-from_bits(bits, u));
    }
  }
  for (int e = -1074; e <= 1023; e++) {
    uint64_t bits;
    double p = ldexp(1, e);
    memcpy(&bits, &p, sizeof bits);
    for (int u = -3; u <= 3; u++) assert_same_text(from_bits(bits, u));
  }
  for (int i = -100000; i <= 100000; i++) {
    assert_same_text(i);
    assert_same_text(i + 0.5);
    assert_same_text(i / 1000.0);
  }
  double special[] = {DBL_MAX, -DBL_MAX, DBL_MIN, DBL_TRUE_MIN, -DBL_TRUE_MIN,
                      INFINITY, -INFINITY, NAN, 9007199254740993.0, 1e23, 5e-324,
                      0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 123456789012345678.0};
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) assert_same_text(special[i]);
}
END_TEST

/* Two million doubles under check-full, 250,000 per loop step (a tenth in
 * make check): random bit patterns, the subnormals, integers of every
 * size, dyadic fractions, short decimals and values of ordinary size, both
 * signs. */
START_TEST(format_matches_search_random) {
  uint64_t state = UINT64_C(0x9e3779b97f4a7c15) + (uint64_t)_i;
  int count = tu_check_full() ? 250000 : 25000;
  for (int n = 0; n < count; n++) {
    uint64_t bits = next_bits(&state);
    double x;
    switch (n % 6) {
    case 0: memcpy(&x, &bits, sizeof x); break;
    case 1: bits &= UINT64_C(0x800fffffffffffff); memcpy(&x, &bits, sizeof x); break;
    case 2: x = (double)(int64_t)(bits >> (next_bits(&state) % 64)); break;
    case 3: x = ldexp((double)(bits % 1000000), -(int)(next_bits(&state) % 60)); break;
    case 4: x = (double)(int64_t)(bits % 2000001 - 1000000) / 1000.0; break;
    default: x = sin((double)bits) * pow(10, (double)(next_bits(&state) % 41) - 20); break;
    }
    assert_same_text(x);
  }
}
END_TEST

/* A short buffer gets the text cut, as snprintf cut it. */
START_TEST(format_cuts_short_buffers) {
  char buf[8];
  ck_assert_str_eq(gdv_number_text(0.1 + 0.2, buf, sizeof buf), "0.30000");
  ck_assert_str_eq(gdv_number_text(-1e-300, buf, 4), "-1e");
  ck_assert_str_eq(gdv_number_text(1.5, buf, 1), "");
}
END_TEST

/* ---- groups seen from outside (gdv_group.c) --------------------------- */

/* t = tanh(x*y + x) is one group (m = x*y, s = m + x, t), built before its
 * operands so that finalize renumbers it; C = t*w + x uses x outside too.
 * By hand: dt/dx = (1 - t^2)(y + 1), dt/dy = (1 - t^2) x, and the grads
 * through the group are dC/dt = w times those. */
START_TEST(group_through_derivatives) {
  gdv_graph *g = new_graph();
  gdv_error err;
  gdv_id grp, lone;
  gdv_id t = node(g, "t", GDV_OP_TANH), s = node(g, "s", GDV_OP_ADD);
  gdv_id m = node(g, "m", GDV_OP_MUL);
  gdv_id x = leaf(g, "x", 0.3), y = leaf(g, "y", -0.7), w = leaf(g, "w", 1.5);
  gdv_id p = node(g, "p", GDV_OP_MUL), c = node(g, "C", GDV_OP_ADD);
  ck_assert_int_eq(gdv_graph_add_group(g, "t", "t = tanh(x·y + x)", &grp, NULL), GDV_OK);
  ck_assert_int_eq(gdv_graph_add_group(g, "empty", NULL, &lone, NULL), GDV_OK);
  edge(g, x, m); edge(g, y, m); edge(g, m, s); edge(g, x, s); edge(g, s, t);
  edge(g, t, p); edge(g, w, p); edge(g, p, c); edge(g, x, c);
  ck_assert_int_eq(gdv_graph_set_group(g, t, grp, NULL), GDV_OK);
  ck_assert_int_eq(gdv_graph_set_group(g, s, grp, NULL), GDV_OK);
  ck_assert_int_eq(gdv_graph_set_group(g, m, grp, NULL), GDV_OK);
  ck_assert_int_eq(gdv_graph_set_group(g, x, 7, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "group 7 does not exist (2 groups)");
  finish(g);
  ck_assert_int_eq(gdv_graph_add_group(g, "late", NULL, NULL, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "cannot add group 'late': the graph is already finalized");
  ck_assert_uint_eq(gdv_graph_find_group(g, "t"), 0);
  ck_assert_uint_eq(gdv_graph_find_group(g, "nope"), GDV_NONE);
  ck_assert_str_eq(g->group_label[0], "t = tanh(x·y + x)");
  ck_assert_str_eq(g->group_label[1], "empty");
  t = tu_find(g, "t"); x = tu_find(g, "x"); y = tu_find(g, "y");
  ck_assert_uint_eq(g->node_group[tu_find(g, "m")], 0);
  ck_assert_uint_eq(g->node_group[tu_find(g, "s")], 0);
  ck_assert_uint_eq(g->node_group[t], 0);
  ck_assert_uint_eq(g->node_group[x], GDV_NONE);
  ck_assert_uint_eq(g->node_group[tu_find(g, "C")], GDV_NONE);
  gdv_groups gr;
  ck_assert_int_eq(gdv_groups_analyse(g, &gr, NULL), GDV_OK);
  ck_assert_uint_eq(gr.n, 2);
  ck_assert_uint_eq(gr.exit[0], t);
  ck_assert_uint_eq(gr.exit[1], GDV_NONE);
  ck_assert_uint_eq(gr.n_members[0], 3);
  ck_assert_uint_eq(gr.input_start[1] - gr.input_start[0], 2);
  ck_assert_uint_eq(gr.input_start[2], gr.input_start[1]);
  const gdv_group_input *ix = &gr.inputs[0], *iy = &gr.inputs[1];
  ck_assert_uint_eq(ix->from, x);
  ck_assert_uint_eq(iy->from, y);
  ck_assert_uint_eq(ix->n_edges, 2);
  ck_assert_uint_eq(iy->n_edges, 1);
  ck_assert_uint_eq(ix->first_edge, tu_in_edge(g, tu_find(g, "m"), 0));
  ck_assert_uint_eq(gr.edge_input[tu_in_edge(g, tu_find(g, "s"), 1)], 0);
  ck_assert_uint_eq(gr.edge_input[tu_in_edge(g, tu_find(g, "s"), 0)], SIZE_MAX);
  ck_assert_uint_eq(gr.edge_input[tu_in_edge(g, tu_find(g, "C"), 1)], SIZE_MAX);
  double tv = tanh(0.3 * -0.7 + 0.3), dt = 1 - tv * tv;
  ck_assert(tu_close_to(g->value[t], tv, 1e-15));
  ck_assert(tu_close_to(ix->local, dt * (-0.7 + 1), 1e-15));
  ck_assert(tu_close_to(iy->local, dt * 0.3, 1e-15));
  ck_assert(tu_close_to(ix->grad, 1.5 * dt * (-0.7 + 1), 1e-15));
  ck_assert(tu_close_to(iy->grad, 1.5 * dt * 0.3, 1e-15));
  /* the grad through the group and x's own edge to C add to dC/dx */
  ck_assert(tu_close_to(ix->grad + 1, g->grad[x], 1e-15));
  ck_assert(tu_close_to(iy->grad, g->grad[y], 1e-15));
  /* d t / d x by central differences of t itself */
  for (int k = 0; k < 2; k++) {
    gdv_id u = k ? y : x;
    double u0 = g->value[u], h = 1e-6;
    g->value[u] = u0 + h;
    gdv_forward(g);
    double up = g->value[t];
    g->value[u] = u0 - h;
    gdv_forward(g);
    double down = g->value[t];
    g->value[u] = u0;
    gdv_forward(g);
    ck_assert(tu_close_to(gr.inputs[k].local, (up - down) / (2 * h), 1e-8));
  }
  gdv_groups_free(&gr);
  gdv_graph_free(g);
}
END_TEST

/* A group of the given members (before finish). */
static void make_group(gdv_graph *g, const char *name, const char *label, const gdv_id *members,
                       size_t n) {
  gdv_id grp;
  ck_assert_int_eq(gdv_graph_add_group(g, name, label, &grp, NULL), GDV_OK);
  for (size_t i = 0; i < n; i++)
    ck_assert_int_eq(gdv_graph_set_group(g, members[i], grp, NULL), GDV_OK);
}

/* A group two of whose members are used outside has no single derivative:
 * no exit, both named, local NaN (the figure keeps it whole). */
START_TEST(group_several_exits) {
  gdv_graph *g = new_graph();
  gdv_id x = leaf(g, "x", 2), y = leaf(g, "y", 3);
  gdv_id a = node(g, "a", GDV_OP_MUL), b = node(g, "b", GDV_OP_ADD);
  gdv_id c = node(g, "C", GDV_OP_ADD);
  edge(g, x, a); edge(g, y, a); edge(g, a, b); edge(g, y, b);
  edge(g, a, c); edge(g, b, c);
  make_group(g, "cluster_ab", "a and b", (const gdv_id[]){a, b}, 2);
  finish(g);
  gdv_groups gr;
  ck_assert_int_eq(gdv_groups_analyse(g, &gr, NULL), GDV_OK);
  ck_assert_uint_eq(gr.exit[0], GDV_NONE);
  ck_assert_uint_eq(gr.exit2[0], tu_find(g, "a"));
  ck_assert_uint_eq(gr.exit2[1], tu_find(g, "b"));
  ck_assert_uint_eq(gr.input_start[1], 2);
  ck_assert(isnan(gr.inputs[0].local));
  /* the grads through it are still exact: y's two edges into it */
  ck_assert_uint_eq(gr.inputs[1].n_edges, 2);
  ck_assert(tu_close_to(gr.inputs[1].grad, g->grad[tu_find(g, "y")], 1e-15));
  gdv_groups_free(&gr);
  gdv_graph_free(g);
}
END_TEST

/* A leaf declared in a group and used outside it too (lambda shared by two
 * decay terms) leaves the group: it is an input, not a second exit, so
 * the group still collapses. p = lambda*w inside, C = p + lambda*v: the
 * group's one exit is p, dp/dlambda = w, and lambda's grad through the
 * group plus its own edge's make dC/dlambda = w + v. A leaf used only
 * inside (w) stays a member. */
START_TEST(group_shared_leaf_is_an_input) {
  gdv_graph *g = tu_parse(TU_DOT,
                          "digraph {\n"
                          "  subgraph cluster_decay { lambda [value=0.1]; w [value=0.9]; p [op=mul]; }\n"
                          "  v [value=1.1]; q [op=mul]; C [op=add];\n"
                          "  lambda -> p; w -> p; lambda -> q; v -> q; p -> C; q -> C;\n"
                          "}\n",
                          NULL);
  gdv_id lambda = tu_find(g, "lambda");
  gdv_groups gr;
  ck_assert_int_eq(gdv_groups_analyse(g, &gr, NULL), GDV_OK);
  ck_assert_uint_eq(g->node_group[lambda], 0);           /* the graph keeps the file's */
  ck_assert_uint_eq(gr.node_group[lambda], GDV_NONE);    /* the analysis takes it out */
  ck_assert_uint_eq(gr.node_group[tu_find(g, "w")], 0);
  ck_assert_uint_eq(gr.exit[0], tu_find(g, "p"));
  ck_assert_uint_eq(gr.n_members[0], 2);
  ck_assert_uint_eq(gr.input_start[1], 1);
  ck_assert_uint_eq(gr.inputs[0].from, lambda);
  ck_assert(tu_close_to(gr.inputs[0].local, 0.9, 1e-15));
  ck_assert(tu_close_to(gr.inputs[0].grad, 0.9, 1e-15));
  ck_assert(tu_close_to(gr.inputs[0].grad + 1.1, g->grad[lambda], 1e-15));
  gdv_groups_free(&gr);
  gdv_graph_free(g);
}
END_TEST

/* Groups merged into the output's (a network's cost seen as one node):
 * a = x*y, b = tanh(a), C = b*x, each its own statement, with b merged
 * into C. The head's inputs are a and x: d C / d a = x (1 - b^2) through
 * both merged statements, which is dC/da (a's one use is inside), and
 * x's own edge gives b; a's group is untouched. */
START_TEST(group_merged) {
  gdv_graph *g = new_graph();
  gdv_error err;
  gdv_id ga, gb, gc;
  gdv_id x = leaf(g, "x", 0.3), y = leaf(g, "y", -0.7);
  gdv_id a = node(g, "a", GDV_OP_MUL), b = node(g, "b", GDV_OP_TANH);
  gdv_id c = node(g, "C", GDV_OP_MUL);
  edge(g, x, a); edge(g, y, a); edge(g, a, b); edge(g, b, c); edge(g, x, c);
  ck_assert_int_eq(gdv_graph_add_group(g, "a", "a = x·y", &ga, NULL), GDV_OK);
  ck_assert_int_eq(gdv_graph_add_group(g, "b", "b = tanh(a)", &gb, NULL), GDV_OK);
  ck_assert_int_eq(gdv_graph_add_group(g, "C", "C = b·x", &gc, NULL), GDV_OK);
  ck_assert_int_eq(gdv_graph_set_group(g, a, ga, NULL), GDV_OK);
  ck_assert_int_eq(gdv_graph_set_group(g, b, gb, NULL), GDV_OK);
  ck_assert_int_eq(gdv_graph_set_group(g, c, gc, NULL), GDV_OK);
  finish(g);
  x = tu_find(g, "x"); a = tu_find(g, "a"); b = tu_find(g, "b"); c = tu_find(g, "C");
  gdv_id into[3] = {0, 2, 2};
  gdv_groups gr;
  ck_assert_int_eq(gdv_groups_analyse_merged(g, into, &gr, &err), GDV_OK);
  ck_assert_uint_eq(gr.merged_into[1], 2);
  ck_assert_uint_eq(gr.node_group[b], 2);
  ck_assert_uint_eq(gr.node_group[a], 0);
  ck_assert_uint_eq(gr.node_group[x], GDV_NONE);
  ck_assert_uint_eq(gr.n_members[0], 1);
  ck_assert_uint_eq(gr.n_members[1], 0);
  ck_assert_uint_eq(gr.n_members[2], 2);
  ck_assert_uint_eq(gr.exit[1], GDV_NONE);
  ck_assert_uint_eq(gr.exit[2], c);
  ck_assert_uint_eq(gr.input_start[3] - gr.input_start[2], 2);
  const gdv_group_input *ia = &gr.inputs[gr.input_start[2]], *ix = ia + 1;
  ck_assert_uint_eq(ia->from, a);
  ck_assert_uint_eq(ix->from, x);
  double bv = tanh(0.3 * -0.7);
  ck_assert(tu_close_to(ia->local, 0.3 * (1 - bv * bv), 1e-15));
  ck_assert(tu_close_to(ia->local, g->grad[a], 1e-15));
  ck_assert(tu_close_to(ia->grad, g->grad[a], 1e-15));
  ck_assert(tu_close_to(ix->local, bv, 1e-15));
  /* a's own group still sees x and y */
  ck_assert_uint_eq(gr.exit[0], a);
  ck_assert_uint_eq(gr.input_start[1] - gr.input_start[0], 2);
  gdv_groups_free(&gr);
  /* one level only: a group merged into one that is merged itself */
  gdv_id chain[3] = {1, 2, 2};
  ck_assert_int_eq(gdv_groups_analyse_merged(g, chain, &gr, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "group 0 is merged into a group that is merged itself");
  gdv_graph_free(g);
}
END_TEST

/* Cases grouped so that CK_RUN_CASE=sizes runs the big graphs alone. */
/* ---- recorded numbers (issue 13) ---------------------------------------- */

/* The precision of a recorded number is the precision of its text. */
START_TEST(half_units) {
  ck_assert(tu_close_to(gdv_number_half_unit("0.5000"), 5e-5, 1e-15));
  ck_assert(tu_close_to(gdv_number_half_unit("-1.5000"), 5e-5, 1e-15));
  ck_assert(tu_close_to(gdv_number_half_unit("2"), 0.5, 1e-15));
  ck_assert(tu_close_to(gdv_number_half_unit("4."), 0.5, 1e-15));
  ck_assert(tu_close_to(gdv_number_half_unit("-1.25e-3"), 5e-6, 1e-15));
  ck_assert(tu_close_to(gdv_number_half_unit("1E+2"), 50, 1e-12));
  ck_assert(tu_close_to(gdv_number_half_unit("0.49999999999999983"), 5e-18, 1e-15));
  ck_assert(gdv_number_half_unit("1e-99999999999") == 0);
  /* %.4f: 4e-5 off passes, 6e-5 fails; rtol widens; inf never matches */
  ck_assert(gdv_recorded_matches(0.5, 5e-5, 0.50004, 1e-5));
  ck_assert(!gdv_recorded_matches(0.5, 5e-5, 0.50006, 1e-5));
  ck_assert(gdv_recorded_matches(0.5, 5e-5, 0.50006, 2e-4));
  ck_assert(!gdv_recorded_matches(0.5, 5e-5, INFINITY, 1));
}
END_TEST

/* Recorded numbers follow their nodes through finalize's renumbering
 * (written output first), and a graph without any has none. */
START_TEST(recorded_renumbered) {
  gdv_graph *g = tu_parse(TU_DOT, "digraph { y [op=mul, grad=\"1.0\", data=6]; "
                                  "x [value=2, grad=\"3.00\"]; c [value=3, role=const]; "
                                  "x -> y; c -> y }", NULL);
  gdv_id x = tu_find(g, "x"), y = tu_find(g, "y"), c = tu_find(g, "c");
  ck_assert_ptr_nonnull(g->recorded);
  ck_assert_uint_eq(g->recorded[x].has, GDV_REC_GRAD);
  ck_assert(g->recorded[x].grad == 3 && tu_close_to(g->recorded[x].grad_half, 5e-3, 1e-15));
  ck_assert_uint_eq(g->recorded[y].has, GDV_REC_GRAD | GDV_REC_VALUE);
  ck_assert(g->recorded[y].value == 6 && g->recorded[y].value_half == 0.5);
  ck_assert_uint_eq(g->recorded[c].has, 0);
  gdv_rec_result res;
  gdv_error err;
  ck_assert_int_eq(gdv_recorded_check(g, 1e-5, &res, &err), GDV_OK);
  ck_assert_uint_eq(res.n_recorded, 3);
  ck_assert_uint_eq(res.n_wrong, 0);
  gdv_rec_result_free(&res);
  gdv_graph_free(g);
  g = tu_parse(TU_DOT, "digraph { x [value=2]; y [op=neg]; x -> y }", NULL);
  ck_assert_ptr_null(g->recorded);
  ck_assert_int_eq(gdv_recorded_check(g, 1e-5, &res, &err), GDV_OK);
  ck_assert(res.n_recorded == 0 && res.rows == NULL);
  gdv_rec_result_free(&res);
  gdv_graph_free(g);
}
END_TEST

/* x feeds three consumers whose terms are 1, 2 and 4 (dC/dx = 7): a
 * recorded 4 is the term through r alone, 6 (2 + 4) and 5 (1 + 4) two of
 * the three, all overwritten where they should have accumulated; 8 is no
 * sum of them. */
START_TEST(recorded_causes) {
  static const struct { const char *grad; size_t matched; gdv_rec_cause cause; } cases[] = {
    {"4", 1, GDV_CAUSE_OVERWRITTEN}, {"6", 2, GDV_CAUSE_OVERWRITTEN},
    {"5", 2, GDV_CAUSE_OVERWRITTEN}, {"8", 0, GDV_CAUSE_NONE}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[256];
    snprintf(text, sizeof text, "digraph { x [value=1, grad=%s]; a [value=1]; b [value=2]; "
             "d [value=4]; p [op=mul]; q [op=mul]; r [op=mul]; s [op=add]; "
             "x -> p; a -> p; x -> q; b -> q; x -> r; d -> r; p -> s; q -> s; r -> s }",
             cases[i].grad);
    gdv_graph *g = tu_parse(TU_DOT, text, NULL);
    gdv_rec_result res;
    gdv_error err;
    ck_assert_int_eq(gdv_recorded_check(g, 1e-5, &res, &err), GDV_OK);
    ck_assert_uint_eq(res.n_wrong, 1);
    const gdv_rec_row *r = &res.rows[0];
    ck_assert_uint_eq(r->node, tu_find(g, "x"));
    ck_assert_uint_eq(r->which, GDV_REC_GRAD);
    ck_assert(r->computed == 7);
    ck_assert_int_eq(r->cause, cases[i].cause);
    ck_assert_uint_eq(r->n_terms, 3);
    ck_assert_uint_eq(r->n_matched, cases[i].matched);
    if (cases[i].matched == 1) ck_assert_uint_eq(g->edge_to[r->first_edge], tu_find(g, "r"));
    ck_assert_uint_eq(res.wrong_grad[tu_find(g, "x")], 1);
    gdv_rec_result_free(&res);
    gdv_graph_free(g);
  }
}
END_TEST

/* A leaf whose value is its rounded text (draw_dot's data) makes the
 * computed numbers uncertain by as much as moving it within half a unit
 * moves them: b = 6.8814 for 6.88137... moves dC/dx1 by 5.6e-5. */
START_TEST(recorded_rounded_leaves) {
  const char *dot =
    "digraph { 1 [label=\"{ o | data 0.7071 | grad 1.0000 }\" shape=record]; "
    "\"1tanh\" [label=tanh]; \"1tanh\" -> 1; "
    "2 [label=\"{ n | data 0.8814 | grad 0.5000 }\" shape=record]; 2 -> \"1tanh\"; "
    "\"2+\" [label=\"+\"]; \"2+\" -> 2; "
    "3 [label=\"{ m | data -6.0000 | grad 0.5000 }\" shape=record]; 3 -> \"2+\"; "
    "\"3*\" [label=\"*\"]; \"3*\" -> 3; "
    "4 [label=\"{ x1 | data 2.0000 | grad -1.5000 }\" shape=record]; 4 -> \"3*\"; "
    "5 [label=\"{ w1 | data -3.0000 | grad 1.0000 }\" shape=record]; 5 -> \"3*\"; "
    "6 [label=\"{ b | data 6.8814 | grad 0.5000 }\" shape=record]; 6 -> \"2+\" }";
  gdv_graph *g = tu_parse(TU_DOT, dot, NULL);
  gdv_id x1 = tu_find(g, "x1");
  ck_assert(fabs(g->grad[x1] - -1.5) > 5e-5);   /* outside -1.5000's own half unit */
  ck_assert_uint_eq(g->recorded[x1].has, GDV_REC_VALUE | GDV_REC_GRAD | GDV_REC_ROUNDED_LEAF);
  ck_assert_uint_eq(g->recorded[tu_find(g, "n")].has, GDV_REC_VALUE | GDV_REC_GRAD);
  double before = g->grad[x1];
  gdv_rec_result res;
  gdv_error err;
  ck_assert_int_eq(gdv_recorded_check(g, 1e-5, &res, &err), GDV_OK);
  ck_assert_uint_eq(res.n_recorded, 12);
  ck_assert_uint_eq(res.n_wrong, 0);
  ck_assert(g->grad[x1] == before && g->value[tu_find(g, "b")] == 6.8814);
  gdv_rec_result_free(&res);
  gdv_graph_free(g);
}
END_TEST


/* ---- the shared tools (gdv_util.h) ----------------------------------- */

/* FNV-1a 64 against the published test vectors, and in parts. */
START_TEST(hash_vectors) {
  ck_assert_uint_eq(gdv_hash_string(""), GDV_HASH_START);
  ck_assert_uint_eq(gdv_hash_string("a"), UINT64_C(0xaf63dc4c8601ec8c));
  ck_assert_uint_eq(gdv_hash_string("foobar"), UINT64_C(0x85944171f73967e8));
  ck_assert_uint_eq(gdv_hash(gdv_hash(GDV_HASH_START, "foo", 3), "bar", 3),
                    gdv_hash_string("foobar"));
}
END_TEST

/* The index finds what was added as it grows, and walks every item of
 * one hash (the caller tells them apart). */
START_TEST(index_strings) {
  enum { N = 5000 };
  char **names = calloc(N, sizeof *names);
  ck_assert(names != NULL);
  gdv_index ix = {0};
  ck_assert_uint_eq(gdv_index_find_string(&ix, names, "x"), GDV_INDEX_END);
  for (size_t i = 0; i < N; i++) {
    char buf[32];
    snprintf(buf, sizeof buf, "n%zu", i);
    names[i] = strdup(buf);
    ck_assert(gdv_index_add(&ix, gdv_hash_string(buf), i));
  }
  ck_assert_uint_eq(ix.n, N);
  ck_assert(ix.size >= 2 * N && (ix.size & (ix.size - 1)) == 0);
  for (size_t i = 0; i < N; i += 7)
    ck_assert_uint_eq(gdv_index_find_string(&ix, names, names[i]), i);
  ck_assert_uint_eq(gdv_index_find_string(&ix, names, "n5000"), GDV_INDEX_END);
  gdv_index_clear(&ix);
  ck_assert_uint_eq(gdv_index_find_string(&ix, names, "n1"), GDV_INDEX_END);
  gdv_index_free(&ix);
  /* three items under one hash: the walk yields each once, in order */
  for (size_t i = 0; i < 3; i++) ck_assert(gdv_index_add(&ix, 42, 10 + i));
  ck_assert(gdv_index_add(&ix, 43, 99));
  size_t pos, seen = 0;
  for (size_t i = gdv_index_first(&ix, 42, &pos); i != GDV_INDEX_END;
       i = gdv_index_next(&ix, 42, &pos))
    ck_assert_uint_eq(i, 10 + seen++);
  ck_assert_uint_eq(seen, 3);
  gdv_index_free(&ix);
  for (size_t i = 0; i < N; i++) free(names[i]);
  free(names);
}
END_TEST

/* Strict UTF-8: each form a JSON parser refuses is refused here. */
START_TEST(utf8_sequences) {
  static const struct { const char *s; size_t n; } cases[] = {
    {"a", 1}, {"\xC3\xA9", 2}, {"\xE2\x88\x82", 3}, {"\xF0\x9F\x98\x80", 4},
    {"\xC0\xAF", 0},            /* overlong '/' */
    {"\xE0\x80\xAF", 0},        /* overlong, three bytes */
    {"\xED\xA0\x80", 0},        /* a surrogate */
    {"\xF4\x90\x80\x80", 0},    /* past U+10FFFF */
    {"\x80", 0}, {"\xC3", 0},   /* a lone continuation; cut short */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const unsigned char *p = (const unsigned char *)cases[i].s;
    ck_assert_msg(gdv_utf8_seq(p, p + strlen(cases[i].s)) == cases[i].n, "case %zu", i);
  }
}
END_TEST

/* The one wording of a range, in its three shapes. */
START_TEST(range_wording) {
  char buf[128];
  gdv_range_text(buf, sizeof buf, "--dpi", "5", 10, 0, 2400);
  ck_assert_str_eq(buf, "--dpi 5 is out of range (10 to 2400)");
  gdv_range_text(buf, sizeof buf, "--eps", "0", 0, 1, INFINITY);
  ck_assert_str_eq(buf, "--eps 0 is out of range (above 0)");
  gdv_range_text(buf, sizeof buf, "gradviz_precision", "0", 1, 0, INFINITY);
  ck_assert_str_eq(buf, "gradviz_precision 0 is out of range (1 or more)");
  ck_assert(gdv_in_range(10, 10, 0, 20) && !gdv_in_range(10, 10, 1, 20));
  ck_assert(!gdv_in_range(NAN, 0, 0, INFINITY) && gdv_in_range(1e300, 0, 1, INFINITY));
  gdv_error err;
  ck_assert_int_eq(gdv_error_oom(&err), GDV_ERR_SYSTEM);
  ck_assert_str_eq(err.message, "out of memory");
  ck_assert_str_eq(err.file, "");
}
END_TEST

static Suite *core_suite(void) {
  Suite *s = suite_create("core");
  /* Generous timeouts: a shared machine under ASan is slow, and Check's
   * default (4 s) applies when the program runs outside `make check`. */
  TCase *tc = tcase_create("ops");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, every_op_has_points);
  tcase_add_loop_test(tc, op_locals, GDV_OP_ADD, GDV_OP_COUNT);
  tcase_add_test(tc, binary_locals);
  tcase_add_test(tc, pow_two_operands);
  tcase_add_test(tc, pow_two_operands_nonpositive_base);
  tcase_add_test(tc, pow_exponent);
  tcase_add_test(tc, nary_locals);
  tcase_add_test(tc, ties_and_kinks);
  tcase_add_test(tc, course_ops_by_hand);
  tcase_add_test(tc, clamp_as_pytorch);
  tcase_add_test(tc, op_table);
  suite_add_tcase(s, tc);
  tc = tcase_create("graph");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, fan_out_example);
  tcase_add_test(tc, group_through_derivatives);
  tcase_add_test(tc, group_several_exits);
  tcase_add_test(tc, group_shared_leaf_is_an_input);
  tcase_add_test(tc, group_merged);
  tcase_add_test(tc, multi_edge);
  tcase_add_test(tc, arg_reverses_order);
  tcase_add_test(tc, arg_errors);
  tcase_add_test(tc, cycle_messages);
  tcase_add_test(tc, structure_errors);
  tcase_add_test(tc, closed_after_finalize);
  tcase_add_test(tc, ids_out_of_range);
  tcase_add_test(tc, reaches_and_switch);
  tcase_add_test(tc, off_path_infinities);
  tcase_add_test(tc, single_sink_is_output);
  tcase_add_test(tc, topological_order);
  tcase_add_test(tc, check_run);
  tcase_add_test(tc, check_sample_is_fixed);
  tcase_add_test(tc, random_graphs);
  suite_add_tcase(s, tc);
  tc = tcase_create("numbers");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, parse_numbers);
  tcase_add_test(tc, format_round_trips);
  tcase_add_test(tc, format_matches_search_edges);
  tcase_add_loop_test(tc, format_matches_search_random, 0, 8);
  tcase_add_test(tc, format_cuts_short_buffers);
  tcase_add_test(tc, splitmix64_sequence);
  suite_add_tcase(s, tc);
  tc = tcase_create("util");
  tcase_add_test(tc, hash_vectors);
  tcase_add_test(tc, index_strings);
  tcase_add_test(tc, utf8_sequences);
  tcase_add_test(tc, range_wording);
  suite_add_tcase(s, tc);
  tc = tcase_create("recorded");
  tcase_add_test(tc, half_units);
  tcase_add_test(tc, recorded_renumbered);
  tcase_add_test(tc, recorded_causes);
  tcase_add_test(tc, recorded_rounded_leaves);
  suite_add_tcase(s, tc);
  tc = tcase_create("sizes");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, million_node_chain);
  tcase_add_test(tc, hundred_thousand_operands);
  suite_add_tcase(s, tc);
  return s;
}

/* One suite, run as TAP (see check_main.h). */
int main(void) { return gdv_check_run_suite(core_suite()); }
