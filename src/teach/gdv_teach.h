/*
 * gdv_teach.h: what a teacher makes from one figure: the frames of a
 * forward and backward pass for slides (`render --steps`, GIF, TikZ
 * overlays) and the interactive page (`-o FIG.html`). Worksheets are
 * teach/gdv_worksheet.h.
 *
 * Like every library layer this one never prints and never exits.
 */
#ifndef GDV_TEACH_H
#define GDV_TEACH_H

#include <stddef.h>
#include <stdio.h>

#include "core/gdv.h"
#include "io/gdv_io.h"
#include "render/gdv_render.h"
#include "mnist_draw/gdv_mnist_draw.h"

/* ------------------------------------------------------------------ */
/* Frames for slides (`gradviz render GRAPH --steps DIR`)              */

/*
 * A frame is one step of evaluation drawn on the finished figure itself
 * (the planner's figure: same detail, direction, folds and positions),
 * with only what is known at that moment shown:
 *
 *   forward steps: one per unit that computes (a drawn operation or
 *     collapsed group), in order; the unit is highlighted with its
 *     in-edges. Leaves are NOT steps: their values are given.
 *   backward steps: one per unit that reaches the output (leaves
 *     included: dC/dw is what training wants), in reverse order, starting
 *     with the output (dC/dC = 1). At a unit's step its gradient is
 *     complete and flows down its in-edges: each in-edge's local
 *     derivative and gradient appear, and each operand's fan-out sum gains
 *     that term (the others show "?", the total appears at the operand's
 *     own step).
 *
 * A unit (--steps-by) is one drawn node (node, the default), the drawn
 * nodes of one formula statement or DOT cluster (statement: the same as
 * node where the figure collapses them), or one layer of the layout
 * (layer: a 2-2-1 network in a handful of frames).
 */
typedef enum gdv_steps_by {
  GDV_STEPS_BY_NODE = 0, GDV_STEPS_BY_STATEMENT, GDV_STEPS_BY_LAYER
} gdv_steps_by;
/* "node", "statement", "layer"; 0 when unknown. */
int gdv_steps_by_lookup(const char *name, gdv_steps_by *out);

typedef struct gdv_frame_step {
  size_t first, n;       /* its scene nodes: plan->nodes[first .. first + n) */
  int backward;          /* 0 forward, 1 backward */
} gdv_frame_step;

typedef struct gdv_frame_plan {
  gdv_frame_step *steps;
  size_t n_steps, n_forward, n_backward;
  size_t *nodes;         /* the steps' scene nodes, step by step */
  size_t n_nodes;
} gdv_frame_plan;

/* The steps of a figure (a scene of g, laid out or not) by unit. */
gdv_status gdv_frames_plan(const gdv_graph *g, const gdv_scene *figure, gdv_steps_by by,
                           gdv_frame_plan *out, gdv_error *err);
void gdv_frames_plan_free(gdv_frame_plan *p);

/* No frames beyond this: a sequence is for small course graphs. */
#define GDV_FRAMES_MAX 2000

typedef struct gdv_frames_options {
  gdv_scene_options scene;   /* show, precision */
  const gdv_style *style;
  gdv_figure_format format;         /* PNG or SVG: DIR/frame-NNN.EXT too; PDF: only frames.pdf */
  double dpi;                /* PNG frames (and the pages of frames.pdf) */
  const char *software;      /* PNG tEXt Software */
  gdv_legend_place legend;   /* where each frame's legend goes */
  FILE *dump;                /* or NULL: every frame's layout dump (see
                                gdv_render_dump_layout), as one JSON
                                object {"frames": [...]} */
  const char *id_prefix;     /* SVG frames: ids start with it and "fNNN-";
                                NULL: the graph file's base name */
  const gdv_scene *figure;   /* the finished figure the frames step through
                                (laid out, not changed); NULL: planned
                                here from the scene options */
  gdv_steps_by by;           /* what one step reveals */
} gdv_frames_options;

/* Writes the frames of an evaluated graph (after gdv_forward and
 * gdv_backward) into `dir` (created when missing): DIR/frame-001.png ...
 * (SVG likewise) and DIR/frames.pdf with one page per frame. Stale frame
 * files of an earlier, longer run are removed. Every file is written whole
 * or not at all. *n_frames gets the number of frames. */
gdv_status gdv_frames_write(const gdv_graph *g, const gdv_frames_options *opt,
                            const char *dir, size_t *n_frames, gdv_error *err);

/* Frame k of n, drawn as the scene holds it now; a non-zero status stops
 * the sequence (and is returned). */
typedef gdv_status (*gdv_frame_fn)(void *ctx, const gdv_scene *frame, size_t k, size_t n,
                                   gdv_error *err);
/* The frames gdv_frames_write draws, handed to fn one after the other
 * (one scene, laid out once, changed step by step); *n_steps gets their
 * number. More than GDV_FRAMES_MAX steps is GDV_ERR_INPUT. */
gdv_status gdv_frames_each(const gdv_graph *g, const gdv_frames_options *opt,
                           gdv_frame_fn fn, void *ctx, size_t *n_steps, gdv_error *err);

/* The frames as one animation (-o x.gif, -o x.tex with steps: see
 * gdv_anim in render), every pass it needs, then the file completed on
 * the animation's stream; *n_frames gets their number. */
gdv_status gdv_frames_write_anim(const gdv_graph *g, const gdv_frames_options *opt, gdv_anim *a,
                                 size_t *n_frames, gdv_error *err);

/* ------------------------------------------------------------------ */
/* Interactive pages (`-o FIG.html`)                                   */

/* A page holds at most this much frame SVG; a longer sequence leaves the
 * page without steps (a page of that size would not load anyway). */
#define GDV_HTML_FRAMES_BYTES (64 * 1024 * 1024)

/* The page of an evaluated graph (after gdv_forward and gdv_backward):
 * the finished figure (a laid-out scene), the frames `render --steps`
 * draws with *fo (step(k) shows frame k), and every node's numbers as
 * eval's JSON has them. Ids start with id_prefix made safe
 * (gdv_svg_prefix; NULL: "fig-"), the frames' with it and "step-"; name
 * is the figure's name in its SVG <title>, title the page's. *steps_left is 1 when the steps were
 * left out (more than GDV_FRAMES_MAX, or their SVG over
 * GDV_HTML_FRAMES_BYTES). */
gdv_status gdv_html_page_graph(const gdv_graph *g, const gdv_scene *figure,
                               const gdv_frames_options *fo, const char *id_prefix,
                               const char *name, const char *title, int *steps_left, FILE *f,
                               gdv_error *err);
/* The MNIST figure's page: the figure gdv_mnist_draw draws, every node's
 * numbers (the graph of `mnist --emit dot`), and each drawn unit's sum
 * (inspect opens its whole fan-in); no steps. Ids as above. */
gdv_status gdv_html_page_mnist(const gdv_mnist_net *net, const gdv_mnist_view *view,
                               const gdv_mnist_draw_options *opt, const char *id_prefix,
                               FILE *f, gdv_error *err);

#endif
