/* mnist_png.c: PNG of big scenes. Cairo strokes each of 23,850
 * full-height edges separately (about 0.25 us per pixel row each: over
 * 20 s), so the render layer draws everything but the edges, and the edges
 * are drawn here with Xiaolin Wu's anti-aliased lines straight into the
 * pixels, under the nodes (only on pixels that were background). */
#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnist/mnist_png.h"

typedef struct mem_reader { const unsigned char *p; size_t left; } mem_reader;

/* Cairo reads the render layer's PNG back from memory through this. */
static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int len) {
  mem_reader *r = closure;
  if (len > r->left) return CAIRO_STATUS_READ_ERROR;
  memcpy(data, r->p, len);
  r->p += len;
  r->left -= len;
  return CAIRO_STATUS_SUCCESS;
}

/* ... and writes the finished one to the output FILE through this. */
static cairo_status_t write_file(void *closure, const unsigned char *data, unsigned int len) {
  return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

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
                    uint32_t rgb, double alpha) {
  int steep = fabs(y1 - y0) > fabs(x1 - x0);
  double t;
  if (steep) { t = x0; x0 = y0; y0 = t; t = x1; x1 = y1; y1 = t; }
  if (x0 > x1) { t = x0; x0 = x1; x1 = t; t = y0; y0 = y1; y1 = t; }
  double dx = x1 - x0, grad = dx > 0 ? (y1 - y0) / dx : 1;
  long xs = lround(x0), xe = lround(x1);
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

/* A colour as a Cairo RGB24 pixel (0x00RRGGBB), rounded rather than
 * truncated. */
static uint32_t pack(gdv_rgba c) {
  return (uint32_t)(c.r * 255 + 0.5) << 16 | (uint32_t)(c.g * 255 + 0.5) << 8 |
         (uint32_t)(c.b * 255 + 0.5);
}

/* Where the render layer put the scene: the first node's drawn corner from
 * its layout dump, against the scene's own coordinates. */
static gdv_status find_offset(const gdv_scene *s, const gdv_style *st,
                              double *ox, double *oy, gdv_error *err) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
  gdv_status status = gdv_render_dump_layout(s, st, f, err);
  fclose(f);
  const char *p = status ? NULL : strstr(text, "\"nodes\"");
  double x = 0, y = 0;
  if (!status && (!p || !(p = strstr(p, "\"x\": ")) ||
                  sscanf(p, "\"x\": %lf, \"y\": %lf", &x, &y) != 2))
    status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0,
                           "internal error: cannot read the layout dump");
  if (!status) {
    *ox = x - (s->nodes[0].x - s->nodes[0].w / 2);
    *oy = y - (s->nodes[0].y - s->nodes[0].h / 2);
  }
  free(text);
  return status;
}

/* Marks every scene edge hidden (the scene is spent), has the render layer
 * draw the rest, then draws the edges into the pixels only where background
 * shows. */
gdv_status gdv_mnist_png_fast_edges(gdv_scene *s, const gdv_style *st,
                                      const gdv_render_meta *meta, FILE *out,
                                      gdv_error *err) {
  double ox = 0, oy = 0, k = meta->dpi / 72;
  for (size_t e = 0; e < s->n_edges; e++) s->edges[e].flags |= GDV_EDGE_HIDDEN;
  gdv_status status = find_offset(s, st, &ox, &oy, err);
  char *png = NULL;
  size_t len = 0;
  FILE *mem = status ? NULL : open_memstream(&png, &len);
  if (!status && !mem) status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
  if (!status) {
    status = gdv_render_write(s, st, GDV_FORMAT_PNG, meta, mem, err);
    fclose(mem);
  }
  if (status) {
    free(png);
    return status;
  }
  mem_reader r = {(const unsigned char *)png, len};
  cairo_surface_t *surf = cairo_image_surface_create_from_png_stream(read_mem, &r);
  free(png);
  if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surf);
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cairo: cannot read back the figure");
  }
  cairo_surface_flush(surf);
  canvas cv = {(uint32_t *)(void *)cairo_image_surface_get_data(surf), NULL,
               cairo_image_surface_get_width(surf), cairo_image_surface_get_height(surf),
               cairo_image_surface_get_stride(surf) / 4};
  size_t n = (size_t)cv.stride * (size_t)cv.h;
  cv.blocked = malloc(n ? n : 1);
  if (!cv.blocked) {
    cairo_surface_destroy(surf);
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
  }
  uint32_t bg = cv.px[0] & 0xffffffu;
  for (size_t i = 0; i < n; i++) cv.blocked[i] = (cv.px[i] & 0xffffffu) != bg;
  double lo = INFINITY, hi = 0;
  for (size_t e = 0; e < s->n_edges; e++) {
    double w = s->edges[e].weight;
    if (w > 0 && w < lo) lo = w;
    if (w > hi) hi = w;
  }
  if (lo < hi * 1e-6) lo = hi * 1e-6;
  for (size_t e = 0; e < s->n_edges; e++) {
    const gdv_scene_edge *ed = &s->edges[e];
    if (ed->n_pts < 2) continue;
    double w = ed->weight, t = 0;
    if (w > lo && hi > lo) t = log(w / lo) / log(hi / lo);
    gdv_rgba c = {st->flow_lo.r + (st->flow_hi.r - st->flow_lo.r) * t,
                  st->flow_lo.g + (st->flow_hi.g - st->flow_lo.g) * t,
                  st->flow_lo.b + (st->flow_hi.b - st->flow_lo.b) * t, 1};
    wu_line(&cv, (ed->pts[0] + ox) * k, (ed->pts[1] + oy) * k,
            (ed->tip_x + ox) * k, (ed->tip_y + oy) * k, pack(c), 0.05 + 0.55 * t);
  }
  free(cv.blocked);
  cairo_surface_mark_dirty(surf);
  /* the render layer's own writer when it can (fast zlib settings, and the
   * pHYs resolution and Software text every other figure carries) */
  if (cairo_image_surface_get_format(surf) == CAIRO_FORMAT_RGB24) {
    status = gdv_png_write(surf, meta, meta->title ? meta->title : s->title, out, err);
    cairo_surface_destroy(surf);
    return status;
  }
  cairo_status_t cs = cairo_surface_write_to_png_stream(surf, write_file, out);
  cairo_surface_destroy(surf);
  if (cs != CAIRO_STATUS_SUCCESS)
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the PNG");
  return GDV_OK;
}
