/* gdv_eval.c: the forward and backward passes. Nodes are stored in
 * topological order, so forward is one loop up and backward one loop down,
 * each a single switch on the op (the ggml shape). */
#include <math.h>

#include "gdv.h"

/* Sigmoid without overflow for large |x|. */
static double sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + exp(-x));
  double e = exp(x);
  return e / (1.0 + e);
}

/* The value of op node v from its operands' values. */
static double node_value(const gdv_graph *g, gdv_id v) {
  const double *val = g->value;
  const gdv_id *from = g->edge_from + g->arg_start[v];
  size_t n = g->arg_start[v + 1] - g->arg_start[v];
  double x = n ? val[from[0]] : 0, acc;
  switch ((gdv_op)g->op[v]) {
  case GDV_OP_ADD:
    acc = 0;
    for (size_t k = 0; k < n; k++) acc += val[from[k]];
    return acc;
  case GDV_OP_MUL:
    acc = 1;
    for (size_t k = 0; k < n; k++) acc *= val[from[k]];
    return acc;
  case GDV_OP_MAX:
    acc = x;
    for (size_t k = 1; k < n; k++) if (val[from[k]] > acc) acc = val[from[k]];
    return acc;
  case GDV_OP_MIN:
    acc = x;
    for (size_t k = 1; k < n; k++) if (val[from[k]] < acc) acc = val[from[k]];
    return acc;
  case GDV_OP_SUB: return x - val[from[1]];
  case GDV_OP_DIV: return x / val[from[1]];
  case GDV_OP_POW: return pow(x, val[from[1]]);
  case GDV_OP_POWK: return pow(x, g->exponent[v]);
  case GDV_OP_NEG: return -x;
  case GDV_OP_SQUARE: return x * x;
  case GDV_OP_SQRT: return sqrt(x);
  case GDV_OP_EXP: return exp(x);
  case GDV_OP_LOG: return log(x);
  case GDV_OP_ABS: return fabs(x);
  case GDV_OP_TANH: return tanh(x);
  case GDV_OP_SIGMOID: return sigmoid(x);
  case GDV_OP_RELU: return x > 0 ? x : 0;
  case GDV_OP_SIN: return sin(x);
  case GDV_OP_COS: return cos(x);
  case GDV_OP_IDENTITY: return x;
  case GDV_OP_LEAF:
  case GDV_OP_COUNT: break;
  }
  return val[v];
}

void gdv_forward(gdv_graph *g) {
  double *val = g->value;
  const gdv_id *from = g->edge_from;
  const size_t *start = g->arg_start;
  for (size_t v = 0; v < g->n_nodes; v++) {
    uint8_t op = g->op[v];
    if (op == GDV_OP_LEAF) continue;
    size_t s = start[v], n = start[v + 1] - s;
    if (op == GDV_OP_MUL && n == 2) val[v] = val[from[s]] * val[from[s + 1]];
    else val[v] = node_value(g, (gdv_id)v);
  }
}

/* Nodes after the output in topological order cannot feed it, so finite
 * differences stop there. */
double gdv_forward_output(gdv_graph *g) {
  for (size_t v = 0; v <= g->output; v++)
    if (g->op[v] != GDV_OP_LEAF) g->value[v] = node_value(g, (gdv_id)v);
  return g->value[g->output];
}

/* Writes d(v)/d(operand k) for every operand of op node v into local[k]. */
static void node_locals(const gdv_graph *g, gdv_id v, double *local,
                        double *scratch) {
  const double *val = g->value;
  const gdv_id *from = g->edge_from + g->arg_start[v];
  size_t n = g->arg_start[v + 1] - g->arg_start[v];
  double x = val[from[0]], y = val[v], acc;
  size_t pick;
  switch ((gdv_op)g->op[v]) {
  case GDV_OP_ADD:
    for (size_t k = 0; k < n; k++) local[k] = 1;
    return;
  case GDV_OP_MUL:
    if (n == 2) {
      local[0] = val[from[1]];
      local[1] = x;
      return;
    }
    /* Products of the others, from prefix and suffix products: no
     * division, so an operand of 0 is exact. */
    acc = 1;
    for (size_t k = n; k-- > 0;) { scratch[k] = acc; acc *= val[from[k]]; }
    acc = 1;
    for (size_t k = 0; k < n; k++) {
      local[k] = acc * scratch[k];
      acc *= val[from[k]];
    }
    return;
  case GDV_OP_MAX:
  case GDV_OP_MIN:
    pick = 0;
    for (size_t k = 1; k < n; k++) {
      double c = val[from[k]];
      if (g->op[v] == GDV_OP_MAX ? c > val[from[pick]] : c < val[from[pick]])
        pick = k;
    }
    for (size_t k = 0; k < n; k++) local[k] = k == pick;
    return;
  case GDV_OP_SUB: local[0] = 1; local[1] = -1; return;
  case GDV_OP_DIV: {
    double d = val[from[1]];
    local[0] = 1 / d;
    local[1] = -x / (d * d);
    return;
  }
  case GDV_OP_POW: {
    double k = val[from[1]];
    local[0] = k * pow(x, k - 1);
    local[1] = y * log(x);
    return;
  }
  case GDV_OP_POWK: {
    double k = g->exponent[v];
    local[0] = k == 0 ? 0 : k * pow(x, k - 1);
    return;
  }
  case GDV_OP_NEG: local[0] = -1; return;
  case GDV_OP_SQUARE: local[0] = 2 * x; return;
  case GDV_OP_SQRT: local[0] = 0.5 / y; return;
  case GDV_OP_EXP: local[0] = y; return;
  case GDV_OP_LOG: local[0] = 1 / x; return;
  case GDV_OP_ABS: local[0] = x > 0 ? 1 : x < 0 ? -1 : 0; return;
  case GDV_OP_TANH: local[0] = 1 - y * y; return;
  case GDV_OP_SIGMOID: local[0] = y * (1 - y); return;
  case GDV_OP_RELU: local[0] = x > 0 ? 1 : 0; return;
  case GDV_OP_SIN: local[0] = cos(x); return;
  case GDV_OP_COS: local[0] = -sin(x); return;
  case GDV_OP_IDENTITY: local[0] = 1; return;
  case GDV_OP_LEAF:
  case GDV_OP_COUNT: return;
  }
}

/* One loop down the order: when v is reached every consumer of v has
 * already added its share, so grad[v] is complete; v then passes
 * grad[v] * local along each in-edge. Each edge is visited once. */
void gdv_backward(gdv_graph *g) {
  double *grad = g->grad;
  for (size_t v = 0; v < g->n_nodes; v++) grad[v] = 0;
  grad[g->output] = 1;
  for (size_t v = g->n_nodes; v-- > 0;) {
    if (g->op[v] == GDV_OP_LEAF) continue;
    size_t s = g->arg_start[v], t = g->arg_start[v + 1];
    double *local = g->edge_local + s, *egrad = g->edge_grad + s;
    const gdv_id *from = g->edge_from + s;
    if (g->op[v] == GDV_OP_MUL && t - s == 2 && g->reaches[v]) {
      /* the common case (w * x), without the general switch */
      double a = g->value[from[0]], b = g->value[from[1]], gv = grad[v];
      local[0] = b;
      local[1] = a;
      egrad[0] = gv * b;
      egrad[1] = gv * a;
      grad[from[0]] += egrad[0];
      grad[from[1]] += egrad[1];
      continue;
    }
    node_locals(g, (gdv_id)v, local, g->scratch);
    if (!g->reaches[v]) {
      /* 0 * inf would be NaN; nothing flows from a node off every path. */
      for (size_t k = 0; k < t - s; k++) egrad[k] = 0;
      continue;
    }
    double gv = grad[v];
    for (size_t k = 0; k < t - s; k++) {
      double eg = gv * local[k];
      egrad[k] = eg;
      grad[from[k]] += eg;
    }
  }
}
