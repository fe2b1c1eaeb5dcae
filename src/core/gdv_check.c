/* gdv_check.c: backprop against central finite differences. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gdv.h"

/* Defaults a user can run without tuning: rtol 1e-5 leaves room for the
 * error of a central difference; sample 0 checks every leaf; seed 1 keeps a
 * sampled check reproducible. */
void gdv_check_defaults(gdv_check_options *opt) {
  opt->eps = 1e-6;
  opt->rtol = 1e-5;
  opt->sample = 0;
  opt->seed = 1;
}

/* qsort order for the sampled positions, so checked leaves come out in rank
 * order. */
static int cmp_size(const void *a, const void *b) {
  return gdv_cmp_u64(*(const size_t *)a, *(const size_t *)b);
}

/* Central difference of the output with respect to leaf v. */
static double numeric_derivative(gdv_graph *g, gdv_id v, double eps) {
  double x0 = g->value[v];
  double up = x0 + eps, down = x0 - eps;
  g->value[v] = up;
  double c_up = gdv_forward_output(g);
  g->value[v] = down;
  double c_down = gdv_forward_output(g);
  g->value[v] = x0;
  /* Divide by the step the doubles really took, not the one asked for. */
  return (c_up - c_down) / (up - down);
}

/* Perturbs leaf values in place, two forward passes per checked leaf; it
 * must end with a plain forward so the caller sees the unperturbed values. */
gdv_status gdv_check_run(gdv_graph *g, const gdv_check_options *opt,
                         gdv_check_result *res, gdv_error *err) {
  memset(res, 0, sizeof *res);
  size_t n_leaves = 0;
  for (size_t v = 0; v < g->n_nodes; v++) n_leaves += g->op[v] == GDV_OP_LEAF;
  res->n_leaves = n_leaves;
  /* Leaves ranked: params, then inputs, then consts, each in node order. */
  size_t *rank = malloc((n_leaves ? n_leaves : 1) * sizeof *rank);
  if (rank == NULL)
    return gdv_error_set(err, GDV_ERR_SYSTEM, g->source, 0, "out of memory");
  static const gdv_role role_order[] = {GDV_ROLE_PARAM, GDV_ROLE_INPUT,
                                        GDV_ROLE_CONST};
  size_t k = 0;
  for (size_t r = 0; r < 3; r++)
    for (size_t v = 0; v < g->n_nodes; v++)
      if (g->op[v] == GDV_OP_LEAF && g->role[v] == role_order[r])
        rank[k++] = v;
  size_t n_check = n_leaves;
  if (opt->sample > 0 && opt->sample < n_leaves) {
    /* Partial Fisher-Yates over positions, then back into rank order. */
    size_t *pos = malloc(n_leaves * sizeof *pos);
    if (pos == NULL) {
      free(rank);
      return gdv_error_set(err, GDV_ERR_SYSTEM, g->source, 0, "out of memory");
    }
    for (size_t i = 0; i < n_leaves; i++) pos[i] = i;
    uint64_t state = opt->seed;
    for (size_t i = 0; i < opt->sample; i++) {
      size_t j = i + (size_t)(gdv_splitmix64(&state) % (n_leaves - i));
      size_t t = pos[i]; pos[i] = pos[j]; pos[j] = t;
    }
    n_check = opt->sample;
    qsort(pos, n_check, sizeof *pos, cmp_size);
    for (size_t i = 0; i < n_check; i++) pos[i] = rank[pos[i]];
    free(rank);
    rank = pos;
  }
  res->rows = calloc(n_check ? n_check : 1, sizeof *res->rows);
  if (res->rows == NULL) {
    free(rank);
    return gdv_error_set(err, GDV_ERR_SYSTEM, g->source, 0, "out of memory");
  }
  gdv_forward(g);
  gdv_backward(g);
  res->output_value = g->value[g->output];
  for (size_t i = 0; i < n_check; i++) {
    gdv_check_row *row = &res->rows[i];
    row->leaf = (gdv_id)rank[i];
    row->analytic = g->grad[row->leaf];
    row->numeric = numeric_derivative(g, row->leaf, opt->eps);
    double scale = fmax(1.0, fmax(fabs(row->analytic), fabs(row->numeric)));
    row->error = fabs(row->analytic - row->numeric) / scale;
    row->ok = isfinite(row->error) && row->error <= opt->rtol;
    if (!row->ok) res->n_failed++;
  }
  res->n_rows = n_check;
  res->forward_passes = 2 * n_check;
  free(rank);
  gdv_forward(g);  /* leave every value as the unperturbed pass left it */
  return GDV_OK;
}

/* Leaves rows NULL, so a second free (or a free after a failed run) is
 * harmless. */
void gdv_check_result_free(gdv_check_result *res) {
  free(res->rows);
  res->rows = NULL;
}
