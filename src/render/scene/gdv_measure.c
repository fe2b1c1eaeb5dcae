/* gdv_measure.c: box sizes from the text they hold (measured by
 * gdv_text.c, unhinted, so that PNG, SVG and PDF agree), and the box a
 * laid-out graph covers. */
#include <math.h>
#include <string.h>

#include "render/gdv_render_int.h"

/* Rows: the first line of a list always starts one. */
size_t gdv_lines_rows(const gdv_scene_line *lines, size_t n) {
  size_t rows = 0;
  for (size_t i = 0; i < n; i++) rows += i == 0 || !lines[i].join;
  return rows;
}

/* Parts in their own fonts, a gap of GDV_JOIN_GAP_EM between them. */
double gdv_lines_row_width(cairo_t *cr, const gdv_style *st, gdv_text_context ctx,
                           const gdv_scene_line *lines, size_t n, size_t i, size_t *next) {
  double w = 0;
  size_t j = i;
  do {
    gdv_text_font(cr, st, ctx, lines[j].kind);
    if (j > i) w += GDV_JOIN_GAP_EM * gdv_text_size(st, ctx, lines[j].kind);
    w += gdv_text_width(cr, lines[j].text);
    j++;
  } while (j < n && lines[j].join);
  *next = j;
  return w;
}

/* The first row starts the walk; see gdv_render_int.h. */
void gdv_lines_walk_start(gdv_lines_walk *w, cairo_t *cr, const gdv_style *st,
                          gdv_text_context ctx, const gdv_scene_line *lines, size_t n, double cx,
                          double cy, double box_w, int left) {
  *w = (gdv_lines_walk){cr, st, ctx, lines, n, 0, 0, 0, cx, 0, 0, box_w, 0, left};
  w->lh = gdv_text_line_height(st, ctx);
  w->top = cy - w->lh * (double)gdv_lines_rows(lines, n) / 2;
}

/* A row is measured when the walk enters it; a part of it follows the
 * one before after a gap of GDV_JOIN_GAP_EM. */
int gdv_lines_walk_next(gdv_lines_walk *w, size_t *k, double *x, double *y, double *width,
                        double *height) {
  if (w->k >= w->n) return 0;
  if (w->k == w->next) {
    if (w->k > 0) w->row++;
    double rw = gdv_lines_row_width(w->cr, w->st, w->ctx, w->lines, w->n, w->k, &w->next);
    w->x = w->left ? w->cx - w->box_w / 2 : w->cx - rw / 2;
  } else {
    w->x += GDV_JOIN_GAP_EM * gdv_text_size(w->st, w->ctx, w->lines[w->k].kind);
  }
  gdv_text_font(w->cr, w->st, w->ctx, w->lines[w->k].kind);
  double ascent, descent;
  gdv_text_extents(w->cr, &ascent, &descent);
  *k = w->k;
  *x = w->x;
  *width = gdv_text_width(w->cr, w->lines[w->k].text);
  *height = ascent + descent;
  *y = w->top + w->lh * (double)w->row + (w->lh - ascent - descent) / 2;
  w->x += *width;
  w->k++;
  return 1;
}

/* Widest row of a list in a context. */
static double lines_width(cairo_t *cr, const gdv_style *st, gdv_text_context ctx,
                          const gdv_scene_line *lines, size_t n) {
  double w = 0;
  for (size_t i = 0, next; i < n; i = next) {
    double lw = gdv_lines_row_width(cr, st, ctx, lines, n, i, &next);
    if (lw > w) w = lw;
  }
  return w;
}

/* Only ever enlarges a box: a larger size set before layout (MNIST dots)
 * wins; a box is never narrower than it is tall. */
gdv_status gdv_scene_measure(gdv_scene *s, const gdv_style *st, gdv_error *err) {
  cairo_t *cr = gdv_text_measure_context();
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS || !gdv_text_start()) {
    cairo_destroy(cr);
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot measure text (cairo or pango failed)");
  }
  double lh = gdv_text_line_height(st, GDV_CTX_NODE);
  for (size_t i = 0; i < s->n_nodes; i++) {
    gdv_scene_node *n = &s->nodes[i];
    double w, h;
    if (n->shape == GDV_SHAPE_DOT) {
      /* a size set before layout wins: tens of thousands of dots need
       * less than a text line each */
      w = h = n->w > 0 ? n->w : st->font_size;
    } else {
      size_t nl = n->n_lines ? gdv_lines_rows(n->lines, n->n_lines) : 1;
      w = ceil(lines_width(cr, st, GDV_CTX_NODE, n->lines, n->n_lines) + 2 * st->node_pad);
      h = ceil(nl * lh + 2 * st->node_pad * (n->shape == GDV_SHAPE_PLAIN ? 0.5 : 0.75));
      if (w < h) w = h;
    }
    if (n->w < w) n->w = w;
    if (n->h < h) n->h = h;
  }
  double elh = gdv_text_line_height(st, GDV_CTX_EDGE);
  for (size_t i = 0; i < s->n_edges; i++) {
    gdv_scene_edge *e = &s->edges[i];
    if (e->n_lines == 0) {
      e->label_w = e->label_h = 0;
      continue;
    }
    e->label_w = ceil(lines_width(cr, st, GDV_CTX_EDGE, e->lines, e->n_lines) + 2 * GDV_EDGE_LABEL_PAD);
    e->label_h = ceil((double)gdv_lines_rows(e->lines, e->n_lines) * elh + 2 * GDV_EDGE_LABEL_PAD);
  }
  for (size_t i = 0; i < s->n_items; i++) {
    gdv_scene_item *it = &s->items[i];
    double tw = lines_width(cr, st, GDV_CTX_ITEM, it->lines, it->n_lines);
    double th = it->n_lines * lh;
    if (it->kind == GDV_ITEM_BOX || it->kind == GDV_ITEM_BADGE) {
      double pad = it->kind == GDV_ITEM_BOX ? st->node_pad * 1.5 : st->node_pad * 0.75;
      if (it->w < tw + 2 * pad) it->w = ceil(tw + 2 * pad);
      if (it->h < th + 2 * pad) it->h = ceil(th + 2 * pad);
    } else {
      /* a picture: 4 points a pixel unless the caller chose; the caption
       * goes below it */
      if (it->w <= 0) it->w = (double)it->px_w * 4;
      if (it->h <= 0) it->h = (double)it->px_h * 4 + th;
      if (it->w < tw) it->w = ceil(tw);
    }
  }
  cairo_destroy(cr);
  return GDV_OK;
}

/* Comparisons, not fmin: a side not yet known (NaN) is passed over. */
void gdv_box_grow(double b[4], double x0, double y0, double x1, double y1) {
  if (x0 < b[0]) b[0] = x0;
  if (y0 < b[1]) b[1] = y0;
  if (x1 > b[2]) b[2] = x1;
  if (y1 > b[3]) b[3] = y1;
}

/* One extent for the layouts (to move the drawing to 0, 0), the fold (to
 * place the items below) and the drawing (to size the canvas). */
void gdv_scene_graph_box(const gdv_scene *s, double b[4]) {
  b[0] = b[1] = INFINITY;
  b[2] = b[3] = -INFINITY;
  for (size_t i = 0; i < s->n_nodes; i++) {
    const gdv_scene_node *n = &s->nodes[i];
    gdv_box_grow(b, n->x - n->w / 2, n->y - n->h / 2, n->x + n->w / 2, n->y + n->h / 2);
  }
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *e = &s->edges[i];
    for (size_t k = 0; k < e->n_pts; k++) {
      const double *p = &e->pts[2 * k];
      gdv_box_grow(b, p[0], p[1], p[0], p[1]);
    }
    if (e->label_w > 0 && e->n_lines)
      gdv_box_grow(b, e->label_x - e->label_w / 2, e->label_y - e->label_h / 2,
                   e->label_x + e->label_w / 2, e->label_y + e->label_h / 2);
  }
}

/* Items without a position (x or y NaN) are stacked below the graph at its
 * left edge; the scene's extent grows to hold them. */
void gdv_layout_place_items(gdv_scene *s, const gdv_style *st) {
  double y = s->height, x = 0;
  int any = 0;
  for (size_t i = 0; i < s->n_items; i++) {
    gdv_scene_item *it = &s->items[i];
    if (!isnan(it->x) && !isnan(it->y)) continue;
    if (!any) y += st->node_sep;
    any = 1;
    it->x = x + it->w / 2;
    it->y = y + it->h / 2;
    y += it->h + st->node_sep / 2;
    if (it->w > s->width) s->width = it->w;
  }
  if (any) s->height = y;
}
