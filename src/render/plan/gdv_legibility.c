/* gdv_legibility.c: whether a laid-out figure can be read from the back
 * of a room and its edges followed, measured on what the drawing code
 * draws (gdv_render_geometry), the way tests/render/plan/legible.py measures a
 * --dump-layout file: the planner judges its candidates by these numbers,
 * and --dump-layout writes them so that tests read them back. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

/* A slide as a room sees it. */
#define SLIDE_W 1920.0
#define SLIDE_H 1080.0
/* Two texts may share this much (points, both ways) before they overlap. */
#define OVERLAP_SLACK 0.5
/* A foreign box is shrunk by this much before an edge counts as crossing
 * it (touching a border, or rounding, is not crossing). */
#define EDGE_MARGIN 1.0
/* Line each side of a label, and the share of labels allowed less. */
#define MIN_SIDE 12.0
#define MAX_SHORT_SHARE 0.05
/* The legend's most of the figure's height. */
#define MAX_LEGEND_SHARE 0.20
/* Curves are flattened to chords within this distance of them. */
#define FLATNESS 0.05
/* Two edges closer than this (points) run together ... */
#define TOGETHER_DIST 3.0
/* ... and a stretch this long of that is one a reader cannot follow. */
#define TOGETHER_LENGTH 30.0
/* Line near an edge's own end nodes that does not count as running
 * together (edges leaving one port part there). */
#define TOGETHER_END_ROOM 12.0
/* Arrowheads into one node closer than this cannot be told apart. */
#define ARROWS_APART 8.0
/* Cells of the spatial index, points. */
#define CELL 64.0

/* An axis-aligned box. */
typedef struct rect {
  double x0, y0, x1, y1;
} rect;

/* The stroked curve of edge e as a polyline in figure points (cubics
 * while three points remain, then lines), each cubic cut into enough
 * chords to stay within FLATNESS of it: legible.py's flatten. */
static void flatten(const gdv_scene_edge *e, double ox, double oy, gdv_points *p) {
  p->n = 0;
  if (e->n_pts == 0) return;
  const double *q = e->pts;
  gdv_points_add(p, q[0] + ox, q[1] + oy);
  size_t i = 0;
  for (; i + 3 < e->n_pts; i += 3) {
    const double *p0 = q + 2 * i, *p1 = p0 + 2, *p2 = p0 + 4, *p3 = p0 + 6;
    double bend = fmax(hypot(p0[0] - 2 * p1[0] + p2[0], p0[1] - 2 * p1[1] + p2[1]),
                       hypot(p1[0] - 2 * p2[0] + p3[0], p1[1] - 2 * p2[1] + p3[1]));
    int n = (int)ceil(sqrt(6 * bend / (8 * FLATNESS)));
    if (n < 8) n = 8;
    for (int s = 1; s <= n; s++) {
      double t = (double)s / n, u = 1 - t;
      double a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
      gdv_points_add(p, a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0] + ox,
               a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1] + oy);
    }
  }
  for (i = i + 1; i < e->n_pts; i++) gdv_points_add(p, q[2 * i] + ox, q[2 * i + 1] + oy);
}

/* The part of segment a-b inside r as 0 <= *t0 < *t1 <= 1; 0 when it
 * misses (Liang-Barsky, as legible.py clips). */
static int clip(double ax, double ay, double bx, double by, rect r, double *t0, double *t1) {
  if (r.x0 >= r.x1 || r.y0 >= r.y1) return 0;
  double dx = bx - ax, dy = by - ay, lo = 0, hi = 1;
  double den[4] = {-dx, dx, -dy, dy}, num[4] = {ax - r.x0, r.x1 - ax, ay - r.y0, r.y1 - ay};
  for (int k = 0; k < 4; k++) {
    if (den[k] == 0) {
      if (num[k] < 0) return 0;
      continue;
    }
    double t = num[k] / den[k];
    if (den[k] < 0) lo = fmax(lo, t);
    else hi = fmin(hi, t);
    if (lo >= hi) return 0;
  }
  *t0 = lo;
  *t1 = hi;
  return hi - lo > 1e-12;
}

/* A spatial index: items (indices) by the CELL-point cells their boxes
 * meet, as CSR over a grid covering the figure. */
typedef struct grid {
  double x0, y0;
  size_t cols, rows;
  size_t *start, *item;
} grid;

/* The cell range a box meets, clamped to the grid. */
static void cells_of(const grid *g, rect r, size_t *c0, size_t *r0, size_t *c1, size_t *r1) {
  double a = floor((r.x0 - g->x0) / CELL), b = floor((r.y0 - g->y0) / CELL);
  double c = floor((r.x1 - g->x0) / CELL), d = floor((r.y1 - g->y0) / CELL);
  double maxc = (double)g->cols - 1, maxr = (double)g->rows - 1;
  *c0 = (size_t)fmin(fmax(a, 0), maxc);
  *r0 = (size_t)fmin(fmax(b, 0), maxr);
  *c1 = (size_t)fmin(fmax(c, 0), maxc);
  *r1 = (size_t)fmin(fmax(d, 0), maxr);
}

/* Builds the index of n boxes over the extent `all`; 0 when out of
 * memory. */
static int grid_build(grid *g, const rect *box, size_t n, rect all) {
  memset(g, 0, sizeof *g);
  g->x0 = all.x0;
  g->y0 = all.y0;
  g->cols = (size_t)fmax(1, ceil((all.x1 - all.x0) / CELL) + 1);
  g->rows = (size_t)fmax(1, ceil((all.y1 - all.y0) / CELL) + 1);
  size_t cells = g->cols * g->rows, total = 0;
  g->start = calloc(cells + 2, sizeof *g->start);
  if (g->start == NULL) return 0;
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < n; i++) {
      size_t c0, r0, c1, r1;
      cells_of(g, box[i], &c0, &r0, &c1, &r1);
      for (size_t r = r0; r <= r1; r++)
        for (size_t c = c0; c <= c1; c++) {
          if (pass == 0) g->start[r * g->cols + c + 2]++, total++;
          else g->item[g->start[r * g->cols + c + 1]++] = i;
        }
    }
    if (pass == 0) {
      for (size_t k = 0; k < cells; k++) g->start[k + 2] += g->start[k + 1];
      if ((g->item = malloc((total + 1) * sizeof *g->item)) == NULL) return 0;
    }
  }
  return 1;
}

/* Frees an index. */
static void grid_free(grid *g) {
  free(g->start);
  free(g->item);
}

/* A text box as a rect. */
static rect text_rect(const gdv_text_box *t, double inset) {
  return (rect){t->x + inset, t->y + inset, t->x + t->w - inset, t->y + t->h - inset};
}

/* Scene node n's box in figure points. */
static rect node_rect(const gdv_scene_node *n, double ox, double oy, double inset) {
  return (rect){n->x + ox - n->w / 2 + inset, n->y + oy - n->h / 2 + inset,
                n->x + ox + n->w / 2 - inset, n->y + oy + n->h / 2 - inset};
}

/* Whether a text is one whose size legibility is judged by: a node's or
 * an edge's (titles and legends have their own sizes). */
static int judged(const gdv_text_box *t) {
  return (t->part == GDV_PART_NODE || t->part == GDV_PART_EDGE) && t->w > 0;
}

/* Pairs of texts that overlap: only texts sharing a cell are compared,
 * and each pair once (in the first cell both meet). */
static size_t text_overlaps(const gdv_figure_geometry *fg, const grid *g, const rect *box) {
  size_t count = 0;
  for (size_t cell = 0; cell < g->cols * g->rows; cell++)
    for (size_t a = g->start[cell]; a < g->start[cell + 1]; a++)
      for (size_t b = a + 1; b < g->start[cell + 1]; b++) {
        size_t i = g->item[a], j = g->item[b];
        rect p = box[i], q = box[j];
        if (fg->texts[i].w <= 0 || fg->texts[j].w <= 0) continue;
        double ox = fmin(p.x1, q.x1) - fmax(p.x0, q.x0), oy = fmin(p.y1, q.y1) - fmax(p.y0, q.y0);
        if (!(ox > OVERLAP_SLACK && oy > OVERLAP_SLACK)) continue;
        /* counted in the first cell both boxes meet */
        size_t c0, r0, c1, r1, first;
        rect both = {fmax(p.x0, q.x0), fmax(p.y0, q.y0), fmin(p.x1, q.x1), fmin(p.y1, q.y1)};
        cells_of(g, both, &c0, &r0, &c1, &r1);
        first = r0 * g->cols + c0;
        count += first == cell;
      }
  return count;
}

/* Everything one measurement works with. */
typedef struct meter {
  const gdv_scene *s;
  const gdv_figure_geometry *fg;
  gdv_points *lines;              /* per scene edge, figure points */
  rect all;                 /* the figure's extent */
} meter;

/* Edges through boxes not their own: every non-hidden node and every
 * text, shrunk by EDGE_MARGIN; an edge's own are its end nodes, their
 * texts and its label's texts. Counts (edge, box) pairs. */
static size_t edges_through(const meter *m, int *oom) {
  const gdv_scene *s = m->s;
  const gdv_figure_geometry *fg = m->fg;
  size_t nb = s->n_nodes + fg->n_texts, count = 0;
  rect *box = malloc((nb + 1) * sizeof *box);
  size_t *seen = calloc(nb + 1, sizeof *seen);
  grid g;
  if (box == NULL || seen == NULL) {
    free(box);
    free(seen);
    *oom = 1;
    return 0;
  }
  for (size_t i = 0; i < s->n_nodes; i++)
    box[i] = (s->nodes[i].flags & GDV_NODE_HIDDEN) ? (rect){0, 0, 0, 0}
                                                  : node_rect(&s->nodes[i], fg->ox, fg->oy, EDGE_MARGIN);
  for (size_t k = 0; k < fg->n_texts; k++) box[s->n_nodes + k] = text_rect(&fg->texts[k], EDGE_MARGIN);
  if (!grid_build(&g, box, nb, m->all)) {
    grid_free(&g);
    free(box);
    free(seen);
    *oom = 1;
    return 0;
  }
  for (size_t e = 0; e < s->n_edges; e++) {
    const gdv_scene_edge *ed = &s->edges[e];
    const gdv_points *p = &m->lines[e];
    if (p->n < 2 || (ed->flags & GDV_EDGE_HIDDEN)) continue;
    for (size_t k = 0; k + 1 < p->n; k++) {
      double ax = p->v[2 * k], ay = p->v[2 * k + 1], bx = p->v[2 * k + 2], by = p->v[2 * k + 3];
      rect sb = {fmin(ax, bx), fmin(ay, by), fmax(ax, bx), fmax(ay, by)};
      size_t c0, r0, c1, r1;
      cells_of(&g, sb, &c0, &r0, &c1, &r1);
      for (size_t r = r0; r <= r1; r++)
        for (size_t c = c0; c <= c1; c++)
          for (size_t q = g.start[r * g.cols + c]; q < g.start[r * g.cols + c + 1]; q++) {
            size_t b = g.item[q];
            if (seen[b] == e + 1) continue;
            if (b < s->n_nodes) {
              if (b == ed->from || b == ed->to) continue;
            } else {
              const gdv_text_box *t = &fg->texts[b - s->n_nodes];
              if (t->w <= 0) continue;
              if (t->part == GDV_PART_NODE && (t->index == ed->from || t->index == ed->to)) continue;
              if (t->part == GDV_PART_EDGE && t->index == e) continue;
            }
            double t0, t1;
            if (clip(ax, ay, bx, by, box[b], &t0, &t1)) {
              seen[b] = e + 1;
              count++;
            }
          }
    }
  }
  grid_free(&g);
  free(box);
  free(seen);
  return count;
}

/* Squared distance from point (x, y) to segment a-b. */
static double point_segment2(double x, double y, const double *a, const double *b) {
  double dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((x - a[0]) * dx + (y - a[1]) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  double ex = x - a[0] - t * dx, ey = y - a[1] - t * dy;
  return ex * ex + ey * ey;
}

/* Whether (x, y) lies within TOGETHER_END_ROOM of one of edge e's end
 * nodes (figure points). */
static int near_ends(const meter *m, const gdv_scene_edge *e, double x, double y) {
  for (int k = 0; k < 2; k++) {
    rect r = node_rect(&m->s->nodes[k ? e->to : e->from], m->fg->ox, m->fg->oy, -TOGETHER_END_ROOM);
    if (x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1) return 1;
  }
  return 0;
}

/* Pairs of edges that run together: walking each edge's line in steps,
 * the longest stretch during which another edge stays within
 * TOGETHER_DIST; a pair counts once when that stretch passes
 * TOGETHER_LENGTH (on either one's walk). */
static size_t run_together(const meter *m, int *oom) {
  const gdv_scene *s = m->s;
  size_t ne = s->n_edges, nseg = 0, count = 0;
  for (size_t e = 0; e < ne; e++) nseg += m->lines[e].n > 1 ? m->lines[e].n - 1 : 0;
  rect *box = calloc(nseg + 1, sizeof *box);
  size_t *seg_edge = malloc((nseg + 1) * sizeof *seg_edge), *seg_at = malloc((nseg + 1) * sizeof *seg_at);
  size_t *last = malloc((ne + 1) * sizeof *last);
  double *run = calloc(ne + 1, sizeof *run);
  uint8_t *pair = NULL;
  grid g = {0};
  int ok = box && seg_edge && seg_at && last && run;
  if (ok && ne <= 4096) ok = (pair = calloc(ne * ne + 1, 1)) != NULL;
  if (ok) {
    size_t k = 0;
    for (size_t e = 0; e < ne; e++)
      for (size_t i = 0; i + 1 < m->lines[e].n; i++, k++) {
        const double *p = m->lines[e].v + 2 * i;
        box[k] = (rect){fmin(p[0], p[2]) - TOGETHER_DIST, fmin(p[1], p[3]) - TOGETHER_DIST,
                        fmax(p[0], p[2]) + TOGETHER_DIST, fmax(p[1], p[3]) + TOGETHER_DIST};
        seg_edge[k] = e;
        seg_at[k] = i;
      }
    ok = grid_build(&g, box, nseg, m->all);
  }
  const double step = 2.5;
  for (size_t e = 0; ok && pair && e < ne; e++) {
    const gdv_points *p = &m->lines[e];
    const gdv_scene_edge *ed = &s->edges[e];
    if (p->n < 2 || (ed->flags & GDV_EDGE_HIDDEN)) continue;
    for (size_t j = 0; j < ne; j++) last[j] = SIZE_MAX, run[j] = 0;
    size_t sample = 0;
    for (size_t i = 0; i + 1 < p->n; i++) {
      const double *a = p->v + 2 * i, *b = a + 2;
      double len = hypot(b[0] - a[0], b[1] - a[1]);
      int steps = (int)ceil(len / step);
      for (int q = 0; q < steps; q++, sample++) {
        double t = (double)q / steps, x = a[0] + (b[0] - a[0]) * t, y = a[1] + (b[1] - a[1]) * t;
        if (near_ends(m, ed, x, y)) continue;
        size_t c0, r0, c1, r1;
        cells_of(&g, (rect){x, y, x, y}, &c0, &r0, &c1, &r1);
        size_t cell = r0 * g.cols + c0;
        for (size_t h = g.start[cell]; h < g.start[cell + 1]; h++) {
          size_t sg = g.item[h], j = seg_edge[sg];
          /* edges of one tail may share a trunk: one value, one line */
          if (j == e || last[j] == sample || s->edges[j].from == ed->from) continue;
          const rect *r = &box[sg];
          if (x < r->x0 || x > r->x1 || y < r->y0 || y > r->y1) continue;
          const double *c = m->lines[j].v + 2 * seg_at[sg];
          if (point_segment2(x, y, c, c + 2) > TOGETHER_DIST * TOGETHER_DIST) continue;
          run[j] = last[j] + 1 == sample ? run[j] + len / steps : len / steps;
          last[j] = sample;
          if (run[j] >= TOGETHER_LENGTH) {
            size_t lo = e < j ? e : j, hi = e < j ? j : e;
            if (!pair[lo * ne + hi]) count++;
            pair[lo * ne + hi] = 1;
          }
        }
      }
    }
  }
  if (!ok) *oom = 1;
  grid_free(&g);
  free(box);
  free(seg_edge);
  free(seg_at);
  free(last);
  free(run);
  free(pair);
  return count;
}

/* Pairs of arrowheads into one node whose tips lie closer than
 * ARROWS_APART. */
static size_t close_arrows(const gdv_scene *s) {
  size_t count = 0;
  for (size_t i = 0; i < s->n_edges; i++)
    for (size_t j = i + 1; j < s->n_edges; j++) {
      const gdv_scene_edge *a = &s->edges[i], *b = &s->edges[j];
      if (a->to != b->to || a->n_pts < 2 || b->n_pts < 2 ||
          ((a->flags | b->flags) & GDV_EDGE_HIDDEN))
        continue;
      count += hypot(a->tip_x - b->tip_x, a->tip_y - b->tip_y) < ARROWS_APART;
    }
  return count;
}

/* See gdv_render_int.h. */
gdv_status gdv_figure_legibility(const gdv_scene *s, const gdv_style *st, gdv_legibility *out,
                                 gdv_error *err) {
  memset(out, 0, sizeof *out);
  gdv_figure_geometry fg;
  gdv_status status = gdv_render_geometry(s, st, &fg, err);
  if (status) return status;
  double k = fmin(SLIDE_W / fg.width, SLIDE_H / fg.height);
  double need = gdv_page_legible_px(&s->page);   /* 18, or --text-size's */
  out->px_per_em = INFINITY;
  rect *tb = malloc((fg.n_texts + 1) * sizeof *tb);
  gdv_points *lines = calloc(s->n_edges + 1, sizeof *lines);
  int oom = tb == NULL || lines == NULL;
  for (size_t i = 0; !oom && i < fg.n_texts; i++) {
    const gdv_text_box *t = &fg.texts[i];
    tb[i] = text_rect(t, 0);
    if (!judged(t)) continue;
    double px = t->size * k;
    if (px < out->px_per_em) out->px_per_em = px;
    out->small_texts += px < need;
  }
  rect all = {0, 0, fg.width, fg.height};
  grid g = {0};
  if (!oom && grid_build(&g, tb, fg.n_texts, all)) out->overlaps = text_overlaps(&fg, &g, tb);
  else oom = 1;
  grid_free(&g);
  for (size_t e = 0; !oom && e < s->n_edges; e++) {
    flatten(&s->edges[e], fg.ox, fg.oy, &lines[e]);
    oom = lines[e].oom;
  }
  meter m = {s, &fg, lines, all};
  if (!oom) out->through = edges_through(&m, &oom);
  if (!oom) out->parallel_runs = run_together(&m, &oom);
  out->short_labels = gdv_scene_short_labels(s, MIN_SIDE, &out->labelled);
  out->legend_share = fg.legend_h / fg.height;
  out->close_arrows = close_arrows(s);
  out->unclear_labels = gdv_scene_unclear_labels(s);
  out->crossings = gdv_scene_crossings(s);
  out->width = fg.width;
  out->height = fg.height;
  for (size_t e = 0; lines && e < s->n_edges; e++) free(lines[e].v);
  free(lines);
  free(tb);
  gdv_figure_geometry_free(&fg);
  if (oom || out->unclear_labels == SIZE_MAX) return OOM(err);
  out->legible = out->px_per_em >= need && out->overlaps == 0 &&
                 out->through == 0 &&
                 (double)out->short_labels <= MAX_SHORT_SHARE * (double)out->labelled &&
                 out->legend_share <= MAX_LEGEND_SHARE;
  out->traceable = out->parallel_runs == 0 && out->close_arrows == 0 && out->unclear_labels == 0;
  return GDV_OK;
}

/* One JSON object of the measures, for --dump-layout. */
void gdv_legibility_json(const gdv_legibility *m, FILE *f) {
  fprintf(f, "{\"px_per_em\": %.2f, \"small_texts\": %zu, \"overlaps\": %zu, \"through\": %zu, "
          "\"labelled\": %zu, \"short_labels\": %zu, \"legend_share\": %.4f, "
          "\"parallel_runs\": %zu, \"close_arrows\": %zu, \"unclear_labels\": %zu, "
          "\"crossings\": %ld, \"legible\": %s, \"traceable\": %s}",
          isinf(m->px_per_em) ? 0.0 : m->px_per_em, m->small_texts, m->overlaps, m->through,
          m->labelled, m->short_labels, m->legend_share, m->parallel_runs, m->close_arrows,
          m->unclear_labels, m->crossings, m->legible ? "true" : "false",
          m->traceable ? "true" : "false");
}
