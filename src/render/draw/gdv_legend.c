/* gdv_legend.c: the figure's key. One entry per thing the figure shows
 * (and nothing it does not show): a swatch, a sample drawn the way nodes
 * and edges draw it, and a word or two. It sits below the graph in rows,
 * widened until it takes at most a fifth of the figure's height, or beside
 * it in columns no taller than the graph. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/gdv_render_int.h"

/* Sizes in points: a compact key reads as a key, not as prose. */
#define LEGEND_PAD 5.0          /* inside the box */
#define LEGEND_ROW_GAP 3.0      /* between rows */
#define LEGEND_ENTRY_GAP 14.0   /* between entries of a row (columns too) */
#define LEGEND_SWATCH 18.0      /* a box or line swatch's width */
#define LEGEND_SWATCH_GAP 4.0   /* swatch (or sample) to its words */
#define LEGEND_SCALE_LINE 16.0  /* each line of the flow scale */
#define LEGEND_SCALE_GAP 3.0    /* a scale line to its number */

typedef enum {
  SW_TEXT, SW_BOX, SW_LINE, SW_SCALE, SW_MARK_FILLED, SW_MARK_HOLLOW, SW_MARK_CROSS
} swatch_kind;

struct gdv_legend_entry {
  swatch_kind swatch;
  gdv_rgba colour, fill;      /* sample text or stroke colour; box fill */
  double line_width;
  int dashed;
  int sample_kind;            /* SW_TEXT: the text kind of the sample */
  char sample[48];            /* SW_TEXT: drawn in colour, e.g. "value" */
  char text[96];              /* the words after the swatch */
  int n_scale;                /* SW_SCALE: lines of the flow scale */
  gdv_rgba scale_colour[3];
  double scale_width[3];
  char scale_num[3][GDV_NUMBER_MAX + 8];
  double w, px, py;           /* measured width; place inside the box */
};

static const gdv_rgba no_colour = {0, 0, 0, 0};

/* Mixes two colours as gdv_draw.c does (t = 0 gives a). */
static gdv_rgba legend_mix(gdv_rgba a, gdv_rgba b, double t) {
  gdv_rgba c = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t,
                a.b + (b.b - a.b) * t, a.a + (b.a - a.a) * t};
  return c;
}

/* A new zeroed entry at the end; NULL (remembered in lg->oom) when out of
 * memory, so the callers stay one line each. */
static gdv_legend_entry *legend_new(gdv_legend *lg, swatch_kind sw, const char *text) {
  if (!gdv_grow((void **)&lg->entries, &lg->cap, lg->n, sizeof *lg->entries)) {
    lg->oom = 1;
    return NULL;
  }
  gdv_legend_entry *e = &lg->entries[lg->n++];
  memset(e, 0, sizeof *e);
  e->swatch = sw;
  snprintf(e->text, sizeof e->text, "%s", text);
  return e;
}

/* A coloured sample as nodes and edges draw it, then its words. */
static void legend_sample(gdv_legend *lg, gdv_rgba colour, int kind, const char *sample,
                          const char *text) {
  gdv_legend_entry *e = legend_new(lg, SW_TEXT, text);
  if (e == NULL) return;
  e->colour = colour;
  e->sample_kind = kind;
  snprintf(e->sample, sizeof e->sample, "%s", sample);
}

/* A box or line swatch. A box drawn exactly like an earlier one (a style
 * giving inputs and operations the same look) would claim a difference
 * that is not there: one swatch, both names. */
static void legend_swatch(gdv_legend *lg, swatch_kind sw, gdv_rgba colour, gdv_rgba fill,
                          double lw, int dashed, const char *text) {
  for (size_t i = 0; sw == SW_BOX && i < lg->n; i++) {
    gdv_legend_entry *o = &lg->entries[i];
    if (o->swatch == SW_BOX && o->dashed == dashed && o->line_width == lw &&
        !memcmp(&o->colour, &colour, sizeof colour) && !memcmp(&o->fill, &fill, sizeof fill)) {
      size_t n = strlen(o->text);
      snprintf(o->text + n, sizeof o->text - n, ", %s", text);
      return;
    }
  }
  gdv_legend_entry *e = legend_new(lg, sw, text);
  if (e == NULL) return;
  e->colour = colour;
  e->fill = fill;
  e->line_width = lw;
  e->dashed = dashed;
}

/* What a figure shows, gathered once: only visible lines count (a frame
 * hides what is not yet computed, and its key must not explain it). */
typedef struct shown {
  unsigned lines;             /* 1 << text kind, visible lines */
  unsigned kinds;             /* 1 << node kind, visible boxes */
  uint32_t nflags, eflags;    /* of visible nodes and edges */
  int named_grad, unnamed_grad, pending, flow, recorded;
  double flow_min, flow_max;  /* |grad| of the edges drawn by flow */
} shown;


/* Collects what the scene draws: node boxes, visible lines, flags. */
static void gather_shown(const gdv_scene *s, shown *sh) {
  static const char dC[] = "\xE2\x88\x82" "C/\xE2\x88\x82";
  memset(sh, 0, sizeof *sh);
  for (size_t i = 0; i < s->n_nodes; i++) {
    const gdv_scene_node *n = &s->nodes[i];
    if (n->flags & GDV_NODE_HIDDEN) continue;
    sh->nflags |= n->flags;
    if (n->shape != GDV_SHAPE_PLAIN) sh->kinds |= 1u << n->kind;
    if ((n->flags & GDV_NODE_HIDE_TEXT) || n->shape == GDV_SHAPE_DOT) continue;
    for (size_t k = 0; k < n->n_lines; k++) {
      int kind = n->lines[k].kind;
      const char *t = n->lines[k].text;
      if (!gdv_node_line_shown(n, kind)) continue;
      sh->lines |= 1u << kind;
      if (kind == GDV_TEXT_GRAD || kind == GDV_TEXT_SUM) {
        if (strncmp(t, dC, sizeof dC - 1) == 0) sh->named_grad = 1;
        else sh->unnamed_grad = 1;
      }
      if (kind == GDV_TEXT_SUM && strchr(t, '?')) sh->pending = 1;
      if (kind == GDV_TEXT_NOTE && strstr(t, "recorded ")) sh->recorded = 1;
    }
  }
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *e = &s->edges[i];
    if ((e->flags & GDV_EDGE_HIDDEN) || e->n_pts < 2) continue;
    sh->eflags |= e->flags;
    if ((s->show & GDV_SHOW_FLOW) && (e->flags & GDV_EDGE_GRAD_KNOWN) && e->weight >= 0 &&
        isfinite(e->weight) && !(e->flags & GDV_EDGE_GREYED)) {
      if (!sh->flow || e->weight < sh->flow_min) sh->flow_min = e->weight;
      if (!sh->flow || e->weight > sh->flow_max) sh->flow_max = e->weight;
      sh->flow = 1;
    }
    if (e->label_w <= 0) continue;
    for (size_t k = 0; k < e->n_lines; k++)
      if (gdv_edge_line_shown(e, e->lines[k].kind)) sh->lines |= 1u << e->lines[k].kind;
  }
  /* a worksheet's lines are items: their words and their boxes, which
   * hold the numbers the student works out (the legend names what the
   * words and boxes stand for, on the sheet as on the key) */
  for (size_t i = 0; i < s->n_items; i++) {
    const gdv_scene_item *it = &s->items[i];
    if (it->kind == GDV_ITEM_BLANK) sh->lines |= 1u << it->stands_for;
    if (it->kind != GDV_ITEM_TEXT) continue;
    for (size_t k = 0; k < it->n_lines; k++) {
      sh->lines |= 1u << it->lines[k].kind;
      if (it->lines[k].kind == GDV_TEXT_GRAD && strncmp(it->lines[k].text, dC, sizeof dC - 1) == 0)
        sh->named_grad = 1;
    }
  }
}

/* The text samples: each quantity named as nodes and edges name it, in
 * its colour, with the pass or formula it comes from. */
static void legend_quantities(gdv_legend *lg, const gdv_scene *s, const gdv_style *st,
                              const shown *sh) {
  if (sh->lines & (1u << GDV_TEXT_VALUE))
    legend_sample(lg, st->forward, GDV_TEXT_VALUE, "value", "forward pass");
  /* bare numbers on edges: the legend says which is which */
  if (s->terse_labels && (sh->lines & (1u << GDV_TEXT_LOCAL)))
    legend_sample(lg, st->forward, GDV_TEXT_LOCAL, "0.5",
                  "on u\xE2\x86\x92v, first: local \xE2\x88\x82v/\xE2\x88\x82u");
  else if (sh->lines & (1u << GDV_TEXT_LOCAL))
    legend_sample(lg, st->forward, GDV_TEXT_LOCAL, "local",
                  "\xE2\x88\x82v/\xE2\x88\x82u on u\xE2\x86\x92v");
  if (sh->lines & ((1u << GDV_TEXT_GRAD) | (1u << GDV_TEXT_SUM)))
    legend_sample(lg, st->backward, GDV_TEXT_GRAD,
                  sh->named_grad ? "\xE2\x88\x82" "C/\xE2\x88\x82x" : "grad =", "backward pass");
  if (s->terse_labels && (sh->lines & (1u << GDV_TEXT_EDGE_GRAD)))
    legend_sample(lg, st->backward, GDV_TEXT_EDGE_GRAD, "0.25",
                  "then: grad \xE2\x88\x82" "C/\xE2\x88\x82v \xC2\xB7 \xE2\x88\x82v/\xE2\x88\x82u");
  else if (sh->lines & (1u << GDV_TEXT_EDGE_GRAD))
    legend_sample(lg, st->backward, GDV_TEXT_EDGE_GRAD, "grad",
                  sh->lines & (1u << GDV_TEXT_LOCAL)
                      ? "\xE2\x88\x82" "C/\xE2\x88\x82v \xC2\xB7 \xE2\x88\x82v/\xE2\x88\x82u"
                      : "\xE2\x88\x82" "C/\xE2\x88\x82v \xC2\xB7 \xE2\x88\x82v/\xE2\x88\x82u on u\xE2\x86\x92v");
  if (sh->lines & (1u << GDV_TEXT_SUM))
    legend_sample(lg, st->sum, GDV_TEXT_SUM, "a + b", "fan-out sum");
  if (sh->pending) legend_sample(lg, st->sum, GDV_TEXT_SUM, "?", "not yet");
  if (sh->recorded)
    legend_sample(lg, st->text, GDV_TEXT_NOTE, "recorded", "\xE2\x88\x82" "C/\xE2\x88\x82x the file carries");
}

/* Whether some visible node shows this op symbol. */
static int symbol_drawn(const gdv_scene *s, const char *symbol) {
  for (size_t i = 0; i < s->n_nodes; i++) {
    if (s->nodes[i].flags & (GDV_NODE_HIDDEN | GDV_NODE_HIDE_TEXT)) continue;
    for (size_t k = 0; k < s->nodes[i].n_lines; k++)
      if (s->nodes[i].lines[k].kind == GDV_TEXT_OP &&
          strcmp(s->nodes[i].lines[k].text, symbol) == 0)
        return 1;
  }
  return 0;
}

/* Op symbols a reader might not know (σ, x², √ ...), those drawn here:
 * the symbol as the sample, its name as the word; not a symbol that is
 * its name in other letters ("ReLU relu" says nothing). */
static void legend_ops(gdv_legend *lg, const gdv_scene *s, const gdv_style *st) {
  for (int op = GDV_OP_ADD; op < GDV_OP_COUNT; op++) {
    const gdv_op_info *oi = gdv_op_get((gdv_op)op);
    if (op == GDV_OP_POWK || op == GDV_OP_NEG || strcasecmp(oi->symbol, oi->name) == 0 ||
        strcmp(oi->symbol, "+") == 0 || !symbol_drawn(s, oi->symbol))
      continue;
    legend_sample(lg, st->text, GDV_TEXT_OP, oi->symbol,
                  op == GDV_OP_SUB ? "sub / neg" : oi->name);
  }
}

/* The NaN/infinity marks drawn (gdv_draw.c): where one arises, where it
 * spread to, and edges carrying one (dashed). */
static void legend_nonfinite(gdv_legend *lg, const gdv_scene *s, const gdv_style *st,
                             const shown *sh) {
  int origin = 0, spread = 0;
  for (size_t i = 0; i < s->n_nodes; i++) {
    uint32_t fl = s->nodes[i].flags;
    if ((fl & GDV_NODE_HIDDEN) || !gdv_render_nonfinite_shown(&s->nodes[i])) continue;
    origin |= (fl & GDV_NODE_NONFINITE_ORIGIN) != 0;
    spread |= !(fl & GDV_NODE_NONFINITE_ORIGIN);
  }
  if (origin) legend_swatch(lg, SW_MARK_FILLED, st->nonfinite, no_colour, 0, 0,
                            "NaN/\xE2\x88\x9E starts here");
  if (spread) legend_swatch(lg, SW_MARK_HOLLOW, st->nonfinite, no_colour, 0, 0,
                            "NaN/\xE2\x88\x9E from a neighbour");
  if (sh->eflags & GDV_EDGE_NONFINITE)
    legend_swatch(lg, SW_LINE, st->nonfinite, no_colour, st->edge_width, 1, "carries NaN/\xE2\x88\x9E");
}

/* One box swatch per kind of node and node state drawn, each as
 * gdv_draw.c's draw_node draws it. */
static void legend_boxes(gdv_legend *lg, const gdv_scene *s, const gdv_style *st,
                         const shown *sh) {
  double lw = st->line_width;
  if (sh->kinds & (1u << GDV_KIND_INPUT))
    legend_swatch(lg, SW_BOX, st->node_stroke, st->input_fill, lw, 0, "input");
  if (sh->kinds & (1u << GDV_KIND_PARAM))
    legend_swatch(lg, SW_BOX, st->node_stroke, st->param_fill, lw * 2, 0, "parameter");
  if (sh->kinds & (1u << GDV_KIND_CONST))
    legend_swatch(lg, SW_BOX, st->node_stroke, st->const_fill, lw, 1, "constant");
  if (sh->kinds & (1u << GDV_KIND_OP))
    legend_swatch(lg, SW_BOX, st->node_stroke, st->node_fill, lw, 0, "operation");
  if (sh->nflags & GDV_NODE_OUTPUT)
    legend_swatch(lg, SW_BOX, st->output_stroke, st->node_fill, lw * 3, 0, "output C");
  if (sh->nflags & GDV_NODE_GREYED)
    legend_swatch(lg, SW_BOX, st->grey, legend_mix(st->node_fill, st->background, 0.6), lw, 0,
                  "no path to C");
  legend_nonfinite(lg, s, st, sh);
  if (sh->nflags & GDV_NODE_RECORDED_WRONG)
    legend_swatch(lg, SW_MARK_CROSS, st->recorded_wrong, no_colour, 0, 0,
                  "recorded \xE2\x88\x82" "C/\xE2\x88\x82x wrong");
  if (sh->eflags & GDV_EDGE_RECORDED_WRONG)
    legend_swatch(lg, SW_LINE, st->recorded_wrong, no_colour, st->edge_width_max * 0.6, 0,
                  "the terms it should sum");
  if (sh->nflags & GDV_NODE_ON_PATH)
    legend_swatch(lg, SW_LINE, st->highlight, no_colour, st->edge_width_max * 0.6, 0, "path to C");
  if (s->step_frame && (sh->nflags & GDV_NODE_HIGHLIGHT))
    legend_swatch(lg, SW_BOX, st->highlight, st->node_fill, lw * 4, 0, "this step");
  if (!s->step_frame && (sh->nflags & GDV_NODE_HIGHLIGHT) && s->legend_highlight)
    legend_swatch(lg, SW_BOX, st->highlight, st->node_fill, lw * 4, 0, s->legend_highlight);
}

/* A figure's own notation (the MNIST figure's folded sums): each pair of
 * legend_notes lines is a sample in its kind's colour and its meaning. */
static void legend_notes(gdv_legend *lg, const gdv_scene *s, const gdv_style *st) {
  for (size_t i = 0; i + 1 < s->n_legend_notes; i += 2) {
    const gdv_scene_line *sample = &s->legend_notes[i];
    gdv_rgba colour = sample->kind == GDV_TEXT_VALUE || sample->kind == GDV_TEXT_LOCAL ? st->forward
                    : sample->kind == GDV_TEXT_GRAD || sample->kind == GDV_TEXT_EDGE_GRAD ? st->backward
                    : sample->kind == GDV_TEXT_SUM ? st->sum : st->text;
    legend_sample(lg, colour, sample->kind, sample->text, s->legend_notes[i + 1].text);
  }
}

/* Edge width and colour: the flow scale at its top, middle and bottom,
 * named as edges name the quantity (|grad|); one line when every edge
 * drawn carries the same |grad| (a scale would show widths not drawn). */
static void legend_flow(gdv_legend *lg, const gdv_scene *s, const gdv_style *st, double lo,
                        double hi, const shown *sh) {
  gdv_legend_entry *e = legend_new(lg, SW_SCALE, "|grad|");
  if (e == NULL) return;
  double vals[3] = {hi, sqrt(hi * lo), lo};
  e->n_scale = hi > lo ? 3 : 1;
  if (sh->flow_min == sh->flow_max) {
    vals[0] = sh->flow_max;
    e->n_scale = 1;
  }
  for (int k = 0; k < e->n_scale; k++) {
    gdv_rgba c;
    double t = gdv_render_flow_colour(st, lo, hi, vals[k], &c);
    if (t < 0) t = 0;
    char num[GDV_NUMBER_MAX];
    gdv_figure_number(vals[k], s->precision, num, sizeof num);
    snprintf(e->scale_num[k], sizeof e->scale_num[k], "%s%s",
             k == 2 ? "\xE2\x89\xA4 " : "", num);
    e->scale_colour[k] = legend_mix(st->flow_lo, st->flow_hi, t);
    e->scale_width[k] = st->edge_width + t * (st->edge_width_max - st->edge_width);
  }
}

/* Decides which entries this scene needs: only what it shows. */
gdv_status gdv_legend_build(gdv_legend *lg, const gdv_scene *s, const gdv_style *st,
                            double flow_lo, double flow_hi, gdv_error *err) {
  memset(lg, 0, sizeof *lg);
  shown sh;
  gather_shown(s, &sh);
  legend_quantities(lg, s, st, &sh);
  legend_ops(lg, s, st);
  legend_boxes(lg, s, st, &sh);
  legend_notes(lg, s, st);
  /* a collapsed group: its node writes its equation (and lists what it
   * holds); an edge into it carries ∂h/∂u through the whole statement,
   * which "local ∂v/∂u" already says */
  if (s->n_collapsed)
    legend_sample(lg, st->text, GDV_TEXT_NAME, "h = f(\xE2\x80\xA6)", "a group of nodes as one box");
  if (sh.flow && flow_hi > 0) legend_flow(lg, s, st, flow_lo, flow_hi, &sh);
  return lg->oom ? gdv_error_oom(err) : GDV_OK;
}

/* Leaves the legend empty, so a second free is harmless. */
void gdv_legend_free(gdv_legend *lg) {
  free(lg->entries);
  memset(lg, 0, sizeof *lg);
}

/* Each entry's width, with the fonts it is drawn in. */
static void measure_entries(gdv_legend *lg, const gdv_style *st) {
  cairo_t *cr = gdv_text_measure_context();
  for (size_t i = 0; i < lg->n; i++) {
    gdv_legend_entry *e = &lg->entries[i];
    gdv_text_font(cr, st, GDV_CTX_LEGEND, GDV_TEXT_NOTE);
    double words = *e->text ? gdv_text_width(cr, e->text) : 0;
    if (e->swatch == SW_SCALE) {
      e->w = words;
      for (int k = 0; k < e->n_scale; k++)
        e->w += 2 * LEGEND_SWATCH_GAP + LEGEND_SCALE_LINE + LEGEND_SCALE_GAP +
                gdv_text_width(cr, e->scale_num[k]);
      continue;
    }
    double lead = LEGEND_SWATCH;
    if (e->swatch == SW_TEXT) {
      gdv_text_font(cr, st, GDV_CTX_LEGEND, e->sample_kind);
      lead = gdv_text_width(cr, e->sample);
    }
    e->w = lead + (words > 0 ? LEGEND_SWATCH_GAP + words : 0);
  }
  cairo_destroy(cr);
}

/* Rows no wider than avail (an entry wider than that gets a row of its
 * own): places the entries, returns the box's width and height. */
static void flow_rows(gdv_legend *lg, double rh, double avail, double *w, double *h) {
  double x = 0, maxw = 0;
  size_t rows = 1;
  for (size_t i = 0; i < lg->n; i++) {
    gdv_legend_entry *e = &lg->entries[i];
    if (x > 0 && x + e->w > avail) {
      rows++;
      x = 0;
    }
    e->px = LEGEND_PAD + x;
    e->py = LEGEND_PAD + (double)(rows - 1) * (rh + LEGEND_ROW_GAP);
    x += e->w;
    if (x > maxw) maxw = x;
    x += LEGEND_ENTRY_GAP;
  }
  *w = ceil(maxw + 2 * LEGEND_PAD);
  *h = ceil((double)rows * rh + (double)(rows - 1) * LEGEND_ROW_GAP + 2 * LEGEND_PAD);
}

/* Columns of at most `per_col` entries, filled top to bottom. */
static void fill_columns(gdv_legend *lg, double rh, size_t per_col, double *w, double *h) {
  double x = LEGEND_PAD, colw = 0;
  size_t rows = 0;
  for (size_t i = 0; i < lg->n; i++) {
    gdv_legend_entry *e = &lg->entries[i];
    size_t r = i % per_col;
    if (r == 0 && i > 0) {
      x += colw + LEGEND_ENTRY_GAP;
      colw = 0;
    }
    e->px = x;
    e->py = LEGEND_PAD + (double)r * (rh + LEGEND_ROW_GAP);
    if (e->w > colw) colw = e->w;
    if (r + 1 > rows) rows = r + 1;
  }
  *w = ceil(x + colw + LEGEND_PAD);
  *h = ceil((double)rows * rh + (double)(rows - 1) * LEGEND_ROW_GAP + 2 * LEGEND_PAD);
}

/* Bottom: rows at least `avail` wide, widened (the figure grows wider, a
 * slide has room) until the box is at most max_h tall or one row. Side:
 * one entry a row, in as many columns as keep it within max_h. */
void gdv_legend_fit(gdv_legend *lg, const gdv_style *st, int place, double avail, double max_h) {
  lg->w = lg->h = 0;
  if (lg->n == 0) return;
  if (!lg->measured) measure_entries(lg, st);
  lg->measured = 1;
  double rh = gdv_text_line_height(st, GDV_CTX_LEGEND);
  if (place == GDV_LEGEND_SIDE) {
    double fit = floor((max_h - 2 * LEGEND_PAD + LEGEND_ROW_GAP) / (rh + LEGEND_ROW_GAP));
    size_t per_col = fit < 1 ? 1 : (size_t)fit;
    fill_columns(lg, rh, per_col < lg->n ? per_col : lg->n, &lg->w, &lg->h);
    return;
  }
  double one_row = 0;
  for (size_t i = 0; i < lg->n; i++) one_row += lg->entries[i].w + LEGEND_ENTRY_GAP;
  for (;;) {
    flow_rows(lg, rh, avail, &lg->w, &lg->h);
    if (lg->h <= max_h || avail >= one_row) return;
    avail += 8;
  }
}

/* A box swatch centred on mid, drawn like a node. */
static void draw_box_swatch(cairo_t *cr, const gdv_legend_entry *e, double x, double mid) {
  gdv_render_rounded(cr, x, mid - 5, LEGEND_SWATCH - 2, 10, 3);
  cairo_set_source_rgba(cr, e->fill.r, e->fill.g, e->fill.b, e->fill.a);
  gdv_render_fill(cr, 1);
  cairo_set_source_rgba(cr, e->colour.r, e->colour.g, e->colour.b, e->colour.a);
  cairo_set_line_width(cr, e->line_width);
  if (e->dashed) {
    double d[] = {3, 2};
    cairo_set_dash(cr, d, 2, 0);
  }
  gdv_render_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0);
}

/* A line swatch from x, len long, on mid: its round caps stay inside. */
static void draw_line_swatch(cairo_t *cr, gdv_rgba c, double width, double x, double len,
                             double mid) {
  double inset = width / 2 < len / 3 ? width / 2 : len / 3;
  cairo_new_path(cr);
  cairo_move_to(cr, x + inset, mid);
  cairo_line_to(cr, x + len - inset, mid);
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
  cairo_set_line_width(cr, width);
  gdv_render_stroke(cr);
}

/* Draws one entry; its texts go through `text` (the layout dump records
 * them), the swatches straight to cr. */
static void draw_entry(const gdv_legend *lg, size_t i, cairo_t *cr, const gdv_style *st,
                       gdv_legend_text_fn text, void *ctx) {
  const gdv_legend_entry *e = &lg->entries[i];
  double rh = gdv_text_line_height(st, GDV_CTX_LEGEND);
  double x = lg->x + e->px, top = lg->y + e->py, mid = top + rh / 2;
  if (e->swatch == SW_BOX) draw_box_swatch(cr, e, x + 1, mid);
  if (e->swatch == SW_LINE) draw_line_swatch(cr, e->colour, e->line_width, x, LEGEND_SWATCH, mid);
  if (e->swatch == SW_MARK_FILLED || e->swatch == SW_MARK_HOLLOW)
    gdv_render_draw_mark(cr, st, x + LEGEND_SWATCH / 2, mid, 0.42 * st->font_size,
                         e->swatch == SW_MARK_FILLED);
  if (e->swatch == SW_MARK_CROSS)
    gdv_render_draw_cross(cr, st, x + LEGEND_SWATCH / 2, mid, 0.42 * st->font_size);
  double w = LEGEND_SWATCH;
  if (e->swatch == SW_TEXT) w = text(ctx, e->sample_kind, e->sample, x, top, e->colour, (long)i);
  if (e->swatch == SW_SCALE) w = 0;
  if (*e->text) {
    if (w > 0) w += LEGEND_SWATCH_GAP;
    x += w + text(ctx, GDV_TEXT_NOTE, e->text, x + w, top, st->text, (long)i);
  }
  for (int k = 0; k < e->n_scale; k++) {
    x += 2 * LEGEND_SWATCH_GAP;
    draw_line_swatch(cr, e->scale_colour[k], e->scale_width[k], x, LEGEND_SCALE_LINE, mid);
    x += LEGEND_SCALE_LINE + LEGEND_SCALE_GAP;
    x += text(ctx, GDV_TEXT_NOTE, e->scale_num[k], x, top, st->text, (long)i);
  }
}

/* The box, then every entry at the place gdv_legend_fit gave it. */
void gdv_legend_draw(const gdv_legend *lg, cairo_t *cr, const gdv_style *st,
                     gdv_legend_text_fn text, void *ctx) {
  if (lg->n == 0) return;
  gdv_render_rounded(cr, lg->x, lg->y, lg->w, lg->h, 4);
  gdv_rgba f = st->legend_fill, s = st->node_stroke;
  cairo_set_source_rgba(cr, f.r, f.g, f.b, f.a);
  gdv_render_fill(cr, 1);
  cairo_set_source_rgba(cr, s.r, s.g, s.b, s.a);
  cairo_set_line_width(cr, 0.6);
  gdv_render_stroke(cr);
  for (size_t i = 0; i < lg->n; i++) draw_entry(lg, i, cr, st, text, ctx);
}

/* The names --legend and gradviz_legend take. */
int gdv_legend_place_lookup(const char *name, gdv_legend_place *out) {
  static const char *const names[] = {"bottom", "side", "none"};
  int i = gdv_name_index(names, 3, name);
  if (i >= 0) *out = (gdv_legend_place)i;
  return i >= 0;
}
