/* mnist_poster.c: a figure too large for one page of paper, printed over
 * several as poster tools do: each page keeps a margin the printer can
 * leave, neighbouring pages share a strip (so they can be overlapped or
 * trimmed and glued), corner marks show where the part of the figure
 * begins and ends, a line under it says which page it is, and a page
 * that would hold nothing of the figure is not printed at all. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "mnist_draw/mnist_poster.h"

/* Points: the margin round each page's part, the band below it for the
 * page's line (9 pt text), the strip neighbouring pages share, the
 * length of a corner mark. */
#define MARGIN 28.0
#define LABEL_BAND 16.0
#define LABEL_PT 9.0
#define OVERLAP 20.0
#define MARK 10.0
/* Pixels per point of the drawing that finds a blank page, and the least
 * difference from the background (of 255) that counts as ink there: a
 * hairline at its faintest is under it, and invisible on paper too. */
#define PROBE_SCALE 0.25
#define INK 6

/* The page's part: the figure scaled by scale, its point (tx, ty) (after
 * scaling) at the part's top-left, clipped to cw x ch; what does not meet
 * the part is skipped, so a page holds only its part. */
static gdv_status draw_part(const gdv_scene *s, const gdv_style *st, cairo_t *cr,
                                 double x0, double y0, double cw, double ch, double tx,
                                 double ty, double scale, gdv_error *err) {
  double clip[4] = {tx / scale, ty / scale, (tx + cw) / scale, (ty + ch) / scale};
  cairo_save(cr);
  cairo_rectangle(cr, x0, y0, cw, ch);
  cairo_clip(cr);
  cairo_translate(cr, x0 - tx, y0 - ty);
  cairo_scale(cr, scale, scale);
  gdv_status status = gdv_render_draw_on(s, st, cr, clip, err);
  cairo_restore(cr);
  return status;
}

/* Whether a pixel differs from the background by more than INK levels in
 * some channel (0xRRGGBB). */
static int ink(uint32_t px, uint32_t bg) {
  for (int shift = 0; shift < 24; shift += 8) {
    int a = (int)((px >> shift) & 0xFF), b = (int)((bg >> shift) & 0xFF);
    if (a - b > INK || b - a > INK) return 1;
  }
  return 0;
}

/* Which parts hold anything of the figure: the whole grid drawn small
 * once, a part blank when its own rectangle (the grid's points it is the
 * first to hold: a strip it shares is its neighbour's too) has no pixel
 * more than INK levels from the background. */
static gdv_status find_blanks(const gdv_scene *s, const gdv_style *st,
                              const gdv_mnist_poster *p, char *blank, gdv_error *err) {
  double step_w = p->part_w - OVERLAP, step_h = p->part_h - OVERLAP;
  double grid_w = (double)p->cols * step_w + OVERLAP, grid_h = (double)p->rows * step_h + OVERLAP;
  int w = (int)ceil(grid_w * PROBE_SCALE), h = (int)ceil(grid_h * PROBE_SCALE);
  cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create(img);
  gdv_rgba bgc = st->background;
  cairo_set_source_rgb(cr, bgc.r, bgc.g, bgc.b);
  cairo_paint(cr);
  cairo_scale(cr, PROBE_SCALE, PROBE_SCALE);
  gdv_status status = draw_part(s, st, cr, 0, 0, grid_w, grid_h, -p->off_x, -p->off_y,
                                p->scale, err);
  cairo_destroy(cr);
  cairo_surface_flush(img);
  if (status) {
    cairo_surface_destroy(img);
    return status;
  }
  if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
    status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cairo: %s",
                           cairo_status_to_string(cairo_surface_status(img)));
    cairo_surface_destroy(img);
    return status;
  }
  const unsigned char *px = cairo_image_surface_get_data(img);
  int stride = cairo_image_surface_get_stride(img);
  uint32_t bg = ((uint32_t)lround(bgc.r * 255) << 16) | ((uint32_t)lround(bgc.g * 255) << 8) |
                (uint32_t)lround(bgc.b * 255);
  for (size_t k = 0; k < p->cols * p->rows; k++) {
    size_t col = k % p->cols, row_k = k / p->cols;
    double x0 = (double)col * step_w, y0 = (double)row_k * step_h;
    double x1 = x0 + (col + 1 == p->cols ? p->part_w : step_w);
    double y1 = y0 + (row_k + 1 == p->rows ? p->part_h : step_h);
    int a = (int)floor(x0 * PROBE_SCALE), b = (int)ceil(x1 * PROBE_SCALE);
    int c = (int)floor(y0 * PROBE_SCALE), d = (int)ceil(y1 * PROBE_SCALE);
    blank[k] = 1;
    for (int y = c; y < d && y < h && blank[k]; y++) {
      const uint32_t *row = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
      for (int x = a; x < b && x < w; x++)
        if (ink(row[x], bg)) {
          blank[k] = 0;
          break;
        }
    }
  }
  cairo_surface_destroy(img);
  return status;
}

/* Short lines at the part's corners, outside it, where the page is cut
 * or laid over its neighbour. */
static void corner_marks(cairo_t *cr, double x0, double y0, double cw, double ch) {
  cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
  cairo_set_line_width(cr, 0.5);
  for (int k = 0; k < 4; k++) {
    double x = k % 2 ? x0 + cw : x0, y = k / 2 ? y0 + ch : y0;
    double sx = k % 2 ? 1 : -1, sy = k / 2 ? 1 : -1;
    cairo_move_to(cr, x + sx * 2, y);
    cairo_line_to(cr, x + sx * (2 + MARK), y);
    cairo_move_to(cr, x, y + sy * 2);
    cairo_line_to(cr, x, y + sy * (2 + MARK));
  }
  cairo_stroke(cr);
}

/* The page's line, centred in the band under its part. */
static void page_line(cairo_t *cr, const char *text, double paper_w, double y) {
  cairo_text_extents_t ext;
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, LABEL_PT);
  cairo_text_extents(cr, text, &ext);
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  cairo_move_to(cr, (paper_w - ext.x_advance) / 2, y);
  cairo_show_text(cr, text);
}

gdv_status gdv_mnist_poster_plan(const gdv_scene *s, const gdv_style *st, double paper_w,
                                 double paper_h, double scale, gdv_mnist_poster *p,
                                 gdv_error *err) {
  double w, h;
  gdv_status status = gdv_render_figure_size(s, st, &w, &h, err);
  if (status) return status;
  p->paper_w = paper_w;
  p->paper_h = paper_h;
  p->part_w = paper_w - 2 * MARGIN;
  p->part_h = paper_h - 2 * MARGIN - LABEL_BAND;
  double step_w = p->part_w - OVERLAP, step_h = p->part_h - OVERLAP;
  if (step_w <= 0 || step_h <= 0)
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "the page is too small for a poster's margins");
  w *= scale;
  h *= scale;
  p->cols = w <= p->part_w ? 1 : (size_t)ceil((w - OVERLAP) / step_w - 1e-9);
  p->rows = h <= p->part_h ? 1 : (size_t)ceil((h - OVERLAP) / step_h - 1e-9);
  /* then as large as the grid of parts allows */
  double grid_w = (double)p->cols * step_w + OVERLAP, grid_h = (double)p->rows * step_h + OVERLAP;
  double grow = fmin(grid_w / w, grid_h / h);
  p->scale = scale * grow;
  p->off_x = (grid_w - w * grow) / 2;
  p->off_y = (grid_h - h * grow) / 2;
  return GDV_OK;
}

gdv_status gdv_mnist_poster_write(const gdv_scene *s, const gdv_style *st,
                                  const gdv_mnist_poster *p, FILE *out, size_t *pages,
                                  gdv_error *err) {
  size_t n = p->cols * p->rows, printed = 0, shown = 0;
  char *blank = calloc(n ? n : 1, 1);
  if (!blank) return gdv_error_oom(err);
  double step_w = p->part_w - OVERLAP, step_h = p->part_h - OVERLAP;
  gdv_status status = find_blanks(s, st, p, blank, err);
  for (size_t k = 0; k < n; k++) shown += !blank[k];
  cairo_surface_t *pdf = status ? NULL
      : gdv_render_pdf_stream(out, p->paper_w, p->paper_h, "gradviz " PACKAGE_VERSION, s->title);
  for (size_t k = 0; k < n && !status; k++) {
    if (blank[k]) continue;
    size_t r = k / p->cols, c = k % p->cols;
    cairo_t *cr = cairo_create(pdf);
    status = draw_part(s, st, cr, MARGIN, MARGIN, p->part_w, p->part_h,
                            (double)c * step_w - p->off_x, (double)r * step_h - p->off_y,
                            p->scale, err);
    corner_marks(cr, MARGIN, MARGIN, p->part_w, p->part_h);
    char text[200];
    snprintf(text, sizeof text, "page %zu of %zu: row %zu of %zu, column %zu of %zu; "
             "neighbouring pages share %.0f mm at the marks", ++printed, shown, r + 1, p->rows,
             c + 1, p->cols, OVERLAP / 72 * 25.4);
    page_line(cr, text, p->paper_w, p->paper_h - MARGIN);
    cairo_show_page(cr);
    if (!status && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
      status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cairo: %s",
                             cairo_status_to_string(cairo_status(cr)));
    cairo_destroy(cr);
  }
  if (pdf) {
    cairo_surface_finish(pdf);
    if (!status && cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS)
      status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cairo: %s",
                             cairo_status_to_string(cairo_surface_status(pdf)));
    cairo_surface_destroy(pdf);
  }
  free(blank);
  *pages = printed;
  return status;
}
