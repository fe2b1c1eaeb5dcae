/* gdv_anim.c: the frames of one layout in one file: an animated GIF
 * (gdv_gif.c: each frame drawn as the PNG would be) or a TikZ picture
 * whose frames are Beamer overlays (gdv_tikz.c). The caller hands over
 * the frames (render --steps' sequence) once a pass. */
#include <stdlib.h>

#include "render/gdv_render_int.h"

struct gdv_anim {
  gdv_figure_format fmt;
  const gdv_style *st;
  gdv_render_meta meta;
  int frame_cs, last_cs;     /* GIF delays, hundredths of a second */
  FILE *out;
  gdv_gif *gif;
  gdv_tikz *tikz;
};

/* A delay in GIF's hundredths of a second (16 bits). */
static int centiseconds(int ms) {
  int cs = (ms + 5) / 10;
  return cs < 1 ? 1 : cs > 65535 ? 65535 : cs;
}

/* See gdv_render.h. */
gdv_status gdv_anim_new(gdv_figure_format fmt, const gdv_style *st, const gdv_render_meta *meta,
                        int frame_ms, int last_ms, FILE *out, gdv_anim **a, gdv_error *err) {
  *a = NULL;
  if (fmt != GDV_FIGURE_GIF && fmt != GDV_FIGURE_TEX)
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "an animation is a GIF or a TikZ picture");
  gdv_anim *n = calloc(1, sizeof *n);
  if (n == NULL) return gdv_error_oom(err);
  n->fmt = fmt;
  n->st = st;
  if (meta) n->meta = *meta;
  n->frame_cs = centiseconds(frame_ms);
  n->last_cs = centiseconds(last_ms);
  n->out = out;
  if (fmt == GDV_FIGURE_GIF) {
    n->gif = gdv_gif_new();
  } else {
    char comment[256];
    snprintf(comment, sizeof comment, "%s%s%s", meta && meta->software ? meta->software : "gradviz",
             meta && meta->name ? ": " : "", meta && meta->name ? meta->name : "");
    n->tikz = gdv_tikz_new(comment);
  }
  if (n->gif == NULL && n->tikz == NULL) {
    free(n);
    return gdv_error_oom(err);
  }
  *a = n;
  return GDV_OK;
}

int gdv_anim_passes(const gdv_anim *a) { return a->fmt == GDV_FIGURE_GIF ? 2 : 1; }

/* GIF: the frame drawn on pixels, its colours counted (pass 0) or its
 * pixels written (pass 1, the last frame held longer); TEX: the frame as
 * the next overlay. */
gdv_status gdv_anim_frame(gdv_anim *a, int pass, const gdv_scene *frame, size_t k, size_t n,
                          gdv_error *err) {
  if (a->fmt == GDV_FIGURE_TEX) return gdv_tikz_frame(a->tikz, frame, a->st, err);
  gdv_render_canvas cv;
  gdv_status st = gdv_render_canvas_draw(frame, a->st, &a->meta, &cv, err);
  if (st == GDV_OK && pass == 0) st = gdv_gif_observe(a->gif, cv.surface, err);
  else if (st == GDV_OK)
    st = gdv_gif_add(a->gif, cv.surface, k + 1 == n ? a->last_cs : a->frame_cs, a->out, err);
  gdv_render_canvas_free(&cv);
  return st;
}

/* Completes the file. */
gdv_status gdv_anim_finish(gdv_anim *a, gdv_error *err) {
  if (a->fmt == GDV_FIGURE_TEX) return gdv_tikz_finish(a->tikz, a->out, 1, err);
  return gdv_gif_finish(a->gif, err);
}

void gdv_anim_free(gdv_anim *a) {
  if (a == NULL) return;
  gdv_gif_free(a->gif);
  gdv_tikz_free(a->tikz);
  free(a);
}
