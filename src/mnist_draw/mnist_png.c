/* mnist_png.c: PNG of big scenes. Cairo strokes each of 23,850
 * full-height edges separately (about 0.25 us per pixel row each: over
 * 20 s), so the render layer draws everything but the edges on a canvas,
 * and the edges are drawn here with Xiaolin Wu's anti-aliased lines
 * straight into its pixels, under the nodes (only on pixels that were
 * background), before the one PNG encode. They follow the path and take
 * the colour and opacity Cairo gives them in SVG and PDF (the big figures'
 * style makes edges a pixel thin and their flow colours translucent), so
 * every format draws the same edges. */
#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnist_draw/mnist_png.h"

typedef struct canvas {
  uint32_t *px;
  uint8_t *blocked;   /* 1 where the render layer drew something */
  int w, h, stride;   /* stride in pixels */
} canvas;

/* Blends colour (0xRRGGBB) at coverage a (0..256) onto one pixel. */
static inline void plot(canvas *cv, int x, int y, uint32_t rgb, int a) {
  if ((unsigned)x >= (unsigned)cv->w || (unsigned)y >= (unsigned)cv->h || a <= 0) return;
  size_t i = (size_t)y * (size_t)cv->stride + (size_t)x;
  if (cv->blocked[i]) return;
  uint32_t p = cv->px[i];
  int r = (int)(p >> 16 & 255), g = (int)(p >> 8 & 255), b = (int)(p & 255);
  r += (((int)(rgb >> 16 & 255) - r) * a) >> 8;
  g += (((int)(rgb >> 8 & 255) - g) * a) >> 8;
  b += (((int)(rgb & 255) - b) * a) >> 8;
  cv->px[i] = 0xff000000u | (uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)b;
}

/* Xiaolin Wu's line: two pixels per step, weighted by distance; fixed
 * point (16 fractional bits) along the minor axis. */
static void wu_line(canvas *cv, double x0, double y0, double x1, double y1,
                    uint32_t rgb, double alpha, int open_end) {
  /* open_end: the end pixel is left to the next chord of the same edge,
   * which starts there (plotted twice it would show as a bead) */
  int steep = fabs(y1 - y0) > fabs(x1 - x0), swapped = 0;
  double t;
  if (steep) { t = x0; x0 = y0; y0 = t; t = x1; x1 = y1; y1 = t; }
  if (x0 > x1) { t = x0; x0 = x1; x1 = t; t = y0; y0 = y1; y1 = t; swapped = 1; }
  double dx = x1 - x0, grad = dx > 0 ? (y1 - y0) / dx : 1;
  long xs = lround(x0), xe = lround(x1);
  if (open_end && swapped) xs++;
  else if (open_end) xe--;
  int64_t y = (int64_t)((y0 + grad * ((double)xs - x0)) * 65536.0);
  int64_t step = (int64_t)(grad * 65536.0);
  int a = (int)(alpha * 256);
  for (long x = xs; x <= xe; x++, y += step) {
    int yi = (int)(y >> 16);
    int f = (int)((y & 0xffff) >> 8);          /* 0..255 */
    int a1 = (a * (256 - f)) >> 8, a2 = (a * f) >> 8;
    if (steep) {
      plot(cv, yi, (int)x, rgb, a1);
      plot(cv, yi + 1, (int)x, rgb, a2);
    } else {
      plot(cv, (int)x, yi, rgb, a1);
      plot(cv, (int)x, yi + 1, rgb, a2);
    }
  }
}

/* Pixels per chord of a cubic piece of an edge (along its control
 * polygon): short enough that the chords stray well under a pixel from
 * the curve Cairo strokes. */
#define CHORD_PX 4.0

/* The edge as Cairo strokes it (its cubic pieces, then straight pieces to
 * its last point and its tip), in chords, each a Wu line. */
static void edge_path(canvas *cv, const gdv_render_canvas *rc, const gdv_scene_edge *ed,
                      uint32_t rgb, double alpha) {
  /* Wu's pixel (i, j) is centred on (i, j), Cairo's on (i + 0.5, j + 0.5) */
  double k = rc->scale, ox = rc->ox - 0.5 / k, oy = rc->oy - 0.5 / k;
  const double *p = ed->pts;
  double x = (p[0] + ox) * k, y = (p[1] + oy) * k;
  size_t i = 1;
  for (; i + 2 < ed->n_pts; i += 3) {
    const double *q = p + 2 * (i - 1);
    double hull = hypot(q[2] - q[0], q[3] - q[1]) + hypot(q[4] - q[2], q[5] - q[3]) +
                  hypot(q[6] - q[4], q[7] - q[5]);
    int chords = (int)ceil(hull * k / CHORD_PX);
    if (chords < 1) chords = 1;
    for (int c = 1; c <= chords; c++) {
      double t = (double)c / chords, u = 1 - t;
      double nx = u * u * u * q[0] + 3 * u * u * t * q[2] + 3 * u * t * t * q[4] + t * t * t * q[6];
      double ny = u * u * u * q[1] + 3 * u * u * t * q[3] + 3 * u * t * t * q[5] + t * t * t * q[7];
      nx = (nx + ox) * k;
      ny = (ny + oy) * k;
      wu_line(cv, x, y, nx, ny, rgb, alpha, 1);
      x = nx;
      y = ny;
    }
  }
  for (; i <= ed->n_pts; i++) {
    double nx = i < ed->n_pts ? p[2 * i] : ed->tip_x, ny = i < ed->n_pts ? p[2 * i + 1] : ed->tip_y;
    nx = (nx + ox) * k;
    ny = (ny + oy) * k;
    if (fabs(nx - x) + fabs(ny - y) > 0.5) wu_line(cv, x, y, nx, ny, rgb, alpha, i < ed->n_pts);
    x = nx;
    y = ny;
  }
}

/* A colour as a Cairo RGB24 pixel (0x00RRGGBB), rounded rather than
 * truncated. */
static uint32_t pack(gdv_rgba c) {
  return (uint32_t)(c.r * 255 + 0.5) << 16 | (uint32_t)(c.g * 255 + 0.5) << 8 |
         (uint32_t)(c.b * 255 + 0.5);
}

/* Has the render layer draw all but the edges' strokes on a canvas (its
 * legend still from the edges), draws the edges into its pixels only where
 * background shows, in the colours the render layer gives flow, and
 * encodes the PNG once. */
gdv_status gdv_mnist_png_fast_edges(gdv_scene *s, const gdv_style *st,
                                    const gdv_render_meta *meta, FILE *out,
                                    gdv_error *err) {
  s->edges_by_caller = 1;
  gdv_render_canvas rc;
  gdv_status status = gdv_render_canvas_draw(s, st, meta, &rc, err);
  s->edges_by_caller = 0;
  if (status) return status;
  cairo_surface_t *surf = rc.surface;
  canvas cv = {(uint32_t *)(void *)cairo_image_surface_get_data(surf), NULL,
               cairo_image_surface_get_width(surf), cairo_image_surface_get_height(surf),
               cairo_image_surface_get_stride(surf) / 4};
  size_t n = (size_t)cv.stride * (size_t)cv.h;
  cv.blocked = malloc(n ? n : 1);
  if (!cv.blocked) {
    gdv_render_canvas_free(&rc);
    return gdv_error_oom(err);
  }
  uint32_t bg = cv.px[0] & 0xffffffu;
  for (size_t i = 0; i < n; i++) cv.blocked[i] = (cv.px[i] & 0xffffffu) != bg;
  for (size_t e = 0; e < s->n_edges; e++) {
    const gdv_scene_edge *ed = &s->edges[e];
    if (ed->n_pts < 2) continue;
    gdv_rgba c = st->edge;  /* without flow (--show -flow), as Cairo */
    if (s->show & GDV_SHOW_FLOW) gdv_render_flow_colour(st, rc.flow_lo, rc.flow_hi, ed->weight, &c);
    edge_path(&cv, &rc, ed, pack(c), c.a);
  }
  free(cv.blocked);
  cairo_surface_mark_dirty(surf);
  status = gdv_png_write(surf, meta, meta->title ? meta->title : s->title, out, err);
  gdv_render_canvas_free(&rc);
  return status;
}
