/* gdv_page.c: the page a figure is made for (--page). A page fixes the PDF
 * page size and the aspect of every format; the figure is scaled to fit it,
 * and the layout aims for its aspect. Names and sizes are the ones a
 * teacher meets: a 16:9 slide, a beamer frame, a printed page. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

#define MM (72.0 / 25.4)

/* The named pages. slide is PowerPoint's and Keynote's 16:9 (13.333 x 7.5
 * in), so a PNG at the default 144 dpi is exactly 1920 x 1080 pixels;
 * beamer is Beamer's default 4:3 frame, beamer169 its aspectratio=169
 * frame (160 x 90 mm). */
static const struct page_name {
  const char *name;
  double width, height;     /* points */
} page_names[] = {
  {"slide", 960, 540},
  {"beamer", 128 * MM, 96 * MM},
  {"beamer169", 160 * MM, 90 * MM},
  {"a4", 210 * MM, 297 * MM},
  {"a4-landscape", 297 * MM, 210 * MM},
  {"letter", 612, 792},
  {"letter-landscape", 792, 612},
};

/* The figure's natural size, as before pages existed. */
void gdv_page_none(gdv_page *page) {
  memset(page, 0, sizeof *page);
  snprintf(page->name, sizeof page->name, "none");
}

/* A named page; returns 0 when the name is unknown. */
static int page_named(const char *name, gdv_page *page) {
  for (size_t i = 0; i < sizeof page_names / sizeof page_names[0]; i++)
    if (strcmp(name, page_names[i].name) == 0) {
      memset(page, 0, sizeof *page);
      page->width = page_names[i].width;
      page->height = page_names[i].height;
      page->max_scale = GDV_PAGE_MAX_SCALE;
      snprintf(page->name, sizeof page->name, "%s", name);
      return 1;
    }
  return 0;
}

/* Points per unit; px are the PNG's pixels at dpi. 0 when unknown. */
static double unit_points(const char *unit, double dpi) {
  if (strcmp(unit, "pt") == 0) return 1;
  if (strcmp(unit, "mm") == 0) return MM;
  if (strcmp(unit, "cm") == 0) return 10 * MM;
  if (strcmp(unit, "in") == 0) return 72;
  if (strcmp(unit, "px") == 0) return 72.0 / (dpi > 0 ? dpi : 144);
  return 0;
}

/* "WxH" with one unit at the end ("1920x1080px", "16x9in"); both sides
 * between 1 point and 200 inches. */
static int page_sized(const char *spec, double dpi, gdv_page *page) {
  char *end;
  double w = strtod(spec, &end);
  if (end == spec || (*end != 'x' && *end != 'X')) return 0;
  const char *rest = end + 1;
  double h = strtod(rest, &end);
  if (end == rest) return 0;
  double unit = unit_points(end, dpi);
  if (unit == 0 || !isfinite(w) || !isfinite(h)) return 0;
  w *= unit;
  h *= unit;
  if (!(w >= 1 && h >= 1 && w <= 14400 && h <= 14400)) return 0;
  memset(page, 0, sizeof *page);
  page->width = w;
  page->height = h;
  page->max_scale = GDV_PAGE_MAX_SCALE;
  snprintf(page->name, sizeof page->name, "%.6gx%.6gpt", w, h);
  return 1;
}

/* One message for every way a page can be wrong, listing what is right. */
gdv_status gdv_page_parse(const char *spec, double dpi, gdv_page *page, gdv_error *err) {
  if (strcmp(spec, "none") == 0) {
    gdv_page_none(page);
    return GDV_OK;
  }
  if (page_named(spec, page) || page_sized(spec, dpi, page)) return GDV_OK;
  return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                       "unknown page '%s' (slide, beamer, beamer169, a4, letter, a4-landscape, "
                       "letter-landscape, none, or WxH with px, pt, mm, cm or in)", spec);
}

/* Graphviz's size="W,H" (inches; one number for both) is the largest the
 * drawing may be; with '!' it is also scaled up to fill it. So it reads as
 * a page that a figure never grows into unless '!' says so. */
int gdv_page_from_graphviz_size(const char *size, gdv_page *page) {
  char *end;
  double w = strtod(size, &end), h = w;
  if (end == size) return 0;
  while (*end == ' ') end++;
  if (*end == ',') {
    const char *rest = end + 1;
    h = strtod(rest, &end);
    if (end == rest) return 0;
  }
  while (*end == ' ') end++;
  int fill = *end == '!';
  if (fill) end++;
  if (*end != '\0' || !(w > 0 && h > 0 && w <= 200 && h <= 200)) return 0;
  memset(page, 0, sizeof *page);
  page->width = w * 72;
  page->height = h * 72;
  page->max_scale = fill ? GDV_PAGE_MAX_SCALE : 1;
  snprintf(page->name, sizeof page->name, "size=%.6g,%.6g%s", w, h, fill ? "!" : "");
  return 1;
}

/* The legibility measures count pixels per em with the figure fitted to a
 * 1920x1080 slide: text of `points` on this page is that many px/em. */
double gdv_page_px_per_em(const gdv_page *page, double points) {
  if (!(page->width > 0 && page->height > 0)) return points * 2;  /* 1920 px / 960 pt */
  return points * fmin(1920.0 / page->width, 1080.0 / page->height);
}

/* What the planner calls legible on this page: --text-size's, else 18
 * px/em (9 pt on a slide). */
double gdv_page_legible_px(const gdv_page *page) {
  return page->legible_px > 0 ? page->legible_px : GDV_LEGIBLE_PX_PER_EM;
}

/* Node and edge text only: titles and legends are larger or smaller by
 * choice and do not make a figure unreadable. */
double gdv_page_text_share(const gdv_scene *s, const gdv_style *st, double scale) {
  double font = st->font_size < st->edge_font_size ? st->font_size : st->edge_font_size;
  return s->page.height > 0 ? font * scale / s->page.height : 0;
}

/* The figure of natural size w x h points drawn on the page: how much it
 * is scaled and the extent, in figure points, that has the page's aspect
 * and holds it centred. Without a page: scale 1 and the figure itself. */
double gdv_page_fit(const gdv_page *page, double w, double h, double *ext_w, double *ext_h) {
  if (!(page->width > 0 && page->height > 0)) {
    *ext_w = w;
    *ext_h = h;
    return 1;
  }
  double aspect = page->width / page->height;
  double ew = w;
  if (h * aspect > ew) ew = h * aspect;
  if (page->max_scale > 0 && page->width / page->max_scale > ew)
    ew = page->width / page->max_scale;
  *ext_w = ew;
  *ext_h = ew / aspect;
  return page->width / ew;
}
