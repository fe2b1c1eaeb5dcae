/* gdv_sheet_page.c: a worksheet as a page (gdv_sheet.h): the sheet's SVG,
 * a field over each box, and what the script needs to judge answers as
 * `grade` does without holding them: salted hashes of the tolerance cells
 * of each answer and of each part of a fan-out sum, and the numbers the
 * sheet shows anyway. The script and style are formats/html/worksheet.js
 * and worksheet.css, built in as gdv_sheet_assets.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/gdv_answers.h"
#include "io/gdv_io.h"
#include "render/formats/gdv_sheet_assets.h"  /* built from formats/html/ */
#include "render/gdv_render_int.h"
#include "render/gdv_sheet.h"

/* Cells near one number: at most 33 (gdv_grade_cells_near's samples). */
#define CELLS_MAX 33
/* Parts of a fan-out sum hashed: every proper subset of up to this many
 * terms, single terms beyond (as grade does up to 12). */
#define SUBSETS_MAX_TERMS 10

/* What the writer works with. */
typedef struct page {
  FILE *f;
  const gdv_scene *s;
  const gdv_graph *g;
  const char *salt;
  const gdv_grade_options *tol;
  size_t *index[GDV_Q_COUNT];   /* per node or edge: its item, or SIZE_MAX */
  uint8_t *q_of;                /* per item: quantity */
  gdv_id *item_of;              /* per item: node or edge */
  size_t n_items;
  gdv_consumers out;
} page;

/* A JSON string that can stand inside <script>. */
static void str(FILE *f, const char *s) {
  gdv_json_string_in(f, s, 1);
}

/* "grad b", "edge-grad a->c": the tag of an item's hashes and its label. */
static char *tag_of(const gdv_graph *g, gdv_quantity q, gdv_id item) {
  char *name = gdv_item_name(g, q, item), *t = NULL;
  if (name == NULL || asprintf(&t, "%s %s", gdv_quantity_name(q), name) < 0) t = NULL;
  free(name);
  return t;
}

/* The sorted hashes of the cells near x, tagged: a list in the data. */
static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}
static void hashes(page *p, const char *tag, double x) {
  char cells[CELLS_MAX][32];
  uint32_t h[CELLS_MAX];
  size_t n = gdv_grade_cells_near(x, p->tol, cells, CELLS_MAX);
  for (size_t k = 0; k < n; k++) h[k] = gdv_grade_hash(p->salt, tag, cells[k]);
  qsort(h, n, sizeof *h, cmp_u32);
  fputc('[', p->f);
  for (size_t k = 0; k < n; k++) fprintf(p->f, k ? ",\"%08x\"" : "\"%08x\"", (unsigned)h[k]);
  fputc(']', p->f);
}

/* Whether the sheet shows quantity q's numbers where they are no box. */
static int visible(const page *p, gdv_quantity q) {
  static const unsigned bits[GDV_Q_COUNT] = {GDV_SHOW_VALUES, GDV_SHOW_GRADS | GDV_SHOW_SUMS,
                                             GDV_SHOW_LOCALS, GDV_SHOW_EDGE_GRADS | GDV_SHOW_SUMS};
  return (p->s->show & bits[q]) != 0;
}

/* What the student's own number for a quantity is: their answer to item
 * i ({"i": i}), a number the sheet shows ({"v": x}), or unknown (null). */
static void ref(page *p, gdv_quantity q, gdv_id item) {
  size_t i = p->index[q][item];
  if (i != SIZE_MAX) fprintf(p->f, "{\"i\": %zu}", i);
  else if (visible(p, q) && isfinite(gdv_quantity_truth(p->g, q, item))) {
    fputs("{\"v\": ", p->f);
    gdv_json_number(p->f, gdv_quantity_truth(p->g, q, item));
    fputc('}', p->f);
  } else fputs("null", p->f);
}

/* The local derivative of edge e, which a wrong gradient may be: where it
 * is (an answer, a number shown, or hashes of its cells) and the node
 * above. */
static void local_cause(page *p, size_t e) {
  const gdv_graph *g = p->g;
  char *name = gdv_item_name(g, GDV_Q_EDGE_GRAD, (gdv_id)e);
  double local = g->edge_local[e];
  fputs(",\n  \"local\": {\"edge\": ", p->f);
  str(p->f, name ? name : "?");
  fputs(", \"to\": ", p->f);
  str(p->f, g->name[g->edge_to[e]]);
  fputs(", \"ref\": ", p->f);
  ref(p, GDV_Q_LOCAL, (gdv_id)e);
  /* (a wrong answer near the local is never near the gradient when the
   * two are close: no need to say whether they are) */
  /* a hidden local is checked by the cells of its own value */
  if (p->index[GDV_Q_LOCAL][e] == SIZE_MAX && !visible(p, GDV_Q_LOCAL)) {
    char *tag = tag_of(g, GDV_Q_LOCAL, (gdv_id)e);
    fputs(", \"tag\": ", p->f);
    str(p->f, tag ? tag : "?");
    fputs(", \"h\": ", p->f);
    hashes(p, tag ? tag : "?", local);
    free(tag);
  }
  fputc('}', p->f);
  free(name);
}

/* A node's gradient: its terms for carrying and for parts of its sum. */
static void grad_item(page *p, gdv_id c, const char *tag) {
  const gdv_graph *g = p->g;
  FILE *f = p->f;
  if (c == g->output) {
    fputs(",\n  \"carry\": {\"one\": true}", f);
    return;
  }
  size_t n = 0, *terms = malloc((p->out.start[c + 1] - p->out.start[c] + 1) * sizeof *terms);
  if (terms == NULL) return;
  for (size_t j = p->out.start[c]; j < p->out.start[c + 1]; j++)
    if (g->reaches[g->edge_to[p->out.edge[j]]]) terms[n++] = p->out.edge[j];
  fputs(",\n  \"carry\": {\"sum\": [", f);
  for (size_t k = 0; k < n; k++) {
    if (k) fputs(", ", f);
    ref(p, GDV_Q_EDGE_GRAD, (gdv_id)terms[k]);
  }
  fputs("]}", f);
  if (n >= 2) {
    fputs(",\n  \"part\": {\"names\": [", f);
    for (size_t k = 0; k < n; k++) {
      char *name = gdv_item_name(g, GDV_Q_EDGE_GRAD, (gdv_id)terms[k]);
      fputs(k ? ", " : "", f);
      str(f, name ? name : "?");
      free(name);
    }
    fputs("], \"subs\": [", f);
    /* every proper subset (a mask), or past SUBSETS_MAX_TERMS the single terms */
    int all = n <= SUBSETS_MAX_TERMS;
    size_t n_subs = all ? ((size_t)1 << n) - 2 : n;
    for (size_t k = 0; k < n_subs; k++) {
      unsigned long mask = all ? (unsigned long)k + 1 : 1ul << k;
      double sum = 0;
      for (size_t j = 0; j < n; j++)
        if (mask >> j & 1) sum += g->edge_grad[terms[j]];
      char *t = NULL;
      if (asprintf(&t, "sub %s %lu", tag, mask) < 0) break;
      fprintf(f, "%s\n    {\"mask\": %lu, \"h\": ", k ? "," : "", mask);
      hashes(p, t, sum);
      fputc('}', f);
      free(t);
    }
    fputs("]}", f);
  }
  if (n == 1) local_cause(p, terms[0]);
  free(terms);
}

/* One item: what it asks, its hashes, and how it is judged. */
static void item_json(page *p, size_t i) {
  const gdv_graph *g = p->g;
  FILE *f = p->f;
  gdv_quantity q = (gdv_quantity)p->q_of[i];
  gdv_id it = p->item_of[i];
  char *tag = tag_of(g, q, it), *name = gdv_item_name(g, q, it);
  fprintf(f, "%s\n {\"q\": \"%s\", \"item\": ", i ? "," : "", gdv_quantity_name(q));
  str(f, name ? name : "?");
  fputs(", \"tag\": ", f);
  str(f, tag ? tag : "?");
  fputs(", \"ok\": ", f);
  hashes(p, tag ? tag : "?", gdv_quantity_truth(g, q, it));
  if (q == GDV_Q_GRAD) grad_item(p, it, tag ? tag : "?");
  if (q == GDV_Q_EDGE_GRAD) {
    gdv_id c = g->edge_to[it];
    fprintf(f, ",\n  \"carry\": {\"zero\": %s, \"mul\": [", g->reaches[c] ? "false" : "true");
    ref(p, GDV_Q_GRAD, c);
    fputs(", ", f);
    ref(p, GDV_Q_LOCAL, it);
    fputs("]}", f);
    local_cause(p, it);
  }
  fputc('}', f);
  free(tag);
  free(name);
}

/* The order grade judges in: values and locals, then from the output
 * down each node's gradient and the gradients along its in-edges. */
static void order_json(page *p) {
  const gdv_graph *g = p->g;
  int first = 1;
  fputs(",\n\"order\": [", p->f);
  for (size_t i = 0; i < p->n_items; i++)
    if (p->q_of[i] == GDV_Q_VALUE || p->q_of[i] == GDV_Q_LOCAL) {
      fprintf(p->f, first ? "%zu" : ",%zu", i);
      first = 0;
    }
  for (size_t c = g->n_nodes; c-- > 0;) {
    size_t i = p->index[GDV_Q_GRAD][c];
    if (i != SIZE_MAX) {
      fprintf(p->f, first ? "%zu" : ",%zu", i);
      first = 0;
    }
    for (size_t e = g->arg_start[c]; e < g->arg_start[c + 1]; e++)
      if ((i = p->index[GDV_Q_EDGE_GRAD][e]) != SIZE_MAX) {
        fprintf(p->f, first ? "%zu" : ",%zu", i);
        first = 0;
      }
  }
  fputc(']', p->f);
}

/* Everything the script reads, as one JSON object. */
static void data_json(page *p, const gdv_sheet_box *boxes, size_t n_boxes) {
  FILE *f = p->f;
  fputs("{\"salt\": ", f);
  str(f, p->salt ? p->salt : "");
  fputs(", \"tol\": {\"rtol\": ", f);
  gdv_json_number(f, p->tol->rtol);
  fputs(", \"atol\": ", f);
  gdv_json_number(f, p->tol->atol);
  fputs("},\n\"boxes\": [", f);
  for (size_t b = 0; b < n_boxes; b++)
    fprintf(f, "%s[%zu, %zu]", b ? ", " : "", boxes[b].scene_item,
            p->index[boxes[b].quantity][boxes[b].item]);
  fputs("],\n\"items\": [", f);
  for (size_t i = 0; i < p->n_items; i++) item_json(p, i);
  fputs("]", f);
  order_json(p);
  fputs("}", f);
}

/* Items: each quantity asked once, in the order of its first box. */
static int index_items(page *p, const gdv_sheet_box *boxes, size_t n_boxes) {
  const gdv_graph *g = p->g;
  size_t nn = g->n_nodes, ne = g->n_edges;
  size_t *block = malloc((2 * nn + 2 * ne + 1) * sizeof *block);
  p->q_of = malloc(n_boxes + 1);
  p->item_of = malloc((n_boxes + 1) * sizeof *p->item_of);
  if (block == NULL || p->q_of == NULL || p->item_of == NULL) {
    free(block);
    return 0;
  }
  for (size_t k = 0; k < 2 * nn + 2 * ne; k++) block[k] = SIZE_MAX;
  p->index[GDV_Q_VALUE] = block;
  p->index[GDV_Q_GRAD] = block + nn;
  p->index[GDV_Q_LOCAL] = block + 2 * nn;
  p->index[GDV_Q_EDGE_GRAD] = block + 2 * nn + ne;
  for (size_t b = 0; b < n_boxes; b++) {
    size_t *slot = &p->index[boxes[b].quantity][boxes[b].item];
    if (*slot != SIZE_MAX) continue;
    *slot = p->n_items;
    p->q_of[p->n_items] = boxes[b].quantity;
    p->item_of[p->n_items++] = boxes[b].item;
  }
  return 1;
}

gdv_status gdv_sheet_page_write(const gdv_scene *s, const gdv_style *st, const gdv_graph *g,
                                const gdv_sheet_box *boxes,
                                size_t n_boxes, const char *id_prefix, const char *title,
                                const char *salt, const gdv_grade_options *tol, int key, FILE *f,
                                gdv_error *err) {
  char *svg = NULL;
  gdv_status status = gdv_render_svg_string(s, st, NULL, id_prefix ? id_prefix : "sheet-", title,
                                            &svg, err);
  if (status) return status;
  page p = {.f = f, .s = s, .g = g, .salt = salt, .tol = tol};
  if (!key && (!index_items(&p, boxes, n_boxes) || gdv_consumers_build(g, &p.out, err))) {
    free(p.index[0]);
    free(p.q_of);
    free(p.item_of);
    free(svg);
    return gdv_error_oom(err);
  }
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"gradviz\">\n<title>", f);
  gdv_html_text(f, title && *title ? title : "worksheet");
  fputs("</title>\n<style>\n", f);
  fputs(gdv_sheet_css, f);
  fputs("</style>\n</head>\n<body>\n<main>\n<div id=\"ws-sheet\">\n", f);
  const char *root = strstr(svg, "<svg");
  fputs(root ? root : svg, f);
  fputs("<div id=\"ws-fields\"></div>\n</div>\n", f);
  if (!key) {
    fputs("<section id=\"ws-panel\" aria-live=\"polite\">\n<p id=\"ws-score\">Type your answers "
          "into the boxes: each is checked as you type.</p>\n<ol id=\"ws-list\"></ol>\n"
          "<p><button type=\"button\" id=\"ws-save\">Save answers (CSV for gradviz grade)"
          "</button></p>\n</section>\n</main>\n<script type=\"application/json\" "
          "id=\"ws-data\">", f);
    data_json(&p, boxes, n_boxes);
    fputs("</script>\n<script>\n", f);
    fputs(gdv_sheet_js, f);
    fputs("</script>\n", f);
  } else {
    fputs("</main>\n", f);
  }
  fputs("</body>\n</html>\n", f);
  if (!key) gdv_consumers_free(&p.out);
  free(p.index[0]);
  free(p.q_of);
  free(p.item_of);
  free(svg);
  if (ferror(f)) return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the page");
  return GDV_OK;
}
