/* gdv_sheet.c: a worksheet's figure from a laid-out scene planned with a
 * placeholder in its blanks (gdv_sheet.h). Each line holding a blank is
 * hidden (the frames' way: the line keeps its place) and drawn again as
 * items at the very points put_lines in draw/gdv_draw.c draws it: its
 * words, then a box over each blank. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"
#include "render/gdv_sheet.h"
#include "io/gdv_answers.h"

int gdv_sheet_is_blank(const gdv_sheet_marks *m, gdv_quantity q, size_t item) {
  return q < GDV_Q_COUNT && m->blank[q] && m->blank[q][item];
}

/* Room around a blank's text for the box: a hand needs more than the
 * glyphs, the next row and the next word need it not to touch them. */
#define BOX_PAD_X 1.5
#define BOX_PAD_Y 0.5

/* The placeholder's leading digit, tried in this order until its text
 * reads unlike every number the figure shows. */
static const int placeholder_digits[] = {8, 7, 9, 6, 5, 4, 3, 2};
/* Powers of ten below 0.ddd...: wider texts as more width is needed. */
static const int placeholder_shifts[] = {0, 1, 2, 3, 4, 14, 104};

/* -0.dd...d (precision digits d) times 10^-shift. */
static double placeholder_value(int digit, int precision, int shift) {
  double m = (double)digit / 9 * (1 - pow(10, -precision));
  return -m * pow(10, -shift);
}

/* Whether a shown number (not a blank) of g reads as text. */
static int shown_as(const gdv_graph *g, const gdv_sheet_marks *m, int precision, const char *text) {
  char t[GDV_NUMBER_MAX];
  for (int q = 0; q < GDV_Q_COUNT; q++) {
    size_t n = q <= GDV_Q_GRAD ? g->n_nodes : g->n_edges;
    for (size_t i = 0; i < n; i++) {
      double x = gdv_quantity_truth(g, (gdv_quantity)q, (gdv_id)i);
      if (!gdv_sheet_is_blank(m, (gdv_quantity)q, i) &&
          strcmp(gdv_figure_number(x, precision, t, sizeof t), text) == 0)
        return 1;
    }
  }
  return 0;
}

double gdv_sheet_placeholder(const gdv_graph *g, const gdv_sheet_marks *m, int precision,
                             const gdv_style *st) {
  cairo_t *cr = gdv_text_measure_context();
  gdv_text_font(cr, st, GDV_CTX_NODE, GDV_TEXT_GRAD);
  char t[GDV_NUMBER_MAX];
  double widest = 0;
  for (int q = 0; q < GDV_Q_COUNT; q++) {
    size_t n = q <= GDV_Q_GRAD ? g->n_nodes : g->n_edges;
    for (size_t i = 0; m->blank[q] && i < n; i++)
      if (m->blank[q][i]) {
        gdv_figure_number(gdv_quantity_truth(g, (gdv_quantity)q, (gdv_id)i), precision, t, sizeof t);
        widest = fmax(widest, gdv_text_width(cr, t));
      }
  }
  size_t n_shifts = sizeof placeholder_shifts / sizeof *placeholder_shifts, s = 0;
  for (; s + 1 < n_shifts; s++) {
    gdv_figure_number(placeholder_value(8, precision, placeholder_shifts[s]), precision, t, sizeof t);
    if (gdv_text_width(cr, t) >= widest) break;
  }
  cairo_destroy(cr);
  double x = placeholder_value(8, precision, placeholder_shifts[s]);
  for (size_t d = 0; d < sizeof placeholder_digits / sizeof *placeholder_digits; d++) {
    double y = placeholder_value(placeholder_digits[d], precision, placeholder_shifts[s]);
    if (!shown_as(g, m, precision, gdv_figure_number(y, precision, t, sizeof t))) return y;
  }
  return x;
}

/* A blank asked for in a line: what it is. */
typedef struct slot {
  uint8_t q;
  gdv_id item;
} slot;

/* What a scene's conversion works with. */
typedef struct sheet {
  gdv_scene *s;
  const gdv_graph *g;
  const gdv_sheet_marks *m;
  const gdv_style *st;
  int answers;
  cairo_t *cr;
  char ph[GDV_NUMBER_MAX];   /* the placeholder as the lines write it */
  gdv_consumers out;
  gdv_sheet_box *boxes;
  size_t n_boxes, cap_boxes;
} sheet;

static gdv_status oom(gdv_error *err) {
  return gdv_error_oom(err);
}

/* The next place the placeholder stands as a whole number in text from
 * `from` on, or NULL. */
static const char *find_placeholder(const char *from, const char *ph) {
  size_t n = strlen(ph);
  for (const char *p = strstr(from, ph); p; p = strstr(p + 1, ph)) {
    char after = p[n];
    if (!(after >= '0' && after <= '9') && after != '.' && strncmp(p + n, "\xC3\x97", 2) != 0)
      return p;
  }
  return NULL;
}

/* Adds an item of `kind` at the box (left, top, w, h) with one line, or
 * none when text is NULL. */
static gdv_status add_item(sheet *sh, gdv_item_kind kind, int edge_font, double left, double top,
                           double w, double h, int line_kind, const char *text, size_t *idx,
                           gdv_error *err) {
  size_t i;
  gdv_status st = gdv_scene_add_item(sh->s, kind, &i, err);
  if (st) return st;
  gdv_scene_item *it = &sh->s->items[i];
  it->x = left + w / 2;
  it->y = top + h / 2;
  it->w = w;
  it->h = h;
  it->edge_font = (uint8_t)edge_font;
  if (text) st = gdv_scene_add_line(&it->lines, &it->n_lines, (gdv_text_kind)line_kind, text, err);
  if (idx) *idx = i;
  return st;
}

/* A box of the worksheet, and what goes in it: on the key the answer in
 * the line's colour, on the sheet an edge's name in grey where it fits. */
static gdv_status add_box(sheet *sh, const slot *sl, int edge_font, int line_kind, double left,
                          double top, double w, double h, gdv_error *err) {
  char num[GDV_NUMBER_MAX], *name = NULL;
  const char *text = NULL;
  int kind = line_kind;
  if (sh->answers) {
    text = gdv_figure_number(gdv_quantity_truth(sh->g, (gdv_quantity)sl->q, sl->item),
                             sh->s->precision, num, sizeof num);
  } else if (sl->q == GDV_Q_LOCAL || sl->q == GDV_Q_EDGE_GRAD) {
    if ((name = gdv_item_name(sh->g, (gdv_quantity)sl->q, sl->item)) == NULL) return oom(err);
    gdv_text_font(sh->cr, sh->st, edge_font ? GDV_CTX_EDGE : GDV_CTX_NODE, GDV_TEXT_NOTE);
    if (gdv_text_width(sh->cr, name) <= w - 2 * BOX_PAD_X) text = name;
    kind = GDV_TEXT_NOTE;
  }
  size_t idx;
  gdv_status st = add_item(sh, GDV_ITEM_BLANK, edge_font, left - BOX_PAD_X, top - BOX_PAD_Y,
                           w + 2 * BOX_PAD_X, h + 2 * BOX_PAD_Y, kind, text, &idx, err);
  free(name);
  if (st) return st;
  sh->s->items[idx].stands_for = (uint8_t)line_kind;
  if (!gdv_grow((void **)&sh->boxes, &sh->cap_boxes, sh->n_boxes, sizeof *sh->boxes))
    return oom(err);
  sh->boxes[sh->n_boxes++] = (gdv_sheet_box){sl->q, sl->item, idx};
  return GDV_OK;
}

/* Line k of a node or edge label, drawn as its words and a box for each
 * placeholder in it (the next of `slots`), at (left, top), h high. A
 * bracket around a blank goes: a box needs none. */
static gdv_status split_line(sheet *sh, const gdv_scene_line *line, int edge_font, double left,
                             double top, double h, const slot *slots, size_t n_slots,
                             size_t *used, gdv_error *err) {
  gdv_text_context ctx = edge_font ? GDV_CTX_EDGE : GDV_CTX_NODE;
  const char *text = line->text, *at = text;
  size_t ph_len = strlen(sh->ph);
  gdv_status st = GDV_OK;
  while (st == GDV_OK) {
    const char *hit = find_placeholder(at, sh->ph);
    const char *end = hit ? hit : at + strlen(at);
    /* the words before the blank (or the rest), brackets next to blanks
     * and the spaces around them dropped: the box's margin takes their room */
    const char *w0 = at, *w1 = end;
    if (at > text && *w0 == ')') w0++;
    if (hit && w1 > w0 && w1[-1] == '(') w1--;
    while (w0 < w1 && *w0 == ' ') w0++;
    while (w1 > w0 && w1[-1] == ' ') w1--;
    gdv_text_font(sh->cr, sh->st, ctx, line->kind);
    if (w1 > w0) {
      char *words = strndup(w0, (size_t)(w1 - w0));
      if (words == NULL) return oom(err);
      char *before = strndup(text, (size_t)(w0 - text));
      double x = before ? gdv_text_width(sh->cr, before) : 0;
      double w = gdv_text_width(sh->cr, words);
      free(before);
      st = add_item(sh, GDV_ITEM_TEXT, edge_font, left + x, top, w, h, line->kind, words, NULL,
                      err);
      free(words);
    }
    if (hit == NULL || st) break;
    if (*used >= n_slots)
      return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "worksheet: more blanks than asked in "
                           "'%s'", text);
    char *before = strndup(text, (size_t)(hit - text));
    if (before == NULL) return oom(err);
    gdv_text_font(sh->cr, sh->st, ctx, line->kind);
    double x = gdv_text_width(sh->cr, before), w = gdv_text_width(sh->cr, sh->ph);
    free(before);
    st = add_box(sh, &slots[(*used)++], edge_font, line->kind, left + x, top, w, h, err);
    at = hit + ph_len;
  }
  return st;
}

/* Whether line kind belongs to class c: the lines a node or edge flag
 * shows (values; gradients and sums; locals; edge gradients). */
static int in_class(int kind, int c) {
  switch (c) {
  case GDV_Q_VALUE: return kind == GDV_TEXT_VALUE;
  case GDV_Q_GRAD: return kind == GDV_TEXT_GRAD || kind == GDV_TEXT_SUM;
  case GDV_Q_LOCAL: return kind == GDV_TEXT_LOCAL;
  case GDV_Q_EDGE_GRAD: return kind == GDV_TEXT_EDGE_GRAD;
  }
  return 0;
}

/* Redraws the lines of class c of a node or edge label (lines, centred
 * at cx, cy) as items, where put_lines in draw/gdv_draw.c draws them (the
 * same walk, gdv_lines_walk). */
static gdv_status redraw(sheet *sh, const gdv_scene_line *lines, size_t n, int edge_font,
                         double cx, double cy, int c, const slot *slots, size_t n_slots,
                         gdv_error *err) {
  gdv_lines_walk walk;
  size_t used = 0, k;
  double x, y, w, h;
  gdv_status st = GDV_OK;
  gdv_lines_walk_start(&walk, sh->cr, sh->st, edge_font ? GDV_CTX_EDGE : GDV_CTX_NODE, lines, n,
                       cx, cy, 0, 0);
  while (st == GDV_OK && gdv_lines_walk_next(&walk, &k, &x, &y, &w, &h))
    if (in_class(lines[k].kind, c))
      st = split_line(sh, &lines[k], edge_font, x, y, h, slots, n_slots, &used, err);
  if (st == GDV_OK && used != n_slots)
    st = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "worksheet: %zu of %zu blanks found in a "
                       "figure (not planned with the placeholder?)", used, n_slots);
  return st;
}

/* The blanks of node v's gradient lines in the order they are written:
 * its fan-out sum's terms (its live out-edges, a merged group once, six
 * terms at most as compose_sum writes them) when it shows a sum, then
 * dC/dv. */
static size_t grad_slots(const sheet *sh, const gdv_scene_node *n, gdv_id v, slot *out) {
  const gdv_graph *g = sh->g;
  size_t k = 0;
  int sum = 0;
  for (size_t i = 0; i < n->n_lines; i++) sum |= n->lines[i].kind == GDV_TEXT_SUM;
  if (sum) {
    const size_t *group = sh->s->edge_group;
    size_t terms = 0, shown = 0;
    for (size_t j = sh->out.start[v]; j < sh->out.start[v + 1]; j++) {
      size_t e = sh->out.edge[j];
      terms += g->reaches[g->edge_to[e]] && (!group || group[e]);
    }
    for (size_t j = sh->out.start[v]; j < sh->out.start[v + 1]; j++) {
      size_t e = sh->out.edge[j];
      if (!g->reaches[g->edge_to[e]] || (group && group[e] == 0)) continue;
      if (shown == 5 && terms > 6) break;
      shown++;
      if (gdv_sheet_is_blank(sh->m, GDV_Q_EDGE_GRAD, e)) out[k++] = (slot){GDV_Q_EDGE_GRAD, (gdv_id)e};
    }
  }
  if (gdv_sheet_is_blank(sh->m, GDV_Q_GRAD, v)) out[k++] = (slot){GDV_Q_GRAD, v};
  return k;
}

/* A node's value and gradient lines holding blanks, hidden and redrawn. */
static gdv_status sheet_node(sheet *sh, size_t i, slot *slots, gdv_error *err) {
  gdv_scene_node *n = &sh->s->nodes[i];
  gdv_id v = n->graph_node;
  if (v == GDV_NONE || v >= sh->g->n_nodes || n->n_lines == 0) return GDV_OK;
  gdv_status st = GDV_OK;
  size_t k = 0;
  if (gdv_sheet_is_blank(sh->m, GDV_Q_VALUE, v) && (n->flags & GDV_NODE_VALUE_KNOWN)) {
    slots[0] = (slot){GDV_Q_VALUE, v};
    n->flags &= ~(uint32_t)GDV_NODE_VALUE_KNOWN;
    st = redraw(sh, n->lines, n->n_lines, 0, n->x, n->y, GDV_Q_VALUE, slots, 1, err);
  }
  if (st == GDV_OK && (n->flags & GDV_NODE_GRAD_KNOWN) && (k = grad_slots(sh, n, v, slots))) {
    n->flags &= ~(uint32_t)(GDV_NODE_GRAD_KNOWN | GDV_NODE_SUM_KNOWN);
    st = redraw(sh, n->lines, n->n_lines, 0, n->x, n->y, GDV_Q_GRAD, slots, k, err);
  }
  return st;
}

/* An edge's label lines holding blanks, hidden and redrawn. */
static gdv_status sheet_edge(sheet *sh, size_t i, gdv_error *err) {
  gdv_scene_edge *e = &sh->s->edges[i];
  gdv_id k = e->graph_edge;
  if (k == GDV_NONE || k >= sh->g->n_edges || e->n_lines == 0 || e->label_w <= 0) return GDV_OK;
  static const uint32_t flag[2] = {GDV_EDGE_LOCAL_KNOWN, GDV_EDGE_GRAD_KNOWN};
  gdv_status st = GDV_OK;
  for (int c = GDV_Q_LOCAL; st == GDV_OK && c <= GDV_Q_EDGE_GRAD; c++) {
    if (!gdv_sheet_is_blank(sh->m, (gdv_quantity)c, k) || !(e->flags & flag[c - GDV_Q_LOCAL]))
      continue;
    int has = 0;
    for (size_t j = 0; j < e->n_lines; j++) has |= in_class(e->lines[j].kind, c);
    if (!has) continue;
    slot sl = {(uint8_t)c, k};
    e->flags &= ~flag[c - GDV_Q_LOCAL];
    st = redraw(sh, e->lines, e->n_lines, 1, e->label_x, e->label_y, c, &sl, 1, err);
  }
  return st;
}

gdv_status gdv_sheet_scene(gdv_scene *s, const gdv_graph *g, const gdv_sheet_marks *m,
                           double placeholder, const gdv_style *st, int answers,
                           gdv_sheet_box **boxes, size_t *n_boxes, gdv_error *err) {
  *boxes = NULL;
  *n_boxes = 0;
  if (!s->laid_out) return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "worksheet: not laid out");
  sheet sh = {.s = s, .g = g, .m = m, .st = st, .answers = answers};
  gdv_figure_number(placeholder, s->precision, sh.ph, sizeof sh.ph);
  size_t max_out = 2;
  for (size_t v = 0; v < g->n_nodes; v++)
    if ((size_t)g->fan_out[v] + 2 > max_out) max_out = (size_t)g->fan_out[v] + 2;
  slot *slots = malloc(max_out * sizeof *slots);
  if (slots == NULL) return oom(err);
  gdv_status status = gdv_consumers_build(g, &sh.out, err);
  if (status) {
    free(slots);
    return status;
  }
  sh.cr = gdv_text_measure_context();
  for (size_t i = 0; status == GDV_OK && i < s->n_edges; i++) status = sheet_edge(&sh, i, err);
  for (size_t i = 0; status == GDV_OK && i < s->n_nodes; i++)
    status = sheet_node(&sh, i, slots, err);
  cairo_destroy(sh.cr);
  gdv_consumers_free(&sh.out);
  free(slots);
  if (status) {
    free(sh.boxes);
    return status;
  }
  *boxes = sh.boxes;
  *n_boxes = sh.n_boxes;
  return GDV_OK;
}
