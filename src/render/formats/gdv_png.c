/* gdv_png.c: PNG files through libpng rather than Cairo's writer, because
 * a figure for slides should say its resolution (pHYs) and carry where it
 * came from (the software, and the source graph as compressed text). */
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "io/gdv_io.h"
#include "render/gdv_render_int.h"

/* libpng reports errors by longjmp; we turn them into a gdv_error. */
static void on_png_error(png_structp png, png_const_charp msg) {
  (void)msg;
  png_longjmp(png, 1);
}

/* Warnings are not worth a message on a figure. */
static void on_png_warning(png_structp png, png_const_charp msg) {
  (void)png;
  (void)msg;
}

/* One row of Cairo's native-endian 0xAARRGGBB words as PNG bytes: RGB for
 * an opaque figure (RGB24 ignores the top byte), else RGBA with the alpha
 * Cairo premultiplied divided out again, rounded ((c*255 + a/2)/a). */
static void pack_row(const uint32_t *px, int w, int alpha, png_bytep o) {
  if (!alpha) {
    for (int x = 0; x < w; x++, o += 3) {
      o[0] = (png_byte)(px[x] >> 16);
      o[1] = (png_byte)(px[x] >> 8);
      o[2] = (png_byte)px[x];
    }
    return;
  }
  for (int x = 0; x < w; x++, o += 4) {
    uint32_t v = px[x], a = v >> 24;
    uint32_t c[3] = {(v >> 16) & 255, (v >> 8) & 255, v & 255};
    for (int k = 0; k < 3; k++)
      o[k] = (png_byte)(a == 0 || a == 255 ? c[k] : (c[k] * 255 + a / 2) / a);
    o[3] = (png_byte)a;
  }
}

/* Our zlib stream goes out as IDAT chunks through libpng, which computes
 * their CRCs and reports write errors by longjmp like its own chunks. */
static int idat_sink(void *ctx, const unsigned char *data, size_t n) {
  png_write_chunk((png_structp)ctx, (png_const_bytep) "IDAT", data, n);
  return 0;
}

/* The metadata chunks as libpng writes them (see gdv_png_write). */
static void png_metadata(png_structp png, png_infop info, const gdv_render_meta *meta,
                         const char *title) {
  double dpi = meta && meta->dpi > 0 ? meta->dpi : 144;
  png_uint_32 ppm = (png_uint_32)lround(dpi / 0.0254);
  png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
  png_text text[3];
  int n = 0;
  memset(text, 0, sizeof text);
  if (meta && meta->software) {
    text[n].compression = PNG_TEXT_COMPRESSION_NONE;
    text[n].key = (png_charp) "Software";
    text[n].text = (png_charp)meta->software;
    n++;
  }
  if (title && *title) {
    text[n].compression = PNG_ITXT_COMPRESSION_NONE;
    text[n].key = (png_charp) "Title";
    text[n].text = (png_charp)title;
    text[n].lang = (png_charp) "";
    text[n].lang_key = (png_charp) "";
    n++;
  }
  if (meta && meta->source) {
    text[n].compression = PNG_ITXT_COMPRESSION_zTXt;
    text[n].key = (png_charp) "Source";
    text[n].text = (png_charp)meta->source;
    text[n].lang = (png_charp) "";
    text[n].lang_key = (png_charp) "";
    n++;
  }
  if (n) png_set_text(png, info, text, n);
}

/* Writes no tIME chunk: the same figure must give the same bytes. libpng
 * writes the signature and the metadata chunks; the pixels are compressed
 * by gdv_deflate (filter "none" on every row: flat colour compresses best
 * without row filters) and written as IDAT chunks, then IEND, through
 * libpng. libpng errors longjmp back to the setjmp here, which is why z is
 * volatile. An ARGB32 surface (a transparent background) gives an RGBA
 * PNG. */
gdv_status gdv_png_write(cairo_surface_t *surf, const gdv_render_meta *meta,
                         const char *title, FILE *out, gdv_error *err) {
  int w = cairo_image_surface_get_width(surf), h = cairo_image_surface_get_height(surf);
  int stride = cairo_image_surface_get_stride(surf);
  unsigned char *data = cairo_image_surface_get_data(surf);
  int alpha = cairo_image_surface_get_format(surf) == CAIRO_FORMAT_ARGB32;
  size_t channels = alpha ? 4 : 3;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, on_png_error, on_png_warning);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  gdv_deflate *volatile z = NULL;
  if (png == NULL || info == NULL) {
    png_destroy_write_struct(&png, info ? &info : NULL);
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "libpng: out of memory");
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    gdv_deflate_free((gdv_deflate *)z);
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "libpng: cannot write the image");
  }
  z = gdv_deflate_new((size_t)w * channels + 1, channels, idat_sink, png);
  if (z == NULL) png_error(png, "out of memory");
  png_init_io(png, out);
  png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
               alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_metadata(png, info, meta, title);
  png_write_info(png, info);
  for (int y = 0; y < h; y++) {
    /* packed RGB(A) by us straight into the encoder's window: libpng's
     * filler and BGR transforms cost more than this loop */
    unsigned char *row = gdv_deflate_row((gdv_deflate *)z);
    row[0] = 0;  /* filter: none */
    pack_row((const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride), w, alpha, row + 1);
    gdv_deflate_commit_row((gdv_deflate *)z);
  }
  gdv_deflate_finish((gdv_deflate *)z);
  png_write_chunk(png, (png_const_bytep) "IEND", NULL, 0);
  png_destroy_write_struct(&png, &info);
  gdv_deflate_free((gdv_deflate *)z);
  if (ferror(out)) return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the PNG");
  return GDV_OK;
}
