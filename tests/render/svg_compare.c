/* svg_compare.c: how closely two rasterisations of one figure agree (the
 * PNG gradviz draws, and its SVG drawn by rsvg-convert or Chromium).
 *
 *   svg_compare A.png B.png [DIFF.png]
 *
 * B is scaled to A's size. Both are turned to grey (0.299 R + 0.587 G +
 * 0.114 B, on white where transparent) and blurred by a 3x3 box (so
 * antialiasing and sub-pixel shifts of a few tenths of a pixel do not
 * count), then compared pixel by pixel. Prints one line:
 *
 *   mad=M share=S missing=X
 *
 * M: the mean absolute difference per pixel (0..255); S: the share of
 * pixels that differ by more than 64 (a quarter of the range: a line or a
 * letter that is there in one and not in the other); X: the share of
 * pixels that differ by more than 64 from every pixel of the other image
 * within 2 pixels (both ways): what is missing or moved, not what is
 * drawn a pixel off. DIFF.png, when given, shows the first in grey, the
 * second in black. Exit 0, or 2 when an image cannot be read. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cairo.h>

/* Image at path drawn on a white w x h (0: its own size) grey map. */
static double *grey_of(const char *path, int *w, int *h) {
  cairo_surface_t *img = cairo_image_surface_create_from_png(path);
  if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
    fprintf(stderr, "svg_compare: %s: cannot read\n", path);
    cairo_surface_destroy(img);
    return NULL;
  }
  int iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
  if (*w == 0) { *w = iw; *h = ih; }
  cairo_surface_t *rgb = cairo_image_surface_create(CAIRO_FORMAT_RGB24, *w, *h);
  cairo_t *cr = cairo_create(rgb);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, (double)*w / iw, (double)*h / ih);
  cairo_set_source_surface(cr, img, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
  cairo_paint(cr);
  cairo_destroy(cr);
  cairo_surface_flush(rgb);
  double *g = malloc(sizeof *g * (size_t)*w * (size_t)*h);
  const unsigned char *d = cairo_image_surface_get_data(rgb);
  int stride = cairo_image_surface_get_stride(rgb);
  for (int y = 0; g && y < *h; y++)
    for (int x = 0; x < *w; x++) {
      const unsigned char *p = d + (size_t)y * stride + 4 * (size_t)x;  /* B G R x */
      g[(size_t)y * *w + x] = 0.299 * p[2] + 0.587 * p[1] + 0.114 * p[0];
    }
  cairo_surface_destroy(rgb);
  cairo_surface_destroy(img);
  return g;
}

/* The 3x3 box blur of g (edges: the pixels that exist). */
static double *blur(const double *g, int w, int h) {
  double *b = malloc(sizeof *b * (size_t)w * (size_t)h);
  for (int y = 0; b && y < h; y++)
    for (int x = 0; x < w; x++) {
      double sum = 0;
      int n = 0;
      for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
          int xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          sum += g[(size_t)yy * w + xx];
          n++;
        }
      b[(size_t)y * w + x] = sum / n;
    }
  return b;
}

/* The least difference between a's pixel (x, y) and b's pixels at most
 * SHIFT away: a line drawn a pixel or two off (another font's kerning)
 * finds itself, a missing or moved word does not. */
#define SHIFT 2
static double near_diff(const double *a, const double *b, int w, int h, int x, int y) {
  double best = 255, v = a[(size_t)y * w + x];
  for (int dy = -SHIFT; dy <= SHIFT; dy++)
    for (int dx = -SHIFT; dx <= SHIFT; dx++) {
      int xx = x + dx, yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
      double d = fabs(v - b[(size_t)yy * w + xx]);
      if (d < best) best = d;
    }
  return best;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: svg_compare A.png B.png [DIFF.png]\n");
    return 2;
  }
  int w = 0, h = 0;
  double *a = grey_of(argv[1], &w, &h), *b = a ? grey_of(argv[2], &w, &h) : NULL;
  if (a == NULL || b == NULL) return 2;
  double *ba = blur(a, w, h), *bb = blur(b, w, h);
  double total = 0;
  size_t big = 0, n = (size_t)w * (size_t)h;
  cairo_surface_t *diff = argc > 3 ? cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h) : NULL;
  unsigned char *dd = diff ? cairo_image_surface_get_data(diff) : NULL;
  int stride = diff ? cairo_image_surface_get_stride(diff) : 0;
  size_t missing = 0;
  for (size_t i = 0; i < n; i++) {
    double d = fabs(ba[i] - bb[i]);
    total += d;
    big += d > 64;
    int x = (int)(i % (size_t)w), y = (int)(i / (size_t)w);
    double m = d > 64 ? fmax(near_diff(ba, bb, w, h, x, y), near_diff(bb, ba, w, h, x, y)) : 0;
    missing += m > 64;
    if (dd) {
      unsigned char v = m > 64 ? 0 : d > 64 ? 160 : 255;
      unsigned char *p = dd + (i / (size_t)w) * stride + 4 * (i % (size_t)w);
      p[0] = p[1] = p[2] = v;
    }
  }
  if (diff) {
    cairo_surface_mark_dirty(diff);
    cairo_surface_write_to_png(diff, argv[3]);
    cairo_surface_destroy(diff);
  }
  printf("mad=%.3f share=%.5f missing=%.5f\n", total / (double)n, (double)big / (double)n,
         (double)missing / (double)n);
  free(a); free(b); free(ba); free(bb);
  return 0;
}
