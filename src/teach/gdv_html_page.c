/* gdv_html_page.c: the interactive pages (-o FIG.html) assembled from
 * what the other layers make: the figure's SVG (render), the --steps
 * frames (gdv_frames_each, the very frames `render --steps` writes) and,
 * for the MNIST figure, which graph nodes each drawn unit stands for.
 * The page itself (markup, data, script) is render's gdv_html_write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnist_draw/gdv_mnist_draw.h"
#include "teach/gdv_teach.h"


/* The frames' SVG texts and titles, as gdv_frames_each hands them over. */
typedef struct frame_texts {
  char **svg, **title;
  size_t n;
  size_t bytes;            /* SVG text so far */
  int too_big;             /* over GDV_HTML_FRAMES_BYTES: no steps */
  const gdv_style *style;
  const gdv_graph *g;
  const char *name;
  char prefix[112];
} frame_texts;

/* Frees the texts (also a half-filled set). */
static void frame_texts_free(frame_texts *ft) {
  for (size_t k = 0; k < ft->n; k++) {
    free(ft->svg[k]);
    free(ft->title[k]);
  }
  free(ft->svg);
  free(ft->title);
  ft->svg = ft->title = NULL;
  ft->n = 0;
}

/* Keeps frame k as SVG text and its title (the chain rule). A sequence
 * past the size limit stops here with too_big set. */
static gdv_status keep_frame(void *ctx, const gdv_scene *s, size_t k, size_t n,
                             gdv_error *err) {
  frame_texts *ft = ctx;
  if (ft->svg == NULL) {
    ft->svg = calloc(n, sizeof *ft->svg);
    ft->title = calloc(n, sizeof *ft->title);
    if (!ft->svg || !ft->title) return gdv_error_oom(err);
  }
  char *svg;
  gdv_status st = gdv_render_svg_string(s, ft->style, ft->g, ft->prefix, ft->name, &svg, err);
  if (st) return st;
  ft->svg[k] = svg;
  ft->n = k + 1;
  if ((ft->title[k] = strdup(s->title ? s->title : "")) == NULL) return gdv_error_oom(err);
  ft->bytes += strlen(svg);
  if (ft->bytes > GDV_HTML_FRAMES_BYTES) {
    ft->too_big = 1;
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "the frames pass %d bytes",
                         GDV_HTML_FRAMES_BYTES);
  }
  return GDV_OK;
}

/* The frames of --steps for the page: none when the graph has more steps
 * than --steps draws, or their SVG passes the size limit (*steps_left
 * says so; the page is still written, without steps). */
static gdv_status page_frames(const gdv_graph *g, const gdv_frames_options *fo,
                              frame_texts *ft, int *steps_left, gdv_error *err) {
  gdv_frame_plan plan;
  *steps_left = 0;
  if (fo->figure == NULL) return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "a page's steps need its figure");
  gdv_status st = gdv_frames_plan(g, fo->figure, fo->by, &plan, err);
  if (st) return st;
  size_t n_steps = plan.n_steps;
  gdv_frames_plan_free(&plan);
  if (n_steps > GDV_FRAMES_MAX) {
    *steps_left = 1;
    return GDV_OK;
  }
  size_t n;
  st = gdv_frames_each(g, fo, keep_frame, ft, &n, err);
  if (st && ft->too_big) {
    frame_texts_free(ft);
    gdv_error_clear(err);
    *steps_left = 1;
    return GDV_OK;
  }
  return st;
}

/* The page of an evaluated graph: the finished figure (a laid-out scene),
 * every frame of --steps, and every node's numbers. */
gdv_status gdv_html_page_graph(const gdv_graph *g, const gdv_scene *figure,
                               const gdv_frames_options *fo, const char *id_prefix,
                               const char *name, const char *title, int *steps_left, FILE *f,
                               gdv_error *err) {
  frame_texts ft;
  memset(&ft, 0, sizeof ft);
  ft.style = fo->style;
  ft.g = g;
  ft.name = name;
  /* the figure's ids start with the prefix, the frames' with the prefix
   * and "step-": both are in the page at once */
  char prefix[96];
  gdv_svg_prefix(id_prefix, prefix, sizeof prefix);
  snprintf(ft.prefix, sizeof ft.prefix, "%sstep-", prefix);
  char *svg = NULL;
  gdv_status st = gdv_render_svg_string(figure, fo->style, g, prefix, name, &svg, err);
  if (st == GDV_OK) st = page_frames(g, fo, &ft, steps_left, err);
  if (st == GDV_OK) {
    gdv_html_doc doc = {title, svg, g, ft.svg, ft.title, ft.n, NULL, NULL, NULL, 0,
                        figure->precision};
    st = gdv_html_write(&doc, f, err);
  }
  free(svg);
  frame_texts_free(&ft);
  return st;
}

/* Drawn MNIST unit -> its graph nodes: unit j of layer c (drawn "a<c>_<j>")
 * stands for its sum z and its activation a; input k (drawn "x<k>") for
 * the input leaf. Ellipses stand for many nodes: none listed. */
static gdv_status mnist_units(const gdv_mnist_net *net, const gdv_mnist_view *view,
                              gdv_html_doc *doc, gdv_error *err) {
  size_t n = 0, k = 0;
  for (size_t c = 0; c < view->n_columns; c++) n += view->column[c].n_units;
  char **ids = calloc(n ? n : 1, sizeof *ids);
  gdv_id *sum = calloc(n ? n : 1, sizeof *sum), *act = calloc(n ? n : 1, sizeof *act);
  doc->unit_id = ids;
  doc->unit_sum = sum;
  doc->unit_act = act;
  if (!ids || !sum || !act) return gdv_error_oom(err);
  for (size_t c = 0; c < view->n_columns; c++)
    for (size_t u = 0; u < view->column[c].n_units; u++) {
      const gdv_mnist_vunit *vu = &view->column[c].unit[u];
      if (vu->ellipsis) continue;
      char id[64];
      if (c) snprintf(id, sizeof id, "a%zu_%zu", c, vu->first);
      else snprintf(id, sizeof id, "x%zu", vu->first);
      if ((ids[k] = strdup(id)) == NULL) return gdv_error_oom(err);
      sum[k] = c ? net->layer[c].sum[vu->first] : GDV_NONE;
      act[k] = c ? net->layer[c].act[vu->first] : net->input[vu->first];
      doc->n_units = ++k;
    }
  return GDV_OK;
}

/* Frees what mnist_units made. */
static void mnist_units_free(gdv_html_doc *doc) {
  for (size_t k = 0; k < doc->n_units; k++) free(doc->unit_id[k]);
  free((void *)doc->unit_id);
  free((void *)doc->unit_sum);
  free((void *)doc->unit_act);
}

/* The MNIST figure's page: the figure gdv_mnist_draw would draw (the page
 * pans and zooms, so no view is refused for its size), the whole graph's
 * numbers, and no steps (--steps is for small graphs). */
gdv_status gdv_html_page_mnist(const gdv_mnist_net *net, const gdv_mnist_view *view,
                               const gdv_mnist_draw_options *opt, const char *id_prefix,
                               FILE *f, gdv_error *err) {
  gdv_style style;
  gdv_scene *s = NULL;
  char *svg = NULL;
  gdv_html_doc doc;
  memset(&doc, 0, sizeof doc);
  char prefix[96];
  gdv_svg_prefix(id_prefix, prefix, sizeof prefix);
  gdv_status st = gdv_mnist_scene(net, view, opt, &style, &s, err);
  if (st == GDV_OK) st = gdv_render_svg_string(s, &style, NULL, prefix, "mnist", &svg, err);
  if (st == GDV_OK) st = mnist_units(net, view, &doc, err);
  if (st == GDV_OK) {
    doc.title = opt->title;
    doc.figure_svg = svg;
    doc.graph = net->g;
    doc.precision = opt->precision > 0 ? opt->precision : 3;
    st = gdv_html_write(&doc, f, err);
  }
  mnist_units_free(&doc);
  free(svg);
  gdv_scene_free(s);
  return st;
}
