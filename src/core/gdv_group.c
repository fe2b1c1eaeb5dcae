/* gdv_group.c: a group of nodes seen from outside, so that a figure can
 * draw it as one node with exact numbers: which member's value leaves it,
 * and for each node feeding it the derivative through it and the gradient
 * that flows through it. One sweep over the edges, then one reverse pass
 * per group over its own members: linear, no recursion. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gdv.h"

/* Scratch of one analysis, over all nodes. */
typedef struct group_work {
  size_t *member_start;  /* n_groups + 1: members by group, ascending */
  gdv_id *members;
  double *adjoint;       /* d exit / d member, for the group being done */
  size_t *stamp;         /* group + 1 that last gave a node an input */
  size_t *slot;          /* that input's index */
  size_t cap_inputs;
} group_work;

/* Frees what gdv_groups_analyse got; safe on a half-built result. */
void gdv_groups_free(gdv_groups *gr) {
  free(gr->node_group); free(gr->merged_into);
  free(gr->exit); free(gr->exit2); free(gr->n_members);
  free(gr->input_start); free(gr->inputs); free(gr->edge_input);
  memset(gr, 0, sizeof *gr);
}

/* Frees the scratch arrays. */
static void work_free(group_work *w) {
  free(w->member_start); free(w->members); free(w->adjoint);
  free(w->stamp); free(w->slot);
}

/* Members of each group as CSR, in node (topological) order. */
static int list_members(const gdv_graph *g, gdv_groups *gr, group_work *w) {
  size_t n = g->n_nodes, k_all = g->n_groups;
  w->member_start = calloc(k_all + 1, sizeof *w->member_start);
  w->members = malloc((n ? n : 1) * sizeof *w->members);
  size_t *fill = calloc(k_all ? k_all : 1, sizeof *fill);
  if (!w->member_start || !w->members || !fill) { free(fill); return 0; }
  for (size_t v = 0; v < n; v++)
    if (gr->node_group[v] != GDV_NONE) w->member_start[gr->node_group[v] + 1]++;
  for (size_t k = 0; k < k_all; k++) {
    gr->n_members[k] = w->member_start[k + 1];
    w->member_start[k + 1] += w->member_start[k];
  }
  for (size_t v = 0; v < n; v++) {
    gdv_id k = gr->node_group[v];
    if (k != GDV_NONE) w->members[w->member_start[k] + fill[k]++] = (gdv_id)v;
  }
  free(fill);
  return 1;
}

/* Records that member v of group k exits (exit2 keeps a second one). */
static void note_exit(gdv_groups *gr, gdv_id k, gdv_id v) {
  if (gr->exit[k] == GDV_NONE) gr->exit[k] = v;
  else if (gr->exit[k] != v && gr->exit2[2 * k + 1] == GDV_NONE) gr->exit2[2 * k + 1] = v;
}

/* A member exits when it is the output, used by nothing, or used by a
 * node outside its group. With several, exit is GDV_NONE and exit2 holds
 * two of them in node order (for messages). */
static void find_exits(const gdv_graph *g, gdv_groups *gr) {
  for (size_t k = 0; k < gr->n; k++)
    gr->exit[k] = gr->exit2[2 * k] = gr->exit2[2 * k + 1] = GDV_NONE;
  for (size_t v = 0; v < g->n_nodes; v++) {
    gdv_id k = gr->node_group[v];
    if (k != GDV_NONE && (v == g->output || g->fan_out[v] == 0)) note_exit(gr, k, (gdv_id)v);
  }
  for (size_t e = 0; e < g->n_edges; e++) {
    gdv_id u = g->edge_from[e], k = gr->node_group[u];
    if (k != GDV_NONE && gr->node_group[g->edge_to[e]] != k) note_exit(gr, k, u);
  }
  for (size_t k = 0; k < gr->n; k++) {
    gdv_id a = gr->exit[k], b = gr->exit2[2 * k + 1];
    if (b == GDV_NONE) continue;
    gr->exit[k] = GDV_NONE;
    gr->exit2[2 * k] = a < b ? a : b;
    gr->exit2[2 * k + 1] = a < b ? b : a;
  }
}

/* The input of group k for node u: found by its stamp, else appended. */
static int input_for(gdv_groups *gr, group_work *w, size_t k, gdv_id u, size_t e,
                     size_t *idx) {
  if (w->stamp[u] == k + 1) { *idx = w->slot[u]; return 1; }
  size_t n = gr->input_start[k + 1];
  if (n == w->cap_inputs) {
    size_t cap = w->cap_inputs ? 2 * w->cap_inputs : 16;
    gdv_group_input *t = realloc(gr->inputs, cap * sizeof *t);
    if (t == NULL) return 0;
    gr->inputs = t;
    w->cap_inputs = cap;
  }
  gr->inputs[n] = (gdv_group_input){u, e, 0, 0, 0};
  gr->input_start[k + 1] = n + 1;
  w->stamp[u] = k + 1;
  w->slot[u] = n;
  *idx = n;
  return 1;
}

/* Group k's inputs (ordered by their first edge: members ascending, each
 * one's edges in operand order) and, back from the exit, d exit / d member
 * summed over the paths inside: what an input's local adds up. A group
 * with several exits has no single derivative: local is NaN there. */
static int group_inputs(const gdv_graph *g, gdv_groups *gr, group_work *w, size_t k) {
  const gdv_id *mem = w->members + w->member_start[k];
  size_t n_mem = w->member_start[k + 1] - w->member_start[k], idx;
  gr->input_start[k + 1] = gr->input_start[k];
  for (size_t i = 0; i < n_mem; i++) {
    w->adjoint[mem[i]] = 0;
    for (size_t e = g->arg_start[mem[i]]; e < g->arg_start[mem[i] + 1]; e++) {
      gdv_id u = g->edge_from[e];
      if (gr->node_group[u] == k) continue;
      if (!input_for(gr, w, k, u, e, &idx)) return 0;
      gr->inputs[idx].n_edges++;
      gr->inputs[idx].grad += g->edge_grad[e];
      gr->edge_input[e] = idx;
    }
  }
  gdv_id x = gr->exit[k];
  if (x == GDV_NONE) {
    for (size_t j = gr->input_start[k]; j < gr->input_start[k + 1]; j++) gr->inputs[j].local = NAN;
    return 1;
  }
  w->adjoint[x] = 1;
  for (size_t i = n_mem; i-- > 0;) {
    double a = w->adjoint[mem[i]];
    for (size_t e = g->arg_start[mem[i]]; e < g->arg_start[mem[i] + 1]; e++) {
      gdv_id u = g->edge_from[e];
      if (gr->node_group[u] == k) w->adjoint[u] += a * g->edge_local[e];
      else gr->inputs[gr->edge_input[e]].local += a * g->edge_local[e];
    }
  }
  return 1;
}

/* A leaf (no operands) that a node outside its group uses too is taken
 * out of the group: a constant declared in two clusters, or a weight in
 * its unit that a decay term squares, is an input to every group using
 * it, drawn once outside them with its fan-out sum, rather than a second
 * exit that keeps its group from being drawn as one node. */
static void shared_leaves_out(const gdv_graph *g, gdv_groups *gr) {
  for (size_t e = 0; e < g->n_edges; e++) {
    gdv_id u = g->edge_from[e], k = gr->node_group[u];
    if (k != GDV_NONE && g->arg_start[u] == g->arg_start[u + 1] &&
        gr->node_group[g->edge_to[e]] != k)
      gr->node_group[u] = GDV_NONE;
  }
}

/* Allocates the per-group and per-edge arrays and the scratch. */
static int alloc_all(const gdv_graph *g, gdv_groups *gr, group_work *w) {
  size_t k = g->n_groups, n = g->n_nodes, m = g->n_edges;
  gr->n = k;
  gr->exit = malloc(k * sizeof *gr->exit);
  gr->exit2 = malloc(2 * k * sizeof *gr->exit2);
  gr->n_members = calloc(k, sizeof *gr->n_members);
  gr->input_start = calloc(k + 1, sizeof *gr->input_start);
  gr->edge_input = malloc((m ? m : 1) * sizeof *gr->edge_input);
  gr->node_group = malloc((n ? n : 1) * sizeof *gr->node_group);
  gr->merged_into = malloc(k * sizeof *gr->merged_into);
  w->adjoint = malloc(n * sizeof *w->adjoint);
  w->stamp = calloc(n, sizeof *w->stamp);
  w->slot = malloc(n * sizeof *w->slot);
  if (!gr->exit || !gr->exit2 || !gr->n_members || !gr->input_start ||
      !gr->edge_input || !gr->node_group || !gr->merged_into || !w->adjoint || !w->stamp ||
      !w->slot)
    return 0;
  for (size_t e = 0; e < m; e++) gr->edge_input[e] = SIZE_MAX;
  return 1;
}

/* Exits first (the reverse pass starts there), then each group's inputs.
 * With `into`, group k's nodes count as group into[k]'s (see gdv.h). */
gdv_status gdv_groups_analyse_merged(const gdv_graph *g, const gdv_id *into, gdv_groups *out,
                                     gdv_error *err) {
  memset(out, 0, sizeof *out);
  if (g->n_groups == 0 || g->node_group == NULL) return GDV_OK;
  for (size_t k = 0; into && k < g->n_groups; k++)
    if (into[k] >= g->n_groups || into[into[k]] != into[k])
      return gdv_error_set(err, GDV_ERR_INPUT, g->source, 0,
                           "group %zu is merged into a group that is merged itself", k);
  group_work w;
  memset(&w, 0, sizeof w);
  int ok = alloc_all(g, out, &w);
  for (size_t k = 0; ok && k < out->n; k++) out->merged_into[k] = into ? into[k] : (gdv_id)k;
  for (size_t v = 0; ok && v < g->n_nodes; v++) {
    gdv_id k = g->node_group[v];
    out->node_group[v] = k == GDV_NONE ? GDV_NONE : out->merged_into[k];
  }
  if (ok) shared_leaves_out(g, out);
  ok = ok && list_members(g, out, &w);
  if (ok) find_exits(g, out);
  for (size_t k = 0; ok && k < out->n; k++) ok = group_inputs(g, out, &w, k);
  work_free(&w);
  if (ok) return GDV_OK;
  gdv_groups_free(out);
  return gdv_error_set(err, GDV_ERR_SYSTEM, g->source, 0, "out of memory");
}

/* Every group on its own. */
gdv_status gdv_groups_analyse(const gdv_graph *g, gdv_groups *out, gdv_error *err) {
  return gdv_groups_analyse_merged(g, NULL, out, err);
}
