/* gdv_worksheet.c: a worksheet and its key from one planned figure
 * (gdv_worksheet.h). The figure is planned with a placeholder in every
 * blank and the key's title, so that the layout holds any answer in any
 * box and either title; sheet and key are then made from it and given
 * the same floor, so they share every position and their size. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teach/gdv_worksheet.h"

static gdv_status oom(gdv_error *err) {
  return gdv_error_oom(err);
}

/* The kinds a sheet may show or blank, by their --show names. */
static const struct { const char *name; unsigned bits; } kind_words[] = {
  {"values", GDV_SHOW_VALUES}, {"grads", GDV_SHOW_GRADS}, {"locals", GDV_SHOW_LOCALS},
  {"edge-grads", GDV_SHOW_EDGE_GRADS}, {"sums", GDV_SHOW_SUMS}};
#define N_KIND_WORDS (sizeof kind_words / sizeof *kind_words)

gdv_status gdv_worksheet_kinds(const gdv_graph *g, const char *list, int nodes_allowed,
                               unsigned *kinds, uint8_t **nodes, gdv_error *err) {
  *kinds = 0;
  if (nodes) *nodes = NULL;
  char *copy = strdup(list), *save = NULL;
  if (copy == NULL) return oom(err);
  gdv_status st = GDV_OK;
  for (char *w = strtok_r(copy, ",", &save); st == GDV_OK && w; w = strtok_r(NULL, ",", &save)) {
    size_t k = 0;
    while (k < N_KIND_WORDS && strcmp(w, kind_words[k].name) != 0) k++;
    if (k < N_KIND_WORDS) {
      *kinds |= kind_words[k].bits;
      continue;
    }
    gdv_id v = nodes_allowed ? gdv_graph_find(g, w) : GDV_NONE;
    if (v == GDV_NONE) {
      st = gdv_error_set(err, GDV_ERR_INPUT, "", 0, "'%s' is %s (values, grads, locals, "
                         "edge-grads, sums%s)", w, nodes_allowed ? "no kind and no node"
                         : "no kind", nodes_allowed ? ", or a node's id" : "");
      break;
    }
    if (*nodes == NULL && (*nodes = calloc(g->n_nodes + 1, 1)) == NULL) st = oom(err);
    else (*nodes)[v] = 1;
  }
  free(copy);
  if (st && nodes) {
    free(*nodes);
    *nodes = NULL;
  }
  return st;
}

/* Every path from node x to the output: the nodes reached from x that
 * reach the output (topological order: one sweep), and the edges between
 * them. */
static void paths_from(const gdv_graph *g, gdv_id x, uint8_t *nodes, uint8_t *edges) {
  nodes[x] = g->reaches[x];
  for (gdv_id v = x + 1; v < g->n_nodes; v++) {
    for (size_t e = g->arg_start[v]; e < g->arg_start[v + 1] && !nodes[v]; e++)
      nodes[v] = nodes[g->edge_from[e]] && g->reaches[v];
  }
  for (size_t e = 0; e < g->n_edges; e++)
    edges[e] = nodes[g->edge_from[e]] && nodes[g->edge_to[e]];
}

gdv_status gdv_worksheet_ask(const gdv_graph *g, const char *ask, uint8_t **nodes,
                             uint8_t **edges, gdv_error *err) {
  *nodes = calloc(g->n_nodes + 1, 1);
  *edges = calloc(g->n_edges + 1, 1);
  char *copy = strdup(ask);
  gdv_status st = *nodes && *edges && copy ? GDV_OK : oom(err);
  if (st == GDV_OK && strstr(ask, "->") == NULL) {
    gdv_id x = gdv_graph_find(g, ask);
    if (x == GDV_NONE)
      st = gdv_error_set_about(err, GDV_SETTING_ASK, GDV_ERR_INPUT, "", 0, "no node named '%s'",
                               ask);
    else if (!g->reaches[x])
      st = gdv_error_set_about(err, GDV_SETTING_ASK, GDV_ERR_INPUT, "", 0,
                               "%s does not reach the output", ask);
    else paths_from(g, x, *nodes, *edges);
  } else if (st == GDV_OK) {
    gdv_id prev = GDV_NONE;
    for (char *p = copy; st == GDV_OK && p;) {
      char *arrow = strstr(p, "->");
      if (arrow) *arrow = '\0';
      gdv_id v = gdv_graph_find(g, p);
      if (v == GDV_NONE) {
        st = gdv_error_set_about(err, GDV_SETTING_ASK, GDV_ERR_INPUT, "", 0, "no node named '%s'",
                                 p);
        break;
      }
      (*nodes)[v] = 1;
      int joined = prev == GDV_NONE;
      for (size_t e = g->arg_start[v]; prev != GDV_NONE && e < g->arg_start[v + 1]; e++)
        if (g->edge_from[e] == prev) (*edges)[e] = joined = 1;
      if (!joined)
        st = gdv_error_set_about(err, GDV_SETTING_ASK, GDV_ERR_INPUT, "", 0, "no edge %s->%s",
                                 g->name[prev], p);
      prev = v;
      p = arrow ? arrow + 2 : NULL;
    }
  }
  free(copy);
  if (st) {
    free(*nodes);
    free(*edges);
    *nodes = *edges = NULL;
  }
  return st;
}

/* Which numbers are boxes (see gdv_worksheet_options); *any: some is. */
static gdv_status mark(const gdv_graph *g, const gdv_worksheet_options *o, gdv_worksheet *w,
                       size_t *count, gdv_error *err) {
  size_t nn = g->n_nodes, ne = g->n_edges;
  unsigned shown = o->given | o->blank, given = o->given & ~o->blank;
  int kind[GDV_Q_COUNT] = {
    (o->blank & GDV_SHOW_VALUES) != 0,
    (shown & (GDV_SHOW_GRADS | GDV_SHOW_SUMS)) && !(given & GDV_SHOW_GRADS),
    (o->blank & GDV_SHOW_LOCALS) != 0,
    (shown & (GDV_SHOW_EDGE_GRADS | GDV_SHOW_SUMS)) && !(given & GDV_SHOW_EDGE_GRADS)};
  if ((w->marks_block = calloc(2 * nn + 2 * ne + 1, 1)) == NULL) return oom(err);
  uint8_t *b = w->marks_block;
  uint8_t *flags[GDV_Q_COUNT] = {b, b + nn, b + 2 * nn, b + 2 * nn + ne};
  *count = 0;
  for (size_t v = 0; v < nn; v++) {
    int chosen = (!o->nodes || o->nodes[v]) && (!o->ask_nodes || o->ask_nodes[v]);
    /* a leaf's value is what the exercise starts from: never a box */
    flags[GDV_Q_VALUE][v] = kind[GDV_Q_VALUE] && chosen && g->op[v] != GDV_OP_LEAF &&
                            isfinite(g->value[v]);
    flags[GDV_Q_GRAD][v] = kind[GDV_Q_GRAD] && chosen && g->reaches[v] && isfinite(g->grad[v]);
    *count += flags[GDV_Q_VALUE][v] + flags[GDV_Q_GRAD][v];
  }
  for (size_t e = 0; e < ne; e++) {
    gdv_id from = g->edge_from[e], to = g->edge_to[e];
    int asked = !o->ask_edges || o->ask_edges[e];
    flags[GDV_Q_LOCAL][e] = kind[GDV_Q_LOCAL] && asked && (!o->nodes || o->nodes[to]) &&
                            g->reaches[to] && isfinite(g->edge_local[e]);
    flags[GDV_Q_EDGE_GRAD][e] = kind[GDV_Q_EDGE_GRAD] && asked && (!o->nodes || o->nodes[from]) &&
                                g->reaches[to] && isfinite(g->edge_grad[e]);
    *count += flags[GDV_Q_LOCAL][e] + flags[GDV_Q_EDGE_GRAD][e];
  }
  for (int q = 0; q < GDV_Q_COUNT; q++) w->marks.blank[q] = kind[q] ? flags[q] : NULL;
  return GDV_OK;
}

/* "Worksheet: NAME · STUDENT · variant K" (malloc'd). */
static char *title_of(const gdv_worksheet_options *o, const char *what) {
  char *t = NULL, var[48] = "";
  if (o->variant) snprintf(var, sizeof var, " \xC2\xB7 variant %llu", (unsigned long long)o->variant);
  if (asprintf(&t, "%s: %s%s%s%s", what, o->name ? o->name : "graph", o->student ? " \xC2\xB7 " : "",
               o->student ? o->student : "", var) < 0)
    return NULL;
  return t;
}

/* The graph's numbers a plan reads, saved to put the placeholder in the
 * blanks and back. */
typedef struct saved {
  double *value, *grad, *local, *egrad;
  char *title;
} saved;

/* Puts the placeholder in every blank and the key's title on the graph
 * (0 when out of memory, nothing changed). */
static int put_placeholder(gdv_graph *g, const gdv_worksheet *w, char *title, saved *s) {
  size_t nn = g->n_nodes, ne = g->n_edges;
  double *block = malloc((2 * nn + 2 * ne + 1) * sizeof *block);
  if (block == NULL) return 0;
  s->value = block;
  s->grad = block + nn;
  s->local = block + 2 * nn;
  s->egrad = block + 2 * nn + ne;
  memcpy(s->value, g->value, nn * sizeof *block);
  memcpy(s->grad, g->grad, nn * sizeof *block);
  memcpy(s->local, g->edge_local, ne * sizeof *block);
  memcpy(s->egrad, g->edge_grad, ne * sizeof *block);
  double *arr[GDV_Q_COUNT] = {g->value, g->grad, g->edge_local, g->edge_grad};
  for (int q = 0; q < GDV_Q_COUNT; q++) {
    size_t n = q <= GDV_Q_GRAD ? nn : ne;
    for (size_t i = 0; w->marks.blank[q] && i < n; i++)
      if (w->marks.blank[q][i]) arr[q][i] = w->placeholder;
  }
  s->title = g->title;
  g->title = title;
  return 1;
}

/* Gives the graph its numbers and title back. */
static void take_back(gdv_graph *g, saved *s) {
  size_t nn = g->n_nodes, ne = g->n_edges;
  memcpy(g->value, s->value, nn * sizeof *s->value);
  memcpy(g->grad, s->grad, nn * sizeof *s->grad);
  memcpy(g->edge_local, s->local, ne * sizeof *s->local);
  memcpy(g->edge_grad, s->egrad, ne * sizeof *s->egrad);
  g->title = s->title;
  free(s->value);
}

void gdv_worksheet_free(gdv_worksheet *w) {
  gdv_scene_free(w->sheet);
  gdv_scene_free(w->key);
  free(w->boxes);
  free(w->marks_block);
  memset(w, 0, sizeof *w);
}

/* Titles on both, and one floor for both: the larger of their parts. */
static gdv_status same_frame(gdv_worksheet *w, const gdv_style *st, const char *sheet_title,
                             const char *key_title, gdv_error *err) {
  gdv_status s = gdv_scene_set_text(&w->sheet->title, sheet_title, err);
  if (s == GDV_OK) s = gdv_scene_set_text(&w->key->title, key_title, err);
  gdv_figure_floor fl = w->key->floor;
  if (s == GDV_OK) s = gdv_render_figure_floor(w->sheet, st, &fl, err);
  if (s == GDV_OK) s = gdv_render_figure_floor(w->key, st, &fl, err);
  w->sheet->floor = w->key->floor = fl;
  return s;
}

gdv_status gdv_worksheet_make(gdv_graph *g, const gdv_worksheet_options *o, gdv_worksheet *w,
                              gdv_error *err) {
  memset(w, 0, sizeof *w);
  size_t count = 0;
  gdv_status st = mark(g, o, w, &count, err);
  if (st == GDV_OK && count == 0)
    st = gdv_error_set_about(err, GDV_SETTING_BLANK, GDV_ERR_INPUT, "", 0,
                             "the sheet would have no box to fill in");
  char *sheet_title = st ? NULL : title_of(o, "Worksheet");
  char *key_title = st ? NULL : title_of(o, "Answer key");
  if (st == GDV_OK && (sheet_title == NULL || key_title == NULL)) st = oom(err);
  gdv_scene_options so = o->scene;
  so.show = ((o->given | o->blank) & ~(unsigned)GDV_SHOW_FLOW) | GDV_SHOW_LEGEND |
            GDV_SHOW_TITLE | GDV_SHOW_OPS;
  so.expand = NULL;          /* node by node: every number is a step */
  so.expand_given = 1;
  so.highlight = NULL;
  so.recorded_wrong = NULL;
  gdv_plan_report rep;
  memset(&rep, 0, sizeof rep);
  saved sv;
  if (st == GDV_OK) {
    w->placeholder = gdv_sheet_placeholder(g, &w->marks, so.precision, o->style);
    if (!put_placeholder(g, w, key_title, &sv)) {
      st = oom(err);
    } else {
      st = gdv_plan_figure(g, &so, o->style, o->engine, &w->key, &rep, err);
      take_back(g, &sv);
    }
  }
  w->plan_layouts = rep.layouts;
  if (st == GDV_OK) st = gdv_scene_clone(w->key, &w->sheet, err);
  gdv_sheet_box *kb = NULL;
  size_t kn = 0;
  if (st == GDV_OK)
    st = gdv_sheet_scene(w->sheet, g, &w->marks, w->placeholder, o->style, 0, &w->boxes,
                         &w->n_boxes, err);
  if (st == GDV_OK)
    st = gdv_sheet_scene(w->key, g, &w->marks, w->placeholder, o->style, 1, &kb, &kn, err);
  int same = st == GDV_OK && kn == w->n_boxes;
  for (size_t i = 0; same && i < kn; i++)
    same = kb[i].quantity == w->boxes[i].quantity && kb[i].item == w->boxes[i].item &&
           kb[i].scene_item == w->boxes[i].scene_item;
  if (st == GDV_OK && !same)
    st = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "worksheet: sheet and key differ");
  free(kb);
  if (st == GDV_OK) st = same_frame(w, o->style, sheet_title, key_title, err);
  free(sheet_title);
  free(key_title);
  if (st) gdv_worksheet_free(w);
  return st;
}

gdv_status gdv_worksheet_write(const gdv_worksheet *w, const gdv_graph *g, int key,
                               gdv_figure_format fmt, const gdv_render_meta *meta,
                               const gdv_style *st, const gdv_worksheet_checking *page, FILE *f,
                               gdv_error *err) {
  const gdv_scene *s = key ? w->key : w->sheet;
  gdv_render_meta m = *meta;
  if (!key) {
    m.graph = NULL;    /* the SVG's words in titles would say the answers */
    m.source = NULL;   /* the graph in the PNG: the answers one eval away */
  }
  if (fmt == GDV_FIGURE_DOT)
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "a worksheet is a figure: png, svg, pdf or "
                         "html, not dot");
  if (fmt == GDV_FIGURE_HTML)
    return gdv_sheet_page_write(s, st, g, w->boxes, w->n_boxes, m.id_prefix,
                                s->title, page->salt, &page->tol, key, f, err);
  return gdv_render_write(s, st, fmt, &m, f, err);
}
