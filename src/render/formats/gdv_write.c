/* gdv_write.c: a laid-out scene written as a figure file: PNG through the
 * drawing's canvas and libpng, SVG through its sink, PDF streamed by
 * Cairo. Every format is drawn by the same code (draw/), so the files
 * agree. */
#include <stdio.h>
#include <stdlib.h>

#include <cairo.h>

#include "render/gdv_render_int.h"

/* A GIF of the one figure: an animation of one frame. */
static gdv_status write_gif(const gdv_scene *s, const gdv_style *st, const gdv_render_meta *meta,
                            FILE *out, gdv_error *err) {
  gdv_anim *a;
  gdv_status status = gdv_anim_new(GDV_FIGURE_GIF, st, meta, 0, 0, out, &a, err);
  for (int pass = 0; status == GDV_OK && pass < 2; pass++)
    status = gdv_anim_frame(a, pass, s, 0, 1, err);
  if (status == GDV_OK) status = gdv_anim_finish(a, err);
  gdv_anim_free(a);
  return status;
}

/* The figure as one TikZ picture, without overlays. */
static gdv_status write_tikz(const gdv_scene *s, const gdv_style *st, const gdv_render_meta *meta,
                             FILE *out, gdv_error *err) {
  char comment[256];
  snprintf(comment, sizeof comment, "%s%s%s", meta->software ? meta->software : "gradviz",
           meta->name ? ": " : "", meta->name ? meta->name : "");
  gdv_tikz *w = gdv_tikz_new(comment);
  if (w == NULL) return gdv_error_oom(err);
  gdv_status status = gdv_tikz_frame(w, s, st, err);
  if (status == GDV_OK) status = gdv_tikz_finish(w, out, 0, err);
  gdv_tikz_free(w);
  return status;
}

/* Same scene, same bytes: PNG goes through the canvas and gdv_png_write,
 * SVG is written by gdv_svg_write from the same drawing code, PDF is
 * streamed by Cairo (its date pinned). DOT is not drawn here. */
gdv_status gdv_render_write(const gdv_scene *s, const gdv_style *st,
                            gdv_figure_format fmt, const gdv_render_meta *meta,
                            FILE *out, gdv_error *err) {
  gdv_render_meta defaults = {144, NULL, NULL, NULL, NULL, NULL, NULL};
  if (meta == NULL) meta = &defaults;
  const char *title = meta->title ? meta->title : s->title;
  if (fmt == GDV_FIGURE_PNG) {
    gdv_render_canvas cv;
    gdv_status status = gdv_render_canvas_draw(s, st, meta, &cv, err);
    if (!status) status = gdv_png_write(cv.surface, meta, title, out, err);
    gdv_render_canvas_free(&cv);
    return status;
  }
  if (fmt == GDV_FIGURE_SVG) {
    gdv_svg_options so = {meta->id_prefix, meta->graph, meta->name, 0};
    gdv_sbuf b = {0};
    gdv_status status = gdv_svg_write(s, st, &so, &b, err);
    if (!status && fwrite(b.s, 1, b.n, out) != b.n)
      status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the SVG");
    free(b.s);
    return status;
  }
  if (fmt == GDV_FIGURE_GIF) return write_gif(s, st, meta, out, err);
  if (fmt == GDV_FIGURE_TEX) return write_tikz(s, st, meta, out, err);
  if (fmt != GDV_FIGURE_PDF)
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "gdv_render_write: DOT is written by gdv_render_write_dot");
  /* the page takes the figure's size when it is drawn */
  cairo_surface_t *surf = gdv_render_pdf_stream(out, 1, 1, meta->software, title);
  gdv_status status = GDV_OK;
  if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
    status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cairo: %s",
                           cairo_status_to_string(cairo_surface_status(surf)));
    cairo_surface_destroy(surf);
    return status;
  }
  status = gdv_render_pdf_page(s, st, surf, err);
  cairo_surface_finish(surf);
  cairo_status_t cs = cairo_surface_status(surf);
  cairo_surface_destroy(surf);
  if (status == GDV_OK && cs != CAIRO_STATUS_SUCCESS)
    status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cairo: %s", cairo_status_to_string(cs));
  return status;
}
