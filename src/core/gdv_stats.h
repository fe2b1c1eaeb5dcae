/* gdv_stats.h: statistics of one graph (`gradviz stats`): size, depth, the
 * memory backprop keeps, the cost of backprop against finite differences.
 * A function of the graph alone: it needs only the rest of the core. */
#ifndef GDV_STATS_H
#define GDV_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "core/gdv.h"

/* ------------------------------------------------------------------ */
/* Statistics (`gradviz stats`)                                        */


typedef struct gdv_stats {
  size_t n_nodes, n_edges;
  size_t n_ops;                 /* op nodes */
  size_t n_inputs, n_params, n_consts;
  size_t n_unreached;           /* nodes with no path to the output */
  size_t depth;                 /* longest path, in edges */
  gdv_id depth_end;             /* the node where a longest path ends */
  size_t max_fan_in, max_fan_out;
  gdv_id max_fan_in_node, max_fan_out_node;  /* first in topological order */

  /* Memory kept from the forward pass for the backward pass: each value
   * counted once however many ops need it, 8 bytes a double. */
  size_t saved_values;          /* distinct node values kept */
  size_t saved_leaf_values;     /* of which leaves (held anyway) */
  size_t saved_activations;     /* of which op results: the real cost */
  size_t saved_by_inputs;       /* values kept because an op needs operands */
  size_t saved_by_output;       /* ... because an op needs its own result */
  size_t saved_indices;         /* max/min winners, 8 bytes each */
  size_t saved_bytes;           /* (saved_values + saved_indices) * 8 */
  size_t all_values_bytes;      /* every node's value: n_nodes * 8 */
  size_t all_with_locals_bytes; /* values and every edge's local: (n+e)*8 */

  /* The cost of every wanted gradient. Wanted: dC/dparam for every param;
   * in a graph without params, dC/dleaf for every leaf (as `check`). */
  size_t n_wanted;
  int wanted_are_params;
  uint64_t backprop_edge_visits;  /* one forward + one backward: 2 e */
  uint64_t fd_forward_passes;     /* central differences: 2 per gradient */
  uint64_t fd_edge_visits;        /* passes * e */

  /* Measured on this machine (when asked; else all 0). */
  int timed;
  double t_forward;             /* seconds, one forward pass */
  double t_backward;            /* seconds, one backward pass */
  double t_fd;                  /* seconds, all finite-difference passes */
  int fd_extrapolated;          /* t_fd = passes * measured time of one */
} gdv_stats;

typedef struct gdv_stats_options {
  int timing;                   /* measure times (default 1) */
  double fd_budget;             /* run finite differences for real when
                                   expected under this many seconds (1.0);
                                   else time some passes and extrapolate */
} gdv_stats_options;

void gdv_stats_options_default(gdv_stats_options *opt);
/* Counts everything above on a finalized graph (runs forward and backward
 * passes when timing; leaves values as they were). */
gdv_status gdv_stats_compute(gdv_graph *g, const gdv_stats_options *opt,
                             gdv_stats *out, gdv_error *err);

#endif
