/* gdv_measure.c: text metrics with Cairo, and box sizes from them. Sizes
 * come from unhinted metrics so that PNG, SVG and PDF agree. */
#include <math.h>
#include <string.h>

#include <fontconfig/fontconfig.h>

#include "render/gdv_render_int.h"

/* Fontconfig start-up without its template descriptions. FcInit (which
 * Cairo's first font lookup calls) also parses every file of conf.avail
 * only to list their descriptions (fc-conflist): two thirds of its time,
 * about 3 ms of a 20 ms figure. Loading the same configuration file
 * (FONTCONFIG_FILE or fonts.conf, with its conf.d) into our own config and
 * making it current gives Cairo the same fonts and rules. On any failure
 * fontconfig is left to FcInit. Once per process. */
static void fast_fontconfig(void) {
  static int done;
  if (done) return;
  done = 1;
  FcConfig *config = FcConfigCreate();
  if (config == NULL) return;
  if (!FcConfigParseAndLoad(config, NULL, FcTrue) || !FcConfigBuildFonts(config) ||
      !FcConfigSetCurrent(config)) {
    FcConfigDestroy(config);
    return;
  }
  FcConfigDestroy(config);  /* fontconfig holds its own reference */
}

/* Op symbols are 15% larger than the other node text so they stand out;
 * gdv_text_font takes its size from here, so measuring and drawing agree. */
double gdv_text_size(const gdv_style *st, gdv_text_context ctx, int kind) {
  switch (ctx) {
  case GDV_CTX_TITLE: return st->title_size;
  case GDV_CTX_EDGE: return st->edge_font_size;
  case GDV_CTX_LEGEND: return st->edge_font_size;
  case GDV_CTX_NODE:
    return kind == GDV_TEXT_OP ? st->font_size * 1.15 : st->font_size;
  default: return st->font_size;
  }
}

/* Rounded up to whole points, so box heights (and thus layouts) are the same
 * in every output format. */
double gdv_text_line_height(const gdv_style *st, gdv_text_context ctx) {
  double base = ctx == GDV_CTX_EDGE || ctx == GDV_CTX_LEGEND ? st->edge_font_size
              : ctx == GDV_CTX_TITLE ? st->title_size : st->font_size;
  return ceil(base * 1.3);
}

/* Hinting off and one antialias mode on every surface, so PNG, SVG and PDF
 * measure and draw text alike. */
void gdv_text_font_options(cairo_t *cr) {
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  cairo_set_font_options(cr, fo);
  cairo_font_options_destroy(fo);
}

/* Every font selection passes here, so fontconfig's fast start-up (once
 * per process) is done here; titles, node names and op symbols are bold. */
void gdv_text_font(cairo_t *cr, const gdv_style *st, gdv_text_context ctx,
                   int kind) {
  fast_fontconfig();
  int bold = ctx == GDV_CTX_TITLE || (ctx == GDV_CTX_NODE && kind == GDV_TEXT_NAME) ||
             (ctx == GDV_CTX_NODE && kind == GDV_TEXT_OP);
  cairo_select_font_face(cr, st->font, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, gdv_text_size(st, ctx, kind));
}

/* The advance, not the ink extent: pieces of text placed one after another
 * then line up, trailing spaces included. */
double gdv_text_width(cairo_t *cr, const char *text) {
  cairo_text_extents_t ex;
  cairo_text_extents(cr, text, &ex);
  return ex.x_advance;
}

/* Metrics need no real surface: a 1x1 image will do, kept alive by the
 * context, which the caller destroys. */
cairo_t *gdv_text_measure_context(void) {
  cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create(surf);
  cairo_surface_destroy(surf);
  gdv_text_font_options(cr);
  return cr;
}

/* Widest line of a list in a context. */
static double lines_width(cairo_t *cr, const gdv_style *st, gdv_text_context ctx,
                          const gdv_scene_line *lines, size_t n) {
  double w = 0;
  for (size_t i = 0; i < n; i++) {
    gdv_text_font(cr, st, ctx, lines[i].kind);
    double lw = gdv_text_width(cr, lines[i].text);
    if (lw > w) w = lw;
  }
  return w;
}

/* Only ever enlarges a box: a larger size set before layout (MNIST dots)
 * wins; a box is never narrower than it is tall. */
gdv_status gdv_scene_measure(gdv_scene *s, const gdv_style *st, gdv_error *err) {
  cairo_t *cr = gdv_text_measure_context();
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    cairo_destroy(cr);
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cairo: cannot measure text");
  }
  double lh = gdv_text_line_height(st, GDV_CTX_NODE);
  for (size_t i = 0; i < s->n_nodes; i++) {
    gdv_scene_node *n = &s->nodes[i];
    double w, h;
    if (n->shape == GDV_SHAPE_DOT) {
      /* a size set before layout wins: tens of thousands of dots need
       * less than a text line each */
      w = h = n->w > 0 ? n->w : st->font_size;
    } else {
      size_t nl = n->n_lines ? n->n_lines : 1;
      w = ceil(lines_width(cr, st, GDV_CTX_NODE, n->lines, n->n_lines) + 2 * st->node_pad);
      h = ceil(nl * lh + 2 * st->node_pad * (n->shape == GDV_SHAPE_PLAIN ? 0.5 : 0.75));
      if (w < h) w = h;
    }
    if (n->w < w) n->w = w;
    if (n->h < h) n->h = h;
  }
  double elh = gdv_text_line_height(st, GDV_CTX_EDGE);
  for (size_t i = 0; i < s->n_edges; i++) {
    gdv_scene_edge *e = &s->edges[i];
    if (e->n_lines == 0) {
      e->label_w = e->label_h = 0;
      continue;
    }
    e->label_w = ceil(lines_width(cr, st, GDV_CTX_EDGE, e->lines, e->n_lines) + 2 * GDV_EDGE_LABEL_PAD);
    e->label_h = ceil(e->n_lines * elh + 2 * GDV_EDGE_LABEL_PAD);
  }
  for (size_t i = 0; i < s->n_items; i++) {
    gdv_scene_item *it = &s->items[i];
    double tw = lines_width(cr, st, GDV_CTX_ITEM, it->lines, it->n_lines);
    double th = it->n_lines * lh;
    if (it->kind == GDV_ITEM_BOX || it->kind == GDV_ITEM_BADGE) {
      double pad = it->kind == GDV_ITEM_BOX ? st->node_pad * 1.5 : st->node_pad * 0.75;
      if (it->w < tw + 2 * pad) it->w = ceil(tw + 2 * pad);
      if (it->h < th + 2 * pad) it->h = ceil(th + 2 * pad);
    } else {
      /* a picture: 4 points a pixel unless the caller chose; the caption
       * goes below it */
      if (it->w <= 0) it->w = (double)it->px_w * 4;
      if (it->h <= 0) it->h = (double)it->px_h * 4 + th;
      if (it->w < tw) it->w = ceil(tw);
    }
  }
  cairo_destroy(cr);
  return GDV_OK;
}

/* Items without a position (x or y NaN) are stacked below the graph at its
 * left edge; the scene's extent grows to hold them. */
void gdv_layout_place_items(gdv_scene *s, const gdv_style *st) {
  double y = s->height, x = 0;
  int any = 0;
  for (size_t i = 0; i < s->n_items; i++) {
    gdv_scene_item *it = &s->items[i];
    if (!isnan(it->x) && !isnan(it->y)) continue;
    if (!any) y += st->node_sep;
    any = 1;
    it->x = x + it->w / 2;
    it->y = y + it->h / 2;
    y += it->h + st->node_sep / 2;
    if (it->w > s->width) s->width = it->w;
  }
  if (any) s->height = y;
}
