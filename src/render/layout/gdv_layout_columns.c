/* gdv_layout_columns.c: a layered layout of our own for graphs too big for
 * `dot` (the 784-30-10 network): a layer is a column, nodes of a layer are
 * stacked, order improved by a few barycentre sweeps, edges are simple
 * curves. Everything is linear per sweep and iterative. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

/* For sorting a layer by key, ties by the previous position. */
typedef struct slot {
  double key;
  size_t node;
  size_t prev;
} slot;

/* qsort comparison: by key, then by previous position (stable). */
static int slot_cmp(const void *a, const void *b) {
  const slot *x = a, *y = b;
  if (x->key < y->key) return -1;
  if (x->key > y->key) return 1;
  return gdv_cmp_u64(x->prev, y->prev);
}

/* Per-node layer: the given one, or one more than the deepest predecessor
 * (Kahn's algorithm, so any edge order works; cycles put the rest last). */
static int assign_layers(gdv_scene *s, int *layer, size_t *indeg, size_t *queue,
                         const size_t *out_start, const size_t *out_edge) {
  size_t nn = s->n_nodes, head = 0, tail = 0;
  memset(indeg, 0, nn * sizeof *indeg);
  for (size_t e = 0; e < s->n_edges; e++) indeg[s->edges[e].to]++;
  for (size_t v = 0; v < nn; v++) {
    layer[v] = s->nodes[v].layer >= 0 ? s->nodes[v].layer : 0;
    if (indeg[v] == 0) queue[tail++] = v;
  }
  while (head < tail) {
    size_t v = queue[head++];
    for (size_t k = out_start[v]; k < out_start[v + 1]; k++) {
      size_t w = s->edges[out_edge[k]].to;
      if (s->nodes[w].layer < 0 && layer[w] < layer[v] + 1) layer[w] = layer[v] + 1;
      if (--indeg[w] == 0) queue[tail++] = w;
    }
  }
  int max = 0;
  for (size_t v = 0; v < nn; v++) if (layer[v] > max) max = layer[v];
  return max;
}

/* What the layout finds out about one layer. */
typedef struct col_layer {
  double size;          /* its length: its nodes and the gaps between them */
  double pos;           /* where its centre line lies across the layers */
  double thick;         /* its thickness: its thickest node */
  double label_room;    /* room for labels in the gap before it */
} col_layer;

/* Everything one columns layout works with: the scene, CSR adjacency both
 * ways, layers and their members, and the geometry built from them. */
typedef struct cols {
  gdv_scene *s;
  const gdv_style *st;
  const gdv_columns_options *opt;
  size_t nn, ne;
  size_t *out_start, *in_start, *out_edge, *in_edge;
  int *layer;
  size_t *tmp, *queue;
  double *pos;          /* a node's place within its layer, 0 to 1 */
  slot *slots;
  int n_layers;
  size_t *layer_start, *members;
  col_layer *lay;       /* per layer */
  size_t *lab_order;
  int lr;               /* layers are columns (LR), else rows (TB) */
  double ngap, lgap, longest;
} cols;

/* Sizes in layer coordinates: u runs across layers (x when LR), w along a
 * layer (y when LR); mapped to x, y at the end. */
static double along(const cols *c, const gdv_scene_node *n) { return c->lr ? n->h : n->w; }
static double across(const cols *c, const gdv_scene_node *n) { return c->lr ? n->w : n->h; }
static double lab_across(const cols *c, const gdv_scene_edge *e) {
  return c->lr ? e->label_w : e->label_h;
}
static double lab_along(const cols *c, const gdv_scene_edge *e) {
  return c->lr ? e->label_h : e->label_w;
}

/* The gap before layer l: the rank separation, or more for its labels. */
static double gap_before(const cols *c, int l) {
  return c->lay[l].label_room > c->lgap ? c->lay[l].label_room : c->lgap;
}

/* Frees what the layout allocated (safe on a half-built one). */
static void cols_free(cols *c) {
  free(c->out_start); free(c->in_start); free(c->out_edge); free(c->in_edge);
  free(c->layer); free(c->tmp); free(c->queue); free(c->pos); free(c->slots);
  free(c->layer_start); free(c->members); free(c->lay);
  free(c->lab_order);
}

/* Adjacency, CSR both ways; 0 when out of memory. */
static int build_adjacency(cols *c) {
  size_t nn = c->nn, ne = c->ne;
  gdv_scene *s = c->s;
  c->out_start = calloc(nn + 1, sizeof *c->out_start);
  c->in_start = calloc(nn + 1, sizeof *c->in_start);
  c->out_edge = malloc((ne + 1) * sizeof *c->out_edge);
  c->in_edge = malloc((ne + 1) * sizeof *c->in_edge);
  c->layer = malloc((nn + 1) * sizeof *c->layer);
  c->tmp = malloc((nn + 1) * sizeof *c->tmp);
  c->queue = malloc((nn + 1) * sizeof *c->queue);
  c->pos = malloc((nn + 1) * sizeof *c->pos);
  c->slots = malloc(((nn > ne ? nn : ne) + 1) * sizeof *c->slots);
  if (!c->out_start || !c->in_start || !c->out_edge || !c->in_edge || !c->layer || !c->tmp ||
      !c->queue || !c->pos || !c->slots)
    return 0;
  for (size_t e = 0; e < ne; e++) {
    c->out_start[s->edges[e].from + 1]++;
    c->in_start[s->edges[e].to + 1]++;
  }
  for (size_t v = 0; v < nn; v++) {
    c->out_start[v + 1] += c->out_start[v];
    c->in_start[v + 1] += c->in_start[v];
  }
  memcpy(c->tmp, c->out_start, nn * sizeof *c->tmp);
  for (size_t e = 0; e < ne; e++) c->out_edge[c->tmp[s->edges[e].from]++] = e;
  memcpy(c->tmp, c->in_start, nn * sizeof *c->tmp);
  for (size_t e = 0; e < ne; e++) c->in_edge[c->tmp[s->edges[e].to]++] = e;
  return 1;
}

/* Sources without a given layer sit just before their first consumer, so
 * that weights and inputs stand next to what they feed. */
static void place_sources(cols *c) {
  const gdv_scene *s = c->s;
  for (size_t v = 0; v < c->nn; v++) {
    if (s->nodes[v].layer >= 0 || c->in_start[v] != c->in_start[v + 1] ||
        c->out_start[v] == c->out_start[v + 1])
      continue;
    int first = c->n_layers;
    for (size_t k = c->out_start[v]; k < c->out_start[v + 1]; k++) {
      int l = c->layer[s->edges[c->out_edge[k]].to];
      if (l < first) first = l;
    }
    c->layer[v] = first > 0 ? first - 1 : 0;
  }
}

/* The members of each layer, contiguous; 0 when out of memory. */
static int group_layers(cols *c) {
  size_t nl = (size_t)c->n_layers;
  if (!gdv_layers_group(c->layer, c->nn, nl, &c->layer_start, &c->members)) return 0;
  c->lay = calloc(nl + 1, sizeof *c->lay);
  c->lab_order = malloc((c->ne + 1) * sizeof *c->lab_order);
  return c->lay && c->lab_order;
}

/* A node's barycentre: the mean place of its neighbours in other layers
 * (predecessors sweeping down, successors sweeping up). */
static double barycentre(const cols *c, size_t v, int l, int down) {
  const gdv_scene *s = c->s;
  const size_t *st0 = down ? c->in_start : c->out_start;
  const size_t *ed = down ? c->in_edge : c->out_edge;
  double sum = 0;
  size_t cnt = 0;
  for (size_t j = st0[v]; j < st0[v + 1]; j++) {
    size_t w = down ? s->edges[ed[j]].from : s->edges[ed[j]].to;
    if (c->layer[w] == l) continue;
    sum += c->pos[w];
    cnt++;
  }
  return cnt ? sum / (double)cnt : c->pos[v];
}

/* Initial order from node.order (sweep -1), then barycentre sweeps, down
 * and up in turn; ties keep the previous order. */
static void order_layers(cols *c) {
  for (int sweep = -1; sweep < c->opt->sweeps * 2; sweep++) {
    int down = sweep < 0 || sweep % 2 == 0;
    for (int li = 0; li < c->n_layers; li++) {
      int l = down ? li : c->n_layers - 1 - li;
      size_t lo = c->layer_start[l], hi = c->layer_start[l + 1];
      for (size_t k = lo; k < hi; k++) {
        size_t v = c->members[k];
        c->slots[k - lo].key = sweep >= 0 ? barycentre(c, v, l, down) : c->s->nodes[v].order;
        c->slots[k - lo].node = v;
        c->slots[k - lo].prev = k;
      }
      qsort(c->slots, hi - lo, sizeof *c->slots, slot_cmp);
      for (size_t k = lo; k < hi; k++) {
        c->members[k] = c->slots[k - lo].node;
        c->pos[c->members[k]] = (double)(k - lo) / (double)(hi - lo > 1 ? hi - lo - 1 : 1);
      }
    }
  }
}

/* Each layer's length and thickness; an edge's label sits in the gap just
 * before its head's layer, so that gap has room for the widest label. */
static void measure_layers(cols *c) {
  const gdv_scene *s = c->s;
  for (int l = 0; l < c->n_layers; l++) {
    double size = 0, thick = 0;
    for (size_t k = c->layer_start[l]; k < c->layer_start[l + 1]; k++) {
      const gdv_scene_node *n = &s->nodes[c->members[k]];
      size += along(c, n) + (k > c->layer_start[l] ? c->ngap : 0);
      if (across(c, n) > thick) thick = across(c, n);
    }
    c->lay[l].size = size;
    c->lay[l].thick = thick;
    if (size > c->longest) c->longest = size;
  }
  for (size_t e = 0; e < c->ne; e++) {
    const gdv_scene_edge *se = &s->edges[e];
    int l = c->layer[se->to] - 1;
    double need = lab_across(c, se) + 48;
    if (se->label_w > 0 && se->n_lines && l >= 0 && c->layer[se->from] <= l &&
        need > c->lay[l].label_room)
      c->lay[l].label_room = need;
  }
}

/* Layers one after another, each centred along the longest. */
static void place_nodes(cols *c) {
  double at = 0;
  for (int l = 0; l < c->n_layers; l++) {
    c->lay[l].pos = at + c->lay[l].thick / 2;
    at += c->lay[l].thick + gap_before(c, l);
  }
  for (int l = 0; l < c->n_layers; l++) {
    double p = (c->longest - c->lay[l].size) / 2;
    for (size_t k = c->layer_start[l]; k < c->layer_start[l + 1]; k++) {
      gdv_scene_node *n = &c->s->nodes[c->members[k]];
      double a = along(c, n);
      /* keep u, w in x, y for now; swapped at the end when TB */
      n->x = c->lay[l].pos;
      n->y = p + a / 2;
      p += a + c->ngap;
    }
  }
}

/* Label positions: in the gap before the head's layer, on the straight
 * line from tail to head; returns how many edges have labels. */
static size_t place_labels(cols *c) {
  size_t n_lab = 0;
  for (size_t e = 0; e < c->ne; e++) {
    gdv_scene_edge *se = &c->s->edges[e];
    const gdv_scene_node *a = &c->s->nodes[se->from], *b = &c->s->nodes[se->to];
    int l = c->layer[se->to] - 1;
    se->label_x = se->label_y = 0;
    if (!(se->label_w > 0 && se->n_lines)) continue;
    double u0 = a->x + across(c, a) / 2, u1 = b->x - across(c, b) / 2;
    double lu = (u0 + u1) / 2;
    if (l >= 0 && c->layer[se->from] <= l)
      lu = c->lay[l].pos + c->lay[l].thick / 2 + gap_before(c, l) / 2;
    double t = u1 > u0 ? (lu - u0) / (u1 - u0) : 0.5;
    se->label_x = lu;
    se->label_y = a->y + (b->y - a->y) * t;
    c->lab_order[n_lab++] = e;
  }
  return n_lab;
}

/* Labels sorted by (gap, w) and swept: no two overlap along a gap; the
 * figure grows to hold the last. */
static void separate_labels(cols *c, size_t n_lab) {
  gdv_scene *s = c->s;
  for (size_t i = 0; i < n_lab; i++) {
    c->slots[i].key = s->edges[c->lab_order[i]].label_x * 1e7 + s->edges[c->lab_order[i]].label_y;
    c->slots[i].node = c->lab_order[i];
    c->slots[i].prev = i;
  }
  qsort(c->slots, n_lab, sizeof *c->slots, slot_cmp);
  for (size_t i = 1; i < n_lab; i++) {
    gdv_scene_edge *p = &s->edges[c->slots[i - 1].node], *q = &s->edges[c->slots[i].node];
    if (fabs(p->label_x - q->label_x) > 0.01) continue;
    double min = p->label_y + lab_along(c, p) / 2 + lab_along(c, q) / 2 + 2;
    if (q->label_y < min) q->label_y = min;
  }
  for (size_t i = 0; i < n_lab; i++) {
    gdv_scene_edge *q = &s->edges[c->slots[i].node];
    double end = q->label_y + lab_along(c, q) / 2;
    if (end > c->longest) c->longest = end;
  }
}

/* One edge: cubic pieces leaving and entering along the layer axis; an
 * edge with a label runs straight under it. 0 when out of memory. */
static int route_edge(const cols *c, gdv_scene_edge *se) {
  const gdv_scene_node *a = &c->s->nodes[se->from], *b = &c->s->nodes[se->to];
  double u0 = a->x + across(c, a) / 2, w0 = a->y;
  double tu = b->x - across(c, b) / 2, tw = b->y;
  double u1 = tu - 6, w1 = tw;
  int labelled = se->label_w > 0 && se->n_lines;
  double *p = realloc(se->pts, (labelled ? 20 : 8) * sizeof *p);
  if (p == NULL) return 0;
  se->pts = p;
  size_t k = 0;
  double cu = u0, cw = w0;
  p[k++] = u0; p[k++] = w0;
  if (labelled) {
    double la = se->label_x - lab_across(c, se) / 2, lb = se->label_x + lab_across(c, se) / 2;
    double d = (la - cu) / 2;
    p[k++] = cu + d; p[k++] = cw; p[k++] = la - d; p[k++] = se->label_y;
    p[k++] = la; p[k++] = se->label_y;
    p[k++] = la + (lb - la) / 3; p[k++] = se->label_y;
    p[k++] = lb - (lb - la) / 3; p[k++] = se->label_y;
    p[k++] = lb; p[k++] = se->label_y;
    cu = lb;
    cw = se->label_y;
  }
  double d = (u1 - cu) / 2;
  p[k++] = cu + d; p[k++] = cw; p[k++] = u1 - d; p[k++] = w1;
  p[k++] = u1; p[k++] = w1;
  se->n_pts = k / 2;
  se->tip_x = tu;
  se->tip_y = tw;
  return 1;
}

/* From layer coordinates to x, y: a swap of every coordinate when the
 * layers are rows (TB). */
static void to_xy(cols *c) {
  gdv_scene *s = c->s;
  int nl = c->n_layers;
  s->width = nl ? c->lay[nl - 1].pos + c->lay[nl - 1].thick / 2 : 0;
  s->height = c->longest;
  if (c->lr) return;
  for (size_t v = 0; v < c->nn; v++) {
    double t = s->nodes[v].x;
    s->nodes[v].x = s->nodes[v].y;
    s->nodes[v].y = t;
  }
  for (size_t e = 0; e < c->ne; e++) {
    gdv_scene_edge *se = &s->edges[e];
    for (size_t k = 0; k < se->n_pts; k++) {
      double t = se->pts[2 * k];
      se->pts[2 * k] = se->pts[2 * k + 1];
      se->pts[2 * k + 1] = t;
    }
    double t = se->tip_x; se->tip_x = se->tip_y; se->tip_y = t;
    t = se->label_x; se->label_x = se->label_y; se->label_y = t;
  }
  double t = s->width; s->width = s->height; s->height = t;
}

/* For graphs too big for `dot`: no Graphviz, no recursion, cost linear in
 * nodes and edges per sweep; measures the scene first like every layout. */
gdv_status gdv_layout_columns(gdv_scene *s, const gdv_style *st,
                              const gdv_columns_options *opt, gdv_error *err) {
  gdv_status status = gdv_scene_measure(s, st, err);
  if (status) return status;
  gdv_columns_options defaults = {4, 0, 0};
  cols c;
  memset(&c, 0, sizeof c);
  c.s = s;
  c.st = st;
  c.opt = opt ? opt : &defaults;
  c.nn = s->n_nodes;
  c.ne = s->n_edges;
  c.lr = s->rank_lr;
  c.ngap = c.opt->node_gap > 0 ? c.opt->node_gap : st->node_sep;
  c.lgap = c.opt->layer_gap > 0 ? c.opt->layer_gap : st->rank_sep;
  int ok = build_adjacency(&c);
  if (ok) {
    c.n_layers = c.nn ? assign_layers(s, c.layer, c.tmp, c.queue, c.out_start, c.out_edge) + 1 : 0;
    place_sources(&c);
    ok = group_layers(&c);
  }
  if (ok) {
    order_layers(&c);
    measure_layers(&c);
    place_nodes(&c);
    separate_labels(&c, place_labels(&c));
    for (size_t e = 0; ok && e < c.ne; e++) ok = route_edge(&c, &s->edges[e]);
  }
  if (ok) to_xy(&c);
  cols_free(&c);
  return gdv_layout_done(s, st, ok, err);
}
