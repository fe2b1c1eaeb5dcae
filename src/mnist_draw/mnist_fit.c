/* mnist_fit.c: a figure is legible on a slide when, scaled to fit it, its
 * smallest node or edge text keeps GDV_MNIST_LEGIBLE_PT; one that does not
 * can still be read over several slides, each a tile of it at that size. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnist_draw/mnist_fit.h"

/* The smallest text drawn on a node or an edge (dots carry none). */
static double smallest_text(const gdv_scene *s, const gdv_style *st) {
  double least = INFINITY;
  for (size_t i = 0; i < s->n_nodes; i++) {
    const gdv_scene_node *n = &s->nodes[i];
    if (n->n_lines && n->shape != GDV_SHAPE_DOT &&
        !(n->flags & (GDV_NODE_HIDDEN | GDV_NODE_HIDE_TEXT)) && st->font_size < least)
      least = st->font_size;
  }
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *e = &s->edges[i];
    if (e->n_lines && e->label_w > 0 && !(e->flags & GDV_EDGE_HIDDEN) &&
        st->edge_font_size < least)
      least = st->edge_font_size;
  }
  return isfinite(least) ? least : 0;
}

/* The natural size comes from the scene without its page (the page's
 * extent would only add the margins of its aspect). */
gdv_status gdv_mnist_fit_measure(const gdv_scene *s, const gdv_style *st, gdv_mnist_fit *fit,
                                 gdv_error *err) {
  gdv_scene *natural = (gdv_scene *)s;  /* the page is put back below */
  gdv_page page = s->page;
  gdv_page_none(&natural->page);
  gdv_status status = gdv_render_figure_size(natural, st, &fit->width, &fit->height, err);
  natural->page = page;
  if (status) return status;
  fit->smallest = smallest_text(s, st);
  fit->cols = fit->rows = 1;
  if (!(page.width > 0)) {
    fit->scale = 1;
    fit->text_on_page = fit->smallest;
    fit->legible = 1;
    return GDV_OK;
  }
  double ew, eh, to_page = gdv_page_fit(&page, fit->width, fit->height, &ew, &eh);
  fit->text_on_page = fit->smallest * to_page;
  fit->legible = fit->smallest == 0 || fit->text_on_page >= GDV_MNIST_LEGIBLE_PT - 1e-9;
  /* the least scale that makes the text legible, then as large as the
   * grid of pages it needs allows */
  double scale = fit->legible ? to_page : GDV_MNIST_LEGIBLE_PT / fit->smallest;
  fit->cols = (size_t)ceil(fit->width * scale / page.width - 1e-9);
  fit->rows = (size_t)ceil(fit->height * scale / page.height - 1e-9);
  if (fit->cols < 1) fit->cols = 1;
  if (fit->rows < 1) fit->rows = 1;
  fit->scale = fmin((double)fit->cols * page.width / fit->width,
                    (double)fit->rows * page.height / fit->height);
  return GDV_OK;
}

/* The number after "KEY": in the dump's measures object, or NAN. */
static double measure_value(const char *measures, const char *key) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\": ", key);
  const char *p = strstr(measures, pat);
  if (!p) return NAN;
  p += strlen(pat);
  if (strncmp(p, "true", 4) == 0) return 1;
  if (strncmp(p, "false", 5) == 0) return 0;
  return strtod(p, NULL);
}

/* The render layer measures a drawing for --dump-layout as legible.py
 * does; its public door is the dump, so the dump is written to memory and
 * its first object, the measures, read back. */
gdv_status gdv_mnist_fit_slide(const gdv_scene *s, const gdv_style *st, gdv_mnist_slide *out,
                               gdv_error *err) {
  char *buf = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&buf, &size);
  if (!f) return gdv_error_oom(err);
  gdv_status status = gdv_render_dump_layout(s, st, NULL, f, err);
  if (fclose(f) != 0 && !status) status = gdv_error_oom(err);
  if (status) {
    free(buf);
    return status;
  }
  const char *m = strstr(buf, "\"measures\": {");
  const char *end = m ? strchr(m, '}') : NULL;
  if (!end) {
    free(buf);
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "the layout dump has no measures");
  }
  buf[end - buf] = '\0';
  out->px_per_em = measure_value(m, "px_per_em");
  out->overlaps = measure_value(m, "overlaps");
  out->through = measure_value(m, "through");
  out->short_labels = measure_value(m, "short_labels");
  out->labelled = measure_value(m, "labelled");
  out->legend_share = measure_value(m, "legend_share");
  out->legible = measure_value(m, "legible") == 1;
  free(buf);
  return GDV_OK;
}
