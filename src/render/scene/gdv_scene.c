/* gdv_scene.c: the scene, plain data between a graph and a drawing, and
 * the standard annotated scene of an evaluated graph. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render.h"
#include "render/gdv_render_int.h"

/* Everything shown, 4 significant digits, 8 paths for --highlight: what
 * `gradviz render` draws without options. */
void gdv_scene_options_default(gdv_scene_options *opt) {
  memset(opt, 0, sizeof *opt);
  opt->show = GDV_SHOW_ALL;
  opt->precision = 4;
  opt->max_paths = 8;
  opt->parallel_max = 8;
  opt->text_wrap = 44;
  gdv_page_none(&opt->page);
}

/* Left to right unless told otherwise, like the DOT files gradviz writes
 * (rankdir LR). */
gdv_status gdv_scene_new(gdv_scene **out, gdv_error *err) {
  gdv_scene *s = calloc(1, sizeof *s);
  if (s == NULL) return OOM(err);
  s->show = GDV_SHOW_ALL;
  s->precision = 4;
  s->rank_lr = 1;
  gdv_page_none(&s->page);
  *out = s;
  return GDV_OK;
}

/* Frees an array of lines. */
static void free_lines(gdv_scene_line *lines, size_t n) {
  for (size_t i = 0; i < n; i++) free(lines[i].text);
  free(lines);
}

/* NULL is fine; the scene owns every string, edge point list and item pixel
 * buffer in it. */
void gdv_scene_free(gdv_scene *s) {
  if (s == NULL) return;
  for (size_t i = 0; i < s->n_nodes; i++) {
    free(s->nodes[i].id);
    free_lines(s->nodes[i].lines, s->nodes[i].n_lines);
  }
  for (size_t i = 0; i < s->n_edges; i++) {
    free_lines(s->edges[i].lines, s->edges[i].n_lines);
    free(s->edges[i].pts);
  }
  for (size_t i = 0; i < s->n_items; i++) {
    free_lines(s->items[i].lines, s->items[i].n_lines);
    free(s->items[i].pixels);
  }
  free(s->nodes);
  free(s->edges);
  free(s->items);
  free(s->title);
  free(s->edge_group);
  free(s->edge_scene);
  free_lines(s->legend_notes, s->n_legend_notes);
  free(s->legend_highlight);
  free(s->node_scene);
  free(s->edge_summed);
  free(s->edge_term);
  free(s);
}

/* A copy of n lines (NULL when out of memory; n 0 gives an empty list). */
static gdv_scene_line *copy_lines(const gdv_scene_line *lines, size_t n) {
  gdv_scene_line *c = calloc(n + 1, sizeof *c);
  for (size_t i = 0; c && i < n; i++) {
    c[i].kind = lines[i].kind;
    c[i].join = lines[i].join;
    if ((c[i].text = strdup(lines[i].text)) == NULL) {
      free_lines(c, i);
      return NULL;
    }
  }
  return c;
}

/* A copy of size bytes of p, or NULL for NULL (*ok 0 when out of memory). */
static void *copy_block(const void *p, size_t size, int *ok) {
  if (p == NULL) return NULL;
  void *c = malloc(size ? size : 1);
  if (c == NULL) *ok = 0;
  else memcpy(c, p, size);
  return c;
}

/* Copies member by member: a shallow copy first, then every owned
 * pointer replaced by its own copy, so freeing either leaves the other. */
gdv_status gdv_scene_clone(const gdv_scene *s, gdv_scene **out, gdv_error *err) {
  gdv_scene *c = malloc(sizeof *c);
  if (c == NULL) return OOM(err);
  *c = *s;
  c->nodes = calloc(s->n_nodes + 1, sizeof *c->nodes);
  c->edges = calloc(s->n_edges + 1, sizeof *c->edges);
  c->items = calloc(s->n_items + 1, sizeof *c->items);
  c->cap_nodes = s->n_nodes + 1, c->cap_edges = s->n_edges + 1, c->cap_items = s->n_items + 1;
  c->title = NULL, c->edge_group = NULL, c->edge_scene = NULL, c->legend_notes = NULL;
  c->n_legend_notes = 0;
  c->legend_highlight = NULL, c->node_scene = NULL, c->edge_summed = NULL, c->edge_term = NULL;
  int ok = c->nodes && c->edges && c->items;
  size_t nn = 0, ne = 0, ni = 0;
  for (; ok && nn < s->n_nodes; nn++) {
    c->nodes[nn] = s->nodes[nn];
    c->nodes[nn].lines = copy_lines(s->nodes[nn].lines, s->nodes[nn].n_lines);
    c->nodes[nn].id = s->nodes[nn].id ? strdup(s->nodes[nn].id) : NULL;
    ok = c->nodes[nn].lines && (c->nodes[nn].id || !s->nodes[nn].id);
  }
  for (; ok && ne < s->n_edges; ne++) {
    c->edges[ne] = s->edges[ne];
    c->edges[ne].lines = copy_lines(s->edges[ne].lines, s->edges[ne].n_lines);
    c->edges[ne].pts = copy_block(s->edges[ne].pts, 2 * s->edges[ne].n_pts * sizeof(double), &ok);
    ok = ok && c->edges[ne].lines;
  }
  for (; ok && ni < s->n_items; ni++) {
    c->items[ni] = s->items[ni];
    c->items[ni].lines = copy_lines(s->items[ni].lines, s->items[ni].n_lines);
    c->items[ni].pixels = copy_block(s->items[ni].pixels,
                                     s->items[ni].px_w * s->items[ni].px_h * sizeof(double), &ok);
    ok = ok && c->items[ni].lines;
  }
  c->n_nodes = nn, c->n_edges = ne, c->n_items = ni;
  if (ok && s->title) ok = (c->title = strdup(s->title)) != NULL;
  if (ok && s->legend_highlight) ok = (c->legend_highlight = strdup(s->legend_highlight)) != NULL;
  if (ok && s->n_legend_notes) {
    ok = (c->legend_notes = copy_lines(s->legend_notes, s->n_legend_notes)) != NULL;
    c->n_legend_notes = ok ? s->n_legend_notes : 0;
  }
  /* the graph maps: edge_group has 2 entries per graph edge, the others
   * one per graph edge or node */
  size_t m = s->n_graph_edges, gn = s->n_graph_nodes;
  if (ok) c->edge_group = copy_block(s->edge_group, 2 * m * sizeof *s->edge_group, &ok);
  if (ok) c->edge_scene = copy_block(s->edge_scene, m * sizeof *s->edge_scene, &ok);
  if (ok) c->edge_summed = copy_block(s->edge_summed, m, &ok);
  if (ok) c->edge_term = copy_block(s->edge_term, m * sizeof *s->edge_term, &ok);
  if (ok) c->node_scene = copy_block(s->node_scene, gn * sizeof *s->node_scene, &ok);
  if (!ok) {
    gdv_scene_free(c);
    return OOM(err);
  }
  *out = c;
  return GDV_OK;
}

/* draw_node's rule: values once known, gradients and sums once known (a
 * sum also as a frame's partial one), the NaN note with its mark. */
int gdv_node_line_shown(const gdv_scene_node *n, int kind) {
  if (kind == GDV_TEXT_VALUE) return (n->flags & GDV_NODE_VALUE_KNOWN) != 0;
  if (kind == GDV_TEXT_GRAD) return (n->flags & GDV_NODE_GRAD_KNOWN) != 0;
  if (kind == GDV_TEXT_SUM) return (n->flags & (GDV_NODE_GRAD_KNOWN | GDV_NODE_SUM_KNOWN)) != 0;
  if (kind == GDV_TEXT_NOTE && (n->flags & GDV_NODE_NONFINITE_ORIGIN))
    return (n->flags & (n->flags & GDV_NODE_NONFINITE_VALUE ? GDV_NODE_VALUE_KNOWN
                                                            : GDV_NODE_GRAD_KNOWN)) != 0;
  return 1;
}

/* draw_edge_label's rule: each number once known. */
int gdv_edge_line_shown(const gdv_scene_edge *e, int kind) {
  if (kind == GDV_TEXT_LOCAL) return (e->flags & GDV_EDGE_LOCAL_KNOWN) != 0;
  if (kind == GDV_TEXT_EDGE_GRAD) return (e->flags & GDV_EDGE_GRAD_KNOWN) != 0;
  return 1;
}

/* The node array may move: a pointer into s->nodes does not survive this
 * call, keep indices. */
gdv_status gdv_scene_add_node(gdv_scene *s, const char *id, gdv_node_kind kind,
                              size_t *idx, gdv_error *err) {
  if (!gdv_grow((void **)&s->nodes, &s->cap_nodes, s->n_nodes, sizeof *s->nodes))
    return OOM(err);
  gdv_scene_node *n = &s->nodes[s->n_nodes];
  memset(n, 0, sizeof *n);
  if (id && (n->id = strdup(id)) == NULL) return OOM(err);
  n->graph_node = GDV_NONE;
  n->kind = (uint8_t)kind;
  n->shape = kind == GDV_KIND_ELLIPSIS ? GDV_SHAPE_PLAIN : GDV_SHAPE_BOX;
  n->flags = GDV_NODE_VALUE_KNOWN | GDV_NODE_GRAD_KNOWN;
  n->layer = -1;
  n->order = (double)s->n_nodes;
  if (idx) *idx = s->n_nodes;
  s->n_nodes++;
  return GDV_OK;
}

/* Refuses endpoints that are not nodes yet, so layouts never index out of
 * range; the edge array may move like the node array. */
gdv_status gdv_scene_add_edge(gdv_scene *s, size_t from, size_t to,
                              size_t *idx, gdv_error *err) {
  if (from >= s->n_nodes || to >= s->n_nodes)
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "scene edge %zu -> %zu: no such node", from, to);
  if (!gdv_grow((void **)&s->edges, &s->cap_edges, s->n_edges, sizeof *s->edges))
    return OOM(err);
  gdv_scene_edge *e = &s->edges[s->n_edges];
  memset(e, 0, sizeof *e);
  e->from = from;
  e->to = to;
  e->graph_edge = GDV_NONE;
  e->flags = GDV_EDGE_LOCAL_KNOWN | GDV_EDGE_GRAD_KNOWN;
  e->weight = -1;
  if (idx) *idx = s->n_edges;
  s->n_edges++;
  return GDV_OK;
}

/* A counting sort of the edges by tail: linear, and stable, so edge order
 * breaks ties (the layouts' walks of a graph read it). */
int gdv_scene_out_edges(const gdv_scene *s, size_t **start, size_t **out) {
  size_t nn = s->n_nodes, ne = s->n_edges;
  *start = calloc(nn + 2, sizeof **start);
  *out = malloc((ne + 1) * sizeof **out);
  if (!*start || !*out) {
    free(*start);
    free(*out);
    *start = *out = NULL;
    return 0;
  }
  size_t *at = *start;
  for (size_t e = 0; e < ne; e++) at[s->edges[e].from + 2]++;
  for (size_t v = 0; v < nn; v++) at[v + 2] += at[v + 1];
  for (size_t e = 0; e < ne; e++) (*out)[at[s->edges[e].from + 1]++] = e;
  return 1;
}

/* New items have position NaN, which asks gdv_layout_place_items to put them
 * below the graph; the item array may move. */
gdv_status gdv_scene_add_item(gdv_scene *s, gdv_item_kind kind, size_t *idx,
                              gdv_error *err) {
  if (!gdv_grow((void **)&s->items, &s->cap_items, s->n_items, sizeof *s->items))
    return OOM(err);
  gdv_scene_item *it = &s->items[s->n_items];
  memset(it, 0, sizeof *it);
  it->kind = (uint8_t)kind;
  it->x = it->y = NAN; /* placed below the graph unless set */
  if (idx) *idx = s->n_items;
  s->n_items++;
  return GDV_OK;
}

/* Grows the array by one each time: a node or edge carries only a few lines. */
gdv_status gdv_scene_add_line(gdv_scene_line **lines, size_t *n_lines,
                              gdv_text_kind kind, const char *text,
                              gdv_error *err) {
  gdv_scene_line *t = realloc(*lines, (*n_lines + 1) * sizeof *t);
  if (t == NULL) return OOM(err);
  *lines = t;
  if ((t[*n_lines].text = strdup(text)) == NULL) return OOM(err);
  t[*n_lines].kind = (uint8_t)kind;
  t[*n_lines].join = 0;
  (*n_lines)++;
  return GDV_OK;
}

/* Copies before freeing the old text, so text may point into *slot itself. */
gdv_status gdv_scene_set_text(char **slot, const char *text, gdv_error *err) {
  char *c = strdup(text);
  if (c == NULL) return OOM(err);
  free(*slot);
  *slot = c;
  return GDV_OK;
}

/* For frames: a forward-pass frame shows values while gradients are still
 * unknown; replaces the flags of every node and edge at once. */
void gdv_scene_set_known(gdv_scene *s, int values, int grads) {
  for (size_t i = 0; i < s->n_nodes; i++) {
    uint32_t f = s->nodes[i].flags & ~(uint32_t)(GDV_NODE_VALUE_KNOWN | GDV_NODE_GRAD_KNOWN);
    if (values) f |= GDV_NODE_VALUE_KNOWN;
    if (grads) f |= GDV_NODE_GRAD_KNOWN;
    s->nodes[i].flags = f;
  }
  for (size_t i = 0; i < s->n_edges; i++) {
    uint32_t f = s->edges[i].flags & ~(uint32_t)(GDV_EDGE_LOCAL_KNOWN | GDV_EDGE_GRAD_KNOWN);
    if (values) f |= GDV_EDGE_LOCAL_KNOWN;
    if (grads) f |= GDV_EDGE_GRAD_KNOWN;
    s->edges[i].flags = f;
  }
}

static char *label_text(const char *label, const char *id);

/* The growable string is gdv_sbuf (gdv_render_util.c); short names here. */
typedef gdv_sbuf sbuf;
#define sb_printf gdv_sbuf_printf

/* Whether a name reads as one term after ∂ or between arrows: a
 * parenthesised group, a call or a power count as one (`(a − y)²`,
 * `tanh(n)`, `x²`), an operator or a space outside parentheses does not
 * (`w11·x1`, `a − y`), nor a number (∂C/∂1 would read as a derivative by
 * one). */
static int name_is_term(const char *s) {
  static const char *const ops[] = {"\xC2\xB7", "\xE2\x88\x92", "\xC3\x97", "\xC3\xB7"};
  if ((*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '+') return 0;
  int depth = 0;
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '(') depth++;
    else if (c == ')') depth--;
    else if (depth > 0) continue;
    else if (c < 0x80 && !isalnum(c) && c != '_' && c != '\'') return 0;
    for (size_t k = 0; c >= 0x80 && k < sizeof ops / sizeof *ops; k++)
      if (strncmp(p, ops[k], strlen(ops[k])) == 0) return 0;
  }
  return 1;
}

/* The node's name as the figure draws it, for texts that speak of the
 * node (∂C/∂x, --highlight paths, frame titles): its label, or its id
 * when the label is the id or starts by defining it (`c = a+b` is c); a
 * multi-line label gives its first line; an op node drawn with no name
 * (label "", from an older annotated DOT file) its op symbol. With
 * `term`, a name of several terms is put in parentheses. */
void gdv_sbuf_node_name(gdv_sbuf *b, const gdv_graph *g, gdv_id v, int term) {
  const char *id = g->name[v], *label = g->label[v];
  size_t n = strlen(id);
  char *text = NULL;
  const char *name = id;
  if (label && *label == '\0' && g->op[v] != GDV_OP_LEAF) {
    name = gdv_op_get((gdv_op)g->op[v])->symbol;
  } else if (label && *label && strcmp(label, id) != 0 &&
             !(strncmp(label, id, n) == 0 && (label[n] == ' ' || label[n] == '='))) {
    if ((text = label_text(label, id)) == NULL) {
      b->failed = 1;
      return;
    }
    text[strcspn(text, "\n")] = '\0';
    if (*text) name = text;
  }
  if (term && !name_is_term(name)) gdv_sbuf_printf(b, "(%s)", name);
  else gdv_sbuf_printf(b, "%s", name);
  free(text);
}

/* Writes "∂C/∂x" for node v, x its name as drawn: one wording for every
 * node's gradient. */
static void grad_prefix(sbuf *b, const gdv_graph *g, gdv_id v) {
  sb_printf(b, "\xE2\x88\x82" "C/\xE2\x88\x82");
  gdv_sbuf_node_name(b, g, v, 1);
}

/* Number of v's out-edges that lead to the output: the terms of its sum
 * (an edge into a node that does not reach C carries 0 and is grey). */
static size_t live_terms(const gdv_graph *g, const gdv_consumers *oi, gdv_id v) {
  size_t n = 0;
  for (size_t k = oi->start[v]; k < oi->start[v + 1]; k++)
    n += g->reaches[g->edge_to[oi->edge[k]]] != 0;
  return n;
}

/* Which terms of a sum are shown: the first `known` of them, or (mask not
 * NULL) those whose edge is marked, as frames receive them; the total only
 * with `total` once every term is shown. */
typedef struct sum_known {
  size_t known;
  const uint8_t *mask;
  int total;
} sum_known;

/* The terms of v's sum when parallel edges are merged or edges into a
 * collapsed group summed (group: see gdv_scene.edge_group; NULL: every
 * edge is a term): a group is one term. */
static size_t live_groups(const gdv_graph *g, const gdv_consumers *oi, gdv_id v,
                          const size_t *group) {
  size_t n = 0;
  for (size_t k = oi->start[v]; k < oi->start[v + 1]; k++)
    n += g->reaches[g->edge_to[oi->edge[k]]] && (!group || group[oi->edge[k]]);
  return n;
}

/* Whether v's fan-out sum is worth a line: more than one term, where the
 * edges summed into a collapsed group are one term (merged parallel edges
 * still show as c × t, so they count each). */
static int fans_out(const gdv_scene *s, const gdv_graph *g, const gdv_consumers *oi, gdv_id v) {
  size_t n = 0;
  for (size_t k = oi->start[v]; k < oi->start[v + 1]; k++) {
    size_t e = oi->edge[k];
    if (!g->reaches[g->edge_to[e]]) continue;
    n += !s->edge_summed || !s->edge_summed[e] || s->edge_group[e] != 0;
  }
  return n > 1;
}

/* Composes a fan-out sum: the terms are v's out-edges into nodes that
 * reach the output (an edge into a dead end carries 0 and never arrives);
 * a merged group of c parallel edges is the one term "c × t", c edges into
 * a collapsed group the one term of their summed grads; what is left out
 * is counted in edges, so shown and left out add up to every use of v. */
static void compose_sum(sbuf *b, const gdv_graph *g, const gdv_consumers *oi,
                        gdv_id v, const gdv_scene *s, sum_known sk, int prec) {
  const size_t *group = s->edge_group;
  char num[GDV_NUMBER_MAX];
  size_t n = live_groups(g, oi, v, group), uses = live_terms(g, oi, v), k = 0, shown = 0;
  const size_t max_terms = 6;
  grad_prefix(b, g, v);
  sb_printf(b, " = ");
  for (size_t j = oi->start[v]; j < oi->start[v + 1]; j++) {
    size_t e = oi->edge[j], c = group ? group[e] : 1;
    if (!g->reaches[g->edge_to[e]] || c == 0) continue;
    if (k == max_terms - 1 && n > max_terms) {
      sb_printf(b, " + \xE2\x80\xA6 (%zu more)", uses);
      break;
    }
    int summed = s->edge_summed && s->edge_summed[e];
    double t = summed ? s->edge_term[e] : g->edge_grad[e];
    int known = sk.mask ? sk.mask[e] != 0 : k < sk.known;
    if (k > 0) sb_printf(b, " + ");
    if (known && c > 1 && !summed) sb_printf(b, "%zu \xC3\x97 ", c);
    if (!known) sb_printf(b, "?");
    else if ((k > 0 || (c > 1 && !summed)) && t < 0) sb_printf(b, "(%s)", gdv_figure_number(t, prec, num, sizeof num));
    else sb_printf(b, "%s", gdv_figure_number(t, prec, num, sizeof num));
    shown += known != 0;
    uses -= c;
    k++;
  }
  if (sk.total && (sk.mask ? shown >= n : sk.known >= n))
    sb_printf(b, " = %s", gdv_figure_number(g->grad[v], prec, num, sizeof num));
}

static gdv_status sum_lines(gdv_scene_node *n, const char *sum, size_t wrap, gdv_error *err);

/* Rewrites the sum from the graph, never from its old text, into the
 * node's sum lines as they are: broken as the full sum was (at the
 * node's wrap width), as many lines (a shorter sum leaves empty ones, a
 * longer one runs on in the last), so that a frame's partial sum never
 * moves the lines around it; scene nodes not drawn from a graph node are
 * left alone. */
static gdv_status rewrite_sum(gdv_scene *s, const gdv_graph *g, size_t v, sum_known sk,
                              gdv_error *err) {
  if (v >= s->n_nodes) return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "no scene node %zu", v);
  gdv_scene_node *n = &s->nodes[v];
  if (n->graph_node == GDV_NONE) return GDV_OK;
  size_t first = SIZE_MAX, slots = 0;
  for (size_t i = 0; i < n->n_lines; i++)
    if (n->lines[i].kind == GDV_TEXT_SUM) {
      if (first == SIZE_MAX) first = i;
      slots++;
    }
  if (first == SIZE_MAX) return GDV_OK;
  gdv_consumers oi;
  gdv_status st = gdv_consumers_build(g, &oi, err);
  if (st) return st;
  sbuf b = {0};
  compose_sum(&b, g, &oi, n->graph_node, s, sk, s->precision);
  gdv_consumers_free(&oi);
  if (b.failed) { free(b.s); return OOM(err); }
  gdv_scene_node parts = {0};
  st = slots > 1 ? sum_lines(&parts, b.s, n->wrap, err) : GDV_OK;
  size_t len = strlen(b.s), at = 0;
  for (size_t k = 0, slot = first; st == GDV_OK && k < slots; slot++) {
    if (n->lines[slot].kind != GDV_TEXT_SUM) continue;
    /* a part as it stands in b.s; the last slot takes the rest of a
     * longer sum as written, and a shorter sum leaves slots empty */
    const char *text = "";
    if (k < parts.n_lines || (k == 0 && slots == 1)) {
      const char *part = slots > 1 ? parts.lines[k].text : b.s;
      const char *found = strstr(b.s + at, part);
      size_t from = found ? (size_t)(found - b.s) : at;
      text = b.s + from;
      at = from + strlen(part);
      if (k + 1 < slots && k + 1 < parts.n_lines) {
        st = gdv_scene_set_text(&n->lines[slot].text, part, err);
        k++;
        continue;
      }
    }
    st = gdv_scene_set_text(&n->lines[slot].text, at <= len ? text : "", err);
    k++;
  }
  free(b.s);
  free_lines(parts.lines, parts.n_lines);
  return st;
}

/* The first `known` terms, and the total once all are there. */
gdv_status gdv_scene_sum_partial(gdv_scene *s, const gdv_graph *g, size_t v,
                                 size_t known, gdv_error *err) {
  return rewrite_sum(s, g, v, (sum_known){known, NULL, 1}, err);
}

/* Frames: terms arrive in reverse topological order of their consumers,
 * not first to last, and the total waits for the node's own step. */
gdv_status gdv_scene_sum_arrived(gdv_scene *s, const gdv_graph *g, size_t v,
                                 const uint8_t *edge_known, gdv_error *err) {
  return rewrite_sum(s, g, v, (sum_known){0, edge_known, 0}, err);
}

/* A DOT label as Graphviz reads it (escString), as text with a newline
 * between lines: `\n`, `\l`, `\r` and a newline end a line (all drawn
 * centred), `\N` is the object's id (id NULL: kept as N), and a backslash
 * before any other character drops out (`\\` is one). A break at the very
 * end adds no empty line. NULL when out of memory. */
static char *label_text(const char *label, const char *id) {
  sbuf b = {0};
  sb_printf(&b, "%s", "");
  for (const char *p = label; *p; p++) {
    size_t plain = strcspn(p, "\\");  /* copied as one piece */
    if (plain) {
      sb_printf(&b, "%.*s", (int)plain, p);
      p += plain - 1;
    } else if (p[1] == '\0') {
      sb_printf(&b, "\\");          /* a lone backslash at the end */
    } else {
      p++;
      int brk = *p == 'n' || *p == 'l' || *p == 'r';
      if (brk) sb_printf(&b, "\n");
      else if (*p == 'N' && id) sb_printf(&b, "%s", id);
      else sb_printf(&b, "%c", *p);
    }
  }
  if (b.failed) {
    free(b.s);
    return NULL;
  }
  if (b.n && b.s[b.n - 1] == '\n') b.s[--b.n] = '\0';
  return b.s;
}

/* The name lines of a node from its label; `suffix` goes on the last. */
static gdv_status name_lines(gdv_scene_node *n, const char *label, const char *id,
                             const char *suffix, gdv_error *err) {
  char *text = label_text(label, id);
  if (text == NULL) return OOM(err);
  gdv_status st = GDV_OK;
  char *line = text;
  for (char *nl; st == GDV_OK && (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
    *nl = '\0';
    st = gdv_scene_add_line(&n->lines, &n->n_lines, GDV_TEXT_NAME, line, err);
  }
  if (st == GDV_OK && (*line || *suffix)) {
    sbuf b = {0};
    sb_printf(&b, "%s%s", line, suffix);
    st = b.failed ? OOM(err) : gdv_scene_add_line(&n->lines, &n->n_lines, GDV_TEXT_NAME, b.s, err);
    free(b.s);
  }
  free(text);
  return st;
}

/* Codepoints of UTF-8 text from `from` up to `to`: what a line's width
 * goes by. */
static size_t chars_between(const char *from, const char *to) {
  size_t n = 0;
  for (; from < to; from++) n += ((unsigned char)*from & 0xC0) != 0x80;
  return n;
}

/* Codepoints in a UTF-8 string. */
static size_t text_chars(const char *t) {
  return chars_between(t, t + strlen(t));
}

/* Characters between the bracket at `open` and its match (to the end
 * when it has none). */
static size_t bracket_chars(const char *open) {
  size_t level = 0;
  const char *p = open;
  for (; *p; p++) {
    if (*p == '(') level++;
    else if (*p == ')' && --level == 0) break;
  }
  return chars_between(open + 1, p);
}

/* Where to end a line of a long sum or equation that starts at `line`:
 * before the " + " or " = " (in an equation, also " − " or " · ") that makes it
 * nearest `goal` characters long, or at the end when what is left is not
 * much longer than `goal`. Never inside brackets that would fit on a line
 * (a cut in "(1 − z)", "∂C/∂(x1 + x2)" or "log(1 + exp(z))" splits what
 * is read as one; a long tanh(...) or −(... + ...) may be cut; a short
 * plain bracket is kept whole even a little past `goal`), nor at the
 * first line's first " = " (the name stays with its first term).
 * A sum is never cut at " − " or " · ": its terms are bracketed, "(−2)",
 * and its products are not spaced. */
static const char *sum_cut(const char *line, size_t goal, int equation, int first) {
  if (text_chars(line) <= goal + goal / 3) return line + strlen(line);
  const char *cut = NULL;
  /* bracket nesting, and the level of the outermost open bracket that is
   * not a function's (SIZE_MAX: none open) */
  size_t best = SIZE_MAX, level = 0, plain = SIZE_MAX;
  int name_equals = first;
  for (const char *p = line; *p; p++) {
    if (*p == '(') {
      level++;
      int call = p > line && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
      size_t fits = (call || goal > 16) ? goal : 16;
      if (plain == SIZE_MAX && bracket_chars(p) <= fits) plain = level;
      continue;
    }
    if (*p == ')') {
      if (level == plain) plain = SIZE_MAX;
      if (level) level--;
      continue;
    }
    int eq = strncmp(p, " = ", 3) == 0;
    if (p == line || plain != SIZE_MAX ||
        (strncmp(p, " + ", 3) != 0 && !eq &&
         !(equation && (strncmp(p, " \xE2\x88\x92 ", 5) == 0 ||
                        strncmp(p, " \xC2\xB7 ", 4) == 0))))
      continue;
    if (eq && name_equals) {
      name_equals = 0;
      continue;
    }
    size_t len = chars_between(line, p), off = len > goal ? len - goal : goal - len;
    if (off < best) best = off, cut = p;
    if (len > goal) break;
  }
  return cut ? cut : line + strlen(line);
}

/* The line length that cuts `len` characters into the fewest lines of
 * at most `wrap`, balanced. */
static size_t wrap_goal(size_t len, size_t wrap) {
  size_t most = wrap ? wrap : 1, k = (len + most - 1) / most;
  return (len + k - 1) / k;
}

/* One equation as name lines, cut like a long sum when longer than `wrap`
 * characters (each line going on with its "+ ", "− " or "· "); *widest
 * grows to its longest line's characters. */
static gdv_status equation_part(gdv_scene_node *n, const char *equation, size_t wrap,
                                size_t *widest, gdv_error *err) {
  size_t len = text_chars(equation);
  size_t goal = wrap == 0 || len <= wrap ? SIZE_MAX : wrap_goal(len, wrap);
  gdv_status st = GDV_OK;
  for (const char *line = equation; st == GDV_OK && *line;) {
    const char *cut = goal == SIZE_MAX ? line + strlen(line) : sum_cut(line, goal, 1, line == equation);
    char *part = strndup(line, (size_t)(cut - line));
    if (part == NULL) return OOM(err);
    size_t chars = text_chars(part);
    if (chars > *widest) *widest = chars;
    st = gdv_scene_add_line(&n->lines, &n->n_lines, GDV_TEXT_NAME, part, err);
    free(part);
    line = *cut ? cut + 1 : cut;
  }
  return st;
}

/* A group's equation as its name lines: each of its lines (a merged
 * group has one per statement) cut as equation_part does; *widest gets
 * the longest line's characters. A label that breaks its own lines (DOT
 * escapes) is left as written. */
static gdv_status equation_lines(gdv_scene_node *n, const char *equation, size_t wrap,
                                 size_t *widest, gdv_error *err) {
  *widest = 0;
  if (strchr(equation, '\\')) {
    *widest = text_chars(equation);
    return name_lines(n, equation, NULL, "", err);
  }
  gdv_status st = GDV_OK;
  for (const char *line = equation; st == GDV_OK && *line;) {
    size_t len = strcspn(line, "\n");
    char *part = strndup(line, len);
    if (part == NULL) return OOM(err);
    st = equation_part(n, part, wrap, widest, err);
    free(part);
    line += len + (line[len] == '\n');
  }
  return st;
}

/* A fan-out sum as one line, or when longer than `wrap` characters as
 * the fewest balanced lines of at most `wrap`, each going on with
 * "+ " (or "= "): a long sum would otherwise set the width of its node
 * and of its whole rank. */
static gdv_status sum_lines(gdv_scene_node *n, const char *sum, size_t wrap, gdv_error *err) {
  size_t len = text_chars(sum);
  if (wrap == 0 || len <= wrap)
    return gdv_scene_add_line(&n->lines, &n->n_lines, GDV_TEXT_SUM, sum, err);
  size_t goal = wrap_goal(len, wrap);
  gdv_status st = GDV_OK;
  for (const char *line = sum; st == GDV_OK && *line;) {
    const char *cut = sum_cut(line, goal, 0, line == sum);
    char *part = strndup(line, (size_t)(cut - line));
    if (part == NULL) return OOM(err);
    st = gdv_scene_add_line(&n->lines, &n->n_lines, GDV_TEXT_SUM, part, err);
    free(part);
    line = *cut ? cut + 1 : cut;
  }
  return st;
}

/* Adds to scene node si the lines of graph node v; a collapsed group's node
 * (equation not NULL) shows its equation instead of name and op, and says
 * in *equation_width how wide its lines are. */
static gdv_status node_lines(gdv_scene *s, const gdv_graph *g,
                             const gdv_consumers *oi, gdv_id v, size_t si,
                             const char *equation, unsigned show, int prec, size_t text_wrap,
                             size_t *equation_width, gdv_error *err) {
  gdv_scene_node *n = &s->nodes[si];
  char num[GDV_NUMBER_MAX];
  gdv_status st = GDV_OK;
  sbuf b = {0};
  const char *disp = gdv_graph_display_name(g, v);
  if (disp == NULL) disp = "";
  const char *suffix = v != g->output || strcmp(disp, "C") == 0 ? "" : *disp ? " = C" : "C";
  if (equation) st = equation_lines(n, equation, text_wrap, equation_width, err);
  else st = name_lines(n, disp, g->name[v], suffix, err);
  if (st == GDV_OK && g->op[v] != GDV_OP_LEAF && (show & GDV_SHOW_OPS) && !equation) {
    const gdv_op_info *oinfo = gdv_op_get((gdv_op)g->op[v]);
    if (g->op[v] == GDV_OP_POWK)
      sb_printf(&b, "^%s", gdv_figure_number(g->exponent[v], prec, num, sizeof num));
    else
      sb_printf(&b, "%s", oinfo->symbol);
    if (!b.failed) st = gdv_scene_add_line(&n->lines, &n->n_lines, GDV_TEXT_OP, b.s, err);
    b.n = 0;
  }
  if (st == GDV_OK && (show & GDV_SHOW_VALUES)) {
    sb_printf(&b, "value %s", gdv_figure_number(g->value[v], prec, num, sizeof num));
    if (!b.failed) st = gdv_scene_add_line(&n->lines, &n->n_lines, GDV_TEXT_VALUE, b.s, err);
    b.n = 0;
  }
  int fans = fans_out(s, g, oi, v);
  size_t before = n->n_lines;
  if (st == GDV_OK && fans && (show & GDV_SHOW_SUMS) && g->reaches[v]) {
    compose_sum(&b, g, oi, v, s, (sum_known){SIZE_MAX, NULL, 1}, prec);
    if (!b.failed) st = sum_lines(n, b.s, text_wrap, err);
  } else if (st == GDV_OK && (show & GDV_SHOW_GRADS)) {
    grad_prefix(&b, g, v);
    sb_printf(&b, " = %s", gdv_figure_number(g->grad[v], prec, num, sizeof num));
    if (!b.failed) st = gdv_scene_add_line(&n->lines, &n->n_lines, GDV_TEXT_GRAD, b.s, err);
  }
  /* the gradient beside the value, where the line has room for both */
  if (st == GDV_OK && s->pair_lines && n->n_lines == before + 1 && before > 0 &&
      n->lines[before - 1].kind == GDV_TEXT_VALUE &&
      text_chars(n->lines[before - 1].text) + 3 + text_chars(n->lines[before].text) <= text_wrap)
    n->lines[before].join = 1;
  if (b.failed && st == GDV_OK) st = OOM(err);
  free(b.s);
  return st;
}

/* down[v]: v is reachable from `from`; count[v]: the number of paths from
 * v to the output (a double: the count grows exponentially with depth).
 * Topological order makes one sweep each way enough. */
static void count_paths(const gdv_graph *g, const gdv_consumers *oi, gdv_id from,
                        uint8_t *down, double *count) {
  size_t nn = g->n_nodes;
  down[from] = 1;
  for (gdv_id v = from; v < nn; v++) {
    if (!down[v]) continue;
    for (size_t k = oi->start[v]; k < oi->start[v + 1]; k++)
      down[g->edge_to[oi->edge[k]]] = 1;
  }
  for (gdv_id v = (gdv_id)nn; v-- > from;) {
    if (!down[v] || !g->reaches[v]) continue;
    if (v == g->output) { count[v] = 1; continue; }
    double c = 0;
    for (size_t k = oi->start[v]; k < oi->start[v + 1]; k++)
      c += count[g->edge_to[oi->edge[k]]];
    count[v] = c;
  }
}

/* Flags what lies on some path from `from` to the output. */
static void mark_paths(gdv_scene *s, const gdv_graph *g, gdv_id from, const uint8_t *down,
                       const double *count) {
  for (gdv_id v = 0; v < g->n_nodes; v++)
    if (down[v] && count[v] > 0) s->nodes[v].flags |= GDV_NODE_ON_PATH;
  s->nodes[from].flags |= GDV_NODE_HIGHLIGHT;
  for (size_t e = 0; e < g->n_edges; e++)
    if (down[g->edge_from[e]] && count[g->edge_from[e]] > 0 && count[g->edge_to[e]] > 0)
      s->edges[e].flags |= GDV_EDGE_ON_PATH;
}

/* One path on the stack: names, its local derivatives, their product. */
static double path_line(sbuf *b, const gdv_graph *g, const gdv_consumers *oi,
                        const size_t *stack, const size_t *pos, size_t depth, int prec) {
  char num[GDV_NUMBER_MAX];
  b->n = 0;
  sb_printf(b, "path ");
  for (size_t d = 0; d <= depth; d++) {
    if (d) sb_printf(b, "\xE2\x86\x92");
    gdv_sbuf_node_name(b, g, (gdv_id)stack[d], 1);
  }
  sb_printf(b, ": ");
  double prod = 1;
  for (size_t d = 0; d < depth; d++) {
    double l = g->edge_local[oi->edge[pos[d] - 1]];
    prod *= l;
    sb_printf(b, "%s%s", d ? " \xC3\x97 " : "", gdv_figure_number(l, prec, num, sizeof num));
  }
  if (depth == 0) sb_printf(b, "1");
  sb_printf(b, " = %s", gdv_figure_number(prod, prec, num, sizeof num));
  return prod;
}

/* The paths so far listed in a highlight box. */
typedef struct path_list {
  size_t listed;
  double sum;
} path_list;

/* Lists up to max_paths paths depth first, with an explicit stack of
 * nodes (pos: the next out-edge slot of each). */
static gdv_status list_paths(gdv_scene_item *it, const gdv_graph *g, const gdv_consumers *oi,
                             gdv_id from, const double *count, size_t max_paths, int prec,
                             path_list *pl, gdv_error *err) {
  size_t nn = g->n_nodes, depth = 0;
  size_t *stack = malloc((nn + 1) * sizeof *stack), *pos = malloc((nn + 1) * sizeof *pos);
  gdv_status st = GDV_OK;
  sbuf b = {0};
  if (!stack || !pos) st = OOM(err);
  else {
    stack[0] = from;
    pos[0] = oi->start[from];
  }
  while (st == GDV_OK && pl->listed < max_paths && count[from] > 0) {
    gdv_id v = (gdv_id)stack[depth];
    if (v == g->output) {
      double prod = path_line(&b, g, oi, stack, pos, depth, prec);
      if (b.failed) st = OOM(err);
      else st = gdv_scene_add_line(&it->lines, &it->n_lines, GDV_TEXT_LOCAL, b.s, err);
      pl->listed++;
      pl->sum += prod;
      if (depth == 0) break;
      depth--;
      continue;
    }
    if (pos[depth] >= oi->start[v + 1]) {
      if (depth == 0) break;
      depth--;
      continue;
    }
    gdv_id w = g->edge_to[oi->edge[pos[depth]++]];
    if (count[w] <= 0) continue;
    depth++;
    stack[depth] = w;
    pos[depth] = oi->start[w];
  }
  free(b.s);
  free(stack);
  free(pos);
  return st;
}

/* The box's last lines: how many paths were left out, and the sum that is
 * the gradient. */
static gdv_status path_sum_lines(gdv_scene_item *it, const gdv_graph *g, gdv_id from,
                                 double all, const path_list *pl, int prec, gdv_error *err) {
  char num[GDV_NUMBER_MAX];
  gdv_status st = GDV_OK;
  sbuf b = {0};
  if (all > (double)pl->listed)
    sb_printf(&b, "\xE2\x80\xA6 and %.0f more paths (%.0f in all)", all - (double)pl->listed, all);
  if (b.n && !b.failed) st = gdv_scene_add_line(&it->lines, &it->n_lines, GDV_TEXT_NOTE, b.s, err);
  b.n = 0;
  if (all > (double)pl->listed) sb_printf(&b, "sum over all paths = ");
  else sb_printf(&b, "sum = %s = ", gdv_figure_number(pl->sum, prec, num, sizeof num));
  grad_prefix(&b, g, from);
  sb_printf(&b, " = %s", gdv_figure_number(g->grad[from], prec, num, sizeof num));
  if (st == GDV_OK && b.failed) st = OOM(err);
  if (st == GDV_OK) st = gdv_scene_add_line(&it->lines, &it->n_lines, GDV_TEXT_GRAD, b.s, err);
  free(b.s);
  return st;
}

/* Marks nodes and edges on some path from `from` to the output, and adds
 * the box listing each path's product of local derivatives: the chain rule
 * as a sum over paths. */
static gdv_status highlight_paths(gdv_scene *s, const gdv_graph *g,
                                  const gdv_consumers *oi, gdv_id from,
                                  size_t max_paths, int prec, gdv_error *err) {
  size_t nn = g->n_nodes, item;
  uint8_t *down = calloc(nn, 1);
  double *count = calloc(nn, sizeof *count);
  gdv_status st = GDV_OK;
  sbuf b = {0};
  path_list pl = {0, 0};
  if (!down || !count) st = OOM(err);
  if (st == GDV_OK) {
    count_paths(g, oi, from, down, count);
    mark_paths(s, g, from, down, count);
    st = gdv_scene_add_item(s, GDV_ITEM_BOX, &item, err);
  }
  if (st == GDV_OK) {
    sb_printf(&b, "Chain rule as a sum over paths from ");
    gdv_sbuf_node_name(&b, g, from, 0);
    sb_printf(&b, " to C");
    st = b.failed ? OOM(err)
                  : gdv_scene_add_line(&s->items[item].lines, &s->items[item].n_lines,
                                       GDV_TEXT_NOTE, b.s, err);
  }
  if (st == GDV_OK)
    st = list_paths(&s->items[item], g, oi, from, count, max_paths, prec, &pl, err);
  if (st == GDV_OK) st = path_sum_lines(&s->items[item], g, from, count[from], &pl, prec, err);
  free(b.s);
  free(down);
  free(count);
  return st;
}

/* Where a NaN or infinity first arises, as opposed to where it arrives:
 * a node whose value is not finite though its operands' values are (log 0,
 * 0/0, an overflow), or whose gradient alone is not finite though nothing
 * it feeds carries a non-finite number (sqrt at 0: an infinite local
 * derivative). bad_in[c]: some operand of c has a non-finite value. */
static int nonfinite_origin(const gdv_graph *g, const gdv_consumers *oi,
                            const uint8_t *bad_in, gdv_id v) {
  if (bad_in[v]) return 0;
  if (!isfinite(g->value[v])) return 1;
  for (size_t j = oi->start[v]; j < oi->start[v + 1]; j++) {
    gdv_id c = g->edge_to[oi->edge[j]];
    if (g->reaches[c] && (bad_in[c] || !isfinite(g->value[c]) || !isfinite(g->grad[c])))
      return 0;
  }
  return 1;
}

/* The scene node drawing graph node v (SIZE_MAX: none). */
static size_t scene_of(const gdv_scene *s, gdv_id v) {
  return s->node_scene ? s->node_scene[v] : v;
}

/* Flags the origins among the non-finite nodes and gives each a note, so
 * that a reader starts where the trouble starts, not at the output it
 * spread to. */
static gdv_status mark_nonfinite_origins(gdv_scene *s, const gdv_graph *g,
                                         const gdv_consumers *oi, gdv_error *err) {
  size_t nn = g->n_nodes, any = 0;
  for (gdv_id v = 0; v < nn; v++) {
    size_t si = scene_of(s, v);
    any += si != SIZE_MAX && (s->nodes[si].flags & GDV_NODE_NONFINITE) != 0;
  }
  if (any == 0) return GDV_OK;
  uint8_t *bad_in = calloc(nn, 1);
  if (bad_in == NULL) return OOM(err);
  for (size_t e = 0; e < g->n_edges; e++)
    if (!isfinite(g->value[g->edge_from[e]])) bad_in[g->edge_to[e]] = 1;
  gdv_status st = GDV_OK;
  for (gdv_id v = 0; st == GDV_OK && v < nn; v++) {
    size_t si = scene_of(s, v);
    /* a collapsed group is marked by its exit, the node it draws */
    if (si == SIZE_MAX || s->nodes[si].graph_node != v) continue;
    gdv_scene_node *n = &s->nodes[si];
    if (!(n->flags & GDV_NODE_NONFINITE) || !nonfinite_origin(g, oi, bad_in, v)) continue;
    n->flags |= GDV_NODE_NONFINITE_ORIGIN;
    st = gdv_scene_add_line(&n->lines, &n->n_lines, GDV_TEXT_NOTE,
                            "NaN/\xE2\x88\x9E starts here", err);
  }
  free(bad_in);
  return st;
}

/* A merged edge says how many it stands for, first, whatever --show hides:
 * without it the figure would claim one use where there are thousands. */
static gdv_status edge_count_line(gdv_scene *s, size_t se, size_t count, gdv_error *err) {
  if (count <= 1) return GDV_OK;
  char line[32];
  snprintf(line, sizeof line, "\xC3\x97%zu", count);
  s->edges[se].count = count;
  return gdv_scene_add_line(&s->edges[se].lines, &s->edges[se].n_lines, GDV_TEXT_NOTE, line, err);
}

/* Which groups a scene draws as one node: those the options collapse that
 * have a single exit. `collapsed` NULL: none (the full scene). */
typedef struct collapse_plan {
  gdv_groups own;           /* the analysis when computed here */
  const gdv_groups *gr;
  uint8_t *collapsed;       /* per group */
  size_t n_collapsed;
  uint8_t *folded;          /* per node: a leaf drawn inside its group's node,
                               not as a node (see fold_leaves): FOLD_LITERAL
                               or FOLD_NAMED */
  size_t *inside_start;     /* per group k, inside[inside_start[k] ..
                               inside_start[k + 1]]: its FOLD_NAMED leaves */
  gdv_id *inside;
  char **equation;          /* per group: the equations of a group others
                               are merged into, one a line; NULL: none
                               merged anywhere, or none into this one */
} collapse_plan;

enum { FOLD_NONE = 0, FOLD_LITERAL, FOLD_NAMED };

/* Frees what plan_collapse got. */
static void plan_free(collapse_plan *p) {
  for (size_t k = 0; p->equation && k < p->gr->n; k++) free(p->equation[k]);
  free(p->equation);
  gdv_groups_free(&p->own);
  free(p->collapsed);
  free(p->folded);
  free(p->inside_start);
  free(p->inside);
}

/* The collapsed group node v is in (merges applied), or GDV_NONE. */
static gdv_id collapsed_group(const collapse_plan *p, gdv_id v) {
  if (p->collapsed == NULL) return GDV_NONE;
  gdv_id k = p->gr->node_group[v];
  return k != GDV_NONE && p->collapsed[k] ? k : GDV_NONE;
}

/* The equation group k's node shows: its label, with the labels of the
 * groups merged into it on lines of their own, in source order. */
static const char *plan_equation(const collapse_plan *p, const gdv_graph *g, gdv_id k) {
  return p->equation && p->equation[k] ? p->equation[k] : g->group_label[k];
}

/* Joins the labels of merged groups under their head's (see
 * plan_equation): only where some group is merged. */
static gdv_status merged_equations(const gdv_graph *g, collapse_plan *p, gdv_error *err) {
  const gdv_groups *gr = p->gr;
  size_t merged = 0;
  for (size_t k = 0; k < gr->n; k++) merged += gr->merged_into[k] != k;
  if (merged == 0) return GDV_OK;
  if ((p->equation = calloc(gr->n, sizeof *p->equation)) == NULL) return OOM(err);
  for (size_t h = 0; h < gr->n; h++) {
    if (gr->merged_into[h] != h) continue;
    sbuf b = {0};
    for (size_t k = 0; k < gr->n; k++)
      if (k != h && gr->merged_into[k] == h)
        sb_printf(&b, "%s%s", b.n ? "\n" : "", g->group_label[k]);
    if (b.failed) {
      free(b.s);
      return OOM(err);
    }
    if (b.n == 0) continue;
    sbuf e = {0};
    sb_printf(&e, "%s\n%s", g->group_label[h], b.s);
    free(b.s);
    if (e.failed) {
      free(e.s);
      return OOM(err);
    }
    p->equation[h] = e.s;
  }
  return GDV_OK;
}

/* Part of a name or number (so that x1 is not found inside x12 or 0.5
 * inside 10.5). */
static int name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '.';
}

/* Whether the equation writes `name` as a whole token. */
static int writes_token(const char *equation, const char *name) {
  size_t len = strlen(name);
  if (len == 0) return 0;
  for (const char *at = strstr(equation, name); at; at = strstr(at + 1, name))
    if ((at == equation || !name_char(at[-1])) && !name_char(at[len])) return 1;
  return 0;
}

/* The group whose node lists v's value and gradient: a FOLD_NAMED
 * leaf's, or a collapsed group's for a member that bears a name of the
 * file's (a DOT cluster's nodes) other than its exit, which the node
 * draws; GDV_NONE for the rest. */
static gdv_id listed_in(const gdv_graph *g, const collapse_plan *p, const gdv_id *use, gdv_id v) {
  if (p->folded[v] == FOLD_NAMED) return use[v];
  gdv_id k = collapsed_group(p, v);
  return k != GDV_NONE && v != p->gr->exit[k] && gdv_graph_named(g, v) ? k : GDV_NONE;
}

/* Lists what each collapsed group's node shows inside it (a counting
 * sort by group, in node order): folded leaves and named members. */
static gdv_status list_inside(const gdv_graph *g, collapse_plan *p, const gdv_id *use,
                              gdv_error *err) {
  size_t ng = g->n_groups, nn = g->n_nodes;
  p->inside_start = calloc(ng + 2, sizeof *p->inside_start);
  p->inside = malloc((nn ? nn : 1) * sizeof *p->inside);
  if (p->inside_start == NULL || p->inside == NULL) return OOM(err);
  for (size_t v = 0; v < nn; v++) {
    gdv_id k = listed_in(g, p, use, (gdv_id)v);
    if (k != GDV_NONE) p->inside_start[k + 2]++;
  }
  for (size_t k = 0; k < ng; k++) p->inside_start[k + 2] += p->inside_start[k + 1];
  for (size_t v = 0; v < nn; v++) {
    gdv_id k = listed_in(g, p, use, (gdv_id)v);
    if (k != GDV_NONE) p->inside[p->inside_start[k + 1]++] = (gdv_id)v;
  }
  return GDV_OK;
}

/* A leaf used only by one collapsed group whose equation writes its name
 * is drawn inside that group's node: a literal (the 3 of `mu = (x1 + x2 +
 * x3) / 3`, whose name is its number) is there already; a named leaf (w1
 * of `h = tanh(w1*x + b)`) gets its value and gradient listed under the
 * equation. Either way the edge into the group goes, and with it the box
 * of a leaf that the equation already shows: what makes a network's many
 * weights fit a slide. Its gradient is its only term: nothing is lost. */
static gdv_status fold_leaves(const gdv_graph *g, collapse_plan *p, gdv_error *err) {
  gdv_id *use = malloc((g->n_nodes ? g->n_nodes : 1) * sizeof *use);
  p->folded = calloc(g->n_nodes ? g->n_nodes : 1, 1);
  if (use == NULL || p->folded == NULL) { free(use); return OOM(err); }
  for (size_t v = 0; v < g->n_nodes; v++) {
    const char *d = gdv_graph_display_name(g, (gdv_id)v);
    double x;
    int literal = g->role[v] == GDV_ROLE_CONST && gdv_parse_number(d, &x) && x == g->value[v];
    p->folded[v] = g->op[v] != GDV_OP_LEAF || g->fan_out[v] == 0 || v == g->output ? FOLD_NONE
                   : literal ? FOLD_LITERAL : FOLD_NAMED;
    use[v] = GDV_NONE;
  }
  for (size_t e = 0; e < g->n_edges; e++) {
    gdv_id u = g->edge_from[e], k = collapsed_group(p, g->edge_to[e]);
    /* (the equation is read once per leaf: x*x*...*x is 100,000 edges) */
    if (!p->folded[u] || (use[u] != GDV_NONE && use[u] == k)) continue;
    if (k == GDV_NONE || use[u] != GDV_NONE ||
        !writes_token(plan_equation(p, g, k), gdv_graph_display_name(g, u)))
      p->folded[u] = FOLD_NONE;
    use[u] = k;
  }
  gdv_status st = list_inside(g, p, use, err);
  free(use);
  return st;
}

/* Counts for real: a group stays whole when expanded or with several exits. */
static size_t expand_count(const gdv_groups *gr, const uint8_t *mask) {
  size_t n = 0;
  for (size_t k = 0; mask && k < gr->n; k++) n += !mask[k] && gr->exit[k] != GDV_NONE;
  return n;
}

/* A group collapses when the options say so and one member exits. */
static gdv_status plan_collapse(const gdv_graph *g, const gdv_scene_options *opt,
                                collapse_plan *p, gdv_error *err) {
  memset(p, 0, sizeof *p);
  if (opt->expand == NULL || g->n_groups == 0) return GDV_OK;
  p->gr = opt->groups;
  if (p->gr == NULL) {
    gdv_status st = gdv_groups_analyse(g, &p->own, err);
    if (st) return st;
    p->gr = &p->own;
  }
  p->n_collapsed = expand_count(p->gr, opt->expand);
  if (p->n_collapsed == 0) return GDV_OK;
  if ((p->collapsed = malloc(g->n_groups)) == NULL) return OOM(err);
  for (size_t k = 0; k < g->n_groups; k++)
    p->collapsed[k] = !opt->expand[k] && p->gr->exit[k] != GDV_NONE;
  gdv_status st = merged_equations(g, p, err);
  return st ? st : fold_leaves(g, p, err);
}

/* In a collapsed scene edge_group (made here when no parallel edges were
 * merged) also merges each node's edges into a collapsed group, led by the
 * first, and marks them summed; an edge inside a group leads nothing and
 * points to itself, so it is drawn nowhere. */
static gdv_status merge_into_groups(gdv_scene *s, const gdv_graph *g, const collapse_plan *p,
                                    gdv_error *err) {
  size_t m = g->n_edges;
  if (s->edge_group == NULL) {
    if ((s->edge_group = malloc((2 * m + 1) * sizeof *s->edge_group)) == NULL) return OOM(err);
    for (size_t e = 0; e < m; e++) {
      s->edge_group[e] = 1;
      s->edge_group[m + e] = e;
    }
  }
  s->edge_summed = calloc(m ? m : 1, 1);
  s->edge_term = calloc(m ? m : 1, sizeof *s->edge_term);
  s->node_scene = malloc(g->n_nodes * sizeof *s->node_scene);
  if (!s->edge_summed || !s->edge_term || !s->node_scene) return OOM(err);
  for (size_t e = 0; e < m; e++) {
    gdv_id kt = collapsed_group(p, g->edge_to[e]);
    if (kt == GDV_NONE) continue;
    if (collapsed_group(p, g->edge_from[e]) == kt) {
      s->edge_group[e] = 0;
      s->edge_group[m + e] = e;
      continue;
    }
    if (p->folded[g->edge_from[e]]) {
      s->edge_group[e] = 0;  /* drawn in the equation: no edge */
      s->edge_group[m + e] = e;
      continue;
    }
    const gdv_group_input *in = &p->gr->inputs[p->gr->edge_input[e]];
    s->edge_group[e] = e == in->first_edge ? in->n_edges : 0;
    s->edge_group[m + e] = in->first_edge;
    s->edge_summed[e] = 1;
    s->edge_term[e] = in->grad;
  }
  s->n_collapsed = p->n_collapsed;
  return GDV_OK;
}

/* Appends `item` to the lines being built, starting a new line of `kind`
 * when the current one would pass `width` characters. */
static gdv_status wrap_item(gdv_scene_node *n, sbuf *line, const char *item, size_t width,
                            uint8_t kind, int last, gdv_error *err) {
  gdv_status st = GDV_OK;
  if (line->n && text_chars(line->s) + 2 + text_chars(item) > width) {
    st = gdv_scene_add_line(&n->lines, &n->n_lines, kind, line->s, err);
    line->n = 0;
  }
  sb_printf(line, "%s%s", line->n ? ", " : "", item);
  if (line->failed) return OOM(err);
  if (st == GDV_OK && last) {
    st = gdv_scene_add_line(&n->lines, &n->n_lines, kind, line->s, err);
    line->n = 0;
  }
  return st;
}

/* How many distinct named nodes v's value feeds (live ones): an
 * operation a formula made inside a statement counts as its statement,
 * so x*x*x of one statement is one (a fan-out sum is for several). */
static size_t named_consumers(const gdv_graph *g, const gdv_consumers *oi, gdv_id v) {
  size_t n = 0;
  gdv_id first = GDV_NONE, first_group = GDV_NONE;
  for (size_t j = oi->start[v]; j < oi->start[v + 1] && n < 2; j++) {
    gdv_id c = g->edge_to[oi->edge[j]];
    if (!g->reaches[c]) continue;
    gdv_id k = gdv_graph_named(g, c) || !g->node_group ? GDV_NONE : g->node_group[c];
    if (n == 0) {
      first = c, first_group = k, n = 1;
    } else if (k != GDV_NONE ? k != first_group : c != first) {
      n = 2;
    }
  }
  return n;
}

/* The gradient of a node listed inside a group: "∂C/∂v = total", or
 * where it fans out (a DOT cluster's node used twice inside) its sum
 * term by term, as its own box would show it. */
static void inside_grad(sbuf *b, const gdv_graph *g, const gdv_consumers *oi, gdv_id v, int prec) {
  char num[GDV_NUMBER_MAX];
  grad_prefix(b, g, v);
  sb_printf(b, " = ");
  if (named_consumers(g, oi, v) > 1) {
    size_t k = 0;
    for (size_t j = oi->start[v]; j < oi->start[v + 1]; j++) {
      size_t e = oi->edge[j];
      if (!g->reaches[g->edge_to[e]]) continue;
      double t = g->edge_grad[e];
      gdv_figure_number(t, prec, num, sizeof num);
      sb_printf(b, k == 0 ? "%s" : t < 0 ? " + (%s)" : " + %s", num);
      k++;
    }
    sb_printf(b, " = ");
  }
  sb_printf(b, "%s", gdv_figure_number(g->grad[v], prec, num, sizeof num));
}

/* Whether every node group k's node lists fits a row of its value and
 * its gradient within `width` characters. */
static int inside_pairs_fit(const gdv_scene *s, const gdv_graph *g, const gdv_consumers *oi,
                            const collapse_plan *p, gdv_id k, size_t width) {
  char num[GDV_NUMBER_MAX];
  int fit = 1;
  sbuf b = {0};
  for (size_t i = p->inside_start[k]; fit && i < p->inside_start[k + 1]; i++) {
    gdv_id v = p->inside[i];
    b.n = 0;
    gdv_sbuf_node_name(&b, g, v, 0);
    sb_printf(&b, " = %s", gdv_figure_number(g->value[v], s->precision, num, sizeof num));
    sb_printf(&b, "   ");
    inside_grad(&b, g, oi, v, s->precision);
    fit = !b.failed && text_chars(b.s) <= width;
  }
  free(b.s);
  return fit;
}

/* Under a collapsed group's equation, the values (forward colour) then
 * the gradients (backward colour) of the leaves drawn inside it, wrapped
 * to about the width of the equation's lines (`width` characters). */
static gdv_status inside_lines(gdv_scene *s, const gdv_graph *g, const gdv_consumers *oi,
                               const collapse_plan *p, gdv_id k, size_t si, unsigned show,
                               size_t width, size_t wrap, gdv_error *err) {
  size_t a = p->inside_start[k], b = p->inside_start[k + 1];
  if (a == b) return GDV_OK;
  if (width < 24) width = 24;
  char num[GDV_NUMBER_MAX];
  sbuf line = {0}, item = {0};
  gdv_status st = GDV_OK;
  if (s->pair_lines && (show & GDV_SHOW_VALUES) && (show & GDV_SHOW_GRADS) &&
      inside_pairs_fit(s, g, oi, p, k, width > wrap ? width : wrap)) {
    /* a row per node listed: its value, its gradient beside it */
    for (size_t i = a; i < b && st == GDV_OK; i++) {
      gdv_id v = p->inside[i];
      item.n = 0;
      gdv_sbuf_node_name(&item, g, v, 0);
      sb_printf(&item, " = %s", gdv_figure_number(g->value[v], s->precision, num, sizeof num));
      line.n = 0;
      inside_grad(&line, g, oi, v, s->precision);
      if (item.failed || line.failed) st = OOM(err);
      gdv_scene_node *n = &s->nodes[si];
      if (st == GDV_OK) st = gdv_scene_add_line(&n->lines, &n->n_lines, GDV_TEXT_VALUE, item.s, err);
      if (st == GDV_OK) st = gdv_scene_add_line(&n->lines, &n->n_lines, GDV_TEXT_GRAD, line.s, err);
      if (st == GDV_OK) n->lines[n->n_lines - 1].join = 1;
    }
    free(line.s);
    free(item.s);
    return st;
  }
  for (int pass = 0; pass < 2 && st == GDV_OK; pass++) {
    if (!(show & (pass ? GDV_SHOW_GRADS : GDV_SHOW_VALUES))) continue;
    for (size_t i = a; i < b && st == GDV_OK; i++) {
      gdv_id v = p->inside[i];
      item.n = 0;
      if (pass) {
        inside_grad(&item, g, oi, v, s->precision);
      } else {
        gdv_sbuf_node_name(&item, g, v, 0);
        sb_printf(&item, " = %s", gdv_figure_number(g->value[v], s->precision, num, sizeof num));
      }
      if (item.failed) { st = OOM(err); break; }
      st = wrap_item(&s->nodes[si], &line, item.s, width,
                     pass ? GDV_TEXT_GRAD : GDV_TEXT_VALUE, i + 1 == b, err);
    }
  }
  free(line.s);
  free(item.s);
  return st;
}

/* One scene node per graph node, except that a collapsed group is one
 * node, in the place of its exit (its last member: every member reaches
 * it), named by the group and showing its label. */
static gdv_status add_graph_nodes(gdv_scene *s, const gdv_graph *g, const gdv_consumers *oi,
                                  const collapse_plan *p, unsigned show, size_t text_wrap,
                                  const size_t *node_wrap, gdv_error *err) {
  gdv_status st = GDV_OK;
  for (gdv_id v = 0; st == GDV_OK && v < g->n_nodes; v++) {
    static const uint8_t kinds[] = {GDV_KIND_OP, GDV_KIND_INPUT, GDV_KIND_PARAM, GDV_KIND_CONST};
    uint8_t kind = g->op[v] == GDV_OP_LEAF ? kinds[g->role[v] ? g->role[v] : GDV_ROLE_INPUT] : GDV_KIND_OP;
    gdv_id k = collapsed_group(p, v);
    if (p->folded && p->folded[v] && s->node_scene) s->node_scene[v] = SIZE_MAX;
    if ((k != GDV_NONE && v != p->gr->exit[k]) || (p->folded && p->folded[v])) continue;
    size_t si;
    const char *id = k != GDV_NONE ? g->group_name[k] : g->name[v];
    if ((st = gdv_scene_add_node(s, id, (gdv_node_kind)kind, &si, err))) break;
    if (s->node_scene) s->node_scene[v] = si;
    gdv_scene_node *n = &s->nodes[si];
    n->graph_node = v;
    if (v == g->output) n->flags |= GDV_NODE_OUTPUT;
    if (!g->reaches[v]) n->flags |= GDV_NODE_GREYED;
    if (!isfinite(g->value[v]) || !isfinite(g->grad[v])) n->flags |= GDV_NODE_NONFINITE;
    if (!isfinite(g->value[v])) n->flags |= GDV_NODE_NONFINITE_VALUE;
    const char *equation = k != GDV_NONE ? plan_equation(p, g, k) : NULL;
    size_t width = 0;
    size_t wrap = node_wrap && node_wrap[v] ? node_wrap[v] : text_wrap;
    s->nodes[si].wrap = wrap;
    st = node_lines(s, g, oi, v, si, equation, show, s->precision, wrap, &width, err);
    if (st == GDV_OK && k != GDV_NONE) st = inside_lines(s, g, oi, p, k, si, show, width, wrap, err);
  }
  for (gdv_id v = 0; st == GDV_OK && s->node_scene && v < g->n_nodes; v++) {
    gdv_id k = collapsed_group(p, v);
    if (k != GDV_NONE) s->node_scene[v] = s->node_scene[p->gr->exit[k]];
  }
  return st;
}

/* The numbers edge e's scene edge shows: its own, or for the edges of a
 * node into a collapsed group, d(exit)/du through the group and their
 * summed grads. */
static void edge_numbers(const gdv_scene *s, const gdv_graph *g, const collapse_plan *p,
                         size_t e, double *local, double *grad) {
  *local = g->edge_local[e];
  *grad = g->edge_grad[e];
  if (s->edge_summed && s->edge_summed[e]) {
    *local = p->gr->inputs[p->gr->edge_input[e]].local;
    *grad = s->edge_term[e];
  }
}

/* One scene edge per graph edge, except merged ones (parallel edges with
 * the same numbers, a node's edges into a collapsed group) and edges
 * inside a collapsed group (none). */
static gdv_status add_graph_edges(gdv_scene *s, const gdv_graph *g, const collapse_plan *p,
                                  unsigned show, gdv_error *err) {
  char num[GDV_NUMBER_MAX], line[GDV_NUMBER_MAX + 16];
  gdv_status st = GDV_OK;
  size_t m = g->n_edges;
  if (s->edge_group && !(s->edge_scene = malloc((m ? m : 1) * sizeof *s->edge_scene))) return OOM(err);
  for (size_t e = 0, se; st == GDV_OK && e < m; e++) {
    if (s->edge_group && s->edge_group[e] == 0) {
      size_t lead = s->edge_group[m + e];
      s->edge_scene[e] = lead == e ? SIZE_MAX : s->edge_scene[lead];
      continue;
    }
    size_t from = g->edge_from[e], to = g->edge_to[e];
    if (s->node_scene) from = s->node_scene[from], to = s->node_scene[to];
    if ((st = gdv_scene_add_edge(s, from, to, &se, err))) break;
    if (s->edge_scene) s->edge_scene[e] = se;
    int summed = s->edge_summed && s->edge_summed[e];
    if ((st = edge_count_line(s, se, s->edge_group && !summed ? s->edge_group[e] : 1, err))) break;
    double local, grad;
    edge_numbers(s, g, p, e, &local, &grad);
    gdv_scene_edge *ed = &s->edges[se];
    ed->graph_edge = (gdv_id)e;
    ed->local = local;
    ed->grad = grad;
    ed->weight = fabs(grad);
    if (!g->reaches[g->edge_to[e]]) ed->flags |= GDV_EDGE_GREYED;
    if (!isfinite(local) || !isfinite(grad)) {
      ed->flags |= GDV_EDGE_NONFINITE;
      ed->weight = -1;
    }
    const char *lw = s->terse_labels ? "" : "local ", *gw = s->terse_labels ? "" : "grad ";
    if (show & GDV_SHOW_LOCALS) {
      snprintf(line, sizeof line, "%s%s", lw, gdv_figure_number(local, s->precision, num, sizeof num));
      if ((st = gdv_scene_add_line(&ed->lines, &ed->n_lines, GDV_TEXT_LOCAL, line, err))) break;
    }
    if (show & GDV_SHOW_EDGE_GRADS) {
      snprintf(line, sizeof line, "%s%s", gw, gdv_figure_number(grad, s->precision, num, sizeof num));
      if ((st = gdv_scene_add_line(&ed->lines, &ed->n_lines, GDV_TEXT_EDGE_GRAD, line, err))) break;
      /* bare numbers: the gradient beside the local, one row */
      if (s->terse_labels && ed->n_lines > 1 && ed->lines[ed->n_lines - 2].kind == GDV_TEXT_LOCAL)
        ed->lines[ed->n_lines - 1].join = 1;
    }
  }
  return st;
}

/* Recorded gradients on the figure: a node whose recorded gradient is
 * wrong gets a line with it (and a ✗) and its mark, and so do its
 * out-edges, whose terms the recorded number should have summed; with
 * --show recorded every node with one shows it under the computed one. */
static gdv_status mark_recorded(gdv_scene *s, const gdv_graph *g, const gdv_scene_options *opt,
                                gdv_error *err) {
  if (g->recorded == NULL) return GDV_OK;
  char num[GDV_NUMBER_MAX], line[GDV_NUMBER_MAX + 32];
  gdv_status st = GDV_OK;
  for (size_t v = 0; st == GDV_OK && v < g->n_nodes; v++) {
    const gdv_recorded *r = &g->recorded[v];
    int wrong = opt->recorded_wrong && opt->recorded_wrong[v];
    size_t si = s->node_scene ? s->node_scene[v] : v;
    if (!(r->has & GDV_REC_GRAD) || si == SIZE_MAX) continue;
    gdv_scene_node *n = &s->nodes[si];
    if (wrong) n->flags |= GDV_NODE_RECORDED_WRONG;
    if (n->graph_node != v || !(wrong || (opt->show & GDV_SHOW_RECORDED))) continue;
    snprintf(line, sizeof line, "%srecorded %s", wrong ? "\xE2\x9C\x97 " : "",
             gdv_figure_number(r->grad, s->precision, num, sizeof num));
    st = gdv_scene_add_line(&n->lines, &n->n_lines, GDV_TEXT_NOTE, line, err);
  }
  for (size_t e = 0; opt->recorded_wrong && e < g->n_edges; e++) {
    size_t se = s->edge_scene ? s->edge_scene[e] : e;
    if (opt->recorded_wrong[g->edge_from[e]] && se != SIZE_MAX)
      s->edges[se].flags |= GDV_EDGE_RECORDED_WRONG;
  }
  return st;
}

/* The highlight node, looked up; refused in a collapsed scene, whose
 * paths would run through nodes that are not drawn. */
static gdv_status find_highlight(const gdv_graph *g, const gdv_scene_options *opt,
                                 const collapse_plan *p, gdv_id *hl, gdv_error *err) {
  *hl = GDV_NONE;
  if (opt->highlight == NULL) return GDV_OK;
  *hl = gdv_graph_find(g, opt->highlight);
  if (*hl == GDV_NONE)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source ? g->source : "", 0,
                         "no node named '%s'", opt->highlight);
  if (p->n_collapsed)
    return gdv_error_set_about(err, GDV_SETTING_EXPAND, GDV_ERR_INPUT,
                               g->source ? g->source : "", 0,
                               "paths are listed through every node: it needs every group "
                               "drawn in full, and %zu %s collapsed", p->n_collapsed,
                               p->n_collapsed == 1 ? "is" : "are");
  return GDV_OK;
}

/* Scene node i is graph node i and edge j is edge j, unless parallel
 * edges were merged (edge_scene says which) or groups collapsed
 * (node_scene too): frames and gdv_scene_sum_partial rely on it in full
 * scenes, so nothing may be inserted before them. */
gdv_status gdv_scene_from_graph(const gdv_graph *g, const gdv_scene_options *opt,
                                gdv_scene **out, gdv_error *err) {
  gdv_scene_options defaults;
  if (opt == NULL) {
    gdv_scene_options_default(&defaults);
    opt = &defaults;
  }
  collapse_plan plan;
  gdv_id hl = GDV_NONE;
  gdv_status st = plan_collapse(g, opt, &plan, err);
  if (st == GDV_OK) st = find_highlight(g, opt, &plan, &hl, err);
  gdv_scene *s = NULL;
  if (st == GDV_OK) st = gdv_scene_new(&s, err);
  if (st) { plan_free(&plan); return st; }
  gdv_consumers oi;
  if ((st = gdv_consumers_build(g, &oi, err))) { gdv_scene_free(s); plan_free(&plan); return st; }
  s->show = opt->show;
  s->precision = opt->precision > 0 ? opt->precision : 4;
  s->rank_lr = !(g->rankdir && (strcmp(g->rankdir, "TB") == 0 || strcmp(g->rankdir, "BT") == 0));
  /* the contract's default is LR: top to bottom is only chosen when asked
   * (--rankdir auto), never silently */
  s->rank_auto = 0;
  s->legend_place = opt->legend_place;
  if (opt->rankdir != GDV_RANKDIR_GRAPH) {
    s->rank_auto = opt->rankdir == GDV_RANKDIR_AUTO;
    if (!s->rank_auto) s->rank_lr = opt->rankdir == GDV_RANKDIR_LR;
  }
  s->page = opt->page;
  s->terse_labels = opt->terse_labels;
  s->pair_lines = opt->pair_lines;
  s->stagger_labels = opt->stagger_labels;
  s->n_graph_nodes = g->n_nodes;
  s->n_graph_edges = g->n_edges;
  /* the graph's label, its escString line breaks as newlines (drawn so) */
  if (g->title && (opt->show & GDV_SHOW_TITLE) && (s->title = label_text(g->title, NULL)) == NULL)
    st = OOM(err);
  if (st == GDV_OK && opt->parallel_known) {
    if (opt->parallel_groups != NULL) {
      if ((s->edge_group = malloc(2 * g->n_edges * sizeof *s->edge_group)) == NULL) st = OOM(err);
      else memcpy(s->edge_group, opt->parallel_groups, 2 * g->n_edges * sizeof *s->edge_group);
    }
  } else if (st == GDV_OK) {
    st = gdv_parallel_groups(g, opt->parallel_max, s->precision, &s->edge_group, err);
  }
  if (st == GDV_OK && plan.collapsed) st = merge_into_groups(s, g, &plan, err);
  if (st == GDV_OK)
    st = add_graph_nodes(s, g, &oi, &plan, opt->show, opt->text_wrap, opt->node_wrap, err);
  if (st == GDV_OK) st = add_graph_edges(s, g, &plan, opt->show, err);
  if (st == GDV_OK) st = mark_nonfinite_origins(s, g, &oi, err);
  if (st == GDV_OK) st = mark_recorded(s, g, opt, err);
  if (st == GDV_OK && hl != GDV_NONE)
    st = highlight_paths(s, g, &oi, hl, opt->max_paths ? opt->max_paths : 8, s->precision, err);
  gdv_consumers_free(&oi);
  plan_free(&plan);
  if (st) {
    gdv_scene_free(s);
    return st;
  }
  *out = s;
  return GDV_OK;
}

/* Names the groups there are (the first dozen) after an unknown one. */
static gdv_status unknown_group(const gdv_graph *g, const char *name, size_t len, gdv_error *err) {
  sbuf b = {0};
  for (size_t k = 0; k < g->n_groups && k < 12; k++)
    sb_printf(&b, "%s%s", k ? ", " : "", g->group_name[k]);
  if (g->n_groups > 12) sb_printf(&b, ", ... (%zu in all)", g->n_groups);
  gdv_status st = b.failed ? OOM(err)
      : gdv_error_set(err, GDV_ERR_INPUT, "", 0, "no group named '%.*s' (%s%s)", (int)len, name,
                      g->n_groups ? "groups: " : "the graph has no groups", g->n_groups ? b.s : "");
  free(b.s);
  return st;
}

/* "all", "none" or names; each name must be a group of the graph. */
gdv_status gdv_expand_parse(const gdv_graph *g, const char *list, uint8_t **mask,
                            gdv_error *err) {
  *mask = NULL;
  if (strcmp(list, "all") == 0) return GDV_OK;
  if (*list == '\0')
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "an empty list (all, none or group names)");
  if (g->n_groups == 0 && strcmp(list, "none") == 0) return GDV_OK;
  uint8_t *m = calloc(g->n_groups ? g->n_groups : 1, 1);
  if (m == NULL) return OOM(err);
  for (const char *p = list; strcmp(list, "none") != 0 && *p;) {
    size_t len = strcspn(p, ",");
    gdv_id k = GDV_NONE;
    for (size_t j = 0; j < g->n_groups && k == GDV_NONE; j++)
      if (strlen(g->group_name[j]) == len && memcmp(g->group_name[j], p, len) == 0) k = (gdv_id)j;
    if (k == GDV_NONE) {
      free(m);
      return unknown_group(g, p, len, err);
    }
    m[k] = 1;
    p += len + (p[len] == ',');
  }
  *mask = m;
  return GDV_OK;
}
