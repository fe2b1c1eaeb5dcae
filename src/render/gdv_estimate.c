/* gdv_estimate.c: will the figure fit a PNG? Asked before layout.
 *
 * A graph of 100,000 distinct uses of one value laid out in columns is a
 * column 17 million pixels tall: the layout takes many seconds and a
 * third of a gigabyte only for the drawing to be refused. The boxes' sizes
 * (measured, as the layout measures them) and the layers (the longest path
 * from a source, as the columns layout places them) give a lower bound of
 * the figure's extent in well under a second, so such a render is refused
 * before it starts. Being a lower bound, it never refuses a figure that
 * would fit; the drawing's own check stays for the rest. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render.h"

/* Cairo's image surfaces stop at 32767 pixels a side. */
#define PNG_MAX_SIDE 32767.0

/* Layer of every node as gdv_layout_columns assigns it: node.layer when
 * set, else the longest path from a source (Kahn's order, no recursion).
 * Returns the number of layers, or 0 when out of memory. */
static size_t layers_of(const gdv_scene *s, size_t *layer) {
  size_t nn = s->n_nodes, ne = s->n_edges, n_layers = 1;
  size_t *indeg = calloc(nn + 1, sizeof *indeg), *start = calloc(nn + 2, sizeof *start);
  size_t *out = malloc((ne ? ne : 1) * sizeof *out), *queue = malloc((nn ? nn : 1) * sizeof *queue);
  if (!indeg || !start || !out || !queue) n_layers = 0;
  for (size_t e = 0; n_layers && e < ne; e++) {
    indeg[s->edges[e].to]++;
    start[s->edges[e].from + 2]++;
  }
  for (size_t v = 0; n_layers && v < nn; v++) start[v + 2] += start[v + 1];
  for (size_t e = 0; n_layers && e < ne; e++) out[start[s->edges[e].from + 1]++] = e;
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
    const gdv_scene_node *n = &s->nodes[v];
    double a = s->rank_lr ? n->w : n->h, c = s->rank_lr ? n->h : n->w;
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
static double area_side(const gdv_scene *s) {
  double area = 0;
  for (size_t v = 0; v < s->n_nodes; v++) area += s->nodes[v].w * s->nodes[v].h;
  for (size_t e = 0; e < s->n_edges; e++) area += s->edges[e].label_w * s->edges[e].label_h;
  return sqrt(area);
}

/* Measures the scene (the layout would, and measuring twice changes
 * nothing) and compares the extent it must at least have with the PNG
 * limit at dpi; the one-line refusal names what would help. */
gdv_status gdv_scene_fit_png(gdv_scene *s, const gdv_style *st, int columns, double dpi,
                             gdv_error *err) {
  gdv_status status = gdv_scene_measure(s, st, err);
  if (status) return status;
  double along = 0, across = 0, side = area_side(s), px = dpi / 72;
  int cols_ok = columns_extent(s, st, &along, &across);
  if (!cols_ok) return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
  double w = s->rank_lr ? along : across, h = s->rank_lr ? across : along;
  double cols_px = (fmax(w, h) + 2 * st->margin) * px, any_px = (side + 2 * st->margin) * px;
  double need = columns ? cols_px : any_px;
  if (need <= PNG_MAX_SIDE) return GDV_OK;
  double fit_dpi = floor(dpi * PNG_MAX_SIDE / need);
  char advice[96];
  if (!columns && cols_px <= PNG_MAX_SIDE)
    snprintf(advice, sizeof advice, "use --layout columns, or write SVG or PDF");
  else if (fit_dpi >= 10)
    snprintf(advice, sizeof advice, "lower --dpi (to %.0f at most), or write SVG or PDF", fit_dpi);
  else
    snprintf(advice, sizeof advice, "write SVG or PDF, or draw less with --show");
  return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                       "a figure of %zu nodes and %zu edges needs at least %.0f pixels a "
                       "side, more than PNG allows (32767): %s",
                       s->n_nodes, s->n_edges, ceil(need), advice);
}
