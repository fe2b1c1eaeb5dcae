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
  slot *slots = malloc((nn + 1) * sizeof *slots);
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
  /* sizes: along a layer (stack) and across it (thickness) */
  int lr = s->rank_lr;
  double ngap = opt->node_gap > 0 ? opt->node_gap : st->node_sep;
  double lgap = opt->layer_gap > 0 ? opt->layer_gap : st->rank_sep;
  double longest = 0;
  for (int l = 0; l < n_layers; l++) {
    double size = 0, thick = 0;
    for (size_t k = layer_start[l]; k < layer_start[l + 1]; k++) {
      const gdv_scene_node *n = &s->nodes[members[k]];
      size += (lr ? n->h : n->w) + (k > layer_start[l] ? ngap : 0);
      double t = lr ? n->w : n->h;
      if (t > thick) thick = t;
    }
    layer_size[l] = size;
    layer_thick[l] = thick;
    if (size > longest) longest = size;
  }
  /* room between layers for the widest edge label that crosses there */
  double *label_room = calloc((size_t)n_layers + 1, sizeof *label_room);
  if (label_room == NULL) {
    status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
    goto done;
  }
  for (size_t e = 0; e < ne; e++) {
    int l = layer[s->edges[e].from];
    double need = (lr ? s->edges[e].label_w : s->edges[e].label_h) + 24;
    if (s->edges[e].label_w > 0 && need > label_room[l]) label_room[l] = need;
  }
  double at = 0;
  for (int l = 0; l < n_layers; l++) {
    layer_pos[l] = at + layer_thick[l] / 2;
    double gap = label_room[l] > lgap ? label_room[l] : lgap;
    at += layer_thick[l] + gap;
  }
  free(label_room);
  for (int l = 0; l < n_layers; l++) {
    double p = (longest - layer_size[l]) / 2;
    for (size_t k = layer_start[l]; k < layer_start[l + 1]; k++) {
      gdv_scene_node *n = &s->nodes[members[k]];
      double along = lr ? n->h : n->w;
      if (lr) { n->x = layer_pos[l]; n->y = p + along / 2; }
      else { n->y = layer_pos[l]; n->x = p + along / 2; }
      p += along + ngap;
    }
  }
  s->width = lr ? 0 : longest;
  s->height = lr ? longest : 0;
  if (n_layers) {
    double end = layer_pos[n_layers - 1] + layer_thick[n_layers - 1] / 2;
    if (lr) s->width = end;
    else s->height = end;
  }
  /* edges: one cubic each, leaving and entering along the layer axis */
  for (size_t e = 0; e < ne; e++) {
    gdv_scene_edge *se = &s->edges[e];
    const gdv_scene_node *a = &s->nodes[se->from], *b = &s->nodes[se->to];
    double x0, y0, x1, y1, tx, ty;
    if (lr) {
      x0 = a->x + a->w / 2; y0 = a->y;
      tx = b->x - b->w / 2; ty = b->y;
      x1 = tx - 6; y1 = ty;
    } else {
      x0 = a->x; y0 = a->y + a->h / 2;
      tx = b->x; ty = b->y - b->h / 2;
      x1 = tx; y1 = ty - 6;
    }
    double *p = realloc(se->pts, 8 * sizeof *p);
    if (p == NULL) {
      status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
      goto done;
    }
    double dx = (x1 - x0) / 2, dy = (y1 - y0) / 2;
    p[0] = x0; p[1] = y0;
    p[2] = lr ? x0 + dx : x0; p[3] = lr ? y0 : y0 + dy;
    p[4] = lr ? x1 - dx : x1; p[5] = lr ? y1 : y1 - dy;
    p[6] = x1; p[7] = y1;
    se->pts = p;
    se->n_pts = 4;
    se->tip_x = tx;
    se->tip_y = ty;
    se->label_x = (x0 + x1) / 2;
    se->label_y = (y0 + y1) / 2;
  }
  gdv_layout_place_items(s, st);
  s->laid_out = 1;
done:
  free(out_start); free(in_start); free(out_edge); free(in_edge);
  free(layer); free(tmp); free(queue); free(pos); free(slots);
  free(layer_start); free(members); free(layer_size); free(layer_pos);
  free(layer_thick);
  return status;
}
