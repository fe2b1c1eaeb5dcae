/* mnist_focus.c: the --focus-unit figure. One unit's sum has 785 terms
 * (784 w·x and the bias): drawn as a column of 785 fan-in boxes it fills
 * 36 slides. Here the unit stands alone: its inputs, weights, terms w·x
 * and the weights' gradients as four 28x28 pictures (every term is there,
 * as a colour), its largest terms written out with their weights, inputs
 * and gradients, the exact sum of all the others, the bias, the unit (its
 * z as that sum, a, dC/da, dC/dz) and the cost. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnist_draw/mnist_focus.h"
#include "mnist_draw/mnist_route.h"
#include "mnist_draw/mnist_sum.h"

/* Points: a picture's pixels (28 of them: 140 pt, every picture as wide),
 * the gap between
 * pictures, between the pictures and the terms, and between boxes. */
#define PIXEL_PT 5.0
#define PICTURE_GAP 16.0
#define PICTURES_CLEAR 44.0
#define NODE_GAP 10.0
/* Terms of the sum on one row of the unit's box after the first. */
#define TERMS_PER_ROW 3

typedef struct focus {
  const gdv_mnist_net *net;
  const gdv_mnist_draw_options *opt;
  gdv_mnist_writer w;   /* its scene, the line being composed (put), precision */
  size_t L, j, n_in;
  size_t *order;        /* operands by |w·x|, largest first */
  int elided;           /* the rest folds terms (always, unless n_in <= k) */
  char rest[96];        /* "+ 778 more: 5.31" as the unit writes it */
} focus;

#define put(f, ...) gdv_sbuf_printf(&(f)->w.line, __VA_ARGS__)

/* The composed line as the next line of a node (joined: on the row before,
 * after it). */
static gdv_status add_line(focus *f, size_t node, gdv_text_kind kind, int join) {
  gdv_scene_node *n = &f->w.s->nodes[node];
  return gdv_mnist_line(&f->w, &n->lines, &n->n_lines, kind, join);
}

static const char *num(focus *f, double x, char *b) {
  return gdv_figure_number(x, f->w.prec, b, GDV_NUMBER_MAX);
}

/* "w¹₃,₄₃₄", "x₄₃₄", "a¹₁₂": superscript layer, subscript units. */
static void put_name(focus *f, const char *base, size_t layer, size_t j, size_t k) {
  char b[96];
  put(f, "%s", base);
  if (layer) put(f, "%s", gdv_script_digits((long)layer, 0, b, sizeof b));
  put(f, "%s", gdv_script_digits((long)j, 1, b, sizeof b));
  if (k != SIZE_MAX) put(f, ",%s", gdv_script_digits((long)k, 1, b, sizeof b));
}

/* Operand k of the unit: input pixel x_k, or unit k of the layer before. */
static gdv_id operand(const focus *f, size_t k) {
  return f->L == 1 ? f->net->input[k] : f->net->layer[f->L - 1].act[k];
}

static void put_operand(focus *f, size_t k) {
  if (f->L == 1) put_name(f, "x", 0, k, SIZE_MAX);
  else put_name(f, "a", f->L - 1, k, SIZE_MAX);
}

/* Mul node of operand k (w_jk * x_k). */
static gdv_id mul_of(const focus *f, size_t k) {
  return f->net->layer[f->L].mul[f->j * f->n_in + k];
}

static gdv_id weight_of(const focus *f, size_t k) {
  return f->net->layer[f->L].weight[f->j * f->n_in + k];
}

/* By |w·x| descending, then by index: the same order on every machine. */
static const focus *sort_focus;
static int by_term(const void *pa, const void *pb) {
  size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
  const double *v = sort_focus->net->g->value;
  double x = fabs(v[mul_of(sort_focus, a)]), y = fabs(v[mul_of(sort_focus, b)]);
  if (x != y) return x > y ? -1 : 1;
  return a < b ? -1 : a > b;
}

static gdv_status node(focus *f, const char *id, gdv_node_kind kind, int layer, double order,
                       size_t *idx) {
  gdv_status st = gdv_scene_add_node(f->w.s, id, kind, idx, f->w.err);
  if (st) return st;
  gdv_scene_node *n = &f->w.s->nodes[*idx];
  n->layer = layer;
  n->order = order;
  n->flags |= GDV_NODE_VALUE_KNOWN | GDV_NODE_GRAD_KNOWN;
  return GDV_OK;
}

static gdv_status edge(focus *f, size_t from, size_t to, double grad) {
  size_t idx;
  gdv_status st = gdv_scene_add_edge(f->w.s, from, to, &idx, f->w.err);
  if (st) return st;
  f->w.s->edges[idx].flags |= GDV_EDGE_LOCAL_KNOWN | GDV_EDGE_GRAD_KNOWN;
  f->w.s->edges[idx].weight = fabs(grad);
  return GDV_OK;
}

/* The k largest terms, one box each: "w¹₃,₄₃₄ · x₄₃₄  1.24 × 0.996 = 1.24"
 * over "∂C/∂w = 0.000190". */
static gdv_status add_terms(focus *f, size_t k, size_t unit) {
  const gdv_graph *g = f->net->g;
  char b[GDV_NUMBER_MAX], c[GDV_NUMBER_MAX], e[GDV_NUMBER_MAX], id[96];
  gdv_status st = GDV_OK;
  for (size_t i = 0; i < k && !st; i++) {
    size_t op = f->order[i], idx;
    snprintf(id, sizeof id, "m%zu_%zu_%zu", f->L, f->j, op);
    if ((st = node(f, id, GDV_KIND_OP, 0, (double)i, &idx))) break;
    put_name(f, "w", f->L, f->j, op);
    put(f, " · ");
    put_operand(f, op);
    if ((st = add_line(f, idx, GDV_TEXT_NAME, 0))) break;
    put(f, "%s × %s = %s", num(f, g->value[weight_of(f, op)], b),
        num(f, g->value[operand(f, op)], c), num(f, g->value[mul_of(f, op)], e));
    if ((st = add_line(f, idx, GDV_TEXT_VALUE, 1))) break;
    put(f, "∂C/∂w = %s", num(f, g->grad[weight_of(f, op)], b));
    if ((st = add_line(f, idx, GDV_TEXT_GRAD, 0))) break;
    st = edge(f, idx, unit, g->grad[mul_of(f, op)]);
  }
  return st;
}

/* The other terms as one box, their exact sum; and the bias. */
static gdv_status add_rest(focus *f, size_t k, size_t unit) {
  const gdv_graph *g = f->net->g;
  const gdv_mnist_layer *Lr = &f->net->layer[f->L];
  char b[GDV_NUMBER_MAX];
  double dz = g->grad[Lr->sum[f->j]];
  size_t idx;
  gdv_status st = GDV_OK;
  if (k < f->n_in) {
    double sum = 0;
    for (size_t i = k; i < f->n_in; i++) sum += g->value[mul_of(f, f->order[i])];
    if ((st = node(f, "more_terms", GDV_KIND_ELLIPSIS, 0, (double)k, &idx))) return st;
    put(f, "⋯ %zu more terms", f->n_in - k);
    if ((st = add_line(f, idx, GDV_TEXT_NAME, 0))) return st;
    put(f, "Σ w·x = %s", num(f, sum, b));
    if ((st = add_line(f, idx, GDV_TEXT_VALUE, 1))) return st;
    put(f, "∂C/∂w = %s · ∂C/∂z each", f->L == 1 ? "x" : "a");
    if ((st = add_line(f, idx, GDV_TEXT_GRAD, 0))) return st;
    if ((st = edge(f, idx, unit, dz))) return st;
  }
  char id[64];
  snprintf(id, sizeof id, "b%zu_%zu", f->L, f->j);
  if ((st = node(f, id, GDV_KIND_PARAM, 0, (double)k + 1, &idx))) return st;
  put_name(f, "b", f->L, f->j, SIZE_MAX);
  put(f, " = %s", num(f, g->value[Lr->bias[f->j]], b));
  if ((st = add_line(f, idx, GDV_TEXT_NAME, 0))) return st;
  put(f, "∂C/∂b = %s", num(f, g->grad[Lr->bias[f->j]], b));
  if ((st = add_line(f, idx, GDV_TEXT_GRAD, 0))) return st;
  return edge(f, idx, unit, dz);
}

/* "z = 7.42 = −0.37 (b) + 1.24 + ... + 778 more: 5.31" (numbers that add
 * up as printed, mnist_sum.c) cut into rows of TERMS_PER_ROW terms, each
 * row after the first starting with its sign. */
static gdv_status sum_rows(focus *f, size_t k, size_t unit) {
  const gdv_graph *g = f->net->g;
  const gdv_mnist_layer *Lr = &f->net->layer[f->L];
  size_t n = 0, kk = k < f->n_in ? k : f->n_in;
  gdv_mnist_term *t = malloc((kk + 2) * sizeof *t);
  if (!t) return gdv_error_oom(f->w.err);
  t[n++] = (gdv_mnist_term){GDV_MNIST_TERM_BIAS, g->value[Lr->bias[f->j]], 0, 0};
  for (size_t i = 0; i < kk; i++)
    t[n++] = (gdv_mnist_term){GDV_MNIST_TERM_EDGE, g->value[mul_of(f, f->order[i])], 1, i};
  if (kk < f->n_in) {
    double rest = 0;
    for (size_t i = kk; i < f->n_in; i++) rest += g->value[mul_of(f, f->order[i])];
    t[n++] = (gdv_mnist_term){GDV_MNIST_TERM_REST, rest, f->n_in - kk, 0};
    f->elided = 1;
  }
  gdv_sbuf whole = {0};
  gdv_mnist_sum_text(&whole, g->value[Lr->sum[f->j]], t, n, f->w.prec);
  free(t);
  if (whole.failed || !whole.s) {
    free(whole.s);
    return gdv_error_oom(f->w.err);
  }
  gdv_status st = GDV_OK;
  size_t start[64], rows = gdv_mnist_sum_rows(whole.s, TERMS_PER_ROW, start, 64);
  for (size_t r = 0; r < rows && !st; r++) {
    size_t end = r + 1 < rows ? start[r + 1] - 1 : strlen(whole.s);
    put(f, "%s%.*s", r ? "" : "z = ", (int)(end - start[r]), whole.s + start[r]);
    st = add_line(f, unit, GDV_TEXT_VALUE, 0);
  }
  const char *more = strstr(whole.s, " more: ");
  if (more) {
    const char *a = more, *e = more + strlen(" more: ");
    while (a > whole.s && a[-1] != ' ') a--;
    if ((unsigned char)*e == 0xE2) e += 3;
    while (*e && *e != ' ') e++;
    snprintf(f->rest, sizeof f->rest, "+ %.*s", (int)(e - a), a);
  }
  free(whole.s);
  return st;
}

/* The unit: its name and activation, z as its sum, a, dC/da, dC/dz. */
static gdv_status add_unit(focus *f, size_t k, size_t *unit) {
  const gdv_graph *g = f->net->g;
  const gdv_mnist_layer *Lr = &f->net->layer[f->L];
  int softmax = f->L + 1 == f->net->shape.n_layers && f->net->cost == GDV_MNIST_CROSS_ENTROPY;
  char b[GDV_NUMBER_MAX], id[64];
  snprintf(id, sizeof id, "a%zu_%zu", f->L, f->j);
  gdv_status st = node(f, id, GDV_KIND_OP, 1, 0, unit);
  if (st) return st;
  f->w.s->nodes[*unit].flags |= GDV_NODE_HIGHLIGHT;
  put_name(f, "a", f->L, f->j, SIZE_MAX);
  put(f, " = %s(", softmax ? "softmax" : gdv_mnist_act_name(f->net->act));
  if (softmax) put(f, "z)%s", gdv_script_digits((long)f->j, 1, b, sizeof b));
  else {
    put_name(f, "z", f->L, f->j, SIZE_MAX);
    put(f, ")");
  }
  if ((st = add_line(f, *unit, GDV_TEXT_NAME, 0))) return st;
  if ((st = sum_rows(f, k, *unit))) return st;
  double a = f->L + 1 == f->net->shape.n_layers ? gdv_mnist_net_output(f->net, f->j)
                                                 : g->value[Lr->act[f->j]];
  put(f, "a = %s", num(f, a, b));
  if ((st = add_line(f, *unit, GDV_TEXT_VALUE, 0))) return st;
  if (softmax) {
    put(f, "∂C/∂z = a − y = %s", num(f, g->grad[Lr->sum[f->j]], b));
    return add_line(f, *unit, GDV_TEXT_GRAD, 0);
  }
  put(f, "∂C/∂a = %s", num(f, g->grad[Lr->act[f->j]], b));
  if ((st = add_line(f, *unit, GDV_TEXT_GRAD, 0))) return st;
  put(f, "∂C/∂z = %s′(z) · ∂C/∂a = %s", gdv_mnist_act_name(f->net->act),
      num(f, g->grad[Lr->sum[f->j]], b));
  return add_line(f, *unit, GDV_TEXT_GRAD, 0);
}

/* The cost, with the label and the prediction. */
static gdv_status add_cost(focus *f, size_t unit) {
  const gdv_graph *g = f->net->g;
  char b[GDV_NUMBER_MAX];
  size_t idx;
  gdv_status st = node(f, "C", GDV_KIND_OP, 2, 0, &idx);
  if (st) return st;
  f->w.s->nodes[idx].flags |= GDV_NODE_OUTPUT;
  put(f, "C = %s", f->net->cost == GDV_MNIST_QUADRATIC ? "½‖a − y‖²" : "−Σ y log softmax(z)");
  if ((st = add_line(f, idx, GDV_TEXT_NAME, 0))) return st;
  put(f, "C = %s", num(f, g->value[f->net->cost_node], b));
  if ((st = add_line(f, idx, GDV_TEXT_VALUE, 0))) return st;
  size_t pred = gdv_mnist_net_predict(f->net);
  put(f, "label %u, prediction %zu %s", f->opt->label, pred, pred == f->opt->label ? "✓" : "✗");
  if ((st = add_line(f, idx, GDV_TEXT_NOTE, 0))) return st;
  return edge(f, unit, idx, g->grad[f->net->layer[f->L].act[f->j]]);
}

/* One picture of the unit's n_in operands: the digit's grid when they are
 * its pixels, else the squarest grid that holds them. */
static gdv_status add_picture(focus *f, int kind, int what, size_t *idx) {
  const gdv_graph *g = f->net->g;
  gdv_status st = gdv_scene_add_item(f->w.s, kind ? GDV_ITEM_HEATMAP : GDV_ITEM_IMAGE, idx, f->w.err);
  if (st) return st;
  gdv_scene_item *it = &f->w.s->items[*idx];
  size_t w = f->opt->cols, h = f->opt->rows;
  if (f->L > 1 || w * h != f->n_in) {
    w = (size_t)ceil(sqrt((double)f->n_in));
    h = (f->n_in + w - 1) / w;
  }
  it->pixels = calloc(w * h, sizeof *it->pixels);
  if (!it->pixels) return gdv_error_oom(f->w.err);
  it->px_w = w;
  it->px_h = h;
  for (size_t k = 0; k < f->n_in; k++) {
    double x = g->value[operand(f, k)];
    it->pixels[k] = what == 0 ? x : what == 1 ? g->value[weight_of(f, k)]
                  : what == 2 ? g->value[mul_of(f, k)] : g->grad[weight_of(f, k)];
  }
  it->w = 28 * PIXEL_PT;  /* the digit's size: every grid as wide */
  it->x = it->y = NAN;
  return GDV_OK;
}

/* The four pictures and their captions (each within the picture's width). */
static gdv_status add_pictures(focus *f, size_t *first) {
  gdv_status st = GDV_OK;
  *first = f->w.s->n_items;
  for (int what = 0; what < 4 && !st; what++) {
    size_t idx;
    if ((st = add_picture(f, f->L > 1 || what > 0, what, &idx))) break;
    gdv_scene_item *it = &f->w.s->items[idx];
    if (what == 0 && f->L == 1) put(f, "x: the digit (%u)", f->opt->label);
    else if (what == 0) {
      char b[32];
      put(f, "a%s: its %zu inputs", gdv_script_digits((long)f->L - 1, 0, b, sizeof b), f->n_in);
    }
    else if (what == 1) put(f, "w: its %zu weights", f->n_in);
    else if (what == 2) put(f, "w·x: its %zu terms", f->n_in);
    else put(f, "∂C/∂w = %s · ∂C/∂z", f->L == 1 ? "x" : "a");
    st = gdv_mnist_line(&f->w, &it->lines, &it->n_lines, GDV_TEXT_NOTE, 0);
    if (!st && what > 0) {
      put(f, "(blue +, orange −)");
      st = gdv_mnist_line(&f->w, &it->lines, &it->n_lines, GDV_TEXT_NOTE, 0);
    }
  }
  return st;
}

/* The pictures two by two, left of the terms, centred on them. */
static void place_pictures(focus *f, size_t first) {
  gdv_scene *s = f->w.s;
  double left = INFINITY, top = INFINITY, bottom = -INFINITY;
  for (size_t i = 0; i < s->n_nodes; i++) {
    const gdv_scene_node *n = &s->nodes[i];
    if (n->layer != 0) continue;
    if (n->x - n->w / 2 < left) left = n->x - n->w / 2;
    if (n->y - n->h / 2 < top) top = n->y - n->h / 2;
    if (n->y + n->h / 2 > bottom) bottom = n->y + n->h / 2;
  }
  gdv_scene_item *it = &s->items[first];
  double w = it->w, h = 0;
  for (size_t k = 0; k < 4; k++)
    if (s->items[first + k].h > h) h = s->items[first + k].h;
  double x0 = left - PICTURES_CLEAR - 2 * w - PICTURE_GAP;
  double y0 = (top + bottom) / 2 - h - PICTURE_GAP / 2;
  for (size_t k = 0; k < 4; k++) {
    gdv_scene_item *p = &s->items[first + k];
    p->x = x0 + (double)(k % 2) * (w + PICTURE_GAP) + w / 2;
    p->y = y0 + (double)(k / 2) * (h + PICTURE_GAP) + p->h / 2;
  }
}

/* What the legend adds: the fold's meaning with this figure's numbers,
 * and the focused unit. */
static gdv_status add_legend(focus *f) {
  gdv_scene *s = f->w.s;
  gdv_status st = GDV_OK;
  if (f->elided && f->rest[0]) {
    const char *n_end = strstr(f->rest, " more");
    put(f, "%s", f->rest);
    st = gdv_mnist_line(&f->w, &s->legend_notes, &s->n_legend_notes, GDV_TEXT_NOTE, 0);
    if (!st && n_end) {
      put(f, "= the sum of the %.*s smaller terms not written out", (int)(n_end - f->rest - 2),
          f->rest + 2);
      st = gdv_mnist_line(&f->w, &s->legend_notes, &s->n_legend_notes, GDV_TEXT_NOTE, 0);
    }
  }
  if (st) return st;
  put(f, "layer %zu, unit %zu: the unit and all %zu terms of its sum", f->L, f->j, f->n_in + 1);
  st = f->w.line.failed ? gdv_error_oom(f->w.err)
                        : gdv_scene_set_text(&s->legend_highlight, f->w.line.s, f->w.err);
  gdv_sbuf_clear(&f->w.line);
  return st;
}

gdv_status gdv_mnist_focus_scene(const gdv_mnist_net *net, const gdv_mnist_draw_options *opt,
                                 const gdv_style *style, size_t k, gdv_scene **out,
                                 gdv_error *err) {
  focus f = {.net = net, .opt = opt, .L = opt->focus_layer, .j = opt->focus_unit};
  f.n_in = net->shape.sizes[f.L - 1];
  if (k > f.n_in) k = f.n_in;
  *out = NULL;
  f.order = malloc(f.n_in * sizeof *f.order);
  if (!f.order) return gdv_error_oom(err);
  for (size_t i = 0; i < f.n_in; i++) f.order[i] = i;
  sort_focus = &f;
  qsort(f.order, f.n_in, sizeof *f.order, by_term);
  gdv_status st = gdv_mnist_writer_start(&f.w, opt, err);
  size_t unit = 0, first_picture = 0;
  if (!st) st = add_unit(&f, k, &unit);
  if (!st) st = add_terms(&f, k, unit);
  if (!st) st = add_rest(&f, k, unit);
  if (!st) st = add_cost(&f, unit);
  if (!st) st = add_pictures(&f, &first_picture);
  if (!st) st = add_legend(&f);
  gdv_columns_options copt = {0, 0, NODE_GAP};
  if (!st) st = gdv_scene_measure(f.w.s, style, err);
  /* measuring gave each picture 4 points a pixel and its caption's height:
   * PIXEL_PT a pixel, as wide */
  for (size_t i = first_picture; !st && i < f.w.s->n_items; i++) {
    gdv_scene_item *it = &f.w.s->items[i];
    it->h += (double)it->px_h * (it->w / (double)it->px_w - 4);
  }
  if (!st) st = gdv_mnist_route_prepare(f.w.s, err);
  if (!st) st = gdv_layout_columns(f.w.s, style, &copt, err);
  if (!st) st = gdv_mnist_route(f.w.s, style->rank_sep, err);
  if (!st) place_pictures(&f, first_picture);
  free(f.order);
  free(f.w.line.s);
  if (st) gdv_scene_free(f.w.s);
  else *out = f.w.s;
  return st;
}
