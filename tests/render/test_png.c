/* test_png.c: PNG files as gdv_png_write makes them (our own zlib stream
 * in IDAT chunks) read back by libpng, which checks every CRC and the
 * Adler-32: the pixels must come back exactly, for images that exercise
 * each kind of match (runs, the row above, hashed repeats), incompressible
 * noise, images wider than the encoder's window, one pixel, and alpha. */
#include <check.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_main.h"
#include "render/gdv_render.h"
#include "render/gdv_render_int.h"

/* A fixed pseudo-random sequence (xorshift), so a failure repeats. */
static uint32_t rnd_state = 2463534242u;
static uint32_t rnd(void) {
  rnd_state ^= rnd_state << 13;
  rnd_state ^= rnd_state >> 17;
  rnd_state ^= rnd_state << 5;
  return rnd_state;
}

/* The patterns: 0 flat, 1 noise, 2 vertical stripes (the row above
 * matches), 3 repeated 37-pixel tiles with noise between (hashed matches),
 * 4 a figure-like mix: flat with random short runs. */
static uint32_t pattern_pixel(int kind, int x, int y) {
  switch (kind) {
  case 0: return 0xfff0f0f0u;
  case 1: return rnd();
  case 2: return (x / 7) % 2 ? 0xff0072b2u : 0xffd55e00u;
  case 3: return x % 50 < 37 ? 0xff000000u | (uint32_t)((x % 37) * 0x030507) : rnd();
  default: return (rnd() % 16 == 0) ? rnd() : (y % 9 ? 0xffffffffu : 0xff223344u);
  }
}

/* A Cairo image surface filled with a pattern; in ARGB32 the pixels are
 * made valid premultiplied colours (no channel above alpha). */
static cairo_surface_t *pattern_surface(int kind, int w, int h, int alpha) {
  cairo_surface_t *s = cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
  ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
  cairo_surface_flush(s);
  unsigned char *data = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      uint32_t v = pattern_pixel(kind, x, y);
      if (alpha) {
        uint32_t a = (v >> 24) | 1, c[3] = {(v >> 16) & 255, (v >> 8) & 255, v & 255};
        for (int k = 0; k < 3; k++) c[k] = c[k] * a / 255;
        v = a << 24 | c[0] << 16 | c[1] << 8 | c[2];
      }
      memcpy(data + (size_t)y * (size_t)stride + 4 * (size_t)x, &v, 4);
    }
  cairo_surface_mark_dirty(s);
  return s;
}

/* The bytes a correct PNG holds for pixel (x, y): RGB, or RGBA with the
 * premultiplication undone as gdv_png.c documents. */
static void expected_pixel(cairo_surface_t *s, int x, int y, unsigned char *o) {
  uint32_t v;
  memcpy(&v, cairo_image_surface_get_data(s) + (size_t)y * (size_t)cairo_image_surface_get_stride(s) + 4 * (size_t)x, 4);
  uint32_t a = v >> 24, c[3] = {(v >> 16) & 255, (v >> 8) & 255, v & 255};
  int alpha = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32;
  for (int k = 0; k < 3; k++)
    o[k] = (unsigned char)(!alpha || a == 0 || a == 255 ? c[k] : (c[k] * 255 + a / 2) / a);
  if (alpha) o[3] = (unsigned char)a;
}

/* Writes s with gdv_png_write into memory, reads it back with libpng
 * and compares every pixel; returns the file's size. */
static size_t png_round_trip(cairo_surface_t *s) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  gdv_error err;
  gdv_render_meta meta = {.dpi = 144, .software = "gradviz test", .source = "x = 1\n", .title = "t"};
  ck_assert_int_eq(gdv_png_write(s, &meta, "t", f, &err), GDV_OK);
  ck_assert_int_eq(fclose(f), 0);
  png_image img;
  memset(&img, 0, sizeof img);
  img.version = PNG_IMAGE_VERSION;
  ck_assert_msg(png_image_begin_read_from_memory(&img, buf, len), "%s", img.message);
  int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  int alpha = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32;
  ck_assert_int_eq((int)img.width, w);
  ck_assert_int_eq((int)img.height, h);
  img.format = alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
  size_t bpp = alpha ? 4 : 3;
  unsigned char *px = malloc(PNG_IMAGE_SIZE(img));
  ck_assert_ptr_nonnull(px);
  ck_assert_msg(png_image_finish_read(&img, NULL, px, 0, NULL), "%s", img.message);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      unsigned char want[4];
      expected_pixel(s, x, y, want);
      ck_assert_msg(memcmp(px + ((size_t)y * (size_t)w + (size_t)x) * bpp, want, bpp) == 0,
                    "pixel %d,%d of %dx%d differs", x, y, w, h);
    }
  free(px);
  free(buf);
  return len;
}

START_TEST(test_png_patterns) {
  static const int sizes[][2] = {{1, 1}, {3, 2}, {640, 360}, {12000, 3}, {5, 9000}};
  for (int kind = 0; kind < 5; kind++)
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
      for (int alpha = 0; alpha < 2; alpha++) {
        cairo_surface_t *s = pattern_surface(kind, sizes[i][0], sizes[i][1], alpha);
        png_round_trip(s);
        cairo_surface_destroy(s);
      }
}
END_TEST

/* Flat colour is what figures are mostly made of: a 1920x1080 slide of
 * one colour (6 MB of pixels) must shrink to a few kilobytes, and noise
 * must not grow by more than the blocks' headers. */
START_TEST(test_png_sizes) {
  cairo_surface_t *s = pattern_surface(0, 1920, 1080, 0);
  size_t flat = png_round_trip(s);
  cairo_surface_destroy(s);
  ck_assert_msg(flat < 16384, "a flat slide took %zu bytes", flat);
  s = pattern_surface(1, 400, 300, 0);
  size_t noise = png_round_trip(s);
  cairo_surface_destroy(s);
  ck_assert_msg(noise < 400 * 300 * 3 + 400 * 300 * 3 / 50, "noise took %zu bytes", noise);
}
END_TEST

/* The same pixels give the same bytes: figures are reproducible. */
START_TEST(test_png_same_bytes) {
  char *a = NULL, *b = NULL;
  size_t na = 0, nb = 0;
  gdv_error err;
  for (int k = 0; k < 2; k++) {
    rnd_state = 99;
    cairo_surface_t *s = pattern_surface(4, 700, 200, 0);
    FILE *f = open_memstream(k ? &b : &a, k ? &nb : &na);
    ck_assert_int_eq(gdv_png_write(s, NULL, NULL, f, &err), GDV_OK);
    fclose(f);
    cairo_surface_destroy(s);
  }
  ck_assert_uint_eq(na, nb);
  ck_assert(memcmp(a, b, na) == 0);
  free(a);
  free(b);
}
END_TEST

/* A sink that refuses after the first call. */
static int refusing_sink(void *ctx, const unsigned char *data, size_t n) {
  (void)data;
  (void)n;
  return (*(int *)ctx)++ > 0 ? -1 : 0;
}

/* The encoder reports a refusing sink at the end instead of going on as
 * if the bytes were written. */
START_TEST(test_deflate_sink_fails) {
  int calls = 0;
  gdv_deflate *z = gdv_deflate_new(3001, 3, refusing_sink, &calls);
  ck_assert_ptr_nonnull(z);
  for (int y = 0; y < 200; y++) {
    unsigned char *row = gdv_deflate_row(z);
    for (int i = 0; i < 3001; i++) row[i] = (unsigned char)rnd();
    gdv_deflate_commit_row(z);
  }
  ck_assert_int_eq(gdv_deflate_finish(z), -1);
  ck_assert_int_ge(calls, 2);
  gdv_deflate_free(z);
}
END_TEST

int main(void) {
  Suite *s = suite_create("png");
  TCase *tc = tcase_create("png");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_png_patterns);
  tcase_add_test(tc, test_png_sizes);
  tcase_add_test(tc, test_png_same_bytes);
  tcase_add_test(tc, test_deflate_sink_fails);
  suite_add_tcase(s, tc);
  return gdv_check_run_suite(s);
}
