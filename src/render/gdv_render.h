/*
 * gdv_render.h: annotated figures of a computation graph.
 *
 * Two stages, so that other layers (MNIST, slide frames) can reuse them:
 *
 *   1. a SCENE: plain data describing what to draw. Nodes (box, title, text
 *      lines of known kinds, role for colouring, flags), edges (endpoints,
 *      label lines, |gradient| weight, spline points after layout), extra
 *      items (pictures, heat maps, badges, text boxes), a title and a legend.
 *      gdv_scene_from_graph builds one from an evaluated gdv_graph; any code
 *      may also add to it or edit it (every string is malloc'd and owned by
 *      the scene: replace one with gdv_scene_set_text).
 *   2. LAYOUT fills positions (gdv_layout_dot: Graphviz `dot` through libgvc
 *      with text sizes measured by Cairo; gdv_layout_columns: our own layered
 *      layout for big graphs, a layer is a column), then DRAWING writes a
 *      laid-out scene as PNG or PDF with Cairo, or as SVG written from the
 *      same drawing code with real text and the graph's ids (gdv_svg.c),
 *      through gdv_render_write.
 *
 * Visibility flags (value known, grad known, local known, edge grad known,
 * highlighted) only change what is drawn, never the layout, so a sequence of
 * frames laid out once keeps every box in place.
 *
 * Coordinates are figure points (1/72 inch), origin top-left, y down; node
 * and item positions are centres. Like every library layer this one never
 * prints and never exits.
 */
#ifndef GDV_RENDER_H
#define GDV_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/gdv.h"

/* ------------------------------------------------------------------ */
/* Numbers as figures show them                                        */

/* `precision` significant digits (default 4), trailing zeros dropped, the
 * minus sign U+2212, and for |x| >= 1e6 or 0 < |x| < 1e-4 scientific form
 * with a superscript exponent: "1.234×10⁻⁵". "NaN", "∞", "−∞" for the
 * non-finite. buf needs GDV_NUMBER_MAX bytes. Returns buf. */
#define GDV_NUMBER_MAX 64
char *gdv_figure_number(double x, int precision, char *buf, size_t size);
/* The ranges of the significant digits and of a PNG's resolution, for
 * options, graph attributes and style files alike (messages: the core's
 * gdv_number_in). */
#define GDV_PRECISION_MIN 1
#define GDV_PRECISION_MAX 17
#define GDV_DPI_MIN 10
#define GDV_DPI_MAX 2400

/* ------------------------------------------------------------------ */
/* What a figure shows (--show)                                        */

enum {
  GDV_SHOW_VALUES = 1u << 0,     /* node values */
  GDV_SHOW_GRADS = 1u << 1,      /* node gradients dC/dnode */
  GDV_SHOW_LOCALS = 1u << 2,     /* edge local derivatives dv/du */
  GDV_SHOW_EDGE_GRADS = 1u << 3, /* gradient flowing along each edge */
  GDV_SHOW_SUMS = 1u << 4,       /* fan-out sums written term by term */
  GDV_SHOW_LEGEND = 1u << 5,
  GDV_SHOW_TITLE = 1u << 6,
  GDV_SHOW_FLOW = 1u << 7,       /* edge width/colour from |gradient| */
  GDV_SHOW_OPS = 1u << 8,        /* op symbols in nodes */
  GDV_SHOW_ALL = (1u << 9) - 1,
  /* recorded gradients beside the computed ones (graphs that carry them);
   * not in `all`, and `--show recorded` adds rather than replaces */
  GDV_SHOW_RECORDED = 1u << 9
};

/* Parses a comma list like "values,grads,-locals" or "all" or "none" into
 * *show, starting from its current value (a leading '-' removes, '+' or no
 * sign adds; a list whose first item has no sign replaces). */
gdv_status gdv_show_parse(const char *list, unsigned *show, gdv_error *err);

/* ------------------------------------------------------------------ */
/* Styles (styles/NAME.style: `key = value`, `#` comments)             */

typedef struct gdv_rgba {
  double r, g, b, a;
} gdv_rgba;

typedef struct gdv_style {
  char name[64];
  char font[64];            /* family for Pango (fallback fonts add other scripts) */
  double font_size;         /* node text, points */
  double title_size;        /* figure title */
  double edge_font_size;    /* edge labels */
  double node_pad;          /* inner padding of a node box */
  double node_radius;       /* corner radius */
  double line_width;        /* node outlines */
  double edge_width;        /* edges without flow scaling */
  double edge_width_max;    /* widest flow edge */
  double rank_sep;          /* points between layers */
  double node_sep;          /* points between nodes of a layer */
  double margin;            /* around the figure */
  gdv_rgba background;
  gdv_rgba text;            /* names, titles */
  gdv_rgba forward;         /* values and local derivatives */
  gdv_rgba backward;        /* gradients */
  gdv_rgba sum;             /* fan-out sums */
  gdv_rgba node_fill;       /* op nodes */
  gdv_rgba node_stroke;
  gdv_rgba input_fill;
  gdv_rgba param_fill;
  gdv_rgba const_fill;
  gdv_rgba output_stroke;
  gdv_rgba edge;            /* edge colour without flow */
  gdv_rgba flow_lo;         /* smallest |gradient| */
  gdv_rgba flow_hi;         /* largest |gradient| */
  gdv_rgba grey;            /* nodes that do not reach the output */
  gdv_rgba highlight;       /* --highlight paths, the frame's node */
  gdv_rgba nonfinite;       /* NaN / infinity flag */
  gdv_rgba legend_fill;
  gdv_rgba recorded_wrong;  /* a recorded gradient that is wrong, its edges */
  unsigned show;            /* default GDV_SHOW_* set */
  int precision;            /* default significant digits */
} gdv_style;

/* The built-in default (colour-blind safe, the same as styles/default). */
void gdv_style_default(gdv_style *st);
/* NAME (found in $GRADVIZ_STYLE_PATH, then GDV_PKGDATADIR/styles, then
 * styles/ beside the running binary in a build tree) or FILE (contains '/'
 * or ends in ".style"). Errors name FILE:LINE for unknown keys and bad
 * values. */
gdv_status gdv_style_load(const char *name_or_path, gdv_style *st,
                          gdv_error *err);
/* The file gdv_style_load reads for NAME_OR_PATH (malloc'd), or NULL. */
char *gdv_style_file(const char *name_or_path);
/* GDV_PKGDATADIR/SUBDIR/FILE if installed, else TREE_SUBDIR/FILE beside the
 * running binary (a build tree); a malloc'd path, or NULL if neither is
 * readable. No build path is compiled in, so builds are reproducible. */
char *gdv_data_file(const char *subdir, const char *tree_subdir, const char *file);
/* A style file a graph file names (its gradviz_style): REL below the
 * folder of GRAPH_PATH ("-": the working folder), reached through no
 * symbolic link (each component opened with O_NOFOLLOW) and a regular
 * file; its errors never quote the file's text, only known keys. */
gdv_status gdv_style_load_beside(const char *graph_path, const char *rel, gdv_style *st,
                                 gdv_error *err);
/* When no family of the style's font is installed: 1, and buf says which
 * font draws instead and the closest installed family ("font 'X' is not
 * installed: drawing with 'DejaVu Sans'"); else 0. Never prints. */
int gdv_text_font_warning(const gdv_style *st, char *buf, size_t size);
/* Applies the text of a style file on top of *st (file names messages). */
gdv_status gdv_style_parse(const char *file, const char *text, gdv_style *st,
                           gdv_error *err);

/* ------------------------------------------------------------------ */
/* Pages (--page)                                                      */

/* The page a figure is made for: it sets the PDF page size and the aspect
 * of every format (the figure is scaled to fit, centred), and the layout
 * aims for its aspect. width 0: none, the figure's natural size. */
typedef struct gdv_page {
  double width, height;    /* points */
  double max_scale;        /* a small figure grows at most this much; 0: any */
  char name[40];           /* as given: "slide", "a4", "1920x1080pt" */
  /* the smallest node and edge text the planner calls legible, in px per
   * em with the figure fitted to a 1920x1080 slide (--text-size, made so
   * by gdv_page_px_per_em); 0: GDV_LEGIBLE_PX_PER_EM (18, 9 pt on a
   * slide). The page is a field of gdv_scene_options and is copied into
   * every scene, so the planner and the measures read it there. */
  double legible_px;
} gdv_page;
/* The most a small figure is enlarged on a named page: its text at twice
 * the style's size (44 px per em on a 1920x1080 slide) is big enough. */
#define GDV_PAGE_MAX_SCALE 2.0
/* slide (960x540 pt, 16:9), beamer (Beamer's default 4:3 frame, 128x96
 * mm), beamer169 (its 16:9 frame, 160x90 mm), a4, letter (portrait),
 * a4-landscape, letter-landscape, none, or WxH with a unit: px (the PNG's
 * pixels at dpi), pt, mm, cm, in. */
gdv_status gdv_page_parse(const char *spec, double dpi, gdv_page *page, gdv_error *err);
void gdv_page_none(gdv_page *page);
/* Text of `points` on the page in the legibility measures' px per em (on
 * a 1920x1080 slide fitted with the page); without a page, as on a slide. */
double gdv_page_px_per_em(const gdv_page *page, double points);
/* The threshold of legible text on the page: legible_px, else 18. */
double gdv_page_legible_px(const gdv_page *page);
/* Graphviz's size attribute ("7.5,10", "4!"); 0 when it is not one. */
int gdv_page_from_graphviz_size(const char *size, gdv_page *page);
/* A figure of natural size w x h on the page: returns the scale it is
 * drawn at and sets the extent (figure points, the page's aspect) that
 * holds it centred; no page: 1 and w x h. */
double gdv_page_fit(const gdv_page *page, double w, double h, double *ext_w, double *ext_h);

/* ------------------------------------------------------------------ */
/* The scene                                                           */

typedef enum gdv_text_kind {
  GDV_TEXT_NAME = 0,   /* node title */
  GDV_TEXT_OP,         /* op symbol */
  GDV_TEXT_VALUE,      /* shown when GDV_NODE_VALUE_KNOWN */
  GDV_TEXT_GRAD,       /* shown when GDV_NODE_GRAD_KNOWN */
  GDV_TEXT_SUM,        /* fan-out sum; shown when GDV_NODE_GRAD_KNOWN */
  GDV_TEXT_LOCAL,      /* edge; shown when GDV_EDGE_LOCAL_KNOWN */
  GDV_TEXT_EDGE_GRAD,  /* edge; shown when GDV_EDGE_GRAD_KNOWN */
  GDV_TEXT_NOTE,       /* always shown, plain text colour */
  GDV_TEXT_TITLE,      /* big */
  GDV_TEXT_KIND_COUNT
} gdv_text_kind;

typedef struct gdv_scene_line {
  char *text;          /* UTF-8, owned */
  uint8_t kind;        /* gdv_text_kind */
  uint8_t join;        /* 1: drawn on the line before, after it (a value
                          and its gradient side by side); the pair is
                          centred as one */
} gdv_scene_line;

typedef enum gdv_node_kind {
  GDV_KIND_OP = 0, GDV_KIND_INPUT, GDV_KIND_PARAM, GDV_KIND_CONST,
  GDV_KIND_ELLIPSIS    /* "⋯ 776 more": a stand-in for elided nodes */
} gdv_node_kind;

typedef enum gdv_node_shape {
  GDV_SHAPE_BOX = 0,   /* rounded box with text lines */
  GDV_SHAPE_DOT,       /* small circle, no text (big graphs); as wide as
                          the font is high, or as w when set before layout */
  GDV_SHAPE_PLAIN      /* text only, no outline (ellipsis nodes) */
} gdv_node_shape;

/* Node flags. */
enum {
  GDV_NODE_VALUE_KNOWN = 1u << 0,
  GDV_NODE_GRAD_KNOWN = 1u << 1,
  GDV_NODE_HIGHLIGHT = 1u << 2,     /* emphasised (frame focus, paths) */
  GDV_NODE_GREYED = 1u << 3,        /* does not reach the output */
  GDV_NODE_NONFINITE = 1u << 4,     /* value or grad is NaN or infinite */
  GDV_NODE_OUTPUT = 1u << 5,        /* the cost C */
  GDV_NODE_HIDE_TEXT = 1u << 6,     /* keep the box, draw no lines */
  GDV_NODE_HIDDEN = 1u << 7,        /* not drawn at all (keeps its place) */
  GDV_NODE_CUSTOM_FILL = 1u << 8,   /* use node.fill instead of the style */
  GDV_NODE_ON_PATH = 1u << 9,       /* on a --highlight path */
  GDV_NODE_NONFINITE_ORIGIN = 1u << 10, /* with NONFINITE: the NaN or infinity
                                         * arises here, not from a neighbour */
  GDV_NODE_NONFINITE_VALUE = 1u << 11, /* with NONFINITE: the value is (else
                                        * only the gradient) */
  GDV_NODE_RECORDED_WRONG = 1u << 12,  /* its recorded gradient is not the
                                        * computed one (gdv_recorded_check) */
  GDV_NODE_SUM_KNOWN = 1u << 13        /* its fan-out sum is shown though its
                                        * gradient is not yet (a frame's
                                        * partial sum: its terms so far) */
};

typedef struct gdv_scene_node {
  gdv_id graph_node;   /* the gdv_graph node, or GDV_NONE (synthetic) */
  char *id;            /* unique name (for dumps and DOT), owned */
  gdv_scene_line *lines;
  size_t n_lines;
  uint8_t kind;        /* gdv_node_kind */
  uint8_t shape;       /* gdv_node_shape */
  uint32_t flags;
  int layer;           /* column for gdv_layout_columns; -1: computed;
                          gdv_layout_layers sets the layer it chose */
  double order;        /* hint for the order within a layer (lower first) */
  gdv_rgba fill;       /* with GDV_NODE_CUSTOM_FILL */
  size_t wrap;         /* the line width its sums were wrapped to (0: one
                          line), so a frame's partial sum breaks alike */
  /* filled by layout (w, h also by gdv_scene_measure) */
  double x, y, w, h;
} gdv_scene_node;

/* Edge flags. */
enum {
  GDV_EDGE_LOCAL_KNOWN = 1u << 0,
  GDV_EDGE_GRAD_KNOWN = 1u << 1,
  GDV_EDGE_HIGHLIGHT = 1u << 2,
  GDV_EDGE_GREYED = 1u << 3,
  GDV_EDGE_NONFINITE = 1u << 4,
  GDV_EDGE_HIDDEN = 1u << 5,
  GDV_EDGE_ON_PATH = 1u << 6,
  GDV_EDGE_RECORDED_WRONG = 1u << 7   /* out of a RECORDED_WRONG node: the
                                       * terms its recorded grad should sum */
};

typedef struct gdv_scene_edge {
  size_t from, to;     /* scene node indices */
  gdv_id graph_edge;   /* or GDV_NONE */
  gdv_scene_line *lines;  /* label lines (may be empty) */
  size_t n_lines;
  uint32_t flags;
  double weight;       /* |gradient| for flow width and colour; < 0: none */
  double local, grad;  /* the numbers its label shows (from a graph:
                          d to/d from, through a collapsed group where it
                          enters one, and the gradient along it) */
  /* filled by layout: cubic Bezier control points, 3k+1 of them (x, y
   * pairs), from the tail to the arrow's base; the arrow tip at tip_x/y */
  double *pts;
  size_t n_pts;
  double tip_x, tip_y;
  double label_x, label_y, label_w, label_h;  /* label box centre, size */
  size_t count;        /* parallel graph edges with the same numbers this
                          one edge stands for (see parallel_max); 0 or 1:
                          itself only */
} gdv_scene_edge;

typedef enum gdv_item_kind {
  GDV_ITEM_BOX = 0,    /* a text box (path lists, notes) */
  GDV_ITEM_BADGE,      /* a small rounded tag (per-layer badges) */
  GDV_ITEM_IMAGE,      /* greyscale picture: pixels 0..1, 0 white, 1 black */
  GDV_ITEM_HEATMAP,    /* signed values: diverging colours, 0 white */
  GDV_ITEM_TEXT,       /* words where a node's or label's line would be:
                          its lines in that font and their kinds' colours,
                          from the left end x - w/2, no box (worksheets) */
  GDV_ITEM_BLANK       /* a write-in box on the background; its lines (an
                          answer) centred in the same font, a NOTE line
                          (a hint) in grey (worksheets, gdv_sheet.h) */
} gdv_item_kind;

typedef struct gdv_scene_item {
  uint8_t kind;        /* gdv_item_kind */
  gdv_scene_line *lines;  /* BOX/BADGE text; IMAGE/HEATMAP caption */
  size_t n_lines;
  size_t px_w, px_h;   /* IMAGE/HEATMAP: pixel grid, row-major */
  double *pixels;      /* owned; px_w * px_h values */
  double scale;        /* HEATMAP: |value| drawn at full colour; 0: max */
  uint8_t edge_font;   /* TEXT, BLANK: 1 an edge label's font, 0 a node's */
  uint8_t stands_for;  /* BLANK: the gdv_text_kind of the line whose number
                          it holds (the legend names it, sheet and key alike) */
  /* centre and size; w, h 0: from the text (or 4 points a pixel, caption
   * below); x, y NaN (as gdv_scene_add_item leaves them): placed by the
   * layout below the graph, one under the other. Items may be placed
   * anywhere after layout (e.g. left of the input column): the drawing's
   * extent grows to hold everything. */
  double x, y, w, h;
} gdv_scene_item;

/* Where the legend goes (--legend): below the graph (default), in a
 * column at its right, or not drawn (as --show=-legend). */
typedef enum gdv_legend_place {
  GDV_LEGEND_BOTTOM = 0, GDV_LEGEND_SIDE, GDV_LEGEND_NONE
} gdv_legend_place;
/* "bottom", "side", "none"; returns 0 when unknown. */
int gdv_legend_place_lookup(const char *name, gdv_legend_place *out);

/* The least extent of a figure's parts (points): a sequence drawn from one
 * layout (frames) takes the largest over all its figures, so that every
 * figure has one size and every node one place on the page; zeros (as
 * gdv_scene_new leaves them) change nothing. */
typedef struct gdv_figure_floor {
  double inner_w;      /* content, title and legend, between the margins */
  double title_h;      /* the title's lines */
  double legend_w, legend_h;  /* the legend's box */
} gdv_figure_floor;

typedef struct gdv_scene {
  gdv_scene_node *nodes;
  size_t n_nodes, cap_nodes;
  gdv_scene_edge *edges;
  size_t n_edges, cap_edges;
  gdv_scene_item *items;
  size_t n_items, cap_items;
  char *title;         /* NULL: none */
  unsigned show;       /* GDV_SHOW_* the scene was built with */
  int precision;
  int rank_lr;         /* 1: layers left to right (LR), 0: top to bottom */
  int rank_auto;       /* --rankdir auto: layout picks the direction that
                          fits the page */
  gdv_page page;       /* what the figure is made for; none: natural size */
  size_t bands;        /* after gdv_plan_page or gdv_layout_fold: rows (LR) or columns (TB)
                          the ranks were folded into; 1: not folded */
  size_t fold_crossings;  /* edges routed around a fold (each crossing) */
  double flow_lo, flow_hi;  /* |gradient| range for flow; 0, 0: automatic */
  int legend_place;    /* gdv_legend_place: where the legend goes (0, as
                          gdv_scene_new leaves it: bottom); code may set it
                          (e.g. side for a tall figure on a wide page) */
  int terse_labels;    /* edge labels are bare numbers (see the options) */
  int pair_lines;      /* values and gradients side by side (options) */
  int stagger_labels;  /* edge labels at two depths where their stack stands
                          taller than their node (options) */
  int tall_slots;      /* set by the layers layout: some node's labelled
                          edges stand taller than the node (staggering
                          them would shorten its layer) */
  int late_layers;     /* the layers layout puts an operation whose
                          consumers all stand two or more layers on just
                          before the first of them, not just after its
                          operands (a side term beside the cost it adds
                          to, so the columns of operands stand less tall) */
  int layer_slack;     /* set by the layers layout: some operation could
                          stand later (late_layers would change the figure) */
  int hold_layers;     /* the layers layout holds every layer within the
                          reach across of the tallest one */
  double layer_overhang;  /* set by the layers layout: how far (points
                          across) the layers reach past the tallest one's
                          reach, both sides added (what hold_layers saves) */
  int bus_gaps;        /* the layers layout routes a gap whose edges would
                          cross at shallow angles as buses: each tail's
                          edges down one trunk to a track of their own
                          across the gap, and down to their heads from it,
                          so every crossing is a right angle */
  size_t shallow_gaps; /* set by the layers layout: gaps whose edges would
                          cross at shallow angles (where bus_gaps changes
                          the figure) */
  int step_frame;      /* 1: a frame of --steps; its GDV_NODE_HIGHLIGHT
                          node is the current step (the legend says so) */
  gdv_figure_floor floor;  /* see gdv_render_figure_floor */
  /* filled by layout: the drawing's extent before margins and legend */
  double width, height;
  int laid_out;
  /* when some graph edges were merged (see parallel_max), else NULL:
   * edge_group as gdv_parallel_groups gives it (per graph edge the size of
   * the group it leads, 0 when merged; then each one's leader), and
   * edge_scene: per graph edge the scene edge that draws it; owned */
  size_t *edge_group;
  size_t *edge_scene;
  /* figures built on render (MNIST) explaining their own notation: extra
   * legend entries, pairs of lines (a sample in its kind's colour, then
   * what it means; NULL: none), and the meaning of a GDV_NODE_HIGHLIGHT
   * outline outside frames, shown with its swatch when a node has it
   * (NULL: no entry); owned */
  gdv_scene_line *legend_notes;
  size_t n_legend_notes;
  char *legend_highlight;
  /* 1: the caller strokes the edges itself (the MNIST figure's own PNG
   * lines): everything else, the legend and the extent included, is drawn
   * as if the edges were */
  int edges_by_caller;
  /* collapsed scenes (some group drawn as one node, see
   * gdv_scene_options.expand), else NULL and 0: node_scene gives per graph
   * node the scene node that draws it (a collapsed group's members: the
   * group's node; SIZE_MAX for a literal constant such as the 3 of
   * `mu = (a + b + c) / 3`, used by that group only and written in its
   * equation, which is drawn as no node); edge_group then also merges a
   * node's edges into a collapsed group into one (edge_scene is SIZE_MAX
   * for edges inside one, or from such a literal), and edge_summed marks those merges, whose term in a fan-out sum
   * is edge_term (per graph edge: the sum of the merged edges' grads), not
   * count x grad; n_collapsed counts the groups drawn as one node. */
  size_t *node_scene;
  uint8_t *edge_summed;
  double *edge_term;
  size_t n_collapsed;
  /* how the planner found this figure: candidates laid out and figures
   * measured (0, 0 for a scene it did not plan) */
  size_t plan_layouts, plan_measured;
  /* the graph a scene was built from has this many nodes and edges (the
   * maps above are that long); 0 for scenes built by hand */
  size_t n_graph_nodes, n_graph_edges;
} gdv_scene;

typedef struct gdv_scene_options {
  unsigned show;           /* GDV_SHOW_* */
  int precision;           /* significant digits, default 4 */
  const char *highlight;   /* node name, or NULL: --highlight */
  size_t max_paths;        /* paths listed for --highlight (default 8) */
  size_t parallel_max;     /* more parallel edges than this with the same
                              numbers are drawn as one edge marked with their
                              count (default 8); 0: never merge */
  /* gdv_parallel_groups of the graph at these options, worked out once by
   * a caller that builds many scenes of one graph (the planner); NULL with
   * parallel_known 0: each build works it out */
  const size_t *parallel_groups;
  int parallel_known;
  gdv_page page;           /* copied into the scene (default none) */
  int rankdir;             /* GDV_RANKDIR_*: 0 the graph's (else LR) */
  int legend_place;        /* gdv_legend_place, copied into the scene */
  /* Level of detail: per group of the graph (g->n_groups entries), 1 drawn
   * in full, 0 collapsed into one node that shows the group's label (its
   * equation), the value of its exit and dC/d(exit); each node u feeding it
   * gets one edge into it carrying d(exit)/du through the group and the
   * gradient through it (gdv_group_input). NULL: every group in full,
   * today's figure. A group with several exits is always drawn in full
   * (collapsing it would need one number per exit). */
  const uint8_t *expand;
  /* 1: expand is the reader's choice (--expand, gradviz_expand; NULL then
   * means every group in full): the planner keeps it; 0: the planner
   * chooses the detail (expand is ignored) */
  int expand_given;
  /* the caller's gdv_groups_analyse of the graph, to build many scenes of
   * one graph cheaply (NULL: computed here when expand is set) */
  const gdv_groups *groups;
  /* A fan-out sum or a group's equation longer than this many characters
   * is written on the fewest balanced lines of at most that many (the
   * planner picks the width layer by layer); the leaves listed inside a
   * group wrap to the
   * equation's widest line. A page too small for the figure tries
   * narrower widths (gdv_scene_legible). 0: one line, as frames need
   * (they rewrite one sum line as terms arrive). */
  size_t text_wrap;
  /* 1: edge labels as bare numbers (local above, gradient below, in
   * their colours, the legend saying which), the room a dense figure may
   * need; 0: "local 0.5" and "grad 0.25" */
  int terse_labels;
  /* 1: a node's gradient on its value's line, and a group's listed nodes
   * one a row (value, then gradient), where the line width allows */
  int pair_lines;
  /* 1: the labels of edges into a node whose labels stand taller than
   * the node are set at two depths, alternately, on their straight
   * stretches (half the stack across, a second column along) */
  int stagger_labels;
  /* per graph node, a width that replaces text_wrap for the node drawing
   * it (a collapsed group's: its exit's), 0 for text_wrap; NULL: none.
   * The planner narrows the lines of layers with height to spare. */
  const size_t *node_wrap;
  /* per graph node, 1 where the recorded gradient is wrong (the
   * gdv_rec_result's wrong_grad); NULL: none marked */
  const uint8_t *recorded_wrong;
} gdv_scene_options;

/* --rankdir: the graph's own (0), left to right, top to bottom, or the
 * one that fits the page best even when the graph names one. */
enum { GDV_RANKDIR_GRAPH = 0, GDV_RANKDIR_LR, GDV_RANKDIR_TB, GDV_RANKDIR_AUTO };

void gdv_scene_options_default(gdv_scene_options *opt);

/* --expand: "all" (*mask NULL), "none" (every group collapsed), or a comma
 * list of group names drawn in full, the others collapsed; *mask is
 * malloc'd, g->n_groups entries, NULL also when the graph has no groups.
 * An unknown name is GDV_ERR_INPUT naming the groups there are. */
gdv_status gdv_expand_parse(const gdv_graph *g, const char *list, uint8_t **mask,
                            gdv_error *err);

gdv_status gdv_scene_new(gdv_scene **out, gdv_error *err);
void gdv_scene_free(gdv_scene *s);
/* A deep copy (every string, point, pixel and map), laid out or not: the
 * frames of --steps change a copy of the figure, never the figure. */
gdv_status gdv_scene_clone(const gdv_scene *s, gdv_scene **out, gdv_error *err);
/* Whether node n draws a line of this kind now, and edge e a label line:
 * values once known, gradients and sums once known (a partial sum with
 * GDV_NODE_SUM_KNOWN), the NaN note with its mark; every drawing and the
 * legend go by these. */
int gdv_node_line_shown(const gdv_scene_node *n, int kind);
int gdv_edge_line_shown(const gdv_scene_edge *e, int kind);
/* Builds the standard annotated scene of an evaluated graph (after
 * gdv_forward and gdv_backward): every node, edge and flag, all known. An
 * unknown highlight node is GDV_ERR_INPUT, and so is a highlight in a
 * scene that collapses a group. Node i of the scene is node i of the
 * graph, edge j is edge j, unless a group is collapsed (then node_scene
 * and edge_scene say which) or parallel edges merged (edge_scene). */
gdv_status gdv_scene_from_graph(const gdv_graph *g, const gdv_scene_options *opt,
                                gdv_scene **out, gdv_error *err);

/* Building and editing. Each returns the new index in *idx (may be NULL).
 * New nodes have GDV_NODE_VALUE_KNOWN | GDV_NODE_GRAD_KNOWN, layer -1 and
 * order = their index; new edges have both "known" flags and weight -1 (no
 * flow); ellipsis nodes get GDV_SHAPE_PLAIN, others GDV_SHAPE_BOX. */
gdv_status gdv_scene_add_node(gdv_scene *s, const char *id, gdv_node_kind kind,
                              size_t *idx, gdv_error *err);
gdv_status gdv_scene_add_edge(gdv_scene *s, size_t from, size_t to,
                              size_t *idx, gdv_error *err);
gdv_status gdv_scene_add_item(gdv_scene *s, gdv_item_kind kind, size_t *idx,
                              gdv_error *err);
/* Every node's out-edges, in edge order: node v's are out[start[v]] ..
 * out[start[v + 1] - 1] (start: n_nodes + 1 entries, out: n_edges; the
 * caller frees both). Returns 0 when out of memory (both NULL). */
int gdv_scene_out_edges(const gdv_scene *s, size_t **start, size_t **out);
/* Appends a line to a node, an edge or an item (pass the arrays' fields). */
gdv_status gdv_scene_add_line(gdv_scene_line **lines, size_t *n_lines,
                              gdv_text_kind kind, const char *text,
                              gdv_error *err);
/* Replaces *slot by a copy of text (frames rewriting a line). */
gdv_status gdv_scene_set_text(char **slot, const char *text, gdv_error *err);
/* Rewrites node v's fan-out sum line (if any) showing only the first
 * `known` terms, "?" for the others, and the total only when all are known:
 * for frames filling sums term by term. The terms are v's out-edges into
 * nodes that reach the output, in consumer (topological) order, which is
 * the order the backward pass computes them in. */
gdv_status gdv_scene_sum_partial(gdv_scene *s, const gdv_graph *g, size_t v,
                                 size_t known, gdv_error *err);
/* The same line for frames: the terms whose graph edge is marked in
 * edge_known (they arrive in any order), "?" for the others, and no total
 * even when all are there (it belongs to v's own step). */
gdv_status gdv_scene_sum_arrived(gdv_scene *s, const gdv_graph *g, size_t v,
                                 const uint8_t *edge_known, gdv_error *err);
/* Groups of more than max_parallel edges u -> v whose local derivative and
 * gradient read the same to `precision` significant digits (0: bit-identical
 * numbers): *group gets one entry per graph edge, the size
 * of the group it leads (its first edge in graph order; 1 when alone) or 0
 * when merged into an earlier one, then (from index n_edges) one more per
 * edge: the edge leading its group (itself when it leads); NULL (nothing
 * allocated) when no group is that big or max_parallel is 0. */
gdv_status gdv_parallel_groups(const gdv_graph *g, size_t max_parallel, int precision,
                               size_t **group, gdv_error *err);
/* Sets every node's and edge's "known" flags on or off at once. */
void gdv_scene_set_known(gdv_scene *s, int values, int grads);

/* ------------------------------------------------------------------ */
/* Layout                                                              */

/* Fills w, h of every node, edge label and item from its text, measured
 * with Cairo (hint metrics off, so sizes match in every format). Layout
 * functions call it; call it yourself only to change sizes before layout. */
gdv_status gdv_scene_measure(gdv_scene *s, const gdv_style *st, gdv_error *err);

/* Graphviz `dot` through libgvc: our sizes as fixed node sizes and empty
 * fixed-size HTML edge labels, then positions, splines and label centres
 * read back. Fine up to about 2,000 nodes. */
gdv_status gdv_layout_dot(gdv_scene *s, const gdv_style *st, gdv_error *err);

/* A layered layout in which each edge's label sits on a straight stretch
 * just before its arrowhead, at a slot of its own on the node it enters
 * (gdv_layout_layers.c): dense layers whose edges can be followed. */
gdv_status gdv_layout_layers(gdv_scene *s, const gdv_style *st, gdv_error *err);

/* Our own layered layout for big graphs: a layer is a column (a row when
 * !rank_lr); layer = node.layer, or the longest path from a source when -1;
 * order within a layer from node.order, then a few barycentre sweeps;
 * straight edges; edge labels at the middle of their edge. Linear time per
 * sweep, no recursion. */
typedef struct gdv_columns_options {
  int sweeps;          /* barycentre sweeps (default 4); 0 keeps node.order */
  double layer_gap;    /* points between columns; 0: style rank_sep */
  double node_gap;     /* points between nodes in a column; 0: node_sep */
} gdv_columns_options;
gdv_status gdv_layout_columns(gdv_scene *s, const gdv_style *st,
                              const gdv_columns_options *opt, gdv_error *err);



/* Folds a laid-out scene into `bands` rows (columns when top to bottom)
 * and places its items below (every item anew); *done 0, the scene as it
 * was, when it has too few gaps for them. */
gdv_status gdv_layout_fold(gdv_scene *s, const gdv_style *st, size_t bands, int *done,
                           gdv_error *err);

/* ------------------------------------------------------------------ */
/* The figure planner (gdv_plan.c)                                     */

/* The layout engine (--layout): layers (ours, labels at their arrowheads)
 * up to 2,000 nodes and columns beyond (auto), or one of them. */
typedef enum gdv_engine {
  GDV_ENGINE_AUTO = 0, GDV_ENGINE_LAYERS, GDV_ENGINE_DOT, GDV_ENGINE_COLUMNS
} gdv_engine;

/* Up to this many nodes auto is layers, beyond it columns. */
#define GDV_LAYERS_MAX_NODES 2000

/* The layout for the scene's page with one engine: without a page, the
 * engine's layout as it is; with one, the direction (when the input chose
 * none) and the fold into rows or columns that draw the whole figure
 * largest on the page (up to 6 rows; crossing edges routed around the
 * rows). Figures of gdv_plan_figure are laid out already; this is for the
 * others (the frames of --steps, figures drawn without a plan). */
gdv_status gdv_plan_page(gdv_scene *s, const gdv_style *st, gdv_engine engine, gdv_error *err);

/* What the planner did and reached. */
typedef struct gdv_plan_report {
  int planned;             /* 1: candidates were searched (a page, a graph
                              of at most 2,000 nodes, no --highlight) */
  int legible, traceable;  /* the chosen figure's (see gdv_legibility) */
  double px_per_em;        /* its smallest node or edge text on a slide */
  size_t collapsed;        /* groups drawn as one node */
  size_t bands;            /* rows (columns) the layers fold into */
  int lr;                  /* left to right, else top to bottom */
  size_t text_wrap;        /* line width chosen */
  size_t layouts, measured;  /* candidates laid out, figures measured */
  int budget_spent;        /* the search stopped at its work budget */
} gdv_plan_report;

/* The figure of an evaluated graph for its page: among the candidates
 * that keep the graph's lesson (every named node's value and gradient,
 * every fan-out sum term by term, every drawn edge's numbers), the
 * legible one, then the traceable one, of least reading cost; when none
 * is legible, the best found (rep says so). opt->expand, when set, fixes
 * the detail; a graph's or the options' rankdir the direction. Without a
 * page, with --highlight, or past 2,000 nodes: one layout as given. The
 * budget counts work, not time: the same graph gives the same figure. */
gdv_status gdv_plan_figure(const gdv_graph *g, const gdv_scene_options *opt, const gdv_style *st,
                           gdv_engine engine, gdv_scene **out, gdv_plan_report *rep,
                           gdv_error *err);

/* Before layout, in linear time (no text is measured): GDV_ERR_INPUT
 * with one line saying what would help (--layout columns, a lower --dpi,
 * SVG or PDF) when a PNG at dpi cannot hold the figure even at the least
 * extent its boxes need (columns: 1 for gdv_layout_columns, whose layers
 * are known; 0 for dot, bounded by the boxes' area). A lower bound: it
 * never refuses a figure that would fit. */
gdv_status gdv_scene_fit_png(const gdv_scene *s, const gdv_style *st, int columns, double dpi,
                             gdv_error *err);
/* Before layout, in linear time: the largest text (pixels per em of the
 * smaller font, at dpi) any layout of the scene can have on its page;
 * infinite without a page. Under 1 the figure is invisible whatever the
 * layout does. */
double gdv_scene_text_ceiling(const gdv_scene *s, const gdv_style *st, double dpi);
/* True while gdv_layout_dot is inside Graphviz: a fault handler reads it
 * to say where a crash happened (async-signal-safe). */
int gdv_layout_dot_busy(void);
/* The XML 1.0 form of the UTF-8 character at p: its byte length in *len,
 * and NULL when its bytes go out as they are, else their replacement
 * (&amp; &lt; &gt; &quot;, or U+FFFD for a control character, a
 * noncharacter such as U+FFFE, U+FFFF and U+FDD0..U+FDEF, or a byte that
 * is not UTF-8: what XML forbids and what a reader could take for markup). */
const char *gdv_xml_char(const char *p, size_t *len);

/* ------------------------------------------------------------------ */
/* Drawing and files                                                   */

/* HTML is an interactive page (gdv_html_write): the teach layer
 * assembles it, since it holds the --steps frames too. */
/* GIF is an animation of the --steps frames (gdv_anim; one frame through
 * gdv_render_write), TEX a TikZ picture (gdv_tikz.c; the frames as Beamer
 * overlays through gdv_anim). */
typedef enum gdv_figure_format {
  GDV_FIGURE_PNG = 0, GDV_FIGURE_SVG, GDV_FIGURE_PDF, GDV_FIGURE_DOT, GDV_FIGURE_HTML,
  GDV_FIGURE_GIF, GDV_FIGURE_TEX
} gdv_figure_format;
/* "png" -> GDV_FIGURE_PNG; returns 0 when unknown. */
int gdv_figure_format_lookup(const char *name, gdv_figure_format *out);
/* From a file name's suffix (.png .svg .pdf .dot .gv .html .gif .tex); 0
 * when none. */
int gdv_figure_format_from_path(const char *path, gdv_figure_format *out);

typedef struct gdv_render_meta {
  double dpi;              /* PNG: pixels = points * dpi / 72 (default 144) */
  const char *software;    /* PNG tEXt Software, e.g. "gradviz 0.1.0" */
  const char *source;      /* PNG iTXt "Source" (compressed); NULL: none */
  const char *title;       /* PNG tEXt Title / PDF title; NULL: scene's */
  /* SVG only: */
  const char *id_prefix;   /* every id starts with it (gdv_svg_prefix); NULL: "fig-" */
  const struct gdv_graph *graph;  /* the scene's graph: titles in words; NULL: lines */
  const char *name;        /* the figure's name in its <title> ("neuron"); NULL: none */
} gdv_render_meta;

/* Draws a laid-out scene to f as PNG, SVG or PDF (same bytes for the same
 * scene). The legend is drawn when the scene's show has GDV_SHOW_LEGEND. */
gdv_status gdv_render_write(const gdv_scene *s, const gdv_style *st,
                            gdv_figure_format fmt, const gdv_render_meta *meta,
                            FILE *f, gdv_error *err);
/* Animations: the frames of one layout (render --steps) in one file. GIF:
 * every frame drawn as PNG would draw it, one palette for all (two
 * passes: the colours, then the pixels), frame_ms a frame and last_ms on
 * the last, looping forever. TEX: one TikZ picture, each frame a Beamer
 * overlay (\only<k>). Frames come in order, pass after pass, each laid
 * out alike (one size); finish completes the file on out. */
typedef struct gdv_anim gdv_anim;
gdv_status gdv_anim_new(gdv_figure_format fmt, const gdv_style *st, const gdv_render_meta *meta,
                        int frame_ms, int last_ms, FILE *out, gdv_anim **a, gdv_error *err);
/* How many times the frames must be handed over (GIF 2, TEX 1). */
int gdv_anim_passes(const gdv_anim *a);
/* Frame k (0-based) of n, in the given pass. */
gdv_status gdv_anim_frame(gdv_anim *a, int pass, const gdv_scene *frame, size_t k, size_t n,
                          gdv_error *err);
gdv_status gdv_anim_finish(gdv_anim *a, gdv_error *err);
void gdv_anim_free(gdv_anim *a);
/* While on, every text line shaped is kept until this is called with 0
 * (which frees them): a figure written in several formats (batch's
 * `--formats png,svg,pdf`) then shapes each of its lines once, not once a
 * format. Text widths are remembered whether on or not (up to a bound),
 * and forgotten by 0 too. Drawing and sizes are the same either way. */
void gdv_render_keep_text(int on);
/* Draws a laid-out scene as the next page of a caller's Cairo PDF surface
 * (sized to the figure, then shown): multi-page documents such as the
 * frames of `render --steps`. */
/* The |gradient| range that flow width and colour span when the scene
 * fixes none (flow_hi <= 0): the edges' smallest and largest, the bottom
 * at most six decades down; 0, 0 when no edge has a gradient. */
void gdv_scene_flow_range(const gdv_scene *s, double *lo, double *hi);

/* Writes an RGB24 Cairo image surface as PNG with libpng: pHYs from
 * meta->dpi, tEXt Software, iTXt Title and the compressed iTXt Source. For
 * figures drawn outside gdv_render_write (the MNIST layer draws its 71,582
 * edges on the pixels itself) that must carry the same metadata. */
struct _cairo_surface;
gdv_status gdv_png_write(struct _cairo_surface *surf, const gdv_render_meta *meta,
                         const char *title, FILE *out, gdv_error *err);
gdv_status gdv_render_pdf_page(const gdv_scene *s, const gdv_style *st,
                               struct _cairo_surface *pdf, gdv_error *err);

/* The figure's size in points as every format draws it: the scene's
 * extent with its title, legend and margins. */
gdv_status gdv_render_figure_size(const gdv_scene *s, const gdv_style *st, double *width,
                                  double *height, gdv_error *err);
/* Draws a laid-out figure too large for one page over several pages of a
 * caller's Cairo PDF surface: scaled by `scale`, cut into a grid of
 * page_w x page_h point tiles centred on it, one page per tile, row by
 * row; *pages gets their number. Each page holds only what meets it. */
gdv_status gdv_render_pdf_tiles(const gdv_scene *s, const gdv_style *st,
                                struct _cairo_surface *pdf, double page_w, double page_h,
                                double scale, size_t *pages, gdv_error *err);
/* Draws a laid-out figure on a caller's Cairo context, its top-left at
 * the context's origin, as large as on its page (its own size without
 * one); clip (x0, y0, x1, y1 in figure points, or NULL) skips what does
 * not meet it. For pages a caller cuts from a figure (posters). */
struct _cairo;
gdv_status gdv_render_draw_on(const gdv_scene *s, const gdv_style *st, struct _cairo *cr,
                              const double *clip, gdv_error *err);
/* The scale a laid-out scene is drawn at on its page (title, legend and
 * margins included): 1 without a page. */
gdv_status gdv_render_page_scale(const gdv_scene *s, const gdv_style *st, double *scale,
                                 gdv_error *err);
/* Grows *floor to hold the parts of this scene's figure (its title,
 * legend and width as gdv_render_write would draw them). */
gdv_status gdv_render_figure_floor(const gdv_scene *s, const gdv_style *st,
                                   gdv_figure_floor *floor, gdv_error *err);

/* JSON of every drawn element in figure points (after margins: the same
 * coordinates as the drawing): nodes, edges, texts with strings and boxes,
 * and the figure's legibility measures (gdv_figure_legibility); with g
 * (or NULL), each node names the graph node it draws and each edge its
 * graph edge, for checks of what the figure shows. */
gdv_status gdv_render_dump_layout(const gdv_scene *s, const gdv_style *st, const gdv_graph *g,
                                  FILE *f, gdv_error *err);

/* The annotated DOT: the graph with value, grad, local and edge grad
 * attributes and readable labels (dot -Tpng gives a plain figure).
 * graph_attrs (from DOT input, or NULL) are written back; the result reads
 * back with `gradviz eval` to the same numbers. */
gdv_status gdv_render_write_dot(const gdv_graph *g, char *const *graph_attrs,
                                const gdv_scene_options *opt, FILE *f,
                                gdv_error *err);

/* ------------------------------------------------------------------ */
/* Interactive pages (-o FIG.html)                                     */

/* What one self-contained page holds: the finished figure as inline SVG,
 * the --steps frames as SVG texts the page swaps in, and the evaluated
 * graph's numbers (written by eval's number writer, so the page's
 * window.gradviz.inspect gives eval's doubles). */
typedef struct gdv_html_doc {
  const char *title;           /* the page's <title> */
  const char *figure_svg;      /* the finished figure */
  const gdv_graph *graph;      /* evaluated */
  char *const *frame_svg;      /* n_frames SVG texts, in step order */
  char *const *frame_title;    /* each frame's title (the chain rule) */
  size_t n_frames;
  /* figures whose drawn nodes are not graph nodes (MNIST units): drawn
   * node id -> the graph nodes of its sum (z) and its activation (a),
   * GDV_NONE when it has none */
  char *const *unit_id;
  const gdv_id *unit_sum, *unit_act;
  size_t n_units;
  int precision;               /* significant digits the page prints */
} gdv_html_doc;
/* Writes the page: HTML with the style sheet and script (their sources
 * are src/render/formats/html/, built in as gdv_html_assets.h) inline; it makes
 * no network request. */
gdv_status gdv_html_write(const gdv_html_doc *d, FILE *f, gdv_error *err);
/* A laid-out scene's SVG (gdv_svg_write) as one malloc'd fragment (*out)
 * to inline, its ids starting with id_prefix (already made safe by
 * gdv_svg_prefix); g (or NULL) gives titles in words, name the figure's
 * <title>. */
gdv_status gdv_render_svg_string(const gdv_scene *s, const gdv_style *st, const gdv_graph *g,
                                 const char *id_prefix, const char *name, char **out,
                                 gdv_error *err);

/* ------------------------------------------------------------------ */
/* Shared with the figures built on render (the MNIST figure, frames)  */

/* A laid-out scene drawn on an RGB24 Cairo image surface, not yet encoded:
 * the caller may draw more on it (the MNIST figure's 71,582 edges as
 * plain lines, far faster than Cairo strokes) and then encodes it once
 * with gdv_png_write. The drawing is gdv_render_write's PNG, pixel for
 * pixel. */
typedef struct gdv_render_canvas {
  struct _cairo_surface *surface;  /* owned: gdv_render_canvas_free */
  double ox, oy;       /* scene point (x, y) lies at pixel
                          ((x + ox) * scale, (y + oy) * scale) */
  double scale;        /* pixels per point: dpi / 72 */
  double flow_lo, flow_hi;  /* the |gradient| range the edges' colours span */
} gdv_render_canvas;
gdv_status gdv_render_canvas_draw(const gdv_scene *s, const gdv_style *st,
                                  const gdv_render_meta *meta,
                                  gdv_render_canvas *out, gdv_error *err);
void gdv_render_canvas_free(gdv_render_canvas *cv);
/* An edge's flow colour for |gradient| w on the range lo..hi, as drawn
 * edges get it; returns its place t on the scale (0 smallest, 1 largest,
 * logarithmic), or -1 with the style's plain edge colour when w carries
 * none (negative or not finite). */
double gdv_render_flow_colour(const gdv_style *st, double lo, double hi,
                              double w, gdv_rgba *colour);
/* A Cairo PDF surface writing to f, with the date pinned (same bytes for
 * the same pages) and the creator and title (either may be NULL) set. */
struct _cairo_surface *gdv_render_pdf_stream(FILE *f, double width, double height,
                                             const char *software,
                                             const char *title);

/* A growable string for composing lines: start from {0}; free s. */
typedef struct gdv_sbuf {
  char *s;
  size_t n, cap;
  int failed;          /* out of memory once: every later append is dropped */
} gdv_sbuf;
void gdv_sbuf_printf(gdv_sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Empties b for the next line. */
void gdv_sbuf_clear(gdv_sbuf *b);
/* Appends node v's name as drawn (the label, or the id when the label
 * defines it, like "c = a+b"); with term, a name of several terms
 * ("w11·x1", "a − y", a number) comes in parentheses, as after ∂ or in a
 * path. Out of memory sets b->failed. */
void gdv_sbuf_node_name(gdv_sbuf *b, const struct gdv_graph *g, gdv_id v, int term);
/* v as Unicode superscript (sub 0) or subscript (sub 1) digits, e.g. ⁻⁵ or
 * ₁₂; returns out. */
char *gdv_script_digits(long v, int sub, char *out, size_t size);
/* Writes s as a DOT double-quoted string (quotes, backslashes and
 * newlines escaped). */
void gdv_dot_quoted(FILE *f, const char *s);

/* ------------------------------------------------------------------ */
/* SVG from the scene (gdv_svg.c)                                      */

/* The SVG's structure, which pages embedding it rely on:
 *   <svg id="Pfigure" width/height in pt, viewBox, role="img",
 *        aria-labelledby="Ptitle Pdesc">, then <title id="Ptitle">,
 *        <desc id="Pdesc">, one <style> (classes Pc0, Pc1...: only
 *        presentation, prefixed so two figures on one page never mix);
 *   <g class="title">, then per drawn edge <g id="Pedge-K" class="edge
 *        [greyed nonfinite highlight on-path]" data-edge="K" data-from
 *        data-to data-arg> (K: the graph edge, the order of `eval --format
 *        json`; a scene edge without one: "Pedge-sI", I its scene index),
 *        per drawn node <g id="Pnode-ESC" class="node role-R [op-OP]
 *        [output greyed nonfinite highlight on-path collapsed]"
 *        data-node="GRAPH INDEX" data-id="GRAPH ID">, items in <g
 *        class="item">, the legend in <g class="legend">; each node and
 *        edge <g> starts with a <title> of its numbers in words;
 *   every <text> has class="t-KIND" (gdv_text_kind in lower case: t-name,
 *        t-op, t-value, t-grad, t-sum, t-local, t-edge-grad, t-note,
 *        t-title; legend texts t-legend... as drawn) and textLength.
 * ESC (gdv_svg_escape_id): [A-Za-z0-9-] kept, any other byte "_HH". */
typedef struct gdv_svg_options {
  const char *id_prefix;   /* see gdv_svg_prefix; NULL: "fig-" */
  const struct gdv_graph *graph;  /* for titles in words, op classes and
                                     data-arg; NULL: from the scene's lines */
  const char *name;        /* the figure's name, first in its <title> */
  int fragment;            /* 1: no XML declaration (to inline in HTML) */
} gdv_svg_options;
/* Appends the SVG of a laid-out scene to out (same bytes for the same
 * scene and options). */
gdv_status gdv_svg_write(const gdv_scene *s, const gdv_style *st, const gdv_svg_options *opt,
                         gdv_sbuf *out, gdv_error *err);
/* An id prefix made safe: [A-Za-z0-9_-] kept, others '-', a letter first
 * ('f' added), '-' appended unless it ends in '-' or '_'; "fig-" for
 * NULL or "". buf: at least 8 bytes. */
void gdv_svg_prefix(const char *name, char *buf, size_t size);
/* The default prefix of an output or input file: its base name without
 * its suffix, made safe ("out/neuron.svg" gives "neuron-"). */
void gdv_svg_prefix_from_path(const char *path, char *buf, size_t size);
/* The default prefix of a figure's SVG: the prefix opt->id_prefix made
 * safe (a file's base name, "neuron-"), then 8 hex digits of a hash of
 * the figure drawn with it and '-' ("neuron-3fa2b7c1-"): two figures
 * written under one name share no id in one page, the same figure gets
 * the same ids. */
gdv_status gdv_svg_content_prefix(const gdv_scene *s, const gdv_style *st,
                                  const gdv_svg_options *opt, char *buf, size_t size,
                                  gdv_error *err);
/* Appends the id-safe spelling of a graph id (ESC above). */
void gdv_svg_escape_id(gdv_sbuf *b, const char *id);

#endif
