/* gdv_recorded.c: recorded numbers (a student's backward, PyTorch, a
 * draw_dot file) against the ones gradviz computes, and why a recorded
 * gradient is wrong when the graph can tell. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gdv.h"

/* The writer's rounding explains a gap up to half a unit of the last
 * digit it wrote; a number written in full is held to rtol as check's
 * leaves are. */
int gdv_recorded_matches(double x, double half, double c, double rtol) {
  return isfinite(c) && fabs(x - c) <= fmax(half, rtol * fmax(fabs(x), fabs(c)));
}

/* The same, c being uncertain by u (see rounding_spread). */
static int within(double x, double half, double c, double rtol, double u) {
  return isfinite(c) && fabs(x - c) <= fmax(half, rtol * fmax(fabs(x), fabs(c))) + u;
}

/* How far each computed value and grad can move when the leaves whose
 * value is rounded text move within half a unit: the lecture's b = 6.8814
 * (6.88137...) moves dC/dx1 by 6e-5, more than -1.5000's own half unit.
 * Each such leaf is moved both ways (two forward and backward passes) and
 * the half-differences add up; a graph without such leaves costs nothing.
 * spread: 2n doubles (values, then grads), zeroed here. */
static int rounding_spread(gdv_graph *g, double *spread) {
  size_t n = g->n_nodes;
  memset(spread, 0, 2 * n * sizeof *spread);
  double *up = NULL;
  for (size_t v = 0; v < n; v++) {
    const gdv_recorded *r = &g->recorded[v];
    if (!(r->has & GDV_REC_ROUNDED_LEAF) || !(r->value_half > 0)) continue;
    if (up == NULL && (up = malloc(2 * n * sizeof *up)) == NULL) return 0;
    double x0 = g->value[v];
    for (int side = 0; side < 2; side++) {
      g->value[v] = x0 + (side ? -r->value_half : r->value_half);
      gdv_forward(g);
      gdv_backward(g);
      for (size_t u = 0; u < n; u++) {
        if (side == 0) {
          up[u] = g->value[u];
          up[n + u] = g->grad[u];
        } else {
          spread[u] += fabs(up[u] - g->value[u]) / 2;
          spread[n + u] += fabs(up[n + u] - g->grad[u]) / 2;
        }
      }
    }
    g->value[v] = x0;
  }
  if (up) {
    gdv_forward(g);
    gdv_backward(g);
  }
  free(up);
  return 1;
}

/* Subsets are tried in full up to this many terms (2^16 sums per wrong
 * node); beyond it only single terms, prefixes and suffixes, which is what
 * an overwrite in a loop leaves behind. */
#define SUBSET_TERMS 16

/* Sum of the terms picked by mask (bit j: the j-th out-edge). */
static double subset_sum(const double *term, size_t n, uint32_t mask) {
  double s = 0;
  for (size_t j = 0; j < n; j++)
    if (mask >> j & 1u) s += term[j];
  return s;
}

static int popcount32(uint32_t x) {
  int c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}

/* The smallest proper subset of the terms whose sum the recorded number
 * equals, as a mask (0: none). A fan-out node whose backward writes `=`
 * keeps the last term alone; mixed `=` and `+=` keep a partial sum. */
static uint32_t partial_sum_match(const double *term, size_t n, const gdv_recorded *r,
                                  double rtol, double u) {
  uint32_t best = 0;
  int best_count = 64;
  if (n <= SUBSET_TERMS) {
    uint32_t full = (uint32_t)((1ul << n) - 1);
    for (uint32_t mask = 1; mask < full; mask++) {
      int c = popcount32(mask);
      if (c < best_count &&
          within(r->grad, r->grad_half, subset_sum(term, n, mask), rtol, u)) {
        best = mask;
        best_count = c;
      }
    }
    return best;
  }
  for (size_t j = 0; j < n; j++)   /* single terms only, as a mask of bit 0..31 */
    if (j < 32 && within(r->grad, r->grad_half, term[j], rtol, u))
      return 1u << j;
  return 0;
}

/* Why node v's recorded gradient is wrong: its terms from its consumers'
 * recorded gradients (the numbers the student's own backward used) times
 * the local derivatives. Fills the cause fields of row. */
static void find_cause(const gdv_graph *g, const gdv_consumers *cons, gdv_id v,
                       double rtol, const double *spread, double *term, gdv_rec_row *row) {
  size_t first = cons->start[v], n = cons->start[v + 1] - first;
  const gdv_recorded *r = &g->recorded[v];
  row->n_terms = n;
  if (n == 0) return;
  double sum = 0;
  int any_recorded_wrong = 0;
  for (size_t j = 0; j < n; j++) {
    size_t e = cons->edge[first + j];
    gdv_id to = g->edge_to[e];
    const gdv_recorded *rt = &g->recorded[to];
    int has = rt->has & GDV_REC_GRAD;
    double upstream = has ? rt->grad : g->grad[to];
    if (has && !within(rt->grad, rt->grad_half, g->grad[to], rtol, spread[g->n_nodes + to]))
      any_recorded_wrong = 1;
    term[j] = upstream * g->edge_local[e];
    sum += term[j];
  }
  double u = spread[g->n_nodes + v];
  if (any_recorded_wrong && within(r->grad, r->grad_half, sum, rtol, u)) {
    row->cause = GDV_CAUSE_DOWNSTREAM;
    return;
  }
  if (n < 2) return;
  uint32_t mask = partial_sum_match(term, n, r, rtol, u);
  if (mask == 0) return;
  row->cause = GDV_CAUSE_OVERWRITTEN;
  row->n_matched = (size_t)popcount32(mask);
  size_t j = 0;
  while (!(mask >> j & 1u)) j++;
  row->first_edge = cons->edge[first + j];
}

/* Appends a wrong number to the result; 0 when out of memory. */
static int add_row(gdv_rec_result *res, size_t *cap, gdv_rec_row row) {
  if (!gdv_grow((void **)&res->rows, cap, res->n_wrong, sizeof *res->rows)) return 0;
  res->rows[res->n_wrong++] = row;
  return 1;
}

/* Compares node v's recorded numbers; a wrong one becomes a row. 0: out
 * of memory. */
static int compare_node(const gdv_graph *g, const gdv_consumers *cons, gdv_id v, double rtol,
                        const double *spread, double *term, gdv_rec_result *res, size_t *cap) {
  const gdv_recorded *r = &g->recorded[v];
  if (r->has & GDV_REC_VALUE) {
    res->n_recorded++;
    gdv_rec_row row = {v, GDV_REC_VALUE, r->value, g->value[v], GDV_CAUSE_NONE, 0, 0, 0};
    if (!within(r->value, r->value_half, g->value[v], rtol, spread[v]) &&
        !add_row(res, cap, row)) return 0;
  }
  if (r->has & GDV_REC_GRAD) {
    res->n_recorded++;
    gdv_rec_row row = {v, GDV_REC_GRAD, r->grad, g->grad[v], GDV_CAUSE_NONE, 0, 0, 0};
    if (within(r->grad, r->grad_half, g->grad[v], rtol, spread[g->n_nodes + v])) return 1;
    find_cause(g, cons, v, rtol, spread, term, &row);
    res->wrong_grad[v] = 1;
    if (!add_row(res, cap, row)) return 0;
  }
  return 1;
}

/* Needs the values and gradients of the last forward and backward
 * passes. A graph without recorded numbers gives an empty result. */
gdv_status gdv_recorded_check(gdv_graph *g, double rtol,
                              gdv_rec_result *res, gdv_error *err) {
  memset(res, 0, sizeof *res);
  if (g->recorded == NULL) return GDV_OK;
  gdv_consumers cons = {NULL, NULL};
  double *term = NULL, *spread = NULL;
  size_t cap = 0, n = g->n_nodes;
  res->wrong_grad = calloc(n ? n : 1, 1);
  spread = malloc((n ? 2 * n : 1) * sizeof *spread);
  if (res->wrong_grad == NULL || spread == NULL || !rounding_spread(g, spread)) goto oom;
  gdv_status st = gdv_consumers_build(g, &cons, err);
  if (st) {
    free(spread);
    gdv_rec_result_free(res);
    return st;
  }
  size_t max_out = 1;
  for (size_t v = 0; v < n; v++)
    if (cons.start[v + 1] - cons.start[v] > max_out) max_out = cons.start[v + 1] - cons.start[v];
  if ((term = malloc(max_out * sizeof *term)) == NULL) goto oom;
  for (size_t v = 0; v < n; v++)
    if (!compare_node(g, &cons, (gdv_id)v, rtol, spread, term, res, &cap)) goto oom;
  free(term);
  free(spread);
  gdv_consumers_free(&cons);
  return GDV_OK;
oom:
  free(term);
  free(spread);
  gdv_consumers_free(&cons);
  gdv_rec_result_free(res);
  return gdv_error_set(err, GDV_ERR_SYSTEM, g->source, 0, "out of memory");
}

/* Safe twice, and after a failed check. */
void gdv_rec_result_free(gdv_rec_result *res) {
  free(res->rows);
  free(res->wrong_grad);
  res->rows = NULL;
  res->wrong_grad = NULL;
  res->n_wrong = 0;
}
