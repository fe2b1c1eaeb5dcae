/* gdv_render_int.h: what the render layer's files share and nobody else
 * needs: text metrics and the geometry of text inside boxes, so that
 * measuring, drawing and the layout dump agree to the point. */
#ifndef GDV_RENDER_INT_H
#define GDV_RENDER_INT_H

#include <cairo.h>
#include <stdio.h>

#include "render/gdv_render.h"

/* The render layer's shorthand for the out-of-memory error (core's
 * gdv_error_oom): `return OOM(err);`. */
#define OOM(err) gdv_error_oom(err)

/* The font for a line kind in a given context. */
typedef enum gdv_text_context {
  GDV_CTX_NODE, GDV_CTX_EDGE, GDV_CTX_ITEM, GDV_CTX_TITLE, GDV_CTX_LEGEND
} gdv_text_context;

/* Selects font face and size on cr for a line of `kind` in `ctx`. */
void gdv_text_font(cairo_t *cr, const gdv_style *st, gdv_text_context ctx,
                   int kind);
/* Whether gdv_text_font selects bold for a line of kind in ctx. */
int gdv_text_bold(gdv_text_context ctx, int kind);
/* Size of the font gdv_text_font would select. */
double gdv_text_size(const gdv_style *st, gdv_text_context ctx, int kind);
/* Line height: 1.3 em of the context's size. */
double gdv_text_line_height(const gdv_style *st, gdv_text_context ctx);
/* Advance width of text in cr's font (hint metrics off). */
double gdv_text_width(cairo_t *cr, const char *text);
/* Ascent and descent of the font selected on cr (for placing baselines). */
void gdv_text_extents(cairo_t *cr, double *ascent, double *descent);
/* Draws text in the font selected on cr, its baseline's left end at the
 * current point; returns its advance width. */
double gdv_text_show(cairo_t *cr, const char *text);
/* Starts the text engine (once); 0 when it cannot start. */
int gdv_text_start(void);
/* A scratch context for measuring, with hinting off like the drawings. */
cairo_t *gdv_text_measure_context(void);
/* Makes cr's font options identical in every surface type. */
void gdv_text_font_options(cairo_t *cr);

/* A PNG's zlib stream for figures (gdv_deflate.c): rows (filter byte
 * included, all row_len long, bpp bytes a pixel) are written in place at
 * gdv_deflate_row, then committed; compressed bytes go to the sink as they
 * are made (a sink returning non-zero fails the stream). new returns NULL
 * when out of memory; finish returns -1 when the sink failed. */
typedef struct gdv_deflate gdv_deflate;
typedef int (*gdv_deflate_sink)(void *ctx, const unsigned char *data, size_t n);
gdv_deflate *gdv_deflate_new(size_t row_len, size_t bpp, gdv_deflate_sink sink, void *ctx);
unsigned char *gdv_deflate_row(gdv_deflate *z);
void gdv_deflate_commit_row(gdv_deflate *z);
int gdv_deflate_finish(gdv_deflate *z);
void gdv_deflate_free(gdv_deflate *z);

/* Places items without a position below the laid-out graph and updates
 * the scene's extent. */
void gdv_layout_place_items(gdv_scene *s, const gdv_style *st);
/* Widens box b (x0, y0, x1, y1) to hold another box; a NaN side leaves
 * it as it was (scene/gdv_measure.c). */
void gdv_box_grow(double b[4], double x0, double y0, double x1, double y1);
/* The box the laid-out graph covers (nodes, edge curves, edge labels; not
 * the items) in scene coordinates; INFINITY, INFINITY, -INFINITY,
 * -INFINITY when there is nothing. */
void gdv_scene_graph_box(const gdv_scene *s, double b[4]);

/* Moves edge labels onto their edges after a layout that put them beside
 * (Graphviz): see gdv_labels.c. */
void gdv_layout_edge_labels(gdv_scene *s);
/* Whether e's label box lies more than 3 points off its edge; then the
 * nearest points of the box (bx, by) and of the edge (lx, ly), for a
 * leader line. */
int gdv_edge_label_leader(const gdv_scene_edge *e, double *bx, double *by,
                          double *lx, double *ly);

/* The smallest node or edge text of s drawn at scale on its page, as a
 * share of the page's height: the one measure of legibility (18 px per em
 * on a 1920x1080 slide is 18/1080). */
double gdv_page_text_share(const gdv_scene *s, const gdv_style *st, double scale);

/* The positions of a laid-out scene, saved to try a fold and take it back;
 * every edge's points in one buffer (edge i's from pts_start[i]). */
typedef struct gdv_geometry {
  double *node;          /* x, y per node */
  double *edge;          /* tip x, y, label x, y per edge */
  double *pts;
  size_t *pts_start;     /* n_edges + 1 offsets into pts, in points */
  double *item;          /* x, y per item */
  double width, height;
} gdv_geometry;

/* A growing list of points (x, y pairs) for a curve, cubics as their
 * control points (layout/gdv_geometry.c): the one list the layouts route
 * edges with (the layered one in along, across pairs) and the legibility
 * measure flattens curves into. An append that finds no memory drops the
 * point and sets oom. Zeroed, it is empty; free(v) frees it. */
typedef struct gdv_points {
  double *v;
  size_t n, cap;
  int oom;
} gdv_points;
void gdv_points_add(gdv_points *p, double x, double y);
/* A straight line from the last point to (x, y), as a cubic (its two
 * control points at a third and two thirds, and the end). */
void gdv_points_line(gdv_points *p, double x, double y);
/* Lines through the corners q[0..n-1] (x, y pairs) from the last point,
 * each corner rounded (radius up to 6 points), ending exactly at the last. */
void gdv_points_corners(gdv_points *p, const double *q, size_t n);
/* Gives the list to edge e as its route in place of the old one; 0 when
 * the list ran out of memory on the way (it is freed, e keeps its old
 * route). */
int gdv_points_to_edge(gdv_points *p, gdv_scene_edge *e);

/* Groups vertices 0..n-1 by their layer (each below n_layers), into two
 * arrays allocated here (layout/gdv_geometry.c): start, n_layers + 2
 * entries, and members, n; 0 when out of memory (the caller frees both,
 * as after success). */
int gdv_layers_group(const int *layer, size_t n, size_t n_layers, size_t **start,
                     size_t **members);
/* Ends a layered layout (layout/gdv_geometry.c): ok, the items placed and
 * the scene marked laid out, GDV_OK; else the out-of-memory error. */
gdv_status gdv_layout_done(gdv_scene *s, const gdv_style *st, int ok, gdv_error *err);

/* Saves every position (layout/gdv_geometry.c); 0 when out of memory
 * (nothing left allocated). */
int gdv_geometry_save(const gdv_scene *s, gdv_geometry *g);
/* Puts the saved positions back and frees g; 0 when out of memory. */
int gdv_geometry_restore(gdv_scene *s, gdv_geometry *g);
/* Frees a saved geometry (zeroed or filled). */
void gdv_geometry_free(gdv_geometry *g);

/* The extent across of one edge's slot before its node in the layers
 * layout (layout/gdv_layout_layers.c): a label label_across deep (0: an
 * unlabelled edge), staggered or not; the planner estimates layers with
 * it. */
double gdv_layers_slot(const gdv_style *st, double label_across, int staggered);

/* Up to this many rows in a fold; beyond it a graph needs collapsing, not
 * folding. */
#define GDV_FOLD_MAX_BANDS 6
/* The engine's layout of a scene as it is (auto: layers, columns past
 * GDV_LAYERS_MAX_NODES), unfolded (layout/gdv_fold.c). */
gdv_status gdv_layout_engine(gdv_scene *s, const gdv_style *st, gdv_engine engine,
                             gdv_error *err);
/* Folds a laid-out scene into `bands` rows (columns when top to bottom),
 * items left where they are; *done 0 when it has too few gaps for them. */
gdv_status gdv_layout_fold_strip(gdv_scene *s, const gdv_style *st, size_t bands, int *done,
                                 gdv_error *err);
/* Places the items marked in `unplaced` below the (folded) graph. */
void gdv_layout_place_unplaced(gdv_scene *s, const gdv_style *st, const unsigned char *unplaced);

/* How often drawn edges that share no node cross; -1 when not counted. */
long gdv_scene_crossings(const gdv_scene *s);
/* Labelled edges with under `side` points of line on a side of their
 * label, as tests/render/plan/legible.py counts them; *labelled: how many
 * edges have a label (gdv_labels.c). */
size_t gdv_scene_short_labels(const gdv_scene *s, double side, size_t *labelled);
/* Labels off their own line that a reader could take for another edge's
 * (SIZE_MAX when out of memory). */
size_t gdv_scene_unclear_labels(const gdv_scene *s);
/* What text sits on and in which colour, as gdv_draw.c draws it: the fill
 * of node n's box, and the colour of a line of `kind` (greyed: the node or
 * edge does not reach the output). Edge labels sit on the background, the
 * legend's text on legend_fill. */
gdv_rgba gdv_render_node_fill(const gdv_style *st, const gdv_scene_node *n);
gdv_rgba gdv_render_text_colour(const gdv_style *st, int kind, int greyed);
/* A rounded rectangle path, corner radius r (at most half a side). */
void gdv_render_rounded(cairo_t *cr, double x, double y, double w, double h, double r);
/* Whether node n's NaN/infinity mark is drawn (its number is shown). */
int gdv_render_nonfinite_shown(const gdv_scene_node *n);
/* The NaN/infinity mark, a disc of radius r at (cx, cy): filled where the
 * value first arises, hollow where it spread to. */
void gdv_render_draw_mark(cairo_t *cr, const gdv_style *st, double cx, double cy, double r,
                          int filled);
/* The mark of a wrong recorded gradient: a square of half side r at
 * (cx, cy) with a cross cut out. */
void gdv_render_draw_cross(cairo_t *cr, const gdv_style *st, double cx, double cy, double r);
/* Node n's outline as drawn: colour, width, dashed. */
void gdv_render_node_pen(const gdv_style *st, const gdv_scene_node *n, gdv_rgba *stroke,
                         double *lw, int *dashed);
/* The legend (gdv_legend.c): its entries come from what the scene shows;
 * gdv_draw.c places the box (x, y) and draws it through a text callback,
 * so the layout dump records the legend's texts like every other text. */
typedef struct gdv_legend_entry gdv_legend_entry;
typedef struct gdv_legend {
  gdv_legend_entry *entries;
  size_t n, cap;
  int oom;
  int measured;        /* the entries' widths are known (fit measures once) */
  double x, y, w, h;   /* the box in figure points; w, h 0: no legend */
} gdv_legend;
/* Draws text (kind's legend font, colour) with its box's top-left at x,
 * y_top; returns its width. */
typedef double (*gdv_legend_text_fn)(void *ctx, int kind, const char *text, double x,
                                     double y_top, gdv_rgba colour, long index);
gdv_status gdv_legend_build(gdv_legend *lg, const gdv_scene *s, const gdv_style *st,
                            double flow_lo, double flow_hi, gdv_error *err);
/* Sizes the box: GDV_LEGEND_BOTTOM in rows at least avail wide, widened
 * until at most max_h tall; GDV_LEGEND_SIDE in columns at most max_h tall. */
void gdv_legend_fit(gdv_legend *lg, const gdv_style *st, int place, double avail,
                    double max_h);
void gdv_legend_draw(const gdv_legend *lg, cairo_t *cr, const gdv_style *st,
                     gdv_legend_text_fn text, void *ctx);
void gdv_legend_free(gdv_legend *lg);

/* A writer that keeps the drawing's structure (the SVG writer) watches the
 * drawing code instead of a Cairo surface: one drawing code, so the SVG
 * shows what the PNG shows, but as parts (a node, an edge) holding shapes
 * and real text. With a sink nothing is drawn on the Cairo context: its
 * paths are only read. */
typedef enum gdv_part {
  GDV_PART_TITLE, GDV_PART_EDGE, GDV_PART_NODE, GDV_PART_ITEM, GDV_PART_LEGEND
} gdv_part;
typedef struct gdv_draw_sink {
  void *ctx;
  /* the figure: canvas size in points, scale of the figure on it */
  void (*figure)(void *ctx, double canvas_w, double canvas_h, double scale, gdv_rgba bg);
  void (*begin)(void *ctx, gdv_part part, size_t index);
  void (*end)(void *ctx, gdv_part part, size_t index);
  /* one line: baseline's left end at x, baseline; its measured width */
  void (*text)(void *ctx, int kind, int bold, double size, const char *text, double x,
               double baseline, double width, gdv_rgba colour);
  /* cr's current path filled (stroke 0) or stroked in cr's source and pen */
  void (*paint)(void *ctx, cairo_t *cr, int stroke);
  /* a picture of px_w x px_h RGBA colours placed on the box x, y, w, h */
  void (*image)(void *ctx, double x, double y, double w, double h, size_t px_w,
                size_t px_h, const gdv_rgba *px);
  /* cr's path was just made the rounded box x, y, w, h, corner r */
  void (*rounded)(void *ctx, cairo_t *cr, double x, double y, double w, double h, double r);
} gdv_draw_sink;
/* Fills (keeping the path with preserve) or strokes cr's current path: on
 * the surface, or told to the sink attached to cr. Every shape of a figure
 * passes here. */
void gdv_render_fill(cairo_t *cr, int preserve);
void gdv_render_stroke(cairo_t *cr);
/* The sink attached to cr, or NULL (Cairo draws). */
gdv_draw_sink *gdv_render_sink(cairo_t *cr);
/* Attaches a sink to cr (draw/gdv_paint.c). */
void gdv_render_attach_sink(cairo_t *cr, gdv_draw_sink *sink);
/* The superscript digits ⁰ to ⁹ in UTF-8 (style/gdv_render_util.c): not
 * one run of Unicode, so a table, for writing them (gdv_script_digits) and
 * reading them back (the TikZ writer). */
extern const char *const gdv_superscript_digit[10];

/* Sets cr's source colour. */
void gdv_render_set_rgba(cairo_t *cr, gdv_rgba c);

/* A vector sink's fill kept for the stroke that may follow it
 * (draw/gdv_paint.c): the drawing code fills a box, then strokes the same
 * path, and SVG and TikZ write the two as one shape. The format's put
 * writes one shape to its writer w: its path as the format writes it,
 * with a fill, or a stroke (cr's pen and colour), or both. Set put and w,
 * the rest zeroed; free(path.s) frees it; path.failed tells of no memory. */
typedef void (*gdv_put_shape)(void *w, const char *path, const gdv_rgba *fill, cairo_t *cr,
                              const gdv_rgba *stroke);
typedef struct gdv_kept_fill {
  gdv_sbuf path;
  gdv_rgba fill;
  int kept;
  gdv_put_shape put;
  void *w;
} gdv_kept_fill;
/* The sink's paint of `path` (cr's path as the format writes it, not
 * empty): a fill is kept, a stroke of the kept path is written with it,
 * any other shape writes the kept fill alone first. */
void gdv_kept_fill_paint(gdv_kept_fill *k, cairo_t *cr, int stroke, const char *path);
/* Writes the kept fill alone, if any: before anything else is written. */
void gdv_kept_fill_flush(gdv_kept_fill *k);
/* Mixes two colours: t = 0 gives a, 1 gives b. */
gdv_rgba gdv_render_mix(gdv_rgba a, gdv_rgba b, double t);
/* Strokes the current path in colour c, dashed (4 points on, `gap` off)
 * when gap > 0; leaves c as the source for an arrowhead. */
void gdv_render_stroke_path(cairo_t *cr, gdv_rgba c, double width, double gap);
/* The drawing part of the layout dump: the figure's size and page, then
 * its nodes, edges, items, legend and texts as drawn, closing the JSON
 * object formats/gdv_dump.c opened. */
gdv_status gdv_render_dump_drawing(const gdv_scene *s, const gdv_style *st, const gdv_graph *g,
                                   FILE *out, gdv_error *err);
/* Runs the figure's drawing code into a sink, part by part: title, edges
 * (each with its label), nodes, items, legend. */
gdv_status gdv_render_to_sink(const gdv_scene *s, const gdv_style *st, gdv_draw_sink *sink,
                              gdv_error *err);
/* The family Pango resolved the style's font to ("DejaVu Sans"), for
 * writers naming the font; buf gets st->font when it cannot tell. */
void gdv_text_family(const gdv_style *st, char *buf, size_t size);

/* A text as drawn: its box in figure points (left end, top; the same
 * coordinates as --dump-layout), its font size (its em), and whose it is
 * (a gdv_part and that part's index: scene node, scene edge, legend
 * entry, title line, item). */
typedef struct gdv_text_box {
  double x, y, w, h, size;
  uint8_t part;
  size_t index;
} gdv_text_box;
/* A drawn figure's geometry: its size and where the scene, the legend and
 * every text went (figure point = scene point + ox, oy). */
typedef struct gdv_figure_geometry {
  double width, height;      /* the figure, points (the page's aspect) */
  double ox, oy;
  double scale;              /* page points per figure point */
  double legend_x, legend_y, legend_w, legend_h;
  gdv_text_box *texts;
  size_t n_texts, cap_texts;
  int oom;
} gdv_figure_geometry;
/* The figure drawn as every format draws it, nothing kept but geometry. */
gdv_status gdv_render_geometry(const gdv_scene *s, const gdv_style *st, gdv_figure_geometry *g,
                               gdv_error *err);
void gdv_figure_geometry_free(gdv_figure_geometry *g);

/* Text a room reads: 18 px per em on a 1920x1080 slide. */
#define GDV_LEGIBLE_PX_PER_EM 18.0
/* A figure's legibility and traceability, measured on its drawing as
 * tests/render/plan/legible.py measures a dump (gdv_legibility.c). Legible:
 * node and edge text at 18 px/em or more with the figure fitted to a
 * 1920x1080 slide, no text over text, no edge through a node or a text
 * not its own, at most 5% of labels with under 12 pt of line beside
 * them, a legend at most a fifth of the height. Traceable: no two edges
 * running within 3 pt of each other over 30 pt, no two arrowheads into
 * one node closer than 8 pt, no label nearer another edge than its own. */
typedef struct gdv_legibility {
  double width, height;      /* the figure, points */
  double px_per_em;          /* its smallest node or edge text */
  size_t small_texts;        /* node and edge texts under 18 px/em */
  size_t overlaps;           /* pairs of texts */
  size_t through;            /* (edge, foreign node or text) pairs */
  size_t labelled, short_labels;
  double legend_share;
  size_t parallel_runs;      /* pairs of edges */
  size_t close_arrows;       /* pairs of arrowheads */
  size_t unclear_labels;
  long crossings;            /* -1: not counted (too many edges) */
  int legible, traceable;
} gdv_legibility;
gdv_status gdv_figure_legibility(const gdv_scene *s, const gdv_style *st, gdv_legibility *out,
                                 gdv_error *err);
/* The measures as one JSON object (--dump-layout's "measures"). */
void gdv_legibility_json(const gdv_legibility *m, FILE *f);


/* Space between two texts drawn on one line (gdv_scene_line.join). */
#define GDV_JOIN_GAP_EM 0.9
/* The rows of a list of lines: lines joined to the one before share its
 * row. gdv_lines_rows counts them; gdv_lines_row_width measures the row
 * starting at line i (each part in its kind's font, the gaps between) and
 * sets *next to the first line of the next row. */
size_t gdv_lines_rows(const gdv_scene_line *lines, size_t n);
double gdv_lines_row_width(cairo_t *cr, const gdv_style *st, gdv_text_context ctx,
                           const gdv_scene_line *lines, size_t n, size_t i, size_t *next);
/* Where each of a list of lines is drawn: rows stacked and centred on
 * (cx, cy), each row centred (or from the left of a box_w wide box), its
 * parts side by side. The drawing (put_lines) and the worksheets' boxes
 * (scene/gdv_sheet.c) walk the same way: start, then next gives line k's
 * text box (left end x, top y, width w, height h) and leaves cr's font
 * set to its kind's, until it returns 0. */
typedef struct gdv_lines_walk {
  cairo_t *cr;
  const gdv_style *st;
  gdv_text_context ctx;
  const gdv_scene_line *lines;
  size_t n, k, next, row;
  double cx, top, lh, box_w, x;
  int left;
} gdv_lines_walk;
void gdv_lines_walk_start(gdv_lines_walk *w, cairo_t *cr, const gdv_style *st,
                          gdv_text_context ctx, const gdv_scene_line *lines, size_t n, double cx,
                          double cy, double box_w, int left);
int gdv_lines_walk_next(gdv_lines_walk *w, size_t *k, double *x, double *y, double *width,
                        double *height);

/* Text inside an HTML element, '&', '<' and '>' escaped (the pages of
 * formats/gdv_html.c and gdv_sheet_page.c). */
void gdv_html_text(FILE *f, const char *s);

/* An animated GIF (formats/gdv_gif.c) of frames drawn on image surfaces
 * of one size: every frame observed (its colours counted), then every
 * frame added in the same order (the palette is made from the counts
 * before the first), then finished. */
typedef struct gdv_gif gdv_gif;
gdv_gif *gdv_gif_new(void);
gdv_status gdv_gif_observe(gdv_gif *g, cairo_surface_t *frame, gdv_error *err);
gdv_status gdv_gif_add(gdv_gif *g, cairo_surface_t *frame, int delay_cs, FILE *out,
                       gdv_error *err);
gdv_status gdv_gif_finish(gdv_gif *g, gdv_error *err);
void gdv_gif_free(gdv_gif *g);

/* A TikZ picture (formats/gdv_tikz.c): comment is its first line; frames
 * (one scene, changed) after the first are Beamer overlays, a part that
 * stays the same over several written once for all; finish writes it,
 * saying so in a comment with overlays. */
typedef struct gdv_tikz gdv_tikz;
gdv_tikz *gdv_tikz_new(const char *comment);
gdv_status gdv_tikz_frame(gdv_tikz *w, const gdv_scene *s, const gdv_style *st,
                          gdv_error *err);
gdv_status gdv_tikz_finish(gdv_tikz *w, FILE *f, int overlays, gdv_error *err);
void gdv_tikz_free(gdv_tikz *w);

/* Inner padding of edge label boxes. */
#define GDV_EDGE_LABEL_PAD 2.0

#endif
