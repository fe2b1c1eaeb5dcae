/*
 * gdv_worksheet.h: exercise sheets (`gradviz worksheet`): the figure of a
 * graph with the numbers a student computes left as write-in boxes, its
 * answer key, and the sheet as a page that checks answers as they are
 * typed. Built on render's gdv_sheet.h (one layout for sheet and key).
 *
 * Like every library layer this never prints and never exits.
 */
#ifndef GDV_WORKSHEET_H
#define GDV_WORKSHEET_H

#include <stdio.h>

#include "core/gdv_exercise.h"
#include "io/gdv_io.h"
#include "render/gdv_render.h"
#include "render/gdv_sheet.h"

/* What a sheet shows: numbers of the `given` kinds, boxes for the `blank`
 * kinds (GDV_SHOW_VALUES, GRADS, LOCALS, EDGE_GRADS, SUMS). A quantity is
 * a box when a kind that shows it is shown and its own kind is not given
 * (a fan-out sum shows gradients and edge gradients: with sums blanked,
 * its terms are boxes unless edge-grads are given), and its item is
 * chosen: `nodes` (--blank NODE,...: a node's value and gradient, the
 * locals of its in-edges, the gradients along its out-edges) and
 * `ask_nodes`/`ask_edges` (--ask: the paths asked for), NULL for every
 * item. Quantities of items not chosen are shown as numbers. Nothing that
 * does not reach the output, and nothing not finite, is a box. */
typedef struct gdv_worksheet_options {
  gdv_scene_options scene;    /* page, precision, rankdir, legend place */
  const gdv_style *style;
  gdv_engine engine;
  unsigned given, blank;      /* GDV_SHOW_* kinds */
  const uint8_t *nodes;       /* per graph node, or NULL */
  const uint8_t *ask_nodes;   /* per graph node, or NULL */
  const uint8_t *ask_edges;   /* per graph edge, or NULL */
  const char *name;           /* the exercise's name ("net-2-2-1") */
  const char *student;        /* printed on the sheet, or NULL */
  uint64_t variant;           /* printed when not 0 */
} gdv_worksheet_options;

typedef struct gdv_worksheet {
  gdv_scene *sheet, *key;     /* laid out, the same positions */
  gdv_sheet_box *boxes;       /* the same in both (item indices agree) */
  size_t n_boxes;
  uint8_t *marks_block;       /* the marks' flags */
  gdv_sheet_marks marks;
  double placeholder;
  size_t plan_layouts;        /* candidates the planner laid out */
} gdv_worksheet;

/* Parses --given and --blank: kind words (values, grads, locals,
 * edge-grads, sums) into *kinds; in --blank also node ids, into *nodes
 * (malloc'd per node flags, NULL when none is named). An unknown word is
 * GDV_ERR_INPUT naming the kinds. */
gdv_status gdv_worksheet_kinds(const gdv_graph *g, const char *list, int nodes_allowed,
                               unsigned *kinds, uint8_t **nodes, gdv_error *err);
/* Parses --ask NODE (every path from NODE to the output) or a path
 * "a->c->e" (those nodes and the edges between them) into per node and
 * per edge flags (malloc'd). */
gdv_status gdv_worksheet_ask(const gdv_graph *g, const char *ask, uint8_t **nodes,
                             uint8_t **edges, gdv_error *err);

/* Plans the figure of g (evaluated) with a placeholder in every blank and
 * the sheet's title, and makes sheet and key from it. */
gdv_status gdv_worksheet_make(gdv_graph *g, const gdv_worksheet_options *o, gdv_worksheet *w,
                              gdv_error *err);
void gdv_worksheet_free(gdv_worksheet *w);

/* Writes the sheet (key 0) or the key as PNG, SVG, PDF or HTML (the
 * sheet's HTML: the page that checks answers, holding salted hashes of
 * the answers' tolerance cells, never the numbers; the key's: its SVG).
 * meta's graph and source are left out of the sheet: its SVG's words and
 * its PNG's metadata would say the answers. Other formats that
 * gdv_render_write draws (TikZ, when it lands there) go through it as
 * they are: they must draw the scene's items, as every format does.
 * gdv_worksheet_checking: what the sheet's HTML page checks answers with. */
typedef struct gdv_worksheet_checking {
  const char *salt;           /* per sheet, e.g. the graph's hash and K */
  gdv_grade_options tol;
} gdv_worksheet_checking;
gdv_status gdv_worksheet_write(const gdv_worksheet *w, const gdv_graph *g, int key,
                               gdv_figure_format fmt, const gdv_render_meta *meta,
                               const gdv_style *st, const gdv_worksheet_checking *page, FILE *f,
                               gdv_error *err);

#endif
