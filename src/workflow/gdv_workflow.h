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

/* Statistics (`gradviz stats`): gdv_stats.h, which needs only the core. */
#include "workflow/gdv_stats.h"

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
/* Removes the temporaries gdv_out_open makes for `output`
 * (DIR/.NAME.PID.tmp) of any process: after killing a child that wrote it. */
void gdv_remove_temporaries(const char *output);

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
