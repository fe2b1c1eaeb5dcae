/* gdv_fold.c: a laid-out strip folded to meet its page. A layered layout
 * of a course graph is a long strip (ten ranks of wide boxes), far from a
 * slide's 16:9; scaled to fit, its text is unreadable. So the strip is
 * folded like text: the ranks are cut into rows (columns when top to
 * bottom) that read in order, each edge crossing a fold routed through the
 * gap after its row (down the right gutter, back along the channel between
 * the rows, down the left gutter) on a track of its own. Which fold a
 * figure gets is the planner's choice (plan/). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

/* Swaps x and y everywhere, so that one fold (rows of a left-to-right
 * strip) also folds a top-to-bottom strip into columns. */
static void transpose(gdv_scene *s) {
#define SWAP(a, b) do { double t_ = (a); (a) = (b); (b) = t_; } while (0)
  for (size_t i = 0; i < s->n_nodes; i++) {
    SWAP(s->nodes[i].x, s->nodes[i].y);
    SWAP(s->nodes[i].w, s->nodes[i].h);
  }
  for (size_t i = 0; i < s->n_edges; i++) {
    gdv_scene_edge *e = &s->edges[i];
    for (size_t k = 0; k < e->n_pts; k++) SWAP(e->pts[2 * k], e->pts[2 * k + 1]);
    SWAP(e->tip_x, e->tip_y);
    SWAP(e->label_x, e->label_y);
    SWAP(e->label_w, e->label_h);
  }
  for (size_t i = 0; i < s->n_items; i++) {
    SWAP(s->items[i].x, s->items[i].y);
    SWAP(s->items[i].w, s->items[i].h);
  }
  SWAP(s->width, s->height);
#undef SWAP
}

/* An interval along x that a node or a label occupies. */
typedef struct span {
  double x0, x1;
} span;

/* Orders spans by their left end. */
static int span_cmp(const void *a, const void *b) {
  double x = ((const span *)a)->x0, y = ((const span *)b)->x0;
  return (x > y) - (x < y);
}

/* A label this close to its edge's tip (points) is the label of the
 * node's slot (gdv_layout_layers): no fold between them. */
#define LABEL_TO_ARROW 40.0

/* Where a fold may cut: the middles of the gaps between everything that
 * occupies x (nodes, edge labels), so no box is ever cut. *n gets the
 * count; NULL when out of memory. */
static double *fold_candidates(const gdv_scene *s, size_t *n) {
  span *sp = malloc((s->n_nodes + 2 * s->n_edges + 1) * sizeof *sp);
  double *cut = malloc((s->n_nodes + s->n_edges + 1) * sizeof *cut);
  size_t m = 0;
  *n = 0;
  if (sp == NULL || cut == NULL) {
    free(sp);
    free(cut);
    return NULL;
  }
  for (size_t i = 0; i < s->n_nodes; i++)
    if (!(s->nodes[i].flags & GDV_NODE_HIDDEN))
      sp[m++] = (span){s->nodes[i].x - s->nodes[i].w / 2, s->nodes[i].x + s->nodes[i].w / 2};
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *e = &s->edges[i];
    if (e->n_lines && e->label_w > 0) {
      double x0 = e->label_x - e->label_w / 2, x1 = e->label_x + e->label_w / 2;
      /* a label just before its arrowhead stays with it: a fold between
       * them would part a label from the node it speaks of */
      if (e->tip_x > x1 && e->tip_x - x1 < LABEL_TO_ARROW) x1 = e->tip_x;
      if (e->tip_x < x0 && x0 - e->tip_x < LABEL_TO_ARROW) x0 = e->tip_x;
      sp[m++] = (span){x0, x1};
    }
    /* the arrowhead: between the curve's end and the tip */
    if (e->n_pts) {
      double x = e->pts[2 * (e->n_pts - 1)];
      sp[m++] = (span){fmin(x, e->tip_x) - 2, fmax(x, e->tip_x) + 2};
    }
  }
  qsort(sp, m, sizeof *sp, span_cmp);
  double reach = m ? sp[0].x1 : 0;
  for (size_t i = 1; i < m; i++) {
    /* a gap narrower than 8 points leaves no room for a clean cut */
    if (sp[i].x0 > reach + 8) cut[(*n)++] = (reach + sp[i].x0) / 2;
    if (sp[i].x1 > reach) reach = sp[i].x1;
  }
  free(sp);
  return cut;
}

/* The extent of the scene along x (nodes, labels, edge points). */
static void x_extent(const gdv_scene *s, double *x0, double *x1) {
  *x0 = INFINITY;
  *x1 = -INFINITY;
  for (size_t i = 0; i < s->n_nodes; i++) {
    const gdv_scene_node *n = &s->nodes[i];
    if (n->x - n->w / 2 < *x0) *x0 = n->x - n->w / 2;
    if (n->x + n->w / 2 > *x1) *x1 = n->x + n->w / 2;
  }
  for (size_t i = 0; i < s->n_edges; i++)
    for (size_t k = 0; k < s->edges[i].n_pts; k++) {
      double x = s->edges[i].pts[2 * k];
      if (x < *x0) *x0 = x;
      if (x > *x1) *x1 = x;
    }
  if (*x0 > *x1) *x0 = *x1 = 0;
}

/* Picks n_bands - 1 cuts among the candidates, each the nearest to an even
 * share of the width and all distinct and increasing; 0 when there are
 * not enough gaps. cut gets n_bands + 1 bounds (the extent at both ends). */
static int choose_cuts(const double *cand, size_t n_cand, double x0, double x1,
                       size_t n_bands, double *cut) {
  cut[0] = x0;
  cut[n_bands] = x1;
  size_t next = 0;
  for (size_t j = 1; j < n_bands; j++) {
    double target = x0 + (x1 - x0) * (double)j / (double)n_bands;
    size_t best = n_cand;
    for (size_t k = next; k < n_cand; k++) {
      /* leave enough candidates for the cuts still to come */
      if (n_cand - k < n_bands - j) break;
      if (best == n_cand || fabs(cand[k] - target) < fabs(cand[best] - target)) best = k;
    }
    if (best == n_cand) return 0;
    cut[j] = cand[best];
    next = best + 1;
  }
  return 1;
}

/* Which band x lies in. */
static size_t band_of(const double *cut, size_t n_bands, double x) {
  size_t b = 0;
  while (b + 1 < n_bands && x >= cut[b + 1]) b++;
  return b;
}

/* A piece of an edge: one cubic in one band, and whether a fold follows. */
typedef struct piece {
  double p[8];
  size_t band;
  int fold_after;        /* the edge crosses cut band + 1 after this piece */
} piece;

/* A crossing of a fold: which edge, its exit and entry heights (before
 * moving), and the track it is given. */
typedef struct crossing {
  size_t edge, cut;
  double y_exit, y_entry;
  size_t track;          /* 0: the crossing that leaves highest */
  size_t source;         /* the edge's tail: crossings of one tail share a track */
  double key;            /* the highest exit of its tail's crossings at this cut */
} crossing;

/* Everything a fold computes before anything moves. */
typedef struct fold {
  size_t n_bands;
  double cut[GDV_FOLD_MAX_BANDS + 1];
  piece **pieces;        /* per edge */
  size_t *n_pieces;
  crossing *cross;
  size_t n_cross, cap_cross;
  size_t per_cut[GDV_FOLD_MAX_BANDS];
  double top[GDV_FOLD_MAX_BANDS], bottom[GDV_FOLD_MAX_BANDS];
  double dx[GDV_FOLD_MAX_BANDS], dy[GDV_FOLD_MAX_BANDS];
  double track;          /* points between tracks */
} fold;

/* Frees what fold_plan allocated. */
static void fold_free(fold *f, size_t n_edges) {
  if (f->pieces)
    for (size_t i = 0; i < n_edges; i++) free(f->pieces[i]);
  free(f->pieces);
  free(f->n_pieces);
  free(f->cross);
}

/* Point of a cubic at t. */
static double cubic_at(const double *c, double t) {
  double u = 1 - t;
  return u * u * u * c[0] + 3 * u * u * t * c[1] + 3 * u * t * t * c[2] + t * t * t * c[3];
}

/* Splits cubic p (x0 y0 .. x3 y3) at t into a and b (de Casteljau). */
static void cubic_split(const double *p, double t, double *a, double *b) {
  for (int d = 0; d < 2; d++) {
    double p0 = p[d], p1 = p[2 + d], p2 = p[4 + d], p3 = p[6 + d];
    double q0 = p0 + (p1 - p0) * t, q1 = p1 + (p2 - p1) * t, q2 = p2 + (p3 - p2) * t;
    double r0 = q0 + (q1 - q0) * t, r1 = q1 + (q2 - q1) * t;
    double m = r0 + (r1 - r0) * t;
    a[d] = p0, a[2 + d] = q0, a[4 + d] = r0, a[6 + d] = m;
    b[d] = m, b[2 + d] = r1, b[4 + d] = q2, b[6 + d] = p3;
  }
}

/* The t where the cubic's x reaches c (its ends on either side of c). */
static double cubic_solve_x(const double *p, double c) {
  double xs[4] = {p[0], p[2], p[4], p[6]};
  double lo = 0, hi = 1;
  int rising = xs[3] > xs[0];
  for (int it = 0; it < 50; it++) {
    double mid = (lo + hi) / 2, x = cubic_at(xs, mid);
    if ((x < c) == rising) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/* Records a piece of edge i; 0 when out of memory. */
static int add_piece(fold *f, size_t i, const double *p, size_t band, int fold_after) {
  piece *np = realloc(f->pieces[i], (f->n_pieces[i] + 1) * sizeof *np);
  if (np == NULL) return 0;
  f->pieces[i] = np;
  piece *pc = &np[f->n_pieces[i]++];
  memcpy(pc->p, p, sizeof pc->p);
  pc->band = band;
  pc->fold_after = fold_after;
  return 1;
}

/* Records that edge i crosses cut k (between band k - 1 and band k). */
static int add_crossing(fold *f, size_t i, size_t k, double y) {
  if (!gdv_grow((void **)&f->cross, &f->cap_cross, f->n_cross, sizeof *f->cross)) return 0;
  f->cross[f->n_cross++] = (crossing){i, k, y, y, 0, 0, y};
  return 1;
}

/* Cuts edge i's cubics at every fold they cross (left to right only: a
 * layered layout's edges run forward). The part before a fold runs level
 * at the height the cubic leaves at: cut in half, an S-curve would climb
 * toward its place in the next row, which the fold moved away (above its
 * own row, when that place is high); the gutter takes it there. */
static int split_edge(fold *f, const gdv_scene *s, size_t i) {
  const gdv_scene_edge *e = &s->edges[i];
  for (size_t k = 0; k + 3 < e->n_pts; k += 3) {
    double seg[8];
    memcpy(seg, &e->pts[2 * k], sizeof seg);
    size_t b0 = band_of(f->cut, f->n_bands, seg[0]);
    size_t b1 = band_of(f->cut, f->n_bands, seg[6]);
    double y_out = seg[1], x = seg[0];
    while (b1 > b0) {
      double a[8], rest[8];
      cubic_split(seg, cubic_solve_x(seg, f->cut[b0 + 1]), a, rest);
      for (int q = 0; q < 4; q++) a[2 * q] = x + (f->cut[b0 + 1] - x) * q / 3.0, a[2 * q + 1] = y_out;
      /* the rest, from the fold on, enters the next row as it was */
      if (!add_piece(f, i, a, b0, 1) || !add_crossing(f, i, b0 + 1, y_out)) return 0;
      memcpy(seg, rest, sizeof seg);
      x = f->cut[b0 + 1];
      b0++;
    }
    if (!add_piece(f, i, seg, b0, 0)) return 0;
  }
  return 1;
}

/* Widens band b's vertical extent to hold y0..y1. */
static void band_grow(fold *f, size_t b, double y0, double y1) {
  if (y0 < f->top[b]) f->top[b] = y0;
  if (y1 > f->bottom[b]) f->bottom[b] = y1;
}

/* Orders crossings by cut, then by tail, then by the height they leave at. */
static int crossing_by_source(const void *a, const void *b) {
  const crossing *x = a, *y = b;
  if (x->cut != y->cut) return (x->cut > y->cut) - (x->cut < y->cut);
  if (x->source != y->source) return (x->source > y->source) - (x->source < y->source);
  if (x->y_exit != y->y_exit) return (x->y_exit > y->y_exit) - (x->y_exit < y->y_exit);
  return (x->edge > y->edge) - (x->edge < y->edge);
}

/* Orders crossings by cut, then by the height their tail's crossings
 * leave at (so one tail's crossings lie together), then by their own. */
static int crossing_cmp(const void *a, const void *b) {
  const crossing *x = a, *y = b;
  if (x->cut != y->cut) return (x->cut > y->cut) - (x->cut < y->cut);
  if (x->key != y->key) return (x->key > y->key) - (x->key < y->key);
  if (x->source != y->source) return (x->source > y->source) - (x->source < y->source);
  if (x->y_exit != y->y_exit) return (x->y_exit > y->y_exit) - (x->y_exit < y->y_exit);
  return (x->edge > y->edge) - (x->edge < y->edge);
}

/* The vertical extent of each band and where each band moves to: rows
 * left-aligned after the left gutter (the first, which no fold enters, at
 * the left edge), each below the channel of the fold before it. */
static void fold_offsets(fold *f, const gdv_scene *s, const gdv_style *st) {
  for (size_t b = 0; b < f->n_bands; b++) f->top[b] = INFINITY, f->bottom[b] = -INFINITY;
  for (size_t i = 0; i < s->n_nodes; i++) {
    const gdv_scene_node *n = &s->nodes[i];
    band_grow(f, band_of(f->cut, f->n_bands, n->x), n->y - n->h / 2, n->y + n->h / 2);
  }
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *e = &s->edges[i];
    if (e->n_lines && e->label_w > 0)
      band_grow(f, band_of(f->cut, f->n_bands, e->label_x), e->label_y - e->label_h / 2,
                e->label_y + e->label_h / 2);
    for (size_t k = 0; k < f->n_pieces[i]; k++) {
      const piece *pc = &f->pieces[i][k];
      for (int q = 0; q < 4; q++) band_grow(f, pc->band, pc->p[2 * q + 1], pc->p[2 * q + 1]);
    }
    band_grow(f, band_of(f->cut, f->n_bands, e->tip_x), e->tip_y, e->tip_y);
  }
  size_t most = 0;
  for (size_t k = 0; k + 1 < f->n_bands; k++)
    if (f->per_cut[k] > most) most = f->per_cut[k];
  double left = (double)(most + 1) * f->track, y = 0;
  for (size_t b = 0; b < f->n_bands; b++) {
    if (!(f->top[b] <= f->bottom[b])) f->top[b] = f->bottom[b] = 0;
    /* no edge enters the first row from a fold: it needs no left gutter */
    f->dx[b] = (b ? left : 0) - f->cut[b];
    f->dy[b] = y - f->top[b];
    y += f->bottom[b] - f->top[b];
    /* rows stand one node separation apart, their tracks between */
    if (b + 1 < f->n_bands) y += st->node_sep + (double)(f->per_cut[b] + 1) * f->track;
  }
}

/* Plans a fold into n_bands rows: cuts, pieces, crossings, offsets. 0
 * when it cannot be done (too few gaps) or out of memory (*oom set). */
static int fold_plan(fold *f, const gdv_scene *s, const gdv_style *st, size_t n_bands,
                     const double *cand, size_t n_cand, int *oom) {
  memset(f, 0, sizeof *f);
  f->n_bands = n_bands;
  f->track = st->edge_width_max + 3 > 6 ? st->edge_width_max + 3 : 6;
  double x0, x1;
  x_extent(s, &x0, &x1);
  if (!choose_cuts(cand, n_cand, x0, x1 + 1, n_bands, f->cut)) return 0;
  f->pieces = calloc(s->n_edges + 1, sizeof *f->pieces);
  f->n_pieces = calloc(s->n_edges + 1, sizeof *f->n_pieces);
  if (f->pieces == NULL || f->n_pieces == NULL) return !(*oom = 1);
  for (size_t i = 0; i < s->n_edges; i++)
    if (!split_edge(f, s, i)) return !(*oom = 1);
  /* the entry height of each crossing: the start of the piece after it */
  for (size_t c = 0, i = 0; i < s->n_edges; i++)
    for (size_t k = 0; k < f->n_pieces[i]; k++)
      if (f->pieces[i][k].fold_after) f->cross[c++].y_entry = f->pieces[i][k + 1].p[1];
  /* the crossings of one tail (a value fanning out across the fold) go
   * on one track, a trunk that parts only where its edges enter the
   * next row: one value, one line to follow */
  for (size_t c = 0; c < f->n_cross; c++) f->cross[c].source = s->edges[f->cross[c].edge].from;
  qsort(f->cross, f->n_cross, sizeof *f->cross, crossing_by_source);
  for (size_t c = 0; c < f->n_cross; c++) {
    int first = c == 0 || f->cross[c].cut != f->cross[c - 1].cut ||
                f->cross[c].source != f->cross[c - 1].source;
    f->cross[c].key = first ? f->cross[c].y_exit : f->cross[c - 1].key;
  }
  qsort(f->cross, f->n_cross, sizeof *f->cross, crossing_cmp);
  /* tracks a cut needs: one per tail crossing it */
  for (size_t c = 0; c < f->n_cross; c++) {
    size_t b = f->cross[c].cut - 1;
    int same_cut = c > 0 && f->cross[c].cut == f->cross[c - 1].cut;
    if (!same_cut || f->cross[c].source != f->cross[c - 1].source) f->per_cut[b]++;
    f->cross[c].track = f->per_cut[b] - 1;
  }
  fold_offsets(f, s, st);
  return 1;
}

/* The route of crossing c from the end of its row (x_end, y_end, moved)
 * to the start of the next row: right gutter, channel, left gutter. */
static void route_crossing(const fold *f, const crossing *c, gdv_points *p, const gdv_style *st) {
  size_t b = c->cut - 1, n = f->per_cut[b], t = c->track;
  double right = f->cut[c->cut] + f->dx[b] + (double)(n - t) * f->track;
  double channel = f->bottom[b] + f->dy[b] + st->node_sep / 2 + (double)(n - t) * f->track;
  double left = f->cut[c->cut] + f->dx[b + 1] - (double)(t + 1) * f->track;
  double entry_x = f->cut[c->cut] + f->dx[b + 1], entry_y = c->y_entry + f->dy[b + 1];
  double q[] = {right, c->y_exit + f->dy[b], right, channel, left, channel,
                left, entry_y, entry_x, entry_y};
  gdv_points_corners(p, q, 5);
}

/* Finds the crossing of edge i at cut k. */
static const crossing *find_crossing(const fold *f, size_t i, size_t k) {
  for (size_t c = 0; c < f->n_cross; c++)
    if (f->cross[c].edge == i && f->cross[c].cut == k) return &f->cross[c];
  return NULL;
}

/* Moves everything by its band's offset and gives crossing edges their
 * routes; 0 when out of memory. */
static int fold_apply(fold *f, gdv_scene *s, const gdv_style *st) {
  for (size_t i = 0; i < s->n_nodes; i++) {
    gdv_scene_node *n = &s->nodes[i];
    size_t b = band_of(f->cut, f->n_bands, n->x);
    n->x += f->dx[b];
    n->y += f->dy[b];
  }
  double width = 0, height = 0;
  for (size_t i = 0; i < s->n_edges; i++) {
    gdv_scene_edge *e = &s->edges[i];
    if (e->n_lines && e->label_w > 0) {
      size_t b = band_of(f->cut, f->n_bands, e->label_x);
      e->label_x += f->dx[b];
      e->label_y += f->dy[b];
    }
    size_t tb = band_of(f->cut, f->n_bands, e->tip_x);
    e->tip_x += f->dx[tb];
    e->tip_y += f->dy[tb];
    if (f->n_pieces[i] == 0) continue;
    gdv_points p = {0};
    for (size_t k = 0; k < f->n_pieces[i]; k++) {
      const piece *pc = &f->pieces[i][k];
      double dx = f->dx[pc->band], dy = f->dy[pc->band];
      if (k == 0) gdv_points_add(&p, pc->p[0] + dx, pc->p[1] + dy);
      for (int q = 1; q < 4; q++) gdv_points_add(&p, pc->p[2 * q] + dx, pc->p[2 * q + 1] + dy);
      const crossing *c = pc->fold_after ? find_crossing(f, i, pc->band + 1) : NULL;
      if (c && !p.oom) route_crossing(f, c, &p, st);
    }
    if (!gdv_points_to_edge(&p, e)) return 0;
  }
  for (size_t b = 0; b < f->n_bands; b++) {
    double right = f->cut[b + 1] + f->dx[b];
    if (b + 1 < f->n_bands) right += (double)(f->per_cut[b] + 1) * f->track;
    if (right > width) width = right;
    if (f->bottom[b] + f->dy[b] > height) height = f->bottom[b] + f->dy[b];
  }
  s->width = width;
  s->height = height;
  return 1;
}

/* Folds the laid-out scene into n_bands rows (columns when top to bottom);
 * 0 when the graph has too few gaps for that many. */
static gdv_status fold_scene(gdv_scene *s, const gdv_style *st, size_t n_bands, int *done,
                             gdv_error *err) {
  *done = 0;
  if (n_bands < 2) return GDV_OK;
  if (!s->rank_lr) transpose(s);
  size_t n_cand;
  double *cand = fold_candidates(s, &n_cand);
  int oom = cand == NULL;
  fold f;
  memset(&f, 0, sizeof f);
  if (!oom && fold_plan(&f, s, st, n_bands, cand, n_cand, &oom)) {
    if (fold_apply(&f, s, st)) *done = 1;
    else oom = 1;
    s->fold_crossings = *done ? f.n_cross : 0;
  }
  fold_free(&f, s->n_edges);
  free(cand);
  if (!s->rank_lr) transpose(s);
  return oom ? OOM(err) : GDV_OK;
}

/* Places the items below the (folded) graph. */
static void place_items(gdv_scene *s, const gdv_style *st, const unsigned char *unplaced) {
  for (size_t i = 0; i < s->n_items; i++)
    if (unplaced[i]) s->items[i].x = s->items[i].y = NAN;
  gdv_layout_place_items(s, st);
}

/* Folds a laid-out scene into `bands` rows and places its items below;
 * *done 0 (the scene as it was) when it has too few gaps for them. Every
 * item is placed anew: a planned figure's items (the --highlight box) sit
 * below the graph, wherever the fold puts its bottom. */
gdv_status gdv_layout_fold(gdv_scene *s, const gdv_style *st, size_t bands, int *done,
                           gdv_error *err) {
  *done = bands <= 1;
  s->fold_crossings = 0;
  gdv_status status = bands > 1 ? fold_scene(s, st, bands, done, err) : GDV_OK;
  if (status) return status;
  s->bands = *done && bands > 1 ? bands : 1;
  unsigned char *all = malloc(s->n_items + 1);
  if (all == NULL) return OOM(err);
  memset(all, 1, s->n_items + 1);
  /* the extent without the items, which go below the folded graph */
  double b[4];
  for (size_t i = 0; i < s->n_items; i++) s->items[i].x = s->items[i].y = NAN;
  gdv_scene_graph_box(s, b);
  s->width = fmax(0, b[2]);
  s->height = fmax(0, b[3]);
  place_items(s, st, all);
  free(all);
  return GDV_OK;
}

/* Folds without placing items (see gdv_render_int.h). */
gdv_status gdv_layout_fold_strip(gdv_scene *s, const gdv_style *st, size_t bands, int *done,
                                 gdv_error *err) {
  *done = bands <= 1;
  return bands > 1 ? fold_scene(s, st, bands, done, err) : GDV_OK;
}

/* Places the items a layout left unplaced below the (folded) graph. */
void gdv_layout_place_unplaced(gdv_scene *s, const gdv_style *st, const unsigned char *unplaced) {
  place_items(s, st, unplaced);
}

/* The engine's layout as it is (auto: layers, columns past
 * GDV_LAYERS_MAX_NODES). */
gdv_status gdv_layout_engine(gdv_scene *s, const gdv_style *st, gdv_engine engine,
                             gdv_error *err) {
  if (engine == GDV_ENGINE_AUTO)
    engine = s->n_nodes > GDV_LAYERS_MAX_NODES ? GDV_ENGINE_COLUMNS : GDV_ENGINE_LAYERS;
  switch (engine) {
  case GDV_ENGINE_DOT: return gdv_layout_dot(s, st, err);
  case GDV_ENGINE_COLUMNS: return gdv_layout_columns(s, st, NULL, err);
  default: return gdv_layout_layers(s, st, err);
  }
}
