/* gdv_paint.c: the drawing primitives every part of a figure uses (nodes,
 * edges, the legend): colours, paths through a sink, rounded boxes, the
 * flow colour scale and the marks. A sink (gdv_render_to_sink) watches
 * the cairo context: each filled or stroked path is told to it, which is
 * how the SVG writer gets exactly what Cairo would draw. */
#include <math.h>
#include <string.h>

#include "render/gdv_render_int.h"

static cairo_user_data_key_t sink_key;

/* Sets a colour (with alpha). */
void gdv_render_set_rgba(cairo_t *cr, gdv_rgba c) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

/* Attaches a sink to cr: what is filled and stroked on it goes to the sink. */
void gdv_render_attach_sink(cairo_t *cr, gdv_draw_sink *sink) {
  cairo_set_user_data(cr, &sink_key, sink, NULL);
}

/* The sink watching cr (gdv_render_to_sink), or NULL. */
gdv_draw_sink *gdv_render_sink(cairo_t *cr) {
  return cairo_get_user_data(cr, &sink_key);
}

/* The colour of cr's source (a solid colour in every drawing here). */
static gdv_rgba source_colour(cairo_t *cr) {
  gdv_rgba c = {0, 0, 0, 1};
  cairo_pattern_get_rgba(cairo_get_source(cr), &c.r, &c.g, &c.b, &c.a);
  return c;
}

/* Written once for SVG and TikZ: the pairing of a fill with its stroke
 * halves a figure's shapes in either format. */
void gdv_kept_fill_flush(gdv_kept_fill *k) {
  if (!k->kept) return;
  k->kept = 0;
  if (k->path.s) k->put(k->w, k->path.s, &k->fill, NULL, NULL);
}

/* A fill of the same path as the stroke after it is the same box: one
 * shape with both. */
void gdv_kept_fill_paint(gdv_kept_fill *k, cairo_t *cr, int stroke, const char *path) {
  gdv_rgba c = source_colour(cr);
  if (!stroke) {
    gdv_kept_fill_flush(k);
    gdv_sbuf_clear(&k->path);
    gdv_sbuf_printf(&k->path, "%s", path);
    k->fill = c;
    k->kept = 1;
    return;
  }
  if (k->kept && k->path.s && strcmp(k->path.s, path) == 0) {
    k->kept = 0;
    k->put(k->w, path, &k->fill, cr, &c);
    return;
  }
  gdv_kept_fill_flush(k);
  k->put(k->w, path, NULL, cr, &c);
}

/* With a sink the path is told, then dropped unless kept: nothing is drawn,
 * so the 1x1 surface behind a sink costs nothing. */
void gdv_render_fill(cairo_t *cr, int preserve) {
  gdv_draw_sink *sink = gdv_render_sink(cr);
  if (sink == NULL) {
    if (preserve) cairo_fill_preserve(cr);
    else cairo_fill(cr);
    return;
  }
  sink->paint(sink->ctx, cr, 0);
  if (!preserve) cairo_new_path(cr);
}

/* Strokes like gdv_render_fill fills. */
void gdv_render_stroke(cairo_t *cr) {
  gdv_draw_sink *sink = gdv_render_sink(cr);
  if (sink == NULL) {
    cairo_stroke(cr);
    return;
  }
  sink->paint(sink->ctx, cr, 1);
  cairo_new_path(cr);
}

/* Mixes two colours: t = 0 gives a, 1 gives b. */
gdv_rgba gdv_render_mix(gdv_rgba a, gdv_rgba b, double t) {
  gdv_rgba c = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t,
                a.b + (b.b - a.b) * t, a.a + (b.a - a.a) * t};
  return c;
}

/* Strokes the current path in colour c, dashed (4 points on, `gap` off)
 * when gap > 0; leaves c as the source for an arrowhead. */
void gdv_render_stroke_path(cairo_t *cr, gdv_rgba c, double width, double gap) {
  gdv_render_set_rgba(cr, c);
  cairo_set_line_width(cr, width);
  if (gap > 0) {
    double d[] = {4, gap};
    cairo_set_dash(cr, d, 2, 0);
  }
  gdv_render_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0);
}

/* A rounded rectangle path (node boxes, legend swatches and box). */
void gdv_render_rounded(cairo_t *cr, double x, double y, double w, double h, double r) {
  if (r > w / 2) r = w / 2;
  if (r > h / 2) r = h / 2;
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
  cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
  cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
  cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
  gdv_draw_sink *sink = gdv_render_sink(cr);
  if (sink) sink->rounded(sink->ctx, cr, x, y, w, h, r);
}

/* One mapping from |gradient| to colour for every drawing of flow (Cairo
 * edges here, the MNIST figure's own lines): logarithmic between lo and
 * hi, so that 1e-6 and 1e-3 differ as much as 1e-3 and 1. */
double gdv_render_flow_colour(const gdv_style *st, double lo, double hi,
                              double w, gdv_rgba *colour) {
  double t;
  *colour = st->edge;
  if (!(w > 0) || !isfinite(w)) {
    if (w != 0) return -1;
    t = 0;
  } else if (hi <= lo) {
    t = 1;
  } else {
    t = (log10(w) - log10(lo)) / (log10(hi) - log10(lo));
    t = t < 0 ? 0 : t > 1 ? 1 : t;
  }
  *colour = gdv_render_mix(st->flow_lo, st->flow_hi, t);
  return t;
}

/* Whether node n's NaN/infinity mark is drawn: only once the number that
 * is not finite is shown (a forward frame does not yet know that a
 * gradient will be infinite). */
int gdv_render_nonfinite_shown(const gdv_scene_node *n) {
  if (!(n->flags & GDV_NODE_NONFINITE)) return 0;
  return (n->flags & (n->flags & GDV_NODE_NONFINITE_VALUE ? GDV_NODE_VALUE_KNOWN
                                                          : GDV_NODE_GRAD_KNOWN)) != 0;
}

/* Draws the mark: filled with a '!' cut out where the NaN or infinity
 * arises, hollow where it arrived from a neighbour. Shape, not colour,
 * tells them apart, so greyscale prints keep the difference. */
void gdv_render_draw_mark(cairo_t *cr, const gdv_style *st, double cx, double cy, double r,
                          int filled) {
  cairo_new_path(cr);
  cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
  gdv_render_set_rgba(cr, filled ? st->nonfinite : st->background);
  gdv_render_fill(cr, 1);
  gdv_render_stroke_path(cr, st->nonfinite, r * 0.22, 0);
  gdv_render_set_rgba(cr, filled ? st->background : st->nonfinite);
  cairo_set_line_width(cr, r * 0.3);
  cairo_move_to(cr, cx, cy - r * 0.55);
  cairo_line_to(cr, cx, cy + r * 0.12);
  gdv_render_stroke(cr);
  cairo_arc(cr, cx, cy + r * 0.5, r * 0.16, 0, 2 * M_PI);
  gdv_render_fill(cr, 0);
}

/* Draws it: a filled square with a cross cut out. A square, not the NaN
 * mark's disc, so a greyscale print still tells the two apart. */
void gdv_render_draw_cross(cairo_t *cr, const gdv_style *st, double cx, double cy, double r) {
  cairo_new_path(cr);
  cairo_rectangle(cr, cx - r, cy - r, 2 * r, 2 * r);
  gdv_render_set_rgba(cr, st->recorded_wrong);
  gdv_render_fill(cr, 0);  /* through the sink: the SVG draws it too */
  gdv_render_set_rgba(cr, st->background);
  cairo_set_line_width(cr, r * 0.3);
  cairo_move_to(cr, cx - r * 0.5, cy - r * 0.5);
  cairo_line_to(cr, cx + r * 0.5, cy + r * 0.5);
  cairo_move_to(cr, cx + r * 0.5, cy - r * 0.5);
  cairo_line_to(cr, cx - r * 0.5, cy + r * 0.5);
  gdv_render_stroke(cr);
}
