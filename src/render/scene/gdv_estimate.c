/* gdv_estimate.c: will the figure fit a PNG? Asked before layout.
 *
 * A graph of 100,000 distinct uses of one value laid out in columns is a
 * column 17 million pixels tall: the layout takes many seconds and a
 * third of a gigabyte only for the drawing to be refused. The boxes'
 * heights (their line counts: no text is measured) and the layers (the
 * longest path from a source, as the columns layout places them) give a
 * lower bound of the figure's extent in linear time, so such a render is
 * refused before it starts. Being a lower bound, it never refuses a figure
 * that would fit; the drawing's own check stays for the rest. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

/* Cairo's image surfaces stop at 32767 pixels a side. */
#define PNG_MAX_SIDE 32767.0

/* Layer of every node as gdv_layout_columns assigns it: node.layer when
 * set, else the longest path from a source (Kahn's order, no recursion).
 * Returns the number of layers, or 0 when out of memory. */
static size_t layers_of(const gdv_scene *s, size_t *layer) {
  size_t nn = s->n_nodes, ne = s->n_edges, n_layers = 1;
  size_t *indeg = calloc(nn + 1, sizeof *indeg), *queue = malloc((nn ? nn : 1) * sizeof *queue);
  size_t *start, *out;
  if (!gdv_scene_out_edges(s, &start, &out) || !indeg || !queue) n_layers = 0;
  for (size_t e = 0; n_layers && e < ne; e++) indeg[s->edges[e].to]++;
  size_t head = 0, tail = 0;
  for (size_t v = 0; n_layers && v < nn; v++) {
    layer[v] = 0;
    if (indeg[v] == 0) queue[tail++] = v;
  }
  while (n_layers && head < tail) {
    size_t v = queue[head++];
    if (s->nodes[v].layer >= 0) layer[v] = (size_t)s->nodes[v].layer;
    if (layer[v] + 1 > n_layers) n_layers = layer[v] + 1;
    for (size_t k = start[v]; k < start[v + 1]; k++) {
      size_t w = s->edges[out[k]].to;
      if (layer[w] < layer[v] + 1) layer[w] = layer[v] + 1;
      if (--indeg[w] == 0) queue[tail++] = w;
    }
  }
  free(indeg);
  free(start);
  free(out);
  free(queue);
  return n_layers;
}

/* The least size gdv_scene_measure can give a box (it only enlarges): the
 * height from the line count, exactly; the width at least the height, as
 * no box is narrower than it is tall. */
static void least_box(const gdv_scene *s, const gdv_style *st, size_t v, double *w, double *h) {
  const gdv_scene_node *n = &s->nodes[v];
  if (n->shape == GDV_SHAPE_DOT) {
    *h = n->w > 0 ? n->w : st->font_size;
  } else {
    size_t nl = n->n_lines ? n->n_lines : 1;
    double pad = 2 * st->node_pad * (n->shape == GDV_SHAPE_PLAIN ? 0.5 : 0.75);
    *h = ceil((double)nl * gdv_text_line_height(st, GDV_CTX_NODE) + pad);
  }
  *h = fmax(*h, n->h);
  *w = fmax(*h, n->w);
}

/* The columns layout's extent at least: along the layers the widest box of
 * each plus the gaps, across them the fullest layer's boxes plus gaps. */
static int columns_extent(const gdv_scene *s, const gdv_style *st, double *along,
                          double *across) {
  size_t nn = s->n_nodes, *layer = malloc((nn ? nn : 1) * sizeof *layer);
  size_t n_layers = layer ? layers_of(s, layer) : 0;
  double *len = calloc(n_layers ? n_layers : 1, sizeof *len);
  double *thick = calloc(n_layers ? n_layers : 1, sizeof *thick);
  size_t *count = calloc(n_layers ? n_layers : 1, sizeof *count);
  int ok = layer && n_layers && len && thick && count;
  for (size_t v = 0; ok && v < nn; v++) {
    double bw, bh;
    least_box(s, st, v, &bw, &bh);
    double a = s->rank_lr ? bw : bh, c = s->rank_lr ? bh : bw;
    size_t l = layer[v] < n_layers ? layer[v] : n_layers - 1;
    if (a > thick[l]) thick[l] = a;
    len[l] += c;
    count[l]++;
  }
  *along = *across = 0;
  for (size_t l = 0; ok && l < n_layers; l++) {
    *along += thick[l] + (l ? st->rank_sep : 0);
    double c = len[l] + (count[l] ? (double)(count[l] - 1) * st->node_sep : 0);
    if (c > *across) *across = c;
  }
  free(layer);
  free(len);
  free(thick);
  free(count);
  return ok;
}

/* Any layout's extent at least: no two boxes overlap, so the drawing
 * covers their area; as a square side, the smallest it could be. */
static double area_side(const gdv_scene *s, const gdv_style *st) {
  double area = 0, elh = gdv_text_line_height(st, GDV_CTX_EDGE), bw, bh;
  for (size_t v = 0; v < s->n_nodes; v++) {
    least_box(s, st, v, &bw, &bh);
    area += bw * bh;
  }
  for (size_t e = 0; e < s->n_edges; e++) {
    double lh = s->edges[e].n_lines ? (double)s->edges[e].n_lines * elh : 0;
    area += lh * lh;
  }
  return sqrt(area);
}

/* Compares the extent the figure must at least have with the PNG limit at
 * dpi; the one-line refusal names what would help. */
gdv_status gdv_scene_fit_png(const gdv_scene *s, const gdv_style *st, int columns, double dpi,
                             gdv_error *err) {
  double along = 0, across = 0, side = area_side(s, st), px = dpi / 72;
  int cols_ok = columns_extent(s, st, &along, &across);
  if (!cols_ok) return gdv_error_oom(err);
  double w = s->rank_lr ? along : across, h = s->rank_lr ? across : along;
  double cols_px = (fmax(w, h) + 2 * st->margin) * px, any_px = (side + 2 * st->margin) * px;
  double need = columns ? cols_px : any_px;
  if (need <= PNG_MAX_SIDE) return GDV_OK;
  double fit_dpi = floor(dpi * PNG_MAX_SIDE / need);
  char advice[96];
  gdv_setting helps = GDV_SETTING_SHOW;
  if (!columns && cols_px <= PNG_MAX_SIDE) {
    snprintf(advice, sizeof advice, "a layout in columns fits, or write SVG or PDF");
    helps = GDV_SETTING_LAYOUT;
  } else if (fit_dpi >= 10) {
    snprintf(advice, sizeof advice, "%.0f dpi or less fits, or write SVG or PDF", fit_dpi);
    helps = GDV_SETTING_DPI;
  } else {
    snprintf(advice, sizeof advice, "write SVG or PDF, or show less");
  }
  return gdv_error_set_about(err, helps, GDV_ERR_INPUT, "", 0,
                       "a figure of %zu nodes and %zu edges needs at least %.0f pixels a "
                       "side, more than PNG allows (32767): %s",
                       s->n_nodes, s->n_edges, ceil(need), advice);
}

/* The most text a figure of the scene could have on its page, in pixels
 * per em of its smaller font at dpi, before any layout and in linear time:
 * no two boxes or edge labels overlap in any layout (folded or not), so
 * the drawing covers their summed area at least, and it holds its largest
 * box; the page then bounds the scale (its title, legend and margins only
 * lower it). A box is at least as wide as a box of three lines is tall, or
 * as it is itself when shorter: a tall box of wrapped text is narrow. */
double gdv_scene_text_ceiling(const gdv_scene *s, const gdv_style *st, double dpi) {
  const gdv_page *pg = &s->page;
  if (!(pg->width > 0 && pg->height > 0)) return INFINITY;
  double nlh = gdv_text_line_height(st, GDV_CTX_NODE), elh = gdv_text_line_height(st, GDV_CTX_EDGE);
  double cap = ceil(3 * nlh + 2 * st->node_pad * 0.75);
  double area = 0, max_w = 0, max_h = 0, bw, bh;
  for (size_t v = 0; v < s->n_nodes; v++) {
    least_box(s, st, v, &bw, &bh);
    bw = fmax(s->nodes[v].w, fmin(bh, cap));
    area += bw * bh;
    max_w = fmax(max_w, bw);
    max_h = fmax(max_h, bh);
  }
  for (size_t e = 0; e < s->n_edges; e++) {
    if (s->edges[e].flags & GDV_EDGE_HIDDEN || s->edges[e].n_lines == 0) continue;
    double lh = (double)s->edges[e].n_lines * elh;
    area += lh * fmin(lh, 2 * elh);
  }
  double scale = pg->max_scale > 0 ? pg->max_scale : INFINITY;
  if (area > 0) scale = fmin(scale, sqrt(pg->width * pg->height / area));
  if (max_w > 0) scale = fmin(scale, pg->width / max_w);
  if (max_h > 0) scale = fmin(scale, pg->height / max_h);
  double font = fmin(st->font_size, st->edge_font_size);
  return font * scale * dpi / 72;
}
