/* mnist_route.c: the MNIST figure's own edge routes over the columns
 * layout, so that no edge passes behind a node or a label that is not its
 * own. The render layer's columns put every label of a gap where its
 * straight line crosses the gap's middle and let edges cut the corners of
 * wider boxes; with a layer per column we can do better simply:
 *   - the boxes of a column share one width, so every edge leaves from and
 *     arrives at the column's edge (no corner of a wider box in the way);
 *   - a node's out-edges leave from ports stacked on its right side (ordered
 *     by their heads, so they do not cross there), and each labelled edge
 *     carries its label on a horizontal run just right of its tail's column:
 *     labels of one node stack inside the node's own height (it grows to
 *     hold them), and no other edge enters that band except on its own run;
 *   - beyond the band, a cubic to the head's column, where nothing stands;
 *   - an edge that skips columns (into the elided units of a layer drawn
 *     node by node) runs under those columns' lowest box. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnist_draw/mnist_route.h"

/* Points between a column's edge and its band of labels (12 pt of line
 * before a label: tests/render/plan/legible.py's "sides"), and the least room
 * a cubic gets to bend from a port to its head (plus the arrow). */
#define BAND_PAD 4.0
#define LABEL_LEAD 14.0
#define MIN_BEND 26.0
#define ARROW 6.0
/* Port slots: an unlabelled edge's share of a node's side; the gap
 * between two stacked labels. */
#define PLAIN_SLOT 6.0
#define LABEL_GAP 4.0
/* Lanes under skipped columns: clearance below their lowest box, and the
 * spacing of the lanes of different edges. */
#define LANE_CLEAR 10.0
#define LANE_STEP 3.0

static int labelled(const gdv_scene_edge *e) { return e->n_lines > 0 && e->label_w > 0; }

/* The height of node v's stack of ports: its out-edges' labels (and a
 * slot for each unlabelled one), or 0 when none of them is labelled (then
 * every out-edge leaves from the middle). */
static double stack_height(const gdv_scene *s, const size_t *start, const size_t *out,
                           size_t v) {
  double h = 0;
  int any = 0;
  for (size_t k = start[v]; k < start[v + 1]; k++) {
    const gdv_scene_edge *e = &s->edges[out[k]];
    any |= labelled(e);
    h += labelled(e) ? e->label_h + LABEL_GAP : PLAIN_SLOT;
  }
  return any ? h : 0;
}

/* Out-edges grouped by tail (counting sort: stable, so edge order breaks
 * ties), each group ordered by its heads' y. */
static const gdv_scene *sort_scene;
static int by_head_y(const void *pa, const void *pb) {
  size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
  double ya = sort_scene->nodes[sort_scene->edges[a].to].y;
  double yb = sort_scene->nodes[sort_scene->edges[b].to].y;
  if (ya != yb) return ya < yb ? -1 : 1;
  return a < b ? -1 : a > b;
}

static gdv_status out_lists(const gdv_scene *s, size_t **start, size_t **out, gdv_error *err) {
  return gdv_scene_out_edges(s, start, out) ? GDV_OK : gdv_error_oom(err);
}

gdv_status gdv_mnist_route_prepare(gdv_scene *s, gdv_error *err) {
  int n_layers = 0;
  for (size_t v = 0; v < s->n_nodes; v++)
    if (s->nodes[v].layer + 1 > n_layers) n_layers = s->nodes[v].layer + 1;
  double *width = calloc((size_t)n_layers + 1, sizeof *width);
  size_t *start, *out;
  if (!width) return gdv_error_oom(err);
  gdv_status st = out_lists(s, &start, &out, err);
  if (st) {
    free(width);
    return st;
  }
  for (size_t v = 0; v < s->n_nodes; v++) {
    gdv_scene_node *n = &s->nodes[v];
    double h = stack_height(s, start, out, v);
    if (n->shape != GDV_SHAPE_DOT && h + 4 > n->h) n->h = ceil(h + 4);
    if (n->shape != GDV_SHAPE_DOT && n->layer >= 0 && n->w > width[n->layer])
      width[n->layer] = n->w;
  }
  for (size_t v = 0; v < s->n_nodes; v++) {
    gdv_scene_node *n = &s->nodes[v];
    if (n->shape != GDV_SHAPE_DOT && n->layer >= 0) n->w = width[n->layer];
  }
  free(width);
  free(start);
  free(out);
  return GDV_OK;
}

/* Column geometry after layout: right and left edges, lowest box bottom,
 * widest label leaving it. */
typedef struct column_box { double left, right, bottom, band; } column_box;

/* The line between a column and its labels: a pad, or with labels enough
 * line that each reads as on its edge. */
static double lead(const column_box *c) { return c->band > 0 ? LABEL_LEAD : BAND_PAD; }

/* Appends a straight piece to (x, y) as a cubic (thirds as controls). */
static void line_to(double *p, size_t *k, double x, double y) {
  double x0 = p[*k - 2], y0 = p[*k - 1];
  p[(*k)++] = x0 + (x - x0) / 3; p[(*k)++] = y0 + (y - y0) / 3;
  p[(*k)++] = x0 + 2 * (x - x0) / 3; p[(*k)++] = y0 + 2 * (y - y0) / 3;
  p[(*k)++] = x; p[(*k)++] = y;
}

/* Appends an S bend to (x, y), leaving and arriving horizontally. */
static void bend_to(double *p, size_t *k, double x, double y) {
  double x0 = p[*k - 2], y0 = p[*k - 1], d = (x - x0) / 2;
  p[(*k)++] = x0 + d; p[(*k)++] = y0;
  p[(*k)++] = x - d; p[(*k)++] = y;
  p[(*k)++] = x; p[(*k)++] = y;
}

/* One edge from its port at y0 on its tail's column: run through the
 * band (its label on it), bend to the head, or to a lane under the
 * skipped columns and along it first. */
static gdv_status route_one(gdv_scene *s, size_t e, double y0, const column_box *col,
                            double lane, gdv_error *err) {
  gdv_scene_edge *se = &s->edges[e];
  const gdv_scene_node *a = &s->nodes[se->from], *b = &s->nodes[se->to];
  int la = a->layer, lb = b->layer;
  double *p = realloc(se->pts, 2 * 16 * sizeof *p);
  if (!p) return gdv_error_oom(err);
  se->pts = p;
  size_t k = 0;
  double run = col[la].right + lead(&col[la]) + col[la].band + BAND_PAD;
  double tip = b->x - b->w / 2;
  p[k++] = a->x + a->w / 2;
  p[k++] = y0;
  line_to(p, &k, run, y0);
  if (labelled(se)) {
    se->label_x = col[la].right + lead(&col[la]) + se->label_w / 2;
    se->label_y = y0;
  }
  if (lb > la + 1) {
    bend_to(p, &k, col[la + 1].left - BAND_PAD, lane);
    line_to(p, &k, col[lb - 1].right + lead(&col[lb - 1]) + BAND_PAD + col[lb - 1].band, lane);
  }
  bend_to(p, &k, tip - ARROW, b->y);
  se->n_pts = k / 2;
  se->tip_x = tip;
  se->tip_y = b->y;
  return GDV_OK;
}

/* Moves every column right of l by dx (the figure grows). */
static void shift_after(gdv_scene *s, int l, double dx, column_box *col, int n_layers) {
  for (size_t v = 0; v < s->n_nodes; v++)
    if (s->nodes[v].layer > l) s->nodes[v].x += dx;
  for (int m = l + 1; m < n_layers; m++) {
    col[m].left += dx;
    col[m].right += dx;
  }
  s->width += dx;
}

/* Each column's box, and room in each gap for its band and a bend. */
static column_box *columns(gdv_scene *s, int n_layers, double min_gap) {
  column_box *col = calloc((size_t)n_layers, sizeof *col);
  if (!col) return NULL;
  for (int l = 0; l < n_layers; l++) {
    col[l].left = INFINITY;
    col[l].right = col[l].bottom = -INFINITY;
  }
  for (size_t v = 0; v < s->n_nodes; v++) {
    const gdv_scene_node *n = &s->nodes[v];
    column_box *c = &col[n->layer];
    if (n->x - n->w / 2 < c->left) c->left = n->x - n->w / 2;
    if (n->x + n->w / 2 > c->right) c->right = n->x + n->w / 2;
    if (n->y + n->h / 2 > c->bottom) c->bottom = n->y + n->h / 2;
  }
  for (size_t e = 0; e < s->n_edges; e++) {
    const gdv_scene_edge *se = &s->edges[e];
    column_box *c = &col[s->nodes[se->from].layer];
    if (labelled(se) && se->label_w > c->band) c->band = se->label_w;
  }
  /* each gap as wide as its labels and bends need, and no wider: the
   * columns layout made room for labels where it would have put them */
  for (int l = 0; l + 1 < n_layers; l++) {
    double need = col[l].right + lead(&col[l]) + BAND_PAD + col[l].band + MIN_BEND + ARROW;
    if (need < col[l].right + min_gap) need = col[l].right + min_gap;
    if (col[l + 1].left != need) shift_after(s, l, need - col[l + 1].left, col, n_layers);
  }
  return col;
}

/* The lane of an edge skipping columns la+1 .. lb-1: under their lowest
 * box, a step lower for each lane before it. */
static double lane_y(const column_box *col, int la, int lb, size_t *n_lanes) {
  double bottom = -INFINITY;
  for (int l = la + 1; l < lb; l++)
    if (col[l].bottom > bottom) bottom = col[l].bottom;
  return bottom + LANE_CLEAR + LANE_STEP * (double)(*n_lanes)++;
}

gdv_status gdv_mnist_route(gdv_scene *s, double min_gap, gdv_error *err) {
  int n_layers = 0;
  for (size_t v = 0; v < s->n_nodes; v++)
    if (s->nodes[v].layer + 1 > n_layers) n_layers = s->nodes[v].layer + 1;
  size_t *start, *out, n_lanes = 0;
  column_box *col = columns(s, n_layers, min_gap);
  if (!col) return gdv_error_oom(err);
  gdv_status st = out_lists(s, &start, &out, err);
  for (size_t v = 0; !st && v < s->n_nodes; v++) {
    size_t k0 = start[v], k1 = start[v + 1];
    sort_scene = s;
    qsort(out + k0, k1 - k0, sizeof *out, by_head_y);
    double h = stack_height(s, start, out, v), y = s->nodes[v].y - h / 2;
    for (size_t k = k0; !st && k < k1; k++) {
      const gdv_scene_edge *e = &s->edges[out[k]];
      double slot = h > 0 ? (labelled(e) ? e->label_h + LABEL_GAP : PLAIN_SLOT) : 0;
      int la = s->nodes[e->from].layer, lb = s->nodes[e->to].layer;
      double lane = lb > la + 1 ? lane_y(col, la, lb, &n_lanes) : 0;
      st = route_one(s, out[k], y + slot / 2, col, lane, err);
      y += slot;
    }
  }
  double bottom = 0;
  for (size_t e = 0; e < s->n_edges; e++)
    for (size_t k = 0; k < s->edges[e].n_pts; k++)
      if (s->edges[e].pts[2 * k + 1] > bottom) bottom = s->edges[e].pts[2 * k + 1];
  if (bottom > s->height) s->height = bottom;
  free(col);
  free(start);
  free(out);
  return st;
}
