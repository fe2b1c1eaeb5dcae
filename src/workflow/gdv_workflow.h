/*
 * gdv_workflow.h: what a course does with many graphs. Statistics of one
 * graph (size, depth, the memory backprop keeps, the cost of backprop
 * against finite differences), the settings a graph file carries for its
 * own figure, finding the graph files under a folder for batch rendering,
 * and the frames of a forward and backward pass for slides.
 *
 * Like every library layer this one never prints and never exits.
 */
#ifndef GDV_WORKFLOW_H
#define GDV_WORKFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "core/gdv.h"
#include "io/gdv_io.h"
#include "render/gdv_render.h"

/* ------------------------------------------------------------------ */
/* Statistics (`gradviz stats`)                                        */

/* What the backward pass of one op needs from its forward pass. */
enum {
  GDV_SAVE_NOTHING = 0,
  GDV_SAVE_INPUTS = 1u << 0,   /* its operands' values (mul, div, log, sin...) */
  GDV_SAVE_OUTPUT = 1u << 1,   /* its own value (exp, tanh, sigmoid, relu, sqrt) */
  GDV_SAVE_INDEX = 1u << 2     /* which operand won (max, min) */
};
/* The GDV_SAVE_* set of an op (GDV_OP_LEAF saves nothing). */
unsigned gdv_op_saves(gdv_op op);

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

/* ------------------------------------------------------------------ */
/* Settings a graph file carries for its own figure                    */

/* DOT graph attributes `gradviz_style`, `gradviz_show`, `gradviz_precision`
 * (and `gradviz_dpi`), so that a course keeps them with the figure. NULL
 * where the file says nothing (and always for formula files). Options given
 * on the command line win over these. */
typedef struct gdv_graph_settings {
  const char *style;       /* a style NAME, or a FILE: a relative FILE is
                              taken from the graph's folder (points into
                              style_path) */
  const char *show;        /* a --show LIST */
  const char *precision;   /* significant digits, as text */
  const char *dpi;
  char style_path[1024];
} gdv_graph_settings;

/* Looks the settings up (the strings belong to `in`). A precision or dpi
 * that is not a positive whole number is bad input naming the file. */
gdv_status gdv_graph_settings_get(const gdv_input *in, gdv_graph_settings *out,
                                  gdv_error *err);

/* ------------------------------------------------------------------ */
/* Batch rendering: which files, and where their figures go            */

typedef struct gdv_batch_item {
  char *input;      /* the path to read */
  char *stem;       /* the output path below the output folder, without
                       suffix: "sub/chain" for ARG/sub/chain.dot */
} gdv_batch_item;

typedef struct gdv_batch_list {
  gdv_batch_item *items;
  size_t n, cap;
} gdv_batch_list;

/* Whether a file name is a graph batch picks up in a folder (.dot .gv .expr). */
int gdv_batch_is_graph(const char *name);
/* Every graph in the given files and folders (folders recursively, names
 * starting with '.' skipped, symbolic links to folders not followed), in
 * sorted order. A folder's graphs keep their path below it; a file given
 * by name goes to the top. The folder `skip_dir` (the output folder, may
 * be NULL or not exist yet) is not entered: figures written as DOT must not
 * become inputs of the next run. Two inputs wanting the same output stem,
 * or a path that does not exist, are bad input. */
gdv_status gdv_batch_collect(char *const *paths, size_t n_paths,
                             const char *skip_dir, gdv_batch_list *out,
                             gdv_error *err);
void gdv_batch_list_free(gdv_batch_list *l);
/* DIR/STEM.SUFFIX, malloc'd (NULL when out of memory). */
char *gdv_batch_output_path(const char *dir, const gdv_batch_item *it,
                            const char *suffix);
/* Creates the folders leading to `file` (mkdir -p of its dirname). */
gdv_status gdv_make_parent_dirs(const char *file, gdv_error *err);
/* 1 when `output` exists and was modified after `input`. */
int gdv_output_is_fresh(const char *input, const char *output);

/* ------------------------------------------------------------------ */
/* Frames for slides (`gradviz render GRAPH --steps DIR`)              */

/*
 * A frame is one step of evaluation, with only what is known at that moment
 * drawn (the layout is made once, so nothing moves between frames):
 *
 *   forward steps: one per op node, in topological order; the node being
 *     computed is highlighted with its in-edges. Leaves are NOT steps: their
 *     values are given, so every frame shows them from the start.
 *   backward steps: one per node that reaches the output (leaves included:
 *     dC/dw is what training wants), in reverse topological order, starting
 *     with the output (dC/dC = 1). At node v's step its gradient is complete
 *     and flows down its in-edges: each in-edge's local derivative and
 *     gradient appear, and each operand's fan-out sum gains that term (the
 *     others show "?", the total appears at the operand's own step).
 *
 * So frames = op nodes + nodes reaching the output.
 */
typedef struct gdv_frame_step {
  gdv_id node;
  int backward;          /* 0 forward, 1 backward */
} gdv_frame_step;

typedef struct gdv_frame_plan {
  gdv_frame_step *steps;
  size_t n_steps, n_forward, n_backward;
} gdv_frame_plan;

gdv_status gdv_frames_plan(const gdv_graph *g, gdv_frame_plan *out, gdv_error *err);
void gdv_frames_plan_free(gdv_frame_plan *p);

/* No frames beyond this: a sequence is for small course graphs. */
#define GDV_FRAMES_MAX 2000

typedef struct gdv_frames_options {
  gdv_scene_options scene;   /* show, precision */
  const gdv_style *style;
  gdv_format format;         /* PNG or SVG: DIR/frame-NNN.EXT too; PDF: only frames.pdf */
  double dpi;                /* PNG frames (and the pages of frames.pdf) */
  const char *software;      /* PNG tEXt Software */
} gdv_frames_options;

/* Writes the frames of an evaluated graph (after gdv_forward and
 * gdv_backward) into `dir` (created when missing): DIR/frame-001.png ...
 * (SVG likewise) and DIR/frames.pdf with one page per frame. Stale frame
 * files of an earlier, longer run are removed. Every file is written whole
 * or not at all. *n_frames gets the number of frames. */
gdv_status gdv_frames_write(const gdv_graph *g, const gdv_frames_options *opt,
                            const char *dir, size_t *n_frames, gdv_error *err);

#endif
