/* mnist_view.c: the unit-level view of the scalar network that figures
 * draw: per layer some units written out and one ellipsis unit for the
 * rest, with every annotation of the ellipsis (and of every edge touching
 * it) the sum of what it hides, so written-out fan-in and fan-out sums
 * still add up to the true totals. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnist/gdv_mnist.h"

typedef struct rank_item { double key; size_t index; } rank_item;

/* Largest key first, then lowest index: a total order, so the choice is
 * the same on every machine. */
static int by_key_desc(const void *a, const void *b) {
  const rank_item *x = a, *y = b;
  if (x->key != y->key) return x->key > y->key ? -1 : 1;
  return gdv_cmp_u64(x->index, y->index);
}

/* Per layer unit: a (value) and dC/da; column 0 reads the inputs. */
static gdv_id unit_node(const gdv_mnist_net *net, size_t c, size_t j) {
  return c == 0 ? net->input[j] : net->layer[c].act[j];
}

/* Chooses the shown units of column c and fills member[]: shown units get
 * view units 0..K-1 in layer order, the rest the ellipsis K. */
static gdv_status choose(const gdv_mnist_net *net, size_t c, size_t k_show,
                         size_t must, gdv_mnist_vcolumn *col, gdv_error *err) {
  const gdv_graph *g = net->g;
  size_t n = net->shape.sizes[c];
  rank_item *items = malloc(n * sizeof *items);
  char *shown = calloc(n, 1);
  col->member = malloc(n * sizeof *col->member);
  if (!items || !shown || !col->member) {
    free(items);
    free(shown);
    return gdv_error_oom(err);
  }
  if (k_show > n) k_show = n;
  if (k_show + 1 == n) k_show = n;  /* "1 more" would hide nothing worth it */
  size_t pred = gdv_mnist_net_predict(net);
  for (size_t j = 0; j < n; j++) {
    gdv_id a = unit_node(net, c, j);
    /* inputs: the inked pixels first (their w*x terms are not 0), then by
     * |dC/dx|; units: by |dC/da| */
    items[j].key = c == 0 ? g->value[a] + 1e-9 * fabs(g->grad[a]) : fabs(g->grad[a]);
    items[j].index = j;
    /* the output column always shows the label's unit and the prediction:
     * the two a teacher points at */
    if (c + 1 == net->shape.n_layers && (g->value[net->target[j]] == 1 || j == pred))
      items[j].key = DBL_MAX;
    if (j == must) items[j].key = INFINITY;
  }
  qsort(items, n, sizeof *items, by_key_desc);
  for (size_t i = 0; i < k_show; i++) shown[items[i].index] = 1;
  size_t pos = 0;
  for (size_t j = 0; j < n; j++)
    if (shown[j]) col->member[j] = pos++;
  for (size_t j = 0; j < n; j++)
    if (!shown[j]) col->member[j] = pos;
  col->n_units = k_show + (k_show < n);
  /* k_show 0: the whole layer is one node (--expand layer) */
  free(items);
  free(shown);
  return GDV_OK;
}

/* Sums a, dC/da, z, dC/dz and the biases of each view unit's members. */
static void sum_units(const gdv_mnist_net *net, size_t c, gdv_mnist_vcolumn *col) {
  const gdv_graph *g = net->g;
  size_t n = net->shape.sizes[c];
  double vn = 0, gn = 0, zgn = 0;
  for (size_t j = 0; j < n; j++) {
    gdv_mnist_vunit *u = &col->unit[col->member[j]];
    gdv_id a = unit_node(net, c, j);
    if (u->count == 0) u->first = j;
    u->count++;
    /* softmax outputs: a = softmax(z), not the graph node z */
    double value = c + 1 == net->shape.n_layers ? gdv_mnist_net_output(net, j) : g->value[a];
    u->value += value;
    u->grad += g->grad[a];
    vn += value * value;
    gn += g->grad[a] * g->grad[a];
    if (c > 0) {
      gdv_id z = net->layer[c].sum[j], b = net->layer[c].bias[j];
      u->z += g->value[z];
      u->z_grad += g->grad[z];
      u->bias += g->value[b];
      u->bias_grad += g->grad[b];
      zgn += g->grad[z] * g->grad[z];
    }
  }
  /* choose() never hides a single unit, so only an ellipsis has more. */
  for (size_t i = 0; i < col->n_units; i++) col->unit[i].ellipsis = col->unit[i].count > 1;
  col->value_norm = sqrt(vn);
  col->grad_norm = sqrt(gn);
  col->z_grad_norm = sqrt(zgn);
}

/* The edges between columns c-1 and c: one per pair of view units, each
 * summing the scalar paths w_jk * a_k between their members. */
static gdv_status add_edges(const gdv_mnist_net *net, size_t c,
                            gdv_mnist_view *v, gdv_error *err) {
  const gdv_graph *g = net->g;
  const gdv_mnist_layer *L = &net->layer[c];
  const gdv_mnist_vcolumn *from = &v->column[c - 1], *to = &v->column[c];
  size_t base = v->n_edges, m = from->n_units * to->n_units;
  gdv_mnist_vedge *grown = realloc(v->edge, (base + m) * sizeof *grown);
  if (!grown) return gdv_error_oom(err);
  v->edge = grown;
  for (size_t t = 0; t < to->n_units; t++)
    for (size_t s = 0; s < from->n_units; s++) {
      gdv_mnist_vedge *e = &v->edge[base + t * from->n_units + s];
      memset(e, 0, sizeof *e);
      e->from = s;
      e->to = t;
      e->column = c;
    }
  for (size_t j = 0; j < L->n_out; j++) {
    gdv_mnist_vedge *row = &v->edge[base + to->member[j] * from->n_units];
    for (size_t k = 0; k < L->n_in; k++) {
      gdv_id mul = L->mul[j * L->n_in + k];
      gdv_mnist_vedge *e = &row[from->member[k]];
      /* operand 0 of the mul is the weight, operand 1 the unit a_k */
      e->paths++;
      e->contrib += g->value[mul];
      e->grad += g->edge_grad[g->arg_start[mul] + 1];
      e->weight += g->value[L->weight[j * L->n_in + k]];
    }
  }
  v->n_edges = base + m;
  return GDV_OK;
}

/* A focused unit is shown first in its column and its whole fan-in column is
 * shown; on failure the half-built view is freed. */
gdv_status gdv_mnist_view_build(const gdv_mnist_net *net, const size_t *show,
                                size_t focus_layer, size_t focus_unit,
                                gdv_mnist_view *out, gdv_error *err) {
  memset(out, 0, sizeof *out);
  size_t nc = net->shape.n_layers;
  if (focus_layer >= nc || (focus_layer && focus_unit >= net->shape.sizes[focus_layer]))
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                         "%zu:%zu: no such unit (layers 1 to %zu)",
                         focus_layer, focus_unit, nc - 1);
  out->column = calloc(nc, sizeof *out->column);
  if (!out->column) return gdv_error_oom(err);
  out->n_columns = nc;
  gdv_status st = GDV_OK;
  for (size_t c = 0; c < nc && !st; c++) {
    size_t k = show[c], must = SIZE_MAX;
    if (focus_layer && c == focus_layer) must = focus_unit;
    if (focus_layer && c + 1 == focus_layer) k = SIZE_MAX;
    st = choose(net, c, k, must, &out->column[c], err);
    if (st) break;
    out->column[c].unit = calloc(out->column[c].n_units, sizeof(gdv_mnist_vunit));
    if (!out->column[c].unit) {
      st = gdv_error_oom(err);
      break;
    }
    sum_units(net, c, &out->column[c]);
  }
  for (size_t c = 1; c < nc && !st; c++) st = add_edges(net, c, out, err);
  if (st) gdv_mnist_view_free(out);
  return st;
}

/* Leaves the view zeroed, so a second free is harmless. */
void gdv_mnist_view_free(gdv_mnist_view *v) {
  for (size_t c = 0; c < v->n_columns; c++) {
    free(v->column[c].unit);
    free(v->column[c].member);
  }
  free(v->column);
  free(v->edge);
  memset(v, 0, sizeof *v);
}

/* The written-out sums fold their small terms: on a slide "z = b + 3 terms
 * + ⋯" is legible where 8 terms of 5 digits are not, and the fold is a sum,
 * so the line still adds up. */
gdv_status gdv_mnist_view_terms(const gdv_mnist_view *v, size_t c, size_t u,
                                int fan_out, size_t max_terms, double min_share,
                                gdv_mnist_term **out, size_t *n,
                                gdv_error *err) {
  const gdv_mnist_vcolumn *col = &v->column[c];
  size_t other = fan_out ? c + 1 : c - 1, cand = 0, n_edges = 0;
  *out = NULL;
  *n = 0;
  double largest = 0;
  for (size_t e = 0; e < v->n_edges; e++) {
    const gdv_mnist_vedge *ve = &v->edge[e];
    if (fan_out ? ve->column == c + 1 && ve->from == u : ve->column == c && ve->to == u) {
      double x = fabs(fan_out ? ve->grad : ve->contrib);
      if (x > largest) largest = x;
      n_edges++;
    }
  }
  rank_item *items = malloc((n_edges ? n_edges : 1) * sizeof *items);
  char *written = calloc(v->n_edges ? v->n_edges : 1, 1);
  gdv_mnist_term *t = malloc((n_edges + 2) * sizeof *t);
  if (!items || !written || !t) {
    free(items);
    free(written);
    free(t);
    return gdv_error_oom(err);
  }
  for (size_t e = 0; e < v->n_edges; e++) {
    const gdv_mnist_vedge *ve = &v->edge[e];
    if (!(fan_out ? ve->column == c + 1 && ve->from == u : ve->column == c && ve->to == u))
      continue;
    size_t peer = fan_out ? ve->to : ve->from;
    double x = fabs(fan_out ? ve->grad : ve->contrib);
    if (v->column[other].unit[peer].ellipsis || x < min_share * largest) continue;
    items[cand].key = x;
    items[cand].index = e;
    cand++;
  }
  qsort(items, cand, sizeof *items, by_key_desc);
  for (size_t i = 0; i < cand && i < max_terms; i++) written[items[i].index] = 1;
  size_t k = 0;
  if (!fan_out)
    t[k++] = (gdv_mnist_term){GDV_MNIST_TERM_BIAS, col->unit[u].bias, 0, 0};
  gdv_mnist_term rest = {GDV_MNIST_TERM_REST, 0, 0, 0};
  for (size_t e = 0; e < v->n_edges; e++) {
    const gdv_mnist_vedge *ve = &v->edge[e];
    if (!(fan_out ? ve->column == c + 1 && ve->from == u : ve->column == c && ve->to == u))
      continue;
    double x = fan_out ? ve->grad : ve->contrib;
    if (written[e]) {
      t[k++] = (gdv_mnist_term){GDV_MNIST_TERM_EDGE, x, ve->paths, e};
    } else {
      rest.value += x;
      rest.paths += ve->paths;
    }
  }
  if (rest.paths) t[k++] = rest;
  free(items);
  free(written);
  *out = t;
  *n = k;
  return GDV_OK;
}

/* Reads the muls of one unit straight from the graph (not from the view's
 * edge sums), so a test can hold the two against each other. */
gdv_status gdv_mnist_view_scalar(const gdv_mnist_net *net, const gdv_mnist_view *v,
                                 size_t c, size_t u, gdv_mnist_smul **out,
                                 size_t *n, gdv_error *err) {
  const gdv_graph *g = net->g;
  const gdv_mnist_vcolumn *from = &v->column[c - 1];
  const gdv_mnist_vunit *vu = &v->column[c].unit[u];
  const gdv_mnist_layer *L = &net->layer[c];
  *out = NULL;
  *n = 0;
  if (vu->ellipsis)
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                         "internal error: no scalar view of an ellipsis unit");
  gdv_mnist_smul *m = calloc(from->n_units, sizeof *m);
  if (!m) return gdv_error_oom(err);
  size_t j = vu->first;
  double dz = g->grad[L->sum[j]];
  for (size_t s = 0; s < from->n_units; s++) {
    m[s].from = s;
    m[s].weight = m[s].mul = GDV_NONE;
    m[s].grad = dz;
  }
  for (size_t k = 0; k < L->n_in; k++) {
    gdv_mnist_smul *t = &m[from->member[k]];
    gdv_id w = L->weight[j * L->n_in + k], mul = L->mul[j * L->n_in + k];
    /* operand 0 of the mul is the weight, operand 1 the unit a_k */
    gdv_id x = g->edge_from[g->arg_start[mul] + 1];
    t->paths++;
    t->weight = t->paths == 1 ? w : GDV_NONE;
    t->mul = t->paths == 1 ? mul : GDV_NONE;
    t->w += g->value[w];
    t->w_grad += g->grad[w];
    t->x += g->value[x];
    t->value += g->value[mul];
    t->x_grad += g->edge_grad[g->arg_start[mul] + 1];
  }
  *out = m;
  *n = from->n_units;
  return GDV_OK;
}
