/* gdv_draw.c: a laid-out scene drawn with Cairo. The same drawing code
 * serves PNG, SVG, PDF and the layout dump, so that what the dump says was
 * drawn is what was drawn. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cairo-pdf.h>

#include "io/gdv_io.h"
#include "render/gdv_render_int.h"

/* Everything a drawing pass needs; dump is non-NULL for --dump-layout. */
typedef struct fig {
  cairo_t *cr;
  const gdv_style *st;
  const gdv_scene *s;
  double ox, oy;            /* scene point (x, y) is figure (x+ox, y+oy) */
  double width, height;     /* the figure, points (the page's aspect) */
  double scale;             /* the page's points per figure point */
  double canvas_w, canvas_h;  /* the page, points: width, height times scale */
  double title_y;           /* baseline of the title */
  gdv_legend legend;        /* its box: legend.x, .y, .w, .h */
  gdv_figure_floor parts;   /* this figure's own, before the scene's floor */
  int legend_corner;        /* 0, or the graph's empty corner the legend
                               stands in (corner_sx, corner_sy: 1 + index) */
  double flow_lo, flow_hi;
  int has_path;             /* some edge is on a --highlight path */
  FILE *dump;               /* texts, as JSON objects */
  int dump_first;
  gdv_figure_geometry *geometry;  /* texts collected for measuring */
  int clip;                 /* 1: draw only what meets clip_box (a tile) */
  double clip_box[4];       /* x0, y0, x1, y1 in figure points */
} fig;

/* Whether a box (figure points) meets the tile being drawn: a page of a
 * tiled figure skips what it cannot show (else every page would hold the
 * whole figure). */
static int in_clip(const fig *f, double x0, double y0, double x1, double y1) {
  return !f->clip || (x1 >= f->clip_box[0] && x0 <= f->clip_box[2] &&
                      y1 >= f->clip_box[1] && y0 <= f->clip_box[3]);
}

/* Whether edge i (its curve's control points, its tip, its label) meets
 * the tile. */
static int edge_in_clip(const fig *f, size_t i) {
  const gdv_scene_edge *e = &f->s->edges[i];
  if (!f->clip) return 1;
  double x0 = e->tip_x, y0 = e->tip_y, x1 = x0, y1 = y0;
  for (size_t k = 0; k < e->n_pts; k++) {
    x0 = fmin(x0, e->pts[2 * k]);
    x1 = fmax(x1, e->pts[2 * k]);
    y0 = fmin(y0, e->pts[2 * k + 1]);
    y1 = fmax(y1, e->pts[2 * k + 1]);
  }
  if (e->label_w > 0) {
    x0 = fmin(x0, e->label_x - e->label_w / 2);
    x1 = fmax(x1, e->label_x + e->label_w / 2);
    y0 = fmin(y0, e->label_y - e->label_h / 2);
    y1 = fmax(y1, e->label_y + e->label_h / 2);
  }
  return in_clip(f, x0 + f->ox - 8, y0 + f->oy - 8, x1 + f->ox + 8, y1 + f->oy + 8);
}

/* The colour of a text line by its kind. */
static gdv_rgba kind_colour(const gdv_style *st, int kind) {
  switch (kind) {
  case GDV_TEXT_VALUE: case GDV_TEXT_LOCAL: return st->forward;
  case GDV_TEXT_GRAD: case GDV_TEXT_EDGE_GRAD: return st->backward;
  case GDV_TEXT_SUM: return st->sum;
  default: return st->text;
  }
}

/* A text line's colour as drawn (greyed: every line in grey), for the
 * contrast test of the shipped styles. */
gdv_rgba gdv_render_text_colour(const gdv_style *st, int kind, int greyed) {
  return greyed ? st->grey : kind_colour(st, kind);
}

static const char *const kind_names[] = {"name", "op", "value", "grad", "sum",
                                         "local", "edge-grad", "note", "title"};

/* Records a drawn text's box for gdv_render_geometry; a text lost when
 * out of memory sets the geometry's oom. */
static void collect_text(gdv_figure_geometry *g, const char *owner, long index, double x,
                         double y, double w, double h, double size) {
  if (g->n_texts == g->cap_texts) {
    size_t cap = g->cap_texts ? 2 * g->cap_texts : 64;
    gdv_text_box *t = realloc(g->texts, cap * sizeof *t);
    if (t == NULL) {
      g->oom = 1;
      return;
    }
    g->texts = t;
    g->cap_texts = cap;
  }
  uint8_t part = strcmp(owner, "node") == 0   ? GDV_PART_NODE
                 : strcmp(owner, "edge") == 0 ? GDV_PART_EDGE
                 : strcmp(owner, "title") == 0 ? GDV_PART_TITLE
                 : strcmp(owner, "item") == 0 ? GDV_PART_ITEM : GDV_PART_LEGEND;
  g->texts[g->n_texts++] = (gdv_text_box){x, y, w, h, size, part, index < 0 ? 0 : (size_t)index};
}

/* Draws one text with its left end at x and its box's top at y_top, and
 * records the box for the layout dump, with the font size (the em) so that
 * a checker can compute pixels per em on a scaled page exactly. */
static void put_text(fig *f, gdv_text_context ctx, int kind, const char *text,
                     double x, double y_top, gdv_rgba colour,
                     const char *owner, long index) {
  cairo_t *cr = f->cr;
  gdv_text_font(cr, f->st, ctx, kind);
  double ascent, descent;
  gdv_text_extents(cr, &ascent, &descent);
  double w;
  gdv_draw_sink *sink = gdv_render_sink(cr);
  if (sink) {
    w = gdv_text_width(cr, text);
    sink->text(sink->ctx, kind, gdv_text_bold(ctx, kind), gdv_text_size(f->st, ctx, kind),
               text, x, y_top + ascent, w, colour);
  } else if (f->geometry) {  /* measured, not drawn: its 1x1 surface is thrown away */
    w = gdv_text_width(cr, text);
  } else {
    gdv_render_set_rgba(cr, colour);
    cairo_move_to(cr, x, y_top + ascent);
    w = gdv_text_show(cr, text);
  }
  if (f->geometry) collect_text(f->geometry, owner, index, x, y_top, w, ascent + descent,
                                gdv_text_size(f->st, ctx, kind));
  if (f->dump) {
    fprintf(f->dump, "%s\n    {\"text\": ", f->dump_first ? "" : ",");
    gdv_json_string(f->dump, text);
    fprintf(f->dump, ", \"kind\": \"%s\", \"owner\": \"%s\", \"index\": %ld, "
            "\"x\": %.2f, \"y\": %.2f, \"w\": %.2f, \"h\": %.2f, \"size\": %.2f}",
            kind >= 0 && kind < GDV_TEXT_KIND_COUNT ? kind_names[kind] : "legend",
            owner, index, x, y_top, w, ascent + descent, gdv_text_size(f->st, ctx, kind));
    f->dump_first = 0;
  }
}

/* Draws lines stacked and centred in a box (or left-aligned), a row at a
 * time: lines joined to the one before share its row, side by side, the
 * row centred as one. A hidden line keeps its place (frames). */
static void put_lines(fig *f, gdv_text_context ctx, const gdv_scene_line *lines,
                      size_t n, const uint8_t *shown, double cx, double cy,
                      double box_w, int left, gdv_rgba override, int use_override,
                      const char *owner, long index) {
  gdv_lines_walk walk;
  size_t k;
  double x, y, w, h;
  gdv_lines_walk_start(&walk, f->cr, f->st, ctx, lines, n, cx, cy, box_w, left);
  while (gdv_lines_walk_next(&walk, &k, &x, &y, &w, &h))
    if (!shown || shown[k])
      put_text(f, ctx, lines[k].kind, lines[k].text, x, y,
               use_override ? override : kind_colour(f->st, lines[k].kind), owner, index);
}

/* Stroke colour and width of an edge. */
static void edge_pen(const fig *f, const gdv_scene_edge *e, gdv_rgba *c, double *w, int *dashed) {
  const gdv_style *st = f->st;
  *c = st->edge;
  *w = st->edge_width;
  *dashed = 0;
  if ((f->s->show & GDV_SHOW_FLOW) && (e->flags & GDV_EDGE_GRAD_KNOWN) && e->weight >= 0) {
    gdv_rgba flow;
    double t = gdv_render_flow_colour(st, f->flow_lo, f->flow_hi, e->weight, &flow);
    if (t >= 0) {
      *c = flow;
      *w = st->edge_width + t * (st->edge_width_max - st->edge_width);
    }
  }
  if (e->flags & GDV_EDGE_GREYED) { *c = st->grey; *w = st->edge_width; }
  if (e->flags & GDV_EDGE_NONFINITE) { *c = st->nonfinite; *dashed = 1; }
  if (e->flags & GDV_EDGE_RECORDED_WRONG) {
    *c = st->recorded_wrong;
    if (*w < st->edge_width_max * 0.6) *w = st->edge_width_max * 0.6;
  }
  if (e->flags & (GDV_EDGE_ON_PATH | GDV_EDGE_HIGHLIGHT)) {
    *c = st->highlight;
    if (*w < st->edge_width_max * 0.6) *w = st->edge_width_max * 0.6;
  } else if (f->has_path) {
    *c = gdv_render_mix(*c, st->background, 0.55);  /* the paths stand out */
  }
}

/* Draws an edge: its curve, its arrowhead and its label lines. */
static void draw_edge(fig *f, size_t i) {
  const gdv_scene_edge *e = &f->s->edges[i];
  cairo_t *cr = f->cr;
  if ((e->flags & GDV_EDGE_HIDDEN) || e->n_pts < 2 || f->s->edges_by_caller) return;
  gdv_rgba c;
  double w;
  int dashed;
  edge_pen(f, e, &c, &w, &dashed);
  double ox = f->ox, oy = f->oy;
  cairo_new_path(cr);
  cairo_move_to(cr, e->pts[0] + ox, e->pts[1] + oy);
  size_t k = 1;
  for (; k + 2 < e->n_pts; k += 3)
    cairo_curve_to(cr, e->pts[2 * k] + ox, e->pts[2 * k + 1] + oy,
                   e->pts[2 * k + 2] + ox, e->pts[2 * k + 3] + oy,
                   e->pts[2 * k + 4] + ox, e->pts[2 * k + 5] + oy);
  for (; k < e->n_pts; k++) cairo_line_to(cr, e->pts[2 * k] + ox, e->pts[2 * k + 1] + oy);
  gdv_render_stroke_path(cr, c, w, dashed ? 3 : 0);
  /* arrowhead from the last point to the tip, widened for thick edges */
  double bx = e->pts[2 * (e->n_pts - 1)] + ox, by = e->pts[2 * (e->n_pts - 1) + 1] + oy;
  double tx = e->tip_x + ox, ty = e->tip_y + oy;
  double dx = tx - bx, dy = ty - by, len = hypot(dx, dy);
  if (len > 0.5) {
    double ux = dx / len, uy = dy / len, half = 3.2 + w * 0.6;
    cairo_move_to(cr, tx, ty);
    cairo_line_to(cr, bx - uy * half, by + ux * half);
    cairo_line_to(cr, bx + uy * half, by - ux * half);
    cairo_close_path(cr);
    gdv_render_fill(cr, 0);
  }
}

/* Draws an edge's label (after all edges, so curves pass under labels). */
static void draw_edge_label(fig *f, size_t i) {
  const gdv_scene_edge *e = &f->s->edges[i];
  if ((e->flags & GDV_EDGE_HIDDEN) || e->n_lines == 0 || e->label_w <= 0) return;
  uint8_t shown[8];
  size_t n = e->n_lines < 8 ? e->n_lines : 8, visible = 0;
  for (size_t k = 0; k < n; k++) {
    shown[k] = (uint8_t)gdv_edge_line_shown(e, e->lines[k].kind);
    visible += shown[k];
  }
  if (!visible) return;
  double cx = e->label_x + f->ox, cy = e->label_y + f->oy;
  double bx, by, lx, ly;
  if (gdv_edge_label_leader(e, &bx, &by, &lx, &ly)) {
    /* a label that could not sit on its edge points at it */
    gdv_rgba c;
    double w;
    int dashed;
    edge_pen(f, e, &c, &w, &dashed);
    gdv_render_set_rgba(f->cr, c);
    cairo_set_line_width(f->cr, 0.75);
    cairo_move_to(f->cr, bx + f->ox, by + f->oy);
    cairo_line_to(f->cr, lx + f->ox, ly + f->oy);
    gdv_render_stroke(f->cr);
  }
  /* opaque: the label interrupts its own edge, which passes under it */
  gdv_render_set_rgba(f->cr, f->st->background);
  cairo_rectangle(f->cr, cx - e->label_w / 2, cy - e->label_h / 2, e->label_w, e->label_h);
  gdv_render_fill(f->cr, 0);
  put_lines(f, GDV_CTX_EDGE, e->lines, n, shown, cx, cy, e->label_w, 0,
            f->st->grey, (e->flags & GDV_EDGE_GREYED) != 0, "edge", (long)i);
}

/* A node's fill by role and flags: what its text sits on (the contrast
 * test of the shipped styles asks here too). */
gdv_rgba gdv_render_node_fill(const gdv_style *st, const gdv_scene_node *n) {
  gdv_rgba fill = n->kind == GDV_KIND_INPUT ? st->input_fill
                : n->kind == GDV_KIND_PARAM ? st->param_fill
                : n->kind == GDV_KIND_CONST ? st->const_fill : st->node_fill;
  if (n->flags & GDV_NODE_CUSTOM_FILL) fill = n->fill;
  if (n->flags & GDV_NODE_GREYED) fill = gdv_render_mix(fill, st->background, 0.6);
  return fill;
}

/* The NaN/infinity mark of node n, a disc on its box's top-right corner
 * (figure coordinates): beside the outline, so the output's thick and the
 * constant's dashed outline stay as they are. */
static void nonfinite_mark_at(const gdv_style *st, const gdv_scene_node *n, double ox,
                              double oy, double *cx, double *cy, double *r) {
  *cx = n->x + ox + n->w / 2;
  *cy = n->y + oy - n->h / 2;
  *r = 0.42 * st->font_size;
}

/* The wrong-recorded-gradient mark of node n: a square on its box's
 * top-left corner, away from the NaN disc on the top-right. */
static void recorded_mark_at(const gdv_style *st, const gdv_scene_node *n, double ox,
                             double oy, double *cx, double *cy, double *r) {
  *cx = n->x + ox - n->w / 2;
  *cy = n->y + oy - n->h / 2;
  *r = 0.42 * st->font_size;
}

/* A node's outline by role and flags. A NaN or infinity changes nothing
 * here (it has its own mark), so the output's thick and the constant's
 * dashed outline are never lost. */
void gdv_render_node_pen(const gdv_style *st, const gdv_scene_node *n, gdv_rgba *stroke,
                         double *lw, int *dashed) {
  *stroke = st->node_stroke;
  *lw = st->line_width;
  *dashed = n->kind == GDV_KIND_CONST;
  if (n->kind == GDV_KIND_PARAM) *lw *= 2;
  if (n->flags & GDV_NODE_OUTPUT) { *stroke = st->output_stroke; *lw = st->line_width * 3; }
  if (n->flags & GDV_NODE_GREYED) *stroke = st->grey;
  if (n->flags & GDV_NODE_RECORDED_WRONG) { *stroke = st->recorded_wrong; *lw = st->line_width * 3; }
  if (n->flags & GDV_NODE_ON_PATH) { *stroke = st->highlight; *lw = st->line_width * 2.5; }
  if (n->flags & GDV_NODE_HIGHLIGHT) { *stroke = st->highlight; *lw = st->line_width * 4; }
}

/* Draws a node: box by role and flags, then its visible lines. */
static void draw_node(fig *f, size_t i) {
  const gdv_scene_node *n = &f->s->nodes[i];
  const gdv_style *st = f->st;
  cairo_t *cr = f->cr;
  if (n->flags & GDV_NODE_HIDDEN) return;
  double x = n->x + f->ox - n->w / 2, y = n->y + f->oy - n->h / 2;
  gdv_rgba fill = gdv_render_node_fill(st, n), stroke;
  double lw;
  int dashed;
  gdv_render_node_pen(st, n, &stroke, &lw, &dashed);
  if (n->shape == GDV_SHAPE_DOT) {
    /* cairo_arc joins the current point (left by the title's text) */
    cairo_new_path(cr);
    cairo_arc(cr, n->x + f->ox, n->y + f->oy, n->w / 2, 0, 2 * M_PI);
  } else if (n->shape == GDV_SHAPE_BOX) {
    gdv_render_rounded(cr, x, y, n->w, n->h, st->node_radius);
  }
  if (n->shape != GDV_SHAPE_PLAIN) {
    gdv_render_set_rgba(cr, fill);
    gdv_render_fill(cr, 1);
    gdv_render_stroke_path(cr, stroke, lw, dashed ? 2.5 : 0);
  }
  if (gdv_render_nonfinite_shown(n)) {
    double cx, cy, r;
    nonfinite_mark_at(st, n, f->ox, f->oy, &cx, &cy, &r);
    gdv_render_draw_mark(cr, st, cx, cy, r, (n->flags & GDV_NODE_NONFINITE_ORIGIN) != 0);
  }
  if (n->flags & GDV_NODE_RECORDED_WRONG) {
    double cx, cy, r;
    recorded_mark_at(st, n, f->ox, f->oy, &cx, &cy, &r);
    gdv_render_draw_cross(cr, st, cx, cy, r);
  }
  if ((n->flags & GDV_NODE_HIDE_TEXT) || n->n_lines == 0 || n->shape == GDV_SHAPE_DOT) return;
  uint8_t *shown = malloc(n->n_lines);
  if (shown == NULL) return;
  for (size_t k = 0; k < n->n_lines; k++) shown[k] = (uint8_t)gdv_node_line_shown(n, n->lines[k].kind);
  put_lines(f, GDV_CTX_NODE, n->lines, n->n_lines, shown, n->x + f->ox, n->y + f->oy,
            n->w, 0, st->grey, (n->flags & GDV_NODE_GREYED) != 0, "node", (long)i);
  free(shown);
}

/* A worksheet's words (TEXT) or write-in box (BLANK) in the font of the
 * node or label line it stands for. */
static void draw_sheet_item(fig *f, const gdv_scene_item *it, size_t i) {
  const gdv_style *st = f->st;
  gdv_text_context ctx = it->edge_font ? GDV_CTX_EDGE : GDV_CTX_NODE;
  double cx = it->x + f->ox, cy = it->y + f->oy;
  int hint = it->n_lines && it->lines[0].kind == GDV_TEXT_NOTE;
  if (it->kind == GDV_ITEM_BLANK) {
    gdv_render_rounded(f->cr, cx - it->w / 2, cy - it->h / 2, it->w, it->h, 1.5);
    gdv_render_set_rgba(f->cr, st->background);
    gdv_render_fill(f->cr, 1);
    gdv_render_set_rgba(f->cr, st->text);
    cairo_set_line_width(f->cr, st->line_width * 0.75);
    gdv_render_stroke(f->cr);
  }
  put_lines(f, ctx, it->lines, it->n_lines, NULL, cx, cy, it->w, it->kind == GDV_ITEM_TEXT,
            st->grey, hint, "item", (long)i);
}

/* Draws an extra item: text box, badge, picture, heat map, or a
 * worksheet's words and boxes. */
static void draw_item(fig *f, size_t i) {
  const gdv_scene_item *it = &f->s->items[i];
  const gdv_style *st = f->st;
  cairo_t *cr = f->cr;
  double cx = it->x + f->ox, cy = it->y + f->oy;
  double x = cx - it->w / 2, y = cy - it->h / 2;
  if (it->kind == GDV_ITEM_TEXT || it->kind == GDV_ITEM_BLANK) {
    draw_sheet_item(f, it, i);
    return;
  }
  if (it->kind == GDV_ITEM_BOX || it->kind == GDV_ITEM_BADGE) {
    gdv_render_rounded(cr, x, y, it->w, it->h, it->kind == GDV_ITEM_BADGE ? it->h / 2 : st->node_radius);
    gdv_render_set_rgba(cr, it->kind == GDV_ITEM_BADGE ? st->node_fill : st->legend_fill);
    gdv_render_fill(cr, 1);
    gdv_render_set_rgba(cr, st->node_stroke);
    cairo_set_line_width(cr, st->line_width * 0.75);
    gdv_render_stroke(cr);
    double pad = st->node_pad * 1.5;
    put_lines(f, GDV_CTX_ITEM, it->lines, it->n_lines, NULL, cx, cy,
              it->w - 2 * pad, it->kind == GDV_ITEM_BOX, st->text, 0, "item", (long)i);
    return;
  }
  double lh = gdv_text_line_height(st, GDV_CTX_ITEM);
  double pic_h = it->h - lh * (double)it->n_lines;
  if (it->px_w && it->px_h && it->pixels && pic_h > 0) {
    double pw = it->w / (double)it->px_w, ph = pic_h / (double)it->px_h;
    double scale = it->scale;
    if (it->kind == GDV_ITEM_HEATMAP && scale <= 0) {
      for (size_t k = 0; k < it->px_w * it->px_h; k++)
        if (fabs(it->pixels[k]) > scale) scale = fabs(it->pixels[k]);
      if (scale <= 0) scale = 1;
    }
    gdv_rgba white = {1, 1, 1, 1}, black = {0, 0, 0, 1};
    gdv_draw_sink *sink = gdv_render_sink(cr);
    gdv_rgba *px = sink ? malloc(it->px_w * it->px_h * sizeof *px) : NULL;
    for (size_t r = 0; r < it->px_h; r++)
      for (size_t c = 0; c < it->px_w; c++) {
        double v = it->pixels[r * it->px_w + c];
        gdv_rgba col;
        if (it->kind == GDV_ITEM_IMAGE) {
          col = gdv_render_mix(white, black, v < 0 ? 0 : v > 1 ? 1 : v);
        } else {
          double t = fabs(v) / scale;
          /* + in forward, - in backward, as the MNIST caption says */
          col = gdv_render_mix(white, v < 0 ? st->backward : st->forward, t > 1 ? 1 : t);
        }
        if (px) {
          px[r * it->px_w + c] = col;
          continue;
        }
        gdv_render_set_rgba(cr, col);
        cairo_rectangle(cr, x + (double)c * pw, y + (double)r * ph, pw + 0.02, ph + 0.02);
        gdv_render_fill(cr, 0);
      }
    if (px) sink->image(sink->ctx, x, y, it->w, pic_h, it->px_w, it->px_h, px);
    free(px);
    gdv_render_set_rgba(cr, st->node_stroke);
    cairo_set_line_width(cr, 0.5);
    cairo_rectangle(cr, x, y, it->w, pic_h);
    gdv_render_stroke(cr);
  }
  if (it->n_lines)
    put_lines(f, GDV_CTX_ITEM, it->lines, it->n_lines, NULL, cx,
              y + pic_h + lh * (double)it->n_lines / 2, it->w, 0, st->text, 0, "item", (long)i);
}

/* The legend's texts go through put_text, so the dump records them. */
static double legend_text(void *ctx, int kind, const char *text, double x, double y_top,
                          gdv_rgba colour, long index) {
  fig *f = ctx;
  put_text(f, GDV_CTX_LEGEND, kind, text, x, y_top, colour, "legend", index);
  gdv_text_font(f->cr, f->st, GDV_CTX_LEGEND, kind);
  return gdv_text_width(f->cr, text);
}

/* Extent of everything in scene coordinates: the graph and the items. */
static void scene_bounds(const gdv_scene *s, double b[4]) {
  gdv_scene_graph_box(s, b);
  for (size_t i = 0; i < s->n_items; i++) {
    const gdv_scene_item *it = &s->items[i];
    gdv_box_grow(b, it->x - it->w / 2, it->y - it->h / 2, it->x + it->w / 2, it->y + it->h / 2);
  }
  if (b[0] > b[2]) b[0] = b[1] = b[2] = b[3] = 0;
}

/* The smallest and largest finite |gradient| on the scene's edges, the
 * bottom held within six decades of the top (a gradient of 1e-300 would
 * flatten everything else); 0, 0 when no edge carries one. Frames take it
 * once from the finished pass so colours mean the same on every frame. */
void gdv_scene_flow_range(const gdv_scene *s, double *lo, double *hi) {
  *lo = INFINITY;
  *hi = 0;
  for (size_t i = 0; i < s->n_edges; i++) {
    double w = s->edges[i].weight;
    if (w > 0 && isfinite(w)) {
      if (w < *lo) *lo = w;
      if (w > *hi) *hi = w;
    }
  }
  if (*hi <= 0) *lo = *hi = 0;
  else if (*lo < *hi * 1e-6) *lo = *hi * 1e-6;
}

/* The title's lines (a newline between them, see gdv_scene) in the
 * title font selected on cr: how many, and the widest in *w. */
static size_t title_lines(cairo_t *cr, const char *title, double *w) {
  size_t n = 0;
  *w = 0;
  for (const char *p = title;; n++) {
    size_t len = strcspn(p, "\n");
    char *line = strndup(p, len);
    double lw = line ? gdv_text_width(cr, line) : 0;
    free(line);
    if (lw > *w) *w = lw;
    if (p[len] == '\0') return n + 1;
    p += len + 1;
  }
}

/* Draws the title's lines, each centred, one line height apart. */
static void draw_title(fig *f, const char *title) {
  double lh = gdv_text_line_height(f->st, GDV_CTX_TITLE);
  for (long i = 0;; i++) {
    size_t len = strcspn(title, "\n");
    char *line = strndup(title, len);
    if (line) {
      gdv_text_font(f->cr, f->st, GDV_CTX_TITLE, GDV_TEXT_TITLE);
      double w = gdv_text_width(f->cr, line);
      put_text(f, GDV_CTX_TITLE, GDV_TEXT_TITLE, line, (f->width - w) / 2,
               f->title_y + (double)i * lh, f->st->text, "title", i);
      free(line);
    }
    if (title[len] == '\0') return;
    title += len + 1;
  }
}

/* On a page the figure grows to the page's aspect, everything centred in
 * it, and is drawn scaled to the page; without one it keeps its size. */
static void fit_page(fig *f) {
  double ew, eh;
  f->scale = gdv_page_fit(&f->s->page, f->width, f->height, &ew, &eh);
  if (f->s->page.width > 0) {
    double dx = (ew - f->width) / 2, dy = (eh - f->height) / 2;
    f->ox += dx;
    f->oy += dy;
    f->title_y += dy;
    f->legend.x += dx;
    f->legend.y += dy;
    f->width = ew;
    f->height = eh;
    f->canvas_w = f->s->page.width;
    f->canvas_h = f->s->page.height;
  } else {
    f->canvas_w = f->width;
    f->canvas_h = f->height;
  }
}

/* The legend's most of a figure's height (legible.py's limit). */
#define LEGEND_MAX_SHARE 0.2

/* The scale that fits a figure w x h points on the page, at most the
 * page's largest. */
static double page_scale_of(const fig *f, double w, double h) {
  double cap = f->s->page.max_scale > 0 ? f->s->page.max_scale : INFINITY;
  return fmin(fmin(f->s->page.width / w, f->s->page.height / h), cap);
}

/* A bottom legend on a page: as many rows as draw the whole figure
 * largest on the page, within a fifth of its height; a short wide graph
 * then takes a legend of three rows rather than one as wide as itself.
 * *avail and *max_h get the fit used (to fit it so again). */
static void legend_for_page(fig *f, double cw, double ch, double title_w, double title_h,
                            double *avail_used, double *max_h_used) {
  const gdv_style *st = f->st;
  gdv_legend *lg = &f->legend;
  double m = st->margin, sep = st->node_sep, base = cw > 300 ? cw : 300;
  double best = -1, best_share = INFINITY, best_avail = -1, last_h = -1;
  *avail_used = *max_h_used = INFINITY;
  gdv_legend_fit(lg, st, GDV_LEGEND_BOTTOM, INFINITY, INFINITY);
  if (lg->n == 0) return;
  double one_row = lg->w;
  for (double avail = base; avail <= one_row + 16; avail += 16) {
    gdv_legend_fit(lg, st, GDV_LEGEND_BOTTOM, avail, INFINITY);
    if (lg->h != last_h) {
      last_h = lg->h;
      double inner = fmax(fmax(cw, title_w), lg->w);
      double w = inner + 2 * m, h = 2 * m + title_h + ch + sep + lg->h;
      double k = page_scale_of(f, w, h);
      /* the figure at the page's aspect and at most its largest scale */
      double drawn_h = fmax(h, f->s->page.height / k), share = lg->h / drawn_h;
      if (share <= LEGEND_MAX_SHARE && (k > best || (k == best && share < best_share)))
        best = k, best_share = share, best_avail = avail;
    }
  }
  if (best_avail < 0) /* no legend fits a fifth: as few rows as it takes */
    *avail_used = base, *max_h_used = floor((2 * m + title_h + ch + sep) / 4);
  else
    *avail_used = best_avail;
  gdv_legend_fit(lg, st, GDV_LEGEND_BOTTOM, *avail_used, *max_h_used);
}

/* Whether segment a-b enters the open quadrant right of x0 and below y0
 * (the parameters where each coordinate is inside overlap). */
static int segment_enters(double x0, double y0, double ax, double ay, double bx, double by) {
  double lo = 0, hi = 1;
  const double p[2] = {ax, ay}, q[2] = {bx, by}, c[2] = {x0, y0};
  for (int d = 0; d < 2; d++) {
    double dp = q[d] - p[d];
    if (dp == 0) {
      if (p[d] <= c[d]) return 0;
      continue;
    }
    double t = (c[d] - p[d]) / dp;
    if (dp > 0) lo = fmax(lo, t);
    else hi = fmin(hi, t);
  }
  return lo < hi;
}

/* The corners a legend may take, in the order tried: bottom right (a
 * folded figure's last row often ends short of the others), top right (a
 * left-to-right figure's cost often stands lower than its first
 * columns), bottom left, top left. Each as the signs that mirror it onto
 * the bottom-right quadrant of segment_enters. */
static const int corner_sx[] = {1, 1, -1, -1}, corner_sy[] = {1, -1, 1, -1};
#define N_CORNERS 4

/* Whether nothing of the scene (boxes, labels, edges by their control
 * polygons, which hold their curves, arrowheads, items) lies beyond x0
 * and y0 toward corner c (mirrored: right of sx * x0 and below sy * y0). */
static int corner_free(const gdv_scene *s, int c, double x0, double y0) {
  double sx = corner_sx[c], sy = corner_sy[c], X = sx * x0, Y = sy * y0;
  for (size_t i = 0; i < s->n_nodes; i++) {
    const gdv_scene_node *n = &s->nodes[i];
    if (!(n->flags & GDV_NODE_HIDDEN) && sx * n->x + n->w / 2 > X && sy * n->y + n->h / 2 > Y) return 0;
  }
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *e = &s->edges[i];
    if (e->flags & GDV_EDGE_HIDDEN) continue;
    if (e->n_lines && e->label_w > 0 && sx * e->label_x + e->label_w / 2 > X &&
        sy * e->label_y + e->label_h / 2 > Y)
      return 0;
    const double *p = e->pts;
    for (size_t k = 0; k + 1 < e->n_pts; k++)
      if (segment_enters(X, Y, sx * p[2 * k], sy * p[2 * k + 1], sx * p[2 * k + 2], sy * p[2 * k + 3]))
        return 0;
    if (e->n_pts && segment_enters(X, Y, sx * p[2 * (e->n_pts - 1)], sy * p[2 * (e->n_pts - 1) + 1],
                                   sx * e->tip_x, sy * e->tip_y))
      return 0;
  }
  for (size_t i = 0; i < s->n_items; i++) {
    const gdv_scene_item *it = &s->items[i];
    if (sx * it->x + it->w / 2 > X && sy * it->y + it->h / 2 > Y) return 0;
  }
  return 1;
}

/* Rows of a corner legend tried, at most. */
#define CORNER_MAX_ROWS 12

/* A legend in an empty corner of the graph (corner_sx), in the fewest
 * rows that fit one, when that draws the figure larger than the bottom
 * legend of scale k_bottom; the corner (1 + its index) with the legend
 * fitted so, or 0. */
static int legend_in_corner(fig *f, const double b[4], double title_w, double title_h,
                            double k_bottom) {
  const gdv_style *st = f->st;
  gdv_legend *lg = &f->legend;
  double cw = b[2] - b[0], ch = b[3] - b[1], m = st->margin, sep = st->node_sep;
  double h = 2 * m + title_h + ch;
  double k = page_scale_of(f, fmax(cw, title_w) + 2 * m, h);
  if (!(k > k_bottom * 1.001)) return 0;
  double drawn_h = fmax(h, f->s->page.height / k);
  gdv_legend_fit(lg, st, GDV_LEGEND_BOTTOM, INFINITY, INFINITY);
  double one_row = lg->w, best_w = -1;
  int corner = 0;
  for (int rows = 1; rows <= CORNER_MAX_ROWS && !corner; rows++) {
    gdv_legend_fit(lg, st, GDV_LEGEND_BOTTOM, one_row / rows, INFINITY);
    if (lg->w > cw || lg->h + sep > ch || lg->h / drawn_h > LEGEND_MAX_SHARE) continue;
    for (int c = 0; c < N_CORNERS && !corner; c++) {
      double x0 = corner_sx[c] > 0 ? b[2] - lg->w - sep : b[0] + lg->w + sep;
      double y0 = corner_sy[c] > 0 ? b[3] - lg->h - sep : b[1] + lg->h + sep;
      if (corner_free(f->s, c, x0, y0)) corner = c + 1, best_w = one_row / rows;
    }
  }
  if (!corner) return 0;
  gdv_legend_fit(lg, st, GDV_LEGEND_BOTTOM, best_w, INFINITY);
  return corner;
}

/* Places the legend and sizes the figure around the content (cw x ch at
 * scene box b) and the title (title_w x title_h), each part at least the
 * scene's floor. Bottom: centred below, at most a fifth of the figure's
 * height (base / 4 of the rest), or in an empty corner of the graph
 * where that draws the figure larger (not for frames, whose floor
 * holds them to one size); side: a column right of the content, no
 * taller than it where it can be. */
static void fig_place(fig *f, const double b[4], double title_w, double title_h) {
  const gdv_style *st = f->st;
  const gdv_figure_floor *fl = &f->s->floor;
  double cw = b[2] - b[0], ch = b[3] - b[1], m = st->margin, sep = st->node_sep;
  int side = f->s->legend_place == GDV_LEGEND_SIDE;
  gdv_legend *lg = &f->legend;
  f->parts.title_h = title_h;
  if (fl->title_h > title_h) title_h = fl->title_h;
  int corner = 0;
  if (side) {
    gdv_legend_fit(lg, st, GDV_LEGEND_SIDE, 0, ch);
  } else if (f->s->page.width > 0) {
    double avail, max_h;
    legend_for_page(f, cw, ch, title_w, title_h, &avail, &max_h);
    int floored = fl->inner_w > 0 || fl->legend_h > 0 || fl->title_h > 0;
    if (lg->n > 0 && !floored) {
      double k_bottom = page_scale_of(f, fmax(fmax(cw, title_w), lg->w) + 2 * m,
                                      2 * m + title_h + ch + sep + lg->h);
      corner = legend_in_corner(f, b, title_w, title_h, k_bottom);
      if (!corner) gdv_legend_fit(lg, st, GDV_LEGEND_BOTTOM, avail, max_h);
    }
  } else  /* wraps to the graph's width, but not below 300 points */
    gdv_legend_fit(lg, st, GDV_LEGEND_BOTTOM, cw > 300 ? cw : 300,
                   floor((2 * m + title_h + ch + sep) / 4));
  f->parts.legend_w = lg->w;
  f->parts.legend_h = lg->h;
  double lw = lg->w > fl->legend_w ? lg->w : fl->legend_w;
  double lh = lg->h > fl->legend_h ? lg->h : fl->legend_h;
  double gap = lw > 0 ? sep : 0;
  double group = side ? cw + gap + lw : cw;
  double inner = group;
  if (title_w > inner) inner = title_w;
  if (!side && !corner && lw > inner) inner = lw;
  f->parts.inner_w = inner;
  if (fl->inner_w > inner) inner = fl->inner_w;
  f->width = ceil(inner + 2 * m);
  f->ox = m + (inner - group) / 2 - b[0];
  f->oy = m + title_h - b[1];
  f->title_y = m;
  if (side) {
    lg->x = m + (inner - group) / 2 + cw + gap;
    lg->y = m + title_h;
    f->height = ceil(m + title_h + (ch > lh ? ch : lh) + m);
  } else if (corner) {
    f->legend_corner = corner;
    lg->x = f->ox + (corner_sx[corner - 1] > 0 ? b[2] - lg->w : b[0]);
    lg->y = f->oy + (corner_sy[corner - 1] > 0 ? b[3] - lg->h : b[1]);
    f->height = ceil(m + title_h + ch + m);
  } else {
    lg->x = m + (inner - lg->w) / 2;
    lg->y = m + title_h + ch + gap;
    f->height = ceil(lg->y + lh + m);
  }
}

/* Computes the figure's geometry: title, content, legend, margins. */
static gdv_status fig_setup(fig *f, const gdv_scene *s, const gdv_style *st, gdv_error *err) {
  memset(f, 0, sizeof *f);
  f->s = s;
  f->st = st;
  f->dump_first = 1;
  if (!s->laid_out)
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "scene is not laid out");
  /* flow range: the scene's, or from the edges' |gradient| */
  f->flow_lo = s->flow_lo;
  f->flow_hi = s->flow_hi;
  if (!(f->flow_hi > 0)) gdv_scene_flow_range(s, &f->flow_lo, &f->flow_hi);
  /* At least two decades, given or measured, so that 2 and 3 do not look
   * like 0 and 1 (frames pass their own range). */
  if (f->flow_hi > 0 && f->flow_lo > f->flow_hi / 100) f->flow_lo = f->flow_hi / 100;
  /* only --highlight paths pale the other edges: a frame's current step
   * (GDV_EDGE_HIGHLIGHT) has in-edges on some steps and none on others,
   * and every edge would flicker between pale and saturated */
  for (size_t i = 0; i < s->n_edges; i++)
    if (s->edges[i].flags & GDV_EDGE_ON_PATH) f->has_path = 1;
  if ((s->show & GDV_SHOW_LEGEND) && s->legend_place != GDV_LEGEND_NONE) {
    gdv_status legend_st = gdv_legend_build(&f->legend, s, st, f->flow_lo, f->flow_hi, err);
    if (legend_st) return legend_st;
  }
  double b[4];
  scene_bounds(s, b);
  cairo_t *cr = gdv_text_measure_context();
  double title_w = 0, title_h = 0;
  if (s->title && *s->title && (s->show & GDV_SHOW_TITLE)) {
    gdv_text_font(cr, st, GDV_CTX_TITLE, GDV_TEXT_TITLE);
    size_t n = title_lines(cr, s->title, &title_w);
    title_h = (double)n * gdv_text_line_height(st, GDV_CTX_TITLE) + st->node_sep / 2;
  }
  cairo_destroy(cr);
  fig_place(f, b, title_w, title_h);
  fit_page(f);
  return GDV_OK;
}

/* Draws the whole figure on f->cr (already scaled to points). */
static void fig_draw(fig *f) {
  const gdv_scene *s = f->s;
  const gdv_style *st = f->st;
  cairo_t *cr = f->cr;
  gdv_text_font_options(cr);
  /* paint, not a rectangle: a PNG's last pixel row is partly outside */
  gdv_render_set_rgba(cr, st->background);
  cairo_paint(cr);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  if (s->title && *s->title && (s->show & GDV_SHOW_TITLE)) draw_title(f, s->title);
  /* greyed and plain edges first, emphasised ones on top */
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < s->n_edges; i++) {
      int top = (s->edges[i].flags & (GDV_EDGE_ON_PATH | GDV_EDGE_HIGHLIGHT)) != 0;
      if (top == pass && edge_in_clip(f, i)) draw_edge(f, i);
    }
  for (size_t i = 0; i < s->n_nodes; i++) {
    const gdv_scene_node *n = &s->nodes[i];
    double x = n->x + f->ox, y = n->y + f->oy;
    if (in_clip(f, x - n->w / 2, y - n->h / 2, x + n->w / 2, y + n->h / 2)) draw_node(f, i);
  }
  for (size_t i = 0; i < s->n_edges; i++)
    if (edge_in_clip(f, i)) draw_edge_label(f, i);
  for (size_t i = 0; i < s->n_items; i++) {
    const gdv_scene_item *it = &s->items[i];
    double x = it->x + f->ox, y = it->y + f->oy;
    if (in_clip(f, x - it->w / 2, y - it->h / 2, x + it->w / 2, y + it->h / 2)) draw_item(f, i);
  }
  gdv_legend_draw(&f->legend, cr, st, legend_text, f);
}

/* The figure part by part for a sink: each edge whole (curve, arrowhead,
 * label) in the order fig_draw strokes them, then nodes, items, legend.
 * A label thus lies under a later edge's curve where fig_draw puts it on
 * top: labels sit on their own edge, so they rarely meet another. */
static void fig_draw_parts(fig *f, gdv_draw_sink *sink) {
  const gdv_scene *s = f->s;
  if (s->title && *s->title && (s->show & GDV_SHOW_TITLE)) {
    sink->begin(sink->ctx, GDV_PART_TITLE, 0);
    draw_title(f, s->title);
    sink->end(sink->ctx, GDV_PART_TITLE, 0);
  }
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < s->n_edges; i++) {
      const gdv_scene_edge *e = &s->edges[i];
      int top = (e->flags & (GDV_EDGE_ON_PATH | GDV_EDGE_HIGHLIGHT)) != 0;
      if (top != pass || (e->flags & GDV_EDGE_HIDDEN)) continue;
      sink->begin(sink->ctx, GDV_PART_EDGE, i);
      draw_edge(f, i);
      draw_edge_label(f, i);
      sink->end(sink->ctx, GDV_PART_EDGE, i);
    }
  for (size_t i = 0; i < s->n_nodes; i++) {
    if (s->nodes[i].flags & GDV_NODE_HIDDEN) continue;
    sink->begin(sink->ctx, GDV_PART_NODE, i);
    draw_node(f, i);
    sink->end(sink->ctx, GDV_PART_NODE, i);
  }
  for (size_t i = 0; i < s->n_items; i++) {
    sink->begin(sink->ctx, GDV_PART_ITEM, i);
    draw_item(f, i);
    sink->end(sink->ctx, GDV_PART_ITEM, i);
  }
  if (f->legend.n) {
    sink->begin(sink->ctx, GDV_PART_LEGEND, 0);
    gdv_legend_draw(&f->legend, f->cr, f->st, legend_text, f);
    sink->end(sink->ctx, GDV_PART_LEGEND, 0);
  }
}

/* A 1x1 surface carries the sink: paths are built on it and read, never
 * drawn. The figure is drawn unscaled; the sink gets the page's scale. */
gdv_status gdv_render_to_sink(const gdv_scene *s, const gdv_style *st, gdv_draw_sink *sink,
                              gdv_error *err) {
  fig f;
  gdv_status status = fig_setup(&f, s, st, err);
  if (status) { gdv_legend_free(&f.legend); return status; }
  cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
  f.cr = cairo_create(surf);
  cairo_surface_destroy(surf);
  gdv_render_attach_sink(f.cr, sink);
  gdv_text_font_options(f.cr);
  cairo_set_line_join(f.cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(f.cr, CAIRO_LINE_CAP_ROUND);
  sink->figure(sink->ctx, f.canvas_w, f.canvas_h, f.scale, st->background);
  fig_draw_parts(&f, sink);
  cairo_status_t cs = cairo_status(f.cr);
  cairo_destroy(f.cr);
  gdv_legend_free(&f.legend);
  if (cs != CAIRO_STATUS_SUCCESS)
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cairo: %s", cairo_status_to_string(cs));
  return GDV_OK;
}

/* cairo's stream callback writing to a FILE. */
static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int len) {
  return fwrite(data, 1, len, (FILE *)closure) == len ? CAIRO_STATUS_SUCCESS
                                                       : CAIRO_STATUS_WRITE_ERROR;
}

/* The PDF date is pinned so that the same pages give the same bytes. */
struct _cairo_surface *gdv_render_pdf_stream(FILE *f, double width, double height,
                                             const char *software,
                                             const char *title) {
  cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(write_stream, f, width, height);
  cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00");
  if (software) cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, software);
  if (title) cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
  return surf;
}

/* A canvas's limits: Cairo's image side, and memory by area. */
#define MAX_SIDE 32767.0
#define DEFAULT_MAX_PIXELS 100e6

/* True when a figure of w x h points at dpi fits both limits. */
static int png_fits(double w, double h, double dpi, double max_pixels) {
  double px_w = ceil(w * dpi / 72), px_h = ceil(h * dpi / 72);
  return px_w <= MAX_SIDE && px_h <= MAX_SIDE && px_w * px_h <= max_pixels;
}

/* The pixel limit bounds memory by area (4 bytes a pixel), whatever a
 * graph file's settings ask for; GRADVIZ_MAX_PIXELS changes it. */
static gdv_status canvas_check(double w, double h, double dpi, gdv_error *err) {
  const char *env = getenv("GRADVIZ_MAX_PIXELS");
  unsigned long long v;
  double max_pixels = DEFAULT_MAX_PIXELS;
  if (env && *env) {
    if (!gdv_parse_size(env, 1000, &v))
      return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                           "GRADVIZ_MAX_PIXELS='%.40s' is not a number of pixels "
                           "(such as 100M)", env);
    max_pixels = (double)v;
  }
  if (png_fits(w, h, dpi, max_pixels)) return GDV_OK;
  double px_w = ceil(w * dpi / 72), px_h = ceil(h * dpi / 72);
  /* the largest dpi that fits: from the area and the longer side, then
   * down until the rounding to whole pixels fits too */
  double fit = floor(fmin(72 * sqrt(max_pixels / fmax(w * h, 1e-9)),
                          72 * MAX_SIDE / fmax(fmax(w, h), 1e-9)));
  while (fit >= 1 && !png_fits(w, h, fit, max_pixels)) fit--;
  char how[80] = "write SVG or PDF";
  if (fit >= 10) snprintf(how, sizeof how, "%.0f dpi or less fits, or write SVG or PDF", fit);
  return gdv_error_set_about(err, fit >= 10 ? GDV_SETTING_DPI : GDV_SETTING_NONE,
                       GDV_ERR_INPUT, "", 0,
                       "a PNG of %.0fx%.0f pixels at %.0f dpi is over the limit "
                       "(%g megapixels, 32767 a side; GRADVIZ_MAX_PIXELS sets "
                       "it): %s", px_w, px_h, dpi, max_pixels / 1e6, how);
}

/* Canvases from this size on go in huge pages where the system has them:
 * a 1920x1080 figure's 8 MB is otherwise 2,025 page faults, each a trap
 * and a zeroed page, which cost a PNG as much as drawing it. */
#define CANVAS_HUGE_MIN (4u << 20)
#define CANVAS_HUGE_PAGE (2u << 20)
static cairo_user_data_key_t canvas_memory_key;

/* An image surface like cairo_image_surface_create's, its pixels in memory
 * of our own (freed with the surface) on huge page boundaries, advised as
 * such. Zeroed as Cairo's are where zero matters: a transparent
 * background is painted over them; an opaque one replaces every pixel. */
static cairo_surface_t *canvas_surface(cairo_format_t format, int w, int h) {
  int stride = cairo_format_stride_for_width(format, w);
  size_t size = stride > 0 && h > 0 ? (size_t)stride * (size_t)h : 0;
  void *mem = NULL;
  if (size < CANVAS_HUGE_MIN) return cairo_image_surface_create(format, w, h);
  size_t rounded = (size + CANVAS_HUGE_PAGE - 1) / CANVAS_HUGE_PAGE * CANVAS_HUGE_PAGE;
  if (posix_memalign(&mem, CANVAS_HUGE_PAGE, rounded) != 0) return cairo_image_surface_create(format, w, h);
#ifdef MADV_HUGEPAGE
  madvise(mem, rounded, MADV_HUGEPAGE);
#endif
  if (format != CAIRO_FORMAT_RGB24) memset(mem, 0, size);
  cairo_surface_t *surf = cairo_image_surface_create_for_data(mem, format, w, h, stride);
  if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS ||
      cairo_surface_set_user_data(surf, &canvas_memory_key, mem, free) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surf);
    free(mem);
    return cairo_image_surface_create(format, w, h);
  }
  return surf;
}

/* PNG is refused past Cairo's 32767 pixels a side and past the pixel
 * limit (canvas_check). On failure nothing is left to free. */
gdv_status gdv_render_canvas_draw(const gdv_scene *s, const gdv_style *st,
                                  const gdv_render_meta *meta,
                                  gdv_render_canvas *out, gdv_error *err) {
  fig f;
  memset(out, 0, sizeof *out);
  gdv_status status = fig_setup(&f, s, st, err);
  if (status) { gdv_legend_free(&f.legend); return status; }
  double dpi = meta && meta->dpi > 0 ? meta->dpi : 144;
  /* a page's pixels are rounded, a natural figure's rounded up */
  int paged = s->page.width > 0;
  double px_w = paged ? round(f.canvas_w * dpi / 72) : ceil(f.canvas_w * dpi / 72);
  double px_h = paged ? round(f.canvas_h * dpi / 72) : ceil(f.canvas_h * dpi / 72);
  if ((status = canvas_check(f.canvas_w, f.canvas_h, dpi, err))) {
    gdv_legend_free(&f.legend);
    return status;
  }
  /* alpha only when the background lets it through: opaque figures keep
   * their RGB bytes */
  cairo_surface_t *surf = canvas_surface(
      st->background.a < 1 ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, (int)px_w, (int)px_h);
  f.cr = cairo_create(surf);
  cairo_scale(f.cr, dpi / 72 * f.scale, dpi / 72 * f.scale);
  fig_draw(&f);
  cairo_status_t cs = cairo_status(f.cr);
  cairo_destroy(f.cr);
  gdv_legend_free(&f.legend);
  if (cs == CAIRO_STATUS_SUCCESS) cs = cairo_surface_status(surf);
  if (cs != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surf);
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cairo: %s", cairo_status_to_string(cs));
  }
  cairo_surface_flush(surf);
  *out = (gdv_render_canvas){surf, f.ox, f.oy, dpi / 72 * f.scale, f.flow_lo, f.flow_hi};
  return GDV_OK;
}

/* Leaves the canvas empty, so a second free is harmless. */
void gdv_render_canvas_free(gdv_render_canvas *cv) {
  if (cv->surface) cairo_surface_destroy(cv->surface);
  memset(cv, 0, sizeof *cv);
}

/* Draws the figure as the next PDF page, page_w x page_h, the figure
 * scaled and its point (tx, ty) (after scaling) at the page's corner. */
static cairo_status_t draw_pdf_page(fig *f, cairo_surface_t *pdf, double page_w,
                                    double page_h, double tx, double ty, double scale) {
  cairo_pdf_surface_set_size(pdf, page_w, page_h);
  f->cr = cairo_create(pdf);
  if (tx != 0 || ty != 0) cairo_translate(f->cr, -tx, -ty);
  if (scale != 1) cairo_scale(f->cr, scale, scale);
  fig_draw(f);
  cairo_show_page(f->cr);
  cairo_status_t cs = cairo_status(f->cr);
  cairo_destroy(f->cr);
  return cs;
}

/* One page of a PDF the caller owns (several figures in one file); the page
 * takes this figure's size, so pages may differ. */
gdv_status gdv_render_pdf_page(const gdv_scene *s, const gdv_style *st,
                               struct _cairo_surface *pdf, gdv_error *err) {
  fig f;
  gdv_status status = fig_setup(&f, s, st, err);
  if (status) { gdv_legend_free(&f.legend); return status; }
  cairo_status_t cs = draw_pdf_page(&f, pdf, f.canvas_w, f.canvas_h, 0, 0, f.scale);
  gdv_legend_free(&f.legend);
  if (cs != CAIRO_STATUS_SUCCESS)
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cairo: %s", cairo_status_to_string(cs));
  return GDV_OK;
}

/* The size fig_setup gives the figure: what every format draws. */
gdv_status gdv_render_figure_size(const gdv_scene *s, const gdv_style *st, double *width,
                                  double *height, gdv_error *err) {
  fig f;
  gdv_status status = fig_setup(&f, s, st, err);
  gdv_legend_free(&f.legend);
  if (status) return status;
  *width = f.width;
  *height = f.height;
  return GDV_OK;
}

/* One page per tile, row by row; the grid is centred on the figure, and a
 * page draws only what meets its tile. */
gdv_status gdv_render_pdf_tiles(const gdv_scene *s, const gdv_style *st,
                                struct _cairo_surface *pdf, double page_w, double page_h,
                                double scale, size_t *pages, gdv_error *err) {
  fig f;
  gdv_status status = fig_setup(&f, s, st, err);
  if (status) { gdv_legend_free(&f.legend); return status; }
  size_t cols = (size_t)ceil(f.width * scale / page_w - 1e-9);
  size_t rows = (size_t)ceil(f.height * scale / page_h - 1e-9);
  if (cols < 1) cols = 1;
  if (rows < 1) rows = 1;
  double ox = ((double)cols * page_w - f.width * scale) / 2;
  double oy = ((double)rows * page_h - f.height * scale) / 2;
  cairo_status_t cs = CAIRO_STATUS_SUCCESS;
  f.clip = 1;
  for (size_t r = 0; r < rows && cs == CAIRO_STATUS_SUCCESS; r++)
    for (size_t c = 0; c < cols && cs == CAIRO_STATUS_SUCCESS; c++) {
      double tx = (double)c * page_w - ox, ty = (double)r * page_h - oy;
      f.clip_box[0] = tx / scale;
      f.clip_box[1] = ty / scale;
      f.clip_box[2] = (tx + page_w) / scale;
      f.clip_box[3] = (ty + page_h) / scale;
      cs = draw_pdf_page(&f, pdf, page_w, page_h, tx, ty, scale);
    }
  gdv_legend_free(&f.legend);
  *pages = rows * cols;
  if (cs != CAIRO_STATUS_SUCCESS)
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cairo: %s", cairo_status_to_string(cs));
  return GDV_OK;
}

/* For pages cut from a figure by a caller (the MNIST poster): the figure
 * on the caller's context as on its page, what does not meet clip
 * skipped; the caller's translation and clip choose the part. */
gdv_status gdv_render_draw_on(const gdv_scene *s, const gdv_style *st, struct _cairo *cr,
                              const double *clip, gdv_error *err) {
  fig f;
  gdv_status status = fig_setup(&f, s, st, err);
  if (status) { gdv_legend_free(&f.legend); return status; }
  f.cr = cr;
  if (clip) {
    f.clip = 1;
    memcpy(f.clip_box, clip, sizeof f.clip_box);
  }
  cairo_save(cr);
  if (f.scale != 1) cairo_scale(cr, f.scale, f.scale);
  fig_draw(&f);
  cairo_restore(cr);
  gdv_legend_free(&f.legend);
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cairo: %s",
                         cairo_status_to_string(cairo_status(cr)));
  return GDV_OK;
}

/* fig_setup does the measuring, so the scale is the one drawn. */
gdv_status gdv_render_page_scale(const gdv_scene *s, const gdv_style *st, double *scale,
                                 gdv_error *err) {
  fig f;
  gdv_status status = fig_setup(&f, s, st, err);
  gdv_legend_free(&f.legend);
  *scale = status ? 0 : f.scale;
  return status;
}

/* Runs the geometry alone: no surface, nothing drawn. */
gdv_status gdv_render_figure_floor(const gdv_scene *s, const gdv_style *st,
                                   gdv_figure_floor *floor, gdv_error *err) {
  fig f;
  gdv_status status = fig_setup(&f, s, st, err);
  gdv_legend_free(&f.legend);
  if (status) return status;
  if (f.parts.inner_w > floor->inner_w) floor->inner_w = f.parts.inner_w;
  if (f.parts.title_h > floor->title_h) floor->title_h = f.parts.title_h;
  if (f.parts.legend_w > floor->legend_w) floor->legend_w = f.parts.legend_w;
  if (f.parts.legend_h > floor->legend_h) floor->legend_h = f.parts.legend_h;
  return GDV_OK;
}

static const char *const node_kind_names[] = {"op", "input", "param", "const", "ellipsis"};

/* The dump's edges: where each is drawn, and in which pen (frames are
 * checked for edges keeping their colour). */
static void dump_edges(const fig *f, FILE *out) {
  const gdv_scene *s = f->s;
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *e = &s->edges[i];
    gdv_rgba c;
    double w;
    int dashed;
    edge_pen(f, e, &c, &w, &dashed);
    fprintf(out, "%s\n    {\"index\": %zu, \"from\": %zu, \"to\": %zu, \"width\": %.3f, "
            "\"colour\": \"#%02X%02X%02X\", \"on_path\": %s, \"highlight\": %s, "
            "\"points\": [", i ? "," : "", i, e->from, e->to, w, (unsigned)lround(c.r * 255), (unsigned)lround(c.g * 255),
            (unsigned)lround(c.b * 255), e->flags & GDV_EDGE_ON_PATH ? "true" : "false",
            e->flags & GDV_EDGE_HIGHLIGHT ? "true" : "false");
    for (size_t k = 0; k < e->n_pts; k++)
      fprintf(out, "%s[%.2f, %.2f]", k ? ", " : "", e->pts[2 * k] + f->ox, e->pts[2 * k + 1] + f->oy);
    fprintf(out, "]");
    if (e->count > 1) fprintf(out, ", \"count\": %zu", e->count);
    /* the graph edge it draws (eval's edge index; into a collapsed group,
     * the first of the edges it sums) */
    if (e->graph_edge != GDV_NONE) {
      int summed = s->edge_summed && s->edge_summed[e->graph_edge];
      fprintf(out, ", \"graph_edge\": %u, \"summed\": %s", (unsigned)e->graph_edge,
              summed ? "true" : "false");
    }
    if (e->flags & GDV_EDGE_RECORDED_WRONG) fprintf(out, ", \"recorded_wrong\": true");
    if (e->n_lines && e->label_w > 0)
      fprintf(out, ", \"label\": {\"x\": %.2f, \"y\": %.2f, \"w\": %.2f, \"h\": %.2f}",
              e->label_x + f->ox - e->label_w / 2, e->label_y + f->oy - e->label_h / 2,
              e->label_w, e->label_h);
    fprintf(out, "}");
  }
}

/* The dump's nodes: each box, its flags, the graph node it draws and the
 * marks drawn on it, in figure points. */
static void dump_nodes(const fig *f, const gdv_graph *g, FILE *out) {
  const gdv_scene *s = f->s;
  const gdv_style *st = f->st;
  for (size_t i = 0; i < s->n_nodes; i++) {
    const gdv_scene_node *n = &s->nodes[i];
    fprintf(out, "%s\n    {\"index\": %zu, \"id\": ", i ? "," : "", i);
    gdv_json_string(out, n->id ? n->id : "");
    /* the graph node it draws (a collapsed group's: its result) */
    if (n->graph_node != GDV_NONE && g && n->graph_node < g->n_nodes) {
      fprintf(out, ", \"node\": ");
      gdv_json_string(out, g->name[n->graph_node]);
    }
    fprintf(out, ", \"kind\": \"%s\", \"hidden\": %s, \"greyed\": %s, \"output\": %s, "
            "\"on_path\": %s, \"nonfinite\": %s, "
            "\"x\": %.2f, \"y\": %.2f, \"w\": %.2f, \"h\": %.2f",
            node_kind_names[n->kind < 5 ? n->kind : 0],
            n->flags & GDV_NODE_HIDDEN ? "true" : "false",
            n->flags & GDV_NODE_GREYED ? "true" : "false",
            n->flags & GDV_NODE_OUTPUT ? "true" : "false",
            n->flags & GDV_NODE_ON_PATH ? "true" : "false",
            n->flags & GDV_NODE_NONFINITE ? "true" : "false",
            n->x + f->ox - n->w / 2, n->y + f->oy - n->h / 2, n->w, n->h);
    if (gdv_render_nonfinite_shown(n) && !(n->flags & GDV_NODE_HIDDEN)) {
      double cx, cy, r;
      nonfinite_mark_at(st, n, f->ox, f->oy, &cx, &cy, &r);
      fprintf(out, ", \"mark\": {\"kind\": \"%s\", \"x\": %.2f, \"y\": %.2f, \"w\": %.2f, \"h\": %.2f}",
              n->flags & GDV_NODE_NONFINITE_ORIGIN ? "origin" : "spread", cx - r, cy - r, 2 * r, 2 * r);
    }
    if ((n->flags & GDV_NODE_RECORDED_WRONG) && !(n->flags & GDV_NODE_HIDDEN)) {
      double cx, cy, r;
      recorded_mark_at(st, n, f->ox, f->oy, &cx, &cy, &r);
      fprintf(out, ", \"recorded_wrong\": {\"x\": %.2f, \"y\": %.2f, \"w\": %.2f, \"h\": %.2f}",
              cx - r, cy - r, 2 * r, 2 * r);
    }
    fprintf(out, "}");
  }
}

/* Runs the real drawing code on a 1x1 surface with a recorder attached, so
 * tests check the coordinates that are drawn, not a second computation of
 * them (formats/gdv_dump.c writes the rest of the dump around it). */
gdv_status gdv_render_dump_drawing(const gdv_scene *s, const gdv_style *st, const gdv_graph *g,
                                  FILE *out, gdv_error *err) {
  fig f;
  gdv_status status = fig_setup(&f, s, st, err);
  if (status) { gdv_legend_free(&f.legend); return status; }
  char *texts = NULL;
  size_t texts_len = 0;
  f.dump = open_memstream(&texts, &texts_len);
  if (f.dump == NULL) {
    gdv_legend_free(&f.legend);
    return gdv_error_oom(err);
  }
  cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
  f.cr = cairo_create(surf);
  fig_draw(&f);
  cairo_destroy(f.cr);
  cairo_surface_destroy(surf);
  fclose(f.dump);
  fprintf(out, "  \"width\": %.2f, \"height\": %.2f,\n", f.width, f.height);
  if (s->page.width > 0) {
    fprintf(out, "  \"page\": {\"name\": ");
    gdv_json_string(out, s->page.name);
    fprintf(out, ", \"width\": %.2f, \"height\": %.2f, \"scale\": %.4f, "
            "\"direction\": \"%s\", \"layering\": \"%s\", \"held\": %s, \"buses\": %s, "
            "\"bands\": %zu, "
            "\"collapsed\": %zu, \"layouts\": %zu, \"measured\": %zu},\n",
            s->page.width, s->page.height, f.scale, s->rank_lr ? "LR" : "TB",
            s->late_layers ? "late" : "early", s->hold_layers ? "true" : "false",
            s->bus_gaps ? "true" : "false",
            s->bands ? s->bands : 1, s->n_collapsed,
            s->plan_layouts, s->plan_measured);
  }
  fprintf(out, "  \"nodes\": [");
  dump_nodes(&f, g, out);
  fprintf(out, "\n  ],\n  \"edges\": [");
  dump_edges(&f, out);
  fprintf(out, "\n  ],\n  \"items\": [");
  for (size_t i = 0; i < s->n_items; i++) {
    const gdv_scene_item *it = &s->items[i];
    static const char *const kinds[] = {"box", "badge", "image", "heatmap", "text", "blank"};
    fprintf(out, "%s\n    {\"index\": %zu, \"kind\": \"%s\", \"x\": %.2f, \"y\": %.2f, "
            "\"w\": %.2f, \"h\": %.2f}", i ? "," : "", i, it->kind <= GDV_ITEM_BLANK ?
            kinds[it->kind] : "?", it->x + f.ox - it->w / 2, it->y + f.oy - it->h / 2, it->w, it->h);
  }
  static const char *const places[] = {"bottom", "side", "none"};
  int place = s->legend_place >= 0 && s->legend_place <= GDV_LEGEND_NONE ? s->legend_place : 0;
  fprintf(out, "\n  ],\n  \"legend\": {\"x\": %.2f, \"y\": %.2f, \"w\": %.2f, \"h\": %.2f, "
          "\"place\": \"%s\", \"entries\": %zu},\n",
          f.legend.x, f.legend.y, f.legend.w, f.legend.h,
          !(s->show & GDV_SHOW_LEGEND) ? "none" : f.legend_corner ? "corner" : places[place],
          f.legend.n);
  fprintf(out, "  \"texts\": [");
  fwrite(texts, 1, texts_len, out);
  fprintf(out, "\n  ]\n}\n");
  free(texts);
  gdv_legend_free(&f.legend);
  if (ferror(out)) return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the layout dump");
  return GDV_OK;
}

/* Runs the drawing code on a 1x1 surface collecting every text's box, as
 * the dump does: the planner measures what will be drawn. */
gdv_status gdv_render_geometry(const gdv_scene *s, const gdv_style *st, gdv_figure_geometry *g,
                               gdv_error *err) {
  memset(g, 0, sizeof *g);
  fig f;
  gdv_status status = fig_setup(&f, s, st, err);
  if (status) {
    gdv_legend_free(&f.legend);
    return status;
  }
  f.geometry = g;
  cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
  f.cr = cairo_create(surf);
  fig_draw(&f);
  cairo_destroy(f.cr);
  cairo_surface_destroy(surf);
  g->width = f.width;
  g->height = f.height;
  g->ox = f.ox;
  g->oy = f.oy;
  g->scale = f.scale;
  g->legend_x = f.legend.x, g->legend_y = f.legend.y;
  g->legend_w = f.legend.w, g->legend_h = f.legend.h;
  gdv_legend_free(&f.legend);
  if (g->oom) {
    gdv_figure_geometry_free(g);
    return gdv_error_oom(err);
  }
  return GDV_OK;
}

/* Leaves g empty, so a second free is harmless. */
void gdv_figure_geometry_free(gdv_figure_geometry *g) {
  free(g->texts);
  memset(g, 0, sizeof *g);
}
