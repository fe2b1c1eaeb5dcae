/* gdv_html.c: the interactive page (-o FIG.html): one self-contained file
 * holding the figure as inline SVG, the --steps frames, the evaluated
 * graph's numbers and the page's own style sheet and script. The script
 * and style are real source files (src/render/formats/html/), built in through
 * the generated gdv_html_assets.h (made by src/render/local.mk), so the
 * page works offline and needs nothing installed beside the binary. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/gdv_io.h"
#include "render/formats/gdv_html_assets.h"  /* built from formats/html/ */
#include "render/gdv_render_int.h"

/* Text inside an HTML element: the three characters HTML reads as markup. */
void gdv_html_text(FILE *f, const char *s) {
  for (; *s; s++) {
    if (*s == '&') fputs("&amp;", f);
    else if (*s == '<') fputs("&lt;", f);
    else if (*s == '>') fputs("&gt;", f);
    else fputc(*s, f);
  }
}

/* A JSON string that can stand inside a <script> element (see
 * gdv_json_string_in). */
static void script_string(FILE *f, const char *s) {
  gdv_json_string_in(f, s, 1);
}

/* One array of per-node or per-edge numbers, by eval's number writer
 * (the shortest text that reads back to the same double; null when not
 * finite), so inspect() returns eval's doubles. */
static void number_array(FILE *f, const char *key, const double *x, size_t n) {
  fprintf(f, ",\n\"%s\": [", key);
  for (size_t i = 0; i < n; i++) {
    if (i) fputc(',', f);
    gdv_json_number(f, x[i]);
  }
  fputc(']', f);
}

/* Where x has a number JSON cannot hold, its figure text ("NaN", "∞",
 * "−∞") by index, so the page prints what the figure prints while
 * inspect() keeps eval's null. */
static void nonfinite_map(FILE *f, const char *key, const double *x, size_t n) {
  fprintf(f, ",\n\"%s\": {", key);
  int first = 1;
  for (size_t i = 0; i < n; i++) {
    if (isfinite(x[i])) continue;
    char buf[GDV_NUMBER_MAX];
    fprintf(f, first ? "\"%zu\": " : ", \"%zu\": ", i);
    script_string(f, gdv_figure_number(x[i], 4, buf, sizeof buf));
    first = 0;
  }
  fputc('}', f);
}

/* The graph as the script reads it: names, ops and numbers per node, and
 * per edge its operand (edges are grouped by consumer, so argStart gives
 * each node's in-edges, in eval's edge order). */
static void graph_json(FILE *f, const gdv_graph *g) {
  fprintf(f, "{\"output\": %zu,\n\"ids\": [", (size_t)g->output);
  for (size_t v = 0; v < g->n_nodes; v++) {
    if (v) fputc(',', f);
    script_string(f, g->name[v]);
  }
  fputs("],\n\"labels\": [", f);
  for (size_t v = 0; v < g->n_nodes; v++) {
    const char *label = gdv_graph_display_name(g, (gdv_id)v);
    if (v) fputc(',', f);
    if (strcmp(label, g->name[v]) == 0) fputc('0', f);
    else script_string(f, label);
  }
  fputs("],\n\"ops\": [", f);
  for (size_t v = 0; v < g->n_nodes; v++) {
    if (v) fputc(',', f);
    script_string(f, g->op[v] == GDV_OP_LEAF ? "" : gdv_op_get((gdv_op)g->op[v])->name);
  }
  fputs("],\n\"reaches\": [", f);
  for (size_t v = 0; v < g->n_nodes; v++) fprintf(f, v ? ",%d" : "%d", g->reaches[v] ? 1 : 0);
  fputc(']', f);
  number_array(f, "value", g->value, g->n_nodes);
  number_array(f, "grad", g->grad, g->n_nodes);
  fputs(",\n\"argStart\": [", f);
  for (size_t v = 0; v <= g->n_nodes; v++) fprintf(f, v ? ",%zu" : "%zu", (size_t)g->arg_start[v]);
  fputs("],\n\"from\": [", f);
  for (size_t e = 0; e < g->n_edges; e++) fprintf(f, e ? ",%zu" : "%zu", (size_t)g->edge_from[e]);
  fputc(']', f);
  number_array(f, "local", g->edge_local, g->n_edges);
  number_array(f, "egrad", g->edge_grad, g->n_edges);
  nonfinite_map(f, "valueText", g->value, g->n_nodes);
  nonfinite_map(f, "gradText", g->grad, g->n_nodes);
  nonfinite_map(f, "localText", g->edge_local, g->n_edges);
  nonfinite_map(f, "egradText", g->edge_grad, g->n_edges);
  fputs("}", f);
}

/* Drawn node id -> [sum, act] graph node indices (-1: none). */
static void units_json(FILE *f, const gdv_html_doc *d) {
  fputc('{', f);
  for (size_t i = 0; i < d->n_units; i++) {
    if (i) fputs(",\n", f);
    script_string(f, d->unit_id[i]);
    fprintf(f, ": [%ld, %ld]", d->unit_sum[i] == GDV_NONE ? -1L : (long)d->unit_sum[i],
            d->unit_act[i] == GDV_NONE ? -1L : (long)d->unit_act[i]);
  }
  fputc('}', f);
}

/* Everything the script needs, as one JSON object in a data element
 * (parsed once; never run as code). */
static void page_data(FILE *f, const gdv_html_doc *d) {
  fprintf(f, "{\"precision\": %d,\n\"graph\": ", d->precision > 0 ? d->precision : 4);
  graph_json(f, d->graph);
  fputs(",\n\"units\": ", f);
  units_json(f, d);
  fputs(",\n\"titles\": [", f);
  for (size_t k = 0; k < d->n_frames; k++) {
    if (k) fputs(",\n", f);
    script_string(f, d->frame_title[k] ? d->frame_title[k] : "");
  }
  fputs("],\n\"frames\": [", f);
  for (size_t k = 0; k < d->n_frames; k++) {
    if (k) fputs(",\n", f);
    script_string(f, d->frame_svg[k]);
  }
  fputs("]}", f);
}

/* The SVG from its root element on: an XML declaration or DOCTYPE has no
 * place inside HTML. */
static const char *svg_root(const char *svg) {
  const char *p = strstr(svg, "<svg");
  return p ? p : svg;
}

/* The page: the content security policy forbids every request (the page
 * is self-contained by construction, not by care), then the figure, its
 * data and the script that makes it interactive. */
gdv_status gdv_html_write(const gdv_html_doc *d, FILE *f, gdv_error *err) {
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"gradviz\">\n<title>", f);
  gdv_html_text(f, d->title && d->title[0] ? d->title : "gradviz figure");
  fputs("</title>\n<style>\n", f);
  fputs(gdv_html_css, f);
  fputs("</style>\n</head>\n<body>\n<div id=\"gv-app\">\n<div id=\"gv-stage\" tabindex=\"-1\">"
        "<div id=\"gv-pan\"><div id=\"gv-figure\">\n", f);
  fputs(svg_root(d->figure_svg), f);
  fputs("</div><div id=\"gv-frame\" hidden></div></div></div>\n</div>\n"
        "<script type=\"application/json\" id=\"gv-data\">", f);
  page_data(f, d);
  fputs("</script>\n<script>\n", f);
  fputs(gdv_html_js, f);
  fputs("</script>\n</body>\n</html>\n", f);
  if (ferror(f)) return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the page");
  return GDV_OK;
}

/* The figure as an SVG fragment (no XML declaration) for inlining, by
 * the same writer as SVG files, with the graph for titles in words. */
gdv_status gdv_render_svg_string(const gdv_scene *s, const gdv_style *st, const gdv_graph *g,
                                 const char *id_prefix, const char *name, char **out,
                                 gdv_error *err) {
  gdv_sbuf b = {0};
  gdv_svg_options opt = {.id_prefix = id_prefix, .graph = g, .name = name, .fragment = 1};
  *out = NULL;
  gdv_status status = gdv_svg_write(s, st, &opt, &b, err);
  if (status == GDV_OK && (b.failed || b.s == NULL))
    status = gdv_error_oom(err);
  if (status) free(b.s);
  else *out = b.s;
  return status;
}
