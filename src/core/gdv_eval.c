/* gdv_eval.c: the forward and backward passes. Nodes are stored in
 * topological order, so forward is one loop up and backward one loop down,
 * each a single switch on the op (the ggml shape).
 *
 * Speed: `make bench` wants at most 3 ns per edge for forward+backward on
 * the expanded MNIST network, where half the nodes are leaves and most op
 * nodes are two-operand muls. So the switch sits inside each loop (no call
 * per node), the arrays are read through local pointers, and add and mul
 * pass gradients on as they compute their locals. */
#include <math.h>

#include "gdv.h"

/* Sigmoid without overflow for large |x|. */
static double sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + exp(-x));
  double e = exp(x);
  return e / (1.0 + e);
}

/* Softplus log(1 + e^x) without overflow for large x, and without losing
 * e^x to 1 + e^x for very negative x: max(x, 0) + log1p(e^-|x|). */
static double softplus(double x) {
  return (x > 0 ? x : 0) + log1p(exp(-fabs(x)));
}

/* log(e^x_0 + ... + e^x_{n-1}) as m + log1p(sum of e^(x_k - m) over the
 * others), m the first largest operand: no overflow, and no small terms
 * lost to the 1 that m contributes (logsumexp(0, x) is softplus(x) to the
 * last bit). An infinite or NaN m is the result. */
static double logsumexp(const double *val, const gdv_id *from, size_t n) {
  size_t pick = 0;
  for (size_t k = 1; k < n; k++)
    if (val[from[k]] > val[from[pick]]) pick = k;
  double m = val[from[pick]], rest = 0;
  if (!isfinite(m)) return m;
  for (size_t k = 0; k < n; k++)
    if (k != pick) rest += exp(val[from[k]] - m);
  return m + log1p(rest);
}

/* Every op node among the first `count` of g->op_nodes gets its value
 * from its operands' values. */
static void forward_ops(gdv_graph *g, size_t count) {
  const uint8_t *op = g->op;
  const size_t *arg_start = g->arg_start;
  const gdv_id *edge_from = g->edge_from, *op_nodes = g->op_nodes;
  const double *expo = g->exponent;
  double *val = g->value;
  for (size_t i = 0; i < count; i++) {
    gdv_id v = op_nodes[i];
    const gdv_id *from = edge_from + arg_start[v];
    size_t n = arg_start[v + 1] - arg_start[v];
    /* Every case sets acc; without a default the compiler cannot see it. */
    double x = val[from[0]], acc = x;
    switch ((gdv_op)op[v]) {
    case GDV_OP_ADD:
      acc = x;
      for (size_t k = 1; k < n; k++) acc += val[from[k]];
      break;
    case GDV_OP_MUL:
      if (n == 2) {   /* w * x: most nodes of a network */
        acc = x * val[from[1]];
        break;
      }
      acc = x;
      for (size_t k = 1; k < n; k++) acc *= val[from[k]];
      break;
    case GDV_OP_MAX:
      acc = x;
      for (size_t k = 1; k < n; k++) if (val[from[k]] > acc) acc = val[from[k]];
      break;
    case GDV_OP_MIN:
      acc = x;
      for (size_t k = 1; k < n; k++) if (val[from[k]] < acc) acc = val[from[k]];
      break;
    case GDV_OP_SUB: acc = x - val[from[1]]; break;
    case GDV_OP_DIV: acc = x / val[from[1]]; break;
    case GDV_OP_POW: acc = pow(x, val[from[1]]); break;
    case GDV_OP_POWK: acc = pow(x, expo[v]); break;
    case GDV_OP_NEG: acc = -x; break;
    case GDV_OP_SQUARE: acc = x * x; break;
    case GDV_OP_SQRT: acc = sqrt(x); break;
    case GDV_OP_EXP: acc = exp(x); break;
    case GDV_OP_LOG: acc = log(x); break;
    case GDV_OP_ABS: acc = fabs(x); break;
    case GDV_OP_TANH: acc = tanh(x); break;
    case GDV_OP_SIGMOID: acc = sigmoid(x); break;
    case GDV_OP_RELU: acc = x > 0 ? x : 0; break;
    case GDV_OP_SIN: acc = sin(x); break;
    case GDV_OP_COS: acc = cos(x); break;
    case GDV_OP_IDENTITY: acc = x; break;
    case GDV_OP_SOFTPLUS: acc = softplus(x); break;
    case GDV_OP_LOG1P: acc = log1p(x); break;
    case GDV_OP_SILU: acc = x * sigmoid(x); break;
    case GDV_OP_LOGSUMEXP: acc = logsumexp(val, from, n); break;
    case GDV_OP_MEAN:
      acc = x;
      for (size_t k = 1; k < n; k++) acc += val[from[k]];
      acc /= (double)n;
      break;
    case GDV_OP_CLAMP:   /* min(max(x, lo), hi): hi wins when lo > hi */
      acc = x < val[from[1]] ? val[from[1]] : x;
      if (acc > val[from[2]]) acc = val[from[2]];
      break;
    case GDV_OP_LEAF:
    case GDV_OP_COUNT: acc = val[v]; break;   /* not in op_nodes */
    }
    val[v] = acc;
  }
}

/* Runs every op node, even those past the output, so every value a figure or
 * report shows is current; gdv_forward_output is the cheap one. */
void gdv_forward(gdv_graph *g) {
  forward_ops(g, g->n_op_nodes);
}

/* Nodes after the output in topological order cannot feed it, so finite
 * differences stop there: at the first op node past the output. */
double gdv_forward_output(gdv_graph *g) {
  size_t lo = 0, hi = g->n_op_nodes;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (g->op_nodes[mid] <= g->output) lo = mid + 1;
    else hi = mid;
  }
  forward_ops(g, lo);
  return g->value[g->output];
}

/* One loop down the order: when v is reached every consumer of v has
 * already added its share, so grad[v] is complete. The switch writes
 * d(v)/d(operand k) into local[k]; then v passes grad[v] * local[k] along
 * each in-edge k. add and mul, the bulk of a network, do both at once.
 * A node off every path to the output has grad 0 and passes exactly 0,
 * not 0 * local, which is NaN where local is infinite. Each edge is
 * visited once. */
void gdv_backward(gdv_graph *g) {
  const uint8_t *op = g->op, *reaches = g->reaches;
  const size_t *arg_start = g->arg_start;
  const gdv_id *edge_from = g->edge_from, *op_nodes = g->op_nodes;
  const double *val = g->value, *expo = g->exponent;
  double *grad = g->grad, *scratch = g->scratch;
  double *edge_local = g->edge_local, *edge_grad = g->edge_grad;
  for (size_t v = 0; v < g->n_nodes; v++) grad[v] = 0;
  grad[g->output] = 1;
  for (size_t i = g->n_op_nodes; i-- > 0;) {
    gdv_id v = op_nodes[i];
    size_t s = arg_start[v], n = arg_start[v + 1] - s;
    double *restrict local = edge_local + s, *restrict egrad = edge_grad + s;
    const gdv_id *from = edge_from + s;
    double gv = grad[v], x, y, acc;
    size_t pick;
    switch ((gdv_op)op[v]) {
    case GDV_OP_ADD:
      /* Two loops: the first is a plain fill the compiler vectorizes. */
      for (size_t k = 0; k < n; k++) {
        local[k] = 1;
        egrad[k] = gv;
      }
      for (size_t k = 0; k < n; k++) grad[from[k]] += gv;
      continue;
    case GDV_OP_MUL:
      if (n == 2 && reaches[v]) {   /* w * x: most nodes of a network */
        double x0 = val[from[0]], x1 = val[from[1]];
        double g0 = gv * x1, g1 = gv * x0;
        local[0] = x1;
        local[1] = x0;
        egrad[0] = g0;
        egrad[1] = g1;
        grad[from[0]] += g0;
        grad[from[1]] += g1;
        continue;
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
      break;
    case GDV_OP_LOGSUMEXP:
      /* e^(x_k - out): the softmax of the operands */
      y = val[v];
      if (isfinite(y)) {
        for (size_t k = 0; k < n; k++) local[k] = exp(val[from[k]] - y);
        break;
      }
      /* an infinite result is the largest operand's: as max */
      /* fall through */
    case GDV_OP_MAX:
    case GDV_OP_MIN:
      pick = 0;
      for (size_t k = 1; k < n; k++) {
        double c = val[from[k]];
        if (op[v] != GDV_OP_MIN ? c > val[from[pick]] : c < val[from[pick]])
          pick = k;
      }
      for (size_t k = 0; k < n; k++) local[k] = k == pick;
      break;
    case GDV_OP_SUB: local[0] = 1; local[1] = -1; break;
    case GDV_OP_DIV:
      x = val[from[0]];
      y = val[from[1]];
      local[0] = 1 / y;
      local[1] = -x / (y * y);
      break;
    case GDV_OP_POW:
      x = val[from[0]];
      y = val[from[1]];
      local[0] = y * pow(x, y - 1);
      local[1] = val[v] * log(x);
      break;
    case GDV_OP_POWK:
      x = val[from[0]];
      y = expo[v];
      local[0] = y == 0 ? 0 : y * pow(x, y - 1);
      break;
    case GDV_OP_NEG: local[0] = -1; break;
    case GDV_OP_SQUARE: local[0] = 2 * val[from[0]]; break;
    case GDV_OP_SQRT: local[0] = 0.5 / val[v]; break;
    case GDV_OP_EXP: local[0] = val[v]; break;
    case GDV_OP_LOG: local[0] = 1 / val[from[0]]; break;
    case GDV_OP_ABS:
      x = val[from[0]];
      local[0] = x > 0 ? 1 : x < 0 ? -1 : 0;
      break;
    case GDV_OP_TANH: y = val[v]; local[0] = 1 - y * y; break;
    case GDV_OP_SIGMOID: y = val[v]; local[0] = y * (1 - y); break;
    case GDV_OP_RELU: local[0] = val[from[0]] > 0 ? 1 : 0; break;
    case GDV_OP_SIN: local[0] = cos(val[from[0]]); break;
    case GDV_OP_COS: local[0] = -sin(val[from[0]]); break;
    case GDV_OP_IDENTITY: local[0] = 1; break;
    case GDV_OP_SOFTPLUS: local[0] = sigmoid(val[from[0]]); break;
    case GDV_OP_LOG1P: local[0] = 1 / (1 + val[from[0]]); break;
    case GDV_OP_SILU:
      x = val[from[0]];
      y = sigmoid(x);
      local[0] = y * (1 + x * (1 - y));
      break;
    case GDV_OP_MEAN:
      for (size_t k = 0; k < n; k++) local[k] = 1 / (double)n;
      break;
    case GDV_OP_CLAMP:
      /* PyTorch's clamp with tensor bounds, to the bit: x passes where
       * lo <= x <= hi (1 at the bounds too), lo where x < lo < hi, hi
       * where x > hi or hi < lo (then hi is the value whatever x is) */
      x = val[from[0]];
      y = val[from[1]];
      acc = val[from[2]];
      local[0] = x >= y && x <= acc;
      local[1] = x < y && y < acc;
      local[2] = x > acc || acc < y;
      break;
    case GDV_OP_LEAF:
    case GDV_OP_COUNT: continue;   /* not in op_nodes */
    }
    if (!reaches[v]) {
      for (size_t k = 0; k < n; k++) egrad[k] = 0;
      continue;
    }
    for (size_t k = 0; k < n; k++) {
      double eg = gv * local[k];
      egrad[k] = eg;
      grad[from[k]] += eg;
    }
  }
}
