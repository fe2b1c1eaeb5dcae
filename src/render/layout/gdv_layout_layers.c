/* gdv_layout_layers.c: a layered layout of our own in which every edge can
 * be followed and its two numbers read. dot puts each edge label in the
 * middle of its edge, on a rank of its own, and the edges of a dense layer
 * (3 inputs into 4 units) meet those labels in one braid. Here each label
 * sits where its edge arrives: the edges into a node enter it side by side
 * at slots of their own, each slot holding its label on a straight stretch
 * just before the arrowhead, so the label is read at the node it speaks
 * of; between layers an edge is one smooth S-curve from a port on its
 * tail, whose ports are spread in the order of their heads (or, in a gap
 * where such curves would cross at shallow angles and the scene asks for
 * bus_gaps, down one trunk per tail, across on a track, down to the head:
 * crossings at right angles, see gap_tracks). Long edges
 * pass through the layers between on slots of their own (dummies). Where
 * a node's labels stand taller than the node, the scene may ask for them
 * staggered (every other label a column further out, see stagger_slots).
 *
 * The steps are Sugiyama's: layers (longest path; a leaf just before its
 * first consumer), dummies, order within layers (barycentre sweeps, then
 * source order where it costs few crossings), positions across the layers
 * (each layer placed as close as order and spacing allow to where its
 * edges pull it: isotonic regression, exact and linear), then the columns
 * along the layers, sized by their boxes and labels. Everything is
 * computed in layer coordinates (along: the direction of the layers,
 * across: within a layer) and mapped to x, y at the end, so left to right
 * and top to bottom are one code. Iterative throughout: no recursion. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

/* Room between the slots of two edges entering one node, points. */
#define SLOT_GAP 4.0
/* Across extent of the slot of an edge without a label. */
#define SLOT_PLAIN 10.0
/* Boxes of one layer stand this share of the style's node separation
 * apart: their slots' labels already part them (the separation is also
 * what parts layers, where curves need it). */
#define NODE_GAP_SHARE 0.7
/* Across extent of a long edge passing through a layer. */
#define DUMMY_EXTENT 8.0
/* Line between an edge's label and its arrowhead (legible.py wants 12 pt
 * of line beside every label; the arrowhead is not line). */
#define AFTER_LABEL 13.0
/* Room each arrowhead needs across its node's side (tips closer than 8 pt
 * cannot be told apart). */
#define ARROW_ROOM 12.0
/* Length of the arrowhead, from its base to the tip. */
#define ARROW_LENGTH 9.0
/* Staggered labels (gdv_scene.stagger_labels): room between a label and
 * the line of its neighbour's edge passing it, beyond half that line's
 * widest width, points. */
#define STAGGER_CLEAR 3.0
/* Staggered labels: room along between the far column and the near. */
#define STAGGER_GAP 8.0
/* Barycentre sweeps over the layers, down and up. */
#define ORDER_SWEEPS 12
/* Rounds of placement across the layers. */
#define PLACE_ROUNDS 24
/* Pull of an edge between two computations (or along a long edge) on
 * positions, against a leaf's 1: the spine of the computation straight,
 * as dot's weight does. */
#define SPINE_WEIGHT 4.0
/* How level an S-curve leaves and arrives: its control points lie this
 * share of its run from its ends (0.5: a full S whose steep middle runs
 * beside its neighbours'; near 0: a straight line, whose neighbours part
 * at once). */
#define S_CURVE_LEVEL 0.15
/* An S-curve between layers gets at least this share of its across
 * displacement as run along, so that steep edges do not crowd. */
#define RUN_SLOPE 0.15
/* The least run between layers, a share of the style's rank separation:
 * a label's column already keeps its layer apart from the one before. */
#define RUN_MIN_SHARE 0.45
/* The most the run is widened for steep edges, points. */
#define RUN_MAX 120
/* Two edges crossing at less than this (degrees) run within 3 points of
 * each other for 30 (legibility's "running together"): a gap where its
 * S-curves would cross so is shallow, and bus_gaps routes it as buses. */
#define SHALLOW_CROSS_DEG 14.0
/* Segments of one gap compared pairwise for shallow crossings, at most
 * (a larger gap is not tested: its figure is too small to read anyway). */
#define SHALLOW_TEST_MAX 1024
/* A bus's room along from the layer before to its first track, and from
 * its last track to the label column: a rounded corner's and a line's. */
#define BUS_END_ROOM 10.0
/* Room between two tracks beyond the widest line, and between two buses
 * sharing a track, points. */
#define TRACK_CLEAR 4.0

/* One layout's working state. Vertices are the scene's nodes (0 .. nn-1)
 * and the dummies of long edges (nn .. nv-1). */
typedef struct lay {
  gdv_scene *s;
  const gdv_style *st;
  int lr;
  size_t nn, ne, nv;
  int *layer;            /* per vertex */
  double *pos;           /* per vertex: centre across */
  double *ext;           /* per vertex: extent across it reserves */
  double *key;           /* per vertex: source order */
  size_t *chain_start;   /* per edge: its vertices from tail to head */
  size_t *chain;
  size_t *in_start, *in_seg;    /* per vertex: segments arriving (CSR) */
  size_t *out_start, *out_seg;  /* per vertex: segments leaving */
  size_t *seg_from, *seg_to, *seg_edge;  /* per segment */
  size_t n_seg;
  int n_layers;
  size_t *lay_start, *lay_v;    /* vertices of each layer, in order */
  size_t *rank;                 /* per vertex: place in its layer */
  double *slot;          /* per segment ending at a node: across offset */
  double *port;          /* per segment leaving a node: across offset */
  double *along;         /* per layer: the widest box along */
  double *start;         /* per layer: where its boxes start along */
  double *label_col;     /* per layer: labels of edges into it, along */
  double *near_col;      /* per layer: its nearer column of labels, along */
  double *pitch;         /* per vertex: 0, or the slot pitch of its staggered labels */
  uint8_t *far;          /* per segment: its label in the far column */
  double *track;         /* per segment: its track's offset along from
                            the end of its tail's layer, or -1 (a curve) */
  double *scratch;       /* nv doubles */
  size_t *tmp;           /* nv + ne indices */
} lay;

/* Frees everything (safe on a half-built state). */
static void lay_free(lay *L) {
  free(L->layer); free(L->pos); free(L->ext); free(L->key);
  free(L->chain_start); free(L->chain);
  free(L->in_start); free(L->in_seg); free(L->out_start); free(L->out_seg);
  free(L->seg_from); free(L->seg_to); free(L->seg_edge);
  free(L->lay_start); free(L->lay_v); free(L->rank);
  free(L->slot); free(L->port); free(L->along); free(L->start); free(L->label_col);
  free(L->near_col); free(L->pitch); free(L->far); free(L->track);
  free(L->scratch); free(L->tmp);
}

/* Sizes in layer coordinates. */
static double node_along(const lay *L, size_t v) {
  return L->lr ? L->s->nodes[v].w : L->s->nodes[v].h;
}
static double node_across(const lay *L, size_t v) {
  return L->lr ? L->s->nodes[v].h : L->s->nodes[v].w;
}
static int labelled(const gdv_scene_edge *e) {
  return e->n_lines > 0 && e->label_w > 0;
}
static double label_along(const lay *L, const gdv_scene_edge *e) {
  return labelled(e) ? (L->lr ? e->label_w : e->label_h) : 0;
}
static double label_across(const lay *L, const gdv_scene_edge *e) {
  return labelled(e) ? (L->lr ? e->label_h : e->label_w) : 0;
}

/* Layers: a node with operands one after its deepest operand (Kahn's
 * order, so any edge order works), or with late_layers as late as its
 * consumers allow; a leaf just before its first consumer, so that w1 of
 * w1*x sits beside the product, not at the far left. Returns 0 when out
 * of memory. */
static int assign_layers(lay *L) {
  gdv_scene *s = L->s;
  size_t nn = L->nn, head = 0, tail = 0;
  size_t *indeg = calloc(nn + 1, sizeof *indeg), *queue = malloc((nn + 1) * sizeof *queue);
  size_t *os, *oe;  /* out-edges of each node */
  if (!gdv_scene_out_edges(s, &os, &oe) || !indeg || !queue) {
    free(indeg); free(queue); free(os); free(oe);
    return 0;
  }
  for (size_t e = 0; e < L->ne; e++) indeg[s->edges[e].to]++;
  for (size_t v = 0; v < nn; v++) {
    L->layer[v] = 0;
    if (indeg[v] == 0) queue[tail++] = v;
  }
  while (head < tail) {
    size_t v = queue[head++];
    for (size_t k = os[v]; k < os[v + 1]; k++) {
      size_t w = s->edges[oe[k]].to;
      if (L->layer[w] < L->layer[v] + 1) L->layer[w] = L->layer[v] + 1;
      if (--indeg[w] == 0) queue[tail++] = w;
    }
  }
  /* a cycle cannot come from a graph; whatever is left goes last */
  int most = 0;
  for (size_t v = 0; v < nn; v++) if (L->layer[v] > most) most = L->layer[v];
  for (size_t v = 0; v < nn; v++) if (indeg[v] > 0) L->layer[v] = most + 1;
  memset(indeg, 0, (nn + 1) * sizeof *indeg);
  for (size_t e = 0; e < L->ne; e++) indeg[s->edges[e].to]++;
  /* operations whose consumers all stand further on than the next layer
   * (consumers first: the reverse of Kahn's order) */
  s->layer_slack = 0;
  for (size_t q = tail; q-- > 0;) {
    size_t v = queue[q];
    if (indeg[v] == 0 || os[v + 1] == os[v]) continue;
    int first = INT32_MAX;
    for (size_t k = os[v]; k < os[v + 1]; k++) {
      int l = L->layer[s->edges[oe[k]].to];
      if (l < first) first = l;
    }
    if (first - 1 <= L->layer[v]) continue;
    s->layer_slack = 1;
    if (!s->late_layers) break;
    L->layer[v] = first - 1;
  }
  /* leaves (no edge in) move up to their first consumer */
  for (size_t v = 0; v < nn; v++) {
    if (indeg[v] > 0 || os[v + 1] == os[v]) continue;
    int first = INT32_MAX;
    for (size_t k = os[v]; k < os[v + 1]; k++) {
      int l = L->layer[s->edges[oe[k]].to];
      if (l < first) first = l;
    }
    L->layer[v] = first - 1;
  }
  int least = 0;
  most = 0;
  for (size_t v = 0; v < nn; v++) {
    if (L->layer[v] < least) least = L->layer[v];
    if (L->layer[v] > most) most = L->layer[v];
  }
  for (size_t v = 0; v < nn; v++) L->layer[v] -= least;
  L->n_layers = nn ? most - least + 1 : 0;
  free(indeg); free(queue); free(os); free(oe);
  return 1;
}

/* Dummies for edges that skip layers, each edge's chain of vertices, and
 * its segments (one per layer gap) with CSR lists both ways. */
static int build_chains(lay *L) {
  gdv_scene *s = L->s;
  size_t dummies = 0;
  for (size_t e = 0; e < L->ne; e++) {
    int span = L->layer[s->edges[e].to] - L->layer[s->edges[e].from];
    if (span > 1) dummies += (size_t)(span - 1);
  }
  L->nv = L->nn + dummies;
  size_t nv = L->nv, nseg = L->ne + dummies;
  int *layer = realloc(L->layer, (nv + 1) * sizeof *layer);
  if (layer == NULL) return 0;
  L->layer = layer;
  L->chain_start = malloc((L->ne + 1) * sizeof *L->chain_start);
  L->chain = malloc((nseg + L->ne + 1) * sizeof *L->chain);
  L->seg_from = malloc((nseg + 1) * sizeof *L->seg_from);
  L->seg_to = malloc((nseg + 1) * sizeof *L->seg_to);
  L->seg_edge = malloc((nseg + 1) * sizeof *L->seg_edge);
  L->in_start = calloc(nv + 2, sizeof *L->in_start);
  L->out_start = calloc(nv + 2, sizeof *L->out_start);
  L->in_seg = malloc((nseg + 1) * sizeof *L->in_seg);
  L->out_seg = malloc((nseg + 1) * sizeof *L->out_seg);
  L->pos = calloc(nv + 1, sizeof *L->pos);
  L->ext = calloc(nv + 1, sizeof *L->ext);
  L->key = calloc(nv + 1, sizeof *L->key);
  L->rank = calloc(nv + 1, sizeof *L->rank);
  L->slot = calloc(nseg + 1, sizeof *L->slot);
  L->port = calloc(nseg + 1, sizeof *L->port);
  L->scratch = calloc(nv + 1, sizeof *L->scratch);
  L->tmp = calloc(nv + nseg + 1, sizeof *L->tmp);
  L->pitch = calloc(nv + 1, sizeof *L->pitch);
  L->far = calloc(nseg + 1, sizeof *L->far);
  L->track = malloc((nseg + 1) * sizeof *L->track);
  if (!L->chain_start || !L->chain || !L->seg_from || !L->seg_to || !L->seg_edge ||
      !L->in_start || !L->out_start || !L->in_seg || !L->out_seg || !L->pos || !L->ext ||
      !L->key || !L->rank || !L->slot || !L->port || !L->scratch || !L->tmp || !L->pitch ||
      !L->far || !L->track)
    return 0;
  for (size_t k = 0; k <= nseg; k++) L->track[k] = -1;
  size_t next = L->nn, c = 0;
  L->n_seg = 0;
  for (size_t e = 0; e < L->ne; e++) {
    size_t from = s->edges[e].from, to = s->edges[e].to;
    L->chain_start[e] = c;
    L->chain[c++] = from;
    for (int l = L->layer[from] + 1; l < L->layer[to]; l++) {
      L->layer[next] = l;
      L->chain[c++] = next++;
    }
    L->chain[c++] = to;
    for (size_t k = L->chain_start[e]; k + 1 < c; k++) {
      L->seg_from[L->n_seg] = L->chain[k];
      L->seg_to[L->n_seg] = L->chain[k + 1];
      L->seg_edge[L->n_seg] = e;
      L->n_seg++;
    }
  }
  /* chain_start gets its end only after the loop: kept per edge here */
  for (size_t k = 0; k < L->n_seg; k++) {
    L->out_start[L->seg_from[k] + 2]++;
    L->in_start[L->seg_to[k] + 2]++;
  }
  for (size_t v = 0; v < nv; v++) {
    L->out_start[v + 2] += L->out_start[v + 1];
    L->in_start[v + 2] += L->in_start[v + 1];
  }
  for (size_t k = 0; k < L->n_seg; k++) {
    L->out_seg[L->out_start[L->seg_from[k] + 1]++] = k;
    L->in_seg[L->in_start[L->seg_to[k] + 1]++] = k;
  }
  return 1;
}

/* The last vertex of edge e's chain. */
static size_t chain_end(const lay *L, size_t e) {
  size_t end = e + 1 < L->ne ? L->chain_start[e + 1] : L->n_seg + L->ne;
  return end - 1;
}

/* Source order: an operation at its own index, a leaf beside its first
 * consumer (x1 and w1 of x1*w1 together, above x2 and w2), a dummy just
 * after its edge's tail. */
static void source_keys(lay *L) {
  gdv_scene *s = L->s;
  for (size_t v = 0; v < L->nn; v++) L->key[v] = INFINITY;
  for (size_t e = 0; e < L->ne; e++) L->key[s->edges[e].to] = (double)s->edges[e].to;
  for (size_t e = 0; e < L->ne; e++) {
    size_t from = s->edges[e].from, to = s->edges[e].to;
    if (L->key[from] != (double)from && (double)to - 0.5 < L->key[from])
      L->key[from] = (double)to - 0.5;
  }
  for (size_t v = 0; v < L->nn; v++)
    if (isinf(L->key[v])) L->key[v] = (double)v;
  for (size_t k = 0; k < L->n_seg; k++)
    if (L->seg_to[k] >= L->nn) L->key[L->seg_to[k]] = L->key[L->seg_from[k]] + 0.25;
}

/* Vertices by (sort key in scratch, then id), for ordering a layer. */
static const double *sort_by;
static int by_key(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  if (sort_by[x] != sort_by[y]) return sort_by[x] < sort_by[y] ? -1 : 1;
  return gdv_cmp_u64(x, y);
}

/* Layers as lists, each in source order; rank[v] is v's place. */
static int group_layers(lay *L) {
  size_t nl = (size_t)L->n_layers;
  if (!gdv_layers_group(L->layer, L->nv, nl, &L->lay_start, &L->lay_v)) return 0;
  L->along = calloc(nl + 1, sizeof *L->along);
  L->start = calloc(nl + 1, sizeof *L->start);
  L->label_col = calloc(nl + 1, sizeof *L->label_col);
  L->near_col = calloc(nl + 1, sizeof *L->near_col);
  if (!L->along || !L->start || !L->label_col || !L->near_col) return 0;
  sort_by = L->key;
  for (size_t l = 0; l < nl; l++) {
    size_t a = L->lay_start[l], b = L->lay_start[l + 1];
    qsort(L->lay_v + a, b - a, sizeof *L->lay_v, by_key);
    for (size_t i = a; i < b; i++) L->rank[L->lay_v[i]] = i - a;
  }
  return 1;
}

/* Inversions of a[0..n) by merge sort (tmp: n scratch); the crossings of
 * the segments between two layers once they are sorted by tail. */
static long inversions(size_t *a, size_t *tmp, size_t n) {
  long inv = 0;
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (a[j] < a[i]) {
          inv += (long)(mid - i);
          tmp[k++] = a[j++];
        } else {
          tmp[k++] = a[i++];
        }
      }
      while (i < mid) tmp[k++] = a[i++];
      while (j < hi) tmp[k++] = a[j++];
    }
    memcpy(a, tmp, n * sizeof *a);
  }
  return inv;
}

/* Segments by (tail rank, head rank): sorted, their heads' inversions are
 * the crossings. */
static const lay *cmp_lay;
static int by_ranks(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  size_t rx = cmp_lay->rank[cmp_lay->seg_from[x]], ry = cmp_lay->rank[cmp_lay->seg_from[y]];
  if (rx != ry) return gdv_cmp_u64(rx, ry);
  return gdv_cmp_u64(cmp_lay->rank[cmp_lay->seg_to[x]], cmp_lay->rank[cmp_lay->seg_to[y]]);
}

/* Crossings between layer l and l + 1 with the order as it is. */
static long crossings_after(lay *L, size_t l, size_t *buf) {
  size_t n = 0;
  for (size_t i = L->lay_start[l]; i < L->lay_start[l + 1]; i++) {
    size_t v = L->lay_v[i];
    for (size_t k = L->out_start[v]; k < L->out_start[v + 1]; k++) buf[n++] = L->out_seg[k];
  }
  if (n < 2) return 0;
  cmp_lay = L;
  qsort(buf, n, sizeof *buf, by_ranks);
  size_t *heads = buf + n, *tmp = buf + 2 * n;
  for (size_t i = 0; i < n; i++) heads[i] = L->rank[L->seg_to[buf[i]]];
  return inversions(heads, tmp, n);
}

/* All crossings of the order as it is (buf: 3 * segments). */
static long crossings(lay *L, size_t *buf) {
  long c = 0;
  for (int l = 0; l + 1 < L->n_layers; l++) c += crossings_after(L, (size_t)l, buf);
  return c;
}

/* Reorders layer l by the mean rank of each vertex's neighbours in the
 * layer before (down) or after (up); a vertex without any keeps its
 * place. */
static void sweep_layer(lay *L, size_t l, int down) {
  size_t a = L->lay_start[l], b = L->lay_start[l + 1];
  for (size_t i = a; i < b; i++) {
    size_t v = L->lay_v[i];
    const size_t *st = down ? L->in_start : L->out_start, *sg = down ? L->in_seg : L->out_seg;
    double sum = 0;
    size_t n = 0;
    for (size_t k = st[v]; k < st[v + 1]; k++) {
      size_t w = down ? L->seg_from[sg[k]] : L->seg_to[sg[k]];
      sum += (double)L->rank[w];
      n++;
    }
    /* a vertex without neighbours on this side stays where it is */
    L->scratch[v] = n ? sum / (double)n : (double)(i - a) - 0.001;
  }
  sort_by = L->scratch;
  qsort(L->lay_v + a, b - a, sizeof *L->lay_v, by_key);
  for (size_t i = a; i < b; i++) L->rank[L->lay_v[i]] = i - a;
}

/* Swaps neighbours in a layer while that removes crossings with both
 * adjacent layers (small layouts only: quadratic in a layer). */
static void transpose_pass(lay *L, size_t *buf) {
  for (int round = 0; round < 4; round++) {
    int better = 0;
    for (int l = 0; l < L->n_layers; l++) {
      size_t a = L->lay_start[l], b = L->lay_start[l + 1];
      for (size_t i = a; i + 1 < b; i++) {
        long before = (l > 0 ? crossings_after(L, (size_t)l - 1, buf) : 0) +
                      (l + 1 < L->n_layers ? crossings_after(L, (size_t)l, buf) : 0);
        size_t x = L->lay_v[i], y = L->lay_v[i + 1];
        L->lay_v[i] = y, L->lay_v[i + 1] = x;
        L->rank[y] = i - a, L->rank[x] = i + 1 - a;
        long after = (l > 0 ? crossings_after(L, (size_t)l - 1, buf) : 0) +
                     (l + 1 < L->n_layers ? crossings_after(L, (size_t)l, buf) : 0);
        if (after < before) {
          better = 1;
        } else {
          L->lay_v[i] = x, L->lay_v[i + 1] = y;
          L->rank[x] = i - a, L->rank[y] = i + 1 - a;
        }
      }
    }
    if (!better) break;
  }
}

/* Saves or restores the order of every layer. */
static void order_copy(lay *L, size_t *to, int save) {
  if (save) memcpy(to, L->lay_v, L->nv * sizeof *to);
  else memcpy(L->lay_v, to, L->nv * sizeof *to);
  for (int l = 0; l < L->n_layers; l++)
    for (size_t i = L->lay_start[l]; i < L->lay_start[l + 1]; i++)
      L->rank[L->lay_v[i]] = i - L->lay_start[l];
}

/* Small layouts get neighbour swaps after the sweeps. */
#define TRANSPOSE_MAX_VERTICES 400
/* Source order is kept while it adds at most a fifth to the crossings
 * (none to a layout without any): a few crossings buy a figure read in
 * the order the file was written. */
#define SOURCE_ORDER_SLACK 5

/* The order within layers: barycentre sweeps from source order, the best
 * order seen kept, then source order again where it costs few crossings. */
static int order_layers(lay *L, long *out_crossings) {
  size_t nseg = L->n_seg;
  size_t *buf = malloc((3 * nseg + 1) * sizeof *buf);
  size_t *source = malloc((L->nv + 1) * sizeof *source), *best = malloc((L->nv + 1) * sizeof *best);
  if (!buf || !source || !best) {
    free(buf); free(source); free(best);
    return 0;
  }
  order_copy(L, source, 1);
  long src = crossings(L, buf), least = src;
  order_copy(L, best, 1);
  for (int it = 0; it < ORDER_SWEEPS && least > 0; it++) {
    for (int l = 1; l < L->n_layers; l++) sweep_layer(L, (size_t)l, 1);
    for (int l = L->n_layers - 2; l >= 0; l--) sweep_layer(L, (size_t)l, 0);
    long c = crossings(L, buf);
    if (c < least) {
      least = c;
      order_copy(L, best, 1);
    }
  }
  order_copy(L, best, 0);
  if (L->nv <= TRANSPOSE_MAX_VERTICES && least > 0) {
    transpose_pass(L, buf);
    least = crossings(L, buf);
    order_copy(L, best, 1);
  }
  if (src <= least + least / SOURCE_ORDER_SLACK) {
    order_copy(L, source, 0);
    least = src;
  }
  *out_crossings = least;
  free(buf); free(source); free(best);
  return 1;
}

/* See gdv_render_int.h: as wide across as its label, or a thin one
 * without; staggered, half a label and room for its neighbour's line
 * (and never closer than arrowheads can be told apart). */
double gdv_layers_slot(const gdv_style *st, double label_across, int staggered) {
  if (!(label_across > 0)) return SLOT_PLAIN;
  if (staggered) return fmax(label_across / 2 + st->edge_width_max / 2 + STAGGER_CLEAR, ARROW_ROOM);
  return label_across + SLOT_GAP;
}

/* The slot of a segment ending at a node (its node's pitch when its
 * labels are staggered). */
static double slot_extent(const lay *L, size_t seg) {
  if (L->pitch[L->seg_to[seg]] > 0) return L->pitch[L->seg_to[seg]];
  return gdv_layers_slot(L->st, label_across(L, &L->s->edges[L->seg_edge[seg]]), 0);
}

/* Staggering: a node whose labelled slots stand taller across than its
 * box sets every other label one column further from it, so its slots
 * need only part each label from its neighbours' lines (a label and the
 * next in its own column still clear each other). Decided once the
 * boxes have their final size; the scene learns whether any node
 * would gain (tall_slots), so the planner knows to try it. */
static void stagger_slots(lay *L) {
  for (size_t v = 0; v < L->nn; v++) {
    double stack = 0, deepest = 0;
    size_t n = L->in_start[v + 1] - L->in_start[v], n_labelled = 0;
    for (size_t k = L->in_start[v]; k < L->in_start[v + 1]; k++) {
      const gdv_scene_edge *e = &L->s->edges[L->seg_edge[L->in_seg[k]]];
      stack += slot_extent(L, L->in_seg[k]);
      if (labelled(e)) n_labelled++, deepest = fmax(deepest, label_across(L, e));
    }
    /* one pitch for all its slots, set by its deepest label */
    double pitch = gdv_layers_slot(L->st, deepest, 1);
    if (n_labelled < 3 || stack <= node_across(L, v) || pitch * (double)n >= stack) continue;
    L->s->tall_slots = 1;
    if (L->s->stagger_labels) L->pitch[v] = pitch;
  }
}

/* Segments of v (in or out) by the position of their other end. */
static const lay *cmp_pos;
static int cmp_pos_in;
static int by_other_end(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  size_t ox = cmp_pos_in ? cmp_pos->seg_from[x] : cmp_pos->seg_to[x];
  size_t oy = cmp_pos_in ? cmp_pos->seg_from[y] : cmp_pos->seg_to[y];
  double px = cmp_pos->pos[ox], py = cmp_pos->pos[oy];
  if (px != py) return px < py ? -1 : 1;
  /* two edges from one node: by the port they leave at */
  if (cmp_pos_in && cmp_pos->port[x] != cmp_pos->port[y]) return cmp_pos->port[x] < cmp_pos->port[y] ? -1 : 1;
  if (!cmp_pos_in && cmp_pos->slot[x] != cmp_pos->slot[y]) return cmp_pos->slot[x] < cmp_pos->slot[y] ? -1 : 1;
  return gdv_cmp_u64(x, y);
}

/* Node v's segments in (in 1) or out, into buf by where their other ends
 * lie; their count. A dummy passes its edge straight: its segments (and
 * a node's when it has none) get offset 0 in at[] and count 0. */
static size_t ends_in_order(const lay *L, size_t v, int in, size_t *buf, double *at) {
  const size_t *start = in ? L->in_start : L->out_start, *seg = in ? L->in_seg : L->out_seg;
  size_t n = start[v + 1] - start[v];
  if (v >= L->nn || n == 0) {
    for (size_t k = start[v]; k < start[v + 1]; k++) at[seg[k]] = 0;
    return 0;
  }
  memcpy(buf, seg + start[v], n * sizeof *buf);
  cmp_pos = L;
  cmp_pos_in = in;
  qsort(buf, n, sizeof *buf, by_other_end);
  return n;
}

/* Each node's slots (edges in, stacked across in the order of their
 * tails, centred on the node) and ports (edges out, spread over its side
 * in the order of their heads). */
static void place_ports(lay *L) {
  size_t *buf = L->tmp;
  for (size_t v = 0; v < L->nv; v++) {
    size_t n = ends_in_order(L, v, 1, buf, L->slot);
    if (n == 0) continue;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
      total += slot_extent(L, buf[i]);
      L->far[buf[i]] = L->pitch[v] > 0 && i % 2 == 1;
    }
    double at = -total / 2;
    for (size_t i = 0; i < n; i++) {
      double x = slot_extent(L, buf[i]);
      L->slot[buf[i]] = at + x / 2;
      at += x;
    }
  }
  double r = L->st->node_radius + 2;
  for (size_t v = 0; v < L->nv; v++) {
    size_t n = ends_in_order(L, v, 0, buf, L->port);
    if (n == 0) continue;
    double side = node_across(L, v) - 2 * r;
    if (side < 0) side = 0;
    for (size_t i = 0; i < n; i++)
      L->port[buf[i]] = n == 1 ? 0 : -side / 2 + side * ((double)i + 0.5) / (double)n;
  }
}

/* Boxes grow across to hold their arrowheads apart (a one-line box with
 * five edges in would crowd them): ARROW_ROOM each, the corners kept. */
static void room_for_arrows(lay *L) {
  for (size_t v = 0; v < L->nn; v++) {
    size_t n = L->in_start[v + 1] - L->in_start[v];
    double need = (double)n * ARROW_ROOM + 2 * L->st->node_radius + 4;
    gdv_scene_node *nd = &L->s->nodes[v];
    if (n > 1 && node_across(L, v) < need) {
      if (L->lr) nd->h = ceil(need);
      else nd->w = ceil(need);
    }
  }
}

/* Across extent each vertex reserves: its box, or the stack of its slots
 * when that is longer; a dummy a thin lane. */
static void reserve_extents(lay *L) {
  for (size_t v = 0; v < L->nv; v++) {
    if (v >= L->nn) {
      L->ext[v] = DUMMY_EXTENT;
      continue;
    }
    double slots = 0;
    for (size_t k = L->in_start[v]; k < L->in_start[v + 1]; k++) slots += slot_extent(L, L->in_seg[k]);
    double box = node_across(L, v);
    L->ext[v] = slots > box ? slots : box;
  }
}

/* How far staggered node v's outermost labels reach past the extent it
 * reserves on one side (high: toward larger positions), per label column
 * (0 near, 1 far; -HUGE_VAL none), and how far inside that extent its
 * outermost edge's line runs. A staggered label is wider than its slot,
 * so the first and last overhang: a neighbour's labels or line must keep
 * clear of them. */
static void stagger_reach(const lay *L, size_t v, int high, double reach[2], double *inset) {
  reach[0] = reach[1] = -HUGE_VAL;
  if (v >= L->nn) {
    *inset = DUMMY_EXTENT / 2;
    return;
  }
  size_t n = L->in_start[v + 1] - L->in_start[v];
  double stack = 0, deepest = 0;
  for (size_t k = L->in_start[v]; k < L->in_start[v + 1]; k++) {
    stack += slot_extent(L, L->in_seg[k]);
    deepest = fmax(deepest, label_across(L, &L->s->edges[L->seg_edge[L->in_seg[k]]]));
  }
  double margin = (L->ext[v] - stack) / 2;
  if (n == 0) {
    *inset = HUGE_VAL;
    return;
  }
  if (!(L->pitch[v] > 0)) {
    *inset = margin + SLOT_PLAIN / 2;
    return;
  }
  double p = L->pitch[v];
  *inset = margin + p / 2;
  for (size_t j = 0; j < 2 && j < n; j++) {
    size_t i = high ? n - 1 - j : j;
    reach[i % 2] = fmax(reach[i % 2], deepest / 2 - (margin + p / 2 + (double)j * p));
  }
}

/* Space between neighbours a and b of a layer (a before b): the style's,
 * or more where staggered labels overhang their slots. */
static double gap_between(const lay *L, size_t a, size_t b) {
  double gap = a >= L->nn || b >= L->nn ? L->st->node_sep / 2 : L->st->node_sep * NODE_GAP_SHARE;
  if ((a >= L->nn || !(L->pitch[a] > 0)) && (b >= L->nn || !(L->pitch[b] > 0))) return gap;
  double ra[2], rb[2], ia, ib, line = L->st->edge_width_max / 2 + STAGGER_CLEAR;
  stagger_reach(L, a, 1, ra, &ia);
  stagger_reach(L, b, 0, rb, &ib);
  double need = gap;
  for (int c = 0; c < 2; c++) {
    need = fmax(need, ra[c] + rb[c] + STAGGER_CLEAR);
    need = fmax(need, ra[c] - ib + line);
    need = fmax(need, rb[c] - ia + line);
  }
  return need;
}

/* How strongly segment k pulls its ends together. */
static double seg_weight(const lay *L, size_t k) {
  size_t a = L->seg_from[k], b = L->seg_to[k];
  int spine_a = a >= L->nn || L->s->nodes[a].kind == GDV_KIND_OP;
  int spine_b = b >= L->nn || L->s->nodes[b].kind == GDV_KIND_OP;
  return spine_a && spine_b ? SPINE_WEIGHT : 1.0;
}

/* Places the vertices of layer l as near their wishes (scratch) as their
 * order and spacing allow, minimising the weighted squared distance:
 * with the spacing taken out, an isotonic regression, solved exactly by
 * pooling adjacent violators; then, when the layer fits between lo and
 * hi, held inside them (clamping the regression's values solves the
 * bounded problem too). w: each vertex's weight; blk: 3n scratch. */
static void place_layer(lay *L, size_t l, const double *wish, const double *w, double *blk,
                        double lo, double hi) {
  size_t a = L->lay_start[l], n = L->lay_start[l + 1] - a;
  if (n == 0) return;
  double *bv = blk, *bw = blk + n;
  size_t *bn = (size_t *)(blk + 2 * n);
  size_t nb = 0;
  double offset = 0;
  for (size_t i = 0; i < n; i++) {
    size_t v = L->lay_v[a + i];
    if (i > 0) {
      size_t u = L->lay_v[a + i - 1];
      offset += (L->ext[u] + L->ext[v]) / 2 + gap_between(L, u, v);
    }
    double t = wish[v] - offset, wt = w[v] > 0 ? w[v] : 1e-6;
    bv[nb] = t, bw[nb] = wt, bn[nb] = 1;
    nb++;
    while (nb > 1 && bv[nb - 2] > bv[nb - 1]) {
      double sw = bw[nb - 2] + bw[nb - 1];
      bv[nb - 2] = (bv[nb - 2] * bw[nb - 2] + bv[nb - 1] * bw[nb - 1]) / sw;
      bw[nb - 2] = sw;
      bn[nb - 2] += bn[nb - 1];
      nb--;
    }
  }
  /* the bounds on the values with the spacing taken out: the first box's
   * top at lo at least, the last box's bottom at hi at most */
  size_t first = L->lay_v[a], last = L->lay_v[a + n - 1];
  double least = lo + L->ext[first] / 2, most = hi - L->ext[last] / 2 - offset;
  if (least <= most)
    for (size_t b = 0; b < nb; b++) bv[b] = fmin(fmax(bv[b], least), most);
  offset = 0;
  for (size_t b = 0, i = 0; b < nb; b++)
    for (size_t j = 0; j < bn[b]; j++, i++) {
      size_t v = L->lay_v[a + i];
      if (i > 0) {
        size_t u = L->lay_v[a + i - 1];
        offset += (L->ext[u] + L->ext[v]) / 2 + gap_between(L, u, v);
      }
      L->pos[v] = bv[b] + offset;
    }
}

/* How far across layer l's vertices reach, stacked at their spacing. */
static double layer_stack(const lay *L, size_t l) {
  double at = 0;
  for (size_t i = L->lay_start[l]; i < L->lay_start[l + 1]; i++) {
    size_t v = L->lay_v[i];
    at += L->ext[v];
    if (i > L->lay_start[l]) at += gap_between(L, L->lay_v[i - 1], v);
  }
  return at;
}

/* Adds to *sum and *sw the pull of vertex v's segments arriving (in)
 * or leaving: each toward where its other end puts v, its port and slot
 * counted, weighted by seg_weight. */
static void add_pulls(const lay *L, size_t v, int in, double *sum, double *sw) {
  const size_t *start = in ? L->in_start : L->out_start, *seg = in ? L->in_seg : L->out_seg;
  const size_t *other = in ? L->seg_from : L->seg_to;
  double sign = in ? 1 : -1;
  for (size_t k = start[v]; k < start[v + 1]; k++) {
    size_t s = seg[k];
    double ws = seg_weight(L, s);
    *sum += ws * (L->pos[other[s]] + sign * (L->port[s] - L->slot[s]));
    *sw += ws;
  }
}

/* Where the edges of layer l's vertices pull them: from the layer before
 * (in), the layer after (out), or both; into wish and w. */
static void pull_layer(const lay *L, size_t l, int in, int out, double *wish, double *w) {
  for (size_t i = L->lay_start[l]; i < L->lay_start[l + 1]; i++) {
    size_t v = L->lay_v[i];
    double sum = 0, sw = 0;
    if (in) add_pulls(L, v, 1, &sum, &sw);
    if (out) add_pulls(L, v, 0, &sum, &sw);
    wish[v] = sw > 0 ? sum / sw : L->pos[v];
    w[v] = sw > 0 ? sw : 0.01;
  }
}

/* Positions across: layers stacked, then rounds of placing each layer
 * where its edges into the layer before (down) or out of it (up) pull
 * it, their slots and ports counted, so that an edge runs as straight
 * as the others let it. A short layer pulled past the reach of the
 * tallest makes the figure taller than its layers need (layer_overhang);
 * with hold_layers every other layer is placed once more, held within
 * that reach, so the figure draws larger on its page at the price of
 * edges less straight. */
static int place_across(lay *L) {
  size_t nv = L->nv, most = 0;
  for (int l = 0; l < L->n_layers; l++) {
    size_t n = L->lay_start[l + 1] - L->lay_start[l];
    if (n > most) most = n;
  }
  double *wish = malloc((nv + 1) * sizeof *wish), *w = malloc((nv + 1) * sizeof *w);
  double *blk = malloc((3 * most + 1) * sizeof *blk);
  if (!wish || !w || !blk) {
    free(wish); free(w); free(blk);
    return 0;
  }
  place_ports(L);
  reserve_extents(L);
  for (size_t v = 0; v < nv; v++) wish[v] = 0, w[v] = 1;
  for (int l = 0; l < L->n_layers; l++) place_layer(L, (size_t)l, wish, w, blk, -INFINITY, INFINITY);
  for (int round = 0; round < PLACE_ROUNDS; round++) {
    int down = round % 2 == 0;
    /* the last rounds pull from both sides at once */
    int both = round >= PLACE_ROUNDS - 4;
    if (round % 4 == 3) place_ports(L);
    for (int step = 0; step < L->n_layers; step++) {
      size_t l = (size_t)(down ? step : L->n_layers - 1 - step);
      pull_layer(L, l, down || both, !down || both, wish, w);
      place_layer(L, l, wish, w, blk, -INFINITY, INFINITY);
    }
  }
  size_t tallest = 0;
  double reach = -1;
  for (int l = 0; l < L->n_layers; l++) {
    double r = layer_stack(L, (size_t)l);
    if (r > reach) reach = r, tallest = (size_t)l;
  }
  L->s->layer_overhang = 0;
  if (L->n_layers > 0 && L->lay_start[tallest + 1] > L->lay_start[tallest]) {
    size_t top = L->lay_v[L->lay_start[tallest]], end = L->lay_v[L->lay_start[tallest + 1] - 1];
    double lo = L->pos[top] - L->ext[top] / 2, hi = L->pos[end] + L->ext[end] / 2;
    double from = lo, to = hi;
    for (int l = 0; l < L->n_layers; l++) {
      if (L->lay_start[l + 1] == L->lay_start[l]) continue;
      size_t first = L->lay_v[L->lay_start[l]], last = L->lay_v[L->lay_start[l + 1] - 1];
      from = fmin(from, L->pos[first] - L->ext[first] / 2);
      to = fmax(to, L->pos[last] + L->ext[last] / 2);
    }
    L->s->layer_overhang = (lo - from) + (to - hi);
    for (int l = 0; L->s->hold_layers && l < L->n_layers; l++) {
      if ((size_t)l == tallest) continue;
      pull_layer(L, (size_t)l, 1, 1, wish, w);
      place_layer(L, (size_t)l, wish, w, blk, lo, hi);
    }
  }
  place_ports(L);
  free(wish); free(w); free(blk);
  return 1;
}

/* Where segment k leaves its tail and reaches its head, across. */
static double seg_tail(const lay *L, size_t k) {
  return L->pos[L->seg_from[k]] + L->port[k];
}
static double seg_head(const lay *L, size_t k) {
  return L->pos[L->seg_to[k]] + L->slot[k];
}

/* The segments into layer l, into buf (nv + nseg indices); their count. */
static size_t gap_segments(const lay *L, int l, size_t *buf) {
  size_t n = 0;
  for (size_t i = L->lay_start[l]; i < L->lay_start[l + 1]; i++) {
    size_t v = L->lay_v[i];
    for (size_t k = L->in_start[v]; k < L->in_start[v + 1]; k++) buf[n++] = L->in_seg[k];
  }
  return n;
}

/* Whether two of the n segments seg[] into a gap, run long along, cross
 * at a shallow angle (edges of one tail or one head never cross: they
 * share a trunk or part at the head's slots). The S-curve's middle, where
 * curves cross, is steeper than its chord: its level ends take their
 * share of the run. */
static int gap_shallow(const lay *L, const size_t *seg, size_t n, double run) {
  if (n > SHALLOW_TEST_MAX) return 0;
  double middle = run * (1 - 2 * S_CURVE_LEVEL), least = SHALLOW_CROSS_DEG * M_PI / 180;
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      size_t a = seg[i], b = seg[j];
      if (L->seg_from[a] == L->seg_from[b] || L->seg_to[a] == L->seg_to[b]) continue;
      double ta = seg_tail(L, a), tb = seg_tail(L, b), ha = seg_head(L, a), hb = seg_head(L, b);
      if ((ta - tb) * (ha - hb) >= 0) continue;
      if (fabs(atan2(ha - ta, middle) - atan2(hb - tb, middle)) < least) return 1;
    }
  return 0;
}

/* Where tail u's trunk leaves it, across from its centre: the centre, or
 * the place nearest it along its side that stands `clear` from every head
 * the gap's other edges drop to (n segments seg[]): a trunk on the line
 * of another value's drop would run together with it. */
static double trunk_offset(const lay *L, size_t u, const size_t *seg, size_t n, double clear) {
  double half = u < L->nn ? node_across(L, u) / 2 - L->st->node_radius - 2 : 0;
  if (half <= 0) return 0;
  double best = 0;
  int found = 0;
  /* the centre, then each side of every head within reach */
  for (size_t c = 0; c <= 2 * n; c++) {
    double at;
    if (c == 0) {
      at = 0;
    } else {
      size_t k = seg[(c - 1) / 2];
      if (L->seg_from[k] == u) continue;
      at = seg_head(L, k) - L->pos[u] + ((c - 1) % 2 ? clear : -clear);
      if (fabs(at) > half || (found && fabs(at) >= fabs(best))) continue;
    }
    int apart = 1;
    for (size_t i = 0; apart && i < n; i++)
      apart = L->seg_from[seg[i]] == u || fabs(seg_head(L, seg[i]) - L->pos[u] - at) >= clear - 1e-9;
    if (apart) {
      best = at, found = 1;
      if (c == 0) break;
    }
  }
  return best;
}

/* The span across of tail u's bus in a gap: from its trunk to its
 * farthest head. */
static void bus_span(const lay *L, size_t u, double *lo, double *hi) {
  *lo = *hi = L->out_start[u] < L->out_start[u + 1] ? seg_tail(L, L->out_seg[L->out_start[u]]) : L->pos[u];
  for (size_t k = L->out_start[u]; k < L->out_start[u + 1]; k++) {
    double h = seg_head(L, L->out_seg[k]);
    *lo = fmin(*lo, h), *hi = fmax(*hi, h);
  }
}

/* Routes the gap before layer l (its n_seg segments seg[]) as buses:
 * every tail's segments leave it from one place (one trunk, see
 * trunk_offset), and each tail whose heads do not stand straight below
 * it takes a track across the gap, tails packed onto tracks left to
 * right (the fewest tracks whose buses do not touch). Returns the run
 * the gap then needs along: its tracks and the room at both ends. */
static double gap_tracks(lay *L, int l, const size_t *seg, size_t n_seg) {
  size_t a = L->lay_start[l - 1], n = L->lay_start[l] - a, n_tracks = 0;
  double *end = L->scratch;  /* per track: where its last bus ends */
  double clear = L->st->edge_width_max + TRACK_CLEAR;
  for (size_t i = 0; i < n; i++) {
    size_t u = L->lay_v[a + i];
    double at = trunk_offset(L, u, seg, n_seg, clear);
    for (size_t k = L->out_start[u]; k < L->out_start[u + 1]; k++) L->port[L->out_seg[k]] = at;
  }
  /* the layer's tails in order are in order of their trunks; a bus's
   * span starts at its trunk or its leftmost head, so pack by span */
  size_t *order = L->tmp + n_seg;
  for (size_t i = 0; i < n; i++) order[i] = L->lay_v[a + i];
  for (size_t i = 1; i < n; i++)  /* insertion sort by span start: layers are short */
    for (size_t j = i; j > 0; j--) {
      double lo_a, hi_a, lo_b, hi_b;
      bus_span(L, order[j - 1], &lo_a, &hi_a);
      bus_span(L, order[j], &lo_b, &hi_b);
      if (lo_b >= lo_a) break;
      size_t t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
    }
  for (size_t i = 0; i < n; i++) {
    size_t u = order[i];
    double lo, hi;
    bus_span(L, u, &lo, &hi);
    if (hi - lo < 1) continue;  /* straight down: no track */
    size_t t = 0;
    while (t < n_tracks && end[t] + clear > lo) t++;
    if (t == n_tracks) n_tracks++;
    end[t] = hi;
    for (size_t k = L->out_start[u]; k < L->out_start[u + 1]; k++)
      L->track[L->out_seg[k]] = BUS_END_ROOM + (double)t * clear;
  }
  return 2 * BUS_END_ROOM + (n_tracks > 1 ? (double)(n_tracks - 1) * clear : 0);
}

/* Along: each layer as wide as its widest box; before it, the run of the
 * S-curves arriving (longer when they are steep), the column of their
 * labels and the line to the arrowheads. */
static void place_along(lay *L) {
  gdv_scene *s = L->s;
  for (size_t v = 0; v < L->nn; v++) {
    double a = node_along(L, v);
    if (a > L->along[L->layer[v]]) L->along[L->layer[v]] = a;
  }
  double *far_col = L->scratch;
  for (int l = 0; l < L->n_layers; l++) far_col[l] = 0;
  for (size_t k = 0; k < L->n_seg; k++) {
    size_t to = L->seg_to[k];
    if (to >= L->nn) continue;
    double la = label_along(L, &s->edges[L->seg_edge[k]]);
    double *col = L->far[k] ? &far_col[L->layer[to]] : &L->near_col[L->layer[to]];
    if (la > *col) *col = la;
  }
  for (int l = 0; l < L->n_layers; l++)
    L->label_col[l] = L->near_col[l] + (far_col[l] > 0 ? STAGGER_GAP + far_col[l] : 0);
  double at = 0;
  s->shallow_gaps = 0;
  for (int l = 0; l < L->n_layers; l++) {
    if (l > 0) {
      double steep = 0;
      for (size_t i = L->lay_start[l]; i < L->lay_start[l + 1]; i++) {
        size_t v = L->lay_v[i];
        for (size_t k = L->in_start[v]; k < L->in_start[v + 1]; k++) {
          size_t sg = L->in_seg[k];
          double d = fabs(L->pos[v] + L->slot[sg] - L->pos[L->seg_from[sg]] - L->port[sg]);
          if (d > steep) steep = d;
        }
      }
      double run = RUN_SLOPE * steep;
      if (run > RUN_MAX) run = RUN_MAX;
      if (run < RUN_MIN_SHARE * L->st->rank_sep) run = RUN_MIN_SHARE * L->st->rank_sep;
      size_t n_seg = gap_segments(L, l, L->tmp);
      if (gap_shallow(L, L->tmp, n_seg, run)) {
        s->shallow_gaps++;
        if (s->bus_gaps) run = gap_tracks(L, l, L->tmp, n_seg);
      }
      at += run;
      if (L->label_col[l] > 0) at += L->label_col[l] + AFTER_LABEL;
      at += ARROW_LENGTH;
    }
    L->start[l] = at;
    at += L->along[l];
  }
}

/* An S-curve from the last point, level at both ends. */
static void pts_s_curve(gdv_points *p, double a, double c) {
  double a0 = p->v[2 * (p->n - 1)], c0 = p->v[2 * (p->n - 1) + 1];
  if (fabs(c - c0) < 0.5) {
    gdv_points_line(p, a, c);
    return;
  }
  double h = (a - a0) * S_CURVE_LEVEL;
  gdv_points_add(p, a0 + h, c0);
  gdv_points_add(p, a - h, c);
  gdv_points_add(p, a, c);
}

/* The end of the layer-l column (where its boxes' far sides lie at most). */
static double layer_end(const lay *L, int l) {
  return L->start[l] + L->along[l];
}

/* From the last point (the end of its tail's layer) through the gap of
 * segment k to a (along), c (across): an S-curve, or on a bus down its
 * trunk, along its track and down to c. */
static void gap_route(const lay *L, gdv_points *p, size_t k, double a, double c) {
  double c0 = p->v[2 * (p->n - 1) + 1];
  if (!(L->track[k] >= 0) || fabs(c - c0) < 0.5) {
    pts_s_curve(p, a, c);
    return;
  }
  double t = p->v[2 * (p->n - 1)] + L->track[k];
  double q[] = {t, c0, t, c, a, c};
  gdv_points_corners(p, q, 3);
}

/* Where the edges into layer l leave their S-curves: the start of its
 * label column, or of its arrows when it has no labels. */
static double entry_of(const lay *L, int l) {
  return L->start[l] - ARROW_LENGTH - (L->label_col[l] > 0 ? L->label_col[l] + AFTER_LABEL : 0);
}

/* Routes edge e: from its port, S-curves through each gap, straight
 * through the layers it passes, and into its slot on its label's line. */
static int route_edge(lay *L, size_t e) {
  gdv_scene_edge *ed = &L->s->edges[e];
  size_t c0 = L->chain_start[e], c1 = chain_end(L, e);
  size_t from = L->chain[c0], to = L->chain[c1];
  size_t seg0 = c0 - e;  /* segments are numbered as chain links */
  gdv_points p = {0};
  double r = L->st->node_radius;
  /* out of the tail level to the end of its layer's column first: a box
   * narrower than its column would send the curve through a neighbour */
  double y0 = L->pos[from] + L->port[seg0];
  gdv_points_add(&p, L->start[L->layer[from]] + node_along(L, from), y0);
  if (layer_end(L, L->layer[from]) > p.v[0] + 0.5) gdv_points_line(&p, layer_end(L, L->layer[from]), y0);
  for (size_t c = c0 + 1; c < c1; c++) {
    size_t d = L->chain[c];
    int l = L->layer[d];
    gap_route(L, &p, c - 1 - e, entry_of(L, l), L->pos[d]);
    gdv_points_line(&p, layer_end(L, l), L->pos[d]);
  }
  size_t last = seg0 + (c1 - c0) - 1;
  int l = L->layer[to];
  double y = L->pos[to] + L->slot[last];
  /* the arrowheads land where their slots are, or, when the slots stand
   * taller than the box, spread over its side in the slots' order */
  double half = node_across(L, to) / 2 - r - 2, block = 0;
  if (half < 0) half = 0;
  for (size_t k = L->in_start[to]; k < L->in_start[to + 1]; k++) block += slot_extent(L, L->in_seg[k]);
  double tip = block > 2 * half && block > 0 ? L->pos[to] + L->slot[last] * (2 * half / block) : y;
  double base = L->start[l] - ARROW_LENGTH;
  gap_route(L, &p, last, entry_of(L, l), y);
  if (labelled(ed)) {
    double la = label_along(L, ed), lend = L->start[l] - ARROW_LENGTH - AFTER_LABEL;
    /* the label right-aligned in its column, on its straight stretch */
    double ca = lend - la / 2;
    if (L->far[last]) ca -= L->near_col[l] + STAGGER_GAP;
    if (L->lr) ed->label_x = ca, ed->label_y = y;
    else ed->label_x = y, ed->label_y = ca;
    if (tip == y) {
      gdv_points_line(&p, base, y);
    } else {
      gdv_points_line(&p, lend + 2, y);
      pts_s_curve(&p, base, tip);
    }
  } else {
    pts_s_curve(&p, base, tip);
  }
  if (!gdv_points_to_edge(&p, ed)) return 0;
  double tip_a = L->start[l];
  if (L->lr) ed->tip_x = tip_a, ed->tip_y = tip;
  else ed->tip_x = tip, ed->tip_y = tip_a;
  if (!L->lr)
    for (size_t k = 0; k < ed->n_pts; k++) {
      double t = ed->pts[2 * k];
      ed->pts[2 * k] = ed->pts[2 * k + 1];
      ed->pts[2 * k + 1] = t;
    }
  return 1;
}

/* Node centres in x, y; then everything shifted so the drawing starts at
 * 0, 0 and its extent recorded. */
static void finish(lay *L) {
  gdv_scene *s = L->s;
  for (size_t v = 0; v < L->nn; v++) {
    double a = L->start[L->layer[v]] + node_along(L, v) / 2, c = L->pos[v];
    s->nodes[v].x = L->lr ? a : c;
    s->nodes[v].y = L->lr ? c : a;
    s->nodes[v].layer = L->layer[v];
  }
  double b[4];
  gdv_scene_graph_box(s, b);
  double x0 = b[0], y0 = b[1], x1 = b[2], y1 = b[3];
  if (!(x0 <= x1)) x0 = y0 = x1 = y1 = 0;
  for (size_t v = 0; v < L->nn; v++) s->nodes[v].x -= x0, s->nodes[v].y -= y0;
  for (size_t e = 0; e < L->ne; e++) {
    gdv_scene_edge *ed = &s->edges[e];
    for (size_t k = 0; k < ed->n_pts; k++) ed->pts[2 * k] -= x0, ed->pts[2 * k + 1] -= y0;
    ed->tip_x -= x0, ed->tip_y -= y0;
    ed->label_x -= x0, ed->label_y -= y0;
  }
  s->width = x1 - x0;
  s->height = y1 - y0;
}

/* See gdv_render.h. */
gdv_status gdv_layout_layers(gdv_scene *s, const gdv_style *st, gdv_error *err) {
  gdv_status status = gdv_scene_measure(s, st, err);
  if (status) return status;
  lay L;
  memset(&L, 0, sizeof L);
  L.s = s;
  L.st = st;
  L.lr = s->rank_lr;
  s->tall_slots = 0;
  L.nn = s->n_nodes;
  L.ne = s->n_edges;
  L.layer = malloc((L.nn + 1) * sizeof *L.layer);
  long crossed = 0;
  int ok = L.layer != NULL && assign_layers(&L) && build_chains(&L);
  if (ok) {
    source_keys(&L);
    room_for_arrows(&L);
    stagger_slots(&L);
    ok = group_layers(&L) && order_layers(&L, &crossed) && place_across(&L);
  }
  if (ok) {
    place_along(&L);
    for (size_t e = 0; ok && e < L.ne; e++) ok = route_edge(&L, e);
  }
  if (ok) finish(&L);
  lay_free(&L);
  return gdv_layout_done(s, st, ok, err);
}
