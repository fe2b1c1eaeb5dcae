/* gdv_variant.c: student K's version of a graph: other leaf values, few
 * digits each, chosen so the graph teaches what it taught with the
 * file's numbers (see gdv_exercise.h for the rules). Draws are tried in a
 * fixed sequence; each costs one forward and one backward pass. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/gdv_exercise.h"

/* Values and gradients past this are no hand computation. */
#define VARIANT_MAX_SIZE 1e4
/* A choice an op makes that is a tie (relu at 0, two equal maxima). */
#define REGIME_TIE 255
/* Work for the draws: at most this many node and edge visits in all, and
 * between these many draws whatever the graph's size. */
#define VARIANT_WORK 4000000.0
#define VARIANT_MIN_DRAWS 16
#define VARIANT_MAX_DRAWS 3000

/* A leaf's grid: value = units * 10^exp10, units a multiple of step
 * (5 or 10) within +-max_units. */
typedef struct leaf_grid {
  gdv_id node;
  int exp10;
  long step, max_units;
  long orig_units;          /* the file's value on the grid, rounded */
} leaf_grid;

/* units * 10^e as the nearest double to that decimal: a division by an
 * exact power of ten (0.3 is 3 / 10, not 3 * 0.1 = 0.30000000000000004). */
static double grid_value(long units, int e) {
  if (e >= 0) return (double)units * pow(10, e);
  return (double)units / pow(10, -e);
}

/* The grid of a leaf with the file's value v: tenths of its leading
 * decade (halves of it when it starts with 1 or 2), up to twice |v|;
 * a zero leaf gets halves up to 1. */
static leaf_grid grid_of(gdv_id node, double v) {
  leaf_grid lg = {node, -1, 5, 10, 0};
  double m = fabs(v);
  if (m > 0 && isfinite(m)) {
    int e = (int)floor(log10(m));
    double lead = m / pow(10, e) * (1 + 1e-12);   /* 0.3 / 0.1 is 2.9999999999999996 */
    if (lead >= 10) { e++; lead /= 10; }
    lg.exp10 = e - 1;          /* a unit is a tenth of the leading decade */
    lg.step = lead < 3 ? 5 : 10;
    lg.max_units = (long)floor(2 * m / pow(10, lg.exp10));
    if (lg.max_units < 2 * lg.step) lg.max_units = 2 * lg.step;
    lg.orig_units = lround(v / pow(10, lg.exp10));
  }
  return lg;
}

/* The choice each op node makes (which side of relu or abs, which
 * operand wins max or min, which part of clamp), REGIME_TIE for a tie;
 * 0 for ops that choose nothing. */
static void regimes(const gdv_graph *g, uint8_t *out) {
  const double *val = g->value;
  for (size_t i = 0; i < g->n_op_nodes; i++) {
    gdv_id v = g->op_nodes[i];
    const gdv_id *from = g->edge_from + g->arg_start[v];
    size_t n = gdv_fan_in(g, v);
    double x = val[from[0]];
    uint8_t r = 0;
    switch ((gdv_op)g->op[v]) {
    case GDV_OP_RELU:
    case GDV_OP_ABS:
      r = x > 0 ? 1 : x < 0 ? 2 : REGIME_TIE;
      break;
    case GDV_OP_MAX:
    case GDV_OP_MIN: {
      size_t pick = 0, ties = 0;
      for (size_t k = 1; k < n; k++)
        if (g->op[v] == GDV_OP_MAX ? val[from[k]] > val[from[pick]]
                                   : val[from[k]] < val[from[pick]])
          pick = k;
      for (size_t k = 0; k < n; k++) ties += val[from[k]] == val[from[pick]];
      r = ties > 1 ? REGIME_TIE : (uint8_t)(pick < 250 ? pick + 1 : 250);
      break;
    }
    case GDV_OP_CLAMP: {
      double lo = val[from[1]], hi = val[from[2]];
      if (x == lo || x == hi || lo == hi) r = REGIME_TIE;
      else r = lo > hi ? 4 : x < lo ? 1 : x > hi ? 3 : 2;
      break;
    }
    default:
      break;
    }
    out[v] = r;
  }
}

/* Whether the evaluated graph keeps the lesson of the file's numbers
 * (their regimes and gradients): see gdv_variant_apply. */
static int keeps_lesson(const gdv_graph *g, const uint8_t *orig, const double *orig_grad,
                        uint8_t *now) {
  for (size_t v = 0; v < g->n_nodes; v++) {
    if (!isfinite(g->value[v]) || fabs(g->value[v]) > VARIANT_MAX_SIZE) return 0;
    if (!isfinite(g->grad[v]) || fabs(g->grad[v]) > VARIANT_MAX_SIZE) return 0;
    if (orig_grad[v] != 0 && g->reaches[v] &&
        fabs(g->grad[v]) < fmin(1e-3, fabs(orig_grad[v]) / 10))
      return 0;
  }
  for (size_t e = 0; e < g->n_edges; e++)
    if (!isfinite(g->edge_local[e]) || fabs(g->edge_local[e]) > VARIANT_MAX_SIZE ||
        !isfinite(g->edge_grad[e]))
      return 0;
  regimes(g, now);
  for (size_t i = 0; i < g->n_op_nodes; i++) {
    gdv_id v = g->op_nodes[i];
    if (now[v] == REGIME_TIE || (orig[v] != REGIME_TIE && now[v] != orig[v])) return 0;
  }
  return 1;
}

/* A hash of the names and the ops: two graphs give students different
 * numbers for the same K. */
static uint64_t graph_hash(const gdv_graph *g) {
  uint64_t h = GDV_HASH_START;
  for (size_t v = 0; v < g->n_nodes; v++) {
    unsigned char op[2] = {0xff, (unsigned char)g->op[v]};  /* 0xff: never in UTF-8 */
    h = gdv_hash(h, g->name[v], strlen(g->name[v]));
    h = gdv_hash(h, op, sizeof op);
  }
  return h;
}

/* A draw from [-n, n]. */
static long draw_in(uint64_t *state, long n) {
  return (long)(gdv_splitmix64(state) % (uint64_t)(2 * n + 1)) - n;
}

/* One draw for every leaf: in the first two thirds of the draws
 * anywhere on its grid, then near the file's value (within two steps),
 * where a lesson that needs a narrow range (a unit barely dead) is
 * found. Returns whether some leaf differs from the file. */
static int draw_leaves(gdv_graph *g, const leaf_grid *lg, size_t n, uint64_t *state, int near,
                       const double *orig_value) {
  int differs = 0;
  for (size_t i = 0; i < n; i++) {
    long units;
    if (near) {
      units = (lg[i].orig_units / lg[i].step + draw_in(state, 2)) * lg[i].step;
    } else {
      long steps = lg[i].max_units / lg[i].step;
      units = draw_in(state, steps) * lg[i].step;
    }
    double x = grid_value(units, lg[i].exp10);
    g->value[lg[i].node] = x;
    differs |= x != orig_value[lg[i].node];
  }
  return differs;
}

gdv_status gdv_variant_apply(gdv_graph *g, uint64_t k, gdv_error *err) {
  if (k > GDV_VARIANT_MAX)
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "variant %llu is out of range (0 to %u)",
                         (unsigned long long)k, GDV_VARIANT_MAX);
  gdv_forward(g);
  gdv_backward(g);
  if (k == 0) return GDV_OK;
  size_t nn = g->n_nodes;
  size_t n_leaves = 0;
  for (size_t v = 0; v < nn; v++)
    n_leaves += g->op[v] == GDV_OP_LEAF && g->role[v] != GDV_ROLE_CONST;
  double *orig_value = malloc((2 * nn + 1) * sizeof *orig_value);
  uint8_t *orig = malloc(2 * nn + 1);
  leaf_grid *lg = malloc((n_leaves + 1) * sizeof *lg);
  if (orig_value == NULL || orig == NULL || lg == NULL) {
    free(orig_value);
    free(orig);
    free(lg);
    return gdv_error_oom(err);
  }
  double *orig_grad = orig_value + nn;
  uint8_t *now = orig + nn;
  memcpy(orig_value, g->value, nn * sizeof *orig_value);
  memcpy(orig_grad, g->grad, nn * sizeof *orig_grad);
  memset(orig, 0, 2 * nn + 1);
  regimes(g, orig);
  size_t i = 0;
  for (size_t v = 0; v < nn; v++)
    if (g->op[v] == GDV_OP_LEAF && g->role[v] != GDV_ROLE_CONST)
      lg[i++] = grid_of((gdv_id)v, g->value[v]);
  double per_draw = (double)(nn + g->n_edges + 1);
  size_t draws = (size_t)fmin(VARIANT_MAX_DRAWS, fmax(VARIANT_MIN_DRAWS, VARIANT_WORK / per_draw));
  uint64_t state = graph_hash(g) ^ (k * 0x9E3779B97F4A7C15ULL);
  int found = 0;
  for (size_t d = 0; d < draws && !found && n_leaves > 0; d++) {
    if (!draw_leaves(g, lg, n_leaves, &state, d >= draws * 2 / 3, orig_value)) continue;
    gdv_forward(g);
    gdv_backward(g);
    found = keeps_lesson(g, orig, orig_grad, now);
  }
  gdv_status st = GDV_OK;
  if (!found) {
    memcpy(g->value, orig_value, nn * sizeof *orig_value);
    gdv_forward(g);
    gdv_backward(g);
    if (n_leaves)
      st = gdv_error_set(err, GDV_ERR_INPUT, g->source ? g->source : "", 0,
                         "no variant %llu found in %zu draws: no hand-friendly leaf values keep "
                         "the graph's lesson (its ties, dead units, winners and gradients)",
                         (unsigned long long)k, draws);
    else
      st = gdv_error_set(err, GDV_ERR_INPUT, g->source ? g->source : "", 0,
                         "no variant %llu: the graph has no input or parameter to vary",
                         (unsigned long long)k);
  } else if (g->recorded) {
    /* what the code that built the graph recorded belongs to the file's numbers */
    for (size_t v = 0; v < nn; v++) g->recorded[v].has = 0;
  }
  free(orig_value);
  free(orig);
  free(lg);
  return st;
}
