/* gdv_labels.c: edge labels put on their edges. Graphviz reserves a cell
 * for each edge label and routes the edge beside it, so the label floats a
 * few points off its edge; where edges converge or cross, a reader cannot
 * tell which edge a label belongs to. After layout we move each label onto
 * its own edge (the edge then passes under the label's background, like a
 * label written into the line), sliding it along the edge or setting it
 * beside the edge when that avoids nodes, arrowheads, other labels and
 * other edges. A label that can only stay where it was and does not touch
 * its edge gets a leader line when drawn (gdv_edge_label_leader). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

/* Bezier segments per cubic when flattening an edge. */
#define STEPS 8

/* Geometry tests need the curve itself, not its control points (which can
 * lie far off a bent edge): eight chords a cubic are within a fraction of
 * a point for the curves dot draws between neighbouring ranks. */
static size_t edge_polyline(const gdv_scene_edge *e, double **out) {
  *out = NULL;
  if (e->n_pts < 2) return 0;
  size_t cubics = (e->n_pts - 1) / 3, rest = (e->n_pts - 1) % 3;
  size_t n = 1 + cubics * STEPS + rest + 1;
  double *p = malloc(2 * n * sizeof *p);
  if (p == NULL) return 0;
  size_t k = 0;
  p[k++] = e->pts[0];
  p[k++] = e->pts[1];
  size_t i = 0;
  for (size_t c = 0; c < cubics; c++, i += 3) {
    const double *q = e->pts + 2 * i;
    for (int s = 1; s <= STEPS; s++) {
      double t = (double)s / STEPS, u = 1 - t;
      double a = u * u * u, b = 3 * u * u * t, cc = 3 * u * t * t, d = t * t * t;
      p[k++] = a * q[0] + b * q[2] + cc * q[4] + d * q[6];
      p[k++] = a * q[1] + b * q[3] + cc * q[5] + d * q[7];
    }
  }
  for (i = i + 1; i < e->n_pts; i++) {
    p[k++] = e->pts[2 * i];
    p[k++] = e->pts[2 * i + 1];
  }
  /* the arrowhead belongs to the edge too */
  p[k++] = e->tip_x;
  p[k++] = e->tip_y;
  *out = p;
  return k / 2;
}

/* An axis-aligned box: x0 < x1, y0 < y1. */
typedef struct box {
  double x0, y0, x1, y1;
} box;

/* Whether two boxes overlap. */
static int boxes_meet(box a, box b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/* A box grown by d on every side. */
static box inflate(box b, double d) {
  box r = {b.x0 - d, b.y0 - d, b.x1 + d, b.y1 + d};
  return r;
}

/* The part of segment (ax,ay)-(bx,by) that box b holds, as parameters
 * *t0 <= *t1 (Liang-Barsky clipping); 0 when the segment misses it. A
 * segment that only touches the box meets it, with *t0 == *t1. */
static int segment_span(double ax, double ay, double bx, double by, box b, double *t0,
                        double *t1) {
  double dx = bx - ax, dy = by - ay;
  double p[4] = {-dx, dx, -dy, dy};
  double q[4] = {ax - b.x0, b.x1 - ax, ay - b.y0, b.y1 - ay};
  *t0 = 0;
  *t1 = 1;
  for (int i = 0; i < 4; i++) {
    if (p[i] == 0) {
      if (q[i] < 0) return 0;
    } else {
      double r = q[i] / p[i];
      if (p[i] < 0) { if (r > *t1) return 0; if (r > *t0) *t0 = r; }
      else { if (r < *t0) return 0; if (r < *t1) *t1 = r; }
    }
  }
  return 1;
}

/* Whether segment (ax,ay)-(bx,by) enters box b. */
static int segment_meets(double ax, double ay, double bx, double by, box b) {
  double t0, t1;
  return segment_span(ax, ay, bx, by, b, &t0, &t1);
}

/* The box node n is drawn in. */
static box node_box(const gdv_scene_node *n) {
  box b = {n->x - n->w / 2, n->y - n->h / 2, n->x + n->w / 2, n->y + n->h / 2};
  return b;
}

/* Distance from point (x, y) to segment a-b; the nearest point in *nx, *ny. */
static double point_segment(double x, double y, double ax, double ay, double bx,
                            double by, double *nx, double *ny) {
  double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  *nx = ax + t * dx;
  *ny = ay + t * dy;
  return hypot(x - *nx, y - *ny);
}

/* Distance from box b to a polyline (0 when they meet), with the nearest
 * points on the box (*bx, *by) and on the line (*lx, *ly). */
static double box_polyline(box b, const double *p, size_t n, double *bx,
                           double *by, double *lx, double *ly) {
  double best = INFINITY;
  for (size_t k = 0; k + 1 < n; k++) {
    const double *a = p + 2 * k, *c = p + 2 * k + 2;
    if (segment_meets(a[0], a[1], c[0], c[1], b)) {
      *bx = *lx = (a[0] + c[0]) / 2;
      *by = *ly = (a[1] + c[1]) / 2;
      return 0;
    }
    /* the segment's ends against the box, the box's corners against it */
    for (int e = 0; e < 2; e++) {
      const double *q = e ? c : a;
      double cx = q[0] < b.x0 ? b.x0 : q[0] > b.x1 ? b.x1 : q[0];
      double cy = q[1] < b.y0 ? b.y0 : q[1] > b.y1 ? b.y1 : q[1];
      double d = hypot(q[0] - cx, q[1] - cy);
      if (d < best) { best = d; *bx = cx; *by = cy; *lx = q[0]; *ly = q[1]; }
    }
    double corners[4][2] = {{b.x0, b.y0}, {b.x1, b.y0}, {b.x0, b.y1}, {b.x1, b.y1}};
    for (int e = 0; e < 4; e++) {
      double nx, ny;
      double d = point_segment(corners[e][0], corners[e][1], a[0], a[1], c[0], c[1], &nx, &ny);
      if (d < best) { best = d; *bx = corners[e][0]; *by = corners[e][1]; *lx = nx; *ly = ny; }
    }
  }
  return best;
}

/* The label box of edge e centred at (x, y). */
static box label_box(const gdv_scene_edge *e, double x, double y) {
  box b = {x - e->label_w / 2, y - e->label_h / 2, x + e->label_w / 2, y + e->label_h / 2};
  return b;
}

/* Measured at drawing time, so that any layout (and any caller editing
 * label positions) gets a leader where one is needed. */
int gdv_edge_label_leader(const gdv_scene_edge *e, double *bx, double *by,
                          double *lx, double *ly) {
  double *p;
  size_t n = edge_polyline(e, &p);
  if (n < 2) { free(p); return 0; }
  box b = label_box(e, e->label_x, e->label_y);
  double d = box_polyline(b, p, n, bx, by, lx, ly);
  free(p);
  return d > 3;
}

/* A point at arc length s along a polyline, with the unit tangent there. */
static void point_at(const double *p, size_t n, double s, double *x, double *y,
                     double *tx, double *ty) {
  for (size_t k = 0; k + 1 < n; k++) {
    double dx = p[2 * k + 2] - p[2 * k], dy = p[2 * k + 3] - p[2 * k + 1];
    double len = hypot(dx, dy);
    if ((s <= len || k + 2 == n) && len > 0) {
      double t = s / len;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      *x = p[2 * k] + t * dx;
      *y = p[2 * k + 1] + t * dy;
      *tx = dx / len;
      *ty = dy / len;
      return;
    }
    s -= len;
  }
  *x = p[0];
  *y = p[1];
  *tx = 1;
  *ty = 0;
}

/* What one edge's placement looks at: the flattened edges and boxes. */
typedef struct placer {
  gdv_scene *s;
  double **line;        /* per edge: flattened polyline */
  size_t *n_line;
  box *line_box;        /* per edge: the polyline's extent */
  box *obstacle;        /* node boxes and arrowheads, inflated */
  size_t n_obstacle;
  size_t *near;         /* scratch: indices near the current label */
  uint8_t *done;        /* per edge: label placed at no cost, final */
} placer;

/* Cost of edge i's label centred at (x, y): hard obstacles give INFINITY;
 * then other edges crossing it, not touching its own edge, distance.
 * Stops counting at `bound` (a known cheaper candidate). */
static double cost(const placer *pl, size_t i, double x, double y, int beside,
                   const size_t *near_obs, size_t n_obs, const size_t *near_edges,
                   size_t n_edges, double bound) {
  const gdv_scene *s = pl->s;
  const gdv_scene_edge *e = &s->edges[i];
  box b = label_box(e, x, y), b1 = inflate(b, 1), b2 = inflate(b, 2);
  /* a label beside its edge must keep other edges further off than its
   * own, or a reader may take it for theirs */
  box b8 = inflate(b, beside ? 8 : 1);
  for (size_t k = 0; k < n_obs; k++)
    if (boxes_meet(b, pl->obstacle[near_obs[k]])) return INFINITY;
  for (size_t k = 0; k < n_edges; k++) {
    const gdv_scene_edge *o = &s->edges[near_edges[k]];
    if (near_edges[k] != i && o->n_lines && o->label_w > 0 && !(o->flags & GDV_EDGE_HIDDEN) &&
        boxes_meet(b2, label_box(o, o->label_x, o->label_y)))
      return INFINITY;
  }
  double c = 0, bx, by, lx, ly;
  double gap = box_polyline(inflate(b, 1.5), pl->line[i], pl->n_line[i], &bx, &by, &lx, &ly);
  if (gap > 0) c += 300 + 10 * gap;
  for (size_t k = 0; k < n_edges && c < bound; k++) {
    size_t j = near_edges[k];
    if (j == i || pl->n_line[j] < 2 || !boxes_meet(b8, pl->line_box[j])) continue;
    const double *p = pl->line[j];
    double add = 0;
    for (size_t m = 0; m + 1 < pl->n_line[j] && add < 1000; m++) {
      const double *a = p + 2 * m, *z = p + 2 * m + 2;
      if (fmax(a[0], z[0]) < b8.x0 || fmin(a[0], z[0]) > b8.x1 ||
          fmax(a[1], z[1]) < b8.y0 || fmin(a[1], z[1]) > b8.y1)
        continue;
      if (segment_meets(a[0], a[1], z[0], z[1], b1)) add = 1000;
      else if (segment_meets(a[0], a[1], z[0], z[1], b8)) add = 200;
    }
    c += add;
  }
  return c;
}

/* Places edge i's label: candidates centred on the edge at its point
 * nearest the reserved cell and slid along it, beside the edge on either
 * side, and the reserved cell itself; the cheapest wins. Returns its cost
 * (0: centred where it was reserved, nothing to improve). */
static double place_one(placer *pl, size_t i) {
  gdv_scene *s = pl->s;
  gdv_scene_edge *e = &s->edges[i];
  const double *p = pl->line[i];
  size_t n = pl->n_line[i];
  if (n < 2) return 0;
  /* nearest point of the edge to the reserved cell, as arc length */
  double total = 0, s0 = 0, best = INFINITY;
  for (size_t k = 0; k + 1 < n; k++) {
    double nx, ny;
    double d = point_segment(e->label_x, e->label_y, p[2 * k], p[2 * k + 1], p[2 * k + 2],
                             p[2 * k + 3], &nx, &ny);
    if (d < best) { best = d; s0 = total + hypot(nx - p[2 * k], ny - p[2 * k + 1]); }
    total += hypot(p[2 * k + 2] - p[2 * k], p[2 * k + 3] - p[2 * k + 1]);
  }
  /* what lies within reach of any candidate: the nearest point, the
   * longest slide, half the label and the 8 points kept clear beside it */
  double reach = best + 48 + (e->label_w > e->label_h ? e->label_w : e->label_h) / 2 + 10;
  box area = {e->label_x - reach, e->label_y - reach, e->label_x + reach, e->label_y + reach};
  size_t *near = pl->near, n_obs = 0, n_edges = 0;
  for (size_t k = 0; k < pl->n_obstacle; k++)
    if (boxes_meet(area, pl->obstacle[k])) near[n_obs++] = k;
  size_t *near_edges = near + n_obs;
  for (size_t k = 0; k < s->n_edges; k++) {
    const gdv_scene_edge *o = &s->edges[k];
    if ((pl->n_line[k] >= 2 && boxes_meet(area, pl->line_box[k])) ||
        (o->n_lines && o->label_w > 0 && boxes_meet(area, label_box(o, o->label_x, o->label_y))))
      near_edges[n_edges++] = k;
  }
  double bx = e->label_x, by = e->label_y;
  double bc = cost(pl, i, bx, by, 1, near, n_obs, near_edges, n_edges, INFINITY) + 40;
  /* the line visible past the arrowhead's base: a label in the middle of
   * it leaves the most line on both sides */
  double arrow = hypot(e->tip_x - e->pts[2 * (e->n_pts - 1)], e->tip_y - e->pts[2 * (e->n_pts - 1) + 1]);
  double visible = total - arrow, mid = visible / 2;
  static const double slide[] = {0, -8, 8, -16, 16, -24, 24, -36, 36, -48, 48};
  for (size_t k = 0; k < 2 * sizeof slide / sizeof *slide; k++) {
    size_t ks = k % (sizeof slide / sizeof *slide);
    double sa = (k < sizeof slide / sizeof *slide ? s0 : mid) + slide[ks];
    if (sa < 0 || sa > total) continue;
    double x, y, tx, ty;
    point_at(p, n, sa, &x, &y, &tx, &ty);
    double nx = -ty, ny = tx;
    double half = e->label_w / 2 * fabs(nx) + e->label_h / 2 * fabs(ny) + 1;
    double along = e->label_w / 2 * fabs(tx) + e->label_h / 2 * fabs(ty);
    double clear = fmin(sa - along, visible - sa - along);
    /* on the line, at least 12 points of line must show on both sides, or
     * the label reads as a box floating between two nodes */
    double short_line = clear < 13 ? 150 + 10 * (13 - clear) : 0;
    double cand[3][3] = {{x, y, short_line}, {x + nx * half, y + ny * half, 20},
                         {x - nx * half, y - ny * half, 20}};
    for (int m = 0; m < 3 && bc > 0; m++) {
      double extra = cand[m][2] + fabs(slide[ks]) * 0.5;
      double c = cost(pl, i, cand[m][0], cand[m][1], m > 0, near, n_obs, near_edges,
                      n_edges, bc - extra) + extra;
      if (c < bc) { bc = c; bx = cand[m][0]; by = cand[m][1]; }
    }
  }
  e->label_x = bx;
  e->label_y = by;
  return bc;
}

/* Flattens every edge once, collects the obstacles, then places labels
 * greedily in edge order; big graphs stay fast because each label only
 * looks at what lies within its reach. */
void gdv_layout_edge_labels(gdv_scene *s) {
  size_t labelled = 0;
  for (size_t i = 0; i < s->n_edges; i++)
    labelled += s->edges[i].n_lines && s->edges[i].label_w > 0;
  if (labelled == 0) return;
  placer pl;
  memset(&pl, 0, sizeof pl);
  pl.s = s;
  pl.line = calloc(s->n_edges, sizeof *pl.line);
  pl.n_line = calloc(s->n_edges, sizeof *pl.n_line);
  pl.line_box = calloc(s->n_edges, sizeof *pl.line_box);
  pl.obstacle = calloc(s->n_nodes + s->n_edges, sizeof *pl.obstacle);
  pl.near = calloc(s->n_nodes + 2 * s->n_edges + 1, sizeof *pl.near);
  pl.done = calloc(s->n_edges, 1);
  if (!pl.line || !pl.n_line || !pl.line_box || !pl.obstacle || !pl.near || !pl.done) goto done;
  for (size_t i = 0; i < s->n_nodes; i++) {
    const gdv_scene_node *nd = &s->nodes[i];
    if (nd->flags & GDV_NODE_HIDDEN) continue;
    pl.obstacle[pl.n_obstacle++] = inflate(node_box(nd), 3);
  }
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *e = &s->edges[i];
    if (e->flags & GDV_EDGE_HIDDEN) continue;
    pl.n_line[i] = edge_polyline(e, &pl.line[i]);
    if (pl.n_line[i] < 2) continue;
    box b = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t k = 0; k < pl.n_line[i]; k++) {
      double x = pl.line[i][2 * k], y = pl.line[i][2 * k + 1];
      if (x < b.x0) b.x0 = x;
      if (y < b.y0) b.y0 = y;
      if (x > b.x1) b.x1 = x;
      if (y > b.y1) b.y1 = y;
    }
    pl.line_box[i] = b;
    /* the arrowhead: from its base (the last control point) to the tip */
    double ax = e->pts[2 * (e->n_pts - 1)], ay = e->pts[2 * (e->n_pts - 1) + 1];
    box a = {fmin(ax, e->tip_x), fmin(ay, e->tip_y), fmax(ax, e->tip_x), fmax(ay, e->tip_y)};
    pl.obstacle[pl.n_obstacle++] = inflate(a, 6);
  }
  /* again while labels move (at most 4 passes): a label kept off its edge
   * by another label's place may find room once that one has moved */
  int moved = 1;
  for (int pass = 0; pass < 4 && moved; pass++) {
    moved = 0;
    for (size_t i = 0; i < s->n_edges; i++) {
      gdv_scene_edge *e = &s->edges[i];
      if (!e->n_lines || e->label_w <= 0 || (e->flags & GDV_EDGE_HIDDEN) || pl.done[i]) continue;
      double x = e->label_x, y = e->label_y;
      pl.done[i] = place_one(&pl, i) <= 0;
      moved |= e->label_x != x || e->label_y != y;
    }
  }
  /* labels may now reach past the layout's extent: items go below them */
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *e = &s->edges[i];
    if (e->n_lines && e->label_w > 0 && e->label_y + e->label_h / 2 > s->height)
      s->height = e->label_y + e->label_h / 2;
  }
done:
  if (pl.line)
    for (size_t i = 0; i < s->n_edges; i++) free(pl.line[i]);
  free(pl.line);
  free(pl.n_line);
  free(pl.line_box);
  free(pl.obstacle);
  free(pl.near);
  free(pl.done);
}

/* Whether segments ab and cd cross at a point inside both. */
static int segments_cross(const double *a, const double *b, const double *c, const double *d) {
  double d1 = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  double d2 = (b[0] - a[0]) * (d[1] - a[1]) - (b[1] - a[1]) * (d[0] - a[0]);
  double d3 = (d[0] - c[0]) * (a[1] - c[1]) - (d[1] - c[1]) * (a[0] - c[0]);
  double d4 = (d[0] - c[0]) * (b[1] - c[1]) - (d[1] - c[1]) * (b[0] - c[0]);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/* The part of segment a-b inside box r, as parameters *t0 < *t1; 0 when
 * it misses or only touches it. */
static int segment_clip(const double *a, const double *b, box r, double *t0, double *t1) {
  return segment_span(a[0], a[1], b[0], b[1], r, t0, t1) && *t1 - *t0 > 1e-12;
}

/* Points of visible line before and after edge e's label along its
 * polyline p (n points): line under its own end nodes' boxes and under
 * the label does not count; a label beside the line counts from the
 * line's point nearest it. What tests/render/plan/legible.py measures. */
static void label_sides(const gdv_scene *s, const gdv_scene_edge *e, const double *p, size_t n,
                        double *before, double *after) {
  box lab = label_box(e, e->label_x, e->label_y);
  box hide[3] = {lab, node_box(&s->nodes[e->from]), node_box(&s->nodes[e->to])};
  double first = INFINITY, last = -INFINITY, arc = 0, near = INFINITY, near_arc = 0;
  for (size_t i = 0; i + 1 < n; i++) {
    const double *a = p + 2 * i, *b = a + 2;
    double len = hypot(b[0] - a[0], b[1] - a[1]), t0, t1, nx, ny;
    if (segment_clip(a, b, lab, &t0, &t1)) {
      first = fmin(first, arc + t0 * len);
      last = fmax(last, arc + t1 * len);
    }
    double d = point_segment(e->label_x, e->label_y, a[0], a[1], b[0], b[1], &nx, &ny);
    if (d < near) near = d, near_arc = arc + hypot(nx - a[0], ny - a[1]);
    arc += len;
  }
  if (first > last) first = last = near_arc;
  /* visible pieces: each segment less what the three boxes cover */
  *before = *after = 0;
  arc = 0;
  for (size_t i = 0; i + 1 < n; i++) {
    const double *a = p + 2 * i, *b = a + 2;
    double len = hypot(b[0] - a[0], b[1] - a[1]);
    double cut[3][2];
    size_t nc = 0;
    for (int k = 0; k < 3; k++)
      if (segment_clip(a, b, hide[k], &cut[nc][0], &cut[nc][1])) nc++;
    /* walk the segment from t = 0, skipping covered stretches */
    double t = 0;
    while (t < 1) {
      double end = 1, skip = -1;
      for (size_t c = 0; c < nc; c++) {
        if (cut[c][0] <= t && cut[c][1] > t) skip = fmax(skip, cut[c][1]);
        else if (cut[c][0] > t) end = fmin(end, cut[c][0]);
      }
      if (skip > t) {
        t = skip;
        continue;
      }
      double x0 = arc + t * len, x1 = arc + end * len;
      *before += fmax(0, fmin(x1, first) - x0);
      *after += fmax(0, x1 - fmax(x0, last));
      t = end;
    }
    arc += len;
  }
}

/* Labelled edges with under `side` points of line on a side of their
 * label (*labelled gets how many have a label): a figure may leave at
 * most a twentieth so (issue 11). */
size_t gdv_scene_short_labels(const gdv_scene *s, double side, size_t *labelled) {
  size_t n_short = 0;
  *labelled = 0;
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *e = &s->edges[i];
    if ((e->flags & GDV_EDGE_HIDDEN) || e->n_lines == 0 || !(e->label_w > 0)) continue;
    double *p;
    size_t n = edge_polyline(e, &p);
    if (n < 3) {
      free(p);
      continue;
    }
    (*labelled)++;
    double before, after;
    /* the arrowhead (the polyline's last point, the tip) is no line */
    label_sides(s, e, p, n - 1, &before, &after);
    n_short += before < side || after < side;
    free(p);
  }
  return n_short;
}

/* Labels a reader could take for another edge's: not on their own line
 * (2 points in from their edges), and either more than 4 points from it
 * or within 8 of another edge; as tests/data/render/layout_check.py
 * counts them. */
size_t gdv_scene_unclear_labels(const gdv_scene *s) {
  double **line = calloc(s->n_edges + 1, sizeof *line);
  size_t *n = calloc(s->n_edges + 1, sizeof *n), unclear = 0;
  if (line == NULL || n == NULL) {
    free(line);
    free(n);
    return SIZE_MAX;
  }
  for (size_t i = 0; i < s->n_edges; i++)
    if (!(s->edges[i].flags & GDV_EDGE_HIDDEN)) n[i] = edge_polyline(&s->edges[i], &line[i]);
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *e = &s->edges[i];
    if (n[i] < 2 || e->n_lines == 0 || !(e->label_w > 0)) continue;
    box lab = label_box(e, e->label_x, e->label_y);
    double bx, by, lx, ly;
    if (box_polyline(inflate(lab, -2), line[i], n[i], &bx, &by, &lx, &ly) == 0) continue;
    int bad = box_polyline(lab, line[i], n[i], &bx, &by, &lx, &ly) > 4;
    for (size_t j = 0; !bad && j < s->n_edges; j++)
      bad = j != i && n[j] >= 2 && box_polyline(lab, line[j], n[j], &bx, &by, &lx, &ly) < 8;
    unclear += bad;
  }
  for (size_t i = 0; i < s->n_edges; i++) free(line[i]);
  free(line);
  free(n);
  return unclear;
}

/* How often two drawn edges cross (pairs of edges that share no node;
 * each crossing point counts). A layout's quality in one number, for the
 * dump; -1 past 3,000 edges, where counting all pairs costs too much. */
long gdv_scene_crossings(const gdv_scene *s) {
  if (s->n_edges > 3000) return -1;
  double **line = calloc(s->n_edges + 1, sizeof *line);
  size_t *n = calloc(s->n_edges + 1, sizeof *n);
  box *bb = calloc(s->n_edges + 1, sizeof *bb);
  long count = 0;
  if (line == NULL || n == NULL || bb == NULL) count = -1;
  for (size_t i = 0; count >= 0 && i < s->n_edges; i++) {
    if (s->edges[i].flags & GDV_EDGE_HIDDEN) continue;
    n[i] = edge_polyline(&s->edges[i], &line[i]);
    bb[i] = (box){INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t k = 0; k < n[i]; k++) {
      double x = line[i][2 * k], y = line[i][2 * k + 1];
      bb[i] = (box){fmin(bb[i].x0, x), fmin(bb[i].y0, y), fmax(bb[i].x1, x), fmax(bb[i].y1, y)};
    }
  }
  for (size_t i = 0; count >= 0 && i < s->n_edges; i++)
    for (size_t j = i + 1; n[i] > 1 && j < s->n_edges; j++) {
      const gdv_scene_edge *a = &s->edges[i], *b = &s->edges[j];
      if (n[j] < 2 || a->from == b->from || a->from == b->to || a->to == b->from ||
          a->to == b->to || !boxes_meet(bb[i], bb[j]))
        continue;
      for (size_t p = 0; p + 1 < n[i]; p++)
        for (size_t q = 0; q + 1 < n[j]; q++)
          count += segments_cross(&line[i][2 * p], &line[i][2 * p + 2], &line[j][2 * q],
                                  &line[j][2 * q + 2]);
    }
  if (line)
    for (size_t i = 0; i < s->n_edges; i++) free(line[i]);
  free(line);
  free(n);
  free(bb);
  return count;
}
