/* test_render.c: the render layer's library API: number text, --show lists,
 * style files, scenes built from graphs, both layouts, frames' partial
 * sums, and drawing to every format in memory. */
#include <check.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_main.h"
#include "io/gdv_io.h"
#include "render/gdv_render.h"
#include "render/gdv_render_int.h"

/* Formats x with precision p into a static buffer. */
static const char *fmt(double x, int p) {
  static char buf[GDV_NUMBER_MAX];
  return gdv_figure_number(x, p, buf, sizeof buf);
}

START_TEST(test_numbers) {
  ck_assert_str_eq(fmt(0.70710678, 4), "0.7071");
  ck_assert_str_eq(fmt(-3, 4), "\xE2\x88\x92" "3");
  ck_assert_str_eq(fmt(6.8813735870195432, 4), "6.881");
  ck_assert_str_eq(fmt(2.5, 4), "2.5");
  ck_assert_str_eq(fmt(0, 4), "0");
  ck_assert_str_eq(fmt(-0.0, 4), "0");
  ck_assert_str_eq(fmt(1234.6, 4), "1235");
  ck_assert_str_eq(fmt(999999, 4), "1\xC3\x97" "10\xE2\x81\xB6");
  ck_assert_str_eq(fmt(1.234e-5, 4), "1.234\xC3\x97" "10\xE2\x81\xBB\xE2\x81\xB5");
  ck_assert_str_eq(fmt(-2.5e12, 3), "\xE2\x88\x92" "2.5\xC3\x97" "10\xC2\xB9\xC2\xB2");
  ck_assert_str_eq(fmt(0.0001, 4), "0.0001");
  ck_assert_str_eq(fmt(0.70710678, 2), "0.71");
  ck_assert_str_eq(fmt(NAN, 4), "NaN");
  ck_assert_str_eq(fmt(-INFINITY, 4), "\xE2\x88\x92\xE2\x88\x9E");
}
END_TEST

START_TEST(test_show) {
  unsigned s = GDV_SHOW_ALL;
  gdv_error err;
  ck_assert_int_eq(gdv_show_parse("values,grads", &s, &err), GDV_OK);
  ck_assert_uint_eq(s, GDV_SHOW_VALUES | GDV_SHOW_GRADS);
  s = GDV_SHOW_ALL;
  ck_assert_int_eq(gdv_show_parse("-locals,-legend", &s, &err), GDV_OK);
  ck_assert_uint_eq(s, GDV_SHOW_ALL & ~(unsigned)(GDV_SHOW_LOCALS | GDV_SHOW_LEGEND));
  ck_assert_int_eq(gdv_show_parse("none,+flow", &s, &err), GDV_OK);
  ck_assert_uint_eq(s, GDV_SHOW_FLOW);
  ck_assert_int_eq(gdv_show_parse("values,bogus", &s, &err), GDV_ERR_INPUT);
  ck_assert(strstr(err.message, "'bogus'") != NULL);
}
END_TEST

START_TEST(test_style_parse) {
  gdv_style st;
  gdv_error err;
  gdv_style_default(&st);
  ck_assert_int_eq(gdv_style_parse("a.style",
                                   "# comment\nforward = #112233 # blue-ish\n"
                                   "font-size=9\nshow = -locals\nprecision = 3\n",
                                   &st, &err), GDV_OK);
  ck_assert(fabs(st.forward.r - 0x11 / 255.0) < 1e-9);
  ck_assert(fabs(st.forward.b - 0x33 / 255.0) < 1e-9);
  ck_assert(st.font_size == 9);
  ck_assert_int_eq(st.precision, 3);
  ck_assert_uint_eq(st.show & GDV_SHOW_LOCALS, 0);
  ck_assert_int_eq(gdv_style_parse("b.style", "\n\nmargin = -4\n", &st, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.file, "b.style");
  ck_assert_int_eq(err.line, 3);
  ck_assert_int_eq(gdv_style_parse("c.style", "colour = #000000\n", &st, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "unknown style key 'colour'");
  ck_assert_int_eq(gdv_style_parse("d.style", "just words\n", &st, &err), GDV_ERR_INPUT);
  ck_assert_int_eq(err.line, 1);
}
END_TEST

START_TEST(test_style_files) {
  static const char *const names[] = {"default", "print", "dark", "cs231n"};
  gdv_error err;
  for (int i = 0; i < 4; i++) {
    gdv_style st;
    gdv_error_clear(&err);
    ck_assert_msg(gdv_style_load(names[i], &st, &err) == GDV_OK, "%s: %s", names[i], err.message);
    ck_assert_str_eq(st.name, names[i]);
  }
  /* the shipped default file says what the built-in default says */
  gdv_style a, b;
  gdv_style_default(&a);
  ck_assert_int_eq(gdv_style_load("default", &b, &err), GDV_OK);
  ck_assert(memcmp(&a.forward, &b.forward, sizeof a.forward) == 0);
  ck_assert(memcmp(&a.flow_lo, &b.flow_lo, sizeof a.flow_lo) == 0);
  ck_assert(a.font_size == b.font_size && a.rank_sep == b.rank_sep);
  ck_assert_int_eq(gdv_style_load("no-such-style", &b, &err), GDV_ERR_INPUT);
  /* print is greyscale: every colour has r = g = b */
  ck_assert_int_eq(gdv_style_load("print", &b, &err), GDV_OK);
  const gdv_rgba *c = &b.background;
  for (const gdv_rgba *p = c; p <= &b.legend_fill; p++)
    ck_assert_msg(p->r == p->g && p->g == p->b, "print colour %d is not grey", (int)(p - c));
  /* dark has light text on a dark background */
  ck_assert_int_eq(gdv_style_load("dark", &b, &err), GDV_OK);
  ck_assert(b.background.r < 0.3 && b.text.r > 0.7);
}
END_TEST

/* Parses a formula, evaluates it. */
static gdv_graph *graph_of(const char *text) {
  gdv_graph *g = NULL;
  gdv_error err;
  ck_assert_int_eq(gdv_expr_parse("t.expr", text, strlen(text), &g, &err), GDV_OK);
  gdv_forward(g);
  gdv_backward(g);
  return g;
}

/* Operand k of graph node v. */
static gdv_id tu_operand_of(const gdv_graph *g, gdv_id v, size_t k) {
  return g->edge_from[g->arg_start[v] + k];
}

/* The text of the first line of `kind` on scene node v, or NULL. */
static const char *line_of(const gdv_scene *s, size_t v, int kind) {
  for (size_t i = 0; i < s->nodes[v].n_lines; i++)
    if (s->nodes[v].lines[i].kind == kind) return s->nodes[v].lines[i].text;
  return NULL;
}

START_TEST(test_scene_from_graph) {
  gdv_graph *g = graph_of("a = 2\nb = 1\nc = a + b\nd = b + 1\ne = c * d\n");
  gdv_scene *s;
  gdv_error err;
  gdv_scene_options opt;
  gdv_scene_options_default(&opt);
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  gdv_id b = gdv_graph_find(g, "b"), e = gdv_graph_find(g, "e");
  ck_assert_uint_eq(s->n_nodes, g->n_nodes);
  ck_assert_uint_eq(s->n_edges, g->n_edges);
  ck_assert_str_eq(line_of(s, b, GDV_TEXT_SUM), "\xE2\x88\x82" "C/\xE2\x88\x82" "b = 2 + 3 = 5");
  ck_assert_str_eq(line_of(s, e, GDV_TEXT_NAME), "e = C");
  ck_assert_str_eq(line_of(s, e, GDV_TEXT_OP), "\xC3\x97");
  ck_assert(s->nodes[e].flags & GDV_NODE_OUTPUT);
  ck_assert_int_eq(s->nodes[b].kind, GDV_KIND_INPUT);
  /* frames fill sums term by term */
  ck_assert_int_eq(gdv_scene_sum_partial(s, g, b, 1, &err), GDV_OK);
  ck_assert_str_eq(line_of(s, b, GDV_TEXT_SUM), "\xE2\x88\x82" "C/\xE2\x88\x82" "b = 2 + ?");
  ck_assert_int_eq(gdv_scene_sum_partial(s, g, b, 0, &err), GDV_OK);
  ck_assert_str_eq(line_of(s, b, GDV_TEXT_SUM), "\xE2\x88\x82" "C/\xE2\x88\x82" "b = ? + ?");
  gdv_scene_set_known(s, 1, 0);
  ck_assert_uint_eq(s->nodes[b].flags & GDV_NODE_GRAD_KNOWN, 0);
  ck_assert(s->nodes[b].flags & GDV_NODE_VALUE_KNOWN);
  gdv_scene_free(s);
  /* unknown highlight node */
  opt.highlight = "zz";
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_ERR_INPUT);
  /* highlight: paths listed with their products */
  opt.highlight = "b";
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  ck_assert_uint_eq(s->n_items, 1);
  ck_assert_uint_eq(s->items[0].n_lines, 4);
  ck_assert_str_eq(s->items[0].lines[1].text, "path b\xE2\x86\x92" "c\xE2\x86\x92" "e: 1 \xC3\x97 2 = 2");
  ck_assert_str_eq(s->items[0].lines[3].text, "sum = 5 = \xE2\x88\x82" "C/\xE2\x88\x82" "b = 5");
  gdv_scene_free(s);
  gdv_graph_free(g);
}
END_TEST

/* Default options with every group collapsed (--expand none); the mask
 * is the caller's to free. */
static uint8_t *collapse_all(const gdv_graph *g, gdv_scene_options *opt) {
  gdv_error err;
  uint8_t *mask;
  gdv_scene_options_default(opt);
  ck_assert_int_eq(gdv_expand_parse(g, "none", &mask, &err), GDV_OK);
  opt->expand = mask;
  return mask;
}

/* The scene edge drawn from scene node `from` to `to`, or SIZE_MAX. */
static size_t scene_edge(const gdv_scene *s, size_t from, size_t to) {
  for (size_t i = 0; i < s->n_edges; i++)
    if (s->edges[i].from == from && s->edges[i].to == to) return i;
  return SIZE_MAX;
}

/* What every drawn node's fan-out sum adds: its scene out-edges' terms
 * (summed into a collapsed group, c × grad for c merged parallel edges). */
static double shown_terms(const gdv_scene *s, const gdv_graph *g, size_t node) {
  double sum = 0;
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *e = &s->edges[i];
    if (e->from != node) continue;
    size_t ge = e->graph_edge;
    if (s->edge_summed && s->edge_summed[ge]) sum += s->edge_term[ge];
    else sum += (double)(s->edge_group ? s->edge_group[ge] : 1) * g->edge_grad[ge];
  }
  return sum;
}

/* t = tanh(x*y + x) and C = t*w + x collapsed: five nodes; x's two edges
 * into t are one edge carrying dt/dx = (1 - t^2)(y + 1) and the grad
 * w (1 - t^2)(y + 1); x's sum lists that and its edge into C (1), which
 * add up to dC/dx. Expanding t alone draws its three nodes again. */
START_TEST(test_collapsed_scene) {
  gdv_graph *g = graph_of("x = 0.3\ny = -0.7\nparam w = 1.5\nt = tanh(x*y + x)\nC = t*w + x\n");
  gdv_scene *s;
  gdv_error err;
  gdv_scene_options opt;
  uint8_t *mask = collapse_all(g, &opt);
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  /* y (only in t's equation) and w (only in C's) are drawn inside them */
  ck_assert_uint_eq(s->n_nodes, 3);
  ck_assert_uint_eq(s->n_edges, 3);
  ck_assert_uint_eq(s->n_collapsed, 2);
  gdv_id x = gdv_graph_find(g, "x"), t = gdv_graph_find(g, "t"), c = gdv_graph_find(g, "C");
  size_t sx = s->node_scene[x], st = s->node_scene[t], sc = s->node_scene[c];
  ck_assert_str_eq(s->nodes[st].id, "t");
  ck_assert_str_eq(line_of(s, st, GDV_TEXT_NAME), "t = tanh(x\xC2\xB7y + x)");
  ck_assert_ptr_null(line_of(s, st, GDV_TEXT_OP));
  ck_assert_str_eq(line_of(s, sc, GDV_TEXT_NAME), "C = t\xC2\xB7w + x");
  ck_assert_uint_eq(s->node_scene[gdv_graph_find(g, "w")], SIZE_MAX);
  ck_assert_uint_eq(s->node_scene[gdv_graph_find(g, "y")], SIZE_MAX);
  /* their values, then their gradients (dC/dy = 1.5 (1 - t^2) 0.3 and
   * dC/dw = t), listed under the equations */
  ck_assert_uint_eq(s->nodes[st].n_lines, 5);
  ck_assert_str_eq(s->nodes[st].lines[3].text, "y = \xE2\x88\x92" "0.7");
  ck_assert_int_eq(s->nodes[st].lines[3].kind, GDV_TEXT_VALUE);
  ck_assert_str_eq(s->nodes[st].lines[4].text, "\xE2\x88\x82" "C/\xE2\x88\x82y = 0.4464");
  ck_assert_int_eq(s->nodes[st].lines[4].kind, GDV_TEXT_GRAD);
  ck_assert_uint_eq(s->nodes[sc].n_lines, 5);
  ck_assert_str_eq(s->nodes[sc].lines[3].text, "w = 1.5");
  ck_assert_str_eq(s->nodes[sc].lines[4].text, "\xE2\x88\x82" "C/\xE2\x88\x82w = 0.08976");
  ck_assert(s->nodes[sc].flags & GDV_NODE_OUTPUT);
  /* every member of t is drawn by t's node */
  ck_assert_uint_eq(s->node_scene[tu_operand_of(g, t, 0)], st);
  double tv = tanh(0.3 * -0.7 + 0.3), dt = 1 - tv * tv;
  ck_assert_str_eq(line_of(s, st, GDV_TEXT_VALUE), "value 0.08976");
  size_t e = scene_edge(s, sx, st);
  ck_assert_uint_ne(e, SIZE_MAX);
  ck_assert_uint_eq(s->edges[e].n_lines, 2);
  char want[128];
  snprintf(want, sizeof want, "local %s", fmt(dt * 0.3, 4));
  ck_assert_str_eq(s->edges[e].lines[0].text, want);
  ck_assert_str_eq(s->edges[e].lines[0].text, "local 0.2976");
  ck_assert_str_eq(s->edges[e].lines[1].text, "grad 0.4464");
  ck_assert(fabs(s->edges[e].weight - 1.5 * dt * 0.3) < 1e-15);
  ck_assert_str_eq(line_of(s, sx, GDV_TEXT_SUM),
                   "\xE2\x88\x82" "C/\xE2\x88\x82x = 0.4464 + 1 = 1.446");
  /* shown terms add to the true total on every drawn node */
  for (size_t i = 0; i < s->n_nodes; i++) {
    gdv_id v = s->nodes[i].graph_node;
    if (v == g->output) continue;
    ck_assert_msg(fabs(shown_terms(s, g, i) - g->grad[v]) <= 1e-15 * fmax(1, fabs(g->grad[v])),
                  "node %s: terms %.17g, grad %.17g", s->nodes[i].id, shown_terms(s, g, i), g->grad[v]);
  }
  /* every graph edge is drawn by some scene edge, or lies inside a group */
  size_t inside = 0;
  for (size_t ge = 0; ge < g->n_edges; ge++) inside += s->edge_scene[ge] == SIZE_MAX;
  ck_assert_uint_eq(inside, 5);
  /* --highlight lists paths through every node: refused here */
  opt.highlight = "x";
  gdv_scene *h = NULL;
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &h, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "paths are listed through every node: it needs every group "
                   "drawn in full, and 2 are collapsed");
  ck_assert_int_eq(err.setting, GDV_SETTING_EXPAND);
  opt.highlight = NULL;
  gdv_scene_free(s);
  free(mask);
  ck_assert_int_eq(gdv_expand_parse(g, "t", &mask, &err), GDV_OK);
  opt.expand = mask;
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  ck_assert_uint_eq(s->n_nodes, 6);
  ck_assert_uint_eq(s->n_collapsed, 1);
  ck_assert_str_eq(line_of(s, s->node_scene[x], GDV_TEXT_SUM),
                   "\xE2\x88\x82" "C/\xE2\x88\x82x = \xE2\x88\x92" "1.042 + 1.488 + 1 = 1.446");
  gdv_scene_free(s);
  free(mask);
  ck_assert_int_eq(gdv_expand_parse(g, "all", &mask, &err), GDV_OK);
  ck_assert_ptr_null(mask);
  ck_assert_int_eq(gdv_expand_parse(g, "t,zz", &mask, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "no group named 'zz' (groups: t, C)");
  gdv_graph_free(g);
  /* ten parallel edges x -> m (merged as ×10 when m is drawn) are one
   * summed edge into the collapsed m: d m / d x = 10 x^9; the literal 1
   * of C = m + x + 1 is written in C's equation and drawn as no node
   * (x, used by m and C, keeps its node) */
  g = graph_of("x = 1.0001\nm = x*x*x*x*x*x*x*x*x*x\nC = m + x + 1\n");
  ck_assert_int_eq(gdv_expand_parse(g, "none", &mask, &err), GDV_OK);
  opt.expand = mask;
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  ck_assert_uint_eq(s->n_nodes, 3);
  ck_assert_uint_eq(s->n_edges, 3);
  ck_assert_uint_eq(s->edges[0].count, 0);
  ck_assert_uint_eq(s->edges[0].n_lines, 2);
  ck_assert(fabs(g->edge_grad[s->edges[0].graph_edge] - pow(1.0001, 9)) < 1e-12);
  ck_assert(fabs(s->edge_term[s->edges[0].graph_edge] - 10 * pow(1.0001, 9)) < 1e-12);
  ck_assert_str_eq(s->edges[0].lines[0].text, "local 10.01");
  ck_assert_str_eq(line_of(s, 0, GDV_TEXT_SUM), "\xE2\x88\x82" "C/\xE2\x88\x82x = 10.01 + 1 = 11.01");
  gdv_scene_free(s);
  free(mask);
  gdv_graph_free(g);
  /* x used by m alone is drawn inside m's node: its ten edges go too */
  g = graph_of("x = 1.0001\nm = x*x*x*x*x*x*x*x*x*x\nC = m + 1\n");
  ck_assert_int_eq(gdv_expand_parse(g, "none", &mask, &err), GDV_OK);
  opt.expand = mask;
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  ck_assert_uint_eq(s->n_nodes, 2);
  ck_assert_uint_eq(s->n_edges, 1);
  ck_assert_str_eq(s->nodes[0].lines[s->nodes[0].n_lines - 2].text, "x = 1");
  ck_assert_str_eq(s->nodes[0].lines[s->nodes[0].n_lines - 1].text,
                   "\xE2\x88\x82" "C/\xE2\x88\x82x = 10.01");
  gdv_scene_free(s);
  free(mask);
  gdv_graph_free(g);
}
END_TEST

/* A sum longer than text_wrap characters (44 by default) is cut before a
 * " + " into balanced lines, each going on with "+ "; with text_wrap 0
 * (frames) it stays one line. */
START_TEST(test_text_wrap) {
  gdv_graph *g = graph_of("x = 0.3\nC = 1.111*x + 2.222*x + 3.333*x + 4.444*x + 5.555*x\n");
  gdv_scene *s;
  gdv_error err;
  gdv_scene_options opt;
  gdv_scene_options_default(&opt);
  ck_assert_uint_eq(opt.text_wrap, 44);
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  size_t x = gdv_graph_find(g, "x");
  ck_assert_uint_eq(s->nodes[x].n_lines, 4);
  ck_assert_str_eq(s->nodes[x].lines[2].text, "\xE2\x88\x82" "C/\xE2\x88\x82x = 1.111 + 2.222 + 3.333");
  ck_assert_str_eq(s->nodes[x].lines[3].text, "+ 4.444 + 5.555 = 16.66");
  ck_assert_int_eq(s->nodes[x].lines[3].kind, GDV_TEXT_SUM);
  gdv_scene_free(s);
  opt.text_wrap = 0;
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  ck_assert_uint_eq(s->nodes[x].n_lines, 3);
  ck_assert_str_eq(s->nodes[x].lines[2].text,
                   "\xE2\x88\x82" "C/\xE2\x88\x82x = 1.111 + 2.222 + 3.333 + 4.444 + 5.555 = 16.66");
  gdv_scene_free(s);
  gdv_graph_free(g);
}
END_TEST

/* A long equation of a collapsed group is cut like a sum, and at " − "
 * and " · " too, but never inside a short bracket or before the name's
 * " = "; a sum's name also stays with its first term. The leaves drawn
 * inside wrap to the equation's widest line (at least 24 characters). */
/* Asserts the name lines of `node` (every group collapsed, lines of at
 * most 16 characters): line 0, then line 1 (NULL: the value comes next). */
static void name_lines_at(const char *text, const char *node, const char *line0, const char *line1) {
  gdv_graph *g = graph_of(text);
  gdv_scene_options opt;
  uint8_t *mask = collapse_all(g, &opt);
  gdv_scene *s;
  gdv_error err;
  opt.text_wrap = 16;
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  const gdv_scene_node *n = &s->nodes[s->node_scene[gdv_graph_find(g, node)]];
  ck_assert_str_eq(n->lines[0].text, line0);
  if (line1) ck_assert_str_eq(n->lines[1].text, line1);
  ck_assert_int_eq(n->lines[line1 ? 2 : 1].kind, GDV_TEXT_VALUE);
  gdv_scene_free(s);
  free(mask);
  gdv_graph_free(g);
}

START_TEST(test_equation_wrap) {
  gdv_graph *g = graph_of("x = 1\nh = 0.5\nparam wz = 0.6\nparam uz = -0.4\nparam bz = 0.1\n"
                          "z = sigmoid(wz*x + uz*h + bz)\nhnew = (1 - z)*x + z*h\n"
                          "C = 0.5 * (hnew - h)^2\n");
  gdv_scene *s;
  gdv_error err;
  gdv_scene_options opt;
  uint8_t *mask = collapse_all(g, &opt);
  /* at 44 every equation is one line, as written */
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  size_t sz = s->node_scene[gdv_graph_find(g, "z")];
  ck_assert_str_eq(s->nodes[sz].lines[0].text, "z = sigmoid(wz\xC2\xB7x + uz\xC2\xB7h + bz)");
  ck_assert_int_eq(s->nodes[sz].lines[1].kind, GDV_TEXT_VALUE);
  gdv_scene_free(s);
  opt.text_wrap = 20;
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  sz = s->node_scene[gdv_graph_find(g, "z")];
  size_t shn = s->node_scene[gdv_graph_find(g, "hnew")];
  size_t sc = s->node_scene[gdv_graph_find(g, "C")];
  size_t sh = s->node_scene[gdv_graph_find(g, "h")];
  ck_assert_str_eq(s->nodes[sz].lines[0].text, "z = sigmoid(wz\xC2\xB7x");
  ck_assert_str_eq(s->nodes[sz].lines[1].text, "+ uz\xC2\xB7h + bz)");
  ck_assert_int_eq(s->nodes[sz].lines[1].kind, GDV_TEXT_NAME);
  /* the leaves inside, at 24 characters: two values a line */
  ck_assert_str_eq(s->nodes[sz].lines[4].text, "wz = 0.6, uz = \xE2\x88\x92" "0.4");
  ck_assert_str_eq(s->nodes[sz].lines[5].text, "bz = 0.1");
  /* not "(1" / "− z)": the bracket is read as one */
  ck_assert_str_eq(s->nodes[shn].lines[0].text, "hnew = (1 \xE2\x88\x92 z)\xC2\xB7x");
  ck_assert_str_eq(s->nodes[shn].lines[1].text, "+ z\xC2\xB7h");
  ck_assert_str_eq(s->nodes[sc].lines[0].text, "C = 0.5");
  ck_assert_str_eq(s->nodes[sc].lines[1].text, "\xC2\xB7 (hnew \xE2\x88\x92 h)\xC2\xB2");
  /* h's sum: its first line keeps "∂C/∂h = " with the first term */
  ck_assert_int_eq(s->nodes[sh].lines[2].kind, GDV_TEXT_SUM);
  ck_assert_int_eq(strncmp(s->nodes[sh].lines[2].text, "\xE2\x88\x82" "C/\xE2\x88\x82h = ", 12), 0);
  ck_assert_uint_gt(strlen(s->nodes[sh].lines[2].text), 12);
  gdv_scene_free(s);
  free(mask);
  gdv_graph_free(g);
  /* a function's argument that fits a line is one unit: not "log(1" /
   * "− p))"; nor "sp = log(1" / "+ exp(z))" */
  name_lines_at("param p = 0.74\nconst y = 1\nbce = -(y*log(p) + (1 - y)*log(1 - p))\n", "bce",
                "bce = \xE2\x88\x92(y\xC2\xB7log(p)", "+ (1 \xE2\x88\x92 y)\xC2\xB7log(1 \xE2\x88\x92 p))");
  name_lines_at("param z = 0.1\nsp = log(1 + exp(z))\nC = sp*sp\n", "sp", "sp = log(1 + exp(z))", NULL);
}
END_TEST

/* Statements merged into the output's (gdv_scene_legible's last resort):
 * the head's node shows its equation, then the merged ones in source
 * order, and the one edge from u carries dC/du through both. */
START_TEST(test_merged_scene) {
  gdv_graph *g = graph_of("x = 1\nh = 0.5\nparam w = 2\nu = w*x\ny = tanh(u)\n"
                          "C = 0.5 * (y - h)^2\n");
  gdv_id gu = gdv_graph_find_group(g, "u"), gy = gdv_graph_find_group(g, "y");
  gdv_id gc = gdv_graph_find_group(g, "C");
  ck_assert_uint_ne(gc, GDV_NONE);
  gdv_id into[3];
  into[gu] = gu, into[gy] = gc, into[gc] = gc;
  gdv_groups gr;
  gdv_error err;
  ck_assert_int_eq(gdv_groups_analyse_merged(g, into, &gr, &err), GDV_OK);
  gdv_scene_options opt;
  gdv_scene_options_default(&opt);
  uint8_t mask[4] = {0, 0, 0, 0};
  opt.expand = mask;
  opt.groups = &gr;
  gdv_scene *s;
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  size_t sc = s->node_scene[gdv_graph_find(g, "C")], su = s->node_scene[gdv_graph_find(g, "u")];
  ck_assert_uint_eq(s->node_scene[gdv_graph_find(g, "y")], sc);
  ck_assert_str_eq(s->nodes[sc].lines[0].text, "C = 0.5 \xC2\xB7 (y \xE2\x88\x92 h)\xC2\xB2");
  ck_assert_str_eq(s->nodes[sc].lines[1].text, "y = tanh(u)");
  ck_assert_int_eq(s->nodes[sc].lines[1].kind, GDV_TEXT_NAME);
  size_t e = scene_edge(s, su, sc);
  ck_assert_uint_ne(e, SIZE_MAX);
  char want[64], num[GDV_NUMBER_MAX];
  snprintf(want, sizeof want, "local %s",
           gdv_figure_number(g->grad[gdv_graph_find(g, "u")], 4, num, sizeof num));
  ck_assert_str_eq(s->edges[e].lines[0].text, want);
  gdv_scene_free(s);
  gdv_groups_free(&gr);
  gdv_graph_free(g);
}
END_TEST

START_TEST(test_highlight_cap) {
  /* a ladder of 10 diamonds: 2^10 paths, only 8 listed */
  char text[2048] = "x0 = 1\n";
  for (int i = 0; i < 10; i++) {
    char line[128];
    snprintf(line, sizeof line, "a%d = x%d * 2\nb%d = x%d * 3\nx%d = a%d + b%d\n", i, i, i, i, i + 1, i, i);
    strcat(text, line);
  }
  gdv_graph *g = graph_of(text);
  gdv_scene *s;
  gdv_error err;
  gdv_scene_options opt;
  gdv_scene_options_default(&opt);
  opt.highlight = "x0";
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  ck_assert_uint_eq(s->items[0].n_lines, 1 + 8 + 2);
  ck_assert(strstr(s->items[0].lines[9].text, "1016 more paths (1024 in all)") != NULL);
  /* dC/dx0 = (2 + 3)^10 */
  ck_assert_str_eq(s->items[0].lines[10].text, "sum over all paths = \xE2\x88\x82" "C/\xE2\x88\x82" "x0 = 9.766\xC3\x97" "10\xE2\x81\xB6");
  gdv_scene_free(s);
  gdv_graph_free(g);
}
END_TEST

/* True when boxes (centre, size) of two scene nodes overlap. */
static int overlap(const gdv_scene_node *a, const gdv_scene_node *b) {
  return fabs(a->x - b->x) * 2 < a->w + b->w && fabs(a->y - b->y) * 2 < a->h + b->h;
}

START_TEST(test_layouts) {
  gdv_graph *g = graph_of("x1 = 2\nx2 = 0\nparam w1 = -3\nparam w2 = 1\nparam b = 6.88\n"
                          "n = x1*w1 + x2*w2 + b\no = tanh(n)\n");
  gdv_style st;
  gdv_style_default(&st);
  gdv_error err;
  for (int which = 0; which < 2; which++) {
    gdv_scene *s;
    ck_assert_int_eq(gdv_scene_from_graph(g, NULL, &s, &err), GDV_OK);
    gdv_status rc = which ? gdv_layout_columns(s, &st, NULL, &err) : gdv_layout_dot(s, &st, &err);
    ck_assert_msg(rc == GDV_OK, "%s", err.message);
    ck_assert(s->laid_out);
    for (size_t i = 0; i < s->n_nodes; i++) {
      ck_assert(s->nodes[i].w > 20 && s->nodes[i].h > 20);
      for (size_t j = i + 1; j < s->n_nodes; j++)
        ck_assert_msg(!overlap(&s->nodes[i], &s->nodes[j]), "%zu and %zu overlap", i, j);
    }
    /* left to right: every edge goes rightwards and has a curve */
    for (size_t e = 0; e < s->n_edges; e++) {
      ck_assert(s->edges[e].n_pts >= 4 && (s->edges[e].n_pts - 1) % 3 == 0);
      ck_assert(s->nodes[s->edges[e].from].x < s->nodes[s->edges[e].to].x);
      ck_assert(s->edges[e].label_w > 0);
    }
    /* drawing to each format in memory gives the right magic bytes */
    static const char *const magic[] = {"\x89PNG", "<?xml", "%PDF"};
    for (int f = 0; f < 3; f++) {
      char *buf = NULL;
      size_t len = 0;
      FILE *mem = open_memstream(&buf, &len);
      gdv_render_meta meta = {.dpi = 72, .software = "test", .source = "x = 1"};
      ck_assert_int_eq(gdv_render_write(s, &st, (gdv_figure_format)f, &meta, mem, &err), GDV_OK);
      fclose(mem);
      ck_assert_msg(len > 100 && memcmp(buf, magic[f], strlen(magic[f])) == 0, "format %d", f);
      free(buf);
    }
    gdv_scene_free(s);
  }
  gdv_graph_free(g);
}
END_TEST

START_TEST(test_built_scene) {
  /* a scene made by other code: ellipsis node, dots, a picture, a badge */
  gdv_scene *s;
  gdv_error err;
  gdv_style st;
  gdv_style_default(&st);
  ck_assert_int_eq(gdv_scene_new(&s, &err), GDV_OK);
  size_t a, b, c, it;
  ck_assert_int_eq(gdv_scene_add_node(s, "x0", GDV_KIND_INPUT, &a, &err), GDV_OK);
  s->nodes[a].shape = GDV_SHAPE_DOT;
  ck_assert_int_eq(gdv_scene_add_node(s, "more", GDV_KIND_ELLIPSIS, &b, &err), GDV_OK);
  ck_assert_int_eq(gdv_scene_add_line(&s->nodes[b].lines, &s->nodes[b].n_lines, GDV_TEXT_NOTE,
                                      "\xE2\x8B\xAF 776 more", &err), GDV_OK);
  ck_assert_int_eq(gdv_scene_add_node(s, "h", GDV_KIND_OP, &c, &err), GDV_OK);
  ck_assert_int_eq(gdv_scene_add_line(&s->nodes[c].lines, &s->nodes[c].n_lines, GDV_TEXT_OP, "\xCF\x83", &err), GDV_OK);
  ck_assert_int_eq(gdv_scene_add_edge(s, a, c, NULL, &err), GDV_OK);
  ck_assert_int_eq(gdv_scene_add_edge(s, b, c, NULL, &err), GDV_OK);
  ck_assert_int_eq(gdv_scene_add_edge(s, a, 99, NULL, &err), GDV_ERR_INPUT);
  ck_assert_int_eq(gdv_scene_add_item(s, GDV_ITEM_HEATMAP, &it, &err), GDV_OK);
  s->items[it].px_w = s->items[it].px_h = 28;
  s->items[it].pixels = calloc(28 * 28, sizeof(double));
  s->items[it].pixels[5] = -1;
  s->items[it].pixels[6] = 2;
  ck_assert_int_eq(gdv_layout_columns(s, &st, NULL, &err), GDV_OK);
  ck_assert(s->nodes[a].x < s->nodes[c].x);
  ck_assert(s->items[it].y > s->nodes[c].y);  /* placed below */
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  ck_assert_int_eq(gdv_render_dump_layout(s, &st, NULL, mem, &err), GDV_OK);
  fclose(mem);
  ck_assert(strstr(buf, "\"text\": \"\xE2\x8B\xAF 776 more\"") != NULL);
  free(buf);
  gdv_scene_free(s);
}
END_TEST

/* A scene of two nodes joined by a straight labelled edge from (0, 0) to
 * the arrow tip at (110, 0), the label's reserved cell 30 points above. */
static gdv_scene *straight_edge_scene(void) {
  gdv_scene *s;
  gdv_error err;
  size_t a, b, e;
  ck_assert_int_eq(gdv_scene_new(&s, &err), GDV_OK);
  ck_assert_int_eq(gdv_scene_add_node(s, "a", GDV_KIND_INPUT, &a, &err), GDV_OK);
  ck_assert_int_eq(gdv_scene_add_node(s, "b", GDV_KIND_OP, &b, &err), GDV_OK);
  s->nodes[a].x = -20; s->nodes[a].w = 40; s->nodes[a].h = 30;
  s->nodes[b].x = 130; s->nodes[b].w = 40; s->nodes[b].h = 30;
  ck_assert_int_eq(gdv_scene_add_edge(s, a, b, &e, &err), GDV_OK);
  gdv_scene_edge *ed = &s->edges[e];
  ck_assert_int_eq(gdv_scene_add_line(&ed->lines, &ed->n_lines, GDV_TEXT_LOCAL, "local 1", &err), GDV_OK);
  static const double line[] = {0, 0, 33, 0, 66, 0, 100, 0};
  ed->pts = malloc(sizeof line);
  memcpy(ed->pts, line, sizeof line);
  ed->n_pts = 4;
  ed->tip_x = 110;
  ed->tip_y = 0;
  ed->label_x = 50; ed->label_y = -30; ed->label_w = 30; ed->label_h = 20;
  s->width = 150;
  s->height = 40;
  return s;
}

START_TEST(test_edge_labels) {
  double bx, by, lx, ly;
  /* a label in dot's reserved cell, 20 points off its edge: moved onto it */
  gdv_scene *s = straight_edge_scene();
  ck_assert_int_eq(gdv_edge_label_leader(&s->edges[0], &bx, &by, &lx, &ly), 1);
  ck_assert(fabs(by - (-20)) < 1e-9 && fabs(ly) < 1e-9);  /* box bottom to the line */
  gdv_layout_edge_labels(s);
  ck_assert(fabs(s->edges[0].label_y) < 1e-9);
  ck_assert(fabs(s->edges[0].label_x - 50) < 1e-9);
  ck_assert_int_eq(gdv_edge_label_leader(&s->edges[0], &bx, &by, &lx, &ly), 0);
  gdv_scene_free(s);
  /* a node sitting on the edge's middle: the label slides along the edge
   * or sits beside it, never on the node (3 points of room) */
  s = straight_edge_scene();
  gdv_error err;
  size_t c;
  ck_assert_int_eq(gdv_scene_add_node(s, "c", GDV_KIND_CONST, &c, &err), GDV_OK);
  s->nodes[c].x = 50; s->nodes[c].y = 0; s->nodes[c].w = 10; s->nodes[c].h = 10;
  gdv_layout_edge_labels(s);
  const gdv_scene_edge *e = &s->edges[0];
  ck_assert(fabs(e->label_x - 50) >= e->label_w / 2 + 8 - 1e-9 ||
            fabs(e->label_y) >= e->label_h / 2 + 8 - 1e-9);
  ck_assert(fabs(e->label_y) <= e->label_h / 2 + 1.5);  /* still touching */
  gdv_scene_free(s);
}
END_TEST

/* Two boxes of one top-to-bottom layer, each with edge labels staggered
 * at two depths: the first and last labels of each reach past their
 * slots, and the gap between the boxes keeps them clear of each other
 * and of the neighbour's lines (the planner used to reject such layouts
 * for their overlapping labels). Three edges each, so the facing labels
 * stand in one column; then four, so they stand in different ones. */
START_TEST(test_staggered_neighbours) {
  static const char *const texts[] = {
      "x1 = 0.1536\nx2 = -0.3072\nx3 = 0.07681\ny1 = x1 + x2 + x3\ny2 = x1 + x2 + x3\n"
      "C = y1 * y2\n",
      "x1 = 0.1536\nx2 = -0.3072\nx3 = 0.07681\nx4 = 0.4805\ny1 = x1 + x2 + x3 + x4\n"
      "y2 = x1 + x2 + x3 + x4\nC = y1 * y2\n"};
  gdv_style st;
  gdv_style_default(&st);
  gdv_error err;
  for (int t = 0; t < 2; t++) {
    gdv_graph *g = graph_of(texts[t]);
    gdv_scene_options o;
    gdv_scene_options_default(&o);
    o.rankdir = GDV_RANKDIR_TB;
    o.stagger_labels = 1;
    gdv_scene *s;
    ck_assert_int_eq(gdv_scene_from_graph(g, &o, &s, &err), GDV_OK);
    ck_assert_msg(gdv_layout_layers(s, &st, &err) == GDV_OK, "%s", err.message);
    size_t y1 = SIZE_MAX, y2 = SIZE_MAX;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (size_t i = 0; i < s->n_nodes; i++) {
      if (!strcmp(s->nodes[i].id, "y1")) y1 = i;
      if (!strcmp(s->nodes[i].id, "y2")) y2 = i;
    }
    ck_assert(y1 != SIZE_MAX && y2 != SIZE_MAX);
    ck_assert(fabs(s->nodes[y1].y - s->nodes[y2].y) < 1e-9);  /* one layer */
    for (size_t a = 0; a < s->n_edges; a++) {
      const gdv_scene_edge *ea = &s->edges[a];
      if (ea->to == y1 && ea->label_w > 0) lo = fmin(lo, ea->label_y), hi = fmax(hi, ea->label_y);
      for (size_t b = a + 1; b < s->n_edges; b++) {
        const gdv_scene_edge *eb = &s->edges[b];
        if (ea->label_w <= 0 || eb->label_w <= 0) continue;
        ck_assert_msg(fabs(ea->label_x - eb->label_x) >= (ea->label_w + eb->label_w) / 2 ||
                          fabs(ea->label_y - eb->label_y) >= (ea->label_h + eb->label_h) / 2,
                      "case %d: labels of edges %zu and %zu overlap", t, a, b);
      }
      /* no other node's edge passes through the label */
      for (size_t b = 0; b < s->n_edges; b++) {
        const gdv_scene_edge *eb = &s->edges[b];
        if (ea->label_w <= 0 || eb->to == ea->to) continue;
        for (size_t k = 0; k + 3 < eb->n_pts; k += 3)
          for (int q = 0; q <= 16; q++) {
            double u = q / 16.0, w[4] = {(1 - u) * (1 - u) * (1 - u), 3 * u * (1 - u) * (1 - u),
                                        3 * u * u * (1 - u), u * u * u};
            double x = 0, y = 0;
            for (int c = 0; c < 4; c++) x += w[c] * eb->pts[2 * (k + c)], y += w[c] * eb->pts[2 * (k + c) + 1];
            ck_assert_msg(fabs(x - ea->label_x) >= ea->label_w / 2 ||
                              fabs(y - ea->label_y) >= ea->label_h / 2,
                          "case %d: edge %zu runs through edge %zu's label", t, b, a);
          }
      }
    }
    ck_assert_msg(hi - lo > 1, "case %d: y1's labels stand at one depth", t);
    gdv_scene_free(s);
    gdv_graph_free(g);
  }
}
END_TEST

/* A short layer that its edges pull past the tallest one: four
 * statements of z, the last leaf, stand centred on z and reach below the
 * leaves' column, so the figure is taller than its layers need
 * (layer_overhang, points). Held (hold_layers), every box stands within
 * the leaves' column, which is the tallest. */
START_TEST(test_held_layers) {
  static const char text[] =
      "a1 = 1\na2 = 2\na3 = 3\na4 = 4\na5 = 5\na6 = 6\nz = 0.5\n"
      "s = a1 + a2 + a3 + a4 + a5 + a6\nq1 = exp(z)\nq2 = tanh(z)\nq3 = sigmoid(z)\n"
      "q4 = relu(z)\nC = s + q1 + q2 + q3 + q4\n";
  gdv_style st;
  gdv_style_default(&st);
  gdv_error err;
  gdv_graph *g = graph_of(text);
  for (int hold = 0; hold < 2; hold++) {
    gdv_scene_options o;
    gdv_scene_options_default(&o);
    o.show = GDV_SHOW_VALUES | GDV_SHOW_GRADS;
    gdv_scene *s;
    ck_assert_int_eq(gdv_scene_from_graph(g, &o, &s, &err), GDV_OK);
    s->hold_layers = hold;
    ck_assert_msg(gdv_layout_layers(s, &st, &err) == GDV_OK, "%s", err.message);
    double lo = HUGE_VAL, hi = -HUGE_VAL, top = HUGE_VAL, bottom = -HUGE_VAL;
    for (size_t i = 0; i < s->n_nodes; i++) {
      const gdv_scene_node *n = &s->nodes[i];
      if (n->layer == 0) lo = fmin(lo, n->y - n->h / 2), hi = fmax(hi, n->y + n->h / 2);
      top = fmin(top, n->y - n->h / 2);
      bottom = fmax(bottom, n->y + n->h / 2);
    }
    /* measured before holding: how far q1..q4 reach past the leaves */
    ck_assert_msg(s->layer_overhang > 10, "overhang %g", s->layer_overhang);
    if (hold)
      ck_assert_msg(top >= lo - 1e-6 && bottom <= hi + 1e-6,
                    "held: boxes from %g to %g, the leaves' column from %g to %g", top, bottom, lo, hi);
    else
      ck_assert_msg(bottom > hi + 10, "free: q4 (%g) stands no lower than z (%g)", bottom, hi);
    gdv_scene_free(s);
  }
  gdv_graph_free(g);
}
END_TEST

/* A 3-3-3 tanh network with softmax outputs and the cross-entropy cost
 * (tests/render/plan/course/mlp-3-3-3-softmax-xent.expr). */
static const char mlp_3_3_3[] =
    "x1 = 1\nx2 = -0.5\nx3 = 0.25\nconst y1 = 0\nconst y2 = 1\nconst y3 = 0\n"
    "param w11 = 0.2\nparam w12 = -0.4\nparam w13 = 0.1\nparam w21 = 0.5\n"
    "param w22 = 0.3\nparam w23 = -0.2\nparam w31 = -0.3\nparam w32 = 0.6\n"
    "param w33 = 0.4\nparam b1 = 0.1\nparam b2 = -0.1\nparam b3 = 0.05\n"
    "param v11 = 0.7\nparam v12 = -0.2\nparam v13 = 0.3\nparam v21 = -0.5\n"
    "param v22 = 0.4\nparam v23 = 0.6\nparam v31 = 0.1\nparam v32 = 0.8\n"
    "param v33 = -0.3\nparam c1 = 0\nparam c2 = 0.1\nparam c3 = -0.2\n"
    "h1 = tanh(w11*x1 + w12*x2 + w13*x3 + b1)\nh2 = tanh(w21*x1 + w22*x2 + w23*x3 + b2)\n"
    "h3 = tanh(w31*x1 + w32*x2 + w33*x3 + b3)\nz1 = v11*h1 + v12*h2 + v13*h3 + c1\n"
    "z2 = v21*h1 + v22*h2 + v23*h3 + c2\nz3 = v31*h1 + v32*h2 + v33*h3 + c3\n"
    "e1 = exp(z1)\ne2 = exp(z2)\ne3 = exp(z3)\ns = e1 + e2 + e3\n"
    "p1 = e1 / s\np2 = e2 / s\np3 = e3 / s\n"
    "C = -(y1*log(p1) + y2*log(p2) + y3*log(p3))\noutput C\n";

/* A 3-3-3 softmax network folds into two rows on a slide: the inputs,
 * hidden units and logits (wide boxes) above, the exponentials, their
 * sum, the probabilities and the cost below, a shorter row. The figure is
 * as wide as its longest row and as tall as both rows: the planner gives
 * the shorter row wide lines (each exponential's fan-out sum on one
 * line), where narrow ones would only make it taller, and the figure
 * reads at 18 px per em. Balanced as if every row were as long as the
 * average and as tall as the tallest, the sums went on two lines and the
 * text reached 17.0. */
START_TEST(test_fold_rows) {
  gdv_style st;
  gdv_style_default(&st);
  gdv_error err;
  gdv_graph *g = graph_of(mlp_3_3_3);
  gdv_scene_options o;
  gdv_scene_options_default(&o);
  ck_assert_int_eq(gdv_page_parse("slide", 144, &o.page, &err), GDV_OK);
  gdv_scene *s = NULL;
  gdv_plan_report rep;
  ck_assert_msg(gdv_plan_figure(g, &o, &st, GDV_ENGINE_AUTO, &s, &rep, &err) == GDV_OK, "%s",
                err.message);
  ck_assert_int_eq(s->bands, 2);
  ck_assert_msg(rep.legible && rep.px_per_em >= 18, "text at %.2f px/em", rep.px_per_em);
  /* e1 feeds p1 and s: its sum 0.327 + 0 = 0.327 on one line */
  gdv_id e1 = gdv_graph_find(g, "e1");
  size_t found = 0;
  for (size_t i = 0; i < s->n_nodes; i++) {
    if (s->nodes[i].graph_node != e1) continue;
    const char *sum = line_of(s, i, GDV_TEXT_SUM);
    ck_assert_msg(sum && strstr(sum, "0.327 + 0 = 0.327"), "e1's sum line: %s", sum ? sum : "none");
    found++;
  }
  ck_assert_uint_eq(found, 1);
  gdv_scene_free(s);
  gdv_graph_free(g);
}
END_TEST

/* Edge labels as bare numbers (the planner's terse form) say which is
 * the local derivative and which the gradient only through the legend:
 * without one (--legend none, --show=-legend) the planner keeps their
 * words, even where bare numbers would draw the figure larger (the 3-3-3
 * network reads at 18.98 px/em with them, 17.9 without). */
START_TEST(test_terse_needs_legend) {
  gdv_style st;
  gdv_style_default(&st);
  gdv_error err;
  gdv_graph *g = graph_of(mlp_3_3_3);
  for (int how = 0; how < 2; how++) {
    gdv_scene_options o;
    gdv_scene_options_default(&o);
    ck_assert_int_eq(gdv_page_parse("slide", 144, &o.page, &err), GDV_OK);
    if (how == 0) o.legend_place = GDV_LEGEND_NONE;
    else o.show &= ~GDV_SHOW_LEGEND;
    gdv_scene *s = NULL;
    ck_assert_msg(gdv_plan_figure(g, &o, &st, GDV_ENGINE_AUTO, &s, NULL, &err) == GDV_OK, "%s",
                  err.message);
    ck_assert_msg(!s->terse_labels, "%s: labels as bare numbers with no legend",
                  how == 0 ? "--legend none" : "--show=-legend");
    size_t worded = 0;
    for (size_t i = 0; i < s->n_edges; i++)
      for (size_t k = 0; k < s->edges[i].n_lines; k++)
        worded += strncmp(s->edges[i].lines[k].text, "local ", 6) == 0;
    ck_assert_msg(worded > 0, "no edge label says \"local\"");
    gdv_scene_free(s);
  }
  gdv_graph_free(g);
}
END_TEST

/* A 2x2 window over a 3x3 input (sums, so that every edge runs from a
 * leaf straight into an output): the gap before the four outputs holds
 * long edges that cross at shallow angles (shallow_gaps counts it). With
 * bus_gaps each edge crosses that gap in straight pieces along or across
 * (rounded corners of at most 6 points between them), and the edges of
 * one tail leave it from one point, its trunk, clear of the other
 * values' drops; drawn as S-curves, some piece runs slanted. */
START_TEST(test_bus_gaps) {
  static const char text[] =
      "x11 = 0.2\nx12 = -0.5\nx13 = 1\nx21 = 0.7\nx22 = 1.5\nx23 = -0.3\nx31 = -1.1\n"
      "x32 = 0.4\nx33 = 0.9\nk11 = 0.6\nk12 = -0.4\nk21 = 0.3\nk22 = 0.8\nb = -0.1\n"
      "y11 = k11 + x11 + k12 + x12 + k21 + x21 + k22 + x22 + b\n"
      "y12 = k11 + x12 + k12 + x13 + k21 + x22 + k22 + x23 + b\n"
      "y21 = k11 + x21 + k12 + x22 + k21 + x31 + k22 + x32 + b\n"
      "y22 = k11 + x22 + k12 + x23 + k21 + x32 + k22 + x33 + b\n"
      "C = y11 + y12 + y21 + y22\n";
  gdv_style st;
  gdv_style_default(&st);
  gdv_error err;
  gdv_graph *g = graph_of(text);
  for (int bus = 0; bus < 2; bus++) {
    gdv_scene_options o;
    gdv_scene_options_default(&o);
    o.show = GDV_SHOW_VALUES | GDV_SHOW_GRADS | GDV_SHOW_LOCALS | GDV_SHOW_EDGE_GRADS;
    gdv_scene *s;
    ck_assert_int_eq(gdv_scene_from_graph(g, &o, &s, &err), GDV_OK);
    s->rank_lr = 0;
    s->bus_gaps = bus;
    ck_assert_msg(gdv_layout_layers(s, &st, &err) == GDV_OK, "%s", err.message);
    ck_assert_msg(s->shallow_gaps >= 1, "shallow gaps %zu", s->shallow_gaps);
    size_t slanted = 0, checked = 0;
    for (size_t i = 0; i < s->n_edges; i++) {
      const gdv_scene_edge *e = &s->edges[i];
      gdv_id head = s->nodes[e->to].graph_node;
      if (head == GDV_NONE || g->name[head][0] != 'y' || e->label_w <= 0) continue;
      /* the pieces above its label: the gap it crosses */
      for (size_t k = 0; k + 3 < e->n_pts; k += 3) {
        const double *p0 = e->pts + 2 * k, *p3 = p0 + 6;
        if (p3[1] > e->label_y - e->label_h / 2) break;
        double dx = fabs(p3[0] - p0[0]), dy = fabs(p3[1] - p0[1]);
        checked++;
        slanted += dx > 0.01 && dy > 0.01 && (dx > 6.01 || dy > 6.01);
      }
      /* one trunk: every edge of its tail starts where this one does; and
       * it stands clear of every other value's drop (its label's line) */
      for (size_t j = 0; bus && j < s->n_edges; j++) {
        const gdv_scene_edge *f = &s->edges[j];
        if (f->from == e->from)
          ck_assert_msg(fabs(f->pts[0] - e->pts[0]) < 1e-9, "edges %zu, %zu of one tail", i, j);
        else if (f->label_w > 0 && s->nodes[f->to].layer == s->nodes[e->to].layer)
          ck_assert_msg(fabs(f->label_x - e->pts[0]) >= st.edge_width_max + 4 - 1e-6,
                        "trunk of edge %zu at %g, drop of edge %zu at %g", i, e->pts[0], j, f->label_x);
      }
    }
    ck_assert_msg(checked >= 36, "pieces checked %zu", checked);
    if (bus) ck_assert_msg(slanted == 0, "%zu pieces slanted", slanted);
    else ck_assert_msg(slanted > 0, "S-curves without a slanted piece");
    gdv_scene_free(s);
  }
  gdv_graph_free(g);
}
END_TEST

START_TEST(test_formats) {
  gdv_figure_format f;
  ck_assert(gdv_figure_format_from_path("a/b.svg", &f) && f == GDV_FIGURE_SVG);
  ck_assert(gdv_figure_format_from_path("x.gv", &f) && f == GDV_FIGURE_DOT);
  ck_assert(!gdv_figure_format_from_path("x.jpg", &f));
  ck_assert(!gdv_figure_format_from_path("dir.png/x", &f));
  ck_assert(gdv_figure_format_lookup("pdf", &f) && f == GDV_FIGURE_PDF);
}
END_TEST

/* SVG ids: the prefix made safe, a graph id escaped one to one; a
 * collapsed group's node is marked and its edges titled with the group's
 * numbers (its lines), not the graph edge's (issue 12). */
START_TEST(test_svg) {
  char p[64];
  gdv_svg_prefix("my fig", p, sizeof p);
  ck_assert_str_eq(p, "my-fig-");
  gdv_svg_prefix("2nd", p, sizeof p);
  ck_assert_str_eq(p, "f2nd-");
  gdv_svg_prefix(NULL, p, sizeof p);
  ck_assert_str_eq(p, "fig-");
  gdv_svg_prefix("a_", p, sizeof p);
  ck_assert_str_eq(p, "a_");
  gdv_svg_prefix_from_path("out/neuron.expr.svg", p, sizeof p);
  ck_assert_str_eq(p, "neuron-");
  gdv_svg_prefix_from_path("x.tar.svg", p, sizeof p);
  ck_assert_str_eq(p, "x-tar-");
  gdv_sbuf b = {0};
  gdv_svg_escape_id(&b, "p#1");
  gdv_svg_escape_id(&b, " a_b-\xE2\x88\x82");
  ck_assert_str_eq(b.s, "p_231_20a_5Fb-_E2_88_82");
  gdv_sbuf_clear(&b);
  gdv_graph *g = graph_of("x = 0.3\ny = -0.7\nparam w = 1.5\nt = tanh(x*y + x)\nC = t*w + x\n");
  gdv_scene_options opt;
  gdv_scene_options_default(&opt);
  uint8_t *mask;
  gdv_error err;
  ck_assert_int_eq(gdv_expand_parse(g, "none", &mask, &err), GDV_OK);
  opt.expand = mask;
  gdv_scene *s;
  gdv_style st;
  gdv_style_default(&st);
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  ck_assert_int_eq(gdv_layout_dot(s, &st, &err), GDV_OK);
  gdv_svg_options so = {"t", g, "tiny", 1};
  ck_assert_int_eq(gdv_svg_write(s, &st, &so, &b, &err), GDV_OK);
  ck_assert(strncmp(b.s, "<svg xmlns=", 11) == 0);  /* a fragment: no XML declaration */
  ck_assert_ptr_nonnull(strstr(b.s, "<title id=\"t-title\">tiny: C = t\xC2\xB7w + x = "));
  ck_assert_ptr_nonnull(strstr(b.s, "<g id=\"t-node-t\" class=\"node role-op op-tanh collapsed\" "
                                    "data-node=\"5\" data-id=\"t\"><title>t = tanh(x\xC2\xB7y + x) (tanh): "
                                    "value 0.08976; "));
  ck_assert_ptr_nonnull(strstr(b.s, "data-from=\"x\" data-to=\"t\"><title>x \xE2\x86\x92 "
                                    "t = tanh(x\xC2\xB7y + x): local 0.2976; grad "));
  free(b.s);
  free(mask);
  gdv_scene_free(s);
  gdv_graph_free(g);
}
END_TEST

/* The library never names a command-line flag, and a NULL error struct
 * is allowed wherever errors are reported (issue 8). */
START_TEST(test_errors_without_flags) {
  gdv_style st;
  ck_assert_int_eq(gdv_style_load("/nonexistent/x.style", &st, NULL), GDV_ERR_INPUT);
  ck_assert_int_eq(gdv_style_load("nosuch", &st, NULL), GDV_ERR_INPUT);
  gdv_error err;
  ck_assert_int_eq(gdv_style_load("nosuch", &st, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "no style named 'nosuch' (try cs231n, dark, default, print, "
                   "or a FILE.style)");
  ck_assert_int_eq(gdv_style_load("/nonexistent/x.style", &st, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "cannot open style: No such file or directory");
  gdv_graph *g = graph_of("a = 2\nb = 1\nc = a + b\n");
  gdv_scene_options opt;
  gdv_scene_options_default(&opt);
  opt.highlight = "zz";
  gdv_scene *s = NULL;
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "no node named 'zz'");
  gdv_graph_free(g);
}
END_TEST

/* Frames receive a sum's terms in any order and show the total only at
 * the node's own step. */
START_TEST(test_sum_arrived) {
  gdv_graph *g = graph_of("a = 2\nb = 1\nc = a + b\nd = b + 1\ne = c * d\n");
  gdv_scene *s;
  gdv_error err;
  ck_assert_int_eq(gdv_scene_from_graph(g, NULL, &s, &err), GDV_OK);
  gdv_id b = gdv_graph_find(g, "b"), d = gdv_graph_find(g, "d");
  uint8_t *known = calloc(g->n_edges, 1);
  for (size_t e = 0; e < g->n_edges; e++) known[e] = g->edge_from[e] == b && g->edge_to[e] == d;
  ck_assert_int_eq(gdv_scene_sum_arrived(s, g, b, known, &err), GDV_OK);
  ck_assert_str_eq(line_of(s, b, GDV_TEXT_SUM), "\xE2\x88\x82" "C/\xE2\x88\x82" "b = ? + 3");
  for (size_t e = 0; e < g->n_edges; e++) known[e] = 1;
  ck_assert_int_eq(gdv_scene_sum_arrived(s, g, b, known, &err), GDV_OK);
  ck_assert_str_eq(line_of(s, b, GDV_TEXT_SUM), "\xE2\x88\x82" "C/\xE2\x88\x82" "b = 2 + 3");
  free(known);
  gdv_scene_free(s);
  gdv_graph_free(g);
}
END_TEST

/* Flags of the nodes named in `ids` (NULL-terminated) of the scene of `text`:
 * 'o' origin, 's' spread, '-' finite, one character each, in *out. */
static void nonfinite_kinds(const char *text, const char *const *ids, char *out) {
  gdv_graph *g = graph_of(text);
  gdv_scene *s = NULL;
  gdv_error err;
  ck_assert_int_eq(gdv_scene_from_graph(g, NULL, &s, &err), GDV_OK);
  size_t k = 0;
  for (; ids[k]; k++) {
    gdv_id v = gdv_graph_find(g, ids[k]);
    ck_assert_msg(v != GDV_NONE, "%s", ids[k]);
    uint32_t f = s->nodes[v].flags;
    out[k] = !(f & GDV_NODE_NONFINITE) ? '-' : (f & GDV_NODE_NONFINITE_ORIGIN) ? 'o' : 's';
    /* the origin, and only the origin, says so in a note */
    const char *note = line_of(s, v, GDV_TEXT_NOTE);
    if (out[k] == 'o') ck_assert_str_eq(note, "NaN/\xE2\x88\x9E starts here");
    else ck_assert_ptr_null(note);
  }
  out[k] = '\0';
  gdv_scene_free(s);
  gdv_graph_free(g);
}

/* A NaN or infinity is marked where it arises (operands finite, result
 * not: log 0, 0/0; or a gradient made infinite by its own local
 * derivative, sqrt at 0), apart from the nodes it reaches forward or
 * backward; finite graphs have neither. */
START_TEST(test_nonfinite_origin) {
  static const char *const log_ids[] = {"x", "w", "l", "y", NULL};
  static const char *const div_ids[] = {"x", "d", "e", "c", NULL};
  static const char *const sqrt_ids[] = {"x", "r", "y", NULL};
  char got[8];
  /* log 0 = -inf at l; y = -inf forward; x (1/0) and w (dy/dw = l) backward */
  nonfinite_kinds("x = 0\nw = 2\nl = log(x)\ny = l * w\noutput y\n", log_ids, got);
  ck_assert_str_eq(got, "ssos");
  /* 0/0 = NaN at d, carried on to e and c, and back to x */
  nonfinite_kinds("x = 0\nd = x / x\ne = d * 3\nc = e + 1\noutput c\n", div_ids, got);
  ck_assert_str_eq(got, "soss");
  /* sqrt at 0: every value finite, x's gradient infinite from the start */
  nonfinite_kinds("x = 0\nr = sqrt(x)\ny = r * 3\noutput y\n", sqrt_ids, got);
  ck_assert_str_eq(got, "o--");
  nonfinite_kinds("x = 1\nr = sqrt(x)\ny = r * 3\noutput y\n", sqrt_ids, got);
  ck_assert_str_eq(got, "---");
  /* a forward frame marks only the non-finite values it shows: l and y,
   * not x and w, whose gradients are not known yet */
  gdv_graph *g = graph_of("x = 0\nw = 2\nl = log(x)\ny = l * w\noutput y\n");
  gdv_scene *s = NULL;
  gdv_error err;
  gdv_style st;
  gdv_style_default(&st);
  ck_assert_int_eq(gdv_scene_from_graph(g, NULL, &s, &err), GDV_OK);
  ck_assert_int_eq(gdv_layout_columns(s, &st, NULL, &err), GDV_OK);
  for (int grads = 0; grads < 2; grads++) {
    gdv_scene_set_known(s, 1, grads);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    ck_assert_int_eq(gdv_render_dump_layout(s, &st, NULL, mem, &err), GDV_OK);
    fclose(mem);
    size_t marks = 0, origins = 0, notes = 0;
    for (const char *p = buf; (p = strstr(p, "\"mark\": {\"kind\": \"")) != NULL; p++) {
      marks++;
      origins += strncmp(p + 18, "origin", 6) == 0;
    }
    for (const char *p = buf; (p = strstr(p, "\"NaN/\xE2\x88\x9E starts here\"")) != NULL; p++) notes++;
    ck_assert_uint_eq(marks, grads ? 4 : 2);
    ck_assert_uint_eq(origins, 1);
    ck_assert_uint_eq(notes, 2);   /* the node's and the legend's */
    free(buf);
  }
  gdv_scene_free(s);
  gdv_graph_free(g);
  /* the mark leaves the outlines alone: the output's thick one, the
   * constant's dashed one */
  gdv_scene_node n, plain;
  memset(&n, 0, sizeof n);
  n.kind = GDV_KIND_CONST;
  n.flags = GDV_NODE_OUTPUT;
  for (int k = 0; k < 2; k++) {
    plain = n;
    n.flags |= GDV_NODE_NONFINITE | (k ? GDV_NODE_NONFINITE_ORIGIN : 0);
    gdv_rgba c0, c1;
    double w0, w1;
    int d0, d1;
    gdv_render_node_pen(&st, &plain, &c0, &w0, &d0);
    gdv_render_node_pen(&st, &n, &c1, &w1, &d1);
    ck_assert(memcmp(&c0, &c1, sizeof c0) == 0);
    ck_assert(w1 == st.line_width * 3 && w0 == w1);
    ck_assert_int_eq(d1, 1);
    ck_assert_int_eq(d0, 1);
    n = plain;
  }
}
END_TEST

/* The colour of the canvas at scene point (x, y), as 0xRRGGBB. */
static unsigned canvas_pixel(const gdv_render_canvas *rc, double x, double y) {
  cairo_surface_t *surf = rc->surface;
  const uint32_t *px = (const uint32_t *)(void *)cairo_image_surface_get_data(surf);
  int stride = cairo_image_surface_get_stride(surf) / 4;
  int col = (int)((x + rc->ox) * rc->scale), row = (int)((y + rc->oy) * rc->scale);
  return px[row * stride + col] & 0xffffff;
}

/* A gradient heat map says "blue +, orange −" under it (and the MNIST
 * bias dots agree): a positive cell is drawn in the forward colour, a
 * negative one in the backward colour. */
START_TEST(test_heatmap_signs) {
  gdv_scene *s;
  gdv_error err;
  gdv_style st;
  gdv_render_canvas rc;
  size_t it;
  gdv_style_default(&st);
  ck_assert_int_eq(gdv_scene_new(&s, &err), GDV_OK);
  ck_assert_int_eq(gdv_scene_add_item(s, GDV_ITEM_HEATMAP, &it, &err), GDV_OK);
  gdv_scene_item *hm = &s->items[it];
  hm->px_w = 2;
  hm->px_h = 1;
  hm->pixels = malloc(2 * sizeof(double));
  hm->pixels[0] = 1;
  hm->pixels[1] = -1;
  hm->x = 20; hm->y = 10; hm->w = 40; hm->h = 20;
  s->width = 40;
  s->height = 20;
  s->laid_out = 1;
  s->show = 0;
  ck_assert_int_eq(gdv_render_canvas_draw(s, &st, NULL, &rc, &err), GDV_OK);
  ck_assert_uint_eq(canvas_pixel(&rc, 10, 10), 0x0072B2);  /* forward */
  ck_assert_uint_eq(canvas_pixel(&rc, 30, 10), 0xB34F04);  /* backward */
  gdv_render_canvas_free(&rc);
  /* as SVG: two pixels are two <rect>s (smaller than a PNG), in the
   * same colours, at the same places (the margin is 16 points) */
  gdv_sbuf b = {0};
  ck_assert_int_eq(gdv_svg_write(s, &st, NULL, &b, &err), GDV_OK);
  ck_assert_ptr_null(strstr(b.s, "<image"));
  ck_assert_ptr_nonnull(strstr(b.s, "<rect x=\"16\" y=\"16\" width=\"20\" height=\"20\" class=\"c0\"/>\n"
                                    "<rect x=\"36\" y=\"16\" width=\"20\" height=\"20\" class=\"c1\"/>"));
  ck_assert_ptr_nonnull(strstr(b.s, "#fig-figure .c0{fill:#0072b2}\n#fig-figure .c1{fill:#b34f04}"));
  free(b.s);
  gdv_scene_free(s);
}
END_TEST

/* Big canvases live in memory of our own (huge pages), which a freed
 * canvas may hand on dirty: a transparent figure drawn after opaque ones
 * must still be transparent wherever nothing is drawn, and an opaque one
 * its background, every pixel, however often the memory is reused. */
START_TEST(test_canvas_memory) {
  gdv_error err;
#ifdef M_MMAP_THRESHOLD
  /* glibc: big blocks from the heap, kept when freed, so that a freed
   * canvas's memory is reused */
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
  for (int round = 0; round < 6; round++) {
    int clear = round % 2;
    gdv_style st;
    gdv_style_default(&st);
    if (clear) st.background.a = 0;
    gdv_scene *s;
    size_t it;
    ck_assert_int_eq(gdv_scene_new(&s, &err), GDV_OK);
    ck_assert_int_eq(gdv_scene_add_item(s, GDV_ITEM_HEATMAP, &it, &err), GDV_OK);
    /* two small heat maps in opposite corners: background between */
    for (int k = 0; k < 2; k++) {
      if (k) ck_assert_int_eq(gdv_scene_add_item(s, GDV_ITEM_HEATMAP, &it, &err), GDV_OK);
      gdv_scene_item *hm = &s->items[it];
      hm->px_w = hm->px_h = 1;
      hm->pixels = malloc(sizeof(double));
      hm->pixels[0] = 1;
      hm->x = k ? 980 : 20; hm->y = k ? 590 : 10; hm->w = 40; hm->h = 20;
    }
    s->width = 1000;
    s->height = 600;
    s->laid_out = 1;
    s->show = 0;
    gdv_render_canvas rc;
    ck_assert_int_eq(gdv_render_canvas_draw(s, &st, NULL, &rc, &err), GDV_OK);
    const uint32_t *px = (const uint32_t *)(void *)cairo_image_surface_get_data(rc.surface);
    int w = cairo_image_surface_get_width(rc.surface), h = cairo_image_surface_get_height(rc.surface);
    size_t stride = (size_t)cairo_image_surface_get_stride(rc.surface) / 4;
    ck_assert_int_ge((long)stride * h * 4, 4L << 20);  /* big enough for huge pages */
    ck_assert_uint_eq(canvas_pixel(&rc, 20, 10), 0x0072B2);
    size_t wrong = 0;
    for (int y = h / 4; y < 3 * h / 4; y++)  /* between the heat maps */
      for (int x = 0; x < w; x++)
        wrong += clear ? px[(size_t)y * stride + (size_t)x] != 0
                       : (px[(size_t)y * stride + (size_t)x] & 0xffffff) != 0xffffff;
    ck_assert_msg(wrong == 0, "round %d: %zu pixels are not the background", round, wrong);
    gdv_render_canvas_free(&rc);
    gdv_scene_free(s);
  }
}
END_TEST

/* One figure drawn in memory (format f), for byte comparisons. */
static char *draw_bytes(const gdv_scene *s, const gdv_style *st, int f, size_t *len) {
  char *buf = NULL;
  gdv_error err;
  FILE *mem = open_memstream(&buf, len);
  gdv_render_meta meta = {.dpi = 72, .software = "test"};
  gdv_status rc = gdv_render_write(s, st, (gdv_figure_format)f, &meta, mem, &err);
  ck_assert_msg(rc == GDV_OK, "%s", err.message);
  fclose(mem);
  return buf;
}

/* Lines kept for a figure's several formats (gdv_render_keep_text) change
 * no byte: two different figures, the first with hundreds of lines (the
 * index grows several times), drawn in turns while lines are kept
 * give the bytes each gives alone. */
START_TEST(test_kept_text) {
  gdv_sbuf src = {0};
  for (int i = 0; i < 40; i++) gdv_sbuf_printf(&src, "x%d = %d.5\nparam w%d = 0.%d\n", i, i, i, i + 1);
  gdv_sbuf_printf(&src, "o = x0*w0");
  for (int i = 1; i < 40; i++) gdv_sbuf_printf(&src, " + x%d*w%d", i, i);
  gdv_sbuf_printf(&src, "\n");
  gdv_graph *g[2] = {graph_of(src.s), graph_of("x1 = 2\nparam w1 = -3\nn = x1*w1\no = tanh(n)\n")};
  free(src.s);
  gdv_style st;
  gdv_style_default(&st);
  gdv_error err;
  gdv_scene *s[2];
  char *alone[2][2];
  size_t alone_len[2][2];
  for (int k = 0; k < 2; k++) {
    ck_assert_int_eq(gdv_scene_from_graph(g[k], NULL, &s[k], &err), GDV_OK);
    ck_assert_int_eq(gdv_layout_columns(s[k], &st, NULL, &err), GDV_OK);
    for (int f = 0; f < 2; f++) alone[k][f] = draw_bytes(s[k], &st, f ? GDV_FIGURE_PDF : GDV_FIGURE_PNG, &alone_len[k][f]);
  }
  gdv_render_keep_text(1);
  static const int turns[][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0, 0}, {1, 1}};
  for (size_t t = 0; t < sizeof turns / sizeof *turns; t++) {
    int k = turns[t][0], f = turns[t][1];
    size_t len;
    char *kept = draw_bytes(s[k], &st, f ? GDV_FIGURE_PDF : GDV_FIGURE_PNG, &len);
    ck_assert_msg(len == alone_len[k][f] && memcmp(kept, alone[k][f], len) == 0,
                  "figure %d in %s differs with kept lines (turn %zu)", k, f ? "PDF" : "PNG", t);
    free(kept);
  }
  gdv_render_keep_text(0);
  for (int k = 0; k < 2; k++) {
    for (int f = 0; f < 2; f++) free(alone[k][f]);
    gdv_scene_free(s[k]);
    gdv_graph_free(g[k]);
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("render");
  TCase *tc = tcase_create("render");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_numbers);
  tcase_add_test(tc, test_show);
  tcase_add_test(tc, test_style_parse);
  tcase_add_test(tc, test_style_files);
  tcase_add_test(tc, test_scene_from_graph);
  tcase_add_test(tc, test_collapsed_scene);
  tcase_add_test(tc, test_text_wrap);
  tcase_add_test(tc, test_equation_wrap);
  tcase_add_test(tc, test_merged_scene);
  tcase_add_test(tc, test_highlight_cap);
  tcase_add_test(tc, test_layouts);
  tcase_add_test(tc, test_built_scene);
  tcase_add_test(tc, test_formats);
  tcase_add_test(tc, test_svg);
  tcase_add_test(tc, test_edge_labels);
  tcase_add_test(tc, test_staggered_neighbours);
  tcase_add_test(tc, test_held_layers);
  tcase_add_test(tc, test_bus_gaps);
  tcase_add_test(tc, test_fold_rows);
  tcase_add_test(tc, test_terse_needs_legend);
  tcase_add_test(tc, test_errors_without_flags);
  tcase_add_test(tc, test_sum_arrived);
  tcase_add_test(tc, test_nonfinite_origin);
  tcase_add_test(tc, test_heatmap_signs);
  tcase_add_test(tc, test_kept_text);
  tcase_add_test(tc, test_canvas_memory);
  suite_add_tcase(s, tc);
  return gdv_check_run_suite(s);
}
