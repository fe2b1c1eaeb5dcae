/* gdv_geometry.c: every position of a laid-out scene saved and put back,
 * so that a candidate (a fold, the other direction) can be measured and
 * undone without laying the graph out again; the growing lists of points
 * the layouts route edges with; and the vertices of each layer, which
 * both layered layouts (columns, layers) group the same way, and end the
 * same way. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

/* Frees a saved geometry (zeroed or filled). */
void gdv_geometry_free(gdv_geometry *g) {
  free(g->node);
  free(g->edge);
  free(g->pts);
  free(g->pts_start);
  free(g->item);
  memset(g, 0, sizeof *g);
}

/* Saves every position; 0 when out of memory (nothing left allocated). */
int gdv_geometry_save(const gdv_scene *s, gdv_geometry *g) {
  memset(g, 0, sizeof *g);
  size_t total = 0;
  for (size_t i = 0; i < s->n_edges; i++) total += s->edges[i].n_pts;
  g->node = malloc((2 * s->n_nodes + 1) * sizeof *g->node);
  g->edge = malloc((4 * s->n_edges + 1) * sizeof *g->edge);
  g->pts = malloc((2 * total + 1) * sizeof *g->pts);
  g->pts_start = malloc((s->n_edges + 1) * sizeof *g->pts_start);
  g->item = malloc((2 * s->n_items + 1) * sizeof *g->item);
  if (!g->node || !g->edge || !g->pts || !g->pts_start || !g->item) {
    gdv_geometry_free(g);
    return 0;
  }
  for (size_t i = 0; i < s->n_nodes; i++) {
    g->node[2 * i] = s->nodes[i].x;
    g->node[2 * i + 1] = s->nodes[i].y;
  }
  g->pts_start[0] = 0;
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *e = &s->edges[i];
    double *v = &g->edge[4 * i];
    v[0] = e->tip_x, v[1] = e->tip_y, v[2] = e->label_x, v[3] = e->label_y;
    if (e->n_pts) memcpy(g->pts + 2 * g->pts_start[i], e->pts, 2 * e->n_pts * sizeof *e->pts);
    g->pts_start[i + 1] = g->pts_start[i] + e->n_pts;
  }
  for (size_t i = 0; i < s->n_items; i++) {
    g->item[2 * i] = s->items[i].x;
    g->item[2 * i + 1] = s->items[i].y;
  }
  g->width = s->width;
  g->height = s->height;
  return 1;
}

/* Puts the saved positions back and frees g; 0 when out of memory (an
 * edge's points could not be given their old length back). */
int gdv_geometry_restore(gdv_scene *s, gdv_geometry *g) {
  int ok = 1;
  for (size_t i = 0; i < s->n_nodes; i++) {
    s->nodes[i].x = g->node[2 * i];
    s->nodes[i].y = g->node[2 * i + 1];
  }
  for (size_t i = 0; i < s->n_edges; i++) {
    gdv_scene_edge *e = &s->edges[i];
    const double *v = &g->edge[4 * i];
    e->tip_x = v[0], e->tip_y = v[1], e->label_x = v[2], e->label_y = v[3];
    size_t n = g->pts_start[i + 1] - g->pts_start[i];
    double *p = n ? realloc(e->pts, 2 * n * sizeof *p) : NULL;
    if (n && p == NULL) {
      ok = 0;
      continue;
    }
    if (n == 0) free(e->pts);
    if (n) memcpy(p, g->pts + 2 * g->pts_start[i], 2 * n * sizeof *p);
    e->pts = p;
    e->n_pts = n;
  }
  for (size_t i = 0; i < s->n_items; i++) {
    s->items[i].x = g->item[2 * i];
    s->items[i].y = g->item[2 * i + 1];
  }
  s->width = g->width;
  s->height = g->height;
  gdv_geometry_free(g);
  return ok;
}

/* A point is two doubles, so the list grows by pairs: an edge's route
 * has a few points, a folded one a few dozen. */
void gdv_points_add(gdv_points *p, double x, double y) {
  if (!gdv_grow((void **)&p->v, &p->cap, p->n, 2 * sizeof *p->v)) {
    p->oom = 1;
    return;
  }
  p->v[2 * p->n] = x;
  p->v[2 * p->n + 1] = y;
  p->n++;
}

/* Lines are cubics too, so a route is one list of cubics for every
 * format to draw. */
void gdv_points_line(gdv_points *p, double x, double y) {
  double x0 = p->v[2 * (p->n - 1)], y0 = p->v[2 * (p->n - 1) + 1];
  gdv_points_add(p, x0 + (x - x0) / 3, y0 + (y - y0) / 3);
  gdv_points_add(p, x0 + 2 * (x - x0) / 3, y0 + 2 * (y - y0) / 3);
  gdv_points_add(p, x, y);
}

/* Folded edges and bus routes turn at right angles: rounded, they read as
 * one line. */
void gdv_points_corners(gdv_points *p, const double *q, size_t n) {
  for (size_t c = 0; c + 1 < n; c++) {
    double px = p->v[2 * (p->n - 1)], py = p->v[2 * (p->n - 1) + 1];
    double cx = q[2 * c], cy = q[2 * c + 1], nx = q[2 * c + 2], ny = q[2 * c + 3];
    double d1 = hypot(cx - px, cy - py), d2 = hypot(nx - cx, ny - cy);
    double r = fmin(6, fmin(d1, d2) / 2);
    if (r < 0.5) {
      gdv_points_line(p, cx, cy);
      continue;
    }
    double ax = cx - (cx - px) / d1 * r, ay = cy - (cy - py) / d1 * r;
    double bx = cx + (nx - cx) / d2 * r, by = cy + (ny - cy) / d2 * r;
    gdv_points_line(p, ax, ay);
    gdv_points_add(p, ax + (cx - ax) * 0.55, ay + (cy - ay) * 0.55);
    gdv_points_add(p, bx + (cx - bx) * 0.55, by + (cy - by) * 0.55);
    gdv_points_add(p, bx, by);
  }
  gdv_points_line(p, q[2 * (n - 1)], q[2 * (n - 1) + 1]);
}

/* Where every layout that routes with a point list ends an edge's route:
 * a route missing a point is never drawn. */
int gdv_points_to_edge(gdv_points *p, gdv_scene_edge *e) {
  if (p->oom) {
    free(p->v);
    return 0;
  }
  free(e->pts);
  e->pts = p->v;
  e->n_pts = p->n;
  return 1;
}

/* A counting sort (linear, stable): layer l's vertices in increasing
 * order are members[start[l]] .. members[start[l + 1] - 1], so the
 * layouts walk a layer in source order without a comparison sort. */
int gdv_layers_group(const int *layer, size_t n, size_t n_layers, size_t **start,
                     size_t **members) {
  size_t *st = *start = calloc(n_layers + 2, sizeof *st);
  size_t *m = *members = malloc((n + 1) * sizeof *m);
  if (!st || !m) return 0;
  for (size_t v = 0; v < n; v++) st[layer[v] + 2]++;
  for (size_t l = 0; l < n_layers; l++) st[l + 2] += st[l + 1];
  for (size_t v = 0; v < n; v++) m[st[layer[v] + 1]++] = v;
  return 1;
}

/* The end both layered layouts share: a scene laid out gets its items
 * (legend, pictures) below the graph and is marked laid out; a layout
 * that ran out of memory says so. */
gdv_status gdv_layout_done(gdv_scene *s, const gdv_style *st, int ok, gdv_error *err) {
  if (!ok) return gdv_error_oom(err);
  gdv_layout_place_items(s, st);
  s->laid_out = 1;
  return GDV_OK;
}
