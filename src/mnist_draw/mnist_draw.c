/* mnist_draw.c: the figure of the evaluated network, built as a scene of the
 * render layer from the unit view: a column per layer, the written-out
 * fan-in and fan-out sums (the ellipsis terms included, so they add up), the
 * digit and dC/dx as pictures beside C (the verdict), a gradient-norm badge over
 * every column, and the verdict. Laid out by the render layer's columns (a
 * layer is a column, units in their order), not by Graphviz `dot`: `dot`
 * reorders the units of a layer and cannot lay out the full 784-30-10 graph
 * at all (NOTES), and one layout keeps every scale looking alike.
 * With --expand scalar a layer's shown units are drawn node by node (weight
 * leaves, muls, bias, z, a: gdv_mnist_view_scalar); when those are too many
 * for text (the whole graph) they are dots in blocks laid out here. */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "io/gdv_io.h"
#include "mnist_draw/gdv_mnist_draw.h"
#include "mnist_draw/mnist_png.h"
#include "mnist_draw/mnist_route.h"
#include "mnist_draw/mnist_sum.h"
#include "mnist_draw/mnist_fit.h"
#include "mnist_draw/mnist_focus.h"
#include "mnist_draw/mnist_poster.h"
#include "render/gdv_render.h"

/* Beyond this many edges (the whole graph) the columns are packed tighter,
 * with smaller text. */
#define DENSE_EDGES 400
/* Dense figures' edges: width in points (a pixel at 144 dpi) and the
 * opacity of the flow scale's bottom and top. */
#define DENSE_EDGE_WIDTH 0.5
#define DENSE_ALPHA_LO 0.05
#define DENSE_ALPHA_HI 0.6
/* A figure needing more slides than this to be legible is refused even
 * as PDF. */
#define MAX_PAGES 100
/* PNG figures with more edges than this get our own line drawing. */
#define FAST_EDGES 2000
/* Edge labels repeat the terms of the written-out sums; beyond this many
 * edges they only crowd the figure, and the sums in the nodes remain. */
#define MAX_LABELLED_EDGES 60
/* The scalar view's edges carry local and grad, as `gradviz render` draws
 * any graph, up to this many. */
#define MAX_LABELLED_SCALAR_EDGES 200
/* Beyond this many scalar nodes (weights, muls, biases) they are dots in
 * blocks: a sub-column per unit, a row per operand, so that x_k, w_jk and
 * w_jk * x_k share a row. Points: row pitch, dot size, sub-column step,
 * gap between layout columns. */
#define MAX_TEXT_SCALAR_NODES 400
#define BLOCK_PITCH 3.0
#define BLOCK_DOT 2.2
#define BLOCK_STEP 4.0
#define BLOCK_COLUMN_GAP 90.0
/* Written-out sums: this many terms (the largest), the rest folded into
 * one ⋯ term. Few, so that the default figure reads on a slide (and
 * significant digits, gdv_mnist_writer_start's 3). */
#define DEFAULT_SUM_TERMS 1
/* ... and terms below this share of the unit's largest edge are folded too
 * (1%: unless --sum-terms all). */
#define MIN_SHARE 1e-2
/* Points between the boxes of a column (the style's 18 would push the
 * default figure's text under 18 px/em on a 1920x1080 slide). */
#define NODE_GAP 10.0
/* ... and between two-row boxes, which a column of ten must fit */
#define NODE_GAP_COMPACT 6.0
/* Points between a badge's text and its outline, at least. */
#define BADGE_CLEAR 2.0
/* Columns with more units than this are drawn as dots without text. */
#define MAX_TEXT_UNITS 64

/* A scalar node's place in the block layout: layer c, the shown unit it
 * belongs to (sub-column), and the row of column c-1 whose unit it reads
 * (n_units of c-1 for the bias; SIZE_MAX for z, which sits by its unit). */
typedef struct block_slot { size_t node, c, sub, row; } block_slot;

/* How much a figure writes: the planner (gdv_mnist_scene) tries forms
 * from the most to the least until one is legible on its page. */
typedef struct mnist_form {
  int labels;           /* unit edges labelled (while few) */
  int scalar_labels;    /* scalar edges: 2 all labelled, 1 all but those
                           into z (local 1, grad ∂C/∂z: z says it), 0 none */
  size_t max_terms;     /* terms written per sum; 0: the bias and the rest */
  int compact;          /* unit boxes: 0 name, sums, a, ∂C/∂a; 1 totals on
                           three rows; 2 totals on two rows */
  int reduced;          /* a view of fewer units than the caller's */
  size_t wrap;          /* sums cut into rows of this many terms; 0: none */
  int legend_side;      /* the legend in a column at the right (a tall
                           figure keeps its height for the units) */
} mnist_form;

typedef struct drawer {
  const gdv_mnist_net *net;
  const gdv_mnist_view *view;
  gdv_mnist_writer w;   /* its scene, the line being composed (put), precision */
  size_t max_terms;
  size_t *first_node;   /* scene node of each column's first view unit */
  const int *scalar;    /* per column: its units drawn node by node */
  int *unit_col;        /* layout column of each view column's units */
  int labels;           /* edge labels on the unit edges */
  int scalar_labels;    /* edge labels on the scalar edges */
  int blocks;           /* too many scalar nodes for text: dots in blocks */
  struct block_slot *slot;  /* where each scalar node goes in the blocks */
  size_t n_slots, cap_slots;
  size_t cost_node;
  size_t cols;          /* pixels per image row: the inputs' labels */
  int elided;           /* some sum folds terms: the legend says how */
  char rest_example[96]; /* the first folded rest as written: "+ 783 more: 6.55" */
  int compact;          /* mnist_form.compact */
  size_t wrap;          /* mnist_form.wrap */
  int short_sums;       /* sums folded to fit the page (--sum-terms) */
} drawer;

/* Every number of the figure at the drawer's precision; b must hold
 * GDV_NUMBER_MAX bytes. */
static const char *num(drawer *d, double x, char *b) {
  return gdv_figure_number(x, d->w.prec, b, GDV_NUMBER_MAX);
}

/* Appends printf text to the line being composed. */
#define put(d, ...) gdv_sbuf_printf(&(d)->w.line, __VA_ARGS__)

/* Turns the text built with put into a scene line and empties the buffer for
 * the next one, even when adding fails. */
static gdv_status line(drawer *d, gdv_scene_line **lines, size_t *n,
                       gdv_text_kind kind) {
  return gdv_mnist_line(&d->w, lines, n, kind, 0);
}

/* As line, drawn on the row of the line before (after it). */
static gdv_status line_joined(drawer *d, gdv_scene_line **lines, size_t *n,
                              gdv_text_kind kind) {
  return gdv_mnist_line(&d->w, lines, n, kind, 1);
}

/* A line holding a written-out sum: one row, or with the form's wrap that
 * many terms a row (gdv_mnist_sum_rows), each row a line of its own. */
static gdv_status sum_line(drawer *d, gdv_scene_line **lines, size_t *n, gdv_text_kind kind) {
  if (!d->wrap || !d->w.line.s || d->w.line.failed) return line(d, lines, n, kind);
  char *text = d->w.line.s;
  size_t start[256], rows = gdv_mnist_sum_rows(text, d->wrap, start, 256);
  d->w.line = (gdv_sbuf){0};
  gdv_status st = GDV_OK;
  for (size_t r = 0; r < rows && !st; r++) {
    size_t end = r + 1 < rows ? start[r + 1] - 1 : strlen(text);
    put(d, "%.*s", (int)(end - start[r]), text + start[r]);
    st = line(d, lines, n, kind);
  }
  free(text);
  return st;
}

/* "x₁₂₃", "a²₃": unit numbers as subscripts, layer numbers as superscripts
 * (plain text, so every output format shows them without markup). */
static void put_script(drawer *d, size_t v, int sub) {
  char b[96];
  put(d, "%s", gdv_script_digits((long)v, sub, b, sizeof b));
}

/* Whether column c is the softmax output layer (cross-entropy cost): its
 * units' a is softmax(z), and the gradient the graph holds is dC/dz. */
static int is_softmax(const drawer *d, size_t c) {
  return c + 1 == d->view->n_columns && d->net->cost == GDV_MNIST_CROSS_ENTROPY;
}

/* Whether column c is drawn node by node (--expand scalar). */
static int is_scalar(const drawer *d, size_t c) {
  return d->scalar && c > 0 && d->scalar[c];
}

/* Appends the total, and when it has more than one term " = b (b) + t1 +
 * t2 + 781 more: rest" (fan-in) or " = t1 + t2 + 28 more: rest" (fan-out):
 * the largest few terms written out, the others folded into the rest,
 * every number to one decimal step so that they add up as printed
 * (gdv_mnist_sum_text). *summed: whether terms were written. */
static gdv_status put_sum(drawer *d, size_t c, size_t u, int fan_out, double total,
                          int *summed) {
  gdv_mnist_term *t;
  size_t n;
  gdv_status st = gdv_mnist_view_terms(d->view, c, u, fan_out, d->max_terms,
                                       d->max_terms == SIZE_MAX ? 0 : MIN_SHARE, &t, &n, d->w.err);
  if (st) return st;
  size_t from = d->w.line.s ? strlen(d->w.line.s) : 0;
  gdv_mnist_sum_text(&d->w.line, total, t, n, d->w.prec);
  for (size_t i = 0; i < n; i++) d->elided |= t[i].kind == GDV_MNIST_TERM_REST;
  /* the legend explains the fold with the first one the figure writes */
  const char *more = d->elided && !d->rest_example[0] && d->w.line.s ? strstr(d->w.line.s + from, " more: ") : NULL;
  if (more) {
    const char *a = more, *e = more + strlen(" more: ");
    while (a > d->w.line.s + from && a[-1] != ' ') a--;
    if (*e == '\xE2') e += 3;  /* a minus sign */
    while (*e && *e != ' ') e++;
    snprintf(d->rest_example, sizeof d->rest_example, "+ %.*s", (int)(e - a), a);
  }
  if (summed) *summed = n > 1;
  free(t);
  return GDV_OK;
}

/* A unit's numbers as totals, for a page the sums do not fit: "z = 7.42
 * a = 0.999" and "∂C/∂a = 0.320" on rows of their own (compact 1), or a on
 * the name's row and z beside ∂C/∂a (compact 2). */
static gdv_status unit_compact(drawer *d, size_t c, size_t u, gdv_scene_node *n) {
  const gdv_mnist_vcolumn *col = &d->view->column[c];
  const gdv_mnist_vunit *vu = &col->unit[u];
  const char *sigma = vu->ellipsis ? "Σ" : "";
  int softmax = is_softmax(d, c), two = d->compact == 2;
  int all_hidden = vu->ellipsis && vu->count == d->net->shape.sizes[c];
  char b[GDV_NUMBER_MAX];
  gdv_status st;
  if (all_hidden) put(d, "‖a‖ = %s", num(d, col->value_norm, b));
  else put(d, "%sa = %s", sigma, num(d, vu->value, b));
  st = two ? line_joined(d, &n->lines, &n->n_lines, GDV_TEXT_VALUE)
           : line(d, &n->lines, &n->n_lines, GDV_TEXT_VALUE);
  if (st) return st;
  if (c > 0 && !all_hidden) {
    put(d, "%sz = %s", sigma, num(d, vu->z, b));
    st = two ? line(d, &n->lines, &n->n_lines, GDV_TEXT_VALUE)
             : line_joined(d, &n->lines, &n->n_lines, GDV_TEXT_VALUE);
    if (st) return st;
    /* z before a on its row, as it is computed */
    if (!two) {
      gdv_scene_line t = n->lines[n->n_lines - 1];
      n->lines[n->n_lines - 1] = n->lines[n->n_lines - 2];
      n->lines[n->n_lines - 2] = t;
      n->lines[n->n_lines - 2].join = 0;
      n->lines[n->n_lines - 1].join = 1;
    }
  }
  if (all_hidden) put(d, "‖∂C/∂%s‖ = %s", softmax ? "z" : "a", num(d, col->grad_norm, b));
  else put(d, "%s∂C/∂%s = %s", sigma, softmax ? "z" : "a", num(d, vu->grad, b));
  return two && c > 0 && !all_hidden ? line_joined(d, &n->lines, &n->n_lines, GDV_TEXT_GRAD)
                                      : line(d, &n->lines, &n->n_lines, GDV_TEXT_GRAD);
}

/* The text of one view unit: name, z as bias plus its written-out fan-in,
 * a, and dC/da as its written-out fan-out (the ellipsis terms marked ⋯). */
static gdv_status unit_lines(drawer *d, size_t c, size_t u, gdv_scene_node *n,
                             int with_text) {
  const gdv_mnist_vcolumn *col = &d->view->column[c];
  const gdv_mnist_vunit *vu = &col->unit[u];
  size_t last = d->view->n_columns - 1;
  char b[GDV_NUMBER_MAX];
  int all_hidden = vu->ellipsis && vu->count == d->net->shape.sizes[c];
  gdv_status st;
  if (vu->ellipsis) {
    if (all_hidden) put(d, "layer %zu: all %zu %s", c, vu->count, c == 0 ? "inputs" : "units");
    else put(d, "⋯ %zu more", vu->count);
  } else if (c == 0) {
    put(d, "x");
    put_script(d, vu->first, 1);
    put(d, "  (row %zu, col %zu)", vu->first / d->cols, vu->first % d->cols);
  } else {
    put(d, "a");
    put_script(d, c, 0);
    put_script(d, vu->first, 1);
    if (c == last && vu->first == gdv_mnist_net_predict(d->net)) put(d, "  prediction");
    if (c == last && d->net->g->value[d->net->target[vu->first]] == 1) put(d, "  label");
  }
  if ((st = line(d, &n->lines, &n->n_lines, GDV_TEXT_NAME))) return st;
  if (!with_text) return GDV_OK;
  if (d->compact && !(c > 0 && !vu->ellipsis && is_scalar(d, c)))
    return unit_compact(d, c, u, n);
  const char *sigma = vu->ellipsis ? "Σ" : "";
  int scalar = c > 0 && !vu->ellipsis && is_scalar(d, c);
  if (scalar) {
    /* node by node: z has its own node; this one is the activation (or,
     * for softmax outputs, z itself) */
    const gdv_mnist_layer *L = &d->net->layer[c];
    gdv_id act = L->act[vu->first];
    put(d, "%s", act == L->sum[vu->first] ? "+" : gdv_op_get((gdv_op)d->net->g->op[act])->symbol);
    if ((st = line(d, &n->lines, &n->n_lines, GDV_TEXT_OP))) return st;
    if (act == L->sum[vu->first]) {
      size_t keep = d->max_terms;
      if (!d->blocks) d->max_terms = SIZE_MAX;  /* every mul drawn beside it */
      put(d, "z = ");
      if (d->compact) put(d, "%s", num(d, vu->z, b));
      else st = put_sum(d, c, u, 0, vu->z, NULL);
      d->max_terms = keep;
      if (st) return st;
      if ((st = line(d, &n->lines, &n->n_lines, GDV_TEXT_VALUE))) return st;
    }
  }
  if (c > 0 && !scalar) {
    put(d, "%sz = ", sigma);
    if ((st = put_sum(d, c, u, 0, vu->z, NULL))) return st;
    if ((st = sum_line(d, &n->lines, &n->n_lines, GDV_TEXT_VALUE))) return st;
  }
  int softmax = is_softmax(d, c);
  if (all_hidden) {
    put(d, "‖a‖ = %s", num(d, col->value_norm, b));
    if ((st = line(d, &n->lines, &n->n_lines, GDV_TEXT_VALUE))) return st;
    put(d, "‖∂C/∂%s‖ = %s", softmax ? "z" : "a", num(d, col->grad_norm, b));
    return line(d, &n->lines, &n->n_lines, GDV_TEXT_GRAD);
  }
  put(d, "%sa = %s%s", sigma, softmax && !vu->ellipsis ? "softmax(z) = " : "",
      num(d, vu->value, b));
  if ((st = line(d, &n->lines, &n->n_lines, GDV_TEXT_VALUE))) return st;
  if (c == last) {
    put(d, "%s∂C/∂%s = %s%s", sigma, softmax ? "z" : "a",
        softmax && !vu->ellipsis ? "a − y = " : "", num(d, vu->grad, b));
    return line(d, &n->lines, &n->n_lines, GDV_TEXT_GRAD);
  }
  put(d, "%s∂C/∂a = ", sigma);
  int summed;
  if ((st = put_sum(d, c, u, 1, vu->grad, &summed))) return st;
  return sum_line(d, &n->lines, &n->n_lines, summed ? GDV_TEXT_SUM : GDV_TEXT_GRAD);
}

/* A column with more units than MAX_TEXT_UNITS gets unlabelled dots, darker
 * the more active, instead of text boxes nobody could read. */
static gdv_status add_units(drawer *d) {
  gdv_status st = GDV_OK;
  const gdv_mnist_view *v = d->view;
  for (size_t c = 0; c < v->n_columns && !st; c++) {
    const gdv_mnist_vcolumn *col = &v->column[c];
    int with_text = col->n_units <= MAX_TEXT_UNITS;
    d->first_node[c] = d->w.s->n_nodes;
    for (size_t u = 0; u < col->n_units && !st; u++) {
      const gdv_mnist_vunit *vu = &col->unit[u];
      char id[64];
      size_t idx;
      if (vu->ellipsis) snprintf(id, sizeof id, "more_%zu", c);
      else snprintf(id, sizeof id, c ? "a%zu_%zu" : "x%zu", c ? c : vu->first, vu->first);
      gdv_node_kind kind = vu->ellipsis ? GDV_KIND_ELLIPSIS : c == 0 ? GDV_KIND_INPUT : GDV_KIND_OP;
      st = gdv_scene_add_node(d->w.s, id, kind, &idx, d->w.err);
      if (st) break;
      gdv_scene_node *n = &d->w.s->nodes[idx];
      n->layer = d->unit_col[c];
      n->order = (double)u;
      n->flags |= GDV_NODE_VALUE_KNOWN | GDV_NODE_GRAD_KNOWN;
      if (!with_text && !vu->ellipsis && c == 0 && !d->blocks) {
        /* the whole input layer: every pixel's value, one line each */
        char b[GDV_NUMBER_MAX];
        n->shape = GDV_SHAPE_PLAIN;
        put(d, "x");
        put_script(d, vu->first, 1);
        put(d, " = %s", num(d, vu->value, b));
        st = line(d, &n->lines, &n->n_lines, GDV_TEXT_VALUE);
        continue;
      }
      if (!with_text && !vu->ellipsis) {
        n->shape = GDV_SHAPE_DOT;
        if (d->blocks) n->w = n->h = BLOCK_DOT;
        n->flags |= GDV_NODE_CUSTOM_FILL;
        double a = c == 0 ? vu->value : 1 / (1 + exp(-vu->value));
        n->fill = (gdv_rgba){1 - a, 1 - a, 1 - a, 1};
      }
      st = unit_lines(d, c, u, n, with_text || vu->ellipsis);
    }
  }
  return st;
}

/* The edges of the view, and the last column's edges into C. */
static gdv_status add_edges(drawer *d, int labels) {
  const gdv_mnist_view *v = d->view;
  char b[GDV_NUMBER_MAX];
  gdv_status st = GDV_OK;
  for (size_t e = 0; e < v->n_edges && !st; e++) {
    const gdv_mnist_vedge *ve = &v->edge[e];
    size_t idx;
    /* into a shown unit drawn node by node: the scalar edges stand for it */
    if (is_scalar(d, ve->column) && !v->column[ve->column].unit[ve->to].ellipsis) continue;
    st = gdv_scene_add_edge(d->w.s, d->first_node[ve->column - 1] + ve->from,
                            d->first_node[ve->column] + ve->to, &idx, d->w.err);
    if (st) break;
    gdv_scene_edge *se = &d->w.s->edges[idx];
    se->flags |= GDV_EDGE_LOCAL_KNOWN | GDV_EDGE_GRAD_KNOWN;
    se->weight = fabs(ve->grad);
    if (!labels) continue;
    /* what flows forward is a value (w·a), not a local derivative; what
     * flows back is the edge's grad, as the legend names them */
    if (ve->paths == 1) put(d, "w·a = %s", num(d, ve->contrib, b));
    else put(d, "Σ w·a = %s", num(d, ve->contrib, b));
    if ((st = line(d, &se->lines, &se->n_lines, GDV_TEXT_VALUE))) break;
    put(d, "%sgrad %s", ve->paths == 1 ? "" : "Σ ", num(d, ve->grad, b));
    st = line(d, &se->lines, &se->n_lines, GDV_TEXT_EDGE_GRAD);
  }
  size_t last = v->n_columns - 1;
  const gdv_mnist_vcolumn *col = &v->column[last];
  for (size_t u = 0; u < col->n_units && !st; u++) {
    size_t idx;
    st = gdv_scene_add_edge(d->w.s, d->first_node[last] + u, d->cost_node, &idx, d->w.err);
    if (st) break;
    gdv_scene_edge *se = &d->w.s->edges[idx];
    se->flags |= GDV_EDGE_LOCAL_KNOWN | GDV_EDGE_GRAD_KNOWN;
    se->weight = fabs(col->unit[u].grad);
  }
  return st;
}

/* ---- --expand scalar: a layer's shown units node by node ---- */

/* Adds a node in layout column `col` at `order` (its lines come after:
 * node_line). */
static gdv_status scalar_node(drawer *d, const char *id, gdv_node_kind kind, int col,
                              double order, size_t *idx) {
  gdv_status st = gdv_scene_add_node(d->w.s, id, kind, idx, d->w.err);
  if (st) return st;
  gdv_scene_node *n = &d->w.s->nodes[*idx];
  n->layer = col;
  n->order = order;
  return GDV_OK;
}

/* Appends the current buffer as a line of node idx (dots get none). */
static gdv_status node_line(drawer *d, size_t idx, gdv_text_kind kind) {
  gdv_scene_node *n = &d->w.s->nodes[idx];
  if (n->shape == GDV_SHAPE_DOT) {
    gdv_sbuf_clear(&d->w.line);
    return GDV_OK;
  }
  return line(d, &n->lines, &n->n_lines, kind);
}

/* Records node idx's slot for the block layout; in blocks, a weight, mul or
 * bias is a dot coloured by its value (blue +, orange −, as dC/dx). */
static gdv_status block_slot_add(drawer *d, size_t idx, size_t c, size_t sub,
                                 size_t row, double value) {
  if (!d->blocks) return GDV_OK;
  if (d->n_slots == d->cap_slots) {
    size_t cap = d->cap_slots ? 2 * d->cap_slots : 1024;
    block_slot *grown = realloc(d->slot, cap * sizeof *grown);
    if (!grown) return gdv_error_oom(d->w.err);
    d->slot = grown;
    d->cap_slots = cap;
  }
  d->slot[d->n_slots++] = (block_slot){idx, c, sub, row};
  if (row == SIZE_MAX) return GDV_OK;
  gdv_scene_node *n = &d->w.s->nodes[idx];
  double t = tanh(fabs(value));
  n->shape = GDV_SHAPE_DOT;
  n->w = n->h = BLOCK_DOT;
  n->flags |= GDV_NODE_CUSTOM_FILL;
  n->fill = value >= 0 ? (gdv_rgba){1 - 0.9 * t, 1 - 0.55 * t, 1 - 0.3 * t, 1}
                       : (gdv_rgba){1 - 0.15 * t, 1 - 0.6 * t, 1 - 0.9 * t, 1};
  return GDV_OK;
}

/* An edge with |grad| as its flow and, when labelled, "local" and "grad"
 * lines as `gradviz render` writes them ("Σ grad" for an ellipsis, whose
 * paths have different locals). */
static gdv_status scalar_edge(drawer *d, size_t from, size_t to, double local,
                              double grad, int summed, int into_z) {
  /* summed: 0 one path; 1 grad is the sum over the paths; 2 every path
   * carries grad */
  size_t idx;
  char b[GDV_NUMBER_MAX];
  gdv_status st = gdv_scene_add_edge(d->w.s, from, to, &idx, d->w.err);
  if (st) return st;
  gdv_scene_edge *se = &d->w.s->edges[idx];
  se->flags |= GDV_EDGE_LOCAL_KNOWN | GDV_EDGE_GRAD_KNOWN;
  se->weight = fabs(grad);
  if (!d->scalar_labels || (into_z && d->scalar_labels < 2)) return GDV_OK;
  if (summed != 1) {
    put(d, "local %s", num(d, local, b));
    if ((st = line(d, &d->w.s->edges[idx].lines, &d->w.s->edges[idx].n_lines, GDV_TEXT_LOCAL))) return st;
  }
  put(d, "%sgrad %s%s", summed == 1 ? "Σ " : "", num(d, grad, b), summed == 2 ? " each" : "");
  return line(d, &d->w.s->edges[idx].lines, &d->w.s->edges[idx].n_lines, GDV_TEXT_EDGE_GRAD);
}

/* "w¹₃,₁₅₈" and friends. */
static void put_name(drawer *d, const char *base, size_t c, size_t j, size_t k) {
  put(d, "%s", base);
  put_script(d, c, 0);
  put_script(d, j, 1);
  if (k != SIZE_MAX) {
    put(d, ",");
    put_script(d, k, 1);
  }
}

/* Where one scalar unit's nodes go: view column c, shown unit u (layer
 * unit j); the layout columns of its muls; the order of its weights and
 * muls; its z node. */
typedef struct scalar_place {
  size_t c, u, j, add_idx;
  int mul_col;
  double w_order, base;
} scalar_place;

/* z: the add node of a unit whose activation has its own node, with every
 * term of its sum (the ellipsis mul's included: the muls are drawn beside
 * it). */
static gdv_status scalar_z(drawer *d, const scalar_place *p, size_t *add_idx) {
  const gdv_mnist_vunit *vu = &d->view->column[p->c].unit[p->u];
  double dz = d->net->g->grad[d->net->layer[p->c].sum[p->j]];
  char id[96], b[GDV_NUMBER_MAX];
  snprintf(id, sizeof id, "z%zu_%zu", p->c, p->j);
  gdv_status st = scalar_node(d, id, GDV_KIND_OP, d->unit_col[p->c] - 1, (double)p->u, add_idx);
  if (!st) st = block_slot_add(d, *add_idx, p->c, p->u, SIZE_MAX, 0);
  if (st) return st;
  put_name(d, "z", p->c, p->j, SIZE_MAX);
  if ((st = node_line(d, *add_idx, GDV_TEXT_NAME))) return st;
  put(d, "+");
  if ((st = node_line(d, *add_idx, GDV_TEXT_OP))) return st;
  size_t keep = d->max_terms;
  if (!d->blocks) d->max_terms = SIZE_MAX;
  put(d, "z = ");
  /* compact: the muls beside it hold the terms */
  if (d->compact) put(d, "%s", num(d, vu->z, b));
  else st = put_sum(d, p->c, p->u, 0, vu->z, NULL);
  if (!st) st = node_line(d, *add_idx, GDV_TEXT_VALUE);
  d->max_terms = keep;
  if (st) return st;
  put(d, "∂C/∂z = %s", num(d, dz, b));
  return node_line(d, *add_idx, GDV_TEXT_GRAD);
}

/* Operand i of the unit: its weight leaf (or the ellipsis of the elided
 * weights), the mul w * a, and the edges w -> mul (local a_k, grad dC/dw),
 * a_k -> mul (local w, grad back to a_k) and mul -> add (local 1, grad
 * dC/dz each). */
static gdv_status scalar_operand(drawer *d, const scalar_place *p, size_t i,
                                 const gdv_mnist_smul *t) {
  const gdv_mnist_vcolumn *prev = &d->view->column[p->c - 1];
  size_t k = prev->unit[t->from].first, w_idx, mul_idx, c = p->c, j = p->j;
  int many = t->paths > 1;
  char id[96], b[GDV_NUMBER_MAX];
  if (many) snprintf(id, sizeof id, "w%zu_%zu_more", c, j);
  else snprintf(id, sizeof id, "w%zu_%zu_%zu", c, j, k);
  gdv_status st = scalar_node(d, id, many ? GDV_KIND_ELLIPSIS : GDV_KIND_PARAM,
                              d->unit_col[c - 1], p->w_order + (double)i, &w_idx);
  if (!st) st = block_slot_add(d, w_idx, c, p->u, i, t->w);
  if (st) return st;
  if (many) put(d, "⋯ %zu more weights", t->paths);
  else put_name(d, "w", c, j, k);
  if ((st = node_line(d, w_idx, GDV_TEXT_NAME))) return st;
  put(d, "%s%s", many ? "Σw = " : "value ", num(d, t->w, b));
  if ((st = node_line(d, w_idx, GDV_TEXT_VALUE))) return st;
  put(d, "%s = %s", many ? "Σ∂C/∂w" : "∂C/∂w", num(d, t->w_grad, b));
  if ((st = node_line(d, w_idx, GDV_TEXT_GRAD))) return st;
  if (many) snprintf(id, sizeof id, "m%zu_%zu_more", c, j);
  else snprintf(id, sizeof id, "m%zu_%zu_%zu", c, j, k);
  st = scalar_node(d, id, many ? GDV_KIND_ELLIPSIS : GDV_KIND_OP, p->mul_col,
                   p->base + (double)i, &mul_idx);
  if (!st) st = block_slot_add(d, mul_idx, c, p->u, i, t->value);
  if (st) return st;
  if (many) put(d, "⋯ %zu more ×", t->paths);
  else put(d, "×");
  if ((st = node_line(d, mul_idx, many ? GDV_TEXT_NAME : GDV_TEXT_OP))) return st;
  put(d, "%s%s", many ? "Σ value " : "value ", num(d, t->value, b));
  if ((st = node_line(d, mul_idx, GDV_TEXT_VALUE))) return st;
  put(d, "grad %s%s", num(d, t->grad, b), many ? " each" : "");
  if ((st = node_line(d, mul_idx, GDV_TEXT_GRAD))) return st;
  if ((st = scalar_edge(d, w_idx, mul_idx, t->x, t->w_grad, many, 0))) return st;
  if ((st = scalar_edge(d, d->first_node[c - 1] + t->from, mul_idx, t->w, t->x_grad, many, 0)))
    return st;
  return scalar_edge(d, mul_idx, p->add_idx, 1, t->grad, many ? 2 : 0, 1);
}

/* The bias leaf below the muls, and its edge into z. */
static gdv_status scalar_bias(drawer *d, const scalar_place *p, size_t row) {
  const gdv_mnist_vunit *vu = &d->view->column[p->c].unit[p->u];
  double dz = d->net->g->grad[d->net->layer[p->c].sum[p->j]];
  char id[96], b[GDV_NUMBER_MAX];
  size_t idx;
  snprintf(id, sizeof id, "b%zu_%zu", p->c, p->j);
  gdv_status st = scalar_node(d, id, GDV_KIND_PARAM, p->mul_col, p->base + (double)row, &idx);
  if (!st) st = block_slot_add(d, idx, p->c, p->u, row, vu->bias);
  if (st) return st;
  put_name(d, "b", p->c, p->j, SIZE_MAX);
  if ((st = node_line(d, idx, GDV_TEXT_NAME))) return st;
  put(d, "value %s", num(d, vu->bias, b));
  if ((st = node_line(d, idx, GDV_TEXT_VALUE))) return st;
  put(d, "∂C/∂b = %s", num(d, vu->bias_grad, b));
  if ((st = node_line(d, idx, GDV_TEXT_GRAD))) return st;
  return scalar_edge(d, idx, p->add_idx, 1, dz, 0, 1);
}

/* Shown unit u of scalar column c: z, its weights and muls (one ellipsis
 * mul for the elided operands), its bias, and their edges; the unit's own
 * node (the activation) exists already. */
static gdv_status scalar_unit(drawer *d, size_t c, size_t u) {
  const gdv_mnist_layer *L = &d->net->layer[c];
  const gdv_mnist_vcolumn *col = &d->view->column[c];
  size_t j = col->unit[u].first, n, act_idx = d->first_node[c] + u;
  /* softmax outputs: the unit's node is z itself */
  int same = L->act[j] == L->sum[j];
  scalar_place p = {c, u, j, act_idx, d->unit_col[c] - (same ? 1 : 2), 0,
                    (double)u * (double)(d->view->column[c - 1].n_units + 1)};
  /* the weights are leaves: they stand in column c-1 beside the units
   * they multiply (where `dot` would rank them), the first half of the
   * units' weights above those units, the rest below */
  size_t shown = 0;
  for (size_t t = 0; t < col->n_units; t++) shown += !col->unit[t].ellipsis;
  p.w_order = (2 * u < shown ? -1e6 : 1e6) + p.base;
  gdv_mnist_smul *m;
  gdv_status st = gdv_mnist_view_scalar(d->net, d->view, c, u, &m, &n, d->w.err);
  if (st) return st;
  if (!same) st = scalar_z(d, &p, &p.add_idx);
  for (size_t i = 0; i < n && !st; i++) st = scalar_operand(d, &p, i, &m[i]);
  free(m);
  if (!st) st = scalar_bias(d, &p, n);
  if (st || same) return st;
  const gdv_graph *g = d->net->g;
  return scalar_edge(d, p.add_idx, act_idx, g->edge_local[g->arg_start[L->act[j]]],
                     g->grad[L->sum[j]], 0, 0);
}

/* The scalar nodes of every --expand scalar column, after the unit nodes
 * (whose indices the edges use). */
static gdv_status add_scalar(drawer *d) {
  gdv_status st = GDV_OK;
  for (size_t c = 1; c < d->view->n_columns && !st; c++) {
    if (!is_scalar(d, c)) continue;
    const gdv_mnist_vcolumn *col = &d->view->column[c];
    for (size_t u = 0; u < col->n_units && !st; u++)
      if (!col->unit[u].ellipsis) st = scalar_unit(d, c, u);
  }
  return st;
}

/* ---- the block layout: the whole scalar graph ---- */

/* Row i of view column c in points: a pitch apart in a column of dots,
 * spread evenly over the height h in a column of text boxes. `rows`
 * counts the bias row the next layer's block adds. */
static double row_y(const drawer *d, size_t c, size_t i, double h) {
  size_t rows = d->view->column[c].n_units + 1;
  if (d->view->column[c].n_units > MAX_TEXT_UNITS) return ((double)i + 0.5) * BLOCK_PITCH;
  return ((double)i + 0.5) * h / (double)rows;
}

/* Straight cubic from the right side of a to the left side of b. */
static gdv_status route(gdv_scene *s, gdv_scene_edge *e, gdv_error *err) {
  const gdv_scene_node *a = &s->nodes[e->from], *b = &s->nodes[e->to];
  double x0 = a->x + a->w / 2, y0 = a->y, x1 = b->x - b->w / 2, y1 = b->y;
  double head = (x1 - x0) / 4 < 6 ? (x1 - x0) / 4 : 6, u1 = x1 - head, k = (u1 - x0) / 2;
  double *p = realloc(e->pts, 8 * sizeof *p);
  if (!p) return gdv_error_oom(err);
  p[0] = x0; p[1] = y0; p[2] = x0 + k; p[3] = y0;
  p[4] = u1 - k; p[5] = y1; p[6] = u1; p[7] = y1;
  e->pts = p;
  e->n_pts = 4;
  e->tip_x = x1;
  e->tip_y = y1;
  e->label_x = e->label_y = 0;
  return GDV_OK;
}

/* The blocks' height: the tallest column of dots or of text boxes (evenly
 * spread rows, the tallest box, unit or z, setting the step). */
static double blocks_height(const drawer *d) {
  const gdv_scene *s = d->w.s;
  const gdv_mnist_view *v = d->view;
  double h = 0;
  for (size_t c = 0; c < v->n_columns; c++) {
    const gdv_mnist_vcolumn *col = &v->column[c];
    double need = 0;
    if (col->n_units > MAX_TEXT_UNITS) {
      need = (double)(col->n_units + 1) * BLOCK_PITCH;
    } else {
      double tallest = 0;
      for (size_t u = 0; u < col->n_units; u++)
        if (s->nodes[d->first_node[c] + u].h > tallest) tallest = s->nodes[d->first_node[c] + u].h;
      for (size_t k = 0; k < d->n_slots; k++)
        if (d->slot[k].row == SIZE_MAX && d->slot[k].c == c && s->nodes[d->slot[k].node].h > tallest)
          tallest = s->nodes[d->slot[k].node].h;
      need = (double)(col->n_units + 1) * (tallest + 8);
    }
    if (need > h) h = need;
  }
  return h;
}

/* Places every node when the scalar nodes are dots: x_k, w_jk and
 * w_jk * x_k on one row, one sub-column per unit, so the 23,520 muls of
 * layer 1 form a block of 30 x 784 dots instead of a column 70,000 points
 * high; text columns are spread over the same height; edges are straight
 * curves. Linear in nodes and edges. */
static gdv_status layout_blocks(drawer *d, const gdv_style *st) {
  gdv_scene *s = d->w.s;
  const gdv_mnist_view *v = d->view;
  gdv_status status = gdv_scene_measure(s, st, d->w.err);
  if (status) return status;
  size_t nn = s->n_nodes;
  int n_cols = 0;
  for (size_t i = 0; i < nn; i++) if (s->nodes[i].layer + 1 > n_cols) n_cols = s->nodes[i].layer + 1;
  double *plain = calloc((size_t)n_cols, sizeof *plain), *left = calloc((size_t)n_cols, sizeof *left);
  size_t *subs = calloc((size_t)n_cols, sizeof *subs);
  char *in_block = calloc(nn, 1);
  if (!plain || !left || !subs || !in_block) {
    status = gdv_error_oom(d->w.err);
    goto done;
  }
  double h = blocks_height(d);
  /* y: units and z by their rows, block dots by the row they read, C in
   * the middle */
  for (size_t c = 0; c < v->n_columns; c++)
    for (size_t u = 0; u < v->column[c].n_units; u++)
      s->nodes[d->first_node[c] + u].y = row_y(d, c, u, h);
  for (size_t k = 0; k < d->n_slots; k++) {
    const block_slot *b = &d->slot[k];
    gdv_scene_node *n = &s->nodes[b->node];
    if (b->row == SIZE_MAX) {
      n->y = row_y(d, b->c, b->sub, h);
      continue;
    }
    n->y = row_y(d, b->c - 1, b->row, h);
    in_block[b->node] = 1;
    if (b->sub + 1 > subs[n->layer]) subs[n->layer] = b->sub + 1;
  }
  s->nodes[d->cost_node].y = h / 2;
  /* x: per layout column its boxes (or unit dots), then its block */
  for (size_t i = 0; i < nn; i++)
    if (!in_block[i] && s->nodes[i].w > plain[s->nodes[i].layer]) plain[s->nodes[i].layer] = s->nodes[i].w;
  double x = 0;
  for (int l = 0; l < n_cols; l++) {
    left[l] = x;
    x += plain[l] + (subs[l] ? (plain[l] > 0 ? BLOCK_COLUMN_GAP / 3 : 0) + (double)subs[l] * BLOCK_STEP : 0);
    x += BLOCK_COLUMN_GAP;
  }
  for (size_t i = 0; i < nn; i++)
    if (!in_block[i]) s->nodes[i].x = left[s->nodes[i].layer] + plain[s->nodes[i].layer] / 2;
  for (size_t k = 0; k < d->n_slots; k++) {
    const block_slot *b = &d->slot[k];
    gdv_scene_node *n = &s->nodes[b->node];
    int l = n->layer;
    if (!in_block[b->node]) continue;
    n->x = left[l] + plain[l] + (plain[l] > 0 ? BLOCK_COLUMN_GAP / 3 : 0) +
           ((double)b->sub + 0.5) * BLOCK_STEP;
  }
  for (size_t e = 0; e < s->n_edges && !status; e++) status = route(s, &s->edges[e], d->w.err);
  s->width = x - BLOCK_COLUMN_GAP;
  s->height = h;
  s->laid_out = 1;
done:
  free(plain);
  free(left);
  free(subs);
  free(in_block);
  return status;
}

/* The cost node: C, the label and the prediction. */
static gdv_status add_cost(drawer *d, const gdv_mnist_draw_options *opt) {
  char b[GDV_NUMBER_MAX];
  gdv_status st = gdv_scene_add_node(d->w.s, "C", GDV_KIND_OP, &d->cost_node, d->w.err);
  if (st) return st;
  gdv_scene_node *n = &d->w.s->nodes[d->cost_node];
  n->layer = d->unit_col[d->view->n_columns - 1] + 1;
  n->flags |= GDV_NODE_VALUE_KNOWN | GDV_NODE_GRAD_KNOWN | GDV_NODE_OUTPUT;
  put(d, "C = %s", d->net->cost == GDV_MNIST_QUADRATIC ? "½‖a − y‖²" : "−Σ y log softmax(z)");
  if ((st = line(d, &n->lines, &n->n_lines, GDV_TEXT_NAME))) return st;
  put(d, "C = %s", num(d, d->net->g->value[d->net->cost_node], b));
  if ((st = line(d, &n->lines, &n->n_lines, GDV_TEXT_VALUE))) return st;
  size_t pred = gdv_mnist_net_predict(d->net);
  put(d, "label %u, prediction %zu %s", opt->label, pred, pred == opt->label ? "✓" : "✗");
  return line(d, &n->lines, &n->n_lines, GDV_TEXT_NOTE);
}

/* Picture items: the digit and dC/dx (784 values: the whole input layer,
 * not only the shown units). */
static gdv_status add_pictures(drawer *d, const gdv_mnist_draw_options *opt,
                               size_t *first_item) {
  const gdv_mnist_net *net = d->net;
  size_t n = opt->rows * opt->cols, idx;
  gdv_status st = GDV_OK;
  *first_item = d->w.s->n_items;
  for (int k = 0; k < 2 && !st; k++) {
    st = gdv_scene_add_item(d->w.s, k ? GDV_ITEM_HEATMAP : GDV_ITEM_IMAGE, &idx, d->w.err);
    if (st) break;
    gdv_scene_item *it = &d->w.s->items[idx];
    it->pixels = malloc(n * sizeof *it->pixels);
    if (!it->pixels) return gdv_error_oom(d->w.err);
    it->px_w = opt->cols;
    it->px_h = opt->rows;
    for (size_t p = 0; p < n; p++)
      it->pixels[p] = k ? net->g->grad[net->input[p]] : opt->image[p] / 255.0;
    it->x = it->y = NAN;
    if (k) put(d, "∂C/∂x (blue +, orange −)");
    else put(d, "the digit (label %u)", opt->label);
    st = line(d, &it->lines, &it->n_lines, GDV_TEXT_NOTE);
  }
  return st;
}

/* A badge over each column: its size and gradient norms, so vanishing
 * gradients toward the input show as shrinking numbers. */
static gdv_status add_badges(drawer *d, size_t *first_badge) {
  char b[GDV_NUMBER_MAX];
  gdv_status st = GDV_OK;
  *first_badge = d->w.s->n_items;
  for (size_t c = 0; c < d->view->n_columns && !st; c++) {
    const gdv_mnist_vcolumn *col = &d->view->column[c];
    size_t idx;
    st = gdv_scene_add_item(d->w.s, GDV_ITEM_BADGE, &idx, d->w.err);
    if (st) break;
    gdv_scene_item *it = &d->w.s->items[idx];
    it->x = it->y = NAN;
    if (c == 0) put(d, "input: %zu pixels", d->net->shape.sizes[0]);
    else put(d, "layer %zu: %zu %s units", c, d->net->shape.sizes[c],
             c + 1 == d->view->n_columns && d->net->cost == GDV_MNIST_CROSS_ENTROPY
                 ? "softmax" : gdv_mnist_act_name(d->net->act));
    if ((st = line(d, &it->lines, &it->n_lines, GDV_TEXT_NOTE))) break;
    /* softmax outputs: the graph's unit is z, its gradient ∂C/∂z */
    if (is_softmax(d, c)) put(d, "‖∂C/∂z‖ = %s", num(d, col->z_grad_norm, b));
    else put(d, "‖∂C/∂a‖ = %s", num(d, col->grad_norm, b));
    if (c > 0 && !is_softmax(d, c)) put(d, "   ‖∂C/∂z‖ = %s", num(d, col->z_grad_norm, b));
    st = line(d, &it->lines, &it->n_lines, GDV_TEXT_GRAD);
  }
  return st;
}

/* What the legend adds for this figure, in its own numbers: a node that
 * stands for many units, how a folded sum reads, and sums cut short to
 * fit the page. (--focus-unit is mnist_focus.c's figure.) */
static gdv_status add_legend_notes(drawer *d) {
  gdv_scene *s = d->w.s;
  gdv_status st = GDV_OK;
  /* a node standing for many units, explained with the figure's first:
   * "⋯ 25 more = 25 units as one node: Σ of their numbers" */
  for (size_t c = 0; c < d->view->n_columns && !st; c++) {
    const gdv_mnist_vcolumn *col = &d->view->column[c];
    const gdv_mnist_vunit *vu = &col->unit[col->n_units - 1];
    if (!vu->ellipsis) continue;
    int all = vu->count == d->net->shape.sizes[c];
    const char *what = c == 0 ? "inputs" : "units";
    if (all) put(d, "layer %zu: all %zu %s", c, vu->count, what);
    else put(d, "⋯ %zu more", vu->count);
    st = line(d, &s->legend_notes, &s->n_legend_notes, GDV_TEXT_NOTE);
    if (all) put(d, "= the layer as one node: Σ and ‖·‖ of its %s", what);
    else put(d, "= %zu %s as one node: Σ of their numbers", vu->count, what);
    if (!st) st = line(d, &s->legend_notes, &s->n_legend_notes, GDV_TEXT_NOTE);
    break;
  }
  if (!st && d->elided) {
    /* "+ 783 more: 6.55" and what it means, with the figure's own numbers */
    const char *ex = d->rest_example[0] ? d->rest_example : "+ N more: s";
    const char *n_end = strstr(ex, " more");
    put(d, "%s", ex);
    st = line(d, &s->legend_notes, &s->n_legend_notes, GDV_TEXT_NOTE);
    if (d->rest_example[0] && n_end)
      put(d, "= the sum of the %.*s terms not written out", (int)(n_end - ex - 2), ex + 2);
    else put(d, "= the sum s of the N terms not written out");
    if (!st) st = line(d, &s->legend_notes, &s->n_legend_notes, GDV_TEXT_NOTE);
  }
  if (!st && d->short_sums) {
    put(d, "sums: the %zu largest term%s that fit", d->max_terms, d->max_terms == 1 ? "" : "s");
    st = line(d, &s->legend_notes, &s->n_legend_notes, GDV_TEXT_NOTE);
    put(d, "the rest folded (at its own size the figure writes all)");
    if (!st) st = line(d, &s->legend_notes, &s->n_legend_notes, GDV_TEXT_NOTE);
  }
  return st;
}

/* Puts the badges over their columns and the pictures around C (after
 * layout, when columns have their places). */
static void place_items(drawer *d, size_t first_picture, size_t first_badge) {
  gdv_scene *s = d->w.s;
  double top = INFINITY, gap = 12;
  for (size_t i = 0; i < s->n_nodes; i++)
    if (s->nodes[i].y - s->nodes[i].h / 2 < top) top = s->nodes[i].y - s->nodes[i].h / 2;
  int raised = 0;
  for (size_t c = 0; c < d->view->n_columns; c++) {
    double x = 0;
    size_t start = d->first_node[c], end = start + d->view->column[c].n_units;
    for (size_t i = start; i < end; i++) x += s->nodes[i].x;
    gdv_scene_item *it = &s->items[first_badge + c];
    /* the round ends are half circles: as wide again as high, so the text
     * keeps clear of them, and a little taller than the text */
    it->w += it->h + 2 * BADGE_CLEAR;
    it->h += 2 * BADGE_CLEAR;
    it->x = x / (double)(end - start);
    /* a badge that would touch the one before it goes a row up */
    const gdv_scene_item *before = c ? &s->items[first_badge + c - 1] : NULL;
    raised = before && !raised && it->x - it->w / 2 < before->x + before->w / 2 + gap;
    it->y = top - gap - it->h / 2 - (raised ? it->h + 4 : 0);
  }
  /* the digit above C and dC/dx below it: beside the verdict, in the
   * cost column's empty height, so they cost the figure no width */
  const gdv_scene_node *cn = &s->nodes[d->cost_node];
  gdv_scene_item *digit = &s->items[first_picture], *heat = &s->items[first_picture + 1];
  digit->x = heat->x = cn->x;
  digit->y = cn->y - cn->h / 2 - 2 * gap - digit->h / 2;
  heat->y = cn->y + cn->h / 2 + 2 * gap + heat->h / 2;
}

/* PNG resolution: 144 dpi unless the figure would pass Cairo's 32,767
 * pixels a side or 16 megapixels (the whole 784-30-10 graph: SVG and PDF
 * are the formats for zooming in). */
static double choose_dpi(const gdv_scene *s) {
  double w = s->width + 400, h = s->height + 400;
  double side = w > h ? w : h;
  double dpi = 144;
  if (side * dpi / 72 > 32000) dpi = 32000 * 72 / side;
  double mpx = w * h * (dpi / 72) * (dpi / 72);
  if (mpx > 16e6) dpi *= sqrt(16e6 / mpx);
  return dpi;
}

/* What the figure's size asks of the style: past DENSE_EDGES smaller text
 * and thin outlines (the dots are fill, not outline). */
static void figure_style(const gdv_mnist_view *view, const gdv_mnist_draw_options *opt,
                         gdv_style *style) {
  if (opt->style) *style = *opt->style;
  else gdv_style_default(style);
  if (view->n_edges <= DENSE_EDGES || opt->focus_layer > 0) return;
  style->font_size = 7;
  style->line_width = 0.4;
  /* 784 input lines: a line of text and little more each */
  style->node_pad = 2;
  /* thousands of edges: hairlines, faint where |gradient| is small (the
   * PNG's own lines, mnist_png.c, draw them alike) */
  style->edge_width = style->edge_width_max = DENSE_EDGE_WIDTH;
  style->flow_lo.a = DENSE_ALPHA_LO;
  style->flow_hi.a = DENSE_ALPHA_HI;
}

/* Dense figures' edges end on their head's box, without an arrowhead
 * (thousands of arrowheads would only blot the columns). */
static void drop_arrows(gdv_scene *s) {
  for (size_t e = 0; e < s->n_edges; e++) {
    gdv_scene_edge *ed = &s->edges[e];
    if (ed->n_pts < 2) continue;
    ed->pts[2 * ed->n_pts - 2] = ed->tip_x;
    ed->pts[2 * ed->n_pts - 1] = ed->tip_y;
  }
}

/* Plans the figure from the counts and the form: a scalar layer takes
 * three layout columns (muls and the bias, z, a; its weights join the
 * column before), edges are labelled while few, scalar nodes are dots in
 * blocks when many. */
static gdv_status drawer_init(drawer *d, const gdv_mnist_net *net,
                              const gdv_mnist_view *view,
                              const gdv_mnist_draw_options *opt, const mnist_form *form,
                              gdv_error *err) {
  memset(d, 0, sizeof *d);
  d->net = net;
  d->view = view;
  d->max_terms = form->max_terms;
  d->compact = form->compact;
  d->wrap = form->wrap;
  d->short_sums = opt->sum_terms > form->max_terms && form->max_terms > 0;
  d->cols = opt->cols ? opt->cols : net->shape.sizes[0];
  d->scalar = opt->scalar;
  d->first_node = calloc(view->n_columns, sizeof *d->first_node);
  d->unit_col = calloc(view->n_columns, sizeof *d->unit_col);
  if (!d->first_node || !d->unit_col)
    return gdv_error_oom(err);
  size_t scalar_edges = 0, scalar_nodes = 0;
  for (size_t c = 1; c < view->n_columns; c++) {
    /* (softmax outputs are z itself: no column of their own for z) */
    int softmax = c + 1 == view->n_columns && net->cost == GDV_MNIST_CROSS_ENTROPY;
    d->unit_col[c] = d->unit_col[c - 1] + (is_scalar(d, c) ? (softmax ? 2 : 3) : 1);
    if (!is_scalar(d, c)) continue;
    scalar_edges += view->column[c].n_units * (3 * view->column[c - 1].n_units + 2);
    scalar_nodes += view->column[c].n_units * (2 * view->column[c - 1].n_units + 1);
  }
  d->scalar_labels = scalar_edges <= MAX_LABELLED_SCALAR_EDGES ? form->scalar_labels : 0;
  /* beside a scalar layer's labelled edges, sums over unit pairs only
   * crowd the figure */
  d->labels = view->n_edges <= MAX_LABELLED_EDGES && scalar_edges == 0 && form->labels;
  d->blocks = scalar_nodes > MAX_TEXT_SCALAR_NODES;
  return GDV_OK;
}

/* Everything but the scene, which goes to the caller. */
static void drawer_free(drawer *d) {
  free(d->first_node);
  free(d->unit_col);
  free(d->slot);
  free(d->w.line.s);
}

/* Nodes first (the edges use their indices), then edges and items; then
 * our block layout or the render layer's columns, then the items' places. */
static gdv_status build_scene(const gdv_mnist_net *net, const gdv_mnist_view *view,
                              const gdv_mnist_draw_options *opt, const gdv_style *style,
                              const mnist_form *form, gdv_scene **out, gdv_error *err) {
  drawer d;
  *out = NULL;
  gdv_status st = drawer_init(&d, net, view, opt, form, err);
  if (!st) st = gdv_mnist_writer_start(&d.w, opt, err);
  if (st) {
    drawer_free(&d);
    return st;
  }
  if (form->legend_side) d.w.s->legend_place = GDV_LEGEND_SIDE;
  size_t first_picture = 0, first_badge = 0;
  if (!st) st = add_units(&d);
  if (!st) st = add_scalar(&d);
  if (!st) st = add_cost(&d, opt);
  if (!st) st = add_edges(&d, d.labels);
  if (!st) st = add_pictures(&d, opt, &first_picture);
  if (!st) st = add_badges(&d, &first_badge);
  if (!st) st = add_legend_notes(&d);
  if (!st && d.blocks) {
    st = layout_blocks(&d, style);
  } else if (!st) {
    gdv_columns_options copt = {0, 0, 0};
    copt.layer_gap = view->n_edges > DENSE_EDGES ? 220 : 0;
    copt.node_gap = view->n_edges > DENSE_EDGES ? 2 : d.compact == 2 ? NODE_GAP_COMPACT : NODE_GAP;
    st = gdv_scene_measure(d.w.s, style, err);
    if (!st) st = gdv_mnist_route_prepare(d.w.s, err);
    if (!st) st = gdv_layout_columns(d.w.s, style, &copt, err);
    if (!st) st = gdv_mnist_route(d.w.s, copt.layer_gap > 0 ? copt.layer_gap : style->rank_sep, err);
  }
  if (!st && view->n_edges > DENSE_EDGES) drop_arrows(d.w.s);
  if (!st) place_items(&d, first_picture, first_badge);
  if (st) gdv_scene_free(d.w.s);
  else *out = d.w.s;
  drawer_free(&d);
  return st;
}

/* The forms a page may take, most detail first: a view of units drops
 * its edge labels (their numbers are in the sums); when --sum-terms asked
 * for more than one term, its sums go on rows of two terms, with the
 * units left to gradviz over fewer units (3 a layer), then fewer terms;
 * by default a sum then writes none (the bias and the rest); last, totals
 * only. A view with a layer drawn node by node keeps its edge labels
 * longest (local and grad are its lesson), writes totals, drops the labels
 * into z, then all; and, with the units left to gradviz, shows fewer of
 * them (one unit of two inputs node by node). Returns how many forms it
 * wrote (at most MAX_FORMS). */
#define MAX_FORMS 40
#define WRAP_TERMS 2
static size_t plan_forms(const gdv_mnist_view *view, const gdv_mnist_draw_options *opt,
                         mnist_form *f) {
  size_t n = 0, terms = opt->sum_terms > 0 ? opt->sum_terms : DEFAULT_SUM_TERMS;
  int scalar = 0, fewer = opt->units && !opt->units_given;
  for (size_t c = 1; c < view->n_columns; c++) scalar |= opt->scalar && opt->scalar[c];
  f[n++] = (mnist_form){1, 2, terms, 0, 0, 0, 0};
  if (!scalar) {
    f[n++] = (mnist_form){0, 0, terms, 0, 0, 0, 0};
    if (opt->sum_terms > 1) {
      for (size_t w = 4; w >= WRAP_TERMS; w--) f[n++] = (mnist_form){0, 0, terms, 0, 0, w, 0};
      if (fewer) f[n++] = (mnist_form){0, 0, terms, 0, 2, 0, 0};
      for (size_t w = 4; fewer && w >= WRAP_TERMS; w--) f[n++] = (mnist_form){0, 0, terms, 0, 2, w, 0};
      /* as many of the largest as fit */
      size_t most = 0;
      for (size_t c = 0; c < view->n_columns; c++)
        if (view->column[c].n_units > most) most = view->column[c].n_units;
      for (size_t k = terms > most ? most : terms - 1; k >= 1 && n + 4 < MAX_FORMS; k--)
        f[n++] = (mnist_form){0, 0, k, 0, 0, WRAP_TERMS, 0};
    }
    if (!opt->sum_terms) f[n++] = (mnist_form){0, 0, 0, 0, 0, 0, 0};
    f[n++] = (mnist_form){0, 0, terms, 1, 0, 0, 0};
    f[n++] = (mnist_form){0, 0, terms, 2, 0, 0, 0};
    f[n++] = (mnist_form){0, 0, terms, 2, 0, 0, 1};
    return n;
  }
  for (int reduced = 0; reduced <= fewer; reduced++) {
    f[n++] = (mnist_form){0, 2, terms, 1, reduced, 0, 0};
    f[n++] = (mnist_form){0, 1, terms, 1, reduced, 0, 0};
    f[n++] = (mnist_form){0, 1, terms, 2, reduced, 0, 0};
    f[n++] = (mnist_form){0, 0, terms, 2, reduced, 0, 0};
    f[n++] = (mnist_form){0, 0, terms, 2, reduced, 0, 1};
  }
  return n;
}

/* The view of fewer units: with reduced 1, inputs 2 and each layer drawn
 * node by node 1; with 2, at most 3 units a column. */
static gdv_status reduced_view(const gdv_mnist_net *net, const gdv_mnist_draw_options *opt,
                               int reduced, gdv_mnist_view *v, gdv_error *err) {
  size_t nc = net->shape.n_layers;
  size_t *show = malloc(nc * sizeof *show);
  if (!show) return gdv_error_oom(err);
  for (size_t c = 0; c < nc; c++) {
    size_t most = reduced == 2 ? 3 : c == 0 ? 2 : opt->scalar && opt->scalar[c] ? 1 : SIZE_MAX;
    show[c] = opt->units[c] < most ? opt->units[c] : most;
  }
  gdv_status st = gdv_mnist_view_build(net, show, opt->focus_layer, opt->focus_unit, v, err);
  free(show);
  return st;
}

/* One form of the figure, and whether it is legible on its page: the
 * text size first (cheap), then everything legible.py checks. */
static gdv_status try_form(const gdv_mnist_net *net, const gdv_mnist_view *view,
                           const gdv_mnist_draw_options *opt, const gdv_style *style,
                           const mnist_form *form, gdv_scene **out, int *legible,
                           gdv_error *err) {
  gdv_mnist_fit fit;
  gdv_mnist_slide slide;
  *legible = 0;
  gdv_status st = build_scene(net, view, opt, style, form, out, err);
  if (!st) st = gdv_mnist_fit_measure(*out, style, &fit, err);
  if (!st && fit.legible) st = gdv_mnist_fit_slide(*out, style, &slide, err);
  if (!st && fit.legible) *legible = slide.legible;
  if (st && *out) {
    gdv_scene_free(*out);
    *out = NULL;
  }
  return st;
}

/* The most detail that is legible on the page (plan_forms' order); when
 * no form is, the first (the caller draws it at its own size, over
 * several pages, or refuses it). At the figure's own size, the first. */
/* --focus-unit: the unit alone with as many of its largest terms as the
 * page holds (FOCUS_TERMS at most; at its own size, all of those). */
#define FOCUS_TERMS 8
static gdv_status focus_scene(const gdv_mnist_net *net, const gdv_mnist_draw_options *opt,
                              const gdv_style *style, gdv_scene **out, gdv_error *err) {
  int paged = opt->page && opt->page->width > 0;
  gdv_mnist_fit fit;
  gdv_mnist_slide slide;
  for (size_t k = FOCUS_TERMS; k >= 1; k--) {
    gdv_status st = gdv_mnist_focus_scene(net, opt, style, k, out, err);
    if (st || !paged) return st;
    st = gdv_mnist_fit_measure(*out, style, &fit, err);
    if (!st && fit.legible) st = gdv_mnist_fit_slide(*out, style, &slide, err);
    if (st || (fit.legible && slide.legible) || k == 1) {
      if (st) {
        gdv_scene_free(*out);
        *out = NULL;
      }
      return st;
    }
    gdv_scene_free(*out);
    *out = NULL;
  }
  return GDV_OK;
}

gdv_status gdv_mnist_scene(const gdv_mnist_net *net, const gdv_mnist_view *view,
                           const gdv_mnist_draw_options *opt, gdv_style *style,
                           gdv_scene **out, gdv_error *err) {
  mnist_form forms[MAX_FORMS];
  if (opt->focus_layer > 0) {
    figure_style(view, opt, style);
    return focus_scene(net, opt, style, out, err);
  }
  size_t n = plan_forms(view, opt, forms);
  figure_style(view, opt, style);
  *out = NULL;
  if (!opt->page || !(opt->page->width > 0)) return build_scene(net, view, opt, style, &forms[0], out, err);
  gdv_mnist_view fewer[3];
  int have_fewer[3] = {0, 0, 0}, legible = 0;
  gdv_status st = GDV_OK;
  for (size_t i = 0; i < n && !st; i++) {
    const gdv_mnist_view *v = view;
    int r = forms[i].reduced;
    if (r) {
      if (!have_fewer[r] && (st = reduced_view(net, opt, r, &fewer[r], err))) break;
      have_fewer[r] = 1;
      v = &fewer[r];
    }
    gdv_scene *s;
    if ((st = try_form(net, v, opt, style, &forms[i], &s, &legible, err))) break;
    if (legible) {
      *out = s;
      break;
    }
    gdv_scene_free(s);
  }
  for (int r = 1; r < 3; r++)
    if (have_fewer[r]) gdv_mnist_view_free(&fewer[r]);
  if (st || legible) return st;
  return build_scene(net, view, opt, style, &forms[0], out, err);
}

/* --dump-layout: the JSON of what the figure draws, whole or not at all. */
static gdv_status dump_layout(gdv_scene *s, const gdv_style *style, const char *path,
                              gdv_error *err) {
  gdv_outfile df;
  gdv_status st = gdv_outfile_open(&df, path, err);
  if (st) return st;
  st = gdv_render_dump_layout(s, style, NULL, df.f, err);
  if (st) gdv_outfile_abort(&df);
  else st = gdv_outfile_commit(&df, err);
  return st;
}

/* How a figure that is not legible on its page is drawn. */
typedef enum fit_way { FIT_PAGE, FIT_NATURAL, FIT_POSTER } fit_way;

/* On its page when legible there; else, without --page, as PDF or SVG at
 * its own size (one page however large: the figure as one document); as
 * PDF on a page asked for, over several of them (a poster, text at 9 pt);
 * else refused with what fits instead. */
static gdv_status check_fit(const gdv_scene *s, const gdv_style *style, gdv_figure_format fmt,
                            const gdv_mnist_draw_options *opt, gdv_mnist_poster *poster,
                            fit_way *way, gdv_error *err) {
  gdv_mnist_fit fit;
  *way = FIT_PAGE;
  gdv_status st = gdv_mnist_fit_measure(s, style, &fit, err);
  if (st || fit.legible) return st;
  if (!opt->page_given && fmt != GDV_FIGURE_PNG) {
    *way = FIT_NATURAL;
    return GDV_OK;
  }
  char head[240];
  snprintf(head, sizeof head, "mnist: the view is %.0f\xC3\x97%.0f pt: on the %s page (%.0f\xC3\x97%.0f pt) "
           "its text would be %.1f pt, under %.0f pt", fit.width, fit.height, s->page.name,
           s->page.width, s->page.height, fit.text_on_page, GDV_MNIST_LEGIBLE_PT);
  if (!opt->page_given)
    return gdv_error_set_about(err, GDV_SETTING_PAGE_NONE, GDV_ERR_INPUT, "", 0,
                               "%s: as PDF or SVG it is drawn at its own size", head);
  gdv_scene *natural = (gdv_scene *)s;  /* the page is put back below */
  gdv_page page = s->page;
  gdv_page_none(&natural->page);
  st = gdv_mnist_poster_plan(natural, style, page.width, page.height,
                             GDV_MNIST_LEGIBLE_PT / fit.smallest, poster, err);
  natural->page = page;
  if (st) return st;
  size_t pages = poster->cols * poster->rows;
  if (fmt == GDV_FIGURE_PDF && pages <= MAX_PAGES) {
    *way = FIT_POSTER;
    return GDV_OK;
  }
  if (pages > MAX_PAGES)
    return gdv_error_set_about(err, GDV_SETTING_PAGE_NONE, GDV_ERR_INPUT, "", 0,
                               "%s, and legible it would take %zu pages", head, pages);
  return gdv_error_set_about(err, GDV_SETTING_PAGE_NONE, GDV_ERR_INPUT, "", 0,
                             "%s: as a PDF (-o FILE.pdf) it takes %zu pages at a legible size",
                             head, pages);
}

/* The figure as a poster of its page's paper, drawn at its own size cut
 * into pages (mnist_poster.c). */
static gdv_status write_poster(gdv_scene *s, const gdv_style *style,
                               const gdv_mnist_poster *poster, FILE *f, gdv_error *err) {
  gdv_page page = s->page;
  size_t pages;
  gdv_page_none(&s->page);
  gdv_status st = gdv_mnist_poster_write(s, style, poster, f, &pages, err);
  s->page = page;
  return st;
}

/* Format from the path (.png .svg .pdf); written through gdv_out so a
 * failure leaves no half file. Big PNGs draw their edges via mnist_png, not
 * Cairo strokes; a PDF too large for a slide is tiled over several. */
gdv_status gdv_mnist_draw(const gdv_mnist_net *net, const gdv_mnist_view *view,
                          const gdv_mnist_draw_options *opt, const char *path,
                          gdv_error *err) {
  gdv_figure_format fmt;
  int known = opt->format ? gdv_figure_format_lookup(opt->format, &fmt)
                          : gdv_figure_format_from_path(path, &fmt);
  if (!known || fmt == GDV_FIGURE_DOT)
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                         "unknown figure format: use .png, .svg or .pdf");
  gdv_style style;
  gdv_scene *s;
  gdv_mnist_poster poster;
  fit_way way = FIT_PAGE;
  gdv_status st = gdv_mnist_scene(net, view, opt, &style, &s, err);
  if (!st && opt->page && opt->page->width > 0) st = check_fit(s, &style, fmt, opt, &poster, &way, err);
  if (!st && way == FIT_NATURAL) gdv_page_none(&s->page);
  if (opt->natural) *opt->natural = way == FIT_NATURAL;
  gdv_outfile out;
  if (!st) st = gdv_outfile_open(&out, path, err);
  if (!st) {
    /* on a page the PNG is the page's pixels; at natural size it shrinks
     * to stay within PNG's limits */
    double dpi = opt->dpi > 0 ? opt->dpi : s->page.width > 0 ? 144 : choose_dpi(s);
    char prefix[96];
    if (opt->id_prefix) gdv_svg_prefix(opt->id_prefix, prefix, sizeof prefix);
    else gdv_svg_prefix_from_path(strcmp(path, "-") ? path : "mnist", prefix, sizeof prefix);
    gdv_render_meta meta = {.dpi = dpi, .software = "gradviz " PACKAGE_VERSION,
                            .id_prefix = prefix, .name = "mnist"};
    if (way == FIT_POSTER)
      st = write_poster(s, &style, &poster, out.f, err);
    else if (fmt == GDV_FIGURE_PNG && s->n_edges > FAST_EDGES)
      st = gdv_mnist_png_fast_edges(s, &style, &meta, out.f, err);
    else
      st = gdv_render_write(s, &style, fmt, &meta, out.f, err);
    if (st) gdv_outfile_abort(&out);
    else st = gdv_outfile_commit(&out, err);
  }
  if (!st && opt->dump) st = dump_layout(s, &style, opt->dump, err);
  if (s) gdv_scene_free(s);
  return st;
}
