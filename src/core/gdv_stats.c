/*
 * gdv_stats.c: the figures behind the course's claims about backprop. Each
 * edge is visited once forward and once backward; finite differences need
 * two forward passes per gradient; and the forward pass must keep some
 * values for the backward pass (which ones depends on the op).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/gdv_stats.h"

/* The op table knows what each backward pass reads (core/gdv_ops.c), so a
 * new op is counted without a change here. */
static unsigned op_saves(gdv_op op) {
  return gdv_op_get(op)->saves;
}

/* Timing on, and finite differences really run only when they would take
 * under a second; otherwise their time is extrapolated. */
void gdv_stats_options_default(gdv_stats_options *opt) {
  opt->timing = 1;
  opt->fd_budget = 1.0;
}

/* A monotonic clock: wall-clock jumps must not show up as speed. */
static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Sizes, roles, depth and the widest fan-in and fan-out, in one sweep over
 * the topological order (no recursion: a million-node chain is fine). */
static gdv_status count_shape(const gdv_graph *g, gdv_stats *s, gdv_error *err) {
  size_t *dist = calloc(g->n_nodes ? g->n_nodes : 1, sizeof *dist);
  if (dist == NULL)
    return gdv_error_set(err, GDV_ERR_SYSTEM, g->source, 0, "out of memory");
  s->max_fan_in_node = s->max_fan_out_node = s->depth_end = GDV_NONE;
  for (size_t v = 0; v < g->n_nodes; v++) {
    if (g->op[v] == GDV_OP_LEAF) {
      s->n_inputs += g->role[v] == GDV_ROLE_INPUT;
      s->n_params += g->role[v] == GDV_ROLE_PARAM;
      s->n_consts += g->role[v] == GDV_ROLE_CONST;
    } else {
      s->n_ops++;
    }
    s->n_unreached += !g->reaches[v];
    for (size_t e = g->arg_start[v]; e < g->arg_start[v + 1]; e++)
      if (dist[g->edge_from[e]] + 1 > dist[v]) dist[v] = dist[g->edge_from[e]] + 1;
    if (s->depth_end == GDV_NONE || dist[v] > s->depth) {
      s->depth = dist[v];
      s->depth_end = (gdv_id)v;
    }
    size_t fin = gdv_fan_in(g, (gdv_id)v);
    if (s->max_fan_in_node == GDV_NONE || fin > s->max_fan_in) {
      s->max_fan_in = fin;
      s->max_fan_in_node = (gdv_id)v;
    }
    if (s->max_fan_out_node == GDV_NONE || g->fan_out[v] > s->max_fan_out) {
      s->max_fan_out = g->fan_out[v];
      s->max_fan_out_node = (gdv_id)v;
    }
  }
  free(dist);
  return GDV_OK;
}

/* Marks every value some op's backward pass reads; a value read by several
 * ops (a fan-out) is stored once. */
static gdv_status count_memory(const gdv_graph *g, gdv_stats *s, gdv_error *err) {
  uint8_t *kept = calloc(g->n_nodes ? g->n_nodes : 1, 1);  /* 1 operand, 2 result */
  if (kept == NULL)
    return gdv_error_set(err, GDV_ERR_SYSTEM, g->source, 0, "out of memory");
  for (size_t v = 0; v < g->n_nodes; v++) {
    unsigned saves = op_saves((gdv_op)g->op[v]);
    if (saves & GDV_SAVE_INPUTS)
      for (size_t e = g->arg_start[v]; e < g->arg_start[v + 1]; e++)
        kept[g->edge_from[e]] |= 1;
    if (saves & GDV_SAVE_OUTPUT) kept[v] |= 2;
    if (saves & GDV_SAVE_INDEX) s->saved_indices++;
  }
  for (size_t v = 0; v < g->n_nodes; v++) {
    if (!kept[v]) continue;
    s->saved_values++;
    if (g->op[v] == GDV_OP_LEAF) s->saved_leaf_values++;
    else s->saved_activations++;
    if (kept[v] & 1) s->saved_by_inputs++;
    else s->saved_by_output++;
  }
  free(kept);
  s->saved_bytes = (s->saved_values + s->saved_indices) * 8;
  s->all_values_bytes = g->n_nodes * 8;
  s->all_with_locals_bytes = (g->n_nodes + g->n_edges) * 8;
  return GDV_OK;
}

/* Repeats `what` until at least `min_time` has passed (a tiny graph takes
 * nanoseconds: one run would measure the clock) and returns the mean. */
static double time_repeated(gdv_graph *g, int what, double min_time) {
  size_t reps = 1, done = 0;
  double start = now_seconds(), elapsed;
  volatile double sink = 0;
  for (;;) {
    for (size_t i = 0; i < reps; i++) {
      if (what == 0) gdv_forward(g);
      else if (what == 1) gdv_backward(g);
      else sink += gdv_forward_output(g);
    }
    done += reps;
    elapsed = now_seconds() - start;
    if (elapsed >= min_time) break;
    reps *= 2;
  }
  (void)sink;
  return elapsed / (double)done;
}

/* Central differences on every wanted leaf, for real: 2 passes each. */
static double time_fd(gdv_graph *g, int params_only) {
  double start = now_seconds();
  volatile double sink = 0;
  for (size_t v = 0; v < g->n_nodes; v++) {
    if (g->op[v] != GDV_OP_LEAF) continue;
    if (params_only && g->role[v] != GDV_ROLE_PARAM) continue;
    double x = g->value[v], h = 1e-6 * (x < 0 ? -x : x > 1 ? x : 1);
    g->value[v] = x + h;
    sink += gdv_forward_output(g);
    g->value[v] = x - h;
    sink -= gdv_forward_output(g);
    g->value[v] = x;
  }
  (void)sink;
  return now_seconds() - start;
}

/* Counts are exact and cheap; timings repeat until the clock can see them.
 * Ends with a forward and backward pass, so values and grads are left
 * current. */
gdv_status gdv_stats_compute(gdv_graph *g, const gdv_stats_options *opt,
                             gdv_stats *s, gdv_error *err) {
  gdv_stats_options defaults;
  gdv_status st;
  if (opt == NULL) {
    gdv_stats_options_default(&defaults);
    opt = &defaults;
  }
  memset(s, 0, sizeof *s);
  s->n_nodes = g->n_nodes;
  s->n_edges = g->n_edges;
  if ((st = count_shape(g, s, err)) || (st = count_memory(g, s, err))) return st;

  s->wanted_are_params = s->n_params > 0;
  s->n_wanted = s->wanted_are_params ? s->n_params
                                     : s->n_inputs + s->n_params + s->n_consts;
  s->backprop_edge_visits = 2 * (uint64_t)g->n_edges;
  s->fd_forward_passes = 2 * (uint64_t)s->n_wanted;
  s->fd_edge_visits = s->fd_forward_passes * (uint64_t)g->n_edges;

  if (!opt->timing) return GDV_OK;
  s->timed = 1;
  gdv_forward(g);
  s->t_forward = time_repeated(g, 0, 0.02);
  s->t_backward = time_repeated(g, 1, 0.02);
  double t_pass = time_repeated(g, 2, 0.02);
  double expected = t_pass * (double)s->fd_forward_passes;
  if (expected <= opt->fd_budget) {
    /* Repeated, like the others, until the clock can see it. */
    size_t reps = 0;
    double total = 0;
    do {
      total += time_fd(g, s->wanted_are_params);
      reps++;
    } while (total < 0.02 && total + expected <= opt->fd_budget);
    s->t_fd = total / (double)reps;
  } else {
    s->t_fd = expected;
    s->fd_extrapolated = 1;
  }
  gdv_forward(g);
  gdv_backward(g);
  return GDV_OK;
}
