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
  return x->prev < y->prev ? -1 : x->prev > y->prev;
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

/* For graphs too big for `dot`: no Graphviz, no recursion, cost linear in
 * nodes and edges per sweep; measures the scene first like every layout. */
gdv_status gdv_layout_columns(gdv_scene *s, const gdv_style *st,
                              const gdv_columns_options *opt, gdv_error *err) {
  gdv_status status = gdv_scene_measure(s, st, err);
  if (status) return status;
  gdv_columns_options defaults = {4, 0, 0};
  if (opt == NULL) opt = &defaults;
  size_t nn = s->n_nodes, ne = s->n_edges;
  size_t *out_start = calloc(nn + 1, sizeof *out_start);
  size_t *in_start = calloc(nn + 1, sizeof *in_start);
  size_t *out_edge = malloc((ne + 1) * sizeof *out_edge);
  size_t *in_edge = malloc((ne + 1) * sizeof *in_edge);
  int *layer = malloc((nn + 1) * sizeof *layer);
  size_t *tmp = malloc((nn + 1) * sizeof *tmp);
  size_t *queue = malloc((nn + 1) * sizeof *queue);
  double *pos = malloc((nn + 1) * sizeof *pos);
  slot *slots = malloc(((nn > ne ? nn : ne) + 1) * sizeof *slots);
  size_t *layer_start = NULL, *members = NULL;
  double *layer_size = NULL, *layer_pos = NULL, *layer_thick = NULL;
  if (!out_start || !in_start || !out_edge || !in_edge || !layer || !tmp || !queue || !pos || !slots) {
    status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
    goto done;
  }
  /* adjacency, CSR both ways */
  for (size_t e = 0; e < ne; e++) {
    out_start[s->edges[e].from + 1]++;
    in_start[s->edges[e].to + 1]++;
  }
  for (size_t v = 0; v < nn; v++) {
    out_start[v + 1] += out_start[v];
    in_start[v + 1] += in_start[v];
  }
  memcpy(tmp, out_start, nn * sizeof *tmp);
  for (size_t e = 0; e < ne; e++) out_edge[tmp[s->edges[e].from]++] = e;
  memcpy(tmp, in_start, nn * sizeof *tmp);
  for (size_t e = 0; e < ne; e++) in_edge[tmp[s->edges[e].to]++] = e;
  int n_layers = nn ? assign_layers(s, layer, tmp, queue, out_start, out_edge) + 1 : 0;
  /* sources without a given layer sit just before their first consumer,
   * so that weights and inputs stand next to what they feed */
  for (size_t v = 0; v < nn; v++) {
    if (s->nodes[v].layer >= 0 || in_start[v] != in_start[v + 1] || out_start[v] == out_start[v + 1])
      continue;
    int first = n_layers;
    for (size_t k = out_start[v]; k < out_start[v + 1]; k++) {
      int l = layer[s->edges[out_edge[k]].to];
      if (l < first) first = l;
    }
    layer[v] = first > 0 ? first - 1 : 0;
  }
  layer_start = calloc((size_t)n_layers + 2, sizeof *layer_start);
  members = malloc((nn + 1) * sizeof *members);
  layer_size = calloc((size_t)n_layers + 1, sizeof *layer_size);
  layer_pos = calloc((size_t)n_layers + 1, sizeof *layer_pos);
  layer_thick = calloc((size_t)n_layers + 1, sizeof *layer_thick);
  if (!layer_start || !members || !layer_size || !layer_pos || !layer_thick) {
    status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
    goto done;
  }
  for (size_t v = 0; v < nn; v++) layer_start[layer[v] + 1]++;
  for (int l = 0; l < n_layers; l++) layer_start[l + 1] += layer_start[l];
  memcpy(tmp, layer_start, (size_t)n_layers * sizeof *tmp);
  for (size_t v = 0; v < nn; v++) members[tmp[layer[v]]++] = v;
  /* initial order from node.order, then barycentre sweeps */
  for (int sweep = -1; sweep < opt->sweeps * 2; sweep++) {
    int down = sweep < 0 || sweep % 2 == 0;
    for (int li = 0; li < n_layers; li++) {
      int l = down ? li : n_layers - 1 - li;
      size_t lo = layer_start[l], hi = layer_start[l + 1];
      for (size_t k = lo; k < hi; k++) {
        size_t v = members[k];
        double key = s->nodes[v].order, sum = 0;
        size_t cnt = 0;
        if (sweep >= 0) {
          const size_t *st0 = down ? in_start : out_start;
          const size_t *ed = down ? in_edge : out_edge;
          for (size_t j = st0[v]; j < st0[v + 1]; j++) {
            size_t w = down ? s->edges[ed[j]].from : s->edges[ed[j]].to;
            if (layer[w] == l) continue;
            sum += pos[w];
            cnt++;
          }
          key = cnt ? sum / (double)cnt : pos[v];
        }
        slots[k - lo].key = key;
        slots[k - lo].node = v;
        slots[k - lo].prev = k;
      }
      qsort(slots, hi - lo, sizeof *slots, slot_cmp);
      for (size_t k = lo; k < hi; k++) {
        members[k] = slots[k - lo].node;
        pos[members[k]] = (double)(k - lo) / (double)(hi - lo > 1 ? hi - lo - 1 : 1);
      }
    }
  }
  /* Geometry in layer coordinates: u runs across layers (x when LR), w
   * along a layer (y when LR); mapped to x, y at the end. */
  int lr = s->rank_lr;
  double ngap = opt->node_gap > 0 ? opt->node_gap : st->node_sep;
  double lgap = opt->layer_gap > 0 ? opt->layer_gap : st->rank_sep;
  double longest = 0;
#define ALONG(n) (lr ? (n)->h : (n)->w)
#define ACROSS(n) (lr ? (n)->w : (n)->h)
#define LAB_ACROSS(e) (lr ? (e)->label_w : (e)->label_h)
#define LAB_ALONG(e) (lr ? (e)->label_h : (e)->label_w)
  for (int l = 0; l < n_layers; l++) {
    double size = 0, thick = 0;
    for (size_t k = layer_start[l]; k < layer_start[l + 1]; k++) {
      const gdv_scene_node *n = &s->nodes[members[k]];
      size += ALONG(n) + (k > layer_start[l] ? ngap : 0);
      if (ACROSS(n) > thick) thick = ACROSS(n);
    }
    layer_size[l] = size;
    layer_thick[l] = thick;
    if (size > longest) longest = size;
  }
  /* an edge's label sits in the gap just before its head's layer: room
   * for the widest label there */
  double *label_room = calloc((size_t)n_layers + 1, sizeof *label_room);
  size_t *lab_order = malloc((ne + 1) * sizeof *lab_order);
  if (label_room == NULL || lab_order == NULL) {
    free(label_room);
    free(lab_order);
    status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
    goto done;
  }
  for (size_t e = 0; e < ne; e++) {
    const gdv_scene_edge *se = &s->edges[e];
    int l = layer[se->to] - 1;
    double need = LAB_ACROSS(se) + 48;
    if (se->label_w > 0 && se->n_lines && l >= 0 && layer[se->from] <= l && need > label_room[l])
      label_room[l] = need;
  }
  double at = 0;
  for (int l = 0; l < n_layers; l++) {
    layer_pos[l] = at + layer_thick[l] / 2;
    at += layer_thick[l] + (label_room[l] > lgap ? label_room[l] : lgap);
  }
  for (int l = 0; l < n_layers; l++) {
    double p = (longest - layer_size[l]) / 2;
    for (size_t k = layer_start[l]; k < layer_start[l + 1]; k++) {
      gdv_scene_node *n = &s->nodes[members[k]];
      double along = ALONG(n);
      /* keep u, w in x, y for now; swapped at the end when TB */
      n->x = layer_pos[l];
      n->y = p + along / 2;
      p += along + ngap;
    }
  }
  /* label positions: in the gap before the head's layer, on the straight
   * line from tail to head, then pushed apart along the gap */
  size_t n_lab = 0;
  for (size_t e = 0; e < ne; e++) {
    gdv_scene_edge *se = &s->edges[e];
    const gdv_scene_node *a = &s->nodes[se->from], *b = &s->nodes[se->to];
    int l = layer[se->to] - 1;
    se->label_x = se->label_y = 0;
    if (!(se->label_w > 0 && se->n_lines)) continue;
    double u0 = a->x + ACROSS(a) / 2, u1 = b->x - ACROSS(b) / 2;
    double lu = (u0 + u1) / 2;
    if (l >= 0 && layer[se->from] <= l)
      lu = layer_pos[l] + layer_thick[l] / 2 + (label_room[l] > lgap ? label_room[l] : lgap) / 2;
    double t = u1 > u0 ? (lu - u0) / (u1 - u0) : 0.5;
    se->label_x = lu;
    se->label_y = a->y + (b->y - a->y) * t;
    lab_order[n_lab++] = e;
  }
  /* sort labels by (gap, w) and sweep: no two overlap along a gap */
  for (size_t i = 0; i < n_lab; i++) {
    slots[i].key = s->edges[lab_order[i]].label_x * 1e7 + s->edges[lab_order[i]].label_y;
    slots[i].node = lab_order[i];
    slots[i].prev = i;
  }
  qsort(slots, n_lab, sizeof *slots, slot_cmp);
  for (size_t i = 1; i < n_lab; i++) {
    gdv_scene_edge *p = &s->edges[slots[i - 1].node], *c = &s->edges[slots[i].node];
    if (fabs(p->label_x - c->label_x) > 0.01) continue;
    double min = p->label_y + LAB_ALONG(p) / 2 + LAB_ALONG(c) / 2 + 2;
    if (c->label_y < min) c->label_y = min;
  }
  for (size_t i = 0; i < n_lab; i++) {
    gdv_scene_edge *c = &s->edges[slots[i].node];
    double end = c->label_y + LAB_ALONG(c) / 2;
    if (end > longest) longest = end;
  }
  free(label_room);
  free(lab_order);
  /* edges: cubic pieces leaving and entering along the layer axis; an edge
   * with a label runs straight under it */
  for (size_t e = 0; e < ne; e++) {
    gdv_scene_edge *se = &s->edges[e];
    const gdv_scene_node *a = &s->nodes[se->from], *b = &s->nodes[se->to];
    double u0 = a->x + ACROSS(a) / 2, w0 = a->y;
    double tu = b->x - ACROSS(b) / 2, tw = b->y;
    double u1 = tu - 6, w1 = tw;
    int labelled = se->label_w > 0 && se->n_lines;
    double *p = realloc(se->pts, (labelled ? 20 : 8) * sizeof *p);
    if (p == NULL) {
      status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
      goto done;
    }
    se->pts = p;
    size_t k = 0;
    double cu = u0, cw = w0;
    p[k++] = u0; p[k++] = w0;
    if (labelled) {
      double la = se->label_x - LAB_ACROSS(se) / 2, lb = se->label_x + LAB_ACROSS(se) / 2;
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
  }
  /* from layer coordinates to x, y */
  s->width = n_layers ? layer_pos[n_layers - 1] + layer_thick[n_layers - 1] / 2 : 0;
  s->height = longest;
  if (!lr) {
    for (size_t v = 0; v < nn; v++) {
      double t = s->nodes[v].x;
      s->nodes[v].x = s->nodes[v].y;
      s->nodes[v].y = t;
    }
    for (size_t e = 0; e < ne; e++) {
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
#undef ALONG
#undef ACROSS
#undef LAB_ACROSS
#undef LAB_ALONG
  gdv_layout_place_items(s, st);
  s->laid_out = 1;
done:
  free(out_start); free(in_start); free(out_edge); free(in_edge);
  free(layer); free(tmp); free(queue); free(pos); free(slots);
  free(layer_start); free(members); free(layer_size); free(layer_pos);
  free(layer_thick);
  return status;
}
