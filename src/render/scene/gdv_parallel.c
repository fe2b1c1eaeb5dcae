/* gdv_parallel.c: parallel edges with the same numbers, drawn as one.
 *
 * y = x*x*...*x with 4,000 factors is one value fanning out 4,000 times into
 * one product: 4,000 edges x -> y, each with the same local derivative and
 * gradient. Drawn one by one they take Graphviz half a minute and give a
 * figure too tall for PNG; they say nothing the one edge marked "×4000" does
 * not. A few parallel edges are a lesson of their own (x*x as two edges,
 * 3 + 3 = 6), so only groups beyond a threshold are merged. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render.h"

/* What makes two in-edges of one node the same drawn edge: the source and
 * both numbers as the figure prints them (to its significant digits; with
 * precision 0 the exact bits, NaN payloads and -0 included), so that a
 * merged edge never hides a difference the figure would show. The product
 * of 4,000 factors of 1.0001 gives locals that differ in the last bit
 * (prefix and suffix products round differently): they read the same. */
typedef struct edge_key {
  gdv_id from;
  uint64_t local, grad;
  size_t edge;
} edge_key;

/* qsort order: key first, then the edge index, so that a group's first
 * edge in graph order leads it and the result never depends on qsort. */
static int key_cmp(const void *pa, const void *pb) {
  const edge_key *a = pa, *b = pb;
  int c = gdv_cmp_u64(a->from, b->from);
  if (c == 0) c = gdv_cmp_u64(a->local, b->local);
  if (c == 0) c = gdv_cmp_u64(a->grad, b->grad);
  return c ? c : gdv_cmp_u64(a->edge, b->edge);
}

/* The bits of x rounded to `precision` significant digits (0: x itself),
 * for exact comparison; printf's rounding, so it is the printed value. */
static uint64_t bits(double x, int precision) {
  if (precision > 0 && isfinite(x)) {
    char text[64];
    snprintf(text, sizeof text, "%.*e", precision - 1, x);
    x = strtod(text, NULL);
  }
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

/* Marks the groups of node v's in-edges (sorted into keys) that exceed
 * max_parallel; allocates *group on the first one, with room for the
 * leaders after the counts. */
static int mark_groups(const gdv_graph *g, edge_key *keys, size_t n, size_t max_parallel,
                       size_t **group) {
  qsort(keys, n, sizeof *keys, key_cmp);
  for (size_t i = 0, j; i < n; i = j) {
    for (j = i + 1; j < n && keys[j].from == keys[i].from && keys[j].local == keys[i].local &&
                    keys[j].grad == keys[i].grad; j++) {}
    if (j - i <= max_parallel) continue;
    if (*group == NULL) {
      if ((*group = malloc(2 * g->n_edges * sizeof **group)) == NULL) return 0;
      for (size_t e = 0; e < g->n_edges; e++) {
        (*group)[e] = 1;
        (*group)[g->n_edges + e] = e;
      }
    }
    (*group)[keys[i].edge] = j - i;
    for (size_t k = i + 1; k < j; k++) {
      (*group)[keys[k].edge] = 0;
      (*group)[g->n_edges + keys[k].edge] = keys[i].edge;
    }
  }
  return 1;
}

/* Only nodes with more than max_parallel operands can hold such a group,
 * so ordinary graphs cost one pass over the nodes and no allocation. */
gdv_status gdv_parallel_groups(const gdv_graph *g, size_t max_parallel, int precision,
                               size_t **group, gdv_error *err) {
  *group = NULL;
  if (max_parallel == 0) return GDV_OK;
  edge_key *keys = NULL;
  size_t cap = 0;
  for (gdv_id v = 0; v < g->n_nodes; v++) {
    size_t first = g->arg_start[v], n = g->arg_start[v + 1] - first;
    if (n <= max_parallel) continue;
    if (n > cap) {
      free(keys);
      cap = n;
      if ((keys = malloc(cap * sizeof *keys)) == NULL) break;
    }
    for (size_t k = 0; k < n; k++) {
      size_t e = first + k;
      keys[k] = (edge_key){g->edge_from[e], bits(g->edge_local[e], precision),
                           bits(g->edge_grad[e], precision), e};
    }
    if (!mark_groups(g, keys, n, max_parallel, group)) {
      free(keys);
      keys = NULL;
      break;
    }
  }
  if (keys == NULL && cap > 0) {
    free(*group);
    *group = NULL;
    return gdv_error_oom(err);
  }
  free(keys);
  return GDV_OK;
}
